"""Reads the clinical record into plain data for the rules, the sweep and the export.

A fixed number of queries whatever the number of patients: one for the
entries, one for their pain scores, one for their symptoms, one for the day
each patient entered their current phase.
"""

from collections import defaultdict

from django.db.models import F, Max

from content.measures import OUTCOME_MEASURES
from content.models import ExitCriterion
from patients.models import MEASURE_FIELDS, Entry, EntrySymptom, PainScore
from rehab import rules
from rehab.models import PhaseTransition
from rehab.outcomes import outcome_scores_by_patient


def entries_by_patient(patient_ids, *, with_text=False) -> dict:
    """{patient_id: [rules.Entry, oldest first]} in three queries: the one
    reader of the record, for the rules, the sweep, the pages and the export.

    `with_text=True` adds what pages and exports show but the rules never
    read: the entry's ref and notes, and who recorded it.
    """
    patient_ids = list(patient_ids)
    pain = defaultdict(list)
    for pain_id, entry_id, location, context, score in (
        PainScore.objects.filter(entry__patient_id__in=patient_ids)
        .order_by("entry_id", "location", "context")
        .values_list("id", "entry_id", "location", "context", "score")
    ):
        pain[entry_id].append(rules.PainScore(location, context, score, pain_id))
    symptoms = defaultdict(list)
    for entry_id, code in (
        EntrySymptom.objects.filter(entry__patient_id__in=patient_ids).values_list("entry_id", "code")
    ):
        symptoms[entry_id].append(code)

    text_columns = TEXT_COLUMNS if with_text else ()
    rows = (
        Entry.objects.filter(patient_id__in=patient_ids)
        .order_by("patient_id", "date", "created_at")
        .values_list("id", "patient_id", "kind", "date", *MEASURE_FIELDS, *text_columns)
    )
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
