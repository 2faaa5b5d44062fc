"""Product and home pages: what changes, and who is looking, shows at once."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.core.loading import get_model

from cms import demo as cms_demo
from cms.models import CampaignPage, HomePage
from suppliers import services
from tests.factories import UserFactory, certified_product

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
ProductAlert = get_model("customer", "ProductAlert")
PRODUCT_PAGE_QUERIES = 14


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_repeated_product_page_looks_the_same_in_few_queries(client, django_assert_max_num_queries):
    product = certified_product(title="桑植白茶 明前", price="128.00")
    first = html(client, product.get_absolute_url())
    with django_assert_max_num_queries(PRODUCT_PAGE_QUERIES) as captured:
        again = html(client, product.get_absolute_url())
    writes = [q["sql"] for q in captured.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    # The view is counted by a task once the page is answered (shop.analytics): the page itself writes nothing.
    assert writes == []
    assert "¥128.00" in again and "certification-badge" in again
    # The visitor's masked CSRF token and the CSP nonce change with every page.
    strip = re.compile(r'value="[^"]{64}"|nonce="[^"]+"')
    assert strip.sub("", first) == strip.sub("", again)


def test_running_out_of_stock_and_revocation_show_on_the_product_page_at_once(client):
    product = certified_product(title="保靖黄金茶", stock=3)
    assert 'id="add_to_basket_form"' in html(client, product.get_absolute_url())
    stockrecord = product.stockrecords.get()
    stockrecord.num_in_stock = 0
    stockrecord.save()
    body = html(client, product.get_absolute_url())
    assert 'id="add_to_basket_form"' not in body and 'id="alert_form"' in body

    stockrecord.num_in_stock = 3
    stockrecord.save()
    assert 'id="add_to_basket_form"' in html(client, product.get_absolute_url())
    certification = product.certifications.get()
    reviewer = UserFactory(role="county", region=certification.certifying_office)
    services.certification_revoke(certification=certification, reviewer=reviewer, reason="抽检不合格")
    body = html(client, product.get_absolute_url())
    assert 'id="add_to_basket_form"' not in body and "certification-badge" not in body


def test_each_visitor_can_add_to_the_basket_from_the_product_page_with_their_own_token():
    product = certified_product(title="湘西猕猴桃")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        body = html(client, product.get_absolute_url())
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1))
    assert tokens[0] != tokens[1]
    response = second.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1, "csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert Basket.objects.filter(lines__product=product).exists()


def test_what_depends_on_the_visitor_is_not_shared(client):
    product = certified_product(title="桑植白茶", stock=0)
    staff = UserFactory(is_staff=True, is_superuser=True)  # staff who may open the product's back-office page
    client.force_login(staff)
    as_staff = html(client, product.get_absolute_url())
    assert "Edit this product" in as_staff or "编辑此商品" in as_staff or "/dashboard/catalogue/products/" in as_staff
    buyer = UserFactory(role="buyer")
    ProductAlert.objects.create(product=product, user=buyer, status=ProductAlert.ACTIVE)
    client.force_login(buyer)
    as_buyer = html(client, product.get_absolute_url())
    assert "/dashboard/catalogue/products/" not in as_buyer
    assert 'id="alert_form"' not in as_buyer  # this buyer already asked to be told
    client.logout()
    anonymous = html(client, product.get_absolute_url())
    assert "/dashboard/catalogue/products/" not in anonymous
    assert 'id="alert_form"' in anonymous and 'name="email"' in anonymous  # a visitor gives an address


@pytest.fixture
def home():
    return cms_demo.load()


def test_a_published_home_page_change_shows_at_once(client, home):
    html(client, "/")
    home = HomePage.objects.get()
    home.body = [("paragraph", "<p>一份特产 一份心意</p>")]
    home.save_revision().publish()
    assert "一份特产 一份心意" in html(client, "/")


def test_a_new_campaign_replaces_the_hero_at_once(client, home):
    html(client, "/")
    today = timezone.localdate()
    campaign = CampaignPage(title="年货节消费扶贫专场", slug="nianhuo", starts_on=today, ends_on=today)
    HomePage.objects.get().add_child(instance=campaign)
    campaign.save_revision().publish()
    hero = html(client, "/").split('id="impact"')[0]
    assert "年货节消费扶贫专场" in hero
    campaign.unpublish()
    assert "年货节消费扶贫专场" not in html(client, "/").split('id="impact"')[0]


def test_the_home_page_does_not_count_the_live_pages_on_every_visit(client, home):
    html(client, "/")
    with CaptureQueriesContext(connection) as visit:
        html(client, "/")
    assert not [q["sql"] for q in visit.captured_queries if "COUNT(" in q["sql"] and "wagtailcore_page" in q["sql"]]


def test_news_deleted_or_moved_away_leaves_the_home_page_at_once(client, home):
    from cms.models import NewsIndexPage, NewsPage

    news = NewsPage.objects.live().order_by("-date").first()
    assert news.title in html(client, "/")
    news.delete()
    assert news.title not in html(client, "/")

    other = NewsPage.objects.live().order_by("-date").first()
    assert other.title in html(client, "/")
    other.title = "湘西州消费扶贫月启动"
    other.save_revision().publish()
    assert "湘西州消费扶贫月启动" in html(client, "/")
    HomePage.objects.get().add_child(instance=NewsIndexPage(title="旧闻", slug="jiuwen"))
    other.move(NewsIndexPage.objects.get(slug="jiuwen"), pos="last-child")
    # Still live, still news: the move is seen (the cached list is drawn again), and the title still shows.
    assert "湘西州消费扶贫月启动" in html(client, "/")


def test_an_editor_viewing_a_draft_sees_the_draft_and_visitors_the_published_page(client, home):
    for campaign in CampaignPage.objects.live():
        campaign.unpublish()
    assert "草稿标题" not in html(client, "/")
    home = HomePage.objects.get()
    home.hero_title = "草稿标题"
    home.hero_campaign = None
    home.save_revision()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/cms/pages/{home.pk}/view_draft/")
    assert response.status_code == 200
    assert "草稿标题" in response.content.decode()
    assert "草稿标题" not in html(Client(), "/")


def test_the_site_follows_a_change_of_its_root_page_at_once(client, home):
    from wagtail.models import Site

    from cms.models import NewsIndexPage

    assert 'id="hero"' in html(client, "/")
    site = Site.objects.get(is_default_site=True)
    site.root_page = NewsIndexPage.objects.get()
    site.save()
    assert 'id="hero"' not in html(client, "/")


def test_a_product_with_recommendations_shows_them_and_one_without_does_not_ask(client):
    ProductRecommendation = get_model("catalogue", "ProductRecommendation")
    tea = certified_product(title="桑植白茶 明前")
    honey = certified_product(title="武陵山蜂蜜")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    html(client, tea.get_absolute_url())
    with CaptureQueriesContext(connection) as captured:
        assert "武陵山蜂蜜" not in html(client, tea.get_absolute_url())
    assert not any("productrecommendation" in q["sql"] for q in captured.captured_queries[1:])

    ProductRecommendation.objects.create(primary=tea, recommendation=honey, ranking=1)
    assert "武陵山蜂蜜" in html(client, tea.get_absolute_url())
