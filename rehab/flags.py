"""Flag services: reconcile a patient's flags with what the rules find,
acknowledge, notify.

`patients_reconcile` is the one path from the clinical record to flags: the
per-entry Celery task calls it for one patient, the periodic sweep for
batches of patients. It issues a fixed number of queries per batch and relies
on the database's unique constraints, so running it twice (a retried task, a
second beat, a sweep racing a task) never duplicates a flag.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from content.codes import Phase
from content.flag_kinds import FLAG_KINDS, NO_FLAG_RANK, SWEEP_FLAG_CODES, FlagCode
from patients.models import Clinic, Entry, Patient
from rehab import rules
from rehab.alerts import flags_notify_later, flags_notify_pending
from rehab.models import Flag
from rehab.outcomes import outcome_scores_by_patient
from rehab.record import (
    READY_FOR_DATABASE,
    among,
    db_type,
    exit_criteria_by_phase,
    in_list,
    phase_start_by_patient,
    progress_facts,
    progress_facts_by_patient,
    red_flag_entries_by_patient,
)
from rehab.rules.criteria import READINESS_HELD_BY

log = logging.getLogger(__name__)

PATIENT_FIELDS = ("id", "clinic_id", "phase", "surgery_date", "programme_start")


@dataclass(frozen=True)
class PatientFacts:
    id: object
    clinic_id: int
    phase: str
    surgery_date: dt.date
    programme_start: dt.date

    @property
    def is_active(self):
        return self.phase != Phase.DISCHARGED


def patient_findings(patient: PatientFacts, entries, criteria, *, as_of, phase_start,
                     acknowledged=frozenset(), regression_acknowledged_on=None, outcomes=()) -> list[rules.Finding]:
    """Everything the rules find for one patient at `as_of`, from the whole
    record: the red flags of each entry, and (for an active patient)
    plateau, regression and readiness. Entries dated after `as_of` do not
    exist yet for any rule (DESIGN 4). The reference the set-based
    reconciliation below is held to.

    `phase_start` is the day the patient entered the current phase (the
    criteria's evidence starts there); `acknowledged` holds the (code,
    entry id) of the patient's open, acknowledged entry flags, so that
    readiness waits only for the unacknowledged ones (DESIGN 4.1);
    `regression_acknowledged_on` is the clinic date an open `pain_regression`
    was acknowledged, if it was (DESIGN 4.3).
    """
    entries = [entry for entry in entries if entry.date <= as_of]
    findings = []
    for entry in entries:
        findings += rules.entry_findings(entry, surgery_date=patient.surgery_date, history=entries)
    facts = progress_facts(entries, programme_start=patient.programme_start, as_of=as_of, phase_start=phase_start,
                           acknowledged_on=regression_acknowledged_on)
    return findings + progress_findings(
        patient, facts, criteria, as_of=as_of, phase_start=phase_start, red_flags=findings,
        acknowledged=acknowledged, regression_acknowledged_on=regression_acknowledged_on, outcomes=outcomes,
    )


def progress_findings(patient: PatientFacts, facts, criteria, *, as_of, phase_start, red_flags,
                      acknowledged=frozenset(), regression_acknowledged_on=None, outcomes=()) -> list[rules.Finding]:
    """Plateau, regression and readiness at `as_of` (DESIGN 4.1, 4.3).

    `facts` is (rules.ProgressVisits, rules.Evidence): what those rules read,
    from record.progress_facts_by_patient or record.progress_facts.
    `red_flags` are the patient's entry findings at `as_of`: readiness waits
    for the unacknowledged ones.
    """
    visits, evidence = facts
    findings = [
        rules.plateau_from(visits, programme_start=patient.programme_start, is_active=patient.is_active,
                           as_of=as_of),
        rules.regression_from(visits, programme_start=patient.programme_start, is_active=patient.is_active,
                              acknowledged_on=regression_acknowledged_on),
    ]
    if patient.is_active:
        unacknowledged = [f.severity for f in (*red_flags, *findings)
                          if f is not None and (f.code, f.entry_id) not in acknowledged]
        results = rules.judge_criteria(criteria, evidence, as_of=as_of, phase_start=phase_start, outcomes=outcomes)
        findings.append(rules.readiness_finding(patient.phase, results, unacknowledged=unacknowledged))
    return [f for f in findings if f is not None]


@dataclass
class ReconcileSummary:
    """What a reconciliation raised (by code), closed and reopened — or, for
    a dry run, would have."""

    raised: dict
    closed: int = 0
    reopened: int = 0
    notified: int = 0
    written: bool = True

    def merge(self, other):
        for code, count in other.raised.items():
            self.raised[code] = self.raised.get(code, 0) + count
        self.closed += other.closed
        self.reopened += other.reopened


def patients_reconcile(patients: list[PatientFacts], *, as_of_for, dry_run=False,
                       lock_first=False) -> ReconcileSummary:
    """Raise, reopen and close flags so they match the rules for these patients.

    `as_of_for(clinic_id)` gives the date the rules are evaluated at. A
    `dry_run` works out the same changes and writes nothing. Set-based: the
    database picks the entries that can raise a red flag and reduces the
    visits to what the progress rules and the criteria compare
    (record.red_flag_entries_by_patient, record.progress_facts_by_patient),
    and the rules judge those; a fixed number of queries per batch.

    With `lock_first` the patients' rows are locked before their record is
    read, so a concurrent write of the same patient (a portal report while
    the physio saves a visit) is judged after it, never from a copy read
    before it committed. The per-entry paths take it; the sweep does not
    (it locks only the patients it changes, and its next run re-judges any
    patient whose record changed meanwhile).
    """
    return _reconcile(patients, as_of_for=as_of_for, dry_run=dry_run, entry_flags_kept=False,
                      lock_first=lock_first)


def patients_reconcile_progress(patients: list[PatientFacts], *, as_of=None, as_of_for=None,
                                dry_run=False) -> ReconcileSummary:
    """The sweep's reconciliation of active patients whose record has not
    changed since the clinic's last sweep (only the programme's clock, their
    flags or their phase did): plateau, regression and readiness only.

    Their entry flags already match their entries (every change of the record
    is evaluated, at the save or by the sweep's full path), so they are kept
    as they are and stand in for the entry findings readiness waits for.
    Evaluated at `as_of`, or at `as_of_for(clinic_id)`.
    """
    as_of_for = as_of_for or (lambda _clinic_id: as_of)
    return _reconcile(patients, as_of_for=as_of_for, dry_run=dry_run, entry_flags_kept=True)


def _reconcile(patients, *, as_of_for, dry_run, entry_flags_kept, lock_first=False) -> ReconcileSummary:
    if lock_first and not dry_run:
        with transaction.atomic():
            # Locked, then read again: a phase move or discharge that held a
            # row is judged with the phase it left.
            ids = patients_lock([p.id for p in patients])
            patients = patient_facts(Patient.objects.filter(pk__in=among(ids)).order_by("pk"))
            return _reconcile_read_apply(patients, as_of_for=as_of_for, dry_run=dry_run,
                                         entry_flags_kept=entry_flags_kept, locked=True)
    return _reconcile_read_apply(patients, as_of_for=as_of_for, dry_run=dry_run, entry_flags_kept=entry_flags_kept)


def _reconcile_read_apply(patients, *, as_of_for, dry_run, entry_flags_kept, locked=False) -> ReconcileSummary:
    started_at = timezone.now()
    existing = _flags_existing([p.id for p in patients])
    found = patients_findings(patients, as_of_for=as_of_for, existing=existing, entry_flags_kept=entry_flags_kept)
    return _flags_apply(patients, found, existing, started_at=started_at, dry_run=dry_run,
                        entry_flags_kept=entry_flags_kept, locked=locked)


def patients_findings(patients, *, as_of_for, existing=None, entry_flags_kept=False) -> dict:
    """{patient id: [rules.Finding]}: what the rules find for these patients,
    each at `as_of_for(clinic_id)`, set-based (a fixed number of queries
    whatever their number); the same as `patient_findings` over each whole
    record. `existing` is _flags_existing's answer (read here when not
    given): acknowledgements, and with `entry_flags_kept` the open entry
    flags that stand for the red flags, which are then not looked for."""
    ids = [p.id for p in patients]
    existing = _flags_existing(ids) if existing is None else existing
    criteria = exit_criteria_by_phase({p.clinic_id for p in patients})
    phase_starts = phase_start_by_patient(patients)
    acknowledged = _acknowledged_by_patient(existing)
    regression_acknowledged_on = _regression_acknowledgement_dates(patients, existing)
    outcomes = _outcome_scores(ids, criteria)
    by_day = defaultdict(list)
    for patient in patients:
        by_day[as_of_for(patient.clinic_id)].append(patient)
    # The visit measures the criteria read; a discharged patient's progress
    # rules find nothing, so their visits are not reduced at all.
    measures = {c.measure for criteria_of in criteria.values() for c in criteria_of if not c.reads_outcome}
    found = {}
    for as_of, group in by_day.items():
        facts = progress_facts_by_patient([p for p in group if p.is_active], as_of=as_of,
                                          phase_starts=phase_starts, acknowledged_on=regression_acknowledged_on,
                                          measures=measures)
        if entry_flags_kept:
            red_flags = _open_entry_flags(existing)
        else:
            red_flags = _red_flag_findings(group, as_of=as_of)
        for patient in group:
            progress = progress_findings(
                patient, facts.get(patient.id, NO_FACTS), criteria.get((patient.clinic_id, patient.phase), []),
                as_of=as_of, phase_start=phase_starts[patient.id], red_flags=red_flags[patient.id],
                acknowledged=acknowledged[patient.id],
                regression_acknowledged_on=regression_acknowledged_on.get(patient.id),
                outcomes=outcomes.get(patient.id, ()),
            )
            found[patient.id] = progress if entry_flags_kept else red_flags[patient.id] + progress
    return found


# What a discharged patient's progress rules are given: they find nothing.
NO_FACTS = (rules.ProgressVisits(), rules.Evidence())


def _red_flag_findings(patients, *, as_of) -> dict:
    """{patient id: [red-flag Finding]} at `as_of`: the rules run on the
    entries that can raise one, with the earlier entries they read."""
    entries, evaluated = red_flag_entries_by_patient(patients, as_of=as_of)
    found = defaultdict(list)
    for patient in patients:
        record = entries.get(patient.id, [])
        for entry in record:
            if entry.id in evaluated:
                found[patient.id] += rules.entry_findings(entry, surgery_date=patient.surgery_date, history=record)
    return found


def _open_entry_flags(existing) -> dict:
    """{patient id: [Finding]} standing for the open entry flags (their
    severity is what readiness reads)."""
    red_flags = defaultdict(list)
    for f in existing:
        if f["entry_id"] is not None and f["closed_at"] is None:
            kind = FLAG_KINDS[f["code"]]
            red_flags[f["patient_id"]].append(rules.Finding(
                code=f["code"], severity=kind.severity, message="", advice="", entry_id=f["entry_id"],
            ))
    return red_flags


def _outcome_scores(patient_ids, criteria_by_phase) -> dict:
    """The patients' questionnaire scores, read only when an exit criterion
    of their clinics reads one (one query, or none)."""
    if not any(c.reads_outcome for criteria in criteria_by_phase.values() for c in criteria):
        return {}
    return outcome_scores_by_patient(patient_ids)


def _flags_existing(patient_ids) -> list[dict]:
    """The patients' entry flags (open or closed) and open progress flags."""
    return list(
        Flag.objects.filter(patient_id__in=among(patient_ids))
        .filter(Q(entry__isnull=False) | Q(closed_at__isnull=True))
        .order_by()
        .values("id", "patient_id", "code", "entry_id", "closed_at", "closed_reason", "acknowledged_at")
    )


