import pytest
from django.core.management import CommandError, call_command

from regions.models import Region

pytestmark = pytest.mark.django_db

GOOD = "code,name,parent_code\n430000000000,湖南省,\n430800000000,张家界市,430000000000\n430822000000,桑植县,430800000000\n430822101000,瑞塔铺镇,430822000000\n"


def test_a_county_table_loads_with_its_tree(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("load_regions", str(path))
    township = Region.objects.get(code="430822101000")
    assert township.level == "township"
    assert township.parent.name == "桑植县"


def test_one_bad_row_loads_nothing_and_names_the_row(tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(GOOD + "4308229,坏行,430822000000\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("load_regions", str(path))
    assert "6" in str(excinfo.value)
    assert not Region.objects.exists()
