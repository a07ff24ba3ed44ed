"""Questionnaires on the portal (DESIGN.md §9): due ones are offered, each is
answered on one page, answers can be kept for later, and a bad answer writes
nothing."""

import datetime as dt

import pytest
import time_machine
from django.test import Client

from content.models import Instrument
from patients.models import OutcomeAdministration
from patients.outcomes import record_outcome
from portal.models import PortalDraft
from portal.tasks import drafts_clear_task
from rehab.outcomes import questionnaires_due
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db

KOOS_ANSWERS = {f"q{n}": str(v) for n, v in enumerate([2, 2, 1, 3, 2, 2, 3], start=1)}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC), tick=True):
        yield


def _url(portal_url, code, tail=""):
    return f"{portal_url}questionnaires/{code}/{tail}"


def test_due_questionnaires_follow_the_schedule(planned_patient):
    today = planned_patient.clinic.today()
    EntryFactory(patient=planned_patient, date=today - dt.timedelta(days=3))
    due = {instrument.code for instrument, _ in questionnaires_due(planned_patient, as_of=today)}
    assert due == {"psfs", "koos_jr"}  # HOOS JR is not on the schedule by default

    koos = Instrument.objects.get(clinic=planned_patient.clinic, code="koos_jr")
    record_outcome(patient=planned_patient, instrument=koos, date=today, by="patient", answers=[1] * 7)
    assert {i.code for i, _ in questionnaires_due(planned_patient, as_of=today)} == {"psfs"}
    assert {i.code for i, _ in questionnaires_due(planned_patient, as_of=today + dt.timedelta(days=24))} == {"psfs"}
    assert {i.code for i, _ in questionnaires_due(planned_patient, as_of=today + dt.timedelta(days=25))} == {
        "psfs", "koos_jr"}  # day 28 of the schedule


def _corrected(client, url, data):
    """Answers sent with something to correct: the questionnaire's own page
    (a GET, after a redirect) shows them with what is wrong, so the browser's
    back button never asks to send the form again."""
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(url, 302)], response.redirect_chain
    return response


def _due_on_the_portal(client, portal_url):
    page = client.get(portal_url).content.decode()
    return {code for code in ("koos_jr", "psfs", "hoos_jr") if _url(portal_url, code) in page}


def test_the_portal_lists_what_questionnaires_due_lists_day_by_day(client, portal_url, planned_patient):
    # The portal reads the first visit and each questionnaire's last answer in
    # one query (portal.selectors.record_facts): the same schedule as the full read.
    today = planned_patient.clinic.today()
    EntryFactory(patient=planned_patient, date=today - dt.timedelta(days=3))
    koos = Instrument.objects.get(clinic=planned_patient.clinic, code="koos_jr")
    record_outcome(patient=planned_patient, instrument=koos, date=today - dt.timedelta(days=2), by="patient",
                   answers=[1] * 7)
    record_outcome(patient=planned_patient, instrument=koos, date=today - dt.timedelta(days=1), by="patient",
                   answers=[2] * 7)
    seen = set()
    for days in (0, 20, 25, 26, 60):
        day = today + dt.timedelta(days=days)
        with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
            expected = {i.code for i, _ in questionnaires_due(planned_patient, as_of=planned_patient.clinic.today())}
            assert _due_on_the_portal(client, portal_url) == expected, days
            seen.add(frozenset(expected))
    assert {frozenset({"psfs"}), frozenset({"psfs", "koos_jr"})} <= seen


def test_the_portal_lists_what_is_due_and_a_patient_answers_koos_jr(client, portal_url, planned_patient):
    page = client.get(portal_url).content.decode()
    # In plain words for the patient, not the instrument's name.
    assert "Questions about your knee" in page and "KOOS JR" not in page and _url(portal_url, "koos_jr") in page
    # What each asks of the patient, before they start.
    assert '<span class="portal-due-size">7 questions</span>' in page
    assert '<span class="portal-due-size">Name 3 to 5 activities you find hard</span>' in page

    form = client.get(_url(portal_url, "koos_jr")).content.decode()
    assert "Twisting/pivoting on your knee" in form and "Extreme" in form
    response = client.post(_url(portal_url, "koos_jr"), {**KOOS_ANSWERS, "action": "send"})

    assert response.status_code == 302 and response["Location"].endswith("questionnaires/koos_jr/thanks/")
    outcome = OutcomeAdministration.objects.get(patient=planned_patient)
    assert (outcome.by, outcome.answers, outcome.raw) == ("patient", [2, 2, 1, 3, 2, 2, 3], 15)
    assert _url(portal_url, "koos_jr") not in client.get(portal_url).content.decode()


