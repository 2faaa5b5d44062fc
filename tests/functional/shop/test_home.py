import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_demo_home_page_is_chinese_and_links_to_the_shop(client):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in body
    assert "买一份特产，帮一户农家" in body
    assert "/shop/catalogue/" in body
    # The editor's picks are two a row on a phone, like the catalogue's cards.
    picks = body[body.index('<ol class="row list-unstyled product-grid">') :]
    assert picks[: picks.index("</ol>")].count('<li class="col-6 col-md-4 col-lg-3">') >= 2


def test_the_liveness_check_answers_without_asking_any_dependency(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
