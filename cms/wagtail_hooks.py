from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.viewsets.pages import PageViewSet


class PageSearchView(SearchView):
    # Wagtail's page search names no kind of object, so its result count read "共 23 个None" (and "of 23 None").
    verbose_name = _("page")
    verbose_name_plural = _("pages")


@hooks.register("register_admin_viewset")
def register_page_search():
    # Registered after Wagtail's own viewset for the base Page model, so the page search is answered by this one.
    return PageViewSet(name="cms_pages", search_view_class=PageSearchView)
