import copy
import csv
import io
import json

import pytest
from django.core.management import call_command
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from content import codes
from interchange.exporter import iter_caseload_json
from interchange.fhir import iter_caseload_fhir
from interchange.importer import caseload_import
from interchange.specs import COMPUTED_FIELDS
from patients.models import Clinic, OutcomeAdministration, PainScore, Patient, User
from rehab.models import Flag
from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db


def _export(clinic, **kwargs):
    return json.loads("".join(iter_caseload_json(clinic, **kwargs)))


def _importable(document, rename=None):
    """The patients without the computed fields, with usernames mapped through `rename`."""
    rename = rename or {}
    patients = []
    for patient in document["patients"]:
        patient = {k: copy.deepcopy(v) for k, v in patient.items() if k not in COMPUTED_FIELDS}
        patient["physio"] = rename.get(patient["physio"], patient["physio"])
        for move in patient["phase_history"]:
            move["by"] = rename.get(move["by"], move["by"])
        patients.append(patient)
    return patients


@pytest.fixture
def demo():
    call_command("seed_demo")
    return Clinic.objects.get(slug="demo")


def test_export_reimports_to_the_same_records(demo):
    first = _export(demo)
    # Usernames are global, so the copy clinic has its own staff; map them.
    twin_clinic = ClinicFactory(slug="demo-copy")
    rename = {}
    for user in User.objects.filter(clinic=demo):
        twin = User.objects.create(username=f"copy-{user.username}", clinic=twin_clinic, role=user.role)
        rename[user.username] = twin.username
    document = {**first, "clinic": "demo-copy", "patients": _importable(first, rename)}

    result = caseload_import(document)

    assert result.ok, result.errors[:3]
    assert result.patients_created == Patient.objects.filter(clinic=demo).count() > 30
    second = _export(twin_clinic)
    back = {new: old for old, new in rename.items()}
    assert _importable(second, back) == _importable(first)


def test_reimporting_an_export_into_its_own_clinic_changes_nothing(demo):
    document = _export(demo)
    entries_before = sum(len(p["visits"]) + len(p["self_reports"]) for p in document["patients"])

    result = caseload_import(document)

    assert (result.patients_created, result.patients_updated, result.entries_created) == (0, 0, 0)
    assert result.entries_existing == entries_before


def test_export_adds_the_computed_fields_at_as_of(demo):
    document = _export(demo)
    by_ref = {p["ref"]: p for p in document["patients"]}
    patient = Patient.objects.get(clinic=demo, ref="P-0001")
    exported = by_ref["P-0001"]

    assert exported["weeks_in_programme"] == (demo.today() - patient.programme_start).days // 7
    assert [c["measure"] for c in exported["criteria"]] == ["activity_pain", "standing_tolerance_min"]
    assert all(c["met"] in (True, False, None) for c in exported["criteria"])
    flagged = [p for p in document["patients"] if p["flags"]]
    open_flags = Flag.objects.open().filter(patient__clinic=demo).count()
    assert sum(len(p["flags"]) for p in flagged) == open_flags > 0
    assert {"code", "severity", "raised_on", "entry_date", "acknowledged", "message", "advice"} <= set(
        flagged[0]["flags"][0])
    ready = [p for p in document["patients"] if p["ready_to_progress"]]
    assert ready and all(all(c["met"] is True for c in p["criteria"]) for p in ready)


def test_as_of_changes_weeks_in_programme(demo):
    patient = Patient.objects.get(clinic=demo, ref="P-0001")
    exported = {p["ref"]: p for p in _export(demo, as_of=patient.programme_start)["patients"]}

    assert exported["P-0001"]["weeks_in_programme"] == 0


def test_export_streams_in_chunks_and_keeps_every_patient(demo):
    pieces = list(iter_caseload_json(demo, chunk_size=7))
    document = json.loads("".join(pieces))

    assert len(document["patients"]) == Patient.objects.filter(clinic=demo).count()
    assert len(pieces) == len(document["patients"]) + 2
    assert [p["ref"] for p in document["patients"]] == sorted(p["ref"] for p in document["patients"])


def test_csv_has_one_row_per_pain_score(demo, tmp_path):
    path = tmp_path / "caseload.csv"

    call_command("export_caseload", "--clinic", "demo", "--format", "csv", "-o", str(path))

    rows = list(csv.DictReader(io.StringIO(path.read_text())))
    pain = [r for r in rows if r["measure"] == "pain"]
    assert len(pain) == PainScore.objects.filter(entry__patient__clinic=demo).count()
    assert list(rows[0]) == ["clinic", "ref", "date", "entry_kind", "location", "context", "score", "measure", "raw"]
    assert {r["entry_kind"] for r in pain} == {"visit", "self_report"}


