"""Wagtail's admin in Chinese where its own catalogues stop: the strings its scripts show, the page search's count, and who
published a page."""

import json
import re

import pytest
from django.test import Client
from django.utils.html import strip_tags
from wagtail.models import PageLogEntry

from accounts import demo as accounts_demo
from accounts.models import User
from cms import demo as cms_demo
from regions import demo as regions_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_accounts():
    regions_demo.load()
    accounts_demo.load()


def test_the_admin_scripts_catalogue_has_the_sidebar_note_in_chinese():
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(email="editor@demo.cn"))
    catalogue = client.get("/cms/jsi18n/").content.decode()
    # The catalogue is JSON inside a script, non-ASCII letters escaped.
    assert json.dumps("（此菜单有 %(number)s 个新项目）") in catalogue
    assert json.dumps("正在自动保存…") in catalogue


def test_the_page_search_counts_its_results_as_pages_in_chinese():
    cms_demo.load()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(User.objects.get(email="editor@demo.cn"))
    for url in ("/cms/pages/search/?q=", "/cms/pages/search/results/?q="):
        text = " ".join(strip_tags(client.get(url).content.decode()).split())
        assert re.search(r"共有 \d+ 个匹配的页面", text)
        assert re.search(r"共 \d+ 个页面，当前第 1-\d+ 个", text)
        assert "None" not in text
        assert "matching" not in text


def test_the_demo_pages_name_the_moderator_who_published_them_in_wagtails_reports():
    cms_demo.load()
    moderator = User.objects.get(email="moderator@demo.cn")
    publications = PageLogEntry.objects.filter(action="wagtail.publish")
    assert publications.exists()
    assert set(publications.values_list("user", flat=True)) == {moderator.pk}
