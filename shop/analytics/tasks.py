from django_tasks import task


@task()
def product_view_count(product_id, user_id=None):
    """Add one view to a product's figures (and to the signed-in viewer's), after the page was answered."""
    from .receivers import count_view

    count_view(product_id, user_id)
