"""The self-report's three steps: each asks only what it needs, the answers
wait in the patient's session until the last step is sent, and a patient who
leaves part-way finds them again."""

import pytest
from django.test import Client

from content.codes import Symptom
from patients.models import Entry, PainScore
from rehab.portal_links import portal_link_issue
from tests.factories import PatientFactory
from tests.portal.flow import report_steps, send_signs

pytestmark = pytest.mark.django_db


def _is_checked(page, value):
    """Whether the input with this value is ticked on the page."""
    tag = page.split(f'value="{value}"', 1)[1].split(">", 1)[0]
    return "checked" in tag


def test_the_home_page_opens_the_report_at_step_one(client, portal_url):
    page = client.get(portal_url).content.decode()
    assert f'href="{portal_url}report/">Tell your physiotherapist how you are</a>' in page
    step = client.get(f"{portal_url}report/").content.decode()
    assert "Where does it hurt today?" in step and "Step 1 of 3" in step
    for label in ("Front of the hip / groin", "Lower back, one side only", "Knee", "Nowhere: nothing hurts today"):
        assert label in step
    assert "<select" not in step


def test_step_two_asks_moving_resting_and_at_night_for_the_places_chosen_only(client, portal_url):
    client.post(f"{portal_url}report/", {"locations": ["knee", "lumbar_bilateral"]})
    page = client.get(f"{portal_url}report/how-much/").content.decode()
    form = page.split('class="portal-question"')[1].split("</form>")[0]
    assert [name for name in ("pain_lumbar_bilateral_activity", "pain_lumbar_bilateral_rest",
                              "pain_lumbar_bilateral_night", "pain_knee_activity", "pain_knee_rest",
                              "pain_knee_night", "pain_anterior_hip_activity")
            if f'name="{name}"' in form] == ["pain_lumbar_bilateral_activity", "pain_lumbar_bilateral_rest",
                                             "pain_lumbar_bilateral_night", "pain_knee_activity", "pain_knee_rest",
                                             "pain_knee_night"]
    assert form.count('type="radio" name="pain_knee_rest"') == 11  # 0 to 10, big buttons, not a dropdown
    assert "<select" not in form


def test_nothing_hurts_skips_step_two(client, portal_url):
    response = client.post(f"{portal_url}report/", {"locations": ["nowhere"]})
    assert response["Location"] == f"{portal_url}report/warning-signs/"
    assert client.get(f"{portal_url}report/how-much/")["Location"] == f"{portal_url}report/warning-signs/"
    page = client.get(response["Location"]).content.decode()
    # The last step, whichever way it was reached: never "1 of 3" then "2 of 2".
    assert "Step 3 of 3" in page and "Nothing hurts." in page


@pytest.mark.parametrize("step", ["how-much/", "warning-signs/"])
def test_a_later_step_before_step_one_goes_back_to_step_one(client, portal_url, step):
    assert client.get(f"{portal_url}report/{step}")["Location"] == f"{portal_url}report/"


def test_the_warning_signs_wait_until_each_place_has_a_score(client, portal_url):
    client.post(f"{portal_url}report/", {"locations": ["knee"]})
    assert client.get(f"{portal_url}report/warning-signs/")["Location"] == f"{portal_url}report/how-much/"
    assert not Entry.objects.exists()


def test_a_patient_who_leaves_part_way_carries_on_where_they_were(client, portal_url):
    client.post(f"{portal_url}report/", {"locations": ["knee"]})
    client.post(f"{portal_url}report/how-much/", {"pain_knee_activity": "3"})
    home = client.get(portal_url).content.decode()
    assert f'href="{portal_url}report/warning-signs/">Finish telling your physiotherapist how you are</a>' in home
    signs = client.get(f"{portal_url}report/warning-signs/").content.decode()
    assert "<strong>Knee:</strong> moving 3 out of 10" in signs
    # Going back shows the answers given.
    assert _is_checked(client.get(f"{portal_url}report/").content.decode(), "knee")
    how_much = client.get(f"{portal_url}report/how-much/").content.decode()
    assert _is_checked(how_much.split('name="pain_knee_activity"', 1)[1], "3")
    assert not Entry.objects.exists()


@pytest.mark.parametrize("go", ["where", "pain"])
def test_going_back_from_the_warning_signs_keeps_what_was_ticked(client, portal_url, planned_patient, go):
    client.post(f"{portal_url}report/", {"locations": ["knee"]})
    client.post(f"{portal_url}report/how-much/", {"pain_knee_activity": "3"})
    back = client.post(f"{portal_url}report/warning-signs/", {
        "pain_knee_activity": "3", "symptoms": [Symptom.CALF_SWELLING, Symptom.FEVER], "go": go})
    assert back["Location"] == f"{portal_url}report/{'how-much/' if go == 'pain' else ''}"
    assert not Entry.objects.exists()
    client.post(f"{portal_url}report/", {"locations": ["knee"]})
    client.post(f"{portal_url}report/how-much/", {"pain_knee_activity": "4"})
    signs = client.get(f"{portal_url}report/warning-signs/").content.decode()
    assert _is_checked(signs, Symptom.CALF_SWELLING) and _is_checked(signs, Symptom.FEVER)
    assert not _is_checked(signs, Symptom.CHEST_PAIN)


