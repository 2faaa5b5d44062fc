from tests.reports_fixtures import member, unit, village  # noqa: F401 - fixtures
