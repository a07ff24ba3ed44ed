"""A physio sees the outcome measures due on the patient page, enters a KOOS
JR from paper by clicking the answers, and sees it in the trend; the
discharge form lists the final measures. No policy violations on the way."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from content.instruments import Instrument
from patients.models import OutcomeAdministration
from patients.outcomes import record_outcome
from rehab.models import PhaseTransition
from tests.browser.support import PHONE, login, policy_violations, screenshot
from tests.factories import EntryFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("KINETIC_SHOTS_DIR")


def shot(page, name):
    path = screenshot(page, name)
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
    return path


def test_physio_enters_a_koos_jr_from_paper_and_sees_the_trends(new_page, clinic, physio):
    today = clinic.today()
    start = today - dt.timedelta(days=70)
    patient = PatientFactory(clinic=clinic, physio=physio, ref="P-0042", surgery_date=start - dt.timedelta(days=7),
                             programme_start=start, phase="integrate")
    EntryFactory(patient=patient, date=start, chair_stand_30s=7, tug_s=Decimal("15.2"))
    EntryFactory(patient=patient, date=start + dt.timedelta(days=29), chair_stand_30s=9, tug_s=Decimal("13.9"))
    EntryFactory(patient=patient, date=today - dt.timedelta(days=3), chair_stand_30s=12, tug_s=Decimal("11.8"))
    psfs = Instrument.objects.get(clinic=clinic, code="psfs")
    for days, ratings in ((0, (2, 3, 3)), (28, (4, 4, 5)), (56, (6, 7, 6))):
        record_outcome(patient=patient, instrument=psfs, date=start + dt.timedelta(days=days), by="patient",
                       activities=list(zip(("Stairs", "Walking to the shops", "Getting out of a car"), ratings,
                                           strict=True)))
    koos = Instrument.objects.get(clinic=clinic, code="koos_jr")
    record_outcome(patient=patient, instrument=koos, date=start, by="staff", answers=[3, 3, 2, 3, 2, 3, 3])

    page = new_page()
    violations = policy_violations(page)
    login(page, physio.username)
    page.goto(f"/patients/{patient.pk}/")
    panel = page.locator("#outcomes")
    panel.get_by_text("Overdue").first.wait_for()
    shot(page, "outcomes-patient-desktop")
    panel.locator(".outcomes-due").get_by_role("link", name="Enter from paper").first.click()
    page.get_by_role("heading", name="KOOS JR (knee)").wait_for()
    for number, answer in enumerate(["1 – Mild", "1 – Mild", "0 – None", "2 – Moderate", "1 – Mild", "1 – Mild"],
                                    start=1):
        page.locator(f"#item-item_{number}").get_by_text(answer, exact=True).click()
    page.get_by_role("button", name="Save the answers").click()
    page.get_by_text("Nothing was saved").wait_for()
    assert "Question 7 is not answered." in page.locator("#item-item_7").inner_text()
    shot(page, "outcomes-koos-form-error-desktop")
    page.locator("#item-item_7").get_by_text("1 – Mild", exact=True).click()
    page.get_by_role("button", name="Save the answers").click()
    page.get_by_text("KOOS JR (knee) recorded: score 7.").wait_for()
    assert OutcomeAdministration.objects.filter(patient=patient, instrument=koos).count() == 2
    assert page.locator("#outcomes .outcome-chart").count() == 4

    page.goto(f"/patients/{patient.pk}/phase/")
    page.locator("#discharge-outcomes").wait_for()
    shot(page, "outcomes-discharge-desktop")
    # The discharge half typed, then "Enter now" for the PSFS it asks for: the
    # move waits, and is filled in again on the way back.
    page.get_by_label("Discharge").check()
    page.get_by_label("Reason").fill("Goals met; walks 45 minutes without back pain.")
    page.locator("#discharge-outcomes").get_by_role("button", name="Enter now").first.click()
    page.get_by_role("heading", name="PSFS").first.wait_for()
    for number, rating in enumerate(("7", "8", "7"), start=1):
        page.get_by_label(f"Rating of activity {number}", exact=False).fill(rating)
    page.get_by_role("button", name="Save the answers").click()
    page.get_by_text("Your phase move is filled in as you left it.").wait_for()
    assert page.get_by_label("Discharge").is_checked()
    assert page.get_by_label("Reason").input_value() == "Goals met; walks 45 minutes without back pain."
    assert PhaseTransition.objects.filter(patient=patient).count() == 0  # nothing moved without the button
    assert violations == []

    phone = new_page(viewport=PHONE)
    login(phone, physio.username)
    phone.goto(f"/patients/{patient.pk}/")
    phone.locator("#outcomes").scroll_into_view_if_needed()
    shot(phone, "outcomes-patient-phone")
    phone.goto(f"/patients/{patient.pk}/outcomes/koos_jr/new/")
    shot(phone, "outcomes-koos-form-phone")
    phone.goto(f"/patients/{patient.pk}/outcomes/psfs/new/")
    shot(phone, "outcomes-psfs-form-phone")


def test_physio_records_the_performance_tests_on_the_visit_form(new_page, clinic, physio):
    patient = PatientFactory(clinic=clinic, physio=physio, ref="P-0043")
    page = new_page()
    login(page, physio.username)
    page.goto(f"/patients/{patient.pk}/visits/new/")
    page.get_by_label("30-second chair stand (stands)").fill("41")
    page.get_by_label("Timed Up and Go (s)").fill("12.45")
    page.get_by_role("button", name="Save visit").click()
    page.get_by_text("Enter a whole number from 0 to 40 stands.").wait_for()
    page.get_by_text("Enter 1.0 to 120.0 s, to one decimal place (for example 12.4).").wait_for()
    shot(page, "outcomes-visit-form-errors-desktop")
    page.get_by_label("30-second chair stand (stands)").fill("11")
    page.get_by_label("Timed Up and Go (s)").fill("12.4")
    page.get_by_role("button", name="Save visit").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    visit = patient.entries.get()
    assert (visit.chair_stand_30s, visit.tug_s) == (11, Decimal("12.4"))
    phone = new_page(viewport=PHONE)
    login(phone, physio.username)
    phone.goto(f"/patients/{patient.pk}/visits/new/")
    phone.locator(".performance-tests").scroll_into_view_if_needed()
    shot(phone, "outcomes-visit-form-phone")
