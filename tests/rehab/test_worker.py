"""The engine against a real Celery worker and a real (or unreachable) Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from patients.models import Entry
from rehab import celery_app
from rehab.entries import entry_create
from rehab.models import Flag
from rehab.sweeps import sweep_run
from tests.factories import PatientFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queued_tasks():
    """Tasks go to the broker instead of running inline, as in production."""
    celery_app.conf.task_always_eager = False
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def worker(queued_tasks, tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rehab.settings.test",
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rehab", "worker", "--pool", "solo", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(lambda: "ready" in log.read_text(), timeout=30, what="the worker to start", log=log)
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _test_database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(condition, *, timeout, what, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    detail = log.read_text()[-3000:] if log else ""
    pytest.fail(f"Timed out waiting for {what}.\n{detail}")


def test_a_real_worker_raises_the_red_flag_of_a_saved_visit(worker):
    patient = PatientFactory()
    entry = entry_create(patient=patient, kind="visit", date=patient.programme_start,
                         pain=[("lumbar_bilateral", "activity", 4)], symptoms=["calf_swelling"])
    _wait_for(lambda: Flag.objects.filter(entry=entry, code="dvt_signs").exists(), timeout=30,
              what="the worker to raise dvt_signs", log=worker)
    assert "evaluate_patient_task" in worker.read_text()
    assert Entry.objects.get(pk=entry.pk).flags_checked_at is not None


def test_with_redis_unreachable_the_visit_is_saved_and_the_sweep_raises_the_flag(queued_tasks, caplog):
    patient = PatientFactory()
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    celery_app.pool.force_close_all()
    celery_app._pool = None
    try:
        started = time.monotonic()
        entry = entry_create(patient=patient, kind="visit", date=patient.programme_start,
                             pain=[("lumbar_bilateral", "activity", 4)], symptoms=["saddle_numbness"])
        elapsed = time.monotonic() - started
    finally:
        celery_app.conf.broker_url = settings.CELERY_BROKER_URL
        celery_app._pool = None
    saved = Entry.objects.get(pk=entry.pk)
    assert saved.symptoms.get().code == "saddle_numbness"
    assert saved.pain_scores.get().score == 4
    assert not Flag.objects.exists()
    assert elapsed < 15, "saving must not hang on a dead broker"
    assert "Could not queue the evaluation" in caplog.text
    # Redis is back: the next sweep finds the unchecked entry and raises the flag.
    summary = sweep_run(clinic=patient.clinic)
    assert summary.raised.get("cauda_equina") == 1
    assert Flag.objects.get().entry_id == entry.pk
