"""Reads the clinical record into the plain data the rules take.

A fixed number of queries whatever the number of patients: one for the
entries, one for their pain scores, one for their symptoms.
"""

from collections import defaultdict

from django.db.models import Prefetch

from content.models import ExitCriterion
from patients.models import Entry, EntrySymptom, PainScore
from rehab import rules


def to_rule_entry(entry: Entry) -> rules.Entry:
    """One ORM entry (with prefetched pain scores and symptoms) as rule data."""
    return rules.Entry(
        id=entry.pk,
        kind=entry.kind,
        date=entry.date,
        pain=tuple(
            rules.PainScore(location=p.location, context=p.context, score=p.score)
            for p in entry.pain_scores.all()
        ),
        measures=entry.measures,
        symptoms=frozenset(s.code for s in entry.symptoms.all()),
    )


def entries_with_details():
    return Entry.objects.prefetch_related(
        Prefetch("pain_scores", queryset=PainScore.objects.order_by()),
        Prefetch("symptoms", queryset=EntrySymptom.objects.order_by()),
    ).order_by("patient_id", "date", "created_at")


def entries_by_patient(patient_ids) -> dict:
    """{patient_id: [rules.Entry, oldest first]} for the given patients."""
    grouped = defaultdict(list)
    for entry in entries_with_details().filter(patient_id__in=list(patient_ids)):
        grouped[entry.patient_id].append(to_rule_entry(entry))
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
