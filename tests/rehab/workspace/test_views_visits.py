"""Recording, editing and deleting a visit from the workspace."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from patients.models import Entry
from rehab import flags
from rehab.entries import EntryChanged, entry_create, entry_delete, entry_update, entry_version
from rehab.models import Flag
from tests.concurrency import wait_for_a_lock_waiter
from tests.factories import PatientFactory

TODAY = dt.date(2026, 9, 15)


@pytest.fixture(autouse=True)
def frozen_clinic_day():
    with time_machine.travel(dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def patient(clinic, physio):
    return PatientFactory(clinic=clinic, physio=physio, ref="P-0001", surgery_date=dt.date(2026, 6, 1),
                          programme_start=dt.date(2026, 6, 8))


def visit_data(**extra):
    data = {"date": "2026-09-10", "notes": ""}
    data.update(extra)
    return data


def post_visit(client, patient, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("visit_create", args=[patient.pk]), data)


def test_visit_form_shows_the_pain_grid_and_the_red_flag_checklist(client, physio, patient):
    client.force_login(physio)
    html = client.get(reverse("visit_create", args=[patient.pk])).content.decode()
    assert html.count('class="form-control form-control-sm pain-input') == 21
    assert "Calf swelling (operated leg)" in html
    assert 'value="2026-09-15"' in html


def test_recording_a_visit_saves_pain_measures_and_symptoms(client, physio, patient,
                                                           django_capture_on_commit_callbacks):
    client.force_login(physio)
    response = post_visit(client, patient, visit_data(
        pain_lumbar_bilateral_activity="5", pain_anterior_hip_rest="0", pain_knee_night="",
        standing_tolerance_min="15", glute_bridge_lumbar_substitution="no", gait_symmetric_video="",
        symptoms=["shooting_leg_pain"], notes="Walks with a stick",
    ), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    entry = Entry.objects.get(patient=patient)
    assert entry.recorded_by == physio
    assert sorted((p.location, p.context, p.score) for p in entry.pain_scores.all()) == [
        ("anterior_hip", "rest", 0), ("lumbar_bilateral", "activity", 5)]
    assert entry.standing_tolerance_min == 15
    assert entry.glute_bridge_lumbar_substitution is False
    assert entry.gait_symmetric_video is None
    assert [s.code for s in entry.symptoms.all()] == ["shooting_leg_pain"]
    assert Flag.objects.filter(patient=patient, code="radicular_pain", entry=entry).exists()


def test_a_visit_saves_the_performance_tests_at_their_limits(client, physio, patient,
                                                             django_capture_on_commit_callbacks):
    client.force_login(physio)
    response = post_visit(client, patient, visit_data(chair_stand_30s="40", tug_s="120.0"),
                          django_capture_on_commit_callbacks)
    assert response.status_code == 302
    entry = Entry.objects.get(patient=patient)
    assert (entry.chair_stand_30s, entry.tug_s) == (40, Decimal("120.0"))
    entry.delete()
    post_visit(client, patient, visit_data(chair_stand_30s="0", tug_s="1.0"), django_capture_on_commit_callbacks)
    entry = Entry.objects.get(patient=patient)
    assert (entry.chair_stand_30s, entry.tug_s) == (0, Decimal("1.0"))


def test_a_visit_records_passive_hip_extension_short_of_neutral(client, physio, patient,
                                                                django_capture_on_commit_callbacks):
    """DESIGN 3: the modified Thomas test, −30° to +30°, Normalise's primary goal."""
    client.force_login(physio)
    form = client.get(reverse("visit_create", args=[patient.pk])).content.decode()
    assert "Passive hip extension, operated side (°)" in form
    response = post_visit(client, patient, visit_data(hip_extension_deg="-12"), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Entry.objects.get(patient=patient).hip_extension_deg == -12
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "-12°" in page


def test_a_decimal_typed_with_a_comma_is_read_as_a_decimal(client, physio, patient,
                                                           django_capture_on_commit_callbacks):
    client.force_login(physio)
    form = client.get(reverse("visit_create", args=[patient.pk])).content.decode()
    # Text boxes: a browser number box drops what it cannot read ("9,5" arrived as 95).
    assert 'type="text" name="tug_s"' in form and 'inputmode="decimal"' in form
    response = post_visit(client, patient, visit_data(tug_s="9,5"), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Entry.objects.get(patient=patient).tug_s == Decimal("9.5")


@pytest.mark.parametrize("bad, field, message", [
    ({"pain_lumbar_bilateral_activity": "11"}, "pain_lumbar_bilateral_activity", "Pain is scored 0 to 10."),
    ({"pain_knee_rest": "-1"}, "pain_knee_rest", "Pain is scored 0 to 10."),
    # Typed with a comma: refused, never read as 5 or 45.
    ({"pain_knee_rest": "0,5"}, "pain_knee_rest", "Pain is scored 0 to 10, in whole numbers."),
    ({"pain_knee_rest": "4,5"}, "pain_knee_rest", "Pain is scored 0 to 10, in whole numbers."),
    ({"date": "2026-05-31"}, "date", "The date is before the surgery (01 Jun 2026)."),
    ({"date": "2026-09-16"}, "date", "The date is in the future."),
    ({"standing_tolerance_min": "2000"}, "standing_tolerance_min", "Enter a whole number from 0 to 1440 min."),
    ({"chair_stand_30s": "41"}, "chair_stand_30s", "Enter a whole number from 0 to 40 stands."),
    ({"chair_stand_30s": "-1"}, "chair_stand_30s", "Enter a whole number from 0 to 40 stands."),
    ({"chair_stand_30s": "12.5"}, "chair_stand_30s", "Enter a whole number from 0 to 40 stands."),
    ({"tug_s": "0.9"}, "tug_s", "Enter 1.0 to 120.0 s, to one decimal place"),
    ({"tug_s": "120.1"}, "tug_s", "Enter 1.0 to 120.0 s, to one decimal place"),
    ({"tug_s": "12.45"}, "tug_s", "Enter 1.0 to 120.0 s, to one decimal place"),
    ({"tug_s": "quick"}, "tug_s", "Enter 1.0 to 120.0 s, to one decimal place"),
    ({"standing_tolerance_min": "12,5"}, "standing_tolerance_min", "Enter a whole number from 0 to 1440 min."),
    ({"hip_extension_deg": "-31"}, "hip_extension_deg", "Enter a whole number from -30° to 30°."),
    ({"hip_extension_deg": "35"}, "hip_extension_deg", "Enter a whole number from -30° to 30°."),
])
def test_bad_input_gets_a_field_message_and_saves_nothing(client, physio, patient, bad, field, message,
                                                         django_capture_on_commit_callbacks):
    client.force_login(physio)
    response = post_visit(client, patient, visit_data(pain_lumbar_unilateral_rest="3",
                                                      symptoms=["calf_swelling"], **bad),
                          django_capture_on_commit_callbacks)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert message.replace("(", "").split()[0] in response.content.decode()
    assert not Entry.objects.filter(patient=patient).exists()
    assert not Flag.objects.filter(patient=patient).exists()


def test_saving_a_visit_with_calf_swelling_shows_the_dvt_advice_at_once(client, physio, patient,
                                                                       django_capture_on_commit_callbacks):
    client.force_login(physio)
    response = post_visit(client, patient, visit_data(symptoms=["calf_swelling"]),
                          django_capture_on_commit_callbacks)
    page = client.get(response.url).content.decode()
    assert "Signs of deep vein thrombosis" in page
    assert "Arrange a same-day medical assessment for possible deep vein thrombosis" in page
    assert "red-flag-alert" in page
    flag = Flag.objects.get(patient=patient, code="dvt_signs")
    assert flag.severity == "same_day"


def test_the_page_after_saving_shows_the_flag_the_save_raised_evaluated_once(client, physio, patient,
                                                                           django_capture_on_commit_callbacks):
    """No task needed (none runs here): the save evaluated the visit itself,
    and the rules ran once for it."""
    client.force_login(physio)
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        response = client.post(reverse("visit_create", args=[patient.pk]), visit_data(symptoms=["calf_swelling"]))
    flag = Flag.objects.get(patient=patient, code="dvt_signs")
    page = client.get(response.url).content.decode()
    assert f'id="flag-{flag.pk}"' in page  # its card on the patient page
    assert "Same day — Signs of deep vein thrombosis" in page  # and the message, from the stored flag
    assert [c.__qualname__ for c in after_commit] == ["flags_notify_later.<locals>.enqueue"]  # only the email


def test_editing_out_the_calf_swelling_closes_the_dvt_flag(client, physio, patient,
                                                         django_capture_on_commit_callbacks):
    client.force_login(physio)
    post_visit(client, patient, visit_data(symptoms=["calf_swelling"], pain_lumbar_bilateral_activity="4"),
               django_capture_on_commit_callbacks)
    entry = Entry.objects.get(patient=patient)
    assert Flag.objects.get(code="dvt_signs").closed_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("visit_update", args=[patient.pk, entry.pk]),
                               visit_data(pain_lumbar_bilateral_activity="3"))
    assert response.status_code == 302
    flag = Flag.objects.get(code="dvt_signs")
    assert flag.closed_at is not None
    entry.refresh_from_db()
    assert not entry.symptoms.exists()
    assert [p.score for p in entry.pain_scores.all()] == [3]
    assert entry.history.count() >= 2
    assert entry.history.first().history_change_reason == f"Edited by {physio.display_name}"


def test_edit_form_starts_from_the_recorded_values(client, physio, patient, django_capture_on_commit_callbacks):
    client.force_login(physio)
    post_visit(client, patient, visit_data(pain_buttock_si_night="7", gait_symmetric_video="yes",
                                           symptoms=["fever"]), django_capture_on_commit_callbacks)
    entry = Entry.objects.get(patient=patient)
    form = client.get(reverse("visit_update", args=[patient.pk, entry.pk])).context["form"]
    assert form["pain_buttock_si_night"].value() == 7
    assert form["gait_symmetric_video"].value() == "yes"
    assert form["symptoms"].value() == ["fever"]


def test_deleting_a_visit_closes_its_flags_and_keeps_history(client, physio, patient,
                                                            django_capture_on_commit_callbacks):
    client.force_login(physio)
    post_visit(client, patient, visit_data(symptoms=["calf_swelling"]), django_capture_on_commit_callbacks)
    entry = Entry.objects.get(patient=patient)
    confirm = client.get(reverse("visit_delete", args=[patient.pk, entry.pk]))
    assert "Signs of deep vein thrombosis" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("visit_delete", args=[patient.pk, entry.pk]))
    assert response.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert Flag.objects.get(code="dvt_signs").closed_at is not None
    assert Entry.history.filter(id=entry.pk, history_type="-").exists()


