import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = ROOT / "config" / "settings" / "production.py"
SECRETS = {
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "shop.example.cn",
    "DATABASE_URL": "postgres://u:p@db:5432/xfbsc",
    "REDIS_URL": "redis://redis:6379/0",
    "EMAIL_URL": "smtp+tls://u:p@smtp.example.cn:587",
    "WAGTAILADMIN_BASE_URL": "https://shop.example.cn",
}


def _import_production(env):
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith("DJANGO_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_its_secret_key():
    result = _import_production({k: v for k, v in SECRETS.items() if k != "DJANGO_SECRET_KEY"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    result = _import_production({k: v for k, v in SECRETS.items() if k != "DATABASE_URL"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_starts_with_every_secret_given():
    result = _import_production(SECRETS)
    assert result.returncode == 0, result.stderr


def _production_database(env):
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith("DJANGO_")}
    clean.pop("PREPARE_THRESHOLD", None)
    clean.update(SECRETS, **env, DJANGO_SETTINGS_MODULE="config.settings.production")
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['OPTIONS'], d['CONN_MAX_AGE'])"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_prepares_repeated_statements_on_postgresql_unless_turned_off():
    assert _production_database({}) == "{'server_side_binding': True, 'prepare_threshold': 5} 60"
    assert _production_database({"PREPARE_THRESHOLD": "0"}) == "{} 60"


def _required_variables():
    source = PRODUCTION.read_text()
    return set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"\)', source))


def test_the_compose_file_gives_the_web_service_every_variable_production_requires():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())
    web_env = compose["services"]["web"]["environment"]
    required = _required_variables()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= required
    assert required <= set(web_env)
    assert {"db", "redis", "elasticsearch", "web"} <= set(compose["services"])
    assert web_env["ELASTICSEARCH_URL"].startswith("http://elasticsearch")


def _production_private_storage(env):
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS and not k.startswith(("DJANGO_", "PRIVATE_"))}
    clean.update(SECRETS, **env, DJANGO_SETTINGS_MODULE="config.settings.production")
    code = (
        "from django.conf import settings; from django.core.files.storage import storages; "
        "s = storages['private']; print(type(s).__name__, settings.PRIVATE_MEDIA_X_ACCEL_REDIRECT or '-', "
        "getattr(s, 'default_acl', '-'), getattr(s, 'querystring_auth', '-'), getattr(s, 'querystring_expire', '-'), "
        "getattr(s, 'bucket_name', '-'))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_keeps_private_files_on_the_file_system_without_a_bucket():
    result = _production_private_storage({"PRIVATE_MEDIA_X_ACCEL_REDIRECT": "/protected/"})
    assert result == "PrivateFileSystemStorage /protected/ - - - -"


def test_production_keeps_private_files_in_a_private_bucket_with_short_signed_addresses_when_one_is_named():
    result = _production_private_storage(
        {"PRIVATE_STORAGE_BUCKET": "xfbsc-evidence", "PRIVATE_MEDIA_X_ACCEL_REDIRECT": "/protected/"}
    )
    assert result == "S3Storage - private True 60 xfbsc-evidence"
