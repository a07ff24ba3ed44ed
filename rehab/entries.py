"""Writes to the clinical record, each evaluated once by the programme engine.

The services below (visit form, portal, import) evaluate the patient inside
the write's own transaction: the entry and the flags it raises commit
together, and the page shown next reads those flags — no second run of the
rules. Only the emails go to a Celery task, after the commit; if Redis is
down then, the sweep sends them.

A hook on the models catches every other path (the Django admin, a shell):
it queues the evaluation as a task once the transaction commits, and if that
is lost too, the sweep (which evaluates again every entry saved since it
last ran) raises what the task would have.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from patients.models import Entry, EntrySymptom, OutcomeAdministration, PainScore
from patients.outcomes import record_outcome
from rehab import flags, rules

log = logging.getLogger(__name__)

_batched: ContextVar[set | None] = ContextVar("batched_patient_ids", default=None)


@contextmanager
def evaluation_batched():
    """Collect the patients whose entries are written inside the block and
    reconcile them together at its end (a fixed number of queries per batch),
    inside the caller's transaction. One entry's write is a batch of one;
    an import or the demo seed batches all of theirs. Nested blocks join the
    outermost one."""
    if _batched.get() is not None:
        yield
        return
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


@receiver(post_save, sender=OutcomeAdministration)
@receiver(post_delete, sender=OutcomeAdministration)
def outcome_changed(sender, instance, raw=False, **kwargs):
    # An exit criterion can read a questionnaire's score (DESIGN 9).
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

    `pain` is an iterable of rules.PainScore (or (location, context, score));
    `symptoms` of codes; `portal_link` is the link a self-report was sent
    through. The entry's flags are raised before this returns.
    """
    with transaction.atomic(), evaluation_batched():
        entry = Entry(patient=patient, kind=kind, date=date, notes=notes, ref=ref,
                      recorded_by=recorded_by, portal_link=portal_link, **(measures or {}))
        # Field and date checks here; the CHECK constraints are the database's job
        # (validating them in Python costs a query each).
        entry.full_clean(validate_constraints=False)
        entry.save()
        _write_details(entry, pain, symptoms)
    return entry


class EntryChanged(Exception):
    """The entry was edited or deleted by someone else since the form was shown."""

    def __init__(self, entry: Entry | None, *, by=None):
        self.entry = entry
        who = by.display_name if by else "someone else"
        if entry is None:
            message = f"This visit was deleted by {who} while you were editing it: your changes were not saved."
        else:
            at = entry.updated_at.astimezone(entry.patient.clinic.tz)
            message = (
                f"This visit was changed by {who} at {at:%H:%M} while you were "
                "editing it: your changes are below, not saved. Check them against the saved visit "
                "(open the patient's page in another tab), then save again to replace it."
            )
        super().__init__(message)


def entry_version(entry: Entry) -> str:
    """What an edit form carries to tell whether the entry changed since it was shown."""
    return entry.updated_at.isoformat()


def entry_update(*, entry: Entry, date, pain=(), symptoms=(), measures=None, notes="",
                 version: str | None = None) -> Entry:
    """Replace an entry's content; its history keeps the previous version.
    Its flags follow before this returns.

    The patient's row, then the entry's, are locked first (the order every
    writer of a patient's record takes: a deletion's flag closing locks the
    patient before the entry), so two saves of one entry run one after the
    other. With `version` (entry_version of the entry the form showed), a
    save over someone else's edit, or of an entry deleted meanwhile, raises
    EntryChanged and writes nothing."""
    with transaction.atomic(), evaluation_batched():
        flags.patients_lock([entry.patient_id])
        current = Entry.objects.select_for_update().filter(pk=entry.pk).values_list("updated_at", flat=True).first()
        if current is None or (version is not None and current.isoformat() != version):
            last = entry.history.select_related("history_user").first()
            raise EntryChanged(None if current is None else Entry.objects.select_related("patient__clinic").get(
                pk=entry.pk),
                               by=last.history_user if last else None)
        entry.date = date
        entry.notes = notes
        for name, value in (measures or {}).items():
            setattr(entry, name, value)
        # Field and date checks here; the CHECK constraints are the database's job
        # (validating them in Python costs a query each).
        entry.full_clean(validate_constraints=False)
        _details_change(entry, pain, symptoms)
        entry.save()
    return entry


def entry_delete(*, entry: Entry) -> None:
    """Delete an entry; its flags are closed (kept, as history). The patient
    is locked first, as entry_update locks it, before the entry's row."""
    with transaction.atomic(), evaluation_batched():
        flags.patients_lock([entry.patient_id])
        entry.delete()


def outcome_record(**kwargs) -> OutcomeAdministration:
    """Record a questionnaire (patients.outcomes.record_outcome, which takes
    the same arguments and raises OutcomeError) and reconcile the patient's
    flags in the same transaction: an exit criterion can read its score, so
    answering it can make the patient ready to progress before the page
    shown next is read."""
    with transaction.atomic(), evaluation_batched():
        return record_outcome(**kwargs)


def outcome_delete(*, outcome: OutcomeAdministration, by, reason: str) -> None:
    """Delete a questionnaire recorded by mistake (a typing slip, the wrong
    patient); its history keeps it, with who deleted it and why, and the
    patient's flags follow (a criterion can have read its score)."""
    with transaction.atomic(), evaluation_batched():
        outcome._history_user = by
        outcome._change_reason = reason
        outcome.delete()


def _details_change(entry, pain, symptoms):
    """Make the entry's pain scores and symptoms these, touching only what
    differs: the record's history then says which score changed, was added
    or removed, not that every one was removed and added again."""
    wanted = {(p.location, p.context): p.score for p in (rules.PainScore(*p) for p in pain)}
    current = {(s.location, s.context): s for s in PainScore.objects.filter(entry=entry)}
    for key, score in current.items():
        if key not in wanted:
            score.delete()
    changed = [score for key, score in current.items() if key in wanted and score.score != wanted[key]]
    for score in changed:
        score.score = wanted[score.location, score.context]
    if changed:
        bulk_update_with_history(changed, PainScore, ["score"])
    ticked = list(dict.fromkeys(symptoms))
    for symptom in EntrySymptom.objects.filter(entry=entry).exclude(code__in=ticked):
        symptom.delete()
    kept = set(EntrySymptom.objects.filter(entry=entry).values_list("code", flat=True))
    _write_details(entry, [(location, context, score) for (location, context), score in wanted.items()
                           if (location, context) not in current],
                   [code for code in ticked if code not in kept])


def _write_details(entry, pain, symptoms):
    bulk_create_with_history(
        [PainScore(entry=entry, location=p.location, context=p.context, score=p.score)
         for p in (rules.PainScore(*p) for p in pain)],
        PainScore,
    )
    bulk_create_with_history([EntrySymptom(entry=entry, code=code) for code in symptoms], EntrySymptom)
