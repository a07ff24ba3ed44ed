"""An exit criterion on a questionnaire score (DESIGN 9, §4.1) is judged by
the sweep as on the patient's page: answering the questionnaire can make the
patient ready to progress, and the incremental sweep notices the answer —
for the seeded PSFS and for a questionnaire the clinic added in the admin."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from content.models import ExitCriterion, Instrument
from content.models import Phase as ProgrammePhase
from interchange.exporter import iter_caseload_json
from patients.outcomes import record_outcome
from rehab.models import Flag
from rehab.phase_moves import patient_move_phase
from rehab.sweeps import clinic_sweep
from tests.admin_pages import add_inline_row, change_url, form_data, instrument_added, made_up_index_data
from tests.factories import EntryFactory, PatientFactory

pytestmark = pytest.mark.django_db
START = dt.date(2026, 9, 7)


def at(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False)


@pytest.fixture
def patient(clinic):
    patient = PatientFactory(clinic=clinic, programme_start=START, surgery_date=START - dt.timedelta(days=14))
    normalise = ProgrammePhase.objects.get(clinic=clinic, code="normalise")
    ExitCriterion.objects.filter(phase=normalise).delete()
    ExitCriterion.objects.create(phase=normalise, measure="psfs", comparator=">=", threshold=6)
    EntryFactory(patient=patient, date=START)
    return patient


def _ready(patient):
    return Flag.objects.filter(patient=patient, code="ready_to_progress", closed_at__isnull=True).exists()


def test_a_questionnaire_answered_between_sweeps_makes_the_patient_ready(clinic, patient):
    psfs = Instrument.objects.get(clinic=clinic, code="psfs")
    day = START + dt.timedelta(days=20)
    with at(day):
        clinic_sweep(clinic)
        assert not _ready(patient)
        record_outcome(patient=patient, instrument=psfs, date=day, by="patient",
                       activities=[("Stairs", 7), ("Walking", 6), ("Car", 6)])
    with at(day + dt.timedelta(days=1)):
        clinic_sweep(clinic)
    assert _ready(patient)


def test_a_score_below_the_threshold_does_not(clinic, patient):
    psfs = Instrument.objects.get(clinic=clinic, code="psfs")
    day = START + dt.timedelta(days=20)
    with at(day):
        clinic_sweep(clinic)
        record_outcome(patient=patient, instrument=psfs, date=day, by="patient",
                       activities=[("Stairs", 5), ("Walking", 6), ("Car", 6)])
    with at(day + dt.timedelta(days=1)):
        clinic_sweep(clinic)
    assert not _ready(patient)


# At once: the page shown after the questionnaire reads the flag ----------------

PSFS_FROM_PAPER = {"activity_1": "Stairs", "rating_1": "7", "activity_2": "Walking", "rating_2": "6",
                   "activity_3": "Car", "rating_3": "6"}


def test_a_questionnaire_entered_from_paper_makes_the_patient_ready_without_waiting_for_the_sweep(
        client, physio, clinic, patient):
    day = START + dt.timedelta(days=20)
    with at(day):
        clinic_sweep(clinic)
        client.force_login(physio)
        response = client.post(reverse("outcome_create", args=[patient.pk, "psfs"]),
                               {"date": day.isoformat(), **PSFS_FROM_PAPER})
        assert response.status_code == 302
        assert _ready(patient)
        page = client.get(response["Location"]).content.decode()
    assert "Ready to progress" in page


def test_a_score_below_the_threshold_from_paper_does_not(client, physio, clinic, patient):
    day = START + dt.timedelta(days=20)
    with at(day):
        clinic_sweep(clinic)
        client.force_login(physio)
        client.post(reverse("outcome_create", args=[patient.pk, "psfs"]),
                    {"date": day.isoformat(), **PSFS_FROM_PAPER, "rating_1": "4"})
    assert not _ready(patient)


def test_a_questionnaire_answered_on_the_portal_makes_the_patient_ready_at_once(client, clinic, patient, portal_url):
    day = START + dt.timedelta(days=20)
    with at(day):
        clinic_sweep(clinic)
        response = client.post(f"{portal_url}questionnaires/psfs/", {
            "activity1": "Stairs", "score1": "7", "activity2": "Walking", "score2": "6",
            "activity3": "Car", "score3": "6", "action": "send"})
        assert response.status_code == 302
    assert _ready(patient)


# A questionnaire the clinic added, made an exit criterion in the admin ------


@pytest.fixture
def index_patient(client, clinic, clinic_admin):
    """Normalise's only criterion: the made-up disability index ≤ 20, set by
    the clinic admin through the admin's own pages."""
    client.force_login(clinic_admin)
    index = instrument_added(client, made_up_index_data())
    normalise = ProgrammePhase.objects.get(clinic=clinic, code="normalise")
    ExitCriterion.objects.filter(phase=normalise).delete()
    data = form_data(client.get(change_url(normalise)))
    add_inline_row(data, "exit_criteria", instrument=str(index.pk), comparator="<=", threshold="20")
    assert client.post(change_url(normalise), data).status_code == 302
    client.logout()
    patient = PatientFactory(clinic=clinic, programme_start=START, surgery_date=START - dt.timedelta(days=14))
    EntryFactory(patient=patient, date=START)
    return patient, index


