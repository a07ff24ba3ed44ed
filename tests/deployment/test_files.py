"""The Dockerfile, docker-compose.yml, .dockerignore and Caddyfile, read by
their own parsers and schemas (no Docker engine here)."""

import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.deployment.support import (
    DOT_ENV,
    ROOT,
    MissingVariable,
    compose,
    compose_raw,
    dockerfile,
    image_command,
    image_env,
    interpolate,
)

APP_SERVICES = ("migrate", "web", "worker", "beat")


# --- Dockerfile ----------------------------------------------------------------

def test_the_image_command_is_exec_form_json_that_runs_gunicorn():
    assert image_command() == ["gunicorn", "rehab.wsgi:application"]


def test_a_trailing_comment_makes_the_command_a_shell_string_and_is_caught():
    broken = 'FROM python:3.11-slim\nCMD ["gunicorn", "rehab.wsgi:application"]  # settings in gunicorn.conf.py\n'
    with pytest.raises(ValueError):
        image_command(dockerfile(broken))


def test_the_image_runs_production_settings_with_json_logs_as_a_non_root_user():
    env = image_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "rehab.settings.production"
    assert env["LOG_FORMAT"] == "json"
    users = [item["value"] for item in dockerfile().structure if item["instruction"] == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert dockerfile().baseimage == "python:3.11-slim"


def test_the_image_collects_static_files_at_build_time():
    runs = " ".join(item["value"] for item in dockerfile().structure if item["instruction"] == "RUN")
    assert "manage.py collectstatic --no-input" in runs


# --- .dockerignore ---------------------------------------------------------------

def _matches(pattern: str, path: str) -> bool:
    """A pattern matches the path or one of its parent directories; `**/`
    matches at any depth."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    if pattern.startswith("**/"):
        return any(fnmatch.fnmatchcase("/".join(parts[j: i + 1]), pattern[3:])
                   for i in range(len(parts)) for j in range(i + 1))
    return any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes)


def _dockerignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins and `!` re-includes."""
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        if _matches(pattern.lstrip("!").strip("/"), path):
            excluded = not negate
    return excluded


def _dockerignore_patterns():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


@pytest.mark.parametrize("path", [
    ".env", ".env.production", ".venv/lib/python3.11/site-packages/django/__init__.py", "db.sqlite3",
    ".git/HEAD", "test-artifacts/screenshots/caseload-desktop.png", "staticfiles/admin/css/base.css",
    "rehab/__pycache__/urls.cpython-311.pyc", "backups/kinetic-20260101T000000Z.dump", "tests/conftest.py",
])
def test_secrets_environments_databases_and_history_stay_out_of_the_image(path):
    assert _dockerignored(path, _dockerignore_patterns())


@pytest.mark.parametrize("path", [
    "manage.py", "gunicorn.conf.py", "requirements.txt", "rehab/wsgi.py", "rehab/settings/production.py",
    "templates/base.html", "static", "content/defaults.py", ".env.example",
])
def test_the_code_goes_into_the_image(path):
    assert not _dockerignored(path, _dockerignore_patterns())


# --- docker-compose.yml ---------------------------------------------------------

def test_compose_file_passes_the_compose_specification_schema():
    # check-jsonschema ships the Compose specification's schema
    # (check_jsonschema/builtin_schemas/vendor/compose-spec.json, from
    # github.com/compose-spec/compose-spec): no network at test time.
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec",
         str(ROOT / "docker-compose.yml")], capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_compose_file(tmp_path):
    broken = tmp_path / "docker-compose.yml"
    broken.write_text("services:\n  web:\n    image: x\n    helthcheck: {test: [CMD, true]}\n")
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(broken)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0


def test_compose_runs_the_proxy_the_app_its_data_stores_and_backups():
    assert set(compose()["services"]) == {"proxy", "migrate", "web", "worker", "beat", "db", "redis", "backup"}


def test_web_worker_beat_and_migrate_run_one_image_built_once():
    services = compose()["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    assert [name for name, service in services.items() if "build" in service] == ["migrate"]
    assert "command" not in services["web"], "web runs the image's CMD"
    assert services["worker"]["command"][:4] == ["celery", "-A", "rehab", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "rehab", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--no-input"]


def test_web_worker_and_beat_start_after_migrations_ran_once():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}
    assert services["migrate"]["restart"] == "no"


def test_only_the_proxy_publishes_ports_and_django_trusts_exactly_that_one_hop():
    services = compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert {str(port).split(":")[0] for port in services["proxy"]["ports"]} == {"80", "443"}
    for name in APP_SERVICES:
        assert services[name]["environment"]["TRUSTED_PROXY_HOPS"] == "1"
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["proxy"]["volumes"]


def test_app_services_use_production_settings_postgres_and_redis():
    services = compose()["services"]
    for name in APP_SERVICES:
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "rehab.settings.production"
        assert environment["DATABASE_URL"] == f"postgres://kinetic:{DOT_ENV['POSTGRES_PASSWORD']}@db:5432/kinetic"
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
        assert environment["ALLOWED_HOSTS"] == DOT_ENV["KINETIC_HOST"]
        assert environment["CSRF_TRUSTED_ORIGINS"] == f"https://{DOT_ENV['KINETIC_HOST']}"


@pytest.mark.parametrize("missing", ["KINETIC_HOST", "SECRET_KEY", "POSTGRES_PASSWORD"])
def test_compose_refuses_to_start_without_each_secret_and_says_which(missing):
    for value in (None, ""):
        variables = {key: val for key, val in DOT_ENV.items() if key != missing}
        if value is not None:
            variables[missing] = value
        with pytest.raises(MissingVariable, match=rf"required variable {missing} is missing a value: Set {missing} in .env"):
            compose(variables)


def test_no_secret_has_a_silent_default():
    text = (ROOT / "docker-compose.yml").read_text()
    assert not re.search(r"\$\{(SECRET_KEY|POSTGRES_PASSWORD|KINETIC_HOST)(:?-)", text)


def test_health_checks_cover_web_worker_beat_and_backups():
    services = compose()["services"]
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "-m", "rehab.healthcheck", "web"]
    assert services["worker"]["healthcheck"]["test"][0] == "CMD-SHELL"
    assert services["worker"]["healthcheck"]["test"][1].startswith("celery -A rehab inspect ping")
    assert services["beat"]["healthcheck"]["test"] == ["CMD", "python", "-m", "rehab.healthcheck", "beat"]
    assert services["backup"]["healthcheck"]["test"][-1] == "check"
    for name in ("db", "redis"):
        assert services[name]["healthcheck"]["test"]


