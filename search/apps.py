import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"

    def ready(self):
        from . import receivers, views

        self.search_view = views.FacetedSearchView
        receivers.connect()
