import pytest
from wagtail.models import Locale, Page, Site

from cms import demo as cms_demo

pytestmark = pytest.mark.django_db


def test_the_home_page_is_rebuilt_on_an_emptied_page_tree(client):
    Site.objects.all().delete()
    Page.objects.all().delete()
    Locale.objects.all().delete()

    home = cms_demo.load()

    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert "买一份特产" in client.get("/").content.decode()
    assert cms_demo.load().pk == home.pk
