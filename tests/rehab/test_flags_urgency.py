"""Patient.urgency, the caseload's sort key, follows every flag write of the
flag services: raised, edited away, reopened, acknowledged, closed on a phase move."""

import pytest
from django.db import transaction

from content.flag_kinds import NO_FLAG_RANK, Severity
from patients.models import Patient
from rehab import flags
from rehab.entries import entry_update
from rehab.models import Flag
from rehab.phase_moves import patient_move_phase

pytestmark = pytest.mark.django_db

CALF = [("lumbar_bilateral", "activity", 5)]


def urgency(patient):
    return Patient.objects.values_list("urgency", flat=True).get(pk=patient.pk)


def test_a_raised_flag_sets_the_rank_and_acknowledging_it_clears_it(patient, record, day, physio):
    assert urgency(patient) == NO_FLAG_RANK
    record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    assert urgency(patient) == Severity.SAME_DAY.rank
    record(patient, day(4), kind="self_report", symptoms=["saddle_numbness"])
    assert urgency(patient) == Severity.EMERGENCY.rank
    flags.flag_acknowledge(flag=Flag.objects.get(patient=patient, code="cauda_equina"), user=physio, note="Sent to A&E")
    assert urgency(patient) == Severity.SAME_DAY.rank
    flags.flag_acknowledge(flag=Flag.objects.get(patient=patient, code="dvt_signs"), user=physio, note="Scan booked")
    assert urgency(patient) == NO_FLAG_RANK


def test_editing_the_symptom_away_and_back_closes_and_reopens_the_rank(
        patient, record, day, django_capture_on_commit_callbacks):
    entry = record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=day(3), pain=CALF, symptoms=[])
    assert urgency(patient) == NO_FLAG_RANK
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(entry=entry, date=day(3), pain=CALF, symptoms=["calf_redness"])
    assert urgency(patient) == Severity.SAME_DAY.rank


def test_discharge_closes_progress_flags_and_their_rank(patient, physio):
    Flag.objects.create(patient=patient, code="plateau_12w", severity="review", message="m", advice="a")
    with transaction.atomic():
        flags.patients_urgency_refresh([patient.pk])
    assert urgency(patient) == Severity.REVIEW.rank
    patient_move_phase(patient=patient, to_phase="discharged", expected_from=patient.phase, reason="Goals met",
                       by=physio)
    assert urgency(patient) == NO_FLAG_RANK


def test_saving_a_patient_loaded_earlier_keeps_the_rank_a_flag_set_since(patient, record, day):
    stale = Patient.objects.get(pk=patient.pk)
    record(patient, day(3), pain=CALF, symptoms=["calf_swelling"])
    stale.given_name = "Edited"
    stale.save()
    assert urgency(patient) == Severity.SAME_DAY.rank
    assert Patient.objects.get(pk=patient.pk).given_name == "Edited"
