"""Reads the clinical record into plain data for the rules, the sweep and the export.

A fixed number of queries whatever the number of patients. The whole record
(`entries_by_patient`): one for the entries, one for their pain scores, one
for their symptoms. For the sweep, set-based: what the progress rules and the
criteria compare, reduced in the database (`progress_facts_by_patient`), and
only the entries that can raise a red flag (`red_flag_entries_by_patient`).
Beside them, the exit criteria and the day each patient entered their phase.
"""

import datetime as dt
import uuid
from collections import defaultdict

from django.db import connection
from django.db.models import F, Max
from django.db.models.expressions import RawSQL

from content.codes import EntryKind
from content.measures import CRITERION_MEASURES
from content.models import ExitCriterion
from patients.models import MEASURE_FIELDS, Entry, EntrySymptom, PainScore, Patient
from rehab import rules
from rehab.models import PhaseTransition
from rehab.outcomes import outcome_scores_by_patient
from rehab.rules import red_flags
from rehab.rules.criteria import FALLBACK_DAYS


def entries_by_patient(patient_ids, *, with_text=False) -> dict:
    """{patient_id: [rules.Entry, oldest first]} in three queries: the one
    reader of the record, for the rules, the sweep, the pages and the export.

    `with_text=True` adds what pages and exports show but the rules never
    read: the entry's ref and notes, and who recorded it.
    """
    return _entries_read(Entry.objects.filter(patient_id__in=among(patient_ids)), with_text=with_text)


def _entries_read(entries, *, with_text=False) -> dict:
    """The entries of `entries` (a queryset) with their pain scores and
    symptoms, grouped by patient, oldest first (same-day entries in the order
    they were recorded). The pain scores and symptoms are looked up through
    the ids of those entries (`entry_id IN (SELECT id ...)`), not by joining
    the entries back, so the pain-score index serves them."""
    text_columns = TEXT_COLUMNS if with_text else ()
    rows = list(
        entries.order_by("patient_id", "date", "created_at", "id")
        .values_list("id", "patient_id", "kind", "date", *MEASURE_FIELDS, *text_columns)
    )
    entry_ids = entries.values("id")
    pain = defaultdict(list)
    for pain_id, entry_id, location, context, score in (
        PainScore.objects.filter(entry_id__in=entry_ids)
        .order_by("entry_id", "location", "context")
        .values_list("id", "entry_id", "location", "context", "score")
    ):
        pain[entry_id].append(rules.PainScore(location, context, score, pain_id))
    symptoms = defaultdict(list)
    for entry_id, code in EntrySymptom.objects.filter(entry_id__in=entry_ids).values_list("entry_id", "code"):
        symptoms[entry_id].append(code)

    grouped = defaultdict(list)
    for entry_id, patient_id, kind, date, *values in rows:
        measures = {name: value for name, value in zip(MEASURE_FIELDS, values, strict=False) if value is not None}
        text = _text(values[len(MEASURE_FIELDS):]) if with_text else {}
        grouped[patient_id].append(rules.Entry(
            id=entry_id, kind=kind, date=date, pain=pain.get(entry_id, ()), measures=measures,
            symptoms=symptoms.get(entry_id, ()), **text,
        ))
    return grouped


TEXT_COLUMNS = ("ref", "notes", "recorded_by__first_name", "recorded_by__last_name", "recorded_by__username")


def _text(values) -> dict:
    ref, notes, first_name, last_name, username = values
    return {"ref": ref, "notes": notes, "recorded_by": f"{first_name or ''} {last_name or ''}".strip() or username or ""}


def keyset_chunks(queryset, *, key: str, size: int):
    """Yield lists of at most `size` rows of `queryset`, ordered by the unique
    column `key`, each fetched with `key > last seen` (keyset pagination: no
    OFFSET, and no chunk is skipped or repeated when rows change between them)."""
    queryset = queryset.order_by(key)
    last = None
    while True:
        page = queryset if last is None else queryset.filter(**{f"{key}__gt": last})
        chunk = list(page[:size])
        if not chunk:
            return
        yield chunk
        if len(chunk) < size:
            return
        last = _key_of(chunk[-1], key)


def _key_of(row, key):
    return row[key] if isinstance(row, dict) else getattr(row, key)