def _acknowledged_by_patient(existing) -> dict:
    """{patient id: {(code, entry id) of each open, acknowledged flag}}."""
    acknowledged = defaultdict(set)
    for f in existing:
        if f["closed_at"] is None and f["acknowledged_at"] is not None:
            acknowledged[f["patient_id"]].add((f["code"], f["entry_id"]))
    return acknowledged


def _flags_apply(patients, found: dict, existing, *, started_at, dry_run, entry_flags_kept=False,
                 locked=False) -> ReconcileSummary:
    """Raise, reopen, renew and close so that the open flags are those
    `found` ({patient id: [Finding]}). With `entry_flags_kept` only progress
    flags change."""
    by_key = {(f["patient_id"], f["code"], f["entry_id"]): f for f in existing}
    to_create, to_reopen, to_renew, wanted = [], {}, [], set()
    if entry_flags_kept:
        wanted = {key for key, f in by_key.items() if f["entry_id"] is not None}
    for patient in patients:
        for finding in found[patient.id]:
            key = (patient.id, finding.code, finding.entry_id)
            wanted.add(key)
            current = by_key.get(key)
            if current is None:
                to_create.append(_new_flag(patient, finding, started_at))
            elif current["closed_at"] is not None and current["closed_reason"] == NO_LONGER_PRESENT:
                to_reopen[current["id"]] = finding
            elif finding.renews and current["closed_at"] is None and current["acknowledged_at"] is not None:
                to_renew.append(current["id"])
                to_create.append(_new_flag(patient, finding, started_at))

    stale_entry = [f["id"] for key, f in by_key.items() if key not in wanted and f["entry_id"] and f["closed_at"] is None]
    stale_progress = [f["id"] for key, f in by_key.items() if key not in wanted and not f["entry_id"]]
    if dry_run:
        would_raise = {}
        for flag in to_create:
            would_raise[flag.code] = would_raise.get(flag.code, 0) + 1
        return ReconcileSummary(raised=would_raise, closed=len(stale_entry) + len(stale_progress) + len(to_renew),
                                reopened=len(to_reopen), written=False)

    changed = [*to_reopen, *stale_entry, *stale_progress, *to_renew]
    patient_of = {f["id"]: f["patient_id"] for f in existing}
    touched = {flag.patient_id for flag in to_create} | {patient_of[pk] for pk in changed}
    with transaction.atomic():
        if not locked:
            patients_lock(touched)
        closed = 0
        if to_renew:
            # Closed first: one open pain_regression per patient at a time.
            closed += Flag.objects.filter(pk__in=among(to_renew, Flag._meta.pk), closed_at__isnull=True).update(
                closed_at=started_at, closed_reason=WORSENED
            )
        inserted = _flags_insert(to_create)
        if to_reopen:
            _flags_reopen(to_reopen)
        if stale_entry:
            closed += Flag.objects.filter(pk__in=among(stale_entry, Flag._meta.pk), closed_at__isnull=True).update(
                closed_at=started_at, closed_reason=NO_LONGER_PRESENT
            )
        if stale_progress:
            closed += Flag.objects.filter(pk__in=among(stale_progress, Flag._meta.pk), closed_at__isnull=True).update(
                closed_at=started_at, closed_reason=CONDITION_GONE
            )
        created = _engine_changes_record(at=started_at, raised=inserted, changed=changed)
        patients_urgency_refresh(touched, locked=True)

    raised = {}
    for code in created:
        raised[code] = raised.get(code, 0) + 1
    return ReconcileSummary(raised=raised, closed=closed, reopened=len(to_reopen))


