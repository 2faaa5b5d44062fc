import pytest

from regions.models import Region, level_of_code
from tests.factories import region


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("430000000000", "province"),
        ("430800000000", "city"),
        ("430822000000", "county"),
        ("430822101000", "township"),
        ("430822101201", "village"),
        ("000000000000", None),
    ],
)
def test_the_level_is_read_from_the_code(code, level):
    assert level_of_code(code) == level


@pytest.mark.django_db
def test_a_county_contains_its_villages_and_not_its_neighbours():
    sangzhi = region("430822", "桑植县")
    village = region("430822101201", "合群村")
    cili_village = region("430821101201", "仁和村")
    assert sangzhi.contains(village)
    assert not sangzhi.contains(cili_village)
    assert set(Region.objects.within(sangzhi)) == {sangzhi, village, village.parent}


@pytest.mark.django_db
def test_ancestors_come_from_the_top_down():
    village = region("430822101201", "合群村")
    assert [r.level for r in village.ancestors()] == ["province", "city", "county", "township"]
