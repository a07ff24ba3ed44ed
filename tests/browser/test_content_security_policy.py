"""The Content-Security-Policy in a real browser: the main pages of the
workspace, the portal and the Django admin load without a single violation,
and what their scripts do still works (navbar toggle on a phone, copy link,
admin autocomplete, date widgets, inline rows)."""

import datetime as dt

import pytest
from django.core.cache import cache

from content.models import Exercise, Phase
from patients.models import PortalLink, User
from portal import ratelimit
from portal.self_reports import DAILY_LIMIT
from rehab.plans import plan_assign_from_template
from tests.browser.support import PHONE, login, policy_violations, report_on_portal, screenshot
from tests.factories import (
    ClinicAdminFactory,
    ClinicFactory,
    EntryFactory,
    FlagFactory,
    PainScoreFactory,
    PatientFactory,
    PhysioFactory,
    SelfReportFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clinic_data():
    cache.delete(ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()))
    clinic = ClinicFactory(slug="riverside", name="Riverside Physio")
    physio = PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith")
    ClinicAdminFactory(clinic=clinic, username="admin-riverside")
    UserFactory(username="operator", clinic=None, role="", is_staff=True, is_superuser=True)
    today = clinic.today()
    surgery = today - dt.timedelta(weeks=6)
    patient = PatientFactory(clinic=clinic, physio=physio, ref="RS-101", given_name="Margaret",
                             family_name="Ellis", surgery_date=surgery,
                             programme_start=surgery + dt.timedelta(days=7))
    plan_assign_from_template(patient=patient)
    for days, pain in ((0, 7), (14, 6), (28, 5)):
        entry = EntryFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=days),
                             standing_tolerance_min=10 + days, recorded_by=physio)
        PainScoreFactory(entry=entry, location="lumbar_bilateral", context="activity", score=pain)
    FlagFactory(patient=patient, code="pain_regression", severity="review", message="Activity pain 7/10.")
    return {"clinic": clinic, "patient": patient}


def test_the_workspace_and_the_portal_run_without_a_policy_violation(new_page, clinic_data):
    patient = clinic_data["patient"]
    page = new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    violations = policy_violations(page)
    login(page, "jsmith")

    assert page.get_by_role("heading", name="Caseload").is_visible()
    page.get_by_role("link", name="Ellis, Margaret").click()
    page.wait_for_url(f"**/patients/{patient.pk}/")
    assert page.locator(".pain-chart").first.is_visible()
    screenshot(page, "csp-patient-desktop")

    page.goto(f"/patients/{patient.pk}/visits/new/")
    assert page.get_by_role("heading", name="Record a visit", exact=False).is_visible()

    # Issue the portal link and copy it with the button (a static script).
    page.goto(f"/patients/{patient.pk}/")
    page.get_by_role("button", name="Issue portal link").click()
    page.wait_for_url("**/portal-link/")
    link = page.locator("#portal-url").input_value()
    assert page.locator(".portal-qr svg").is_visible()
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("button", name="Copied").wait_for()  # the clipboard write is asynchronous
    assert page.evaluate("navigator.clipboard.readText()") == link
    screenshot(page, "csp-portal-link-desktop")

    # The patient's phone: the portal and a self-report.
    phone = new_page(viewport=PHONE)
    portal_violations = policy_violations(phone)
    phone.goto(link)
    assert phone.get_by_role("heading", name="Hello Margaret").is_visible()
    report_on_portal(phone, signs=["Swelling in the calf of your operated leg"])
    phone.wait_for_url("**/report/*/")
    # Calf swelling is same-day advice: its heading says today (DESIGN 4.2).
    assert phone.get_by_role("heading", name="Get checked today").is_visible()
    screenshot(phone, "csp-portal-result-phone")

    # The link's day is full: the advice still shows, with word that nothing was saved.
    portal_link = PortalLink.objects.get(patient=patient, revoked_at__isnull=True)
    for _ in range(DAILY_LIMIT - 1):
        SelfReportFactory(patient=patient, date=patient.clinic.today(), portal_link=portal_link)
    phone.goto(link)
    report_on_portal(phone, signs=["Numbness around your bottom, genitals or inner thighs"])
    assert phone.get_by_role("heading", name="Go to the emergency department now").is_visible()
    assert phone.get_by_text("Your report was not saved").is_visible()
    screenshot(phone, "csp-portal-not-saved-phone")
    phone.set_viewport_size({"width": 1366, "height": 900})
    screenshot(phone, "csp-portal-not-saved-desktop")
    assert patient.entries.filter(kind="self_report").count() == DAILY_LIMIT

    assert violations + portal_violations == [], "\n".join(violations + portal_violations)


