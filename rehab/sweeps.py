"""The periodic sweep (DESIGN 4.3, 4.4, 5): the code the Celery beat
schedule and `manage.py run_sweeps` run.

Incremental and set-based. One query picks the patients of a clinic whose
flags can have changed since the clinic's last sweep (`ClinicSweep`):

- *full*: the record changed (an entry saved or deleted, the patient edited
  or moved phase, since the last sweep began: whatever happened to its own
  evaluation, a task lost while Redis was down included). These go through
  `patients_reconcile`, the same path as a saved entry: every rule.
- *progress*: only the programme's clock or the flags moved (day 84 of the
  programme, a visit leaving the 28-day evidence window, a phase entry date,
  an acknowledgement, the clinic's exit criteria edited). Their entry flags
  already match their entries, so only plateau, regression and readiness
  are worked out (`patients_reconcile_progress`).

Everyone else is left alone: an unchanged caseload costs one query per
clinic. A clinic's first sweep evaluates every patient in full.

Only the sweep at the clinic's today writes (and moves the mark). At any
other `as_of` every patient the sweep covers is evaluated in full, read-only.
"""

import datetime as dt
import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from content.codes import EntryKind, Phase
from content.flag_kinds import FlagCode
from content.models import ExitCriterion
from content.models import Phase as ProgrammePhase
from patients.bulk import statistics_refresh
from patients.models import Clinic, Entry, OutcomeAdministration, Patient
from rehab.alerts import flags_notify_pending
from rehab.flags import (
    PATIENT_FIELDS,
    PatientFacts,
    ReconcileSummary,
    patients_reconcile,
    patients_reconcile_progress,
)
from rehab.models import ClinicSweep, Flag, PhaseTransition
from rehab.record import among
from rehab.rules.criteria import EVIDENCE_MAX_AGE_DAYS
from rehab.rules.progress import PLATEAU_MIN_DAYS

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
# A change saved by a transaction that began before a sweep read the record
# carries a time earlier than the sweep's start, yet the sweep could not see
# it: the next sweep looks back this much further.
CHANGE_MARGIN = dt.timedelta(minutes=10)

# Once a sweep has raised this many flags (a clinic's first, after a large
# import), the planner's statistics still describe the flag table as it was
# until autovacuum's next analyze, and each later batch would scan every flag
# instead of probing its patients': the sweep refreshes them itself, and
# again each time the flags it raised have doubled (a table the statistics
# know to be large keeps being probed, however much it grows).
STATISTICS_REFRESH_AFTER = 2000

FULL = "full"
PROGRESS = "progress"


def batch_size_default() -> int:
    return getattr(settings, "SWEEP_BATCH_SIZE", BATCH_SIZE)


def sweep_patients(clinic: Clinic):
    """Everyone a sweep without a usable mark covers: every patient of the
    clinic (a discharged patient's entries still raise red flags)."""
    return Patient.objects.filter(clinic=clinic)


