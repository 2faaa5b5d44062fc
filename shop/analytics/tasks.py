from django_tasks import task


@task()
def product_views_count(views):
    """Add product views ([product id, viewer's user id or None, how many], ...) to the figures, after the pages."""
    from .receivers import count_views

    count_views(views)


@task()
def product_view_count(product_id, user_id=None):
    """One view, as queued before views were handed over together: kept so that such queued runs still count."""
    from .receivers import count_views

    count_views([[product_id, user_id, 1]])
