import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"

    def ready(self):
        from . import receivers, views

        self.search_view = views.FacetedSearchView
        receivers.connect()

    def get_urls(self):
        from django.urls import path

        from . import views

        return super().get_urls() + [path("suggest/", views.SuggestView.as_view(), name="suggest")]