CHANGED_SQL = """
SELECT e.patient_id, true FROM {entry} e JOIN {patient} p ON p.id = e.patient_id
 WHERE p.clinic_id = %(clinic)s AND e.updated_at > %(since)s
UNION
SELECT p.id, true FROM {patient} p
 WHERE p.clinic_id = %(clinic)s AND p.phase <> %(discharged)s AND p.updated_at > %(since)s
UNION
SELECT h.patient_id, true FROM {entry_history} h JOIN {patient} p ON p.id = h.patient_id
 WHERE p.clinic_id = %(clinic)s AND p.phase <> %(discharged)s AND h.history_type = '-'
   AND h.history_date > %(since)s
UNION
SELECT p.id, false FROM {patient} p
 WHERE p.clinic_id = %(clinic)s AND p.phase <> %(discharged)s AND (
       (p.programme_start > %(last)s::date - %(plateau_days)s AND p.programme_start <= %(as_of)s::date - %(plateau_days)s)
    OR (p.programme_start > %(last)s::date AND p.programme_start <= %(as_of)s::date))
UNION
SELECT p.id, false FROM {patient} p
 WHERE p.clinic_id = %(clinic)s AND p.phase <> %(discharged)s
   AND EXISTS (SELECT 1 FROM {criterion_history} c JOIN {phase} ph ON ph.id = c.phase_id
                WHERE ph.clinic_id = %(clinic)s AND c.history_date > %(since)s
                  AND (c.history_type <> '+' OR c.history_user_id IS NOT NULL))
UNION
SELECT e.patient_id, false FROM {entry} e JOIN {patient} p ON p.id = e.patient_id
 WHERE e.kind = %(visit)s AND p.clinic_id = %(clinic)s AND p.phase <> %(discharged)s
   AND e.date > %(last)s::date AND e.date <= %(as_of)s::date
UNION
SELECT e.patient_id, false FROM {entry} e JOIN {patient} p ON p.id = e.patient_id
 WHERE e.kind = %(visit)s AND p.clinic_id = %(clinic)s AND p.phase <> %(discharged)s
   AND e.date > %(last)s::date - %(too_old)s AND e.date <= %(as_of)s::date - %(too_old)s
   AND EXISTS (SELECT 1 FROM {flag} f WHERE f.patient_id = e.patient_id AND f.closed_at IS NULL
                                       AND f.code = %(ready)s)
UNION
SELECT t.patient_id, false FROM {transition} t JOIN {patient} p ON p.id = t.patient_id
 WHERE p.clinic_id = %(clinic)s AND p.phase <> %(discharged)s AND t.date > %(last)s::date AND t.date <= %(as_of)s::date
UNION
SELECT h.patient_id, false FROM {flag_history} h JOIN {patient} p ON p.id = h.patient_id
 WHERE p.clinic_id = %(clinic)s AND p.phase <> %(discharged)s AND h.history_date > %(since)s
   AND h.history_user_id IS NOT NULL
UNION
SELECT o.patient_id, false FROM {outcome} o JOIN {patient} p ON p.id = o.patient_id
 WHERE p.clinic_id = %(clinic)s AND p.phase <> %(discharged)s AND (o.created_at > %(since)s
    OR (o.date > %(last)s::date - %(too_old)s AND o.date <= %(as_of)s::date - %(too_old)s))
"""
"""Who can have changed since the last sweep, in one query: (patient id,
whether the record itself changed). The date boundaries are those the rules
read `as_of` through: day 84 of the programme (plateau), a visit leaving the
28-day evidence window (readiness: it can only end, so only for patients with
an open ready_to_progress), the programme start and phase entry dates (the
first day a visit counts as evidence), and visits dated since. Flag
changes count when a person made them (an acknowledgement): the engine's own
writes are already what the rules said. A questionnaire answered since, or
one leaving the evidence window, can change readiness on a criterion that
reads its score. A criterion's history row counts when it edits or removes
one, or when a person added one: the rows a clinic's default programme starts
with (content.services, migration content 0016) change nothing the rules read.

Entries are found by `updated_at`, not by whether their own evaluation
happened: a visit evaluated when it was saved is evaluated again by the next
sweep, which keeps no per-entry mark to write (a clinic's first sweep would
otherwise rewrite every entry) and needs no trust in the task."""


@dataclass
class SweepPlan:
    """The patients a sweep evaluates, by path; batches of at most `size`."""

    full: list = field(default_factory=list)
    progress: list = field(default_factory=list)

    def batches(self, size: int):
        for kind, ids in ((FULL, self.full), (PROGRESS, self.progress)):
            for start in range(0, len(ids), size):
                yield kind, ids[start:start + size]

    def __len__(self):
        return len(self.full) + len(self.progress)


