from django.contrib.contenttypes.models import ContentType
from wagtail.models import Locale, Page, Site

from cms.models import HomePage

HOME = {
    "title": "消费扶贫商城",
    "slug": "home",
    "hero_title": "买一份特产，帮一户农家",
    "hero_text": "这里汇集张家界、湘西、永州等地经过认定的扶贫产品。每一笔订单都直接带动合作社和农户增收。",
}
INTRO = (
    "<p>商城中的每一件商品都来自经区县扶贫办认定的供应商，商品页面标明认定证书编号、产地和带贫方式。"
    "后盾单位可以为本单位下单、申请发票，并把到村采购登记进半月报。</p>"
)


def load():
    Locale.objects.get_or_create(language_code="zh-hans")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            # Wagtail's migrations create the tree's root; a database emptied since (a flushed test database, a
            # restored dump without it) needs it back before any page can be added.
            root = Page.add_root(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
        # Wagtail's migrations create a placeholder welcome page; ours replaces it.
        for placeholder in root.get_children().exclude(content_type__model="homepage"):
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
        home = HomePage(**HOME, body=[("paragraph", INTRO)])
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="消费扶贫商城"
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "消费扶贫商城"
        site.save()
    return home