def test_fhir_bundle_is_valid_r4_and_its_references_resolve(demo):
    text = "".join(iter_caseload_fhir(demo))
    document = json.loads(text)

    bundle = Bundle.model_validate(document)
    assert bundle.type == "collection"
    for entry in document["entry"]:
        get_fhir_model_class(entry["resource"]["resourceType"]).model_validate(entry["resource"])

    urls = {e["fullUrl"] for e in document["entry"]}
    assert all(url.startswith("urn:uuid:") for url in urls)
    assert len(urls) == len(document["entry"])
    references = []

    def collect(value):
        if isinstance(value, dict):
            if "reference" in value:
                references.append(value["reference"])
            for child in value.values():
                collect(child)
        elif isinstance(value, list):
            for child in value:
                collect(child)

    collect(document["entry"])
    assert references and set(references) <= urls

    by_type = {}
    for entry in document["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    patients = Patient.objects.filter(clinic=demo)
    for kind in ("Patient", "Procedure", "EpisodeOfCare", "CarePlan"):
        assert len(by_type[kind]) == patients.count()
    pain = [o for o in by_type["Observation"] if o["code"]["coding"][0]["code"] == "72514-3"]
    assert len(pain) == PainScore.objects.filter(entry__patient__clinic=demo).count()
    scores = [o for o in by_type["Observation"] if o.get("derivedFrom")]
    responses = by_type["QuestionnaireResponse"]
    assert len(scores) == len(responses) == OutcomeAdministration.objects.filter(patient__clinic=demo).count() > 0
    assert len(by_type["Flag"]) == Flag.objects.open().filter(patient__clinic=demo).count()

    procedure = by_type["Procedure"][0]
    assert procedure["code"]["coding"][0] == {"system": "http://snomed.info/sct", "code": "609588000",
                                              "display": "Total knee replacement"}
    assert procedure["bodySite"][0]["text"] in ("Left knee", "Right knee")
    observation = by_type["Observation"][0]
    assert observation["code"]["coding"][0]["code"] == "72514-3"
    assert 0 <= observation["valueInteger"] <= 10
    assert observation["bodySite"]["coding"][0]["system"] == "http://snomed.info/sct"
    assert observation["component"][0]["valueCodeableConcept"]["coding"][0]["code"] in {
        *codes.CONTEXTS}
    active_plans = [c for c in by_type["CarePlan"] if c["status"] == "active"]
    assert active_plans and all(plan.get("activity") for plan in active_plans)


def test_csv_never_hands_a_spreadsheet_a_formula(clinic, physio):
    from interchange.csv_export import iter_caseload_csv
    from rehab.entries import entry_create
    from tests.factories import PatientFactory

    patient = PatientFactory(clinic=clinic, physio=physio, ref='=HYPERLINK("http://evil.example","x")')
    entry_create(patient=patient, kind="visit", date=patient.programme_start,
                 pain=[("knee", "rest", 1)])
    rows = list(csv.DictReader(io.StringIO("".join(iter_caseload_csv(clinic)))))
    assert rows[0]["ref"] == "'" + patient.ref
    assert rows[0]["score"] == "1"


def test_fhir_pain_observations_use_the_lumbar_region_code(clinic, physio):
    from interchange.fhir import iter_caseload_fhir
    from rehab.entries import entry_create
    from tests.factories import PatientFactory

    patient = PatientFactory(clinic=clinic, physio=physio)
    entry_create(patient=patient, kind="visit", date=patient.programme_start,
                 pain=[("lumbar_unilateral", "activity", 5)])
    bundle = json.loads("".join(iter_caseload_fhir(clinic)))
    observation = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    assert observation["bodySite"]["coding"][0]["code"] == "52612000"  # SNOMED CT: lumbar region structure
    assert observation["valueInteger"] == 5


def test_exported_readiness_agrees_with_the_ready_to_progress_flags(demo):
    """One evidence rule for the flags and the export (DESIGN 4.1): current
    phase, a visit in the last 4 weeks, no unacknowledged safety flag."""
    document = _export(demo)
    flagged = set(Flag.objects.open().filter(patient__clinic=demo, code="ready_to_progress")
                  .values_list("patient__ref", flat=True))
    assert flagged
    assert {p["ref"] for p in document["patients"] if p["ready_to_progress"]} == flagged


def test_export_at_a_date_with_no_visit_in_the_last_4_weeks_has_no_evidence(demo):
    import datetime as dt

    document = _export(demo, as_of=demo.today() + dt.timedelta(days=60))
    active = [p for p in document["patients"] if p["phase"] != "discharged"]
    assert active and not any(p["ready_to_progress"] for p in active)
    assert {c["met"] for p in active for c in p["criteria"]} == {None}
