"""Flags raised from entries and by the sweep: idempotent, auditable, never deleted."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from content.flag_kinds import severity_rank
from rehab import alerts, flags
from rehab.entries import entry_delete, entry_update
from rehab.models import Flag
from rehab.phase_moves import patient_move_phase
from tests.factories import PhaseTransitionFactory, PhysioFactory

pytestmark = pytest.mark.django_db

CALF = [("lumbar_bilateral", "activity", 5)]


def open_codes(patient):
    return sorted(Flag.objects.open().filter(patient=patient).values_list("code", flat=True))


def test_saving_a_visit_with_calf_swelling_raises_dvt_signs(patient, record, day):
    entry = record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    flag = Flag.objects.get(patient=patient, code="dvt_signs")
    assert flag.entry == entry and flag.severity == "same_day" and flag.entry_date == day(3)
    assert "DVT" in flag.advice or "thrombosis" in flag.advice


def test_a_self_report_raises_flags_too(patient, record, day):
    record(patient, day(3), kind="self_report", symptoms=["saddle_numbness"])
    assert open_codes(patient) == ["cauda_equina"]


def test_reconciling_twice_never_duplicates(patient, record, day):
    record(patient, day(3), pain=CALF, symptoms=["calf_swelling", "fever"])
    flags.patient_reconcile(patient_id=patient.pk)
    flags.patient_reconcile(patient_id=patient.pk)
    assert Flag.objects.filter(patient=patient).count() == 2


def test_editing_away_the_symptom_closes_the_flag_and_keeps_it(patient, record, day, django_capture_on_commit_callbacks):
    entry = record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=day(3), pain=CALF, symptoms=[])
    flag = Flag.objects.get(patient=patient, code="dvt_signs")
    assert flag.closed_at is not None and "No longer present" in flag.closed_reason
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=day(3), pain=CALF, symptoms=["calf_redness"])
    flag.refresh_from_db()
    assert flag.closed_at is None
    assert Flag.objects.filter(patient=patient, code="dvt_signs").count() == 1


def test_deleting_the_entry_closes_its_flags_but_keeps_them(patient, record, day, django_capture_on_commit_callbacks):
    entry = record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    with django_capture_on_commit_callbacks(execute=True):
        entry_delete(entry=entry)
    flag = Flag.objects.get(patient=patient, code="dvt_signs")
    assert flag.entry is None and flag.closed_at is not None
    assert flag.entry_date == day(3)


def test_acknowledging_needs_a_note_and_keeps_the_flag(patient, physio, record, day):
    record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    flag = Flag.objects.get(patient=patient)
    with pytest.raises(ValueError, match="note"):
        flags.flag_acknowledge(flag=flag, user=physio, note="   ")
    flags.flag_acknowledge(flag=flag, user=physio, note="Sent to ED for Doppler.")
    flag.refresh_from_db()
    assert flag.acknowledged_by == physio and flag.acknowledgement_note == "Sent to ED for Doppler."
    assert flag.closed_at is None
    assert flag.history.first().history_change_reason == "acknowledged"


def test_acknowledged_flag_is_not_raised_again_by_the_sweep(patient, physio, record, day):
    record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    flags.flag_acknowledge(flag=Flag.objects.get(patient=patient), user=physio, note="Seen.")
    flags.patient_reconcile(patient_id=patient.pk)
    assert Flag.objects.filter(patient=patient).count() == 1
    assert Flag.objects.needs_attention().filter(patient=patient).count() == 0


def test_ready_to_progress_is_raised_and_closes_when_the_patient_moves(patient, physio, record, day):
    record(patient, day(20), pain=[("lumbar_bilateral", "activity", 4)], standing_tolerance_min=20)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(21))
    assert open_codes(patient) == ["ready_to_progress"]
    patient_move_phase(patient=patient, to_phase="rebuild", expected_from="normalise", reason="Criteria met", by=physio)
    assert open_codes(patient) == []
    closed = Flag.objects.get(patient=patient, code="ready_to_progress")
    assert closed.closed_reason == "The patient moved phase."


def test_ready_to_progress_needs_every_criterion(patient, record, day):
    record(patient, day(20), pain=[("lumbar_bilateral", "activity", 5)], standing_tolerance_min=20)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(21))
    assert "ready_to_progress" not in open_codes(patient)


def test_clinic_admins_threshold_change_applies(patient, record, day):
    patient.clinic.phases.get(code="normalise").exit_criteria.filter(measure="activity_pain").update(threshold=5)
    record(patient, day(20), pain=[("lumbar_bilateral", "activity", 5)], standing_tolerance_min=20)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(21))
    assert open_codes(patient) == ["ready_to_progress"]


def plateau_history(patient, record, day):
    record(patient, day(0), pain=[("lumbar_bilateral", "activity", 5)])
    record(patient, day(80), pain=[("lumbar_bilateral", "activity", 5)])


def test_plateau_is_raised_on_day_84_not_83(patient, record, day):
    plateau_history(patient, record, day)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(83))
    assert "plateau_12w" not in open_codes(patient)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(84))
    assert "plateau_12w" in open_codes(patient)


def test_plateau_flag_closes_when_pain_improves(patient, record, day):
    plateau_history(patient, record, day)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(84))
    record(patient, day(85), pain=[("lumbar_bilateral", "activity", 2)])
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(86))
    flag = Flag.objects.get(patient=patient, code="plateau_12w")
    assert flag.closed_at is not None and "no longer holds" in flag.closed_reason


def test_discharged_patient_gets_no_progress_flags(patient, record, day):
    plateau_history(patient, record, day)
    patient.phase = "discharged"
    patient.save()
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(90))
    assert open_codes(patient) == []


def test_urgent_flags_email_the_assigned_physio_once(patient, record, settings):
    today = patient.clinic.today()
    patient.surgery_date = today - dt.timedelta(days=40)
    patient.programme_start = today - dt.timedelta(days=30)
    patient.save()
    mail.outbox.clear()
    record(patient, today, pain=CALF, symptoms=["saddle_numbness", "shooting_leg_pain"])
    assert len(mail.outbox) == 1  # cauda_equina (emergency); radicular_pain (review) sends none
    message = mail.outbox[0]
    assert message.to == [patient.physio.email]
    assert "EMERGENCY" in message.subject and patient.ref in message.subject
    assert patient.family_name not in message.body
    flags.patient_reconcile(patient_id=patient.pk)
    alerts.flags_notify_pending()
    assert len(mail.outbox) == 1


def test_old_back_dated_entries_do_not_page_the_physio(patient, record, day):
    mail.outbox.clear()
    record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])  # months ago
    assert Flag.objects.filter(code="dvt_signs").exists()
    assert mail.outbox == []


def test_a_failed_email_is_retried_on_the_next_run(patient, record, settings):
    today = patient.clinic.today()
    patient.programme_start = patient.surgery_date = today - dt.timedelta(days=10)
    patient.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    record(patient, today, pain=CALF, symptoms=["calf_swelling"])
    flag = Flag.objects.get(code="dvt_signs")
    assert flag.notified_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert alerts.flags_notify_pending() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("claimed_ago", "sent"), [
    (dt.timedelta(minutes=11), 1),  # the worker that claimed it died mid-send: taken again
    (dt.timedelta(minutes=2), 0),  # a live worker is sending it
])
def test_an_email_claimed_by_a_worker_that_died_is_sent_by_the_next_run(patient, record, claimed_ago, sent):
    today = patient.clinic.today()
    patient.programme_start = patient.surgery_date = today - dt.timedelta(days=10)
    patient.save()
    record(patient, today, pain=CALF, symptoms=["calf_swelling"])
    flag = Flag.objects.get(code="dvt_signs")
    Flag.objects.filter(pk=flag.pk).update(notified_at=None, notify_claimed_at=timezone.now() - claimed_ago)
    mail.outbox.clear()
    assert alerts.flags_notify_pending() == sent
    assert len(mail.outbox) == sent
    flag.refresh_from_db()
    assert (flag.notified_at is not None) == bool(sent)
    # Sent: not again. A live claim: still waiting for its worker to mark it sent.
    assert alerts.flags_notify_pending() == 0


def test_unassigned_patient_raises_flags_without_email(clinic, record):
    from tests.factories import PatientFactory

    patient = PatientFactory(clinic=clinic, physio=None)
    today = clinic.today()
    patient.programme_start = patient.surgery_date = today - dt.timedelta(days=10)
    patient.save()
    mail.outbox.clear()
    record(patient, today, symptoms=["saddle_numbness"])
    assert Flag.objects.filter(patient=patient, code="cauda_equina").exists()
    assert mail.outbox == []


def test_physio_without_email_does_not_block_others(clinic, record):
    from tests.factories import PatientFactory

    physio = PhysioFactory(clinic=clinic, email="")
    patient = PatientFactory(clinic=clinic, physio=physio)
    today = clinic.today()
    patient.programme_start = patient.surgery_date = today - dt.timedelta(days=10)
    patient.save()
    record(patient, today, symptoms=["foot_drop"])
    assert Flag.objects.get(patient=patient).code == "motor_deficit"
    assert Flag.objects.get(patient=patient).notified_at is None


def test_repeated_flags_email_once_per_patient_and_code_in_24_hours(patient, record, client, physio):
    import time_machine

    start = dt.datetime(2026, 7, 15, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        today = patient.clinic.today()
        mail.outbox.clear()
        record(patient, today, kind="self_report", symptoms=["calf_swelling"])
        clock.shift(dt.timedelta(hours=23, minutes=59))
        record(patient, today, kind="self_report", symptoms=["calf_swelling", "shooting_leg_pain"])
        record(patient, today, kind="self_report", symptoms=["foot_drop"])  # another code: emailed
        assert sorted(m.subject.split(": ")[1].split(" — ")[0] for m in mail.outbox) == sorted(
            [Flag(code="dvt_signs").get_code_display(), Flag(code="motor_deficit").get_code_display()])

        dvt = Flag.objects.filter(patient=patient, code="dvt_signs").order_by("raised_at")
        first, second = dvt
        assert (first.email_suppressed, second.email_suppressed) == (False, True)
        assert second.notified_at is not None  # handled: the next run does not send it either
        assert alerts.flags_notify_pending() == 0
        # The physio still sees both, and the page says why the second sent no email.
        assert dvt.needs_attention().count() == 2
        client.force_login(physio)
        page = client.get(f"/patients/{patient.pk}/").content.decode()
        assert "Not emailed: an email about the same alert" in page

        clock.shift(dt.timedelta(minutes=2))  # 24 hours and 1 minute after the first email
        record(patient, patient.clinic.today(), kind="self_report", symptoms=["calf_swelling", "fever"])
        assert len(mail.outbox) == 3


def test_a_failed_email_does_not_count_as_sent(patient, record, settings):
    today = patient.clinic.today()
    patient.programme_start = patient.surgery_date = today - dt.timedelta(days=10)
    patient.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    record(patient, today, kind="self_report", symptoms=["calf_swelling"])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    record(patient, today, kind="self_report", symptoms=["calf_swelling", "shooting_leg_pain"])
    # The second report's run retries the first flag's email, which now goes
    # out, and the second flag is covered by it: one email in all.
    assert len(mail.outbox) == 1
    assert Flag.objects.filter(code="dvt_signs", notified_at__isnull=False).count() == 2
    assert Flag.objects.filter(code="dvt_signs", email_suppressed=True).count() == 1


# Readiness: current phase, recent visit, safety first (DESIGN 4.1) --------------

READY = dict(pain=[("lumbar_bilateral", "activity", 4)], standing_tolerance_min=20)


def test_readiness_waits_for_an_unacknowledged_same_day_flag(patient, physio, record, day):
    record(patient, day(20), symptoms=["calf_swelling"], **READY)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(21))
    assert open_codes(patient) == ["dvt_signs"]
    flags.flag_acknowledge(flag=Flag.objects.get(code="dvt_signs"), user=physio, note="Doppler negative.")
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(21))
    assert open_codes(patient) == ["dvt_signs", "ready_to_progress"]


def test_acknowledging_the_flag_that_held_readiness_raises_it_at_once(patient, physio, record):
    """The caseload shows "ready to progress" as soon as the physio has seen
    to the DVT signs, not after the next sweep."""
    today = patient.clinic.today()
    record(patient, today - dt.timedelta(days=1), symptoms=["calf_swelling"], **READY)
    flags.patient_reconcile(patient_id=patient.pk)
    assert open_codes(patient) == ["dvt_signs"]
    flags.flag_acknowledge(flag=Flag.objects.get(code="dvt_signs"), user=physio, note="Doppler negative.")
    assert open_codes(patient) == ["dvt_signs", "ready_to_progress"]
    patient.refresh_from_db()
    assert patient.urgency == severity_rank("info")


def test_readiness_is_not_held_by_a_review_flag(patient, record, day):
    record(patient, day(20), symptoms=["shooting_leg_pain"], **READY)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(21))
    assert open_codes(patient) == ["radicular_pain", "ready_to_progress"]


def test_readiness_counts_only_visits_since_the_last_move_into_the_phase(patient, record, day):
    record(patient, day(20), **READY)
    PhaseTransitionFactory(patient=patient, from_phase="normalise", to_phase="rebuild", date=day(10))
    PhaseTransitionFactory(patient=patient, from_phase="rebuild", to_phase="normalise", date=day(21))
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(22))
    assert open_codes(patient) == []
    record(patient, day(21), **READY)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(22))
    assert open_codes(patient) == ["ready_to_progress"]


def test_readiness_closes_when_the_latest_visit_is_older_than_4_weeks(patient, record, day):
    record(patient, day(20), **READY)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(48))
    assert open_codes(patient) == ["ready_to_progress"]
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(49))
    assert open_codes(patient) == []


def test_the_phase_move_snapshot_uses_the_same_evidence_rule(patient, physio, record, day):
    record(patient, day(3), **READY)  # months before the clinic's today
    transition = patient_move_phase(patient=patient, to_phase="rebuild", expected_from="normalise",
                                    reason="Physio's judgement", by=physio)
    assert {row["status"] for row in transition.criteria_snapshot} == {"unknown"}
    assert {row["reason"] for row in transition.criteria_snapshot} == {"no visit in the last 4 weeks"}


# Regression that worsens after acknowledgement (DESIGN 4.3) ---------------------


def activity(score):
    return [("lumbar_bilateral", "activity", score)]


def test_an_acknowledged_regression_closes_and_is_raised_again_when_pain_worsens(patient, physio, record, day):
    for n, score in ((0, 3), (14, 3), (28, 5)):
        record(patient, day(n), pain=activity(score))
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(29))
    first = Flag.objects.get(patient=patient, code="pain_regression")
    flags.flag_acknowledge(flag=first, user=physio, note="Load reduced.")
    # Acknowledged on day 30 of the programme (clinic date), when the latest visit scored 5.
    acknowledged_at = dt.datetime.combine(day(30), dt.time(12), tzinfo=dt.UTC)
    Flag.objects.filter(pk=first.pk).update(acknowledged_at=acknowledged_at)

    record(patient, day(42), pain=activity(6))
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(43))
    assert list(Flag.objects.filter(patient=patient, code="pain_regression").values_list("pk", flat=True)) == [first.pk]
    assert Flag.objects.needs_attention().filter(patient=patient).count() == 0

    record(patient, day(56), pain=activity(7))
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(57))
    first.refresh_from_db()
    assert first.closed_at is not None and "worse" in first.closed_reason
    assert first.history.first().history_change_reason == first.closed_reason
    renewed = Flag.objects.open().get(patient=patient, code="pain_regression")
    assert renewed.pk != first.pk
    assert renewed.acknowledged_at is None and renewed.notified_at is None
    assert "up from 5/10" in renewed.message
    assert renewed.history.first().history_change_reason == flags.RAISED
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(57))
    assert Flag.objects.filter(patient=patient, code="pain_regression").count() == 2


def test_a_discharged_patients_acknowledged_regression_is_not_raised_again(patient, physio, record, day):
    for n, score in ((0, 3), (14, 3), (28, 5)):
        record(patient, day(n), pain=activity(score))
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(29))
    flag = Flag.objects.get(patient=patient, code="pain_regression")
    flags.flag_acknowledge(flag=flag, user=physio, note="Load reduced.")
    patient_move_phase(patient=patient, to_phase="discharged", expected_from="normalise", reason="Done", by=physio)
    record(patient, day(56), pain=activity(9))
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(57))
    assert Flag.objects.filter(patient=patient, code="pain_regression").count() == 1


# A reopened entry flag is a new alert (DESIGN 4.4) -------------------------------


def test_a_reopened_entry_flag_is_a_new_alert(patient, physio, record, django_capture_on_commit_callbacks):
    today = patient.clinic.today()
    patient.surgery_date = today - dt.timedelta(days=40)
    patient.programme_start = today - dt.timedelta(days=30)
    patient.save()
    mail.outbox.clear()
    entry = record(patient, today, pain=CALF, symptoms=["calf_swelling"])
    assert len(mail.outbox) == 1
    flag = Flag.objects.get(patient=patient, code="dvt_signs")
    flags.flag_acknowledge(flag=flag, user=physio, note="Doppler booked.")
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=today, pain=CALF, symptoms=[])
    # The first email went out over a day ago, so the repeat window does not hold this one back.
    Flag.objects.filter(pk=flag.pk).update(notified_at=flag.notified_at - dt.timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=today, pain=CALF, symptoms=["calf_redness"])
    flag.refresh_from_db()
    assert flag.closed_at is None
    assert flag.acknowledged_at is None and flag.acknowledged_by is None and flag.acknowledgement_note == ""
    assert flag.message == "Calf redness reported (operated leg)."
    assert flag in Flag.objects.needs_attention()
    assert len(mail.outbox) == 2 and "calf redness" in mail.outbox[1].body.lower()
    latest = flag.history.first()
    assert latest.history_change_reason == flags.REOPENED and latest.acknowledged_at is None
    assert Flag.objects.filter(patient=patient, code="dvt_signs").count() == 1
