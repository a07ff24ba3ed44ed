"""Writes to the clinical record, and the hook that sends every saved entry
to the programme engine.

The hook listens to the models themselves, so an entry saved from any path
(visit form, portal, Django admin, import) is evaluated. The task is queued
only once the transaction commits; if Redis is down at that moment the entry
is still saved and the next sweep, which looks for entries changed since their
flags were last checked, raises what the lost task would have.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from simple_history.utils import bulk_create_with_history

from patients.models import Entry, EntrySymptom, PainScore
from rehab import flags

log = logging.getLogger(__name__)

_batched: ContextVar[set | None] = ContextVar("batched_patient_ids", default=None)


@contextmanager
def evaluation_batched():
    """Collect the patients whose entries are written inside the block and
    reconcile them together at the end (a fixed number of queries per batch)
    instead of one task per entry: for imports and the demo seed."""
    pending = set()
    token = _batched.set(pending)
    try:
        yield
    finally:
        _batched.reset(token)
    if pending:
        flags.patients_reconcile_by_id(pending)


def patient_evaluate_later(patient_id) -> None:
    pending = _batched.get()
    if pending is not None:
        pending.add(patient_id)
        return

    def enqueue():
        from rehab.tasks import evaluate_patient_task

        try:
            evaluate_patient_task.delay(str(patient_id))
        except Exception:
            # The entry is committed; the sweep will catch up.
            log.warning("Could not queue the evaluation of patient %s; the sweep will catch up",
                        patient_id, exc_info=True)

    transaction.on_commit(enqueue)


@receiver(post_save, sender=Entry)
def entry_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        patient_evaluate_later(instance.patient_id)


@receiver(pre_delete, sender=Entry)
def entry_deleting(sender, instance, **kwargs):
    flags.entry_flags_close(entry=instance)


@receiver(post_delete, sender=Entry)
def entry_deleted(sender, instance, **kwargs):
    patient_evaluate_later(instance.patient_id)


def entry_create(*, patient, kind, date, pain=(), symptoms=(), measures=None, notes="", ref="",
                 recorded_by=None, portal_link=None) -> Entry:
    """Create an entry with its pain scores and symptoms, atomically.

    `pain` is an iterable of (location, context, score); `symptoms` of codes;
    `portal_link` is the link a self-report was sent through.
    """
    with transaction.atomic():
        entry = Entry(patient=patient, kind=kind, date=date, notes=notes, ref=ref,
                      recorded_by=recorded_by, portal_link=portal_link, **(measures or {}))
        # Field and date checks here; the CHECK constraints are the database's job
        # (validating them in Python costs a query each).
        entry.full_clean(validate_constraints=False)
        entry.save()
        _write_details(entry, pain, symptoms)
    return entry


def entry_update(*, entry: Entry, date, pain=(), symptoms=(), measures=None, notes="") -> Entry:
    """Replace an entry's content; its history keeps the previous version."""
    with transaction.atomic():
        entry.date = date
        entry.notes = notes
        for name, value in (measures or {}).items():
            setattr(entry, name, value)
        # Field and date checks here; the CHECK constraints are the database's job
        # (validating them in Python costs a query each).
        entry.full_clean(validate_constraints=False)
        entry.pain_scores.all().delete()
        entry.symptoms.all().delete()
        _write_details(entry, pain, symptoms)
        entry.save()
    return entry


def entry_delete(*, entry: Entry) -> None:
    with transaction.atomic():
        entry.delete()


def _write_details(entry, pain, symptoms):
    bulk_create_with_history(
        [PainScore(entry=entry, location=location, context=context, score=score)
         for location, context, score in pain],
        PainScore,
    )
    bulk_create_with_history([EntrySymptom(entry=entry, code=code) for code in symptoms], EntrySymptom)
