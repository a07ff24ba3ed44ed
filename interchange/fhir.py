"""`--format fhir`: the caseload as a FHIR R4 `Bundle` of type `collection`.

Per patient: Patient, Procedure (the knee replacement), EpisodeOfCare (the
programme), CarePlan (current phase and assigned exercises), one Observation
per pain score and one Flag per open flag. Resources reference each other by
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
from content.models import Phase
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


def patient_resources(record: PatientRecord, clinic: Clinic, phases: dict) -> list[tuple[str, dict]]:
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
        for full_url, resource in patient_resources(record, clinic, phases):
            yield separator + json.dumps({"fullUrl": full_url, "resource": resource}, ensure_ascii=False)
            separator = ",\n  "
    yield "\n]}\n"
