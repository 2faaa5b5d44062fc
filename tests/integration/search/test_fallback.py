"""When Elasticsearch is configured but cannot be reached, the database index answers and says so; writes that
update the index never fail because of it."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from search.backends import SearchQuery, fallback_backend, get_backend
from search.backends.elasticsearch import ElasticsearchBackend
from tests.factories import Category, ProductCategory, certified_product

pytestmark = pytest.mark.django_db

NOTICE = "搜索服务暂时不可用，结果由数据库提供，可能不完整"


@pytest.fixture
def elasticsearch_away(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    settings.ELASTICSEARCH_TIMEOUT = 0.5


def test_search_catalogue_and_category_pages_answer_from_the_database_with_a_notice(client, elasticsearch_away):
    tea = certified_product(title="桑植白茶")
    drinks = Category.add_root(name="茶饮")
    ProductCategory.objects.create(product=tea, category=drinks)
    for url in (reverse("search:search") + "?q=白茶", reverse("catalogue:index"), drinks.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert NOTICE in body, url
        assert "桑植白茶" in body, url


def test_suggestions_come_from_the_database_when_elasticsearch_is_away(client, elasticsearch_away):
    certified_product(title="保靖黄金茶")
    response = client.get(reverse("search:suggest") + "?q=黄金")
    assert response.status_code == 200
    assert response.json()["suggestions"] == ["保靖黄金茶"]


def test_a_product_saved_while_elasticsearch_is_away_is_saved_and_found_through_the_fallback(
    elasticsearch_away, django_capture_on_commit_callbacks
):
    assert isinstance(get_backend(), ElasticsearchBackend)
    with django_capture_on_commit_callbacks(execute=True):
        tea = certified_product(title="湘西猕猴桃")
        tea.title = "湘西红心猕猴桃"
        tea.save()
    tea.refresh_from_db()
    assert tea.title == "湘西红心猕猴桃"
    assert fallback_backend().search(SearchQuery(text="红心")).product_ids == [tea.pk]


def test_index_updates_left_waiting_by_a_cluster_that_was_away_succeed_once_it_is_no_longer_configured(
    settings, elasticsearch_away, django_capture_on_commit_callbacks, run_tasks
):
    # Updates the cluster refused wait to be sent again; a worker started meanwhile without ELASTICSEARCH_URL ran them
    # on the database index and failed each with AttributeError for the operator. That index is written in the
    # change's own transaction: there is nothing left to send.
    with django_capture_on_commit_callbacks(execute=True):
        certified_product(title="桑植白茶")
    settings.ELASTICSEARCH_URL = ""
    run_tasks()
    sends = DBTaskResult.objects.filter(task_path="search.tasks.search_send")
    assert sends.exists()
    assert not sends.exclude(status="SUCCESSFUL").exists()
