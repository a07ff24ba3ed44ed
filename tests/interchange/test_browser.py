"""The web import journey in a real browser, desktop and phone."""

import json

import pytest

from patients.models import Patient
from tests.browser.support import PHONE, login, screenshot

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