@pytest.mark.parametrize(("answers", "ready"), [
    ([5, 0, 5, 5, 5], True),  # 20: "≤ 20" is met
    ([5, 5, 5, 5, 5], False),  # 25
])
def test_answering_the_clinics_own_questionnaire_makes_the_patient_ready_or_not(
    client, physio, clinic, index_patient, answers, ready
):
    patient, index = index_patient
    day = START + dt.timedelta(days=20)
    with at(day):
        clinic_sweep(clinic)
        assert not _ready(patient)
        record_outcome(patient=patient, instrument=index, date=day, by="patient", answers=answers)
    with at(day + dt.timedelta(days=1)):
        clinic_sweep(clinic)
        assert _ready(patient) is ready
        client.force_login(physio)
        response = client.get(reverse("patient_detail", args=[patient.pk]))
    [row] = response.context["record"].criteria_rows
    assert (row.label, row.target, row.latest) == ("Made-up disability index", "≤ 20", str(sum(answers)))
    assert row.status == ("met" if ready else "not_met")
    assert "Made-up disability index" in response.content.decode()


def test_a_score_from_before_the_phase_or_without_a_recent_visit_does_not_count(clinic, index_patient):
    patient, index = index_patient
    record_outcome(patient=patient, instrument=index, date=START + dt.timedelta(days=1), by="patient",
                   answers=[0, 0, 0, 5, 5])
    # Five weeks on, with no visit since the first: every criterion is unknown.
    with at(START + dt.timedelta(days=35)):
        clinic_sweep(clinic)
    assert not _ready(patient)


def test_the_phase_move_and_the_export_keep_the_questionnaire_criterion(clinic, physio, index_patient):
    patient, index = index_patient
    day = START + dt.timedelta(days=20)
    with at(day):
        record_outcome(patient=patient, instrument=index, date=day, by="patient", answers=[0, 5, 5, 0, 0])
        [exported] = json.loads("".join(iter_caseload_json(clinic)))["patients"]
        transition = patient_move_phase(patient=patient, to_phase="rebuild", expected_from="normalise",
                                        reason="criteria met", by=physio)
    assert exported["criteria"] == [
        {"measure": "made_up_odi", "comparator": "<=", "threshold": 20, "value": 10.0, "met": True},
    ]
    assert exported["ready_to_progress"] is True
    [snapshot] = transition.criteria_snapshot
    assert (snapshot["measure"], snapshot["questionnaire"], snapshot["status"]) == (
        "made_up_odi", "Made-up disability index", "met")
