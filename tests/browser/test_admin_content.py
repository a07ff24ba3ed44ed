"""A clinic admin edits a phase's exit criteria in a real browser: Yes/No for a
yes/no measure, a number checked against the measure's limits with the
reason in words, and an exercise in use retired from its delete page."""

import pytest
from playwright.sync_api import expect

from content.models import Phase
from rehab.plans import plan_assign_from_template
from tests.browser.support import PHONE, login, policy_violations, screenshot
from tests.factories import ClinicAdminFactory, ClinicFactory, PatientFactory, PhysioFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def integrate():
    clinic = ClinicFactory(slug="riverside", name="Riverside Physio")
    ClinicAdminFactory(clinic=clinic, username="admin-riverside")
    return Phase.objects.get(clinic=clinic, code="integrate")


def criterion_row(page, measure):
    """The inline row prefix (“exit_criteria-2”) of the row testing `measure`."""
    name = page.locator("select[name$='-measure']").evaluate_all(
        "(selects, measure) => selects.find(s => s.value === measure)?.name", measure
    )
    return name.removesuffix("-measure")


def open_phase(page, phase):
    login(page, "admin-riverside")
    page.goto(f"/admin/content/phase/{phase.pk}/change/")


def test_a_clinic_admin_sets_yes_no_and_is_told_in_words_when_a_number_is_out_of_range(new_page, integrate):
    page = new_page(viewport=DESKTOP)
    violations = policy_violations(page)
    open_phase(page, integrate)
    gait, rest = criterion_row(page, "gait_symmetric_video"), criterion_row(page, "rest_pain")
    assert page.locator(f"#id_{gait}-answer").input_value() == "yes"
    assert page.locator(f"#id_{gait}-threshold").input_value() == ""
    screenshot(page, "admin-criteria-desktop")

    page.locator(f"#id_{gait}-answer").select_option(label="No")
    page.locator(f"#id_{rest}-threshold").fill("12")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Back/hip pain at rest is scored 0–10; 12 is out of range.")).to_be_visible()
    screenshot(page, "admin-criteria-error-desktop")
    assert sorted(integrate.exit_criteria.values_list("measure", "threshold")) == [
        ("continuous_walk_min", 45), ("gait_symmetric_video", 1), ("rest_pain", 2),
    ]

    page.locator(f"#id_{rest}-threshold").fill("1")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/content/phase/")
    assert sorted(integrate.exit_criteria.values_list("measure", "comparator", "threshold")) == [
        ("continuous_walk_min", ">=", 45), ("gait_symmetric_video", "==", 0), ("rest_pain", "<=", 1),
    ]
    assert violations == []


def test_the_criteria_and_their_errors_fit_a_phone(new_page, integrate):
    page = new_page(viewport=PHONE)
    open_phase(page, integrate)
    screenshot(page, "admin-criteria-phone")
    page.locator(f"#id_{criterion_row(page, 'gait_symmetric_video')}-answer").select_option(label="—")
    page.locator(f"#id_{criterion_row(page, 'continuous_walk_min')}-threshold").fill("2000")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Symmetric gait on video is a yes/no measure: choose Yes or No.")).to_be_visible()
    expect(page.get_by_text("Continuous walking is 0–1440 minutes; 2000 is out of range.")).to_be_visible()
    screenshot(page, "admin-criteria-error-phone")
    criteria_group = page.locator("#exit_criteria-group")
    criteria_group.screenshot(path=screenshot(page, "admin-criteria-error-phone-detail"))
    box = criteria_group.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # nothing off the side of the screen
    assert integrate.exit_criteria.get(measure="gait_symmetric_video").threshold == 1


def test_a_clinic_admin_retires_an_exercise_in_use_from_its_delete_page(new_page, integrate):
    clinic = integrate.clinic
    patient = PatientFactory(clinic=clinic, physio=PhysioFactory(clinic=clinic), phase="integrate")
    plan_assign_from_template(patient=patient)
    exercise = patient.plan_items.first().exercise
    page = new_page(viewport=DESKTOP)
    login(page, "admin-riverside")
    page.goto(f"/admin/content/exercise/{exercise.pk}/change/")
    page.get_by_role("link", name="Delete").click()
    expect(page.get_by_text(f"“{exercise.name}” is in use, so it cannot be deleted.")).to_be_visible()
    screenshot(page, "admin-exercise-in-use-desktop")
    page.get_by_role("button", name=f"Retire “{exercise.name}”").click()
    expect(page.get_by_text(f"Retired “{exercise.name}”")).to_be_visible()
    exercise.refresh_from_db()
    assert not exercise.is_active
    assert patient.plan_items.filter(exercise=exercise).exists()
