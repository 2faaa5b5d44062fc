from oscar.apps.analytics.apps import AnalyticsConfig as OscarAnalyticsConfig


class AnalyticsConfig(OscarAnalyticsConfig):
    """Oscar's analytics models, counted by the shop's own receivers (shop.analytics.receivers).

    Oscar's receivers count a product view with a write inside the page's request; here the views a process serves are
    counted by a task after the pages have been answered, handed to the queue together (receivers.ViewTally). Baskets
    and orders are counted as Oscar counts them, in the request that makes them, inside the order's own transaction.
    """

    def ready(self):
        from . import receivers

        receivers.connect()
