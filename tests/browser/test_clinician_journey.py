"""A physio's day in a real browser: caseload → patient → visit with calf
swelling → the DVT flag tops the caseload → acknowledge → move to Rebuild."""

import datetime as dt

import pytest

from rehab.models import Flag, PhaseTransition
from tests.browser.support import ARTIFACTS, PHONE, login, screenshot
from tests.factories import (
    ClinicFactory,
    EntryFactory,
    FlagFactory,
    PainScoreFactory,
    PatientFactory,
    PhaseTransitionFactory,
    PhysioFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caseload_data():
    clinic = ClinicFactory(slug="riverside", name="Riverside Physio")
    physio = PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith")
    colleague = PhysioFactory(clinic=clinic, username="akhan", first_name="Amir", last_name="Khan")
    today = clinic.today()
    patients = []
    for n, (given, family, weeks, pains) in enumerate([
        ("Margaret", "Ellis", 5, [7, 6, 5]),
        ("Dennis", "Okafor", 9, [6, 6, 7]),
        ("Priya", "Shah", 14, [5, 4, 4, 3]),
        ("Tom", "Bradley", 3, [8, 6]),
    ]):
        surgery = today - dt.timedelta(weeks=weeks + 1)
        patient = PatientFactory(clinic=clinic, physio=physio, ref=f"RS-{101 + n}", given_name=given,
                                 family_name=family, surgery_date=surgery,
                                 programme_start=surgery + dt.timedelta(days=7))
        for index, pain in enumerate(pains):
            entry = EntryFactory(patient=patient, date=min(
                patient.programme_start + dt.timedelta(days=index * 12), today - dt.timedelta(days=1)),
                standing_tolerance_min=10 + 3 * index, recorded_by=physio)
            PainScoreFactory(entry=entry, location="lumbar_bilateral", context="activity", score=pain)
            PainScoreFactory(entry=entry, location="lateral_hip", context="rest", score=max(pain - 3, 0))
        patients.append(patient)
    FlagFactory(patient=patients[1], code="pain_regression", severity="review",
                message="Activity pain 7/10, up from 6/10.")
    PhaseTransitionFactory(patient=patients[2], from_phase="normalise", to_phase="rebuild",
                           date=patients[2].programme_start + dt.timedelta(days=40), moved_by=colleague)
    patients[2].phase = "rebuild"
    patients[2].save()
    PatientFactory(clinic=clinic, physio=colleague, ref="RS-201", given_name="Alan", family_name="Moss")
    return {"clinic": clinic, "physio": physio, "patients": patients}


def test_clinician_journey(page, new_page, caseload_data):
    patient = caseload_data["patients"][0]
    login(page, "jsmith")
    assert page.get_by_role("heading", name="Caseload").is_visible()
    assert page.get_by_text("Riverside Physio").first.is_visible()
    screenshot(page, "caseload-desktop")

    page.get_by_role("link", name="Ellis, Margaret").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    assert page.get_by_role("heading", name="Normalise exit criteria").is_visible()
    assert page.get_by_role("img", name="Back and hip pain over time").is_visible()
    screenshot(page, "patient-desktop")

    page.get_by_role("link", name="Record visit").first.click()
    page.get_by_label("Lower back, both sides, activity").fill("4")
    page.get_by_label("Lower back, both sides, rest").fill("2")
    page.get_by_label("Standing tolerance without back pain increase (min)").fill("22")
    page.get_by_label("Calf swelling (operated leg)").check()
    page.get_by_label("Notes").fill("Calf of the operated leg swollen since yesterday.")
    screenshot(page, "visit-form-desktop")
    page.get_by_role("button", name="Save visit").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    assert page.locator(".red-flag-alert").filter(has_text="same-day medical assessment").is_visible()
    screenshot(page, "patient-after-visit-desktop")

    page.get_by_role("link", name="Caseload").first.click()
    first_row = page.locator(".caseload-table tbody tr").first
    assert "Ellis" in first_row.inner_text()
    assert first_row.locator(".badge-same_day").filter(has_text="Signs of deep vein thrombosis").is_visible()
    screenshot(page, "caseload-flagged-desktop")

    phone = new_page(viewport=PHONE)
    login(phone, "jsmith")
    screenshot(phone, "caseload-phone")
    phone.goto(f"/patients/{patient.pk}/")
    screenshot(phone, "patient-phone")
    phone.goto(f"/patients/{patient.pk}/visits/new/")
    screenshot(phone, "visit-form-phone")

    first_row.get_by_role("link").click()
    page.get_by_label("Acknowledge with a note of what was done about Signs of deep vein thrombosis").fill(
        "Phoned patient; same-day GP appointment booked.")
    page.get_by_role("button", name="Acknowledge Signs of deep vein thrombosis").click()
    page.wait_for_url(f"**/patients/{patient.pk}/**")
    assert page.get_by_text("Signs of deep vein thrombosis acknowledged.").is_visible()
    flag = Flag.objects.get(patient=patient, code="dvt_signs")
    assert flag.acknowledged_by == caseload_data["physio"]

    page.get_by_role("link", name="Move phase").click()
    page.get_by_label("Forward to Rebuild").check()
    page.get_by_label("Reason").fill("Activity pain 4/10, stands 22 min; DVT ruled out by GP.")
    screenshot(page, "phase-move-desktop")
    page.get_by_role("button", name="Move patient").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    assert page.get_by_text("Moved to Rebuild.").is_visible()
    transition = PhaseTransition.objects.get(patient=patient)
    assert transition.to_phase == "rebuild"
    screenshot(page, "patient-moved-desktop")


def test_an_expired_form_goes_back_and_logs_in_on_a_phone(new_page, physio):
    page = new_page(viewport=PHONE)
    page.goto("/login/")
    page.context.clear_cookies()  # the session's security token is gone, as after a long pause
    page.get_by_label("Username").fill(physio.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Please go back and try again").wait_for()
    screenshot(page, "error-csrf-phone")
    page.get_by_role("link", name="Go back and try again").click()
    page.get_by_label("Username").fill(physio.username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Caseload", exact=True).wait_for()
    assert page.url.endswith("/")


def test_on_a_phone_the_pain_chart_opens_on_the_latest_visits(new_page, caseload_data):
    """The chart is wider than a phone and scrolls sideways: it opens on the
    latest visits, with the pain scale pinned at the left edge."""
    patient = caseload_data["patients"][0]  # visits from five weeks ago to yesterday
    phone = new_page(viewport=PHONE)
    login(phone, "jsmith")
    phone.goto(f"/patients/{patient.pk}/")
    box = phone.locator(".pain-chart .chart-scroll")
    box.wait_for()
    left, visible, total = box.evaluate("b => [b.scrollLeft, b.clientWidth, b.scrollWidth]")
    assert total > visible  # it does scroll on a phone
    assert left > 0  # opened away from its start
    # The latest visit's point is in view, near the right edge.
    latest = max(point.bounding_box()["x"] for point in box.locator(".marker").all())
    edge = box.bounding_box()
    assert edge["x"] + edge["width"] * 0.6 < latest < edge["x"] + edge["width"]
    # The pain scale stays at the left edge, over the scrolled chart.
    pin = phone.locator(".pain-chart .chart-axis-pin")
    assert sorted(pin.locator("text").all_text_contents(), key=int) == ["0", "2", "4", "6", "8", "10"]
    assert abs(pin.bounding_box()["x"] - box.bounding_box()["x"]) < 1
    # The exit thresholds' labels are readable there: in view, clear of the pinned scale.
    labels = [label.bounding_box() for label in box.locator(".threshold-label").all()]
    assert labels
    pinned = pin.bounding_box()
    assert all(pinned["x"] + pinned["width"] < b["x"] and b["x"] + b["width"] <= edge["x"] + edge["width"]
               for b in labels), labels
    phone.locator(".pain-chart").screenshot(path=str(ARTIFACTS / "pain-chart-phone.png"))


def test_notes_typed_for_two_flags_survive_acknowledging_the_first(new_page, caseload_data):
    """Acknowledging one flag reloads the page: the note typed for the other
    is filled in again, not lost."""
    patient = caseload_data["patients"][3]
    entry = patient.entries.first()
    first = FlagFactory(patient=patient, code="dvt_signs", severity="same_day", entry=entry,
                        message="Calf swelling.")
    second = FlagFactory(patient=patient, code="infection_signs", severity="same_day", entry=entry,
                         message="Fever with pain.")
    page = new_page()
    login(page, "jsmith")
    page.goto(f"/patients/{patient.pk}/")
    page.locator(f"#ack-note-{first.pk}").fill("GP booked for a scan today")
    page.locator(f"#ack-note-{second.pk}").fill("Temperature 38.2, GP told")
    page.locator(f"#flag-{first.pk}").get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state()
    first.refresh_from_db()
    assert first.acknowledgement_note == "GP booked for a scan today"
    assert page.locator(f"#ack-note-{second.pk}").input_value() == "Temperature 38.2, GP told"
    page.reload()  # read once: not filled in again a second time
    assert page.locator(f"#ack-note-{second.pk}").input_value() == ""
