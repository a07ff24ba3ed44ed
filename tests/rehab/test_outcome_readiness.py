"""An exit criterion on a questionnaire score (DESIGN 9, §4.1) is judged by
the sweep as on the patient's page: answering the questionnaire can make the
patient ready to progress, and the incremental sweep notices the answer."""

import datetime as dt

import pytest
import time_machine

from content.models import ExitCriterion, Instrument
from content.models import Phase as ProgrammePhase
from patients.outcomes import record_outcome
from rehab.models import Flag
from rehab.sweeps import clinic_sweep
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
