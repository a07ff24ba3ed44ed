"""Two writers of one patient at once: the physio's evaluation waits for a
portal report being saved, and judges the patient with it (DESIGN 4.1: no
"ready to progress" beside an unacknowledged red flag)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction

from content.codes import EntryKind
from content.instruments import Instrument
from content.models import ExitCriterion
from content.models import Phase as ProgrammePhase
from patients.outcomes import record_outcome
from rehab import flags
from rehab.entries import entry_create
from rehab.models import Flag
from tests.concurrency import wait_for_a_lock_waiter
from tests.factories import ClinicFactory, EntryFactory, PatientFactory, PhysioFactory

pytestmark = pytest.mark.django_db(transaction=True)
START = dt.date(2026, 9, 7)
DAY = START + dt.timedelta(days=20)


def test_an_evaluation_racing_a_red_flag_report_does_not_raise_ready_to_progress():
    clinic = ClinicFactory()
    physio = PhysioFactory(clinic=clinic)
    patient = PatientFactory(clinic=clinic, physio=physio, programme_start=START,
                             surgery_date=START - dt.timedelta(days=14))
    normalise = ProgrammePhase.objects.get(clinic=clinic, code="normalise")
    ExitCriterion.objects.filter(phase=normalise).delete()
    ExitCriterion.objects.create(phase=normalise, measure="psfs", comparator=">=", threshold=6)
    EntryFactory(patient=patient, date=START)
    # Every criterion met, not yet evaluated: an evaluation now would raise "ready to progress".
    record_outcome(patient=patient, instrument=Instrument.objects.get(clinic=clinic, code="psfs"), date=DAY,
                   by="patient", activities=[("Stairs", 7), ("Walking", 7), ("Car", 7)])
    saving = threading.Event()

    def the_portal_report():
        try:
            with time_machine.travel(dt.datetime.combine(DAY, dt.time(12), tzinfo=dt.UTC)), transaction.atomic():
                entry_create(patient=patient, kind=EntryKind.SELF_REPORT, date=DAY, symptoms=["calf_swelling"])
                saving.set()
                wait_for_a_lock_waiter()  # commit once the evaluation below waits for this patient
        finally:
            connection.close()

    report = threading.Thread(target=the_portal_report)
    report.start()
    assert saving.wait(10)
    flags.patient_reconcile(patient_id=patient.pk, as_of=DAY)
    report.join()

    open_codes = set(Flag.objects.filter(patient=patient, closed_at=None).values_list("code", flat=True))
    assert open_codes == {"dvt_signs"}
