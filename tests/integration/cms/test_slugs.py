import re

import pytest
from wagtail.models import Page

from cms.models import HomePage, NewsIndexPage
from cms.slugs import pinyin_slug
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    home = HomePage(title="消费扶贫商城", slug="")
    Page.get_first_root_node().add_child(instance=home)
    return home


def test_chinese_text_becomes_its_pinyin():
    assert pinyin_slug("张家界莓茶 2020年") == "zhang-jia-jie-mei-cha-2020-nian"


def test_a_page_with_a_chinese_title_and_no_slug_gets_the_pinyin_of_its_title(home):
    assert home.slug == "xiao-fei-fu-pin-shang-cheng"
    news = home.add_child(instance=NewsIndexPage(title="新闻动态", slug=""))
    assert news.slug == "xin-wen-dong-tai"
    assert news.url_path.endswith("/xin-wen-dong-tai/")


def test_a_slug_typed_in_chinese_is_turned_into_pinyin_and_an_ascii_slug_is_kept(home):
    assert home.add_child(instance=NewsIndexPage(title="新闻动态", slug="新闻")).slug == "xin-wen"
    assert home.add_child(instance=NewsIndexPage(title="新闻动态", slug="news")).slug == "news"


def test_a_sibling_with_the_same_title_gets_a_numbered_slug(home):
    first = home.add_child(instance=NewsIndexPage(title="新闻动态", slug=""))
    second = home.add_child(instance=NewsIndexPage(title="新闻动态", slug=""))
    assert (first.slug, second.slug) == ("xin-wen-dong-tai", "xin-wen-dong-tai-2")


def test_a_page_created_in_the_admin_with_the_slug_left_blank_gets_its_pinyin(client, home):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        f"/cms/pages/add/cms/newsindexpage/{home.pk}/",
        {"title": "乡村振兴动态", "slug": "", "action-publish": "publish"},
    )
    assert response.status_code == 302, re.findall(r'class="error-message">\s*([^<]+)', response.content.decode())
    assert NewsIndexPage.objects.get(title="乡村振兴动态").slug == "xiang-cun-zhen-xing-dong-tai"
