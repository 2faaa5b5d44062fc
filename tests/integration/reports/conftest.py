from tests.reports_fixtures import (  # noqa: F401 - fixtures
    city_reviewer,
    county_reviewer,
    member,
    other_village,
    township_clerk,
    unit,
    village,
    village_clerk,
)
