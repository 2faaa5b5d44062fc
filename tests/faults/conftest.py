from tests.reports_fixtures import (  # noqa: F401 - fixtures
    member,
    township_clerk,
    unit,
    village,
    village_clerk,
)