def exit_criteria_by_phase(clinic_ids) -> dict:
    """{(clinic_id, phase_code): [rules.Criterion, ...]} in one query."""
    criteria = defaultdict(list)
    rows = (
        ExitCriterion.objects.filter(phase__clinic_id__in=list(clinic_ids))
        .order_by("phase__clinic_id", "phase__order", "id")
        .values_list("phase__clinic_id", "phase__code", "measure", "comparator", "threshold",
                     "instrument__code", "instrument__name")
    )
    for clinic_id, phase_code, measure, comparator, threshold, instrument_code, instrument_name in rows:
        # A questionnaire the clinic added is named by its code, as its scores are (OutcomeScore).
        criteria[(clinic_id, phase_code)].append(rules.Criterion(
            measure=measure or instrument_code, comparator=comparator, threshold=threshold,
            questionnaire=instrument_name or "",
        ))
    return criteria


def phase_start_by_patient(patients) -> dict:
    """{patient id: the day the patient entered their current phase} in one
    query: the date of the last transition into it, else the programme start
    (DESIGN 4.1: only visits from that day count as evidence for the exit
    criteria). `patients` have `id`, `phase` and `programme_start`."""
    patients = list(patients)
    entered = dict(
        PhaseTransition.objects.filter(patient_id__in=among(p.id for p in patients), to_phase=F("patient__phase"))
        .values("patient_id").annotate(entered=Max("date")).values_list("patient_id", "entered")
    )
    return {p.id: max(entered.get(p.id, p.programme_start), p.programme_start) for p in patients}


def criteria_evaluate(patient, entries, criteria, *, as_of, phase_start, unacknowledged=(), outcomes=None):
    """The exit criteria of an active patient's current phase judged at
    `as_of` ([] once discharged), and whether they are ready to progress: the
    one evidence rule every page, export and snapshot uses (DESIGN 4.1).
    `unacknowledged` holds the severities of the open, unacknowledged flags.
    `outcomes` holds the patient's questionnaire scores (rules.OutcomeScore,
    from rehab.outcomes.outcome_scores_by_patient); when not given and a
    criterion reads one, this patient's are read here (one query)."""
    if not patient.is_active:
        return [], False
    if outcomes is None:
        outcomes = ()
        if any(c.reads_outcome for c in criteria):
            outcomes = outcome_scores_by_patient([patient.pk]).get(patient.pk, [])
    results = rules.evaluate_criteria(criteria, entries, as_of=as_of, phase_start=phase_start, outcomes=outcomes)
    return results, rules.is_ready_to_progress(results, unacknowledged=unacknowledged)


# What the progress rules and the exit criteria read, worked out in the
# database (DESIGN 5): per visit its activity pain (and rest pain, and whether
# the anterior hip is among its worst back/hip scores), which the database
# keeps on the entry's row (patients migration 0018), then per patient the
# baseline, current and lowest earlier activity pain of the programme's
# visits, the activity pain when an open regression was acknowledged, the
# latest visit in the current phase and of any phase, and for every criterion
# measure the latest value in the fallback window. Fed these, plateau_from,
# regression_from and judge_criteria answer exactly as plateau_finding,
# regression_finding and evaluate_criteria do over the whole record
# (rules.progress_visits and rules.criteria_evidence reduce a record to the
# same values; tests/rehab/test_set_based_evaluation.py holds them equal).
#
# "Latest" is by date, then when recorded, then id: the record's own order.
# The visits are sorted once, latest first (the window `latest_first`), and
# running counts rank each visit among those of a kind (in the programme with
# activity pain; on or before the acknowledgement; in the phase holding a
# measure): the current visit is the programme's rank 1, the baseline its
# last rank, a measure's evidence the in-phase visit ranked 1 for it, kept
# when it lies in the fallback window (a window that ends at the latest visit
# in the phase holds a suffix of the phase's visits, so the latest visit
# holding a measure is in it or none is). One sort and plain aggregates, where
# an ordered aggregate per value would sort every patient's visits again for
# each (PostgreSQL 15).
PROGRESS_FACTS_SQL = """
WITH patient AS (
    SELECT * FROM unnest(%(ids)s::uuid[], %(programme_starts)s::date[], %(phase_starts)s::date[],
                         %(acknowledged_on)s::date[]) AS p(id, programme_start, phase_start, acknowledged_on)
),
v AS (
    SELECT e.id, e.patient_id, e.date, e.created_at, {entry_measures}, e.activity_pain, e.rest_pain,
           coalesce(e.anterior_hip_pain = e.back_hip_pain, false) AS hip_worst, p.acknowledged_on,
           (e.date >= p.programme_start AND e.activity_pain IS NOT NULL) AS counted,
           e.date >= p.phase_start AS in_phase
    FROM {entry} e JOIN patient p ON p.id = e.patient_id
    WHERE e.patient_id = ANY(%(ids)s::uuid[]) AND e.kind = %(visit)s AND e.date <= %(as_of)s::date
),
ranked AS (
    SELECT v.*,
           count(*) FILTER (WHERE counted) OVER latest_first AS counted_rank,
           count(*) FILTER (WHERE counted) OVER (PARTITION BY patient_id) AS counted_total,
           count(*) FILTER (WHERE counted AND date <= acknowledged_on) OVER latest_first AS acknowledged_rank
           {measure_ranks}
    FROM v
    WINDOW latest_first AS (PARTITION BY patient_id ORDER BY date DESC, created_at DESC, id DESC
                            ROWS UNBOUNDED PRECEDING)
),
summary AS (
    SELECT patient_id,
           max(counted_total) AS visits,
           max(activity_pain) FILTER (WHERE counted AND counted_rank = counted_total) AS baseline,
           max(activity_pain) FILTER (WHERE counted AND counted_rank = 1) AS current,
           max(date) FILTER (WHERE counted AND counted_rank = 1) AS current_date,
           min(activity_pain) FILTER (WHERE counted AND counted_rank > 1) AS lowest_earlier,
           max(activity_pain) FILTER (WHERE counted AND date <= acknowledged_on AND acknowledged_rank = 1)
               AS at_acknowledgement,
           bool_or(hip_worst) FILTER (WHERE counted AND counted_rank = 1) AS current_hip_worst,
           max(date) FILTER (WHERE in_phase) AS in_phase,
           max(date) AS any_phase
           {evidence}
    FROM ranked GROUP BY patient_id
)
SELECT p.id, coalesce(s.visits, 0), s.baseline, s.current, s.current_date, s.lowest_earlier,
       s.at_acknowledgement, coalesce(s.current_hip_worst, false), s.in_phase, s.any_phase
       {evidence_columns}
FROM patient p LEFT JOIN summary s ON s.patient_id = p.id
"""

