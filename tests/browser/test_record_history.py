"""A clinic admin opens a patient's record history from the patient page, on
a desktop and on a phone."""

import datetime as dt

import pytest

from rehab import flags
from rehab.entries import entry_create
from rehab.models import Flag
from rehab.phase_moves import patient_move_phase
from tests.browser.support import PHONE, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport_name", ["desktop", "phone"])
def test_admin_reads_who_changed_the_record(new_page, clinic_admin, physio, colleague, patient, viewport_name):
    entry_create(patient=patient, kind="visit", date=patient.programme_start + dt.timedelta(days=3), pain=[("lumbar_bilateral", "activity", 6)],
                 symptoms=["calf_swelling"], measures={"standing_tolerance_min": 10}, recorded_by=physio)
    flags.patient_reconcile(patient_id=patient.pk)
    flags.flag_acknowledge(flag=Flag.objects.get(patient=patient), user=physio,
                           note="Sent for a Doppler scan the same day; negative.")
    patient_move_phase(patient=patient, to_phase="rebuild", expected_from="normalise",
                       reason="Activity pain at 4/10 for three weeks", by=physio)
    patient.refresh_from_db()
    patient.physio = colleague
    patient._history_user = clinic_admin
    patient._change_reason = "Jo on leave: handed over to Amir"
    patient.save()
    page = new_page(viewport=PHONE) if viewport_name == "phone" else new_page()
    login(page, clinic_admin.username)

    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("link", name="Record history").click()
    page.get_by_role("heading", name="Record history").wait_for()

    assert page.get_by_text("Jo on leave: handed over to Amir").is_visible()
    assert page.get_by_role("heading", name="Flag acknowledged: Signs of deep vein thrombosis (same day)").is_visible()
    assert page.get_by_text("Kinetic (automatic)").first.is_visible()  # the flag's raise
    move = page.locator(".record-change", has=page.get_by_role("heading", name="Phase move recorded: Normalise → Rebuild"))
    assert "By Jo Smith" in move.inner_text()
    screenshot(page, f"record-history-{viewport_name}")
