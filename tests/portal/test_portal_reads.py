"""What the portal reads of the patient's record (portal.selectors.record_facts):
one statement on PostgreSQL, small ORM queries elsewhere, the same facts and
the same page."""

import datetime as dt

import pytest

from content.models import Instrument
from patients.outcomes import record_outcome
from portal import selectors
from portal.selectors import LastMove, record_facts
from rehab.adherence import adherence_mark_record
from rehab.phase_moves import patient_move_phase
from tests.factories import EntryFactory, PatientFactory

pytestmark = pytest.mark.django_db


class Elsewhere:
    vendor = "sqlite"


def both_ways(patient, as_of, monkeypatch):
    on_postgresql = record_facts(patient, as_of=as_of)
    with monkeypatch.context() as patch:
        patch.setattr(selectors, "connection", Elsewhere)
        elsewhere = record_facts(patient, as_of=as_of)
    assert on_postgresql == elsewhere
    return on_postgresql


def test_the_facts_of_a_record_read_the_same_either_way(planned_patient, physio, monkeypatch):
    today = planned_patient.clinic.today()
    fresh = both_ways(planned_patient, today, monkeypatch)
    assert (fresh.first_visit, fresh.last_move, fresh.last_taken) == (None, None, {})

    EntryFactory(patient=planned_patient, date=today - dt.timedelta(days=9))
    EntryFactory(patient=planned_patient, date=today - dt.timedelta(days=2))
    koos = Instrument.objects.get(clinic=planned_patient.clinic, code="koos_jr")
    for days in (8, 1):
        record_outcome(patient=planned_patient, instrument=koos, date=today - dt.timedelta(days=days), by="patient",
                       answers=[1] * 7)
    patient_move_phase(patient=planned_patient, to_phase="rebuild", expected_from="normalise", reason="Criteria met",
                       by=physio, replace_plan=False)
    patient_move_phase(patient=planned_patient, to_phase="integrate", expected_from="rebuild", reason="Criteria met",
                       by=physio, replace_plan=True)
    facts = both_ways(planned_patient, today, monkeypatch)
    assert facts.first_visit == today - dt.timedelta(days=9)
    assert facts.last_taken == {koos.pk: today - dt.timedelta(days=1)}
    assert isinstance(facts.last_move, LastMove)
    assert (facts.last_move.from_phase, facts.last_move.to_phase, facts.last_move.plan_replaced) == (
        "rebuild", "integrate", True)
    # An answer later than the day asked about does not count.
    assert both_ways(planned_patient, today - dt.timedelta(days=5), monkeypatch).last_taken == {
        koos.pk: today - dt.timedelta(days=8)}


def test_a_discharged_patient_is_asked_no_questionnaire(clinic, physio, monkeypatch):
    patient = PatientFactory(clinic=clinic, physio=physio, phase="discharged")
    EntryFactory(patient=patient, date=clinic.today() - dt.timedelta(days=3))
    facts = both_ways(patient, clinic.today(), monkeypatch)
    assert (facts.first_visit, facts.last_taken) == (None, {})


def test_the_page_is_the_same_whichever_way_the_plan_is_read(client, portal_url, planned_patient, monkeypatch):
    # On PostgreSQL the plan and today's marks come as JSON in the facts'
    # statement (portal.today.PLAN_TODAY_JSON_SQL); elsewhere through the ORM.
    items = list(planned_patient.plan_items.select_related("exercise").order_by("order"))
    assert len(items) >= 3
    items[0].note = "Slowly <please> & gently"
    items[0].save()
    adherence_mark_record(patient=planned_patient, exercise_code=items[0].exercise.code, status="done")
    adherence_mark_record(patient=planned_patient, exercise_code=items[1].exercise.code, status="hurt")
    on_postgresql = client.get(portal_url).content.decode()
    monkeypatch.setattr(selectors, "connection", Elsewhere)
    elsewhere = client.get(portal_url).content.decode()
    assert on_postgresql == elsewhere
    assert "Slowly &lt;please&gt; &amp; gently" in on_postgresql
    assert "Today: <strong>2 of" in on_postgresql
    for item in items:
        assert f'id="exercise-{item.exercise.code}"' in on_postgresql
