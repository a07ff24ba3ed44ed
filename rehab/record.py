"""Reads the clinical record into plain data for the rules, the sweep and the export.

A fixed number of queries whatever the number of patients: one for the
entries, one for their pain scores, one for their symptoms, one for the day
each patient entered their current phase.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import F, Max

from content.codes import BACK_HIP_LOCATIONS, Context, EntryKind
from content.measures import OUTCOME_MEASURES
from content.models import ExitCriterion
from patients.models import MEASURE_FIELDS, Entry, EntrySymptom, PainScore
from rehab import rules
from rehab.models import PhaseTransition
from rehab.outcomes import outcome_scores_by_patient
from rehab.rules.criteria import EVIDENCE_MAX_AGE_DAYS, FALLBACK_DAYS


def entries_by_patient(patient_ids, *, with_text=False) -> dict:
    """{patient_id: [rules.Entry, oldest first]} in three queries: the one
    reader of the record, for the rules, the sweep, the pages and the export.

    `with_text=True` adds what pages and exports show but the rules never
    read: the entry's ref and notes, and who recorded it.
    """
    return _entries_read(Entry.objects.filter(patient_id__in=list(patient_ids)), with_text=with_text)


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
        .values_list("phase__clinic_id", "phase__code", "measure", "comparator", "threshold")
    )
    for clinic_id, phase_code, measure, comparator, threshold in rows:
        criteria[(clinic_id, phase_code)].append(
            rules.Criterion(measure=measure, comparator=comparator, threshold=threshold)
        )
    return criteria


def phase_start_by_patient(patients) -> dict:
    """{patient id: the day the patient entered their current phase} in one
    query: the date of the last transition into it, else the programme start
    (DESIGN 4.1: only visits from that day count as evidence for the exit
    criteria). `patients` have `id`, `phase` and `programme_start`."""
    patients = list(patients)
    entered = dict(
        PhaseTransition.objects.filter(patient_id__in=[p.id for p in patients], to_phase=F("patient__phase"))
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
        if any(c.measure in OUTCOME_MEASURES for c in criteria):
            outcomes = outcome_scores_by_patient([patient.pk]).get(patient.pk, [])
    results = rules.evaluate_criteria(criteria, entries, as_of=as_of, phase_start=phase_start, outcomes=outcomes)
    return results, rules.is_ready_to_progress(results, unacknowledged=unacknowledged)


# The visits the progress rules and the exit criteria read, picked in the
# database from per-visit activity pain (DESIGN 5): the first and the latest
# programme visit with activity pain, the lowest before the latest, the latest
# on or before the day an open regression was acknowledged, and the visits of
# the current phase the criteria can take evidence from (the latest, and those
# within the fallback window of it while it is recent enough). Fed only these,
# plateau_finding, regression_finding and evaluate_criteria answer exactly as
# they do over the whole record: every value they compare is among them, in
# the same order (date, then when recorded).
PROGRESS_VISITS_SQL = """
WITH patient AS (
    SELECT * FROM unnest(%(ids)s::uuid[], %(programme_starts)s::date[], %(phase_starts)s::date[],
                         %(acknowledged_on)s::date[]) AS p(id, programme_start, phase_start, acknowledged_on)
),
visit AS (
    SELECT e.id, e.patient_id, e.date, e.created_at, max(s.score) AS activity_pain
    FROM {entry} e
    LEFT JOIN {pain} s ON s.entry_id = e.id AND s.context = %(activity)s AND s.location = ANY(%(back_hip)s)
    WHERE e.patient_id = ANY(%(ids)s::uuid[]) AND e.kind = %(visit)s AND e.date <= %(as_of)s::date
    GROUP BY e.id
),
programme AS (
    SELECT v.id, v.patient_id, v.activity_pain, v.date, p.acknowledged_on,
           row_number() OVER (PARTITION BY v.patient_id ORDER BY v.date, v.created_at, v.id) AS n,
           row_number() OVER (PARTITION BY v.patient_id ORDER BY v.date DESC, v.created_at DESC, v.id DESC)
               AS from_end
    FROM visit v JOIN patient p ON p.id = v.patient_id
    WHERE v.date >= p.programme_start AND v.activity_pain IS NOT NULL
),
in_phase AS (
    SELECT v.id, v.date, max(v.date) OVER (PARTITION BY v.patient_id) AS latest
    FROM visit v JOIN patient p ON p.id = v.patient_id
    WHERE v.date >= p.phase_start
),
chosen AS (
    SELECT id FROM programme WHERE n = 1 OR from_end = 1
    UNION (SELECT DISTINCT ON (patient_id) id FROM programme WHERE from_end > 1
           ORDER BY patient_id, activity_pain, n)
    UNION (SELECT DISTINCT ON (patient_id) id FROM programme WHERE date <= acknowledged_on
           ORDER BY patient_id, n DESC)
    UNION SELECT id FROM in_phase
          WHERE date = latest OR (%(as_of)s::date - latest <= %(max_age)s AND date >= latest - %(fallback)s)
)
SELECT e.id, e.patient_id, e.date,
       array_agg(s.location ORDER BY s.location, s.context) FILTER (WHERE s.id IS NOT NULL),
       array_agg(s.context ORDER BY s.location, s.context) FILTER (WHERE s.id IS NOT NULL),
       array_agg(s.score ORDER BY s.location, s.context) FILTER (WHERE s.id IS NOT NULL),
       array_agg(s.id ORDER BY s.location, s.context) FILTER (WHERE s.id IS NOT NULL),
       {measures}
FROM chosen c JOIN {entry} e ON e.id = c.id LEFT JOIN {pain} s ON s.entry_id = e.id
GROUP BY e.id
ORDER BY e.patient_id, e.date, e.created_at, e.id
"""


def progress_entries_by_patient(patients, *, as_of, phase_starts, acknowledged_on) -> dict:
    """{patient id: [rules.Entry]}: only the visits plateau, regression and
    the exit criteria read at `as_of` (see PROGRESS_VISITS_SQL), in a fixed
    number of queries. `phase_starts` is phase_start_by_patient's answer;
    `acknowledged_on` maps a patient to the clinic date their open
    pain_regression was acknowledged. PostgreSQL only (the sweep's fast path)."""
    patients = list(patients)
    if not patients:
        return {}
    measure_columns = [Entry._meta.get_field(name).column for name in MEASURE_FIELDS]
    sql = PROGRESS_VISITS_SQL.format(
        entry=Entry._meta.db_table, pain=PainScore._meta.db_table,
        measures=", ".join(f"e.{column}" for column in measure_columns),
    )
    params = {
        "ids": [p.id for p in patients],
        "programme_starts": [p.programme_start for p in patients],
        "phase_starts": [phase_starts[p.id] for p in patients],
        "acknowledged_on": [acknowledged_on.get(p.id) for p in patients],
        "activity": Context.ACTIVITY, "back_hip": sorted(BACK_HIP_LOCATIONS), "visit": EntryKind.VISIT,
        "as_of": as_of, "max_age": EVIDENCE_MAX_AGE_DAYS, "fallback": FALLBACK_DAYS,
    }
    grouped = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for entry_id, patient_id, date, locations, contexts, scores, pain_ids, *values in cursor.fetchall():
            pain = [rules.PainScore(*score) for score in zip(locations or (), contexts or (), scores or (),
                                                             pain_ids or (), strict=True)]
            measures = {name: value for name, value in zip(MEASURE_FIELDS, values, strict=True) if value is not None}
            grouped[patient_id].append(
                rules.Entry(id=entry_id, kind=EntryKind.VISIT, date=date, pain=pain, measures=measures)
            )
    return grouped