def patients_urgency_refresh(patient_ids, *, locked=False) -> int:
    """Recompute `Patient.urgency` (the rank of the most urgent open,
    unacknowledged flag) for these patients: one UPDATE that writes only the
    rows whose rank changed. Every service here that raises, reopens, closes
    or acknowledges a flag calls it in the same transaction, so the caseload
    sorts by an index instead of a subquery per patient. The patients' rows
    are locked first (patients_lock) unless the caller says it has
    `locked` them in this transaction."""
    if not patient_ids:
        return 0
    ids = sorted(set(patient_ids), key=str) if locked else patients_lock(patient_ids)
    most_urgent = Subquery(
        Flag.objects.needs_attention().filter(patient=OuterRef("pk")).with_rank().order_by("rank").values("rank")[:1]
    )
    rank = Coalesce(most_urgent, Value(NO_FLAG_RANK))
    return Patient.objects.filter(pk__in=among(ids)).alias(rank=rank).exclude(urgency=F("rank")).update(urgency=rank)


def patients_lock(patient_ids) -> list:
    """Lock the patients' rows, in id order, before their flags are written.

    A concurrent writer of the same patient's flags (a task, the sweep, an
    acknowledgement, a phase move, which locks the patient first too) waits
    here, and its rank is computed after this transaction commits, from the
    flags as they are then; the one order (patient, then flags) cannot
    deadlock. Call it inside a transaction."""
    ids = sorted(set(patient_ids), key=str)
    list(Patient.objects.filter(pk__in=among(ids)).order_by("pk").select_for_update().values_list("pk", flat=True))
    return ids


