"""Self-reports from the portal: saved as entries, urgent advice at once, flags for the physio."""

import datetime as dt

import pytest
import time_machine

from content.codes import Symptom
from content.flag_kinds import FLAG_KINDS, FlagCode, Severity
from patients.models import Entry, EntrySymptom, PainScore
from portal.wording import in_clinic_words
from rehab.models import Flag
from tests.portal.flow import report_steps, send_signs

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 7, 15, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_saddle_numbness_raises_cauda_equina_emails_the_physio_and_shows_emergency_advice(
    client, portal, planned_patient, physio, django_capture_on_commit_callbacks, mailoutbox
):
    _, token = portal
    with django_capture_on_commit_callbacks(execute=True):
        response = report_steps(client, token, {"symptoms": [Symptom.SADDLE_NUMBNESS]})
    entry = Entry.objects.get(patient=planned_patient)
    assert entry.kind == Entry.SELF_REPORT
    assert entry.date == dt.date(2026, 7, 15)
    assert response.status_code == 302
    assert response["Location"] == f"/p/{token}/report/{entry.pk}/"
    flag = Flag.objects.get(patient=planned_patient, entry=entry)
    assert flag.code == FlagCode.CAUDA_EQUINA and flag.severity == Severity.EMERGENCY
    assert [m.to for m in mailoutbox] == [[physio.email]]

    result = client.get(response["Location"]).content.decode()
    assert "Go to the emergency department now" in result
    assert FLAG_KINDS[FlagCode.CAUDA_EQUINA].patient_advice.split(".")[0] in result


def test_advice_is_listed_most_urgent_first(client, portal):
    _, token = portal
    response = client.post(
        f"/p/{token}/report/", {"symptoms": [Symptom.SHOOTING_LEG_PAIN, Symptom.CALF_SWELLING, Symptom.FOOT_DROP]}
    )
    page = client.get(response["Location"]).content.decode()
    positions = [page.index(FLAG_KINDS[code].patient_advice[:40])
                 for code in (FlagCode.DVT_SIGNS, FlagCode.MOTOR_DEFICIT, FlagCode.RADICULAR_PAIN)]
    assert positions == sorted(positions)


def test_pain_scores_are_saved_by_location_and_context(client, portal, planned_patient):
    _, token = portal
    response = report_steps(client, token, {"pain_anterior_hip_activity": "6", "pain_knee_rest": "0",
                                                   "pain_lumbar_bilateral_night": ""})
    assert response.status_code == 302
    scores = set(PainScore.objects.filter(entry__patient=planned_patient)
                 .values_list("location", "context", "score"))
    assert scores == {("anterior_hip", "activity", 6), ("knee", "rest", 0)}
    page = client.get(response["Location"]).content.decode()
    assert "Thank you" in page and "emergency department now" not in page.split("seek-help")[0]


def test_a_sign_that_raises_no_flag_on_its_own_is_saved_without_promising_an_alert(client, portal, planned_patient):
    """A fever alone raises nothing (DESIGN 4.2: with joint pain or a pain
    score it is an infection sign): the page does not say the physio has been
    told, and says what to do when worried."""
    _, token = portal
    client.post(f"/p/{token}/report/", {"locations": ["nowhere"]})
    response = send_signs(client, token, [Symptom.FEVER])
    assert not Flag.objects.filter(patient=planned_patient).exists()
    page = client.get(response["Location"]).content.decode()
    assert "saved on your record, for your physiotherapist to see at your next visit" in page
    assert "It does not alert them today" in page and "If you are worried before then, please" in page
    assert "has been told" not in page and "will look at it" not in page


def test_refreshing_the_result_page_does_not_resubmit(client, portal, planned_patient):
    _, token = portal
    response = report_steps(client, token, {"pain_knee_rest": "3"})
    for _ in range(3):
        assert client.get(response["Location"]).status_code == 200
    assert Entry.objects.filter(patient=planned_patient).count() == 1


def nothing_written(patient):
    return (not Entry.objects.filter(patient=patient).exists()
            and not EntrySymptom.objects.filter(entry__patient=patient).exists()
            and not PainScore.objects.filter(entry__patient=patient).exists())