def test_a_missing_answer_is_named_at_the_top_and_nothing_is_written(client, portal_url, planned_patient):
    answers = {**KOOS_ANSWERS, "action": "send"}
    del answers["q3"]
    response = _corrected(client, _url(portal_url, "koos_jr"), answers)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Please check your answers" in page
    assert "Straightening knee fully: Choose an answer." in page
    assert 'value="2" id="id_q1_2" checked' in page  # what was given stays ticked
    assert not OutcomeAdministration.objects.exists()


def test_an_answer_outside_the_options_is_refused(client, portal_url):
    response = _corrected(client, _url(portal_url, "koos_jr"), {**KOOS_ANSWERS, "q1": "9", "action": "send"})
    assert "Select a valid choice" in response.content.decode()
    assert not OutcomeAdministration.objects.exists()


def test_answers_can_be_kept_for_later_and_resumed(client, portal_url):
    partial = {"q1": "3", "q2": "1", "action": "later"}
    response = client.post(_url(portal_url, "koos_jr"), partial)
    assert response["Location"].endswith("questionnaires/koos_jr/saved/")
    assert "Nothing has been sent yet" in client.get(response["Location"]).content.decode()
    assert not OutcomeAdministration.objects.exists()

    page = client.get(_url(portal_url, "koos_jr")).content.decode()
    assert "Your answers from last time are filled in" in page
    assert 'value="3" id="id_q1_3" checked' in page and 'value="1" id="id_q2_1" checked' in page


def test_answers_kept_for_later_outlast_the_session_for_a_week_then_go(client, portal_url):
    """Saved tonight, finished tomorrow or on another phone: the answers are
    kept on the server (a session ends within hours). A week on, they go."""
    client.post(_url(portal_url, "koos_jr"), {"q1": "3", "q2": "1", "action": "later"})
    next_day = Client()  # no cookie of the first: another day's browser, or another phone
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC)):
        page = next_day.get(_url(portal_url, "koos_jr")).content.decode()
    assert "Your answers from last time are filled in" in page
    assert 'value="3" id="id_q1_3" checked' in page
    with time_machine.travel(dt.datetime(2026, 11, 28, 13, 0, tzinfo=dt.UTC)):
        page = next_day.get(_url(portal_url, "koos_jr")).content.decode()
        assert "Your answers from last time" not in page
        drafts_clear_task()
    assert not PortalDraft.objects.exists()


def test_going_back_to_the_home_page_keeps_the_answers_given(client, portal_url):
    back = client.post(_url(portal_url, "koos_jr"), {"q1": "2", "q4": "3", "action": "home"})
    assert back["Location"] == portal_url
    page = client.get(_url(portal_url, "koos_jr")).content.decode()
    assert "Your answers from last time are filled in" in page
    assert 'value="2" id="id_q1_2" checked' in page and 'value="3" id="id_q4_3" checked' in page
    assert not OutcomeAdministration.objects.exists()


def test_going_back_before_answering_keeps_nothing(client, portal_url):
    client.post(_url(portal_url, "koos_jr"), {"action": "home"})
    assert not PortalDraft.objects.exists()


def test_going_back_with_every_answer_cleared_drops_the_answers_kept_before(client, portal_url):
    client.post(_url(portal_url, "koos_jr"), {"q1": "2", "action": "later"})
    client.post(_url(portal_url, "koos_jr"), {"action": "home"})
    assert "Your answers from last time" not in client.get(_url(portal_url, "koos_jr")).content.decode()


def test_sending_drops_the_answers_kept_for_later(client, portal_url):
    client.post(_url(portal_url, "koos_jr"), {"q1": "3", "action": "later"})
    client.post(_url(portal_url, "koos_jr"), {**KOOS_ANSWERS, "action": "send"})
    assert OutcomeAdministration.objects.count() == 1 and not PortalDraft.objects.exists()


def test_psfs_names_activities_first_then_re_rates_the_same(client, portal_url, planned_patient):
    first = {"activity1": "Walking to the shops", "score1": "3", "activity2": "Stairs", "score2": "4",
             "activity3": "Getting out of a car", "score3": "5", "action": "send"}
    assert client.post(_url(portal_url, "psfs"), first).status_code == 302
    outcome = OutcomeAdministration.objects.get(patient=planned_patient, instrument__code="psfs")
    assert outcome.score == 4

    OutcomeAdministration.objects.update(date=dt.date(2026, 10, 1))
    page = client.get(_url(portal_url, "psfs")).content.decode()
    assert "Rate the same activities as last time" in page and "Getting out of a car" in page
    assert 'name="activity1"' not in page
    client.post(_url(portal_url, "psfs"), {"score1": "6", "score2": "6", "score3": "7", "action": "send"})
    latest = OutcomeAdministration.objects.filter(instrument__code="psfs").latest("date")
    assert [a["activity"] for a in latest.activities] == ["Walking to the shops", "Stairs", "Getting out of a car"]
    assert float(latest.score) == pytest.approx(6.33)


