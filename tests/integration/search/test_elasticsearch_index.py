import json

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from elastic_transport import (
    ApiResponseMeta,
    ConnectionError,
    HeadApiResponse,
    HttpHeaders,
    ListApiResponse,
    NodeConfig,
    ObjectApiResponse,
)
from elasticsearch import Elasticsearch

from search.backends.elasticsearch import ElasticsearchBackend
from tests.factories import ProductFactory, certified_product

pytestmark = pytest.mark.django_db


class RecordingElasticsearch(Elasticsearch):
    """The real client, with the HTTP layer replaced by a recorder that answers like a cluster would."""

    def __init__(self, hosts="http://elasticsearch.invalid:9200", plugins=None, existing_indices=None, **kwargs):
        super().__init__(hosts, **kwargs)
        # options() builds a copy of the client around the same transport: keep one record for all copies.
        if not hasattr(self.transport, "recorded"):
            self.transport.recorded = []
            self.transport.plugins = list(plugins or ())
            self.transport.existing = list(existing_indices or ())

    @property
    def calls(self):
        return self.transport.recorded

    def perform_request(self, method, path, *, params=None, headers=None, body=None, **kwargs):
        transport = self.transport
        if isinstance(body, (bytes, str)):
            body = body.decode() if isinstance(body, bytes) else body
        transport.recorded.append((method, path, body))
        meta = ApiResponseMeta(
            status=200, http_version="1.1", headers=HttpHeaders(), duration=0.0, node=NodeConfig("http", "x", 9200)
        )
        if method == "HEAD":
            status = 200 if transport.existing else 404
            return HeadApiResponse(
                meta=ApiResponseMeta(status, "1.1", HttpHeaders(), 0.0, NodeConfig("http", "x", 9200))
            )
        if path == "/_cat/plugins":
            return ListApiResponse(body=[{"component": p} for p in transport.plugins], meta=meta)
        if path.endswith("/_bulk"):
            lines = body if isinstance(body, list) else [json.loads(x) for x in str(body).splitlines() if x]
            items = [
                {next(iter(line)): {"status": 201, "_id": line[next(iter(line))].get("_id")}}
                for line in lines
                if next(iter(line)) in ("index", "delete", "create", "update")
            ]
            return ObjectApiResponse(body={"errors": False, "took": 1, "items": items}, meta=meta)
        if path.startswith("/_alias/"):
            return ObjectApiResponse(body={name: {"aliases": {}} for name in transport.existing}, meta=meta)
        if path.endswith("/_count"):
            return ObjectApiResponse(body={"count": 1}, meta=meta)
        return ObjectApiResponse(body={"acknowledged": True}, meta=meta)


def test_rebuilding_builds_a_new_index_moves_the_alias_and_drops_the_old_index(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = "shop-"
    certified_product(title="桑植白茶")
    ProductFactory(title="未认定的茶")
    client = RecordingElasticsearch(plugins=["analysis-smartcn"], existing_indices=["shop-products-old"])

    ElasticsearchBackend(client=client).rebuild()

    steps = [(method, path) for method, path, _body in client.calls]
    new_index = next(path for method, path in steps if method == "PUT" and path.startswith("/shop-products-"))[1:]
    assert steps == [
        ("GET", "/_cat/plugins"),
        ("PUT", f"/{new_index}"),
        ("PUT", "/_bulk"),
        ("POST", f"/{new_index}/_refresh"),
        ("HEAD", "/_alias/shop-products"),
        ("GET", "/_alias/shop-products"),
        ("POST", "/_aliases"),
        ("DELETE", "/shop-products-old"),
        ("POST", "/shop-products/_count"),
    ]
    create_body = client.calls[1][2]
    assert create_body["settings"]["analysis"]["analyzer"]["chinese"]["tokenizer"] == "smartcn_tokenizer"
    alias_actions = client.calls[6][2]["actions"]
    assert alias_actions == [
        {"remove": {"index": "shop-products-old", "alias": "shop-products"}},
        {"add": {"index": new_index, "alias": "shop-products"}},
    ]


def test_without_the_smartcn_plugin_the_index_uses_cjk_bigrams(settings):
    client = RecordingElasticsearch(plugins=[])
    ElasticsearchBackend(client=client).rebuild()
    create_body = client.calls[1][2]
    assert "cjk_bigram" in create_body["settings"]["analysis"]["analyzer"]["chinese"]["filter"]


class RecordingBackend(ElasticsearchBackend):
    """The backend the worker builds from the settings, talking to one recorder shared by the whole test."""

    client_used = None

    def __init__(self):
        super().__init__(client=RecordingBackend.client_used)


def use_client(settings, client):
    RecordingBackend.client_used = client
    # get_backend() keeps one backend per address: a new address makes the worker build one around this client.
    settings.ELASTICSEARCH_URL = f"http://es-{id(client)}.invalid:9200"
    return client


@pytest.fixture
def recording_backend(settings):
    settings.SEARCH_BACKEND = f"{__name__}.RecordingBackend"
    return use_client(settings, RecordingElasticsearch())


def test_index_updates_are_sent_by_the_worker_only_after_the_transaction_commits(
    recording_backend, django_capture_on_commit_callbacks, run_tasks
):
    product = certified_product(title="保靖黄金茶")
    recording_backend.calls.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        RecordingBackend().update([product.pk])
    assert run_tasks() == 0
    callbacks[0]()
    assert recording_backend.calls == []
    run_tasks()
    assert [(method, path) for method, path, _ in recording_backend.calls] == [("PUT", "/_bulk")]


def test_a_rolled_back_change_sends_nothing_to_the_index(
    recording_backend, django_capture_on_commit_callbacks, run_tasks
):
    product = certified_product(title="保靖黄金茶")
    recording_backend.calls.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        RecordingBackend().update([product.pk])
        raise RuntimeError("the save failed")
    run_tasks()
    assert recording_backend.calls == []


class UnreachableElasticsearch(RecordingElasticsearch):
    def perform_request(self, method, path, **kwargs):
        if path.endswith("/_bulk"):
            self.transport.recorded.append((method, path, None))
            raise ConnectionError("Connection refused")
        return super().perform_request(method, path, **kwargs)


def test_an_update_the_cluster_could_not_take_is_tried_again_later(
    recording_backend, settings, django_capture_on_commit_callbacks, run_tasks
):
    product = certified_product(title="保靖黄金茶")
    use_client(settings, UnreachableElasticsearch())
    with django_capture_on_commit_callbacks(execute=True):
        RecordingBackend().update([product.pk])
    run_tasks()
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"product_ids": [product.pk], "attempt": 2}
    assert retry.run_after > timezone.now()

    back = use_client(settings, RecordingElasticsearch())
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_tasks()
    assert [(method, path) for method, path, _ in back.calls] == [("PUT", "/_bulk")]
