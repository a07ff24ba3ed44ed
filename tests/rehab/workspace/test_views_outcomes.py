"""Outcome measures in the workspace (DESIGN §9): staff paper entry, the
patient page's due/overdue list and trend charts, the discharge form's final
measures, and exit criteria on outcome scores read from the record."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from content.instruments import Instrument
from content.models import ExitCriterion, Phase
from patients.models import OutcomeAdministration
from patients.outcomes import record_outcome
from rehab.record import criteria_evaluate, entries_by_patient, exit_criteria_by_phase
from tests.factories import EntryFactory, PatientFactory

TODAY = dt.date(2026, 9, 15)


@pytest.fixture(autouse=True)
def frozen_clinic_day():
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def patient(clinic, physio):
    return PatientFactory(clinic=clinic, physio=physio, ref="P-0001", surgery_date=dt.date(2026, 6, 1),
                          programme_start=dt.date(2026, 6, 8), phase="integrate")


def url(patient, code):
    return reverse("outcome_create", args=[patient.pk, code])


def psfs_answered(patient, date, ratings, by="patient"):
    """A PSFS of three activities (Stairs, Walking, Car) rated `ratings`."""
    psfs = Instrument.objects.get(clinic=patient.clinic, code="psfs")
    return record_outcome(patient=patient, instrument=psfs, date=date, by=by,
                          activities=list(zip(("Stairs", "Walking", "Car"), ratings, strict=True)))


def koos_data(answers, date="2026-09-14"):
    data = {"date": date}
    for n, value in enumerate(answers, start=1):
        if value is not None:
            data[f"item_{n}"] = str(value)
    return data


def test_staff_enter_a_koos_jr_from_paper(client, physio, patient):
    client.force_login(physio)
    page = client.get(url(patient, "koos_jr")).content.decode()
    assert "Twisting/pivoting on your knee" in page and "4 – Extreme" in page
    response = client.post(url(patient, "koos_jr"), koos_data([2, 2, 1, 3, 2, 2, 3]))
    assert response.status_code == 302 and response.url.endswith("#outcomes")
    outcome = OutcomeAdministration.objects.get(patient=patient)
    assert (outcome.by, outcome.entered_by, outcome.raw, outcome.answers) == ("staff", physio, 15, [2, 2, 1, 3, 2, 2, 3])
    assert outcome.date == dt.date(2026, 9, 14)


@pytest.mark.parametrize("data, field, message", [
    (koos_data([2, 2, None, 3, 2, 2, 3]), "item_3", "Question 3 is not answered."),
    (koos_data([2, 2, 1, 3, 2, 2, 3], date="2026-09-16"), "date", "The date is in the future."),
    (koos_data([2, 2, 1, 3, 2, 2, 3], date="2026-05-31"), "date", "before the surgery"),
    (koos_data([2, 2, 1, 3, 2, 9, 3]), "item_6", "Question 6: the answer must be 0 to 4."),
])
def test_a_bad_koos_jr_is_refused_beside_the_field_and_saves_nothing(client, physio, patient, data, field, message):
    client.force_login(physio)
    response = client.post(url(patient, "koos_jr"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert not OutcomeAdministration.objects.exists()


def test_a_second_koos_jr_the_same_day_is_refused_beside_the_date(client, physio, patient):
    client.force_login(physio)
    client.post(url(patient, "koos_jr"), koos_data([0] * 7))
    response = client.post(url(patient, "koos_jr"), koos_data([1] * 7))
    assert "already recorded on 14 Sep 2026" in " ".join(response.context["form"].errors["date"])
    assert OutcomeAdministration.objects.count() == 1


def test_psfs_names_activities_the_first_time_and_re_rates_them_later(client, physio, patient):
    client.force_login(physio)
    data = {"date": "2026-08-10", "activity_1": "Walking to the shops", "rating_1": "4",
            "activity_2": "Stairs", "rating_2": "3", "activity_3": "Getting out of a car", "rating_3": "5"}
    assert client.post(url(patient, "psfs"), data).status_code == 302
    page = client.get(url(patient, "psfs")).content.decode()
    assert 'value="Stairs" disabled' in page and "activity_4" not in page
    # The names are fixed: a posted change is ignored, the baseline names are kept.
    later = {"date": "2026-09-07", "activity_1": "Something else", "rating_1": "7", "rating_2": "6", "rating_3": "8"}
    assert client.post(url(patient, "psfs"), later).status_code == 302
    latest = OutcomeAdministration.objects.filter(patient=patient).order_by("-date").first()
    assert [a["activity"] for a in latest.activities] == ["Walking to the shops", "Stairs", "Getting out of a car"]
    assert latest.score == Decimal("7.00")


def test_psfs_with_too_few_activities_or_a_bad_rating_is_refused(client, physio, patient):
    client.force_login(physio)
    response = client.post(url(patient, "psfs"), {"date": "2026-08-10", "activity_1": "Stairs", "rating_1": "3"})
    assert "Name 3 to 5 activities: 1 given." in response.context["form"].non_field_errors()
    response = client.post(url(patient, "psfs"), {
        "date": "2026-08-10", "activity_1": "Stairs", "rating_1": "3", "activity_2": "Car", "rating_2": "11",
        "activity_3": "Walk", "rating_3": "5"})
    assert response.context["form"].errors["rating_2"] == ["Activity 2 is rated 0 to 10, not 11."]
    assert not OutcomeAdministration.objects.exists()


def test_every_problem_of_a_psfs_shows_at_once_not_in_rounds(client, physio, patient):
    client.force_login(physio)
    response = client.post(url(patient, "psfs"), {
        "date": "2026-09-20", "activity_1": "Stairs", "rating_1": "11", "activity_2": "Car", "rating_2": "",
        "activity_3": "Walk", "rating_3": "5"})
    errors = response.context["form"].errors
    assert "future" in " ".join(errors["date"])
    assert errors["rating_1"] == ["Activity 1 is rated 0 to 10, not 11."]
    assert "rating_2" in errors
    assert not OutcomeAdministration.objects.exists()


def test_an_outsider_gets_404_and_a_clinic_admin_403(client, patient, outsider, clinic_admin):
    client.force_login(outsider)
    assert client.get(url(patient, "koos_jr")).status_code == 404
    assert client.post(url(patient, "koos_jr"), koos_data([0] * 7)).status_code == 404
    client.force_login(clinic_admin)
    assert client.post(url(patient, "koos_jr"), koos_data([0] * 7)).status_code == 403
    assert not OutcomeAdministration.objects.exists()


def test_an_unknown_or_retired_instrument_is_404(client, physio, patient):
    client.force_login(physio)
    assert client.get(url(patient, "nope")).status_code == 404
    Instrument.objects.filter(clinic=patient.clinic, code="koos_jr").update(is_active=False)
    assert client.get(url(patient, "koos_jr")).status_code == 404


def test_an_external_next_is_not_followed(client, physio, patient):
    client.force_login(physio)
    response = client.post(url(patient, "koos_jr") + "?next=https://evil.example/", {
        **koos_data([0] * 7), "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url.startswith("/")


# The patient page -----------------------------------------------------------


def test_the_patient_page_shows_due_and_overdue_measures_and_a_trend_per_measure(client, physio, patient):
    # First visit 8 Jun (baseline), then 28-day occasions: 6 Jul, 3 Aug, 31 Aug (due on 15 Sep: 15 days late).
    EntryFactory(patient=patient, date=dt.date(2026, 6, 8), chair_stand_30s=8, tug_s=Decimal("14.0"))
    EntryFactory(patient=patient, date=dt.date(2026, 9, 10), chair_stand_30s=11, tug_s=Decimal("12.6"))
    psfs_answered(patient, dt.date(2026, 6, 8), (3, 4, 2), by="staff")
    psfs_answered(patient, dt.date(2026, 9, 12), (6, 7, 5))
    client.force_login(physio)
    response = client.get(reverse("patient_detail", args=[patient.pk]))
    rows = {row.track.code: row for row in response.context["outcome_rows"]}
    assert set(rows) == {"psfs", "koos_jr", "chair_stand_30s", "tug_s"}  # HOOS JR is not scheduled
    attention = {row.track.code: row.attention for row in response.context["outcomes_attention"]}
    assert attention == {"koos_jr": "overdue"}
    assert rows["psfs"].track.status.status == "up_to_date"
    assert rows["tug_s"].change_text == "-1.4 (beyond the change band)"
    assert rows["chair_stand_30s"].change_text == "+3 (beyond the change band)"
    assert rows["psfs"].change_text == "+3 (beyond the change band)"
    page = response.content.decode()
    assert page.count('class="w-100 h-auto outcome-chart"') == 3  # KOOS JR has no readings yet
    assert 'class="change-band"' in page and "Overdue" in page
    assert url(patient, "koos_jr") in page


def test_the_patient_page_reads_outcomes_in_a_fixed_number_of_queries(client, physio, patient,
                                                                      django_assert_max_num_queries):
    client.force_login(physio)
    client.get(reverse("patient_detail", args=[patient.pk]))
    koos = Instrument.objects.get(clinic=patient.clinic, code="koos_jr")
    for week in range(8):
        day = dt.date(2026, 6, 8) + dt.timedelta(weeks=week)
        EntryFactory(patient=patient, date=day, chair_stand_30s=week)
        record_outcome(patient=patient, instrument=koos, date=day, by="staff", answers=[1] * 7)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("patient_detail", args=[patient.pk]))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("patient_detail", args=[patient.pk]))


def test_the_discharge_form_asks_for_the_final_measures(client, physio, patient):
    EntryFactory(patient=patient, date=dt.date(2026, 9, 10), chair_stand_30s=11)
    client.force_login(physio)
    page = client.get(reverse("phase_move", args=[patient.pk])).content.decode()
    assert "Before a discharge: final outcome measures" in page
    assert "Timed Up and Go (s)" in page and "KOOS JR (knee)" in page
    section = page.split('id="discharge-outcomes"')[1].split("</fieldset>")[0]
    assert "30-second chair stand" not in section  # taken 5 days ago
    assert url(patient, "koos_jr") + "?next=" in section


# Exit criteria on outcome scores, read from the record -------------------------


def test_an_exit_criterion_on_a_questionnaire_reads_the_patients_scores(patient):
    phase = Phase.objects.get(clinic=patient.clinic, code="integrate")
    ExitCriterion.objects.filter(phase=phase).delete()
    ExitCriterion.objects.create(phase=phase, measure="psfs", comparator=">=", threshold=6)
    EntryFactory(patient=patient, date=dt.date(2026, 9, 10))
    psfs_answered(patient, dt.date(2026, 9, 12), (6, 7, 5))
    criteria = exit_criteria_by_phase([patient.clinic_id])[(patient.clinic_id, "integrate")]
    entries = entries_by_patient([patient.pk])[patient.pk]
    results, ready = criteria_evaluate(patient, entries, criteria, as_of=TODAY, phase_start=patient.programme_start)
    assert (results[0].status, results[0].value, ready) == ("met", Decimal("6.000"), True)
    results, ready = criteria_evaluate(patient, entries, criteria, as_of=TODAY, phase_start=patient.programme_start,
                                       outcomes=[])
    assert (results[0].status, ready) == ("unknown", False)


def test_a_final_test_recorded_at_a_visit_from_the_discharge_form_returns_to_it_with_the_move_kept(
        client, physio, patient, django_capture_on_commit_callbacks):
    client.force_login(physio)
    phase_url = reverse("phase_move", args=[patient.pk])
    page = client.get(phase_url).content.decode()
    section = page.split('id="discharge-outcomes"')[1].split("</fieldset>")[0]
    visit_url = re.search(r'name="go_to" value="([^"]*visits/new/[^"]*)"', section).group(1).replace("&amp;", "&")
    moved = client.post(phase_url, {"to_phase": "discharged", "reason": "Goals met", "expected_from": "integrate",
                                    "go_to": visit_url})
    assert moved["Location"] == visit_url
    form = client.get(visit_url).content.decode()
    assert f'name="next" value="{phase_url}"' in form and f'href="{phase_url}">Cancel' in form
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(visit_url, {"date": "2026-09-14", "chair_stand_30s": "12", "tug_s": "9.8",
                                        "notes": "", "next": phase_url})
    assert saved["Location"] == phase_url
    back = client.get(phase_url)
    assert back.context["form"]["reason"].value() == "Goals met"
    assert "Your phase move is filled in as you left it" in back.content.decode()


def test_enter_now_before_typing_the_move_comes_back_to_a_form_without_errors(
        client, physio, patient, django_capture_on_commit_callbacks):
    """Nothing of the move typed yet: the physio left only to enter a final
    measure, and is not told the patient "was not moved"."""
    client.force_login(physio)
    phase_url = reverse("phase_move", args=[patient.pk])
    section = client.get(phase_url).content.decode().split('id="discharge-outcomes"')[1].split("</fieldset>")[0]
    visit_url = re.search(r'name="go_to" value="([^"]*visits/new/[^"]*)"', section).group(1).replace("&amp;", "&")
    assert client.post(phase_url, {"expected_from": "integrate", "replace_plan": "on",
                                   "go_to": visit_url})["Location"] == visit_url
    with django_capture_on_commit_callbacks(execute=True):
        client.post(visit_url, {"date": "2026-09-14", "chair_stand_30s": "12", "notes": "", "next": phase_url})
    back = client.get(phase_url)
    page = back.content.decode()
    assert not back.context["form"].is_bound
    assert "was not moved" not in page and "Give a reason for the move." not in page
    assert "This field is required" not in page
    assert back.context["form"]["replace_plan"].value() is True


def test_an_unticked_plan_replacement_stays_unticked_on_the_way_back(client, physio, patient):
    client.force_login(physio)
    phase_url = reverse("phase_move", args=[patient.pk])
    section = client.get(phase_url).content.decode().split('id="discharge-outcomes"')[1].split("</fieldset>")[0]
    visit_url = re.search(r'name="go_to" value="([^"]*visits/new/[^"]*)"', section).group(1).replace("&amp;", "&")
    client.post(phase_url, {"expected_from": "integrate", "to_phase": "rebuild", "reason": "Flare-up",
                            "go_to": visit_url})
    form = client.get(phase_url).context["form"]
    assert (form["to_phase"].value(), form["reason"].value(), form["replace_plan"].value()) == (
        "rebuild", "Flare-up", False)


# A questionnaire recorded by mistake ----------------------------------------------

def test_a_mistyped_questionnaire_is_deleted_with_a_reason_and_entered_again(client, physio, patient):
    client.force_login(physio)
    client.post(url(patient, "koos_jr"), koos_data([4, 4, 4, 4, 4, 4, 4]))
    wrong = OutcomeAdministration.objects.get(patient=patient)
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    delete_url = reverse("outcome_delete", args=[patient.pk, wrong.pk])
    assert f'href="{delete_url}">Delete' in page

    confirm = client.get(delete_url).content.decode()
    assert "Delete the KOOS JR (knee) of 14 Sep 2026?" in confirm
    assert "entered from paper by" in confirm and "4 (" in confirm  # the answers as recorded
    refused = client.post(delete_url, {"reason": "  "})
    assert "Say why it is deleted" in refused.content.decode()
    assert OutcomeAdministration.objects.filter(pk=wrong.pk).exists()

    deleted = client.post(delete_url, {"reason": "Typed from the wrong paper form"})
    assert deleted["Location"] == url(patient, "koos_jr") + "?date=2026-09-14"
    assert not OutcomeAdministration.objects.filter(pk=wrong.pk).exists()
    again = client.get(deleted["Location"])
    assert again.context["form"]["date"].value() == dt.date(2026, 9, 14)
    assert client.post(url(patient, "koos_jr"), koos_data([1, 1, 1, 1, 1, 1, 1])).status_code == 302

    history = client.get(reverse("patient_history", args=[patient.pk])).context["changes"]
    gone = next(c for c in history if c.what == "Questionnaire deleted: KOOS JR (knee) of 14 Sep 2026")
    assert (gone.who, gone.why) == (physio.display_name, "Typed from the wrong paper form")
    assert [c.what for c in history].count("Questionnaire recorded: KOOS JR (knee) of 14 Sep 2026") == 2


def test_deleting_the_score_a_criterion_read_withdraws_readiness(client, physio, patient,
                                                                   django_capture_on_commit_callbacks):
    phase = Phase.objects.get(clinic=patient.clinic, code="integrate")
    ExitCriterion.objects.filter(phase=phase).delete()
    ExitCriterion.objects.create(phase=phase, measure="psfs", comparator=">=", threshold=6)
    EntryFactory(patient=patient, date=dt.date(2026, 9, 10))
    client.force_login(physio)
    client.post(url(patient, "psfs"), {"date": "2026-09-14", "activity_1": "Stairs", "rating_1": "7",
                                       "activity_2": "Walking", "rating_2": "7", "activity_3": "Car", "rating_3": "7"})
    ready = patient.flags.filter(code="ready_to_progress", closed_at__isnull=True)
    assert ready.exists()
    outcome = OutcomeAdministration.objects.get(patient=patient)
    client.post(reverse("outcome_delete", args=[patient.pk, outcome.pk]), {"reason": "Wrong patient"})
    assert not ready.exists()


def test_another_clinics_questionnaire_cannot_be_deleted(client, physio, patient, outsider, clinic_admin):
    outcome = psfs_answered(patient, dt.date(2026, 9, 12), (6, 7, 5))
    delete_url = reverse("outcome_delete", args=[patient.pk, outcome.pk])
    client.force_login(outsider)
    assert client.get(delete_url).status_code == 404
    assert client.post(delete_url, {"reason": "x"}).status_code == 404
    client.force_login(clinic_admin)
    assert client.post(delete_url, {"reason": "x"}).status_code == 403
    other = PatientFactory(clinic=patient.clinic)
    client.force_login(physio)
    assert client.post(reverse("outcome_delete", args=[other.pk, outcome.pk]), {"reason": "x"}).status_code == 404
    assert OutcomeAdministration.objects.filter(pk=outcome.pk).exists()


def test_a_psfs_up_by_exactly_the_meaningful_change_reads_beyond_the_band(client, physio, patient):
    psfs_answered(patient, dt.date(2026, 8, 1), (3, 3, 3))
    psfs_answered(patient, dt.date(2026, 9, 1), (5, 5, 5))
    client.force_login(physio)
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    trend = page.split('data-measure="psfs"')[1].split('class="col-md-6 outcome-trend"')[0]
    assert "change <strong>+2 (beyond the change band)</strong>" in trend
