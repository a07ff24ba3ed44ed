"""A physio's day and a patient's evening in a real browser, clicking what
they click: register → visit with calf swelling → DVT card → a discharge
blocked until the red flag is acknowledged; a portal self-report from a phone
reaching the caseload; the visit form's keyboard and same-day behaviour."""

import datetime as dt

import pytest
from django.core.cache import cache

from patients.models import Entry, Patient
from portal import ratelimit
from rehab.models import Flag, PhaseTransition
from rehab.plans import plan_assign_from_template
from rehab.portal_links import portal_link_issue
from tests.browser.support import PHONE, login, policy_violations, report_on_portal, screenshot
from tests.factories import (
    ClinicFactory,
    EntryFactory,
    FlagFactory,
    PainScoreFactory,
    PatientFactory,
    PhysioFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clinic():
    return ClinicFactory(slug="riverside", name="Riverside Physio")


@pytest.fixture
def physio(clinic):
    return PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith")


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_register_visit_dvt_then_discharge_only_once_the_red_flag_is_acknowledged(page, new_page, clinic, physio):
    violations = policy_violations(page)
    today = clinic.today()
    login(page, "jsmith")
    page.get_by_role("link", name="+ Register a patient").click()
    page.get_by_label("Given name").fill("Ruth")
    page.get_by_label("Family name").fill("Adeyemi")
    page.get_by_label("Date of birth").fill("1956-04-12")
    page.get_by_label("Left").check()
    page.get_by_label("Knee replacement surgery").fill((today - dt.timedelta(weeks=3)).isoformat())
    page.get_by_label("Programme start").fill((today - dt.timedelta(weeks=2)).isoformat())
    screenshot(page, "day-register-desktop")
    page.get_by_role("button", name="Register").click()
    page.get_by_role("link", name="Not now: open their page").click()
    patient = Patient.objects.get(family_name="Adeyemi")
    page.wait_for_url(f"**/patients/{patient.pk}/")

    page.get_by_role("link", name="Record visit").first.click()
    page.get_by_label("Lower back, both sides, activity").fill("5")
    page.get_by_label("Calf swelling (operated leg)").check()
    page.get_by_label("Notes").fill("Left calf warm and swollen since this morning.")
    page.get_by_role("button", name="Save visit").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    flag = Flag.objects.get(patient=patient, code="dvt_signs")
    card = page.locator(f"#flag-{flag.pk}")
    assert card.is_visible()
    assert "Signs of deep vein thrombosis" in card.inner_text()
    screenshot(page, "day-patient-dvt-desktop")

    phone = new_page(viewport=PHONE)
    login(phone, "jsmith")
    phone.goto(f"/patients/{patient.pk}/")
    assert phone.locator(f"#flag-{flag.pk}").is_visible()
    screenshot(phone, "day-patient-dvt-phone")
    phone.get_by_role("link", name="Move phase").click()
    phone.get_by_label("Discharge").check()
    phone.get_by_label("Reason").fill("Trying from the phone.")
    phone.get_by_role("button", name="Move patient").click()
    assert phone.get_by_text("Ruth was not moved.").is_visible()
    assert no_sideways_scroll(phone)
    screenshot(phone, "day-discharge-blocked-phone")

    page.get_by_role("link", name="Move phase").click()
    page.get_by_label("Discharge").check()
    page.get_by_label("Reason").fill("Moving abroad; care handed to the local team.")
    page.get_by_role("button", name="Move patient").click()
    note = page.get_by_label("What was done about “Signs of deep vein thrombosis”")
    assert page.get_by_text("Acknowledge this red flag (say what was done) before discharging.").is_visible()
    assert page.get_by_text("Ruth was not moved.").is_visible()
    patient.refresh_from_db()
    assert patient.phase != "discharged"
    assert not PhaseTransition.objects.filter(patient=patient).exists()
    screenshot(page, "day-discharge-blocked-desktop")

    note.fill("Same-day duplex scan booked at the GP surgery; patient told to go to A&E if breathless.")
    page.get_by_role("button", name="Move patient").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    patient.refresh_from_db()
    assert patient.phase == "discharged"
    flag.refresh_from_db()
    assert flag.acknowledged_by == physio
    screenshot(page, "day-discharged-desktop")

    page.get_by_role("link", name="Caseload").first.click()
    assert page.get_by_text("No active patients are assigned to you.").is_visible()
    assert page.get_by_role("link", name="Adeyemi, Ruth").count() == 0
    page.get_by_label("Status").select_option("discharged")
    page.get_by_role("button", name="Apply").click()
    assert page.get_by_role("link", name="Adeyemi, Ruth").is_visible()
    assert violations == []

    # Another discharged patient whose red flag nobody has seen stays on the working list.
    other = PatientFactory(clinic=clinic, physio=physio, given_name="Owen", family_name="Price", phase="discharged")
    entry = EntryFactory(patient=other, date=other.programme_start, recorded_by=physio)
    FlagFactory(patient=other, entry=entry, code="dvt_signs", severity="same_day",
                message="Calf swelling of the operated leg.")
    page.goto("/")
    assert page.get_by_role("link", name="Price, Owen").is_visible()
    assert page.get_by_role("link", name="Adeyemi, Ruth").count() == 0


def test_a_phone_self_report_reaches_the_caseload_with_its_marker(new_page, clinic, physio):
    cache.delete(ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()))
    patient = PatientFactory(clinic=clinic, physio=physio, ref="RS-301", given_name="Mary", family_name="Okafor")
    plan_assign_from_template(patient=patient)
    visit = EntryFactory(patient=patient, date=clinic.today() - dt.timedelta(days=3), recorded_by=physio)
    PainScoreFactory(entry=visit, location="lumbar_bilateral", context="activity", score=4)
    _, token = portal_link_issue(patient=patient, issued_by=physio)

    phone = new_page(viewport=PHONE)
    phone.goto(f"/p/{token}/")
    report_on_portal(phone, places={"Lower back, across both sides": {"Moving": 8}})
    phone.wait_for_url("**/report/*/")
    screenshot(phone, "day-portal-sent-phone")
    report = Entry.objects.get(patient=patient, kind=Entry.SELF_REPORT)

    physio_page = new_page()
    violations = policy_violations(physio_page)
    login(physio_page, "jsmith")
    row = physio_page.locator(".caseload-table tbody tr").filter(has_text="Okafor, Mary")
    badge = row.locator(".self-report-badge")
    assert badge.is_visible()
    assert badge.inner_text() == f"New self-report {report.date.day} {report.date:%b}"
    screenshot(physio_page, "day-caseload-self-report-desktop")

    row.get_by_role("link", name="Okafor, Mary").click()
    physio_page.wait_for_url(f"**/patients/{patient.pk}/")
    item = physio_page.locator(".entry-item").filter(has_text="Self-report").first
    assert "Lower back, both sides activity 8" in " ".join(item.inner_text().split())
    screenshot(physio_page, "day-patient-self-report-desktop")
    assert violations == []

    phone_physio = new_page(viewport=PHONE)
    login(phone_physio, "jsmith")
    assert phone_physio.locator(".self-report-badge").is_visible()
    assert no_sideways_scroll(phone_physio)
    screenshot(phone_physio, "day-caseload-self-report-phone")