def test_the_backup_service_dumps_daily_into_a_volume_with_retention():
    backup = compose()["services"]["backup"]
    assert backup["image"] == compose()["services"]["db"]["image"], "pg_dump matches the server's version"
    assert backup["command"] == ["daily"]
    assert "./scripts/backup.sh:/usr/local/bin/kinetic-backup:ro" in backup["volumes"]
    assert "backups:/backups" in backup["volumes"]
    assert backup["environment"]["BACKUP_INTERVAL_SECONDS"] == "86400"
    assert int(backup["environment"]["BACKUP_KEEP"]) >= 7
    assert "backups" in compose_raw()["volumes"]


def test_redis_keeps_queued_tasks_across_a_restart():
    assert "--appendonly" in compose()["services"]["redis"]["command"]


def test_interpolation_follows_compose_rules():
    assert interpolate("a$$b ${X:-d} ${Y-e} ${Z}", {"Y": ""}) == "a$b d  "


# --- Caddyfile -------------------------------------------------------------------

def _caddy():
    if shutil.which("caddy"):
        return "caddy"
    if os.environ.get("CI"):
        pytest.fail("caddy is not installed (apt-get install caddy); CI needs it")
    pytest.skip("caddy is not installed (apt-get install caddy)")


def test_the_caddyfile_proxies_the_site_to_web_with_automatic_https():
    caddy = _caddy()
    result = subprocess.run(
        [caddy, "adapt", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        env={**os.environ, "KINETIC_HOST": "kinetic.example.org"}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    server = next(iter(config["apps"]["http"]["servers"].values()))
    assert server["listen"] == [":443"], "a host name site gets automatic HTTPS (and the HTTP redirect)"
    route = server["routes"][0]
    assert route["match"] == [{"host": ["kinetic.example.org"]}]
    handlers = [handler for sub in route["handle"] for inner in sub["routes"] for handler in inner["handle"]]
    proxy = next(handler for handler in handlers if handler["handler"] == "reverse_proxy")
    assert proxy["upstreams"] == [{"dial": "web:8000"}]
    body = next(handler for handler in handlers if handler["handler"] == "request_body")
    assert body["max_size"] > 20 * 1000 * 1000, "above IMPORT_MAX_UPLOAD_MB"


# --- Exercise pictures (media) ------------------------------------------------------

def test_pictures_live_in_a_media_volume_that_web_writes_and_the_proxy_only_reads():
    services = compose()["services"]
    assert "media:/app/media" in services["web"]["volumes"], "MEDIA_ROOT in production settings is /app/media"
    assert "media:/srv/media:ro" in services["proxy"]["volumes"]
    assert "media" in compose_raw()["volumes"]
    runs = [item["value"] for item in dockerfile().structure if item["instruction"] == "RUN"]
    assert any("chown kinetic /app/media" in run for run in runs), "the app user can write new pictures"


def test_the_caddyfile_serves_media_itself_with_safe_headers_and_proxies_the_rest():
    caddy = _caddy()
    result = subprocess.run(
        [caddy, "adapt", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        env={**os.environ, "KINETIC_HOST": "kinetic.example.org"}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    server = next(iter(json.loads(result.stdout)["apps"]["http"]["servers"].values()))
    routes = server["routes"][0]["handle"][0]["routes"]
    media = next(route for route in routes if route.get("match") == [{"path": ["/media/*"]}])
    handlers = [handler for sub in media["handle"] for inner in sub["routes"] for handler in inner["handle"]]
    kinds = [handler["handler"] for handler in handlers]
    assert kinds[-1] == "file_server" and "reverse_proxy" not in kinds
    assert {"handler": "vars", "root": "/srv"} in handlers
    headers = next(handler for handler in handlers if handler["handler"] == "headers")["response"]["set"]
    assert headers["X-Content-Type-Options"] == ["nosniff"]
    assert "default-src 'none'" in headers["Content-Security-Policy"][0]
    assert routes.index(media) < next(i for i, r in enumerate(routes) if r["handle"][0]["handler"] == "reverse_proxy")