# The measures a criterion can read from a visit (the rest are questionnaire scores).
EVIDENCE_MEASURES = tuple(code for code, m in CRITERION_MEASURES.items() if not m.is_outcome)


def progress_facts_by_patient(patients, *, as_of, phase_starts, acknowledged_on,
                              measures=EVIDENCE_MEASURES) -> dict:
    """{patient id: (rules.ProgressVisits, rules.Evidence)} at `as_of`: what
    plateau, regression and the exit criteria read, in one query whatever
    the number of patients (PROGRESS_FACTS_SQL). `phase_starts` is
    phase_start_by_patient's answer; `acknowledged_on` maps a patient to the
    clinic date their open pain_regression was acknowledged; the evidence
    holds the visits' values of `measures` only (those the criteria read).
    Elsewhere than on PostgreSQL (the quick start's SQLite) the same values
    are reduced from the whole record in Python."""
    patients = list(patients)
    if not patients:
        return {}
    wanted = set(measures)
    measures = tuple(measure for measure in EVIDENCE_MEASURES if measure in wanted)
    if connection.vendor != "postgresql":
        return _progress_facts_from_record(patients, as_of=as_of, phase_starts=phase_starts,
                                           acknowledged_on=acknowledged_on, measures=measures)
    columns = {name: Entry._meta.get_field(name).column for name in MEASURE_FIELDS}
    ranks, evidence, evidence_columns = [], [], []
    for number, measure in enumerate(measures):
        column = measure if measure in _PAIN_MEASURES else f"m_{columns[measure]}"
        ranks.append(f"count({column}) FILTER (WHERE in_phase) OVER latest_first AS e{number}_rank")
        held = f"in_phase AND {column} IS NOT NULL AND e{number}_rank = 1"
        for source, alias in ((column, "value"), ("date", "date"), ("id", "id")):
            evidence.append(f"(array_agg({source}) FILTER (WHERE {held}))[1] AS e{number}_{alias}")
            # Kept when it lies in the fallback window of the latest visit in the phase.
            evidence_columns.append(f"CASE WHEN s.e{number}_date >= s.in_phase - %(fallback)s THEN s.e{number}_{alias} END")
    sql = PROGRESS_FACTS_SQL.format(
        entry=Entry._meta.db_table,
        entry_measures=", ".join(f"e.{column} AS m_{column}" for column in columns.values()),
        measure_ranks="".join(f",\n           {rank}" for rank in ranks),
        evidence="".join(f",\n           {each}" for each in evidence),
        evidence_columns="".join(f", {each}" for each in evidence_columns),
    )
    params = {
        "ids": array_literal(p.id for p in patients),
        "programme_starts": array_literal(p.programme_start for p in patients),
        "phase_starts": array_literal(phase_starts[p.id] for p in patients),
        "acknowledged_on": array_literal(acknowledged_on.get(p.id) for p in patients),
        "visit": EntryKind.VISIT, "as_of": as_of, "fallback": FALLBACK_DAYS,
    }
    facts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for (patient_id, count, baseline, current, current_date, lowest_earlier, at_acknowledgement, hip_worst,
             latest_in_phase, latest_any, *found) in cursor.fetchall():
            visits = rules.ProgressVisits(
                count=count, baseline=baseline, current=current, current_date=current_date,
                lowest_earlier=lowest_earlier, at_acknowledgement=at_acknowledgement, current_hip_worst=hip_worst,
            )
            values = {measure: tuple(found[3 * n:3 * n + 3]) for n, measure in enumerate(measures)
                      if found[3 * n + 2] is not None}
            evidence = rules.Evidence.of(latest_in_phase=latest_in_phase, latest_any=latest_any, values=values,
                                         as_of=as_of)
            facts[patient_id] = (visits, evidence)
    return facts