def sweep_plan(clinic: Clinic, *, as_of: dt.date, mark: ClinicSweep | None) -> SweepPlan:
    """The patients of `clinic` whose flags can have changed since `mark`
    (the clinic's last sweep), as of `as_of`; everyone, in full, when there
    is no usable mark. On databases other than PostgreSQL (the quick-start's
    SQLite), everyone, in full."""
    first = mark is None or mark.swept_on is None or mark.started_at is None or mark.swept_on > as_of
    if first or connection.vendor != "postgresql":
        return SweepPlan(full=sorted(sweep_patients(clinic).values_list("id", flat=True), key=str))
    sql = CHANGED_SQL.format(
        entry=Entry._meta.db_table, patient=Patient._meta.db_table,
        entry_history=Entry.history.model._meta.db_table, flag_history=Flag.history.model._meta.db_table,
        criterion_history=ExitCriterion.history.model._meta.db_table, phase=ProgrammePhase._meta.db_table,
        transition=PhaseTransition._meta.db_table, flag=Flag._meta.db_table,
        outcome=OutcomeAdministration._meta.db_table,
    )
    params = {
        "clinic": clinic.pk, "discharged": Phase.DISCHARGED, "visit": EntryKind.VISIT,
        "as_of": as_of, "last": mark.swept_on, "since": mark.started_at - CHANGE_MARGIN,
        "plateau_days": PLATEAU_MIN_DAYS, "ready": FlagCode.READY_TO_PROGRESS,
        # A visit more than EVIDENCE_MAX_AGE_DAYS before as_of no longer counts.
        "too_old": EVIDENCE_MAX_AGE_DAYS + 1,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    full = {patient_id for patient_id, record_changed in rows if record_changed}
    progress = {patient_id for patient_id, _ in rows} - full
    return SweepPlan(full=sorted(full, key=str), progress=sorted(progress, key=str))


def sweep_batch(kind: str, patient_ids, *, as_of: dt.date | None = None, as_of_for=None,
                dry_run=False) -> ReconcileSummary:
    """Reconcile one batch of a plan at `as_of`, or at `as_of_for(clinic_id)`
    for a batch that spans clinics."""
    as_of_for = as_of_for or (lambda _clinic_id: as_of)
    patients = [PatientFacts(**row) for row in
                Patient.objects.filter(pk__in=among(patient_ids)).order_by("pk").values(*PATIENT_FIELDS)]
    if kind == PROGRESS:
        # A patient discharged since the plan was made is left to the next sweep.
        patients = [p for p in patients if p.is_active]
        return patients_reconcile_progress(patients, as_of_for=as_of_for, dry_run=dry_run)
    return patients_reconcile(patients, as_of_for=as_of_for, dry_run=dry_run)


def sweep_run(*, clinic: Clinic | None = None, as_of: dt.date | None = None, dry_run=False,
              batch_size=None) -> ReconcileSummary:
    """Sweep `clinic` (default: every clinic), in this process.

    Only a sweep at the clinic's today writes (DESIGN 4.4): at any other
    `as_of`, or with `dry_run`, it works out what it would raise and close and
    writes nothing, so a past evaluation never overwrites live flags or their
    acknowledgements.
    """
    clinics = [clinic] if clinic else list(Clinic.objects.order_by("pk"))
    if as_of is None and not dry_run:
        summary = _sweep_today(clinics, size=batch_size or batch_size_default())
    else:
        summary = ReconcileSummary(raised={}, written=False)
        for each in clinics:
            swept = clinic_sweep(each, as_of=as_of, dry_run=dry_run, batch_size=batch_size)
            summary.merge(swept)
            summary.written = summary.written or swept.written
    if summary.written:
        summary.notified = flags_notify_pending()
    return summary


def _sweep_today(clinics, *, size) -> ReconcileSummary:
    """Today's sweep of `clinics`, in this process, writing.

    Clinics are claimed and planned in turn; their plans fill shared batches
    of up to `size` patients (a batch can span clinics, each patient judged
    at their clinic's today), so a day of small changes across many clinics
    costs a few batches, not one per clinic. Each group of clinics is one
    transaction: the batches, then every clinic's mark. A clinic another
    sweep holds is skipped."""
    summary = ReconcileSummary(raised={}, written=True)
    ClinicSweep.objects.bulk_create([ClinicSweep(clinic=clinic) for clinic in clinics], ignore_conflicts=True)
    queue, raised, refresh_at = list(clinics), 0, STATISTICS_REFRESH_AFTER
    while queue:
        with transaction.atomic():
            claimed, planned = [], 0
            while queue and planned < size:
                clinic = queue.pop(0)
                mark = ClinicSweep.objects.select_for_update(skip_locked=True).filter(clinic=clinic).first()
                if mark is None:
                    log.info("Sweep of clinic %s skipped: another sweep of it is running", clinic.pk)
                    continue
                day, started_at = clinic.today(), timezone.now()
                plan = sweep_plan(clinic, as_of=day, mark=mark)
                claimed.append((clinic, mark, day, started_at, plan))
                planned += len(plan)
            days = {clinic.pk: day for clinic, _, day, _, _ in claimed}
            for kind in (FULL, PROGRESS):
                ids = [patient_id for *_, plan in claimed for patient_id in getattr(plan, kind)]
                for start in range(0, len(ids), size):
                    swept = sweep_batch(kind, ids[start:start + size], as_of_for=days.__getitem__)
                    summary.merge(swept)
                    raised += sum(swept.raised.values())
                    if raised >= refresh_at:
                        statistics_refresh(Flag, Flag.history.model)
                        refresh_at = 2 * raised
            for _, mark, day, started_at, _ in claimed:
                _mark_complete(mark, swept_on=day, started_at=started_at)
    return summary


def clinic_sweep(clinic: Clinic, *, as_of=None, dry_run=False, batch_size=None) -> ReconcileSummary:
    """Sweep one clinic in this process: at its today (writing, as
    `_sweep_today`), at another date or as a dry run (read-only)."""
    size = batch_size or batch_size_default()
    today = clinic.today()
    day = as_of or today
    summary = ReconcileSummary(raised={}, written=False)
    if day != today:
        # A past (or future) evaluation: everyone, in full, read-only.
        plan = SweepPlan(full=sorted(sweep_patients(clinic).values_list("id", flat=True), key=str))
        for kind, ids in plan.batches(size):
            summary.merge(sweep_batch(kind, ids, as_of=day, dry_run=True))
        return summary
    if dry_run:
        plan = sweep_plan(clinic, as_of=day, mark=ClinicSweep.objects.filter(clinic=clinic).first())
        for kind, ids in plan.batches(size):
            summary.merge(sweep_batch(kind, ids, as_of=day, dry_run=True))
        return summary
    return _sweep_today([clinic], size=size)


@contextmanager
def _clinic_claimed(clinic):
    """A transaction holding the clinic's ClinicSweep row (created on first
    use), yielding it, or None when another sweep of the clinic holds it: two
    beats, or a beat racing the command, never sweep one clinic at once."""
    ClinicSweep.objects.bulk_create([ClinicSweep(clinic=clinic)], ignore_conflicts=True)
    with transaction.atomic():
        yield ClinicSweep.objects.select_for_update(skip_locked=True).filter(clinic=clinic).first()


def _mark_complete(mark: ClinicSweep, *, swept_on, started_at) -> None:
    mark.swept_on, mark.started_at = swept_on, started_at
    mark.run_swept_on, mark.run_started_at, mark.run_batches_left = None, None, []
    mark.save()


# Parallel sweeps (Celery): the beat's task queues one task per clinic; a
# clinic whose plan is larger than one batch queues one task per batch, so
# more workers finish sooner.

def clinic_sweep_dispatch(clinic: Clinic, *, batch_size=None) -> list:
    """Plan today's sweep of `clinic` and either run it here (one batch or
    fewer) or queue its batches; returns the batches queued. Safe to run
    twice: a second dispatch while the first plans finds the clinic claimed;
    one after it plans again from the last complete mark (the batches are
    idempotent)."""
    from rehab.tasks import sweep_batch_task

    size = batch_size or batch_size_default()
    with _clinic_claimed(clinic) as mark:
        if mark is None:
            return []
        day, started_at = clinic.today(), timezone.now()
        plan = sweep_plan(clinic, as_of=day, mark=mark)
        batches = list(plan.batches(size))
        if len(batches) <= 1:
            for kind, ids in batches:
                sweep_batch(kind, ids, as_of=day)
            _mark_complete(mark, swept_on=day, started_at=started_at)
            transaction.on_commit(lambda: flags_notify_pending(patient_ids=plan.full + plan.progress))
            return []
        mark.run_swept_on, mark.run_started_at = day, started_at
        mark.run_batches_left = list(range(len(batches)))
        mark.save()
        queued = [
            dict(clinic_id=clinic.pk, kind=kind, patient_ids=[str(i) for i in ids], as_of=day.isoformat(),
                 run_started_at=started_at.isoformat(), number=number)
            for number, (kind, ids) in enumerate(batches)
        ]
        transaction.on_commit(lambda: [sweep_batch_task.delay(**kwargs) for kwargs in queued])
    return queued


def sweep_batch_run(*, clinic_id, kind, patient_ids, as_of: dt.date, run_started_at: dt.datetime, number: int):
    """One queued batch of a clinic's sweep. A copy of the same batch already
    running elsewhere (a redelivery) makes this one a no-op; a batch run
    again after it finished changes nothing (the flag writes are
    idempotent). The last batch of the run to finish moves the clinic's mark."""
    clinic = Clinic.objects.get(pk=clinic_id)
    if clinic.today() != as_of:
        # The clinic's day has turned: only a sweep at its today writes. The
        # mark stays, so the next sweep covers these patients again.
        return ReconcileSummary(raised={}, written=False)
    with transaction.atomic():
        if not _batch_claimed(clinic_id, run_started_at, number):
            return ReconcileSummary(raised={}, written=False)
        summary = sweep_batch(kind, patient_ids, as_of=as_of)
        mark = ClinicSweep.objects.select_for_update().get(clinic_id=clinic_id)
        if mark.run_started_at == run_started_at and number in mark.run_batches_left:
            mark.run_batches_left = [n for n in mark.run_batches_left if n != number]
            if mark.run_batches_left:
                mark.save(update_fields=["run_batches_left"])
            else:
                _mark_complete(mark, swept_on=mark.run_swept_on, started_at=run_started_at)
    flags_notify_pending(patient_ids=list(patient_ids))
    return summary


def _batch_claimed(clinic_id, run_started_at, number) -> bool:
    """A transaction-scoped advisory lock on this batch of this run."""
    if connection.vendor != "postgresql":
        return True
    digest = hashlib.blake2b(f"sweep:{clinic_id}:{run_started_at.isoformat()}:{number}".encode(), digest_size=8)
    key = int.from_bytes(digest.digest(), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
        return cursor.fetchone()[0]