def test_acknowledging_needs_a_note(client, physio, patient, django_capture_on_commit_callbacks):
    client.force_login(physio)
    post_visit(client, patient, visit_data(symptoms=["calf_swelling"]), django_capture_on_commit_callbacks)
    flag = Flag.objects.get(code="dvt_signs")
    url = reverse("flag_acknowledge", args=[patient.pk, flag.pk])
    page = client.post(url, {"note": "   "}, follow=True).content.decode()
    assert "Add a note saying what was done." in page
    flag.refresh_from_db()
    assert flag.acknowledged_at is None
    client.post(url, {"note": "Same-day GP appointment booked"})
    flag.refresh_from_db()
    assert (flag.acknowledged_by, flag.acknowledgement_note) == (physio, "Same-day GP appointment booked")
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Same-day GP appointment booked" in page


def test_the_location_guide_sits_beside_the_pain_grid(client, physio, patient):
    client.force_login(physio)
    page = client.get(reverse("visit_create", args=[patient.pk])).content.decode()
    assert "Where it hurts, and what usually drives it" in page
    assert "Hip flexors (iliopsoas) or the hip joint" in page  # anterior hip, DESIGN 8
    assert "Overloaded lumbar extensors" in page


@pytest.mark.parametrize("blank", [
    visit_data(),
    visit_data(notes="   ", gait_symmetric_video="", pain_knee_rest=""),
])
def test_a_visit_with_nothing_recorded_is_refused_with_a_form_message(client, physio, patient, blank,
                                                                      django_capture_on_commit_callbacks):
    client.force_login(physio)
    response = post_visit(client, patient, blank, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This visit is empty: record at least one pain score, a measure, a red-flag symptom or a note."]
    assert "This visit is empty: record at least one pain score" in response.content.decode()
    assert not Entry.objects.filter(patient=patient).exists()


@pytest.mark.parametrize("one_thing", [
    {"pain_knee_night": "0"},
    {"standing_tolerance_min": "5"},
    {"glute_bridge_lumbar_substitution": "no"},
    {"symptoms": ["fever"]},
    {"notes": "Cancelled the exercises, talked through the plan."},
])
def test_any_one_thing_recorded_is_enough_for_a_visit(client, physio, patient, one_thing,
                                                      django_capture_on_commit_callbacks):
    client.force_login(physio)
    response = post_visit(client, patient, visit_data(**one_thing), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Entry.objects.filter(patient=patient).count() == 1


def test_editing_a_visit_down_to_nothing_is_refused(client, physio, patient, django_capture_on_commit_callbacks):
    client.force_login(physio)
    post_visit(client, patient, visit_data(pain_lumbar_bilateral_activity="4"), django_capture_on_commit_callbacks)
    entry = Entry.objects.get(patient=patient)
    response = client.post(reverse("visit_update", args=[patient.pk, entry.pk]), visit_data())
    assert response.status_code == 200
    assert "This visit is empty" in response.content.decode()
    assert [p.score for p in entry.pain_scores.all()] == [4]


def test_a_form_dated_on_a_day_with_a_visit_shows_the_same_day_notice(client, physio, patient,
                                                                      django_capture_on_commit_callbacks):
    client.force_login(physio)
    url = reverse("visit_create", args=[patient.pk])
    html = client.get(url).content.decode()
    assert '<div class="alert alert-warning small py-2 same-day-notice" id="same-day-notice" role="status" hidden>' in html
    post_visit(client, patient, visit_data(date="2026-09-15", notes="Morning session"),
               django_capture_on_commit_callbacks)
    response = client.get(url)
    html = response.content.decode()
    assert response.context["same_day"] is True
    assert 'data-visit-dates="2026-09-15"' in html
    assert 'id="same-day-notice" role="status">' in html  # shown, not hidden
    assert "already has a visit on this date" in html


def test_a_second_visit_on_the_same_day_is_saved_with_a_notice_not_blocked(client, physio, patient,
                                                                            django_capture_on_commit_callbacks):
    client.force_login(physio)
    post_visit(client, patient, visit_data(notes="Morning session"), django_capture_on_commit_callbacks)
    response = post_visit(client, patient, visit_data(notes="Afternoon hydrotherapy"),
                          django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert Entry.objects.filter(patient=patient, date=dt.date(2026, 9, 10)).count() == 2
    page = client.get(response.url).content.decode()
    assert "now has 2 visits recorded on 10 Sep 2026" in page


def test_editing_the_only_visit_of_a_day_shows_no_same_day_notice(client, physio, patient,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(physio)
    post_visit(client, patient, visit_data(notes="Only visit"), django_capture_on_commit_callbacks)
    entry = Entry.objects.get(patient=patient)
    response = client.get(reverse("visit_update", args=[patient.pk, entry.pk]))
    assert response.context["same_day"] is False
    response = client.post(reverse("visit_update", args=[patient.pk, entry.pk]), visit_data(notes="Edited"),
                           follow=True)
    assert "visits recorded on" not in response.content.decode()


# Two physios on one visit --------------------------------------------------------

def _edit_form(client, patient, entry):
    """The edit form as shown: its fields and the version it carries."""
    page = client.get(reverse("visit_update", args=[patient.pk, entry.pk]))
    data = {name: value for name, value in page.context["form"].initial.items() if value not in (None, "")}
    data["date"] = data["date"].isoformat()
    return {**data, "version": page.context["version"]}


def test_a_save_over_a_colleagues_edit_is_refused_once_then_replaces_it_knowingly(
        client, physio, colleague, patient, django_capture_on_commit_callbacks):
    client.force_login(physio)
    post_visit(client, patient, visit_data(pain_lumbar_bilateral_activity="4", notes="First"),
               django_capture_on_commit_callbacks)
    entry = Entry.objects.get(patient=patient)
    mine = _edit_form(client, patient, entry)
    url = reverse("visit_update", args=[patient.pk, entry.pk])

    other = Client()
    other.force_login(colleague)
    theirs = _edit_form(other, patient, entry)
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(url, {**theirs, "notes": "Corrected by a colleague"}).status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(url, {**mine, "notes": "Mine", "pain_lumbar_bilateral_activity": "6"})
    assert refused.status_code == 200
    assert f"This visit was changed by {colleague.display_name} at" in refused.content.decode()
    assert "your changes are below, not saved" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.notes == "Corrected by a colleague"
    assert refused.context["form"]["notes"].value() == "Mine"  # what I typed is still in the form

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {**mine, "notes": "Mine", "pain_lumbar_bilateral_activity": "6",
                                  "version": refused.context["version"]})
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.notes == "Mine" and [p.score for p in entry.pain_scores.all()] == [6]


def test_saving_a_visit_a_colleague_deleted_meanwhile_says_so_and_offers_it_as_a_new_visit(
        client, physio, colleague, patient, django_capture_on_commit_callbacks):
    client.force_login(physio)
    post_visit(client, patient, visit_data(notes="First"), django_capture_on_commit_callbacks)
    entry = Entry.objects.get(patient=patient)
    mine = _edit_form(client, patient, entry)
    other = Client()
    other.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        other.post(reverse("visit_delete", args=[patient.pk, entry.pk]))

    response = client.post(reverse("visit_update", args=[patient.pk, entry.pk]),
                           {**mine, "notes": "Mine", "pain_lumbar_bilateral_activity": "5"})
    page = response.content.decode()
    assert response.status_code == 200
    assert (f"The visit of 10 Sep 2026 was deleted by {colleague.display_name} while you were editing it: "
            "your changes were not saved. What you typed is below") in page
    assert not Entry.objects.filter(patient=patient).exists()
    # What was typed, as the form of a new visit.
    create = reverse("visit_create", args=[patient.pk])
    assert f'action="{create}"' in page and response.context["form"]["notes"].value() == "Mine"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(create, {**mine, "notes": "Mine", "pain_lumbar_bilateral_activity": "5"}).status_code == 302
    assert Entry.objects.get(patient=patient).notes == "Mine"


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_visit_at_the_same_moment_run_one_after_the_other(client, physio, patient):
    """Both forms show the same version. The first save holds the patient's
    and the visit's rows; the second waits for them, then finds the visit changed: a message, not a
    duplicate pain score's 500 nor a mix of both saves' scores."""
    entry = entry_create(patient=patient, kind=Entry.VISIT, date=dt.date(2026, 9, 10),
                         pain=[("lumbar_bilateral", "activity", 4)], recorded_by=physio)
    client.force_login(physio)
    form = _edit_form(client, patient, entry)
    holding = threading.Event()

    def the_first_save():
        try:
            with transaction.atomic():
                flags.patients_lock([patient.pk])  # where a save starts: the patient, then the visit
                first = Entry.objects.select_for_update().get(pk=entry.pk)
                holding.set()
                wait_for_a_lock_waiter()
                entry_update(entry=first, date=first.date, pain=[("lumbar_bilateral", "activity", 5)],
                             version=form["version"])
        finally:
            connection.close()

    first = threading.Thread(target=the_first_save)
    first.start()
    assert holding.wait(10)
    second = client.post(reverse("visit_update", args=[patient.pk, entry.pk]),
                         {**form, "pain_buttock_si_activity": "7"})
    first.join()
    assert second.status_code == 200
    assert "This visit was changed by" in second.content.decode()
    assert sorted((p.location, p.score) for p in entry.pain_scores.all()) == [("lumbar_bilateral", 5)]


@pytest.mark.django_db(transaction=True)
def test_an_edit_and_a_deletion_of_one_visit_at_once_do_not_deadlock(physio, patient):
    """Both lock the patient, then the visit: the edit waits for the deletion
    and is told the visit is gone (locked the other way round, PostgreSQL
    found a deadlock and one physio got a 500)."""
    entry = entry_create(patient=patient, kind=Entry.VISIT, date=dt.date(2026, 9, 10),
                         pain=[("lumbar_bilateral", "activity", 4)], recorded_by=physio)
    version = entry_version(entry)
    holding = threading.Event()

    def the_deletion():
        try:
            with transaction.atomic():
                flags.patients_lock([patient.pk])  # where a deletion starts
                holding.set()
                wait_for_a_lock_waiter()
                entry_delete(entry=Entry.objects.get(pk=entry.pk))
        finally:
            connection.close()

    deletion = threading.Thread(target=the_deletion)
    deletion.start()
    assert holding.wait(10)
    with pytest.raises(EntryChanged) as gone:
        entry_update(entry=entry, date=entry.date, pain=[("lumbar_bilateral", "activity", 6)], version=version)
    deletion.join()
    assert gone.value.entry is None
    assert not Entry.objects.filter(pk=entry.pk).exists()


def _visit_with_an_acknowledged_dvt_flag(client, physio, patient, callbacks, *, note):
    client.force_login(physio)
    post_visit(client, patient, visit_data(symptoms=["calf_swelling"]), callbacks)
    entry = Entry.objects.get(patient=patient)
    flag = Flag.objects.get(code="dvt_signs")
    client.post(reverse("flag_acknowledge", args=[patient.pk, flag.pk]), {"note": note})
    return entry, flag


def test_a_flag_reopened_as_a_new_alert_shows_what_was_done_the_first_time(client, physio, patient,
                                                                             django_capture_on_commit_callbacks):
    entry, flag = _visit_with_an_acknowledged_dvt_flag(client, physio, patient, django_capture_on_commit_callbacks,
                                                       note="Phoned GP, DVT clinic at 14:00")
    url = reverse("visit_update", args=[patient.pk, entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_edit_form(client, patient, entry), "symptoms": [], "notes": "Calf fine"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**_edit_form(client, patient, entry), "symptoms": ["calf_swelling"]})
    flag.refresh_from_db()
    assert flag.closed_at is None and flag.acknowledged_at is None  # a new alert
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    card = page.split(f'id="flag-{flag.pk}"')[1].split("</li>")[0]
    assert "Reopened as a new alert. Acknowledged before by" in card
    assert "“Phoned GP, DVT clinic at 14:00”" in card
    assert "ack-form" in card  # and it asks for an acknowledgement again


def test_editing_a_visit_does_not_announce_its_acknowledged_flag_again(client, physio, patient,
                                                                       django_capture_on_commit_callbacks):
    entry, flag = _visit_with_an_acknowledged_dvt_flag(client, physio, patient, django_capture_on_commit_callbacks,
                                                       note="Sent to the DVT clinic")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("visit_update", args=[patient.pk, entry.pk]),
                               {**_edit_form(client, patient, entry), "notes": "Scan booked"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["Visit of 10 Sep 2026 updated."]
    assert Flag.objects.get(pk=flag.pk).acknowledged_at is not None
