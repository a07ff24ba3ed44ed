"""Adherence in a real browser (DESIGN 9): the patient ticks two exercises
on a phone, and the physio's patient page and caseload show them."""

import datetime as dt
import re

import pytest
from django.core.cache import cache

from patients.models import AdherenceMark
from portal import ratelimit
from rehab.plans import plan_assign_from_template
from rehab.portal_links import portal_link_issue
from tests.browser.support import ARTIFACTS, DESKTOP, PHONE, login, policy_violations, screenshot
from tests.factories import ClinicFactory, FlagFactory, PatientFactory, PhysioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def button(label, exercise):
    """A tick button's accessible name: its label, then the exercise's name
    (visually hidden, for screen readers)."""
    return re.compile(rf"^{label}\W+{re.escape(exercise.name)}$")


@pytest.fixture
def portal_patient():
    cache.delete(ratelimit._key(type("R", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()))
    clinic = ClinicFactory(slug="riverside", name="Riverside Physio", phone="020 7946 0000")
    physio = PhysioFactory(clinic=clinic, username="jsmith", first_name="Jo", last_name="Smith")
    patient = PatientFactory(clinic=clinic, physio=physio, given_name="Mary", family_name="Okafor")
    plan_assign_from_template(patient=patient)
    _, token = portal_link_issue(patient=patient, issued_by=physio)
    return patient, f"/p/{token}/"


def test_a_patient_ticks_two_exercises_and_the_physio_sees_them(new_page, portal_patient):
    patient, url = portal_patient
    first, second = [item.exercise for item in patient.plan_items.select_related("exercise").order_by("order")[:2]]

    phone = new_page(viewport=PHONE)
    problems = policy_violations(phone)
    phone.goto(url)
    assert phone.get_by_text("Today: 0 of 5 exercises ticked.", exact=False).is_visible()
    tick = phone.get_by_role("button", name=button("I did this today", first))
    box = tick.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 300, box  # a big target for an older thumb
    tick.click()
    phone.wait_for_url(f"**{url}#exercise-{first.code}")
    card = phone.locator(f"#exercise-{first.code}")
    assert card.get_by_text("Done today").is_visible()
    # It hurt: one tap on the second exercise, and a change of mind on the first, then back.
    phone.get_by_role("button", name=button("It hurt", second)).click()
    phone.wait_for_url(f"**#exercise-{second.code}")
    assert phone.locator(f"#exercise-{second.code}").get_by_text("Done today: it hurt").is_visible()
    phone.get_by_role("button", name=button("Undo", first)).click()
    phone.wait_for_url(f"**#exercise-{first.code}")
    assert phone.get_by_role("button", name=button("I did this today", first)).is_visible()
    phone.get_by_role("button", name=button("I did this today", first)).click()
    phone.wait_for_url(f"**#exercise-{first.code}")
    assert phone.get_by_text("Today: 2 of 5 exercises ticked.", exact=False).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "adherence-portal-phone")
    for name, code in (("done", first.code), ("hurt", second.code), ("not-yet", "short-arc-quads")):
        phone.locator(f"#exercise-{code}").screenshot(path=str(ARTIFACTS / f"adherence-portal-phone-{name}.png"))
    assert problems == []

    assert {(m.exercise_id, m.status) for m in AdherenceMark.objects.filter(patient=patient)} == {
        (first.pk, "done"), (second.pk, "hurt")}

    desktop_portal = new_page(viewport=DESKTOP)
    desktop_portal.goto(url)
    screenshot(desktop_portal, "adherence-portal-desktop")

    staff = new_page(viewport=DESKTOP)
    login(staff, "jsmith")
    row = staff.get_by_role("row").filter(has_text="Okafor")
    assert row.get_by_text("100 %").is_visible()
    screenshot(staff, "adherence-caseload-desktop")
    staff.get_by_role("link", name="Okafor, Mary").click()
    panel = staff.locator("#adherence")
    assert panel.get_by_role("heading", name="Exercise adherence").is_visible()
    # The plan was given today: one figure, since the plan started, one day, ticked.
    assert panel.locator(".adherence-percent").all_inner_texts() == ["100 %"]
    assert panel.get_by_text("since the plan started", exact=True).is_visible()
    assert panel.get_by_text("1 of 1 day", exact=True).is_visible()
    concerns = panel.locator(".adherence-concerns")
    assert concerns.get_by_text("It hurt").is_visible() and concerns.get_by_text(second.name).is_visible()
    assert panel.locator(".adherence-days").get_by_text(first.name).is_visible()
    screenshot(staff, "adherence-patient-desktop")
    staff.set_viewport_size(PHONE)
    screenshot(staff, "adherence-patient-phone")


def test_the_physio_sees_a_month_of_low_adherence_beside_the_plateau(new_page, portal_patient):
    patient, _ = portal_patient
    exercises = [item.exercise for item in patient.plan_items.select_related("exercise").order_by("order")]
    today = patient.clinic.today()
    marks = []
    for n in (0, 2, 3, 6, 9, 13, 17, 20, 26):  # 9 of 28 days, 4 of the last 7
        for position, exercise in enumerate(exercises[:3]):
            status = "too_hard" if (n, position) == (2, 2) else "hurt" if (n, position) == (9, 1) else "done"
            marks.append(AdherenceMark(patient=patient, exercise=exercise, date=today - dt.timedelta(days=n),
                                       status=status))
    AdherenceMark.objects.bulk_create(marks)
    FlagFactory(patient=patient, code="plateau_12w", advice="Carry out a comprehensive review.")

    staff = new_page(viewport=DESKTOP)
    login(staff, "jsmith")
    staff.goto(f"/patients/{patient.pk}/")
    panel = staff.locator("#adherence")
    assert panel.locator(".adherence-percent").all_inner_texts() == ["57 %", "32 %"]
    assert panel.get_by_text("9 of 28 days · under half").is_visible()
    assert staff.get_by_text("Adherence over the last 28 days is 32 % (9 of 28 days with exercises done): "
                             "check adherence before escalating.", exact=False).is_visible()
    screenshot(staff, "adherence-patient-month-desktop")
    staff.set_viewport_size(PHONE)
    screenshot(staff, "adherence-patient-month-phone")
