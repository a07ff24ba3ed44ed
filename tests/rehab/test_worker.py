"""The engine against a real Celery worker and a real (or unreachable) Redis."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from patients.models import Entry, EntrySymptom, PainScore
from rehab import celery_app
from rehab.entries import entry_create
from rehab.models import ClinicSweep, Flag
from rehab.sweeps import sweep_run
from rehab.tasks import run_sweeps_task
from tests.factories import ClinicFactory, PatientFactory

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
def start_worker(queued_tasks, tmp_path):
    """start_worker(name, **env) -> (process, log path): a real `celery worker`
    process on the test database and the test Redis."""
    processes = []

    def start(name, **extra_env):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rehab.settings.test",
            "DATABASE_URL": _test_database_url(),
            "REDIS_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **extra_env,
        }
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "rehab", "worker", "--pool", "solo", "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"{name}@%h"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )
        processes.append(process)
        _wait_for(lambda: "ready" in log.read_text(), timeout=30, what=f"worker {name} to start", log=log)
        return process, log

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def worker(start_worker):
    return start_worker("worker")[1]


def _test_database_url():
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")


def _wait_for(condition, *, timeout, what, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    detail = log.read_text()[-3000:] if log else ""
    pytest.fail(f"Timed out waiting for {what}.\n{detail}")


def test_a_saved_visit_raises_its_flag_at_once_and_a_real_worker_sends_the_alert(worker):
    patient = PatientFactory()
    entry = entry_create(patient=patient, kind="visit", date=patient.clinic.today(),
                         pain=[("lumbar_bilateral", "activity", 4)], symptoms=["calf_swelling"])
    # The save evaluated the entry itself; only the email is left to the worker.
    flag = Flag.objects.get(entry=entry, code="dvt_signs")
    _wait_for(lambda: Flag.objects.filter(pk=flag.pk, notified_at__isnull=False).exists(), timeout=30,
              what="the worker to email the physio", log=worker)
    assert "notify_flags_task" in worker.read_text()
    assert "evaluate_patient_task[" not in worker.read_text(), "a saved visit is evaluated once"


def _entry_saved_as_the_admin_does(patient, symptom):
    """An entry written through the models (the Django admin, a shell), not the
    services: the model hook queues its evaluation for a worker."""
    with transaction.atomic():
        entry = Entry.objects.create(patient=patient, kind="visit", date=patient.programme_start)
        EntrySymptom.objects.create(entry=entry, code=symptom)
    return entry


def test_a_real_worker_evaluates_an_entry_saved_outside_the_services(worker):
    patient = PatientFactory()
    entry = _entry_saved_as_the_admin_does(patient, "calf_swelling")
    _wait_for(lambda: Flag.objects.filter(entry=entry, code="dvt_signs").exists(), timeout=30,
              what="the worker to raise dvt_signs", log=worker)
    assert "evaluate_patient_task" in worker.read_text()


def test_with_redis_unreachable_the_visit_and_its_flag_are_saved_and_the_sweep_sends_the_email(queued_tasks):
    patient = PatientFactory()
    # The visit is saved by a separate process whose broker URL points at a
    # port where nothing listens, as when Redis is down in production.
    script = (
        "import time; from patients.models import Patient; from rehab.entries import entry_create\n"
        f"patient = Patient.objects.get(pk='{patient.pk}')\n"
        "started = time.monotonic()\n"
        "entry_create(patient=patient, kind='visit', date=patient.clinic.today(),\n"
        "             pain=[('lumbar_bilateral', 'activity', 4)], symptoms=['saddle_numbness'])\n"
        "print(f'saved in {time.monotonic() - started:.1f}s')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rehab.settings.test", "DATABASE_URL": _test_database_url(),
           "REDIS_URL": "redis://127.0.0.1:1/0", "CELERY_TASK_ALWAYS_EAGER": "false"}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "saved in" in result.stdout
    assert float(result.stdout.split("saved in ")[1].rstrip("s\n")) < 15, "saving must not hang on a dead broker"
    assert "Could not queue the emails" in result.stderr

    saved = Entry.objects.get(patient=patient)
    assert saved.symptoms.get().code == "saddle_numbness"
    assert saved.pain_scores.get().score == 4
    # The flag needs no broker: the save raised it. Only the email waits.
    flag = Flag.objects.get(entry=saved, code="cauda_equina")
    assert flag.notified_at is None and not mail.outbox
    # Redis is back: the next sweep sends the email the lost task would have.
    summary = sweep_run(clinic=patient.clinic)
    assert summary.notified == 1
    assert [message.to for message in mail.outbox] == [[patient.physio.email]]


def test_a_worker_killed_mid_task_loses_nothing(start_worker):
    patient = PatientFactory()
    entry = _entry_saved_as_the_admin_does(patient, "calf_swelling")
    # Another session holds the flag history table in SHARE mode, so the first
    # worker gets stuck inside its transaction, after inserting the flag and
    # before writing its history row and committing.
    with psycopg.connect(_test_database_url(), autocommit=False) as blocker:
        blocker.execute("LOCK TABLE rehab_historicalflag IN SHARE MODE")
        try:
            first, first_log = start_worker("doomed")
            _wait_for(lambda: _waiting_on_a_lock(blocker), timeout=30, what="the task to block", log=first_log)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        finally:
            blocker.rollback()
    assert not Flag.objects.exists(), "the killed worker's transaction must not have committed"

    # The task was never acknowledged: a new worker gets it back once the
    # visibility timeout passes, and the flag is raised.
    time.sleep(1.5)
    _, second_log = start_worker("survivor", CELERY_VISIBILITY_TIMEOUT="1")
    _wait_for(lambda: Flag.objects.filter(entry=entry, code="dvt_signs").exists(), timeout=40,
              what="the redelivered task to raise dvt_signs", log=second_log)
    assert Flag.objects.count() == 1


def _waiting_on_a_lock(connection):
    row = connection.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    ).fetchone()
    return row[0] > 0


def _stalled_patients(clinic, count):
    """Patients on day 84+ with pain stuck at 6/10, saved in bulk (no hook
    fires, no task is queued): only a sweep raises their plateau."""
    patients = [PatientFactory(clinic=clinic) for _ in range(count)]
    entries = Entry.objects.bulk_create(
        Entry(patient=patient, kind="visit", date=patient.programme_start + dt.timedelta(days=days))
        for patient in patients for days in (0, 40)
    )
    PainScore.objects.bulk_create(
        PainScore(entry=entry, location="lumbar_bilateral", context="activity", score=6) for entry in entries
    )
    return patients


def test_beat_sweeps_each_clinic_in_its_own_task_and_large_ones_in_batches_on_a_real_worker(start_worker):
    big, small = ClinicFactory(), ClinicFactory()
    _stalled_patients(big, 5)
    _stalled_patients(small, 1)
    _, log = start_worker("sweeper", SWEEP_BATCH_SIZE="2")

    run_sweeps_task.delay()  # what beat queues
    _wait_for(lambda: Flag.objects.filter(code="plateau_12w").count() == 6, timeout=60,
              what="the sweep tasks to raise six plateaus", log=log)
    _wait_for(lambda: ClinicSweep.objects.filter(clinic=big, run_batches_left=[]).exclude(swept_on=None).exists(),
              timeout=30, what="the last batch to move the clinic's mark", log=log)
    # The worker logs a task's "succeeded" after its transaction has committed,
    # so the log can trail what the database already shows: wait for it too.
    _wait_for(lambda: log.read_text().count("rehab.tasks.sweep_batch_task[") >= 2 * 3
              and log.read_text().count("rehab.tasks.sweep_clinic_task[") >= 2 * 2, timeout=30,
              what="the worker to log each task received and succeeded", log=log)
    text = log.read_text()
    assert text.count("rehab.tasks.sweep_clinic_task[") >= 2 * 2  # received and succeeded, per clinic
    assert f"Sweep of clinic {big.pk}: 3 batches queued" in text
    assert text.count("rehab.tasks.sweep_batch_task[") >= 2 * 3
    assert ClinicSweep.objects.get(clinic=small).swept_on == small.today()

    # Beat twice more (a retried or doubled beat): nothing new, nothing doubled.
    run_sweeps_task.delay()
    run_sweeps_task.delay()
    _wait_for(lambda: log.read_text().count("rehab.tasks.sweep_clinic_task[") >= 2 * 6, timeout=60,
              what="the repeated sweeps to finish", log=log)
    assert Flag.objects.filter(code="plateau_12w").count() == 6
    assert Flag.objects.count() == 6