# The criterion measures computed from an entry's pain scores (DESIGN 3), which
# the database keeps on the entry's row under the same names.
_PAIN_MEASURES = tuple(code for code, m in CRITERION_MEASURES.items() if not m.on_entry and not m.is_outcome)


def array_literal(values) -> str:
    """A PostgreSQL array literal of ids or dates ("{…,NULL,…}"), to be cast
    in the query (`%s::uuid[]`): one parameter the driver passes as it is,
    instead of hundreds it quotes one by one. Only for values whose text has
    no comma, brace, quote or space (UUIDs, dates)."""
    return "{" + ",".join("NULL" if value is None else str(value) for value in values) + "}"


# Values the driver takes as they are, whatever the column: the ORM's
# preparing of each (a method call and a look-up of the connection's
# features) adds nothing to them and, at a sweep's hundreds of thousands,
# costs seconds. Other types (a naive datetime, a Decimal) are prepared.
READY_FOR_DATABASE = frozenset({uuid.UUID, int, str, dt.date, type(None)})


def in_list(values, field) -> tuple[str, list]:
    """(SQL, params) for `column IN (…)` over these values of `field`: on
    PostgreSQL one array parameter (`SELECT unnest(%s::uuid[])`), which
    neither Django nor the driver expands into a placeholder per value;
    elsewhere a placeholder per value (NULL for none)."""
    values = [value if type(value) in READY_FOR_DATABASE else field.get_db_prep_value(value, connection) for value in values]
    if connection.vendor == "postgresql" and values:
        return f"SELECT unnest(%s::{db_type(field)}[])", [array_literal(values)]
    return ", ".join(["%s"] * len(values)) or "NULL", values


def among(ids, field=None):
    """What `field__in=` takes for a batch of ids of `field` (default: the
    patient's): in_list's one array parameter on PostgreSQL, the list
    itself elsewhere."""
    ids = list(ids)
    if connection.vendor != "postgresql":
        return ids
    return RawSQL(*in_list(ids, field or Patient._meta.pk))  # noqa: S611  (one parameter, a type we name)


def db_type(field) -> str:
    """The column type of `field` (a foreign key's: the referenced key's)."""
    return field.rel_db_type(connection) if field.is_relation else field.db_type(connection)


def _progress_facts_from_record(patients, *, as_of, phase_starts, acknowledged_on, measures) -> dict:
    entries = entries_by_patient([p.id for p in patients])
    return {p.id: progress_facts(entries.get(p.id, []), programme_start=p.programme_start, as_of=as_of,
                                 phase_start=phase_starts[p.id], acknowledged_on=acknowledged_on.get(p.id),
                                 measures=measures)
            for p in patients}


def progress_facts(entries, *, programme_start, as_of, phase_start, acknowledged_on=None,
                   measures=EVIDENCE_MEASURES):
    """(rules.ProgressVisits, rules.Evidence) reduced from a record's entries:
    what progress_facts_by_patient gives, from the record in Python."""
    entries = [entry for entry in entries if entry.date <= as_of]
    return (
        rules.progress_visits(entries, programme_start=programme_start, as_of=as_of, acknowledged_on=acknowledged_on),
        rules.criteria_evidence(entries, as_of=as_of, phase_start=phase_start, measures=measures),
    )


