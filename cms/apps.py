from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms.chrome import forget
        from cms.models import live_pages_forget

        # The cached menu names pages by their address: any publication may move one.
        post_save.connect(forget, sender="cms.SiteChrome", dispatch_uid="cms.chrome.saved")
        post_delete.connect(forget, sender="cms.SiteChrome", dispatch_uid="cms.chrome.deleted")
        page_published.connect(forget, dispatch_uid="cms.chrome.published")
        page_unpublished.connect(forget, dispatch_uid="cms.chrome.unpublished")
        # What the home page's cached hero, pavilions and news are keyed on (cms.models.live_pages_state).
        page_published.connect(live_pages_forget, dispatch_uid="cms.live_pages.published")
        page_unpublished.connect(live_pages_forget, dispatch_uid="cms.live_pages.unpublished")
        post_page_move.connect(live_pages_forget, dispatch_uid="cms.live_pages.moved")
        post_delete.connect(live_pages_forget, sender="wagtailcore.Page", dispatch_uid="cms.live_pages.deleted")