def error_summary(page):
    """The error box at the top of a step: it comes before the step's question and takes the focus."""
    assert 'class="portal-error-summary" role="alert" tabindex="-1" autofocus' in page
    assert page.index("portal-error-summary") < page.index('class="portal-question"')
    return page.split('class="portal-error-summary"', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize(("locations", "message"), [
    ([], "Tap each place that hurts, or tap “Nowhere”"),
    (["elbow"], "Please tap only the places shown."),
    (["knee", "nowhere"], "You tapped “Nowhere” and a place that hurts."),
], ids=["nothing-tapped", "unknown-place", "nowhere-and-a-place"])
def test_a_bad_where_answer_is_explained_at_the_top_of_step_one(client, portal, planned_patient, locations,
                                                                message):
    _, token = portal
    response = client.post(f"/p/{token}/report/", {"locations": locations}, follow=True)
    # Shown by the step's own page (a GET): the back button never asks to send the form again.
    assert response.redirect_chain == [(f"/p/{token}/report/", 302)] and response.status_code == 200
    assert message in error_summary(response.content.decode())
    assert nothing_written(planned_patient)


@pytest.mark.parametrize(("scores", "message"), [
    ({"pain_knee_rest": "11"}, "Choose a number from 0"),
    ({"pain_knee_rest": "-1"}, "Choose a number from 0"),
    ({"pain_knee_rest": "three"}, "Choose a number from 0"),
    ({}, "Knee: choose how much it hurts when moving, when resting or at night (one is enough)."),
    ({"pain_knee_activity": "3"}, "Front of the hip / groin: choose how much it hurts"),
], ids=["above-10", "negative", "not-a-number", "no-score", "one-place-unscored"])
def test_a_bad_score_is_explained_at_the_top_of_step_two(client, portal, planned_patient, scores, message):
    _, token = portal
    client.post(f"/p/{token}/report/", {"locations": ["anterior_hip", "knee"] if "activity" in str(scores)
                                        else ["knee"]})
    response = client.post(f"/p/{token}/report/how-much/", scores, follow=True)
    assert response.redirect_chain == [(f"/p/{token}/report/how-much/", 302)] and response.status_code == 200
    page = response.content.decode()
    assert message in error_summary(page)
    assert nothing_written(planned_patient)
    # The step goes on asking about the places chosen, and only those.
    assert "Lower back" not in page.split('class="portal-question"')[1].split("</form>")[0]


def test_an_unknown_sign_is_explained_at_the_top_of_step_three(client, portal, planned_patient):
    _, token = portal
    client.post(f"/p/{token}/report/", {"locations": ["knee"]})
    client.post(f"/p/{token}/report/how-much/", {"pain_knee_rest": "4"})
    response = send_signs(client, token, ["saddle_numbness", "made_up"])
    assert response["Location"] == f"/p/{token}/report/warning-signs/"
    page = client.get(response["Location"]).content.decode()
    assert "Please tick only the statements shown." in error_summary(page)
    assert 'value="saddle_numbness" id="id_symptoms_' in page  # the sign ticked stays ticked
    assert nothing_written(planned_patient)


def test_nothing_hurts_and_no_sign_sends_nothing_and_is_no_error(client, portal, planned_patient):
    """The step says "if none are, leave them all empty": doing so is a
    patient who is well, not a mistake to correct."""
    _, token = portal
    client.post(f"/p/{token}/report/", {"locations": ["nowhere"]})
    response = client.post(f"/p/{token}/report/warning-signs/", {}, follow=True)
    assert response.redirect_chain == [(f"/p/{token}/report/well/", 302)] and response.status_code == 200
    page = response.content.decode()
    assert "Good to hear you are well" in page and "there is nothing to send" in page
    assert "Please check your answer" not in page and "<title>Error" not in page
    assert nothing_written(planned_patient)
    # The report starts afresh next time.
    assert client.get(f"/p/{token}/report/warning-signs/")["Location"] == f"/p/{token}/report/"


def test_nothing_is_written_until_the_last_step_is_sent(client, portal, planned_patient):
    _, token = portal
    client.post(f"/p/{token}/report/", {"locations": ["knee"]})
    client.post(f"/p/{token}/report/how-much/", {"pain_knee_activity": "3"})
    assert nothing_written(planned_patient)
    response = send_signs(client, token, [])
    assert response.status_code == 302
    assert set(PainScore.objects.filter(entry__patient=planned_patient)
               .values_list("location", "context", "score")) == {("knee", "activity", 3)}


def test_a_result_page_of_another_patient_answers_404(client, portal, physio, clinic):
    from rehab.portal_links import portal_link_issue
    from tests.factories import PatientFactory

    _, token = portal
    other = PatientFactory(clinic=clinic, physio=physio)
    _, other_token = portal_link_issue(patient=other, issued_by=physio)
    response = report_steps(client, other_token, {"symptoms": [Symptom.FEVER], "pain_knee_rest": "5"})
    other_result = response["Location"].rsplit("/", 2)[-2]
    theirs = client.get(f"/p/{token}/report/{other_result}/")
    unknown = client.get(f"/p/{token}/report/6a1a39ad-1573-4624-a6cf-f37ced64181f/")
    # The same answer for another's report as for none: the patient's own link
    # still works, and the page says so rather than "this link is not available".
    for response in (theirs, unknown):
        assert response.status_code == 404
        assert "This page is not here" in response.content.decode()
        assert f'href="/p/{token}/"' in response.content.decode()


def test_a_revoked_link_cannot_report(client, portal, planned_patient, physio):
    from rehab.portal_links import portal_link_revoke

    _, token = portal
    client.post(f"/p/{token}/report/", {"locations": ["knee"]})
    portal_link_revoke(patient=planned_patient, revoked_by=physio)
    for step, data in (("", {"locations": ["knee"]}), ("how-much/", {"pain_knee_rest": "3"}),
                       ("warning-signs/", {"symptoms": [Symptom.FEVER]})):
        assert client.post(f"/p/{token}/report/{step}", data).status_code == 404
        assert client.get(f"/p/{token}/report/{step}").status_code == 404
    assert not Entry.objects.filter(patient=planned_patient).exists()


# A heading that matches the severity of the advice (DESIGN 4.2) ---------------


def advice_heading(page):
    """The text of the result page's main heading over the advice."""
    return page.split('id="advice-title">', 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize(
    ("report", "code", "heading"),
    [
        ({"symptoms": [Symptom.BREATHLESSNESS]}, FlagCode.PE_SIGNS,
         "Go to the emergency department now, or call 999"),
        ({"symptoms": [Symptom.FOOT_DROP]}, FlagCode.MOTOR_DEFICIT, "Get checked today"),
        ({"symptoms": [Symptom.CONSTANT_NIGHT_PAIN]}, FlagCode.NIGHT_PAIN, "Contact your GP or physiotherapist soon"),
        # Review-level advice, once the report has told the physio: not "Tell your physiotherapist".
        ({"symptoms": [Symptom.SHOOTING_LEG_PAIN]}, FlagCode.RADICULAR_PAIN, "Your physiotherapist will look at this"),
        ({"pain_lumbar_bilateral_activity": "8"}, FlagCode.PATIENT_REPORTED_PAIN,
         "Your physiotherapist will look at this"),
    ],
)
def test_the_advice_heading_matches_the_severity(client, portal, clinic, report, code, heading):
    _, token = portal
    response = report_steps(client, token, report)
    page = client.get(response["Location"]).content.decode()
    assert advice_heading(page) == heading
    assert in_clinic_words(FLAG_KINDS[code].patient_advice, clinic) in page
    assert "Please act on this today" not in page


@pytest.mark.parametrize("symptom", [Symptom.BREATHLESSNESS, Symptom.CHEST_PAIN, Symptom.SADDLE_NUMBNESS])
def test_emergency_advice_leads_with_a_button_that_calls_the_emergency_number(client, portal, clinic, symptom):
    _, token = portal
    clinic.emergency_number = "112"
    clinic.save()
    response = report_steps(client, token, {"symptoms": [symptom]})
    page = client.get(response["Location"]).content.decode()
    button = '<a class="btn btn-light btn-lg portal-call-emergency" href="tel:112">Call 112 now</a>'
    assert button in page
    assert page.index('id="advice-title"') < page.index(button) < page.index("portal-advice-item")


def test_advice_that_is_not_an_emergency_has_no_emergency_call_button(client, portal):
    _, token = portal
    response = report_steps(client, token, {"symptoms": [Symptom.FOOT_DROP]})
    assert "portal-call-emergency" not in client.get(response["Location"]).content.decode()


def test_review_advice_never_sits_under_an_act_today_heading(client, portal, clinic):
    _, token = portal
    response = report_steps(client, token, {"symptoms": [Symptom.CHEST_PAIN, Symptom.SHOOTING_LEG_PAIN]})
    page = client.get(response["Location"]).content.decode()
    assert advice_heading(page).startswith("Go to the emergency department now")
    review = page.index("Your physiotherapist will look at this</h2>")
    assert page.index(in_clinic_words(FLAG_KINDS[FlagCode.PE_SIGNS].patient_advice, clinic)) < review
    assert review < page.index(FLAG_KINDS[FlagCode.RADICULAR_PAIN].patient_advice)


def test_review_only_advice_is_a_status_not_an_alert(client, portal):
    _, token = portal
    response = report_steps(client, token, {"symptoms": [Symptom.NEW_NUMBNESS_TINGLING]})
    page = client.get(response["Location"]).content.decode()
    assert 'class="portal-advice portal-advice-top-review" role="status"' in page


def test_every_flag_a_patient_can_raise_from_the_portal_has_patient_advice_and_a_heading():
    from content.flag_kinds import ENTRY_FLAG_CODES, PATIENT_ADVICE_HEADINGS

    for code in ENTRY_FLAG_CODES:
        kind = FLAG_KINDS[code]
        assert kind.patient_advice, code
        assert kind.severity in PATIENT_ADVICE_HEADINGS, code
