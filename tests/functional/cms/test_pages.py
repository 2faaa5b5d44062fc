"""The site's page types, their blocks and the figures they show."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from cms import demo as cms_demo
from cms.models import CampaignPage, GuideIndexPage, GuidePage, HomePage, NewsIndexPage, NewsPage, PavilionPage
from search.indexing import paused
from suppliers import services
from suppliers.models import CertificationStatus
from tests.factories import CertifiedPartnerFactory, PurchaseRecordFactory, UserFactory, certified_product, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return cms_demo.load()


def add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def get(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_every_page_type_renders_with_its_blocks(client, home):
    product = certified_product(title="桑植白茶 明前")
    partner = product.stockrecords.get().partner
    body = [
        ("paragraph", "<p>正文段落</p>"),
        ("products", {"heading": "推荐产品", "products": [product]}),
        ("supplier", {"supplier": partner, "text": "带动合群村贫困户"}),
        (
            "call_to_action",
            {"text": "去看看目录", "button": "产品目录", "page": None, "url": "/shop/suppliers/catalogue/"},
        ),
        ("faq", {"heading": "问答", "items": [{"question": "怎么买？", "answer": "<p>加入购物车。</p>"}]}),
    ]
    today = timezone.localdate()
    campaign = add(
        home,
        CampaignPage(
            title="测试消费扶贫月", slug="t-campaign", starts_on=today, ends_on=today, goal_amount="100", body=body
        ),
    )
    guides = GuideIndexPage.objects.get()
    guide = add(
        guides,
        GuidePage(
            title="测试指南",
            slug="t-guide",
            audience="buyer",
            steps=[("step", {"title": "第一步：注册", "text": "<p>填写邮箱</p>", "image": None})],
        ),
    )
    pavilion = add(home, PavilionPage(title="测试专馆", slug="t-pavilion", region=region("430822000000"), story=body))
    news = add(NewsIndexPage.objects.get(), NewsPage(title="测试新闻", slug="t-news", body=body))

    for page in (campaign, pavilion, news):
        html = get(client, page)
        for text in (
            "正文段落",
            "推荐产品",
            "桑植白茶 明前",
            "带动合群村贫困户",
            "产品目录",
            "怎么买？",
            "加入购物车。",
        ):
            assert text in html, (page.title, text)
    assert "第一步：注册" in get(client, guide)
    assert "测试指南" in get(client, guides)
    assert "测试新闻" in get(client, NewsIndexPage.objects.get())
    html = get(client, home)
    assert "测试专馆" in html and 'id="impact"' in html


def test_the_product_block_hides_a_product_that_stops_being_sellable(client, home):
    tea = certified_product(title="桑植白茶 明前")
    honey = certified_product(title="桑植蜂蜜")
    home.body = [("products", {"heading": "推荐", "products": [tea, honey]})]
    home.save_revision().publish()
    html = get(client, home)
    assert "桑植白茶 明前" in html and "桑植蜂蜜" in html
    certification = tea.certifications.get()
    reviewer = UserFactory(role="county", region=certification.certifying_office)
    services.certification_revoke(certification=certification, reviewer=reviewer, reason="抽检不合格")
    html = get(client, home)
    assert "桑植白茶 明前" not in html and "桑植蜂蜜" in html


def test_products_chosen_in_a_page_are_recorded_as_used_by_it(home, run_tasks):
    from wagtail.models import ReferenceIndex

    tea = certified_product(title="桑植白茶 明前")
    home.body = [("products", {"heading": "推荐", "products": [tea.pk]})]
    home.save_revision().publish()
    # Wagtail's "usage" of the product lists the home page (the task worker writes the index after the publish).
    run_tasks()
    assert ReferenceIndex.get_references_to(tea).filter(object_id=str(home.pk)).exists()


def test_the_product_block_shows_the_live_price(client, home):
    tea = certified_product(title="桑植白茶 明前", price="168.00")
    home.body = [("products", {"heading": "推荐", "products": [tea]})]
    home.save_revision().publish()
    assert "¥168.00" in get(client, home)
    stockrecord = tea.stockrecords.get()
    stockrecord.price = Decimal("158.00")
    stockrecord.save()
    assert "¥158.00" in get(client, home)


def test_campaign_progress_is_the_sum_of_sales_within_its_dates(client, home):
    campaign = add(
        home,
        CampaignPage(
            title="十月消费扶贫月",
            slug="october",
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 31),
            goal_amount="1000",
        ),
    )
    PurchaseRecordFactory(purchased_on=date(2026, 9, 30), quantity=1, unit_price=Decimal("999.00"))
    PurchaseRecordFactory(purchased_on=date(2026, 10, 1), quantity=2, unit_price=Decimal("100.00"))
    PurchaseRecordFactory(purchased_on=date(2026, 10, 31), quantity=1, unit_price=Decimal("50.50"))
    PurchaseRecordFactory(purchased_on=date(2026, 11, 1), quantity=1, unit_price=Decimal("999.00"))
    assert campaign.sales() == Decimal("250.50")
    html = get(client, campaign)
    assert "¥250.50" in html
    assert '<span id="campaign-percent">25.1</span>' in html


def test_a_campaign_cannot_end_before_it_starts(home):
    from django.core.exceptions import ValidationError

    campaign = CampaignPage(title="错期活动", slug="bad", starts_on=date(2026, 10, 31), ends_on=date(2026, 10, 1))
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "活动结束日期不能早于开始日期" in str(error.value)


def test_a_pavilion_lists_exactly_its_regions_certified_products(client, home):
    region("433125000000", "保靖县")
    sangzhi = CertifiedPartnerFactory(name="桑植合作社", region=region("430822101201", "合群村"))
    baojing = CertifiedPartnerFactory(name="保靖茶厂", region=region("433125101201", "黄金村"))
    mine = certified_product(partner=sangzhi, title="桑植白茶")
    revoked = certified_product(partner=sangzhi, title="桑植腊肉")
    revoked.certifications.update(status=CertificationStatus.REVOKED)
    certified_product(partner=baojing, title="保靖黄金茶")
    pavilion = PavilionPage.objects.filter(region__code="430822000000").first() or add(
        home, PavilionPage(title="桑植县专馆", slug="sangzhi", region=region("430822000000"))
    )
    html = get(client, pavilion)
    listed = html.split('id="pavilion-products"')[1].split("</ol>")[0]
    assert mine.title in listed
    assert "桑植腊肉" not in listed and "保靖黄金茶" not in listed
    assert "桑植合作社" in html and "保靖茶厂" not in html


def test_rich_text_cannot_inject_script(client, home):
    home.body = [
        (
            "paragraph",
            '<p>你好<script>alert("x")</script><a href="javascript:alert(1)" onclick="steal()">点我</a>'
            '<img src="x" onerror="steal()"></p>',
        )
    ]
    home.save_revision().publish()
    html = get(client, home)
    assert "你好" in html and "点我" in html
    assert 'alert("x")' not in html
    assert "javascript:alert" not in html
    assert "steal()" not in html


def test_the_home_page_query_count_does_not_grow_with_products(client, home):
    partner = CertifiedPartnerFactory()

    def count():
        client.get("/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    with paused():
        products = [certified_product(partner=partner, title=f"桑植白茶{i}") for i in range(4)]
    home.body = [("products", {"heading": "推荐", "products": products})]
    home.save_revision().publish()
    few = count()
    with paused():
        for i in range(40):
            certified_product(partner=partner, title=f"保靖黄金茶{i}")
    assert count() == few
    assert few <= 15, captured_sql(client)


def test_impact_figures_are_computed_from_the_data_and_cached(client, home, django_assert_num_queries):
    from django.core.cache import cache

    from cms.selectors import impact_figures

    partner = CertifiedPartnerFactory(households_linked=30)
    certified_product(partner=partner)
    PurchaseRecordFactory(quantity=3, unit_price=Decimal("10.00"))
    cache.clear()
    figures = impact_figures()
    assert figures["products"] >= 1
    assert figures["households"] >= 30
    assert figures["sales"] >= Decimal("30.00")
    with django_assert_num_queries(0):
        assert impact_figures() == figures


def test_guides_in_the_back_office_point_to_the_roles_guide(client, home):
    from tests.factories import UserFactory

    supplier = UserFactory(role="supplier")
    client.force_login(supplier)
    html = client.get("/shop/dashboard/").content.decode()
    guide = GuidePage.objects.get(audience="supplier")
    assert f'id="role-guide" href="{guide.url}"' in html


def test_seo_title_and_description_are_used(client, home):
    page = HomePage.objects.get()
    page.seo_title = "消费扶贫商城首页"
    page.search_description = "认定扶贫产品在线选购"
    page.save_revision().publish()
    html = get(client, page)
    assert "<title>消费扶贫商城首页" in html.replace("\n", "").replace("  ", "")
    assert "认定扶贫产品在线选购" in html


def test_the_demo_builds_every_page_type():
    from django.core.management import call_command

    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    home = HomePage.objects.get()
    assert CampaignPage.objects.live().count() >= 1
    assert GuidePage.objects.live().values("audience").distinct().count() == 5
    assert PavilionPage.objects.live().count() >= 1
    assert NewsPage.objects.live().count() >= 3
    assert Page.objects.live().type(HomePage).count() == 1
    assert home.current_campaign() is not None


def captured_sql(client):
    with CaptureQueriesContext(connection) as captured:
        client.get("/")
    return "\n".join(q["sql"][:200] for q in captured.captured_queries)


def test_menu_and_footer_come_from_the_site_settings_and_changes_show_at_once(client, home):
    from cms.models import SiteChrome

    chrome = SiteChrome.for_site(home.get_site())
    chrome.menu = [("link", {"label": "扶贫产品目录", "page": None, "url": "/shop/suppliers/catalogue/"})]
    chrome.report_mailbox = "report@fupin.example.cn"
    chrome.save()
    html = get(client, home)
    assert 'href="/shop/suppliers/catalogue/">扶贫产品目录</a>' in html
    assert "report@fupin.example.cn" in html
    chrome.report_mailbox = "jubao@fupin.example.cn"
    chrome.save()
    assert "jubao@fupin.example.cn" in get(client, home)


def test_campaign_sales_count_paid_public_orders_but_not_unpaid_or_unit_orders(home):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from oscar.test.factories import OrderFactory

    from shop.order import statuses
    from tests.factories import UnitFactory

    campaign = add(
        home,
        CampaignPage(
            title="十月活动", slug="oct", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31), goal_amount="1000"
        ),
    )
    placed = datetime(2026, 10, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    for status, total, unit in (
        (statuses.PAID, "120.00", None),
        (statuses.DELIVERED, "30.00", None),
        (statuses.PENDING, "500.00", None),
        (statuses.CANCELLED, "500.00", None),
        (statuses.PAID, "700.00", UnitFactory()),  # already a purchase record of the unit
    ):
        order = OrderFactory(status=status, total_incl_tax=Decimal(total), unit=unit)
        type(order).objects.filter(pk=order.pk).update(date_placed=placed)
    assert campaign.sales() == Decimal("150.00")


def test_calls_to_action_link_to_their_own_chosen_page_or_address(client, home):
    guides = GuideIndexPage.objects.get()
    news = NewsIndexPage.objects.get()
    campaign = add(
        home,
        CampaignPage(
            title="链接测试",
            slug="t-links",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            goal_amount="100",
            body=[
                ("call_to_action", {"text": "一", "button": "看目录", "page": None, "url": "/shop/catalogue/"}),
                ("call_to_action", {"text": "二", "button": "看指南", "page": guides, "url": ""}),
                ("call_to_action", {"text": "三", "button": "看店铺", "page": None, "url": "/shop/suppliers/"}),
                ("call_to_action", {"text": "四", "button": "看新闻", "page": news, "url": ""}),
                ("call_to_action", {"text": "五", "button": "再看指南", "page": guides, "url": ""}),
            ],
        ),
    )
    html = get(client, campaign)
    links = re.findall(r'<a[^>]*href="([^"]+)"[^>]*>\s*(看目录|看指南|看店铺|看新闻|再看指南)\s*<', html)
    assert links == [
        ("/shop/catalogue/", "看目录"),
        (guides.url, "看指南"),
        ("/shop/suppliers/", "看店铺"),
        (news.url, "看新闻"),
        (guides.url, "再看指南"),
    ]
    # A stream whose calls to action name no page asks nothing for them.
    campaign.body = [("call_to_action", {"text": "一", "button": "看目录", "page": None, "url": "/shop/catalogue/"})]
    with CaptureQueriesContext(connection) as queries:
        assert [block.value["page"] for block in campaign.body] == [None]
    assert not queries.captured_queries