def test_the_navbar_opens_on_a_phone_without_a_policy_violation(new_page, clinic_data):
    page = new_page(viewport=PHONE)
    violations = policy_violations(page)
    login(page, "jsmith")
    programme = page.get_by_role("link", name="Programme")
    assert not programme.is_visible()
    page.get_by_role("button", name="Toggle navigation").click()
    page.locator("#main-nav.collapse.show").wait_for()  # opened, transition over
    screenshot(page, "csp-caseload-phone-menu-open")
    programme.click()
    page.wait_for_url("**/library/")
    assert violations == [], "\n".join(violations)


def test_the_admin_autocomplete_and_history_run_without_a_policy_violation(new_page, clinic_data):
    clinic = clinic_data["clinic"]
    phase = Phase.objects.get(clinic=clinic, code="normalise")
    exercise = Exercise.objects.filter(clinic=clinic, is_active=True).exclude(
        template_items__phase=phase).order_by("name").first()
    page = new_page()
    violations = policy_violations(page)
    login(page, "admin-riverside")

    page.goto("/admin/")
    page.get_by_role("link", name="Phases").click()
    page.get_by_role("link", name=phase.name).click()
    page.wait_for_url(f"**/admin/content/phase/{phase.pk}/change/")
    # The empty template row: pick an exercise through the autocomplete (select2).
    row = page.locator("#template_items-group tr.form-row:not(.has_original):not(.empty-form)").last
    row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(exercise.name[:6])
    page.locator(".select2-results__option", has_text=exercise.name).first.click()
    assert exercise.name in row.locator(".select2-selection__rendered").inner_text()
    screenshot(page, "csp-admin-phase-autocomplete")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url(f"**/admin/content/phase/{phase.pk}/change/")
    assert phase.template_items.filter(exercise=exercise).exists()

    page.get_by_role("link", name="History").click()
    page.wait_for_url(f"**/admin/content/phase/{phase.pk}/history/")
    assert page.locator("#change-history").is_visible()
    screenshot(page, "csp-admin-phase-history")
    page.locator("#change-history a").first.click()
    page.wait_for_url(f"**/admin/content/phase/{phase.pk}/history/*/")
    screenshot(page, "csp-admin-phase-history-version")

    page.goto("/admin/patients/patient/?q=Ellis")
    assert page.get_by_role("link", name="RS-101").is_visible()
    assert violations == [], "\n".join(violations)


def test_the_admin_date_widgets_and_inline_rows_run_without_a_policy_violation(new_page, clinic_data):
    patient = clinic_data["patient"]
    page = new_page()
    violations = policy_violations(page)
    login(page, "operator")
    page.goto(f"/admin/patients/patient/{patient.pk}/change/")

    # Django's calendar widget: open it, pick today.
    page.locator("#id_programme_start").fill("")
    page.locator("#id_programme_start + .datetimeshortcuts a[id^=calendarlink]").click()
    calendar = page.locator(".calendarbox:visible")
    calendar.wait_for()
    screenshot(page, "csp-admin-calendar")
    calendar.get_by_role("link", name="Today").click()
    assert page.locator("#id_programme_start").input_value() == patient.clinic.today().strftime("%d/%m/%Y")

    # "Add another" row of the plan inline, with its autocomplete.
    page.get_by_text("Add another Assigned plan item").click()
    new_row = page.locator("#plan_items-group tr.dynamic-plan_items").last
    new_row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("a")
    page.locator(".select2-results__option").first.wait_for()
    assert page.locator(".select2-results__option").count() > 0
    page.keyboard.press("Escape")

    page.goto(f"/admin/patients/patient/{patient.pk}/history/")
    assert page.locator("#change-history").is_visible()
    assert User.objects.get(username="operator").is_superuser
    assert violations == [], "\n".join(violations)