# The entries that can raise a red flag (DESIGN 4.2), picked in the database
# from the pain summary on each entry's row (patients migration 0018), with
# the earlier entries those rules read beside them: an entry with a symptom
# ticked; a knee or thigh score of 3 or more from day 84 after surgery, after
# a spell of knee and thigh scores that were all 0; a self-report with a
# back/hip score that is severe, or on activity or at rest high enough to be
# a rise. Every other entry raises nothing (entry_findings would return []),
# so the rules are fed only these. Beside them: the entries with knee or
# thigh scores in the 28 days before one (the late ache's look-back), and the
# latest visit before a self-report (what its rise is measured from).
RED_FLAG_ENTRIES_SQL = """
WITH patient AS (
    SELECT * FROM unnest(%(ids)s::uuid[], %(surgery_dates)s::date[]) AS p(id, surgery_date)
),
entry AS NOT MATERIALIZED (
    SELECT e.id, e.patient_id, e.kind, e.date, e.back_hip_pain, e.activity_pain, e.rest_pain, e.knee_thigh_pain,
           p.surgery_date
    FROM {entry} e JOIN patient p ON p.id = e.patient_id
    WHERE e.patient_id = ANY(%(ids)s::uuid[]) AND e.date <= %(as_of)s::date
),
knee AS (
    SELECT id, patient_id, kind, date, knee_thigh_pain, surgery_date,
           count(*) OVER look_back AS scored_before, max(knee_thigh_pain) OVER look_back AS worst_before
    FROM entry WHERE knee_thigh_pain IS NOT NULL
    WINDOW look_back AS (PARTITION BY patient_id ORDER BY date
                         RANGE BETWEEN make_interval(days => %(lookback)s) PRECEDING AND '1 day' PRECEDING)
),
candidate AS (
    SELECT id, patient_id, kind, date FROM entry
     WHERE id IN (SELECT y.entry_id FROM {symptom} y)
        OR (kind = %(self_report)s AND (back_hip_pain >= %(severe)s OR greatest(activity_pain, rest_pain) >= %(rise)s))
    UNION
    SELECT id, patient_id, kind, date FROM knee
     WHERE knee_thigh_pain >= %(late_score)s AND date - surgery_date >= %(late_days)s
       AND scored_before > 0 AND worst_before = 0
),
beside AS (
    SELECT i.id FROM candidate c JOIN {entry} i ON i.patient_id = c.patient_id
     WHERE i.knee_thigh_pain IS NOT NULL AND i.date >= c.date - %(lookback)s AND i.date < c.date
    UNION
    SELECT (SELECT e.id FROM {entry} e WHERE e.patient_id = c.patient_id AND e.kind = %(visit)s AND e.date < c.date
             ORDER BY e.date DESC, e.created_at DESC, e.id DESC LIMIT 1)
      FROM candidate c WHERE c.kind = %(self_report)s
)
SELECT id, true FROM candidate
UNION ALL
SELECT b.id, false FROM beside b WHERE b.id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM candidate c WHERE c.id = b.id)
"""


def red_flag_entries_by_patient(patients, *, as_of) -> tuple[dict, set]:
    """({patient id: [rules.Entry, oldest first]}, {ids of the entries to
    evaluate}): the entries that can raise a red flag at `as_of` and the
    earlier ones their rules read (RED_FLAG_ENTRIES_SQL), in four queries.
    `patients` have `id` and `surgery_date`. Elsewhere than on PostgreSQL,
    the whole record, every entry to be evaluated."""
    patients = list(patients)
    if not patients:
        return {}, set()
    if connection.vendor != "postgresql":
        entries = entries_by_patient([p.id for p in patients])
        return entries, {e.id for record in entries.values() for e in record}
    sql = RED_FLAG_ENTRIES_SQL.format(entry=Entry._meta.db_table, symptom=EntrySymptom._meta.db_table)
    params = {
        "ids": array_literal(p.id for p in patients),
        "surgery_dates": array_literal(p.surgery_date for p in patients), "as_of": as_of,
        "self_report": EntryKind.SELF_REPORT, "visit": EntryKind.VISIT,
        "severe": red_flags.SELF_REPORT_SEVERE_PAIN, "rise": red_flags.SELF_REPORT_PAIN_RISE,
        "late_days": red_flags.LATE_ACHE_MIN_DAYS_AFTER_SURGERY, "late_score": red_flags.LATE_ACHE_MIN_SCORE,
        "lookback": red_flags.LATE_ACHE_LOOKBACK_DAYS,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return {}, set()
    evaluated = {entry_id for entry_id, is_candidate in rows if is_candidate}
    return _entries_read(Entry.objects.filter(id__in=among((entry_id for entry_id, _ in rows), Entry._meta.pk))), evaluated
