"""Django's admin (/django-admin/) fits a desktop screen: a row of inline forms scrolls sideways in its own box at every
width, as Django's own stylesheet lets it only below 1024 px, so a product's thirteen attribute-value columns no longer
widen the page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def rules_outside_media_queries(css):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*{(?:[^{}]*{[^{}]*})*[^{}]*}", "", css)
    return {selector.strip(): body for selector, body in re.findall(r"([^{}]+){([^{}]*)}", css)}


def test_the_product_page_in_django_admin_loads_the_sites_admin_stylesheet_and_icon(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:catalogue_product_add")).content.decode()
    assert 'id="attribute_values-group"' in html and 'data-inline-type="tabular"' in html
    assert re.search(r'<link rel="stylesheet" href="/static/css/admin\.css">', html)
    assert re.search(r'<link rel="icon" [^>]*href="/static/img/logo\.svg">', html)


def test_the_admin_stylesheet_lets_inline_forms_scroll_in_their_own_box_at_every_width():
    path = finders.find("css/admin.css")
    assert path, "static/css/admin.css is missing"
    rules = rules_outside_media_queries(open(path, encoding="utf-8").read())
    assert re.search(r"overflow-x:\s*auto", rules[".inline-group"])