def test_psfs_needs_three_named_and_rated_activities(client, portal_url):
    response = _corrected(client, _url(portal_url, "psfs"), {"activity1": "Stairs", "score1": "4", "activity2": "Walking",
                                                      "action": "send"})
    page = response.content.decode()
    assert "Rate “Walking” from 0 to 10." in page
    response = _corrected(client, _url(portal_url, "psfs"), {"activity1": "Stairs", "score1": "4", "action": "send"})
    assert "Name at least 3 activities" in response.content.decode()
    assert not OutcomeAdministration.objects.exists()


def test_an_optional_psfs_rating_tapped_by_mistake_can_be_taken_back(client, portal_url, planned_patient):
    page = client.get(_url(portal_url, "psfs")).content.decode()
    assert 'name="score4" value="" id="id_score4_none"' in page and 'id="id_score3_none"' not in page
    three = {"activity1": "Walking to the shops", "score1": "3", "activity2": "Stairs", "score2": "4",
             "activity3": "Getting out of a car", "score3": "5", "action": "send"}
    stuck = _corrected(client, _url(portal_url, "psfs"), {**three, "score4": "6"}).content.decode()
    assert "Name the activity you rated, or tap “No rating” under it." in stuck
    assert client.post(_url(portal_url, "psfs"), {**three, "score4": ""}).status_code == 302
    outcome = OutcomeAdministration.objects.get(patient=planned_patient, instrument__code="psfs")
    assert len(outcome.activities) == 3


def test_a_questionnaire_sent_today_says_so_instead_of_asking_again(client, portal_url):
    assert client.post(_url(portal_url, "koos_jr"), {**KOOS_ANSWERS, "action": "send"}).status_code == 302
    for response in (client.get(_url(portal_url, "koos_jr")),
                     client.post(_url(portal_url, "koos_jr"), {**KOOS_ANSWERS, "action": "send"})):
        page = response.content.decode()
        assert response.status_code == 200
        assert "You have already answered" in page and 'name="q1"' not in page
        assert "<title>Error" not in page
    assert OutcomeAdministration.objects.count() == 1


def test_another_clinics_questionnaire_code_is_not_found(client, portal_url, other_clinic):
    Instrument.objects.filter(clinic=other_clinic, code="koos_jr").update(code="odi_other")
    for code in ("odi_other", "nonsense"):
        response = client.get(_url(portal_url, code))
        assert response.status_code == 404
        assert "This page is not here" in response.content.decode()  # the link itself works


def test_many_missing_answers_are_summed_up_in_one_line_pointing_at_the_first(client, portal_url):
    answers = {**KOOS_ANSWERS, "action": "send"}
    for name in ("q2", "q3", "q5"):
        del answers[name]
    page = _corrected(client, _url(portal_url, "koos_jr"), answers).content.decode()

    summary = page[page.index('role="alert"'):page.index("</div>", page.index('role="alert"'))]
    assert 'href="#id_q2-group">3 of 7 questions have no answer yet. Start with question 2:' in summary
    assert "Choose an answer" not in summary
    assert page.count("portal-field-error") == 3  # each question still says so where it is
    assert not OutcomeAdministration.objects.exists()
    nothing = _corrected(client, _url(portal_url, "koos_jr"), {"action": "send"}).content.decode()
    assert "None of the 7 questions has an answer yet. Start with question 1:" in nothing


def test_a_clinics_own_questionnaire_without_a_title_for_patients_shows_its_name(client, portal_url, clinic):
    Instrument.objects.filter(clinic=clinic, code="koos_jr").update(patient_title="", name="Knee questions (KJR)")
    page = client.get(portal_url).content.decode()
    assert "Knee questions (KJR)" in page


def test_a_reload_of_the_page_with_errors_keeps_the_answers(client, portal_url):
    answers = {**KOOS_ANSWERS, "action": "send"}
    answers.pop("q7")
    _corrected(client, _url(portal_url, "koos_jr"), answers)
    again = client.get(_url(portal_url, "koos_jr")).content.decode()
    assert 'value="2" id="id_q1_2" checked' in again and "Please check your answers" not in again
