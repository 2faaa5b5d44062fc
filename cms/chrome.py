"""The menu and footer of the site's pages, read once and kept in the cache until an editor changes them."""

from django.core.cache import cache

CACHE_KEY = "cms:site-chrome"
CACHE_SECONDS = 600


def site_chrome():
    def compute():
        from wagtail.models import Site

        from cms.models import SiteChrome

        site = Site.objects.filter(is_default_site=True).first()
        chrome = SiteChrome.objects.filter(site=site).first() if site else None
        if chrome is None:
            return {"menu": [], "contact": "", "hotline": "", "report_mailbox": ""}
        menu = []
        for link in chrome.menu:
            page = link.value.get("page")
            url = page.url if page is not None else link.value.get("url")
            if url:
                menu.append({"label": link.value["label"], "url": url})
        return {
            "menu": menu,
            "contact": chrome.contact,
            "hotline": chrome.hotline,
            "report_mailbox": chrome.report_mailbox,
        }

    return cache.get_or_set(CACHE_KEY, compute, CACHE_SECONDS)


def forget(**kwargs):
    cache.delete(CACHE_KEY)