def _regression_acknowledgement_dates(patients, existing) -> dict:
    """{patient id: the clinic date their open pain_regression was acknowledged}.

    One query for the clinics' time zones, and only when there is one."""
    acknowledged = {f["patient_id"]: f["acknowledged_at"] for f in existing
                    if f["code"] == FlagCode.PAIN_REGRESSION and f["closed_at"] is None
                    and f["acknowledged_at"] is not None}
    if not acknowledged:
        return {}
    clinic_of = {p.id: p.clinic_id for p in patients}
    clinics = Clinic.objects.in_bulk({clinic_of[patient_id] for patient_id in acknowledged})
    return {patient_id: clinics[clinic_of[patient_id]].local_date(at) for patient_id, at in acknowledged.items()}


def _flags_reopen(findings: dict) -> int:
    """Reopen entry flags whose entry meets the rule again: a new alert
    (DESIGN 4.4), so the acknowledgement is cleared, the message rewritten
    from the entry as it is now, and the email goes out again. One query."""
    def from_findings(attribute):
        field = Flag._meta.get_field(attribute)
        return Case(*[When(pk=pk, then=Value(getattr(f, attribute), output_field=field))
                      for pk, f in findings.items()], output_field=field)

    return Flag.objects.filter(pk__in=list(findings), closed_reason=NO_LONGER_PRESENT).update(
        closed_at=None, closed_reason="",
        acknowledged_at=None, acknowledged_by=None, acknowledgement_note="",
        notified_at=None, notify_claimed_at=None, email_suppressed=False,
        message=from_findings("message"), advice=from_findings("advice"),
        severity=from_findings("severity"), entry_date=from_findings("entry_date"),
    )


