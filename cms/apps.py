from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site content")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms.chrome import forget
        from shop.catalogue.listing_cache import listing_changed

        # The cached menu names pages by their address: any publication may move one.
        post_save.connect(forget, sender="cms.SiteChrome", dispatch_uid="cms.chrome.saved")
        post_delete.connect(forget, sender="cms.SiteChrome", dispatch_uid="cms.chrome.deleted")
        page_published.connect(forget, dispatch_uid="cms.chrome.published")
        page_unpublished.connect(forget, dispatch_uid="cms.chrome.unpublished")

        # Published pages are shown from shared fragments (see shop.catalogue.listing_cache): whatever changes what a
        # visitor sees of a page — publishing, withdrawing, moving or deleting it, or an image it shows — starts a
        # new version of them.
        page_published.connect(listing_changed, dispatch_uid="cms.fragments.published")
        page_unpublished.connect(listing_changed, dispatch_uid="cms.fragments.unpublished")
        post_page_move.connect(listing_changed, dispatch_uid="cms.fragments.moved")
        post_delete.connect(pages_changed, dispatch_uid="cms.fragments.deleted")
        post_save.connect(pages_changed, sender="wagtailimages.Image", dispatch_uid="cms.fragments.image")

        # The site answering each host is cached (cms.sites), with its root page.
        from cms.sites import sites_changed

        post_save.connect(sites_changed, sender="wagtailcore.Site", dispatch_uid="cms.sites.saved")
        post_delete.connect(sites_changed, sender="wagtailcore.Site", dispatch_uid="cms.sites.deleted")
        post_page_move.connect(sites_changed, dispatch_uid="cms.sites.page_moved")
        page_unpublished.connect(sites_changed, dispatch_uid="cms.sites.page_unpublished")


def pages_changed(sender, instance=None, **kwargs):
    from wagtail.images.models import AbstractImage
    from wagtail.models import Page

    from shop.catalogue.listing_cache import listing_changed

    if isinstance(instance, Page | AbstractImage):
        listing_changed()
    if isinstance(instance, Page):
        from cms.sites import sites_changed

        sites_changed()
