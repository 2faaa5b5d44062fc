"""爱心关注: a buyer follows regions and sees their new products and pavilion news."""

import pytest
from django.utils import timezone

from cms import demo as cms_demo
from cms.models import NewsIndexPage, NewsPage, RegionFollow
from tests.factories import CertifiedPartnerFactory, UserFactory, certified_product, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def buyer():
    return UserFactory(role="buyer")


@pytest.fixture
def places():
    cms_demo.load()
    sangzhi = region("430822000000", "桑植县")
    baojing = region("433125000000", "保靖县")
    tea = certified_product(
        partner=CertifiedPartnerFactory(region=region("430822101201", "合群村")), title="桑植白茶 新茶"
    )
    gold = certified_product(
        partner=CertifiedPartnerFactory(region=region("433125101201", "黄金村")), title="保靖黄金茶 新茶"
    )
    index = NewsIndexPage.objects.get()
    for title, place in (("桑植县茶园开采", sangzhi), ("保靖县茶叶节", baojing)):
        news = NewsPage(title=title, slug=f"n-{place.code[:6]}", region=place, date=timezone.localdate())
        index.add_child(instance=news)
        news.save_revision().publish()
    return {"sangzhi": sangzhi, "baojing": baojing, "tea": tea, "gold": gold}


def test_a_buyer_follows_a_county_and_sees_its_new_products_and_news(client, buyer, places):
    client.force_login(buyer)
    response = client.post("/following/430822000000/follow/", {"next": "/following/"})
    assert response.status_code == 302
    html = client.get("/following/").content.decode()
    assert "桑植县" in html
    assert "桑植白茶 新茶" in html and "桑植县茶园开采" in html
    assert "保靖黄金茶 新茶" not in html and "保靖县茶叶节" not in html


def test_following_twice_keeps_one_row_and_unfollowing_removes_it(client, buyer, places):
    client.force_login(buyer)
    client.post("/following/430822000000/follow/")
    client.post("/following/430822000000/follow/")
    assert RegionFollow.objects.filter(user=buyer).count() == 1
    client.post("/following/430822000000/unfollow/")
    assert not RegionFollow.objects.filter(user=buyer).exists()
    assert "桑植白茶 新茶" not in client.get("/following/").content.decode()


def test_regions_are_followed_down_to_the_township_not_a_village(client, buyer, places):
    region("430822101000", "瑞塔铺镇")
    client.force_login(buyer)
    client.post("/following/430822101000/follow/")
    response = client.post("/following/430822101201/follow/", follow=True)
    assert "最多可关注到乡镇一级" in response.content.decode()
    assert list(RegionFollow.objects.values_list("region__code", flat=True)) == ["430822101000"]


def test_an_anonymous_visitor_cannot_follow_and_is_sent_to_sign_in(client, places):
    response = client.post("/following/430822000000/follow/")
    assert response.status_code == 302
    assert "/shop/accounts/login/" in response["Location"]
    assert not RegionFollow.objects.exists()
    assert "/shop/accounts/login/" in client.get("/following/")["Location"]


def test_following_is_only_by_post(client, buyer, places):
    client.force_login(buyer)
    assert client.get("/following/430822000000/follow/").status_code == 405
    assert not RegionFollow.objects.exists()


def test_one_buyer_cannot_remove_anothers_follow(client, buyer, places):
    other = UserFactory(role="buyer")
    RegionFollow.objects.create(user=other, region=places["sangzhi"])
    client.force_login(buyer)
    client.post("/following/430822000000/unfollow/")
    assert RegionFollow.objects.filter(user=other).exists()


def test_the_follow_button_is_on_the_pavilion(client, buyer, places):
    from cms.models import PavilionPage

    pavilion = PavilionPage(title="桑植县专馆", slug="p-sangzhi", region=places["sangzhi"])
    from cms.models import HomePage

    HomePage.objects.get().add_child(instance=pavilion)
    pavilion.save_revision().publish()
    assert "登录后关注" in client.get(pavilion.url).content.decode()
    client.force_login(buyer)
    assert 'action="/following/430822000000/follow/"' in client.get(pavilion.url).content.decode()


def test_a_followed_pavilion_says_so_and_its_button_unfollows(client, buyer, places):
    from cms.models import HomePage, PavilionPage

    pavilion = PavilionPage(title="桑植县专馆", slug="p-sangzhi", region=places["sangzhi"])
    HomePage.objects.get().add_child(instance=pavilion)
    pavilion.save_revision().publish()
    client.force_login(buyer)

    client.post("/following/430822000000/follow/", {"next": pavilion.url})
    page = client.get(pavilion.url).content.decode()
    assert "已关注" in page and "取消关注" in page
    assert 'action="/following/430822000000/unfollow/"' in page

    client.post("/following/430822000000/unfollow/", {"next": pavilion.url})
    page = client.get(pavilion.url).content.decode()
    assert "已关注" not in page
    assert 'action="/following/430822000000/follow/"' in page
    assert not RegionFollow.objects.filter(user=buyer).exists()
