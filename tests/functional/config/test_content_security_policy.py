import re

import pytest

from tests.factories import certified_product

pytestmark = pytest.mark.django_db


def directives(response):
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())


def test_a_shop_page_allows_only_its_own_scripts_and_the_inline_one_carrying_the_requests_nonce(client):
    product = certified_product()
    response = client.get(product.get_absolute_url())
    policy = directives(response)
    nonce = re.fullmatch(r"'self' 'nonce-([^']+)'", policy["script-src"]).group(1)
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    html = response.content.decode()
    assert f'<script nonce="{nonce}">' in html
    assert not re.search(r"<script(?! src=| nonce=)", html)
    assert "https://" not in " ".join(re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html))


def test_each_request_gets_a_new_nonce(client):
    first = directives(client.get("/shop/catalogue/"))["script-src"]
    second = directives(client.get("/shop/catalogue/"))["script-src"]
    assert first != second


def test_wagtails_admin_keeps_the_policy_but_runs_its_inline_scripts(client):
    policy = directives(client.get("/cms/login/"))
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["default-src"] == "'self'" and policy["img-src"] == "'self' data: blob:"
