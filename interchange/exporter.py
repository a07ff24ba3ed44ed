"""Exporting a clinic's caseload as `rehab-caseload/1` JSON.

Patients are read in chunks (keyset pagination on the clinic's ref) with a
fixed number of queries per chunk, and the document is produced as a stream
of text pieces, so a clinic of any size is never held in memory at once.
The same chunked records feed the CSV and FHIR writers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from content.codes import EntryKind
from content.measures import json_value
from interchange.schema import FORMAT
from patients.models import AdherenceMark, AssignedPlanItem, Clinic, OutcomeAdministration, Patient
from rehab import rules
from rehab.adherence import PatientAdherence, adherence_by_patient, flag_advice
from rehab.models import Flag, PhaseTransition
from rehab.record import (
    criteria_evaluate,
    entries_by_patient,
    exit_criteria_by_phase,
    keyset_chunks,
    phase_start_by_patient,
)

CHUNK_SIZE = 500


@dataclass
class PatientRecord:
    patient: Patient
    entries: list[rules.Entry]  # oldest first, with ref and notes
    transitions: list
    open_flags: list
    plan_items: list
    phase_start: dt.date  # the day the patient entered the current phase
    outcomes: list = field(default_factory=list)  # OutcomeAdministration, oldest first, with instrument
    adherence_marks: list = field(default_factory=list)  # AdherenceMarks, oldest first
    adherence: PatientAdherence | None = None  # when read with adherence_as_of


def patient_records(clinic: Clinic, *, chunk_size=CHUNK_SIZE, with_plans=False,
                    adherence_as_of: dt.date | None = None) -> Iterator[PatientRecord]:
    """Every patient of the clinic with their record, by ref, one chunk in memory at a time;
    with `adherence_as_of`, also the adherence figures at that date."""
    queryset = Patient.objects.filter(clinic=clinic).select_related("physio")
    for patients in keyset_chunks(queryset, key="ref", size=chunk_size):
        ids = [p.pk for p in patients]
        entries = entries_by_patient(ids, with_text=True)
        transitions = _grouped(
            PhaseTransition.objects.filter(patient_id__in=ids).select_related("moved_by")
            .order_by("date", "moved_at", "id")
        )
        open_flags = _grouped(Flag.objects.open().filter(patient_id__in=ids).order_by("raised_at", "id"))
        phase_starts = phase_start_by_patient(patients)
        outcomes = _grouped(
            OutcomeAdministration.objects.filter(patient_id__in=ids).select_related("instrument")
            .order_by("date", "created_at", "id")
        )
        plans = (
            _grouped(AssignedPlanItem.objects.filter(patient_id__in=ids).select_related("exercise")
                     .order_by("order", "id"))
            if with_plans else {}
        )
        marks = _grouped(
            AdherenceMark.objects.filter(patient_id__in=ids).select_related("exercise").order_by("date", "exercise__code")
        )
        adherence = adherence_by_patient(clinic, patients, as_of=adherence_as_of) if adherence_as_of else {}
        for patient in patients:
            yield PatientRecord(
                patient=patient,
                entries=entries.get(patient.pk, []),
                transitions=transitions.get(patient.pk, []),
                open_flags=open_flags.get(patient.pk, []),
                plan_items=plans.get(patient.pk, []),
                phase_start=phase_starts[patient.pk],
                outcomes=outcomes.get(patient.pk, []),
                adherence_marks=marks.get(patient.pk, []),
                adherence=adherence.get(patient.pk),
            )


def _grouped(queryset):
    grouped = defaultdict(list)
    for obj in queryset:
        grouped[obj.patient_id].append(obj)
    return grouped


def entry_document(entry: rules.Entry) -> dict:
    doc = {"date": entry.date.isoformat()}
    if entry.ref:
        doc["ref"] = entry.ref
    doc["pain"] = [
        {"location": p.location, "context": p.context, "score": p.score}
        for p in entry.pain
    ]
    if entry.kind == EntryKind.VISIT:
        doc["measures"] = {code: json_value(value) for code, value in entry.measures.items()}
    doc["symptoms"] = sorted(entry.symptoms)
    if entry.kind == EntryKind.VISIT and entry.notes:
        doc["notes"] = entry.notes
    return doc


def patient_document(record: PatientRecord) -> dict:
    """The importable part of a patient (INTERCHANGE.md sections 2 and 3)."""
    patient = record.patient
    return {
        "ref": patient.ref,
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "physio": patient.physio.username if patient.physio else None,
        "surgery": {"procedure": "TKR", "side": patient.operated_side, "date": patient.surgery_date.isoformat()},
        "programme_start": patient.programme_start.isoformat(),
        "phase": patient.phase,
        **({"email": patient.email} if patient.email else {}),
        "phase_history": [
            {"date": t.date.isoformat(), "from": t.from_phase, "to": t.to_phase,
             "by": t.moved_by.username if t.moved_by else None, "reason": t.reason}
            for t in record.transitions
        ],
        "visits": [entry_document(e) for e in record.entries if e.kind == EntryKind.VISIT],
        "self_reports": [entry_document(e) for e in record.entries if e.kind == EntryKind.SELF_REPORT],
        "outcomes": [outcome_document(o) for o in record.outcomes],
        "adherence": [
            {"date": m.date.isoformat(), "exercise": m.exercise.code, "status": m.status}
            for m in record.adherence_marks
        ],
    }


def outcome_document(outcome: OutcomeAdministration) -> dict:
    """One questionnaire administration (INTERCHANGE.md "OUTCOME")."""
    doc = {"date": outcome.date.isoformat(), "instrument": outcome.instrument.code, "by": outcome.by}
    if outcome.activities:
        doc["activities"] = [{"activity": row["activity"], "score": row["score"]} for row in outcome.activities]
    else:
        doc["answers"] = list(outcome.answers)
    return doc


def computed_fields(record: PatientRecord, criteria, *, as_of: dt.date) -> dict:
    """The read-only fields of INTERCHANGE.md section 4, evaluated at `as_of`."""
    patient = record.patient
    clinic = patient.clinic
    unacknowledged = [f.severity for f in record.open_flags if f.acknowledged_at is None]
    results, ready = criteria_evaluate(patient, record.entries, criteria, as_of=as_of,
                                       phase_start=record.phase_start, unacknowledged=unacknowledged)
    return {
        "weeks_in_programme": patient.weeks_since(patient.programme_start, as_of),
        "criteria": [
            {"measure": r.measure, "comparator": r.comparator, "threshold": r.threshold,
             "value": json_value(r.value), "met": r.met}
            for r in results
        ],
        "ready_to_progress": ready,
        "outcome_scores": [
            {"date": o.date.isoformat(), "instrument": o.instrument.code, "raw": o.raw, "score": json_value(o.score)}
            for o in record.outcomes
        ],
        # Days with exercises done ÷ days, over the last 28 (or since the plan started).
        "adherence_28d": round(last_28.rate, 2) if (last_28 := _last_28(record)) else None,
        "flags": [
            {"code": f.code, "severity": f.severity, "raised_on": clinic.local_date(f.raised_at).isoformat(),
             "entry_date": f.entry_date.isoformat() if f.entry_date else None,
             "acknowledged": f.acknowledged_at is not None, "message": f.message,
             "advice": flag_advice(f, record.adherence)}
            for f in record.open_flags
        ],
    }


def _last_28(record: PatientRecord):
    return record.adherence.last_28 if record.adherence else None


def iter_caseload_json(clinic: Clinic, *, as_of: dt.date | None = None, chunk_size=CHUNK_SIZE) -> Iterator[str]:
    """The document, piece by piece: one patient per piece."""
    as_of = as_of or clinic.today()
    criteria = exit_criteria_by_phase([clinic.pk])
    head = {"format": FORMAT, "clinic": clinic.slug, "exported_at": timezone.now().isoformat(timespec="seconds"),
            "as_of": as_of.isoformat()}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "patients": ['
    separator = "\n  "
    for record in patient_records(clinic, chunk_size=chunk_size, adherence_as_of=as_of):
        record.patient.clinic = clinic
        doc = patient_document(record)
        doc.update(computed_fields(record, criteria.get((clinic.pk, record.patient.phase), []), as_of=as_of))
        yield separator + json.dumps(doc, ensure_ascii=False)
        separator = ",\n  "
    yield "\n]}\n"


def write_caseload_json(clinic: Clinic, out, *, as_of: dt.date | None = None) -> None:
    for piece in iter_caseload_json(clinic, as_of=as_of):
        out.write(piece)
