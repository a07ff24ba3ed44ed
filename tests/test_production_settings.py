"""Production settings refuse what would be unsafe to run: run as the
deployment runs them, in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "kP3v9Qx2LmT7wZr5Yb8Nc1Hd4Jf6Gs0Ae2Ui9Ko7Lp3Mq5Rt8Sv1Xw4Zy6Ba0Cd2Ef"


def run_production(*args, secret_key, tmp_path, **overrides):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rehab.settings.production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "kinetic.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production-check.sqlite3'}",
        # Never contacted by `check`.
        "REDIS_URL": "redis://127.0.0.1:1/0",
        **overrides,
    }
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("secret_key", ["", "   ", "change-me-to-a-long-random-string", "short-but-not-empty"])
def test_production_refuses_to_start_without_a_real_secret_key(secret_key, tmp_path):
    result = run_production("check", secret_key=secret_key, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set to a long random value" in result.stderr


def test_production_starts_with_a_real_secret_key(tmp_path):
    result = run_production("check", secret_key=GOOD_KEY, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_seed_demo_refuses_to_run_under_production_settings(tmp_path):
    result = run_production("seed_demo", secret_key=GOOD_KEY, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "seed_demo refuses to run under production settings" in result.stderr
    assert "Created the demo clinic" not in result.stdout


@pytest.mark.parametrize(("unset", "message"), [
    ("DATABASE_URL", "DATABASE_URL must be set in production"),
    ("REDIS_URL", "REDIS_URL must be set in production"),
])
@pytest.mark.parametrize("value", ["", None])
def test_production_refuses_to_fall_back_to_sqlite_or_in_process_tasks(unset, message, value, tmp_path, monkeypatch):
    monkeypatch.delenv(unset, raising=False)
    result = run_production("check", secret_key=GOOD_KEY, tmp_path=tmp_path, **{unset: value})
    assert result.returncode != 0
    assert message in result.stderr.strip().splitlines()[-1], "one line says what to set"


def test_production_refuses_the_example_database_password(tmp_path):
    result = run_production("check", secret_key=GOOD_KEY, tmp_path=tmp_path,
                            DATABASE_URL="postgres://kinetic:change-me@db:5432/kinetic")
    assert result.returncode != 0
    assert "The database password in DATABASE_URL is a placeholder" in result.stderr


def test_production_reports_errors_to_sentry_only_when_a_dsn_is_set(tmp_path):
    script = ("import django; django.setup(); import sentry_sdk; "
              "print('active' if sentry_sdk.get_client().is_active() else 'inactive')")
    for dsn, expected in (("", "inactive"), ("https://public@127.0.0.1:9/1", "active")):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rehab.settings.production", "SECRET_KEY": GOOD_KEY,
               "ALLOWED_HOSTS": "kinetic.example.org", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
               "REDIS_URL": "redis://127.0.0.1:1/0", "SENTRY_DSN": dsn}
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                                timeout=120)
        assert result.stdout.strip() == expected, result.stderr


def test_sentry_events_carry_no_portal_token():
    from rehab.observability import scrub_event

    event = {"request": {"url": "https://k.example.org/p/SECRETTOKEN123/report/"},
             "breadcrumbs": {"values": [{"message": "GET /p/SECRETTOKEN123/"}]}}
    assert "SECRETTOKEN123" not in repr(scrub_event(event))


ENV_FILE_PROBE = """
import environ, sys
read = []
environ.Env.read_env = classmethod(lambda cls, path=None, **kwargs: read.append(str(path)))
import importlib
try:
    importlib.import_module(sys.argv[1])
except Exception as error:
    print("error", type(error).__name__)
