"""The deployment files users run (no Docker engine here: checked by parsing)."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_web_worker_beat_db_and_redis():
    services = compose()["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    assert services["worker"]["command"][:4] == ["celery", "-A", "rehab", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "rehab", "beat"]


def test_app_services_use_production_settings_postgres_and_redis():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "rehab.settings.production"
        assert environment["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in environment["DATABASE_URL"]
        assert environment["REDIS_URL"].startswith("redis://redis:6379/")
        assert set(services[name]["depends_on"]) == {"db", "redis"}


def test_web_health_check_hits_a_real_url(client):
    check = " ".join(compose()["services"]["web"]["healthcheck"]["test"])
    path = re.search(r"127\.0\.0\.1:8000(/\S*?)'", check).group(1)
    assert client.get(path).status_code == 200


def test_redis_keeps_queued_tasks_across_a_restart():
    assert "--appendonly" in compose()["services"]["redis"]["command"]


def test_image_serves_with_gunicorn_and_its_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["gunicorn", "rehab.wsgi:application"]' in dockerfile
    assert "collectstatic" in dockerfile
    config = (ROOT / "gunicorn.conf.py").read_text()
    assert "logger_class = RedactingLogger" in config