def test_enter_in_a_pain_cell_moves_on_and_never_submits(page, clinic, physio):
    patient = PatientFactory(clinic=clinic, physio=physio)
    violations = policy_violations(page)
    login(page, "jsmith")
    page.goto(f"/patients/{patient.pk}/visits/new/")
    first = page.get_by_label("Lower back, both sides, rest")
    first.fill("3")
    first.press("Enter")
    assert page.evaluate("document.activeElement.id") == page.get_by_label(
        "Lower back, both sides, activity").get_attribute("id")
    page.keyboard.type("6")
    page.keyboard.press("Enter")
    last = page.locator("input.pain-input").last
    last.fill("2")
    last.press("Enter")  # the last cell: nothing happens
    assert page.evaluate("document.activeElement.id") == last.get_attribute("id")
    assert page.url.endswith("/visits/new/")
    assert not Entry.objects.filter(patient=patient).exists()
    assert page.get_by_label("Lower back, both sides, activity").input_value() == "6"

    page.get_by_role("button", name="Save visit").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    assert Entry.objects.get(patient=patient).pain_scores.count() == 3
    assert violations == []


def test_the_visit_form_refuses_an_empty_visit_and_warns_about_a_second_one_the_same_day(page, new_page, clinic,
                                                                                      physio):
    patient = PatientFactory(clinic=clinic, physio=physio, given_name="Ken")
    yesterday = clinic.today() - dt.timedelta(days=1)
    EntryFactory(patient=patient, date=yesterday, recorded_by=physio, notes="Yesterday's session")
    login(page, "jsmith")
    page.goto(f"/patients/{patient.pk}/visits/new/")
    notice = page.locator("#same-day-notice")
    assert not notice.is_visible()
    page.get_by_label("Date").fill(yesterday.isoformat())
    assert notice.is_visible()
    assert "Ken already has a visit on this date." in notice.inner_text()
    screenshot(page, "day-visit-same-day-desktop")

    page.get_by_role("button", name="Save visit").click()
    assert page.get_by_text("This visit is empty: record at least one pain score").is_visible()
    assert notice.is_visible()  # still dated yesterday
    assert Entry.objects.filter(patient=patient).count() == 1
    screenshot(page, "day-visit-nothing-recorded-desktop")

    page.get_by_label("Notes").fill("Second session: hydrotherapy.")
    page.get_by_role("button", name="Save visit").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    assert Entry.objects.filter(patient=patient, date=yesterday).count() == 2
    assert page.get_by_text("Ken now has 2 visits recorded on").is_visible()

    phone = new_page(viewport=PHONE)
    login(phone, "jsmith")
    phone.goto(f"/patients/{patient.pk}/visits/new/")
    phone.get_by_label("Date").fill(yesterday.isoformat())
    assert phone.locator("#same-day-notice").is_visible()
    assert no_sideways_scroll(phone)
    screenshot(phone, "day-visit-same-day-phone")
