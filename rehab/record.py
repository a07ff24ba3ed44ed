"""Reads the clinical record into plain data for the rules, the sweep and the export.

A fixed number of queries whatever the number of patients: one for the
entries, one for their pain scores, one for their symptoms.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from content.models import ExitCriterion
from patients.models import MEASURE_FIELDS, Entry, EntrySymptom, PainScore
from rehab import rules


@dataclass
class PainRow:
    id: int
    location: str
    context: str
    score: int


@dataclass
class EntryRow:
    """An entry read as plain values. The sweep and the export read every
    entry of a clinic; model instances with prefetch bookkeeping would cost
    several times as much."""

    id: object
    kind: str
    date: dt.date
    measures: dict
    ref: str = ""
    notes: str = ""
    pain: list = field(default_factory=list)
    symptoms: list = field(default_factory=list)

    def as_rule_entry(self) -> rules.Entry:
        return rules.Entry(
            id=self.id, kind=self.kind, date=self.date, measures=self.measures, symptoms=self.symptoms,
            pain=[rules.PainScore(location=p.location, context=p.context, score=p.score) for p in self.pain],
        )


def entry_rows(patient_ids, *, with_text=True) -> dict:
    """{patient_id: [EntryRow, oldest first]} in three queries.

    `with_text=False` leaves out the entry's ref and notes, which the rules
    never read.
    """
    patient_ids = list(patient_ids)
    text_columns = ("ref", "notes") if with_text else ()
    rows = (
        Entry.objects.filter(patient_id__in=patient_ids)
        .order_by("patient_id", "date", "created_at")
        .values_list("id", "patient_id", "kind", "date", *MEASURE_FIELDS, *text_columns)
    )
    grouped, by_id = defaultdict(list), {}
    for entry_id, patient_id, kind, date, *values in rows:
        measures = values[: len(MEASURE_FIELDS)]
        text = dict(zip(text_columns, values[len(MEASURE_FIELDS):], strict=True))
        entry = EntryRow(
            entry_id, kind, date,
            {name: value for name, value in zip(MEASURE_FIELDS, measures, strict=True) if value is not None},
            **text,
        )
        by_id[entry_id] = entry
        grouped[patient_id].append(entry)
    pain = (
        PainScore.objects.filter(entry__patient_id__in=patient_ids)
        .order_by("entry_id", "location", "context")
        .values_list("id", "entry_id", "location", "context", "score")
    )
    for pain_id, entry_id, location, context, score in pain:
        by_id[entry_id].pain.append(PainRow(pain_id, location, context, score))
    symptoms = (
        EntrySymptom.objects.filter(entry__patient_id__in=patient_ids)
        .order_by("entry_id", "code").values_list("entry_id", "code")
    )
    for entry_id, code in symptoms:
        by_id[entry_id].symptoms.append(code)
    return grouped


def entries_by_patient(patient_ids) -> dict:
    """{patient_id: [rules.Entry, oldest first]} for the given patients."""
    return {
        patient_id: [row.as_rule_entry() for row in rows]
        for patient_id, rows in entry_rows(patient_ids, with_text=False).items()
    }


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
