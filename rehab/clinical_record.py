"""Reads the clinical record into the plain data the rules take.

A fixed number of queries whatever the number of patients: one for the
entries, one for their pain scores, one for their symptoms.
"""

from collections import defaultdict

from content.models import ExitCriterion
from patients.models import MEASURE_FIELDS, Entry, EntrySymptom, PainScore
from rehab import rules

ENTRY_COLUMNS = ("id", "patient_id", "kind", "date", *MEASURE_FIELDS)


def entries_by_patient(patient_ids) -> dict:
    """{patient_id: [rules.Entry, oldest first]} for the given patients.

    Plain `values_list` rows rather than model instances: the sweep reads
    every entry of every active patient, and building rule data straight from
    tuples is several times faster than ORM objects with prefetches.
    """
    patient_ids = list(patient_ids)
    pain = defaultdict(list)
    for entry_id, location, context, score in PainScore.objects.filter(
        entry__patient_id__in=patient_ids
    ).order_by().values_list("entry_id", "location", "context", "score"):
        pain[entry_id].append(rules.PainScore(location=location, context=context, score=score))
    symptoms = defaultdict(set)
    for entry_id, code in EntrySymptom.objects.filter(
        entry__patient_id__in=patient_ids
    ).order_by().values_list("entry_id", "code"):
        symptoms[entry_id].add(code)

    grouped = defaultdict(list)
    rows = (
        Entry.objects.filter(patient_id__in=patient_ids)
        .order_by("patient_id", "date", "created_at")
        .values_list(*ENTRY_COLUMNS)
    )
    for entry_id, patient_id, kind, date, *measures in rows:
        grouped[patient_id].append(
            rules.Entry(
                id=entry_id,
                kind=kind,
                date=date,
                pain=tuple(pain.get(entry_id, ())),
                measures={name: value for name, value in zip(MEASURE_FIELDS, measures, strict=True)
                          if value is not None},
                symptoms=frozenset(symptoms.get(entry_id, ())),
            )
        )
    return grouped


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
