"""`--format fhir`: the caseload as a FHIR R4 `Bundle` of type `collection`.

Per patient: Patient, Procedure (the knee replacement), EpisodeOfCare (the
programme), CarePlan (current phase and assigned exercises), one Observation
per pain score, one QuestionnaireResponse per outcome questionnaire with an
Observation for its score (LOINC where the instrument has a score code), one
Observation per performance test of a visit, and one Flag per open flag. Resources reference each other by
`urn:uuid:` fullUrls derived from the database ids (uuid5), so the references
resolve inside the bundle and a second export gives the same ids.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

from django.utils import timezone

from content import codes
from content.codes import CONTEXTS, LOCATIONS, EntryKind, Side
from content.flag_kinds import FLAG_KINDS, Severity
from content.measures import PERFORMANCE_TESTS
from content.models import Instrument, Phase
from interchange.exporter import CHUNK_SIZE, PatientRecord, patient_records
from patients.models import Clinic

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
KINETIC = "https://kinetic.invalid/fhir"
NAMESPACE = uuid.UUID("5f0d3c1e-8f6b-4b7e-9a55-2c1f0e6d9a10")

TKR = {"system": SNOMED, "code": "609588000", "display": "Total knee replacement"}
KNEE_BY_SIDE = {
    Side.LEFT: {"system": SNOMED, "code": "82169009", "display": "Structure of left knee region"},
    Side.RIGHT: {"system": SNOMED, "code": "6757004", "display": "Structure of right knee region"},
}
PAIN_SEVERITY = {"system": LOINC, "code": "72514-3",
                 "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}


def resource_uuid(kind: str, key) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _ref(url):
    return {"reference": url}


def _concept(system_url, code, display, text=None):
    concept = {"coding": [{"system": system_url, "code": code, "display": display}]}
    if text:
        concept["text"] = text
    return concept


SURVEY = {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey",
          "display": "Survey"}
EXAM = {"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "exam",
        "display": "Exam"}
UCUM = "http://unitsofmeasure.org"
# The unit of each performance test's value, in UCUM.
PERFORMANCE_UNITS = {"chair_stand_30s": ("{#}", "stands"), "tug_s": ("s", "s")}


def outcome_resources(record: PatientRecord, instruments: dict, subject: dict) -> list[tuple[str, dict]]:
    """A QuestionnaireResponse per administration and an Observation of its score."""
    out = []
    for outcome in record.outcomes:
        instrument = instruments[outcome.instrument_id]
        response_url = resource_uuid("QuestionnaireResponse", outcome.pk)
        if outcome.activities:
            items = [
                {"linkId": f"activity-{n}", "text": row["activity"], "answer": [{"valueInteger": row["score"]}]}
                for n, row in enumerate(outcome.activities, start=1)
            ]
        else:
            questions = list(instrument.items.all())
            items = [
                {"linkId": question.loinc or str(question.order), "text": question.text,
                 "answer": [{"valueInteger": value}]}
                for question, value in zip(questions, outcome.answers, strict=False)
            ]
        questionnaire = (f"http://loinc.org/q/{instrument.loinc_panel}" if instrument.loinc_panel
                         else f"{KINETIC}/Questionnaire/{instrument.code}")
        response = {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": questionnaire,
            "status": "completed",
            "subject": subject,
            "authored": outcome.date.isoformat(),
            "item": items,
        }
        if outcome.by == "patient":
            response["source"] = subject
        out.append((response_url, response))
        coding = (
            {"system": LOINC, "code": instrument.loinc_score, "display": f"{instrument.name} score"}
            if instrument.loinc_score
            else {"system": f"{KINETIC}/CodeSystem/instrument", "code": instrument.code, "display": instrument.name}
        )
        observation = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [SURVEY]}],
            "code": {"coding": [coding], "text": f"{instrument.name} score"},
            "subject": subject,
            "effectiveDateTime": outcome.date.isoformat(),
            "valueQuantity": {"value": float(outcome.score), "unit": "score", "system": UCUM, "code": "{score}"},
            "derivedFrom": [_ref(response_url)],
        }
        if outcome.raw is not None and instrument.loinc_score:
            observation["note"] = [{"text": f"Raw sum {outcome.raw}"}]
        out.append((resource_uuid("Observation", f"outcome:{outcome.pk}"), observation))
    return out


def performance_resources(record: PatientRecord, subject: dict) -> list[tuple[str, dict]]:
    """An Observation per performance test recorded at a visit."""
    out = []
    for entry in record.entries:
        if entry.kind != EntryKind.VISIT:
            continue
        for code, measure in PERFORMANCE_TESTS.items():
            value = entry.measures.get(code)
            if value is None:
                continue
            unit_code, unit = PERFORMANCE_UNITS.get(code, ("1", ""))
            out.append((resource_uuid("Observation", f"{code}:{entry.id}"), {
                "resourceType": "Observation",
                "status": "final",
                "category": [{"coding": [EXAM]}],
                "code": {"coding": [{"system": f"{KINETIC}/CodeSystem/measure", "code": code,
                                     "display": measure.label}], "text": measure.label},
                "subject": subject,
                "effectiveDateTime": entry.date.isoformat(),
                "valueQuantity": {"value": float(value), "unit": unit, "system": UCUM, "code": unit_code},
                "method": {"text": "Physiotherapy visit"},
            }))
    return out


def patient_resources(record: PatientRecord, clinic: Clinic, phases: dict,
                      instruments: dict | None = None) -> list[tuple[str, dict]]:
    """(fullUrl, resource) for one patient and everything about them."""
    patient = record.patient
    patient_url = resource_uuid("Patient", patient.pk)
    subject = _ref(patient_url)
    active = patient.is_active
    out = [(patient_url, {
        "resourceType": "Patient",
        "identifier": [{"system": f"{KINETIC}/clinic/{clinic.slug}/patient-ref", "value": patient.ref}],
        "name": [{"family": patient.family_name, "given": [patient.given_name]}],
        "birthDate": patient.date_of_birth.isoformat(),
    })]
    out.append((resource_uuid("Procedure", patient.pk), {
        "resourceType": "Procedure",
        "status": "completed",
        "code": {"coding": [TKR], "text": "Total knee replacement"},
        "subject": subject,
        "performedDateTime": patient.surgery_date.isoformat(),
        "bodySite": [{"coding": [KNEE_BY_SIDE[patient.operated_side]],
                      "text": f"{patient.get_operated_side_display()} knee"}],
    }))
    episode_url = resource_uuid("EpisodeOfCare", patient.pk)
    period = {"start": patient.programme_start.isoformat()}
    discharges = [t.date for t in record.transitions if t.to_phase == codes.Phase.DISCHARGED]
    if not active and discharges:
        period["end"] = discharges[-1].isoformat()
    episode = {
        "resourceType": "EpisodeOfCare",
        "status": "active" if active else "finished",
        "type": [{"text": "Rehabilitation after total knee replacement (back and hip)"}],
        "patient": subject,
        "period": period,
    }
    if patient.physio:
        episode["careManager"] = {"display": patient.physio.display_name}
    out.append((episode_url, episode))

    phase = phases.get(patient.phase)
    care_plan = {
        "resourceType": "CarePlan",
        "status": "active" if active else "completed",
        "intent": "plan",
        "title": f"{phase.name} phase" if phase else patient.get_phase_display(),
        "subject": subject,
        "period": {"start": patient.programme_start.isoformat()},
        "supportingInfo": [_ref(episode_url)],
    }
    if phase:
        care_plan["description"] = phase.goal
    activities = [
        {"detail": {
            "code": {"text": item.exercise.name},
            "status": "in-progress" if active else "completed",
            "description": item.effective_dosage,
        }}
        for item in record.plan_items
    ]
    if activities:
        care_plan["activity"] = activities
    out.append((resource_uuid("CarePlan", patient.pk), care_plan))

    for entry in record.entries:
        method = "Patient portal self-report" if entry.kind == EntryKind.SELF_REPORT else "Physiotherapy visit"
        for pain in entry.pain:
            location = LOCATIONS[pain.location]
            site_code, site_display = location.body_site
            context_label = CONTEXTS[pain.context].label
            out.append((resource_uuid("Observation", pain.id), {
                "resourceType": "Observation",
                "status": "final",
                "category": [_concept("http://terminology.hl7.org/CodeSystem/observation-category",
                                      "survey", "Survey")],
                "code": {"coding": [PAIN_SEVERITY], "text": "Pain score (0-10)"},
                "subject": subject,
                "effectiveDateTime": entry.date.isoformat(),
                "valueInteger": pain.score,
                "bodySite": _concept(SNOMED, site_code, site_display, location.label),
                "method": {"text": method},
                "component": [{
                    "code": {"text": "Pain context"},
                    "valueCodeableConcept": _concept(f"{KINETIC}/CodeSystem/pain-context", pain.context,
                                                     context_label),
                }],
                "note": [{"text": f"Pain {context_label.lower()}"}],
            }))

    out += outcome_resources(record, instruments or {}, subject)
    out += performance_resources(record, subject)

    for flag in record.open_flags:
        flag_resource = {
            "resourceType": "Flag",
            "status": "active",
            "category": [{"text": Severity(flag.severity).label}],
            "code": {**_concept(f"{KINETIC}/CodeSystem/flag", flag.code, FLAG_KINDS[flag.code].label),
                     "text": flag.message},
            "subject": subject,
            "period": {"start": flag.raised_at.isoformat()},
        }
        out.append((resource_uuid("Flag", flag.pk), flag_resource))
    return out


def iter_caseload_fhir(clinic: Clinic, *, chunk_size=CHUNK_SIZE) -> Iterator[str]:
    """The bundle as text, one patient's resources per piece."""
    phases = {p.code: p for p in Phase.objects.filter(clinic=clinic)}
    instruments = {i.pk: i for i in Instrument.objects.filter(clinic=clinic).prefetch_related("items")}
    head = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid5(NAMESPACE, f"Bundle:{clinic.slug}:{timezone.now().isoformat()}")),
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "entry": ['
    separator = "\n  "
    for record in patient_records(clinic, chunk_size=chunk_size, with_plans=True):
        record.patient.clinic = clinic
        for full_url, resource in patient_resources(record, clinic, phases, instruments):
            yield separator + json.dumps({"fullUrl": full_url, "resource": resource}, ensure_ascii=False)
            separator = ",\n  "
    yield "\n]}\n"