NO_LONGER_PRESENT = "No longer present in the entry (edited or deleted)."
CONDITION_GONE = "The condition no longer holds."
MOVED_PHASE = "The patient moved phase."
DISCHARGED = "Discharged."
RAISED = "Raised by the programme rules."
REOPENED = "Reopened as a new alert: the entry shows the sign again."
WORSENED = "Pain got worse since this was acknowledged: raised again as a new flag."


def _engine_changes_record(*, at, raised: list, changed: list) -> list[str]:
    """Write the history rows of the engine's own changes made at `at`; return
    the codes of the flags it raised (one per flag).

    `raised` holds the ids of the flags this run inserted (_flags_insert's
    answer), `changed` those of the flags it reopened or closed. The changes
    are bulk writes (a fixed number of queries per batch), which fire no
    signals, so the history is written here, in one INSERT … SELECT from the
    flags as they are now (HISTORY_SQL). The engine is the author
    (history_user None); the reason says why. Selecting a changed flag by
    time keeps the conditional updates above race-free: a flag another
    process changed first is not recorded as ours.
    """
    if not (raised or changed):
        return []
    history = Flag.history.model
    tracked = [connection.ops.quote_name(f.column) for f in history._meta.concrete_fields
               if not f.name.startswith("history_")]
    # No flag has id 0: `id IN (0)` is false, never NULL.
    raised_sql, raised = in_list(list(raised) or [0], Flag._meta.pk)
    changed_sql, changed = in_list(list(changed) or [0], Flag._meta.pk)
    sql = HISTORY_SQL.format(
        history=history._meta.db_table, flag=Flag._meta.db_table, columns=", ".join(tracked),
        changed=changed_sql, raised=raised_sql, user=db_type(history._meta.get_field("history_user")),
    )
    at = connection.ops.adapt_datetimefield_value(at)  # as the ORM stored it (SQLite keeps text)
    params = [at, REOPENED, *changed, at, at, RAISED, *raised]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [code for code, kind in cursor.fetchall() if kind == "+"]