def test_a_report_begun_on_one_phone_is_finished_on_another(client, portal_url, planned_patient):
    client.post(f"{portal_url}report/", {"locations": ["knee"]})
    client.post(f"{portal_url}report/how-much/", {"pain_knee_activity": "3"})
    other = Client()
    signs = other.get(f"{portal_url}report/warning-signs/").content.decode()
    assert "<strong>Knee:</strong> moving 3 out of 10" in signs


def test_changing_the_places_keeps_the_scores_of_the_places_still_chosen(client, portal_url, planned_patient):
    client.post(f"{portal_url}report/", {"locations": ["knee", "buttock_si"]})
    client.post(f"{portal_url}report/how-much/", {"pain_knee_activity": "3", "pain_buttock_si_rest": "5"})
    client.post(f"{portal_url}report/", {"locations": ["knee"]})
    response = send_signs(client, portal_url.split("/")[2], [])
    assert response.status_code == 302
    assert set(PainScore.objects.filter(entry__patient=planned_patient)
               .values_list("location", "context", "score")) == {("knee", "activity", 3)}


def test_a_second_tap_on_send_reaches_the_same_advice(client, portal_url, planned_patient):
    token = portal_url.split("/")[2]
    client.post(f"{portal_url}report/", {"locations": ["knee"]})
    client.post(f"{portal_url}report/how-much/", {"pain_knee_activity": "3"})
    page = client.get(f"{portal_url}report/warning-signs/").content.decode()
    assert '<input type="hidden" name="pain_knee_activity" value="3">' in page
    first = send_signs(client, token, [Symptom.SADDLE_NUMBNESS])
    # The first tap sent the report and dropped the draft; the second posts the same page again.
    second = client.post(f"{portal_url}report/warning-signs/",
                         {"pain_knee_activity": "3", "symptoms": [Symptom.SADDLE_NUMBNESS]})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert Entry.objects.filter(patient=planned_patient).count() == 1
    assert "Go to the emergency department now" in client.get(second["Location"]).content.decode()


def test_a_sent_report_starts_the_next_one_afresh(client, portal_url):
    report_steps(client, portal_url.split("/")[2], {"pain_knee_activity": "3"})
    home = client.get(portal_url).content.decode()
    assert f'href="{portal_url}report/">Tell your physiotherapist how you are</a>' in home
    assert not _is_checked(client.get(f"{portal_url}report/").content.decode(), "knee")


def test_two_patients_links_on_one_phone_keep_their_answers_apart(client, portal_url, clinic, physio):
    other = PatientFactory(clinic=clinic, physio=physio)
    _, other_token = portal_link_issue(patient=other, issued_by=physio)
    client.post(f"{portal_url}report/", {"locations": ["knee"]})
    assert client.get(f"/p/{other_token}/report/how-much/")["Location"] == f"/p/{other_token}/report/"
    assert not _is_checked(client.get(f"/p/{other_token}/report/").content.decode(), "knee")


def test_a_report_from_the_one_page_form_is_still_taken_whole(client, portal_url, planned_patient):
    # A tab opened before the upgrade posts the whole report to /report/.
    response = client.post(f"{portal_url}report/", {"pain_knee_rest": "4", "symptoms": [Symptom.SADDLE_NUMBNESS]})
    entry = Entry.objects.get(patient=planned_patient)
    assert response["Location"] == f"{portal_url}report/{entry.pk}/"
    assert "Go to the emergency department now" in client.get(response["Location"]).content.decode()


def test_the_plan_comes_first_and_the_rest_is_folded_below_it(client, portal_url, planned_patient):
    page = client.get(portal_url).content.decode().replace("&#x27;", "'")
    first = planned_patient.plan_items.select_related("exercise").order_by("order", "id").first()
    order = [page.index(text) for text in (
        "Hello ", "Today's exercises", first.exercise.name, first.effective_dosage,
        "Tell your physiotherapist how you are", "Your phase: ", "Do's and don'ts", "When to get help quickly",
        "Contact Riverside Physio",
    )]
    assert order == sorted(order)
    assert page.count('<details class="portal-card portal-fold') >= 3
    assert page.count('<details class="portal-howto">') == planned_patient.plan_items.count()
    # The exercises come from the include the tick-list builds on.
    assert [t.name for t in client.get(portal_url).templates].count("portal/_today.html") == 1


def test_night_pain_of_seven_reported_in_the_steps_is_flagged(client, portal, planned_patient):
    from rehab.models import Flag
    from tests.portal.flow import report_steps

    _, token = portal
    response = report_steps(client, token, {"pain_lumbar_bilateral_night": "7", "pain_lumbar_bilateral_activity": "2",
                                            "pain_lumbar_bilateral_rest": "1"})

    assert response.status_code == 302
    assert Flag.objects.filter(patient=planned_patient, code="patient_reported_pain").exists()
