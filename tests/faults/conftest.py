import os

from django.db import connection

from tests.reports_fixtures import (  # noqa: F401 - fixtures
    member,
    township_clerk,
    unit,
    village,
    village_clerk,
)


def worker_env(settings, **extra):
    """The environment of a worker process started by a test: the test's PostgreSQL database, and the test's media and
    private storage folders (an uploaded spreadsheet waits in the private storage, which the worker must read from the
    same place)."""
    params = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{params['NAME']}",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "PRIVATE_MEDIA_ROOT": settings.STORAGES["private"]["OPTIONS"]["location"],
        **extra,
    }
