"""Ticking exercises on the portal (DESIGN 9): plain forms, one mark per
exercise per day, changeable and undoable, only for the link's patient's plan."""

import pytest

from patients.models import AdherenceMark
from rehab.portal_links import portal_link_issue, portal_link_revoke
from tests.factories import AssignedPlanItemFactory, ExerciseFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(planned_patient):
    return list(planned_patient.plan_items.select_related("exercise").order_by("order"))


def _tick(client, portal_url, exercise, status, **extra):
    return client.post(f"{portal_url}done/", {"exercise": exercise.code, "status": status, **extra})


def _marks(patient):
    return {(m.exercise.code, m.status) for m in AdherenceMark.objects.filter(patient=patient).select_related("exercise")}


def test_each_exercise_has_big_tick_buttons_in_a_plain_form(client, portal_url, items):
    page = client.get(portal_url).content.decode()
    assert page.count(f'action="{portal_url}done/"') == len(items)
    for item in items:
        assert f'id="exercise-{item.exercise.code}"' in page
        assert f'<input type="hidden" name="exercise" value="{item.exercise.code}">' in page
    assert page.count('value="done" class="btn btn-primary btn-lg w-100 portal-tick"') == len(items)
    assert page.count('name="status" value="too_hard"') == len(items)
    assert page.count('name="status" value="hurt"') == len(items)
    assert f"Today: <strong>0 of {len(items)}</strong> exercises ticked" in page


def test_ticking_done_marks_today_and_returns_to_the_exercise(client, portal_url, planned_patient, items):
    exercise = items[0].exercise
    response = _tick(client, portal_url, exercise, "done")
    assert response.status_code == 302
    assert response["Location"] == f"{portal_url}#exercise-{exercise.code}"
    assert response["Referrer-Policy"] == "no-referrer"
    [mark] = AdherenceMark.objects.filter(patient=planned_patient)
    assert (mark.exercise, mark.status, mark.date) == (exercise, "done", planned_patient.clinic.today())

    page = client.get(portal_url).content.decode()
    assert "Done today" in page
    assert f"Today: <strong>1 of {len(items)}</strong> exercises ticked" in page
    assert 'class="portal-card portal-exercise portal-exercise-marked"' in page


def test_ticking_again_changes_the_mark_and_undo_removes_it(client, portal_url, planned_patient, items):
    exercise = items[1].exercise
    _tick(client, portal_url, exercise, "done")
    _tick(client, portal_url, exercise, "too_hard")
    assert _marks(planned_patient) == {(exercise.code, "too_hard")}
    page = client.get(portal_url).content.decode()
    assert "Done today: <strong>too hard</strong>" in page
    _tick(client, portal_url, exercise, "hurt")
    assert _marks(planned_patient) == {(exercise.code, "hurt")}
    _tick(client, portal_url, exercise, "undo")
    assert _marks(planned_patient) == set()


def test_all_ticked_says_well_done(client, portal_url, items):
    for item in items:
        _tick(client, portal_url, item.exercise, "done")
    page = client.get(portal_url).content.decode()
    assert f"Well done: all {len(items)} exercises ticked today." in page


def test_another_patients_exercise_or_one_outside_the_plan_writes_nothing(client, portal_url, planned_patient,
                                                                          clinic, other_clinic):
    someone_else = PatientFactory(clinic=clinic, physio=None)
    theirs = AssignedPlanItemFactory(patient=someone_else, exercise=ExerciseFactory(clinic=clinic, name="Theirs"))
    elsewhere = ExerciseFactory(clinic=other_clinic, name="Heel raises")
    for exercise in (theirs.exercise, elsewhere):
        response = _tick(client, portal_url, exercise, "done")
        assert response.status_code == 302
        assert response["Location"] == f"{portal_url}#today-title"
    assert not AdherenceMark.objects.exists()


@pytest.mark.parametrize("data", [
    {"status": "done"},
    {"exercise": "heel-slides", "status": "skipped"},
    {"exercise": "heel slides!", "status": "done"},
    {"exercise": "heel-slides"},
])
def test_a_malformed_tick_writes_nothing(client, portal_url, data):
    response = client.post(f"{portal_url}done/", data)
    assert response.status_code == 302
    assert response["Location"] == f"{portal_url}#today-title"
    assert not AdherenceMark.objects.exists()


def test_a_get_goes_back_to_the_page(client, portal_url):
    response = client.get(f"{portal_url}done/")
    assert response.status_code == 302
    assert response["Location"] == portal_url


def test_a_revoked_link_cannot_tick(client, planned_patient, physio, items):
    _, token = portal_link_issue(patient=planned_patient, issued_by=physio)
    portal_link_revoke(patient=planned_patient)
    response = client.post(f"/p/{token}/done/", {"exercise": items[0].exercise.code, "status": "done"})
    assert response.status_code == 404
    assert not AdherenceMark.objects.exists()

