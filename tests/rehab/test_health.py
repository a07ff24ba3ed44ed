"""/healthz answers for the database and the broker, and says which is down."""

import json

import pytest


@pytest.mark.django_db
def test_healthz_reports_the_database_and_the_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_says_the_broker_is_down_within_seconds(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "down", "database": "ok", "broker": "down"}


@pytest.mark.django_db
def test_the_quick_start_has_no_broker_to_check(client, settings):
    settings.REDIS_URL, settings.CELERY_TASK_ALWAYS_EAGER = "", True
    settings.CELERY_BROKER_URL = "memory://"
    assert client.get("/healthz").status_code == 200
