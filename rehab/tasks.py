"""Celery tasks: thin shells that take ids, call a service, and own their
retry policy. All are idempotent (the database's unique constraints), so
`acks_late` redelivery after a worker dies is safe."""

import datetime as dt
import logging

from celery import shared_task
from django.core.management import call_command
from django.db import OperationalError

from patients.models import Clinic
from rehab import alerts, flags, sweeps

log = logging.getLogger(__name__)

RETRY = dict(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)


@shared_task(**RETRY)
def evaluate_patient_task(patient_id):
    """Raised after an entry is saved: the patient's flags, now."""
    summary = flags.patient_reconcile(patient_id=patient_id)
    if summary.raised:
        log.info("Flags raised for patient %s: %s", patient_id, summary.raised)


@shared_task(**RETRY)
def notify_flags_task(patient_ids):
    """Queued once an entry's flags are committed: email the physio about the
    urgent ones (each flag once; see alerts.flags_notify_pending)."""
    alerts.flags_notify_pending(patient_ids=patient_ids)


@shared_task(**RETRY)
def run_sweeps_task(clinic_slug=None):
    """Beat's task: one sweep task per clinic (a given clinic is swept here)."""
    if clinic_slug:
        summary = sweeps.sweep_run(clinic=Clinic.objects.get(slug=clinic_slug))
        log.info("Sweep: raised %s, closed %s", summary.raised, summary.closed)
        return
    for clinic_id in Clinic.objects.order_by("pk").values_list("pk", flat=True):
        sweep_clinic_task.delay(clinic_id)


@shared_task(**RETRY)
def sweep_clinic_task(clinic_id):
    """Today's sweep of one clinic: run here, or split into batch tasks."""
    queued = sweeps.clinic_sweep_dispatch(Clinic.objects.get(pk=clinic_id))
    if queued:
        log.info("Sweep of clinic %s: %s batches queued", clinic_id, len(queued))


@shared_task(**RETRY)
def sweep_batch_task(*, clinic_id, kind, patient_ids, as_of, run_started_at, number):
    summary = sweeps.sweep_batch_run(
        clinic_id=clinic_id, kind=kind, patient_ids=patient_ids, as_of=dt.date.fromisoformat(as_of),
        run_started_at=dt.datetime.fromisoformat(run_started_at), number=number,
    )
    if summary.raised:
        log.info("Sweep batch %s of clinic %s: raised %s", number, clinic_id, summary.raised)


@shared_task(**RETRY)
def sessions_clear_task():
    """Daily: delete expired sessions (staff sign-ins, the visit form's saved
    drafts), which Django's database sessions otherwise keep for ever."""
    call_command("clearsessions")