print("read", read)
"""


@pytest.mark.parametrize("module", ["rehab.settings.local", "rehab.settings.test"])
def test_the_quick_start_and_the_tests_never_read_the_deployment_env_file(module):
    result = subprocess.run([sys.executable, "-c", ENV_FILE_PROBE, module], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**os.environ, "DJANGO_SETTINGS_MODULE": module})
    assert "read []" in result.stdout, result.stdout + result.stderr


def test_production_settings_read_the_deployment_env_file():
    result = subprocess.run([sys.executable, "-c", ENV_FILE_PROBE, "rehab.settings.production"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert f"read ['{ROOT / '.env'}']" in result.stdout, result.stdout + result.stderr


DATABASE_SETTINGS_PROBE = """
import django, json
django.setup()
from django.db import connections
database = connections["default"].settings_dict
print(json.dumps([database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]]))
"""


def database_settings(module, tmp_path, **overrides):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": module, "SECRET_KEY": GOOD_KEY,
           "ALLOWED_HOSTS": "kinetic.example.org", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
           "REDIS_URL": "redis://127.0.0.1:1/0", **overrides}
    env = {key: value for key, value in env.items() if value is not None}
    result = subprocess.run([sys.executable, "-c", DATABASE_SETTINGS_PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_keeps_database_connections_with_health_checks(tmp_path):
    assert database_settings("rehab.settings.production", tmp_path,
                             CONN_MAX_AGE=None, CONN_HEALTH_CHECKS=None) == [60, True]


def test_production_database_connection_settings_come_from_the_environment(tmp_path):
    assert database_settings("rehab.settings.production", tmp_path,
                             CONN_MAX_AGE="0", CONN_HEALTH_CHECKS="false") == [0, False]


def test_the_quick_start_opens_a_connection_per_request(tmp_path):
    assert database_settings("rehab.settings.local", tmp_path, DATABASE_URL=None,
                             CONN_MAX_AGE=None, CONN_HEALTH_CHECKS=None) == [0, False]


def _production_value(tmp_path, expression, **overrides):
    script = f"import django, json; django.setup(); from django.conf import settings; print(json.dumps({expression}))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rehab.settings.production", "SECRET_KEY": GOOD_KEY,
           "ALLOWED_HOSTS": "kinetic.example.org", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
           "REDIS_URL": "redis://127.0.0.1:1/0", **overrides}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    return result


def test_production_stores_pictures_in_the_media_volume_by_default(tmp_path):
    result = _production_value(tmp_path, "[settings.STORAGES['default']['BACKEND'], str(settings.MEDIA_ROOT), "
                                         "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]")
    assert json.loads(result.stdout) == ["django.core.files.storage.FileSystemStorage", "/app/media",
                                         ["'self'", "data:"]], result.stderr


def test_production_stores_pictures_in_an_s3_compatible_bucket_and_lets_pages_show_them(tmp_path):
    script = ("[settings.STORAGES['default'], settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
              "__import__('django.core.files.storage', fromlist=['x']).default_storage.url('exercises/a.jpg')]")
    result = _production_value(tmp_path, script, MEDIA_S3_BUCKET="kinetic-pictures",
                               MEDIA_S3_ENDPOINT_URL="https://s3.fr-par.scw.cloud", MEDIA_S3_REGION="fr-par",
                               MEDIA_S3_ACCESS_KEY_ID="AKEXAMPLE", MEDIA_S3_SECRET_ACCESS_KEY="example-secret")
    storage, img_src, url = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "kinetic-pictures"
    assert img_src == ["'self'", "data:", "https://s3.fr-par.scw.cloud"]
    assert url.startswith("https://s3.fr-par.scw.cloud/kinetic-pictures/media/exercises/a.jpg?"), url
    assert "Signature" in url, "a private bucket: signed URLs"


def test_production_refuses_an_s3_bucket_without_a_region_or_endpoint(tmp_path):
    result = _production_value(tmp_path, "1", MEDIA_S3_BUCKET="kinetic-pictures")
    assert result.returncode != 0
    assert "set MEDIA_S3_REGION" in result.stderr


JIT_PROBE = """
import django
django.setup()
from django.db import connections
print(connections["default"].settings_dict["OPTIONS"].get("options", ""))
"""


def test_production_turns_postgresql_jit_off_for_its_connections(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rehab.settings.production", "SECRET_KEY": GOOD_KEY,
           "ALLOWED_HOSTS": "kinetic.example.org", "DATABASE_URL": "postgres://kinetic:s3cret-pw@db:5432/kinetic",
           "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = subprocess.run([sys.executable, "-c", JIT_PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "-c jit=off"
