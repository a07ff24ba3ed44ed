"""Alerts: the emails about new emergency, same-day and urgent flags.

Sent from a Celery task queued once the flags are committed
(`flags_notify_later`), or by the sweep when that task was lost. Each flag is
emailed at most once, and a patient's repeated alerts of one code at most once
per 24 hours (DESIGN 4.4).
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from content.flag_kinds import Severity
from patients.models import Patient
from rehab.models import Flag

log = logging.getLogger(__name__)

NOTIFY_SEVERITIES = (Severity.EMERGENCY, Severity.SAME_DAY, Severity.URGENT)
# An imported or back-dated entry older than this is history: its flag shows on
# the caseload but does not page the physio.
NOTIFY_MAX_ENTRY_AGE_DAYS = 7

NOTIFY_TASK_PATIENTS = 1000


def flags_notify_later(*, patient_ids) -> None:
    """Queue the emails about these patients' new alerts once the transaction
    commits. If the task cannot be queued (Redis down), the flags are stored
    all the same and the next sweep sends the emails."""
    ids = [str(patient_id) for patient_id in patient_ids]

    def enqueue():
        from rehab.tasks import notify_flags_task

        for start in range(0, len(ids), NOTIFY_TASK_PATIENTS):
            chunk = ids[start:start + NOTIFY_TASK_PATIENTS]
            try:
                notify_flags_task.delay(chunk)
            except Exception:
                log.warning("Could not queue the emails about %d patient(s); the sweep will send them",
                            len(chunk), exc_info=True)
                return

    transaction.on_commit(enqueue)


def flags_notify_pending(*, patient_ids=None) -> int:
    """Email the assigned physio once per emergency, same-day or urgent flag,
    and at most once per patient and code in EMAIL_REPEAT_WINDOW: a flag whose
    patient already had an email about the same code in that window is marked
    handled (`email_suppressed`) without one; it stays on the caseload.

    Each flag is claimed with a conditional update before the email goes out,
    so two workers never both send it, and marked sent once it has gone. A
    failed send releases the claim, and a claim older than CLAIM_LEASE (a
    worker killed mid-send) is taken again: an alert is emailed at least
    once, never lost to a dead worker.
    """
    now = timezone.now()
    # A day's margin: entry dates are clinic dates, and clinics are ahead of UTC or behind it.
    recent = now.date() - dt.timedelta(days=NOTIFY_MAX_ENTRY_AGE_DAYS + 1)
    pending = Flag.objects.filter(
        _claimable(now),
        severity__in=NOTIFY_SEVERITIES,
        closed_at__isnull=True,
        entry_date__gte=recent,
        patient__physio__email__gt="",
    )
    if patient_ids is not None:
        pending = pending.filter(patient_id__in=patient_ids)
    sent = 0
    for flag in pending.select_related("patient__physio", "patient__clinic").order_by("raised_at", "pk"):
        claim = _notification_claim(flag)
        if claim != SEND:
            continue
        try:
            _send_flag_email(flag)
        except Exception:
            Flag.objects.filter(pk=flag.pk, notified_at__isnull=True).update(notify_claimed_at=None)
            log.exception("Could not email flag %s; will retry on the next run", flag.pk)
            continue
        Flag.objects.filter(pk=flag.pk).update(notified_at=timezone.now())
        sent += 1
    return sent


# Longer than a send can take (EMAIL_TIMEOUT, with the task's time limit).
CLAIM_LEASE = dt.timedelta(minutes=10)


def _claimable(now) -> Q:
    """Not emailed yet, and not being emailed by a live worker."""
    return Q(notified_at__isnull=True) & (
        Q(notify_claimed_at__isnull=True) | Q(notify_claimed_at__lt=now - CLAIM_LEASE))


# Repeated self-reports must not page the physio again and again (DESIGN 4.4).
EMAIL_REPEAT_WINDOW = dt.timedelta(hours=24)
SEND, SUPPRESSED = "send", "suppressed"


def _notification_claim(flag: Flag) -> str | None:
    """Claim the flag's email: SEND it, SUPPRESSED (the patient had an email
    about this code within EMAIL_REPEAT_WINDOW), or None (already claimed)."""
    now = timezone.now()
    with transaction.atomic():
        # One claimer per patient at a time, so that two workers cannot both
        # find no recent email and both send one.
        Patient.objects.select_for_update().filter(pk=flag.patient_id).first()
        emailed_recently = (
            Flag.objects.filter(patient_id=flag.patient_id, code=flag.code, email_suppressed=False)
            .filter(Q(notified_at__gt=now - EMAIL_REPEAT_WINDOW)
                    | Q(notified_at__isnull=True, notify_claimed_at__gte=now - CLAIM_LEASE))
            .exclude(pk=flag.pk)
            .exists()
        )
        claimable = Flag.objects.filter(_claimable(now), pk=flag.pk)
        if emailed_recently:
            claimed = claimable.update(notified_at=now, email_suppressed=True)
        else:
            claimed = claimable.update(notify_claimed_at=now)
    if not claimed:
        return None
    if emailed_recently:
        log.info("Flag %s not emailed: same patient and code emailed within %s", flag.pk, EMAIL_REPEAT_WINDOW)
        return SUPPRESSED
    return SEND


def _send_flag_email(flag: Flag) -> None:
    patient = flag.patient
    link = settings.SITE_URL.rstrip("/") + reverse("patient_detail", args=[patient.pk])
    severity = flag.get_severity_display().upper()
    # Only the clinic's reference goes in the email, not the patient's name.
    send_mail(
        subject=f"[Kinetic] {severity}: {flag.get_code_display()} — patient {patient.ref}",
        message=(
            f"{flag.get_code_display()} for patient {patient.ref} ({patient.clinic.name}).\n\n"
            f"{flag.message}\n\nAdvice: {flag.advice}\n\nOpen the patient: {link}\n"
        ),
        from_email=None,
        recipient_list=[patient.physio.email],
    )
