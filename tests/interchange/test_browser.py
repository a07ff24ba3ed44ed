"""The web import journey in a real browser, desktop and phone."""

import csv
import io
import json

import pytest

from patients.models import Patient
from rehab.entries import entry_create
from tests.browser.support import PHONE, login, screenshot
from tests.factories import PatientFactory

from .conftest import caseload_doc, patient_doc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _file(tmp_path, name, document):
    path = tmp_path / name
    path.write_text(json.dumps(document))
    return str(path)


@pytest.mark.parametrize("viewport_name", ["desktop", "phone"])
def test_admin_imports_a_caseload_after_seeing_errors(new_page, clinic, clinic_admin, physio, tmp_path,
                                                      viewport_name):
    page = new_page(viewport=PHONE) if viewport_name == "phone" else new_page()
    bad = caseload_doc(patient_doc("P-0001"), patient_doc("P-0002"))
    bad["patients"][0]["visits"][0]["pain"][1]["score"] = 11
    bad["patients"][1]["physio"] = "ghost"
    good = caseload_doc(patient_doc("P-0001"), patient_doc("P-0002"))
    login(page, clinic_admin.username)

    page.goto("/caseload/import/")
    page.get_by_label("Caseload file").set_input_files(_file(tmp_path, "caseload-bad.json", bad))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_text("2 problems found").wait_for()
    screenshot(page, f"interchange-import-errors-{viewport_name}")

    page.goto("/caseload/import/")
    page.get_by_label("Caseload file").set_input_files(_file(tmp_path, "caseload.json", good))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Confirm and import").wait_for()
    screenshot(page, f"interchange-import-summary-{viewport_name}")
    page.get_by_role("button", name="Confirm and import").click()
    page.get_by_text("Imported.").wait_for()
    screenshot(page, f"interchange-import-done-{viewport_name}")

    assert Patient.objects.filter(clinic=clinic).count() == 2
    page.goto("/caseload/export/")
    screenshot(page, f"interchange-export-{viewport_name}")


def _json_has_the_patient(text):
    document = json.loads(text)
    assert document["format"] == "rehab-caseload/1"
    assert [p["ref"] for p in document["patients"]] == ["P-0001"]
    assert document["patients"][0]["visits"][0]["pain"] == [
        {"location": "lumbar_bilateral", "context": "activity", "score": 6}]


def _csv_has_the_pain_score(text):
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["clinic", "ref"]
    header, pain = rows[0], rows[1:]
    assert [row[1] for row in pain] == ["P-0001"]
    assert dict(zip(header, pain[0], strict=True))["score"] == "6"


def _fhir_has_the_patient(text):
    bundle = json.loads(text)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    kinds = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
    assert {"Patient", "Observation"} <= kinds


@pytest.mark.parametrize(("choice", "extension", "check"), [
    ("JSON (rehab-caseload/1", ".json", _json_has_the_patient),
    ("CSV, one row per pain score", ".csv", _csv_has_the_pain_score),
    ("FHIR R4 bundle", ".fhir.json", _fhir_has_the_patient),
])
def test_the_download_button_downloads_the_chosen_format(new_page, clinic, physio, tmp_path, choice, extension,
                                                         check):
    patient = PatientFactory(clinic=clinic, physio=physio, ref="P-0001")
    entry_create(patient=patient, kind="visit", date=patient.programme_start,
                 pain=[("lumbar_bilateral", "activity", 6)])
    page = new_page(accept_downloads=True)
    login(page, physio.username)
    page.goto("/caseload/export/")
    page.get_by_label(choice).check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"caseload-{clinic.slug}-")
    assert download.suggested_filename.endswith(extension)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    check(saved.read_text(encoding="utf-8"))
