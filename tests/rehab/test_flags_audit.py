"""Every raise, close and reopen of a flag by the programme engine leaves a
history row: who (the engine: no user), when, why."""

import datetime as dt

import pytest
import time_machine

from patients.models import Clinic, User
from rehab import flags
from rehab.entries import entry_delete, entry_update
from rehab.models import Flag
from rehab.phase_moves import patient_move_phase
from rehab.sweeps import sweep_run

pytestmark = pytest.mark.django_db

CALF = [("lumbar_bilateral", "activity", 5)]


def _trail(flag):
    return [(h.history_type, h.history_user_id, h.history_change_reason)
            for h in flag.history.order_by("history_date", "history_id")]


def test_an_engine_raise_is_recorded_once_even_when_reconciled_again(patient, record, day):
    record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    flags.patient_reconcile(patient_id=patient.pk)
    flags.patient_reconcile(patient_id=patient.pk)

    assert _trail(Flag.objects.get(patient=patient)) == [("+", None, flags.RAISED)]


def test_close_and_reopen_after_edits_are_recorded(patient, record, day, django_capture_on_commit_callbacks):
    entry = record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=day(3), pain=CALF, symptoms=[])
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=day(3), pain=CALF, symptoms=["calf_redness"])

    flag = Flag.objects.get(patient=patient)
    assert _trail(flag) == [
        ("+", None, flags.RAISED), ("~", None, flags.NO_LONGER_PRESENT), ("~", None, flags.REOPENED),
    ]
    closed = flag.history.order_by("history_date", "history_id")[1]
    assert closed.closed_at is not None and closed.history_date == closed.closed_at


def test_deleting_the_entry_records_the_close(patient, record, day, django_capture_on_commit_callbacks):
    entry = record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    with django_capture_on_commit_callbacks(execute=True):
        entry_delete(entry=entry)

    assert _trail(Flag.objects.get(patient=patient))[-1] == ("~", None, flags.NO_LONGER_PRESENT)


def test_progress_flags_closed_by_the_sweep_and_by_a_phase_move_are_recorded(patient, physio, record, day):
    record(patient, day(0), pain=[("lumbar_bilateral", "activity", 5)])
    record(patient, day(80), pain=[("lumbar_bilateral", "activity", 5)])
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(84))
    record(patient, day(85), pain=[("lumbar_bilateral", "activity", 2)], standing_tolerance_min=20)
    flags.patient_reconcile(patient_id=patient.pk, as_of=day(86))
    patient_move_phase(patient=patient, to_phase="rebuild", expected_from="normalise", reason="Criteria met",
                       by=physio)

    plateau = Flag.objects.get(patient=patient, code="plateau_12w")
    ready = Flag.objects.get(patient=patient, code="ready_to_progress")
    assert _trail(plateau) == [("+", None, flags.RAISED), ("~", None, flags.CONDITION_GONE)]
    assert _trail(ready) == [("+", None, flags.RAISED), ("~", None, flags.MOVED_PHASE)]


def test_an_acknowledgement_is_by_the_physio_outside_a_request_too(patient, physio, record, day):
    record(patient, day(3), symptoms=["calf_swelling"])
    flag = Flag.objects.get(patient=patient)

    flags.flag_acknowledge(flag=flag, user=physio, note="Seen.")

    assert _trail(flag)[-1] == ("~", physio.pk, "acknowledged")


def test_the_sweep_records_a_history_row_per_flag_it_raises(clinic, physio):
    from tests.factories import EntryFactory, PainScoreFactory, PatientFactory

    for _ in range(3):
        patient = PatientFactory(clinic=clinic, physio=physio)
        for days in (0, 30, 60):
            entry = EntryFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=days))
            PainScoreFactory(entry=entry, score=5)

    with time_machine.travel(dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        sweep_run(clinic=clinic)  # at the clinic's today: it writes

    assert Flag.history.filter(history_type="+", history_user=None, history_change_reason=flags.RAISED).count() == 3


def test_staff_accounts_and_clinic_settings_have_history_without_secrets(clinic, physio):
    clinic.time_zone = "Europe/Dublin"
    clinic.save()
    physio.role = User.CLINIC_ADMIN
    physio.save()
    rows = User.history.filter(id=physio.pk)
    before = rows.count()
    physio.set_password("a-new-password-123")
    physio.save(update_fields=["password"])
    physio.last_login = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    physio.save(update_fields=["last_login"])

    assert list(Clinic.history.filter(id=clinic.pk).values_list("time_zone", flat=True)) == [
        "Europe/Dublin", "Europe/London"]
    assert rows.count() == before  # a login or a password change is no row
    assert rows.first().role == "clinic_admin"
    fields = {f.name for f in User.history.model._meta.fields}
    assert "password" not in fields and "last_login" not in fields