# Created ("+"): a flag this run inserted; changed ("~"): one it reopened
# (open now) or closed (closed_at = at).
HISTORY_SQL = """
INSERT INTO {history} ({columns}, history_date, history_type, history_change_reason, history_user_id)
SELECT {columns}, %s, '~', CASE WHEN closed_at IS NULL THEN %s ELSE closed_reason END, CAST(NULL AS {user})
  FROM {flag} WHERE id IN ({changed}) AND (closed_at IS NULL OR closed_at = %s)
UNION ALL
SELECT {columns}, %s, '+', %s, CAST(NULL AS {user})
  FROM {flag} WHERE id IN ({raised})
RETURNING code, history_type
"""


class NewFlag(NamedTuple):
    """A flag the engine raises: the columns it sets (the rest take their
    defaults)."""

    patient_id: object
    code: str
    severity: str
    entry_id: object
    entry_date: dt.date | None
    message: str
    advice: str
    raised_at: dt.datetime


def _flags_insert(flags: list[NewFlag]) -> list[int]:
    """Insert new flags in one statement and return the ids of those
    inserted; one that would duplicate a flag (the database's unique
    constraints) is skipped, as a retried task or a second sweep would make
    it. On PostgreSQL the rows travel as one array per column the engine
    sets, the other columns as one default each (the ORM's VALUES list, and
    a model instance per flag, cost more to build than the insert to run).
    Elsewhere the flags are found again by patient and time raised."""
    if not flags:
        return []
    if connection.vendor != "postgresql":
        Flag.objects.bulk_create([Flag(**flag._asdict()) for flag in flags], ignore_conflicts=True)
        return list(Flag.objects.filter(patient_id__in={flag.patient_id for flag in flags},
                                        raised_at__in={flag.raised_at for flag in flags}).values_list("id", flat=True))
    fields = {f.attname: f for f in Flag._meta.concrete_fields if not f.primary_key}
    varying = [fields.pop(name) for name in NewFlag._fields]
    arrays = [
        [value if type(value) in READY_FOR_DATABASE else f.get_db_prep_save(value, connection) for value in values]
        for f, values in zip(varying, zip(*flags, strict=True), strict=True)
    ]
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in fields.values()]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in (*varying, *fields.values()))
    unnest = ", ".join(f"%s::{db_type(f)}[]" for f in varying)
    constant = "".join(f", %s::{db_type(f)}" for f in fields.values())
    sql = (f"INSERT INTO {Flag._meta.db_table} ({columns}) "  # noqa: S608  (names from the model)
           f"SELECT *{constant} FROM unnest({unnest}) ON CONFLICT DO NOTHING RETURNING id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*defaults, *arrays])
        return [flag_id for (flag_id,) in cursor.fetchall()]


def _new_flag(patient: PatientFacts, finding: rules.Finding, raised_at) -> NewFlag:
    return NewFlag(
        patient_id=patient.id, code=finding.code, severity=finding.severity, entry_id=finding.entry_id,
        entry_date=finding.entry_date, message=finding.message, advice=finding.advice, raised_at=raised_at,
    )


def patient_facts(queryset) -> list[PatientFacts]:
    return [PatientFacts(**row) for row in queryset.values(*PATIENT_FIELDS)]


def patient_reconcile(*, patient_id, as_of=None) -> ReconcileSummary:
    """Reconcile one patient's flags (the per-entry task's service)."""
    patient = Patient.objects.select_related("clinic").get(pk=patient_id)
    as_of = as_of or patient.clinic.today()
    summary = patients_reconcile(patient_facts(Patient.objects.filter(pk=patient_id)), as_of_for=lambda _: as_of,
                                 lock_first=True)
    flags_notify_pending(patient_ids=[patient_id])
    return summary


def patients_reconcile_by_id(patient_ids, *, batch_size=500) -> ReconcileSummary:
    """Reconcile many patients at each one's clinic date, in batches; emails
    for the flags raised go out from a task once the surrounding transaction
    commits."""
    ids = sorted(patient_ids, key=str)
    summary = ReconcileSummary(raised={})
    today = {clinic.pk: clinic.today() for clinic in Clinic.objects.filter(patients__in=ids).distinct()}
    for start in range(0, len(ids), batch_size):
        batch = patient_facts(Patient.objects.filter(pk__in=ids[start:start + batch_size]))
        summary.merge(patients_reconcile(batch, as_of_for=today.__getitem__, lock_first=True))
    flags_notify_later(patient_ids=ids)
    return summary


def _flags_close(queryset, *, reason: str) -> int:
    """Close the open flags of `queryset` and record it (by the engine)."""
    at = timezone.now()
    rows = dict(queryset.filter(closed_at__isnull=True).values_list("pk", "patient_id"))
    if not rows:
        return 0
    ids = list(rows)
    with transaction.atomic():
        patients_lock(rows.values())
        closed = Flag.objects.filter(pk__in=ids, closed_at__isnull=True).update(closed_at=at, closed_reason=reason)
        _engine_changes_record(at=at, raised=[], changed=ids)
        patients_urgency_refresh(set(rows.values()), locked=True)
    return closed


def entry_flags_close(*, entry: Entry) -> int:
    """Close an entry's flags before it is deleted: the flag stays, as history."""
    return _flags_close(Flag.objects.filter(entry=entry), reason=NO_LONGER_PRESENT)


def flag_acknowledge(*, flag: Flag, user, note: str, readiness=True) -> Flag:
    """Acknowledge `flag` with the clinician's `note`. A flag that held the
    patient's readiness back (DESIGN 4.1) has their progress flags worked out
    again at once, unless the caller (a phase move, which settles them
    itself) says not with `readiness=False`."""
    note = (note or "").strip()
    if not note:
        raise ValueError("An acknowledgement needs a note saying what was done.")
    with transaction.atomic():
        patients_lock([flag.patient_id])
        flag = Flag.objects.select_for_update().get(pk=flag.pk)
        if flag.acknowledged_at is None:
            flag.acknowledged_at = timezone.now()
            flag.acknowledged_by = user
            flag.acknowledgement_note = note
            flag._change_reason = "acknowledged"
            flag._history_user = user  # also outside a request (shell, task)
            flag.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
            patients_urgency_refresh([flag.patient_id], locked=True)
            if readiness and flag.severity in READINESS_HELD_BY:
                # Readiness waited for this flag (DESIGN 4.1): the caseload
                # shows "ready to progress" now, not after the next sweep.
                patient = Patient.objects.select_related("clinic").get(pk=flag.patient_id)
                if patient.is_active:
                    patients_reconcile_progress(patient_facts(Patient.objects.filter(pk=patient.pk)),
                                                as_of=patient.clinic.today())
    return flag


def progress_flags_close_on_phase_move(*, patient_id, discharged=False) -> int:
    """`ready_to_progress` is about the phase the patient has just left; on
    discharge, plateau and regression end with the programme too (DESIGN 4.4).
    Red flags are not touched: they stay open until a clinician acknowledges them."""
    if discharged:
        return _flags_close(Flag.objects.filter(patient_id=patient_id, code__in=SWEEP_FLAG_CODES),
                            reason=DISCHARGED)
    return _flags_close(Flag.objects.filter(patient_id=patient_id, code=FlagCode.READY_TO_PROGRESS),
                        reason=MOVED_PHASE)
