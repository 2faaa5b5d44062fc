"""Regions, a unit and the people of each role that the reports tests share (imported by their conftest files)."""

import pytest

from accounts import roles
from tests.factories import UnitFactory, UserFactory, region


@pytest.fixture
def village():
    return region("430822101201", "合群村")


@pytest.fixture
def other_village():
    return region("430822102201", "双溪村")


@pytest.fixture
def unit(village):
    unit = UnitFactory(region=region("430822000000", "桑植县"))
    unit.paired_villages.add(village)
    return unit


@pytest.fixture
def member(unit):
    user = UserFactory(role=roles.UNIT)
    unit.members.add(user)
    return user


def official(role, code):
    return UserFactory(role=role, region=region(code))


@pytest.fixture
def village_clerk(village):
    return official(roles.VILLAGE, village.code)


@pytest.fixture
def township_clerk(village):
    return official(roles.TOWNSHIP, village.code[:9])


@pytest.fixture
def county_reviewer(village):
    return official(roles.COUNTY, village.code[:6])


@pytest.fixture
def city_reviewer(village):
    return official(roles.CITY, village.code[:4])
