"""The address picker's endpoint: the regions directly under one, down to the township, from the official code list."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions import demo as regions_demo
from regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def hunan():
    regions_demo.load()
    regions_demo.load_code_list()


def names(response):
    assert response.status_code == 200
    return [region["name"] for region in response.json()["regions"]]


def test_the_shipped_code_list_loads_hunan_with_its_official_codes(hunan):
    assert Region.objects.get(code="430100000000").name == "长沙市"
    assert Region.objects.get(code="431181000000").parent.code == "431100000000"
    assert Region.objects.filter(level="city", parent__code="430000000000").count() == 14


def test_the_code_list_loads_through_the_command_and_again_changes_nothing(tmp_path):
    call_command("load_regions", str(regions_demo.HUNAN_CODE_LIST))
    count = Region.objects.count()
    call_command("load_regions", str(regions_demo.HUNAN_CODE_LIST))
    assert Region.objects.count() == count


def test_province_city_county_township_each_list_their_children_in_code_order(client, hunan):
    assert names(client.get("/shop/regions/children/")) == ["湖南省"]
    cities = names(client.get("/shop/regions/430000000000/children/"))
    assert cities[0] == "长沙市" and "张家界市" in cities and cities[-1] == "湘西土家族苗族自治州"
    assert names(client.get("/shop/regions/430800000000/children/")) == ["永定区", "武陵源区", "慈利县", "桑植县"]
    assert names(client.get("/shop/regions/430822000000/children/")) == ["瑞塔铺镇", "洪家关白族乡"]


def test_villages_are_not_offered_and_an_unknown_code_is_not_found(client, hunan):
    # The township's villages are written in the street address.
    assert names(client.get("/shop/regions/430822101000/children/")) == []
    assert client.get("/shop/regions/430822101201/children/").status_code == 404
    assert client.get("/shop/regions/999999999999/children/").status_code == 404


def test_children_are_answered_from_the_cache_after_the_first_time(client, hunan, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/shop/regions/430800000000/children/")
    with django_assert_max_num_queries(0):
        response = client.get("/shop/regions/430800000000/children/")
    assert "max-age=3600" in response["Cache-Control"]


def test_only_get_is_answered(client, hunan):
    assert client.post("/shop/regions/430800000000/children/").status_code == 405


@pytest.mark.parametrize("code", ["A" * 300, "%0A%0D", "4308", "43080000000０", "430800000000%20"])
def test_a_code_that_is_not_twelve_digits_is_not_found_without_a_lookup_or_a_cache_key(client, hunan, code, recwarn):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/shop/regions/{code}/children/").status_code == 404
    assert not [query for query in queries.captured_queries if "regions_region" in query["sql"]]
    assert not [warning for warning in recwarn if warning.category.__name__ == "CacheKeyWarning"]
