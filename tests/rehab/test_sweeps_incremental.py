"""The incremental sweep gives the flags the per-patient evaluation gives.

The reference is the engine's own per-patient path, `patients_reconcile`
over every patient the sweep covers, reading each whole record: after each
incremental sweep it must find nothing left to raise, close or reopen, and the
flags the sweep raised carry the reference's words.
"""

import datetime as dt
import random

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.codes import BACK_HIP_LOCATIONS, PHASE_ORDER, Phase
from patients.models import Entry
from rehab import flags
from rehab.entries import entry_create, entry_update
from rehab.models import ClinicSweep, Flag
from rehab.phase_moves import discharge_blockers, patient_move_phase
from rehab.record import entries_by_patient, exit_criteria_by_phase, phase_start_by_patient
from rehab.rules.criteria import next_phase
from rehab.sweeps import sweep_patients, sweep_plan, sweep_run
from tests.factories import EntryFactory, PainScoreFactory, PatientFactory

pytestmark = pytest.mark.django_db

BACK_HIP = sorted(BACK_HIP_LOCATIONS)
START = dt.date(2026, 3, 2)


def at(day, hour=12):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC), tick=False)


def random_pain(rng, *, implant=True):
    pain = {}
    for location in rng.sample(BACK_HIP, rng.randint(0, 3)):
        for context in ("activity", "rest"):
            if rng.random() < 0.8:
                pain[(location, context)] = rng.randint(0, 8)
    if implant and rng.random() < 0.4:
        pain[("knee", "activity")] = rng.choice([0, 0, 0, 3, 5])
    return [(location, context, score) for (location, context), score in pain.items()]


def random_measures(rng):
    choices = {
        "standing_tolerance_min": lambda: rng.randint(5, 40),
        "walk_without_limp_min": lambda: rng.randint(5, 40),
        "glute_bridge_hold_s": lambda: rng.randint(10, 60),
        "glute_bridge_lumbar_substitution": lambda: rng.random() < 0.3,
        "gait_symmetric_video": lambda: rng.random() < 0.6,
        "continuous_walk_min": lambda: rng.randint(20, 60),
    }
    return {name: make() for name, make in choices.items() if rng.random() < 0.6}


def caseload(clinic, physio, rng, count):
    patients = []
    for _ in range(count):
        programme_start = START + dt.timedelta(days=rng.randint(0, 50))
        patients.append(PatientFactory(
            clinic=clinic, physio=physio, programme_start=programme_start,
            surgery_date=programme_start - dt.timedelta(days=rng.randint(0, 10)),
            phase=rng.choice(PHASE_ORDER),
        ))
    return patients


def change_something(patient, today, rng, physio):
    """One random change of the kind a clinic makes in a day, through the
    services (evaluated at once) or around them (left to the sweep)."""
    if patient.programme_start > today:
        return
    roll = rng.random()
    date = max(today - dt.timedelta(days=rng.randint(0, 3)), patient.surgery_date)
    if roll < 0.30:
        entry_create(patient=patient, kind="visit", date=date, pain=random_pain(rng),
                     symptoms=["calf_swelling"] if rng.random() < 0.05 else [], measures=random_measures(rng))
    elif roll < 0.38:
        entry_create(patient=patient, kind="self_report", date=date, pain=random_pain(rng, implant=False))
    elif roll < 0.44:
        # Saved around the services (the admin, with its task lost).
        entry = EntryFactory(patient=patient, date=date, standing_tolerance_min=rng.randint(5, 40))
        for location, context, score in random_pain(rng):
            PainScoreFactory(entry=entry, location=location, context=context, score=score)
    elif roll < 0.48:
        entry = Entry.objects.filter(patient=patient, kind="visit").order_by("?").first()
        if entry:
            entry_update(entry=entry, date=entry.date, pain=random_pain(rng), measures=random_measures(rng))
    elif roll < 0.50:
        entry = Entry.objects.filter(patient=patient).order_by("?").first()
        if entry:
            entry.delete()  # through the models: only the sweep re-evaluates the rest
    elif roll < 0.53:
        patient.surgery_date = patient.surgery_date - dt.timedelta(days=rng.randint(1, 20))
        patient.save()
    elif roll < 0.63:
        flag = Flag.objects.filter(patient=patient, closed_at__isnull=True, acknowledged_at__isnull=True).first()
        if flag:
            flags.flag_acknowledge(flag=flag, user=physio, note="Seen.")
    elif roll < 0.67 and patient.is_active:
        to_phase = next_phase(patient.phase)
        notes = {flag.pk: "Reviewed before discharge." for flag in discharge_blockers(patient)}
        patient_move_phase(patient=patient, to_phase=to_phase, expected_from=patient.phase, reason="Criteria met.",
                           by=physio, acknowledgements=notes)


def reference_findings(clinic, today):
    """What the per-patient path finds for each patient the sweep covers."""
    facts = flags.patient_facts(sweep_patients(clinic))
    entries = entries_by_patient([p.id for p in facts])
    criteria = exit_criteria_by_phase([clinic.pk])
    starts = phase_start_by_patient(facts)
    acknowledged = {(f.patient_id, f.code, f.entry_id) for f in Flag.objects.open().filter(acknowledged_at__isnull=False)}
    found = {}
    for p in facts:
        mine = {(code, entry) for patient_id, code, entry in acknowledged if patient_id == p.id}
        for finding in flags.patient_findings(p, entries.get(p.id, []), criteria.get((clinic.pk, p.phase), []),
                                             as_of=today, phase_start=starts[p.id], acknowledged=mine):
            found[(p.id, finding.code, finding.entry_id)] = finding
    return facts, found


@pytest.mark.parametrize("seed,batch_size", [(13, 500), (29, 3)])
def test_the_incremental_sweep_leaves_the_flags_the_per_patient_evaluation_gives(clinic, physio, seed, batch_size):
    rng = random.Random(seed)
    with at(START):
        patients = caseload(clinic, physio, rng, 16)
    today = START + dt.timedelta(days=10)
    paths_taken = {"full": 0, "progress": 0}
    while today < START + dt.timedelta(days=220):
        with at(today):
            for patient in patients:
                patient.refresh_from_db()
                if rng.random() < 0.5:
                    change_something(patient, today, rng, physio)
        # The night's sweep, after the day's changes (a change made while a
        # sweep starts is looked at by the next one too: CHANGE_MARGIN).
        with at(today, hour=20):
            plan = sweep_plan(clinic, as_of=today, mark=ClinicSweep.objects.filter(clinic=clinic).first())
            paths_taken["full"] += len(plan.full)
            paths_taken["progress"] += len(plan.progress)
            swept_from = Flag.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            sweep_run(clinic=clinic, batch_size=batch_size)

            facts, found = reference_findings(clinic, today)
            left = flags.patients_reconcile(facts, as_of_for=lambda _, day=today: day, dry_run=True)
            assert (left.raised, left.closed, left.reopened) == ({}, 0, 0), f"on {today}"
            for flag in Flag.objects.filter(pk__gt=swept_from, closed_at__isnull=True, patient__clinic=clinic):
                finding = found[(flag.patient_id, flag.code, flag.entry_id)]
                assert (flag.message, flag.advice) == (finding.message, finding.advice), f"on {today}"
        today += dt.timedelta(days=rng.randint(1, 12))
    # Both paths were exercised, and most days most patients were left alone.
    assert paths_taken["full"] > 20 and paths_taken["progress"] > 20
    assert Flag.objects.filter(code="plateau_12w").exists()
    assert Flag.objects.filter(code="ready_to_progress").exists()


def test_an_unchanged_caseload_is_not_evaluated_again(clinic, physio):
    day = START + dt.timedelta(days=120)
    with at(day - dt.timedelta(days=1)):
        caseload(clinic, physio, random.Random(7), 5)
    with at(day):
        sweep_run(clinic=clinic)
        plan = sweep_plan(clinic, as_of=day, mark=ClinicSweep.objects.get(clinic=clinic))
        with CaptureQueriesContext(connection) as queries:
            summary = sweep_run(clinic=clinic)
    assert len(plan) == 0
    assert summary.raised == {} and summary.closed == 0
    # Claim the clinic, one query for who changed, move the mark (and the
    # savepoints around them); no patient is read.
    assert len(queries) <= 8
    assert not any("patients_entry\"" in q["sql"] and "SELECT" in q["sql"][:6] for q in queries
                   if "UNION" not in q["sql"])


def starting(clinic, physio, programme_start, **fields):
    """A patient whose programme starts on `programme_start`, registered that day."""
    with at(programme_start):
        return PatientFactory(clinic=clinic, physio=physio, programme_start=programme_start,
                              surgery_date=programme_start - dt.timedelta(days=7), **fields)


def visit(patient, date, activity_pain, **measures):
    """A visit saved (on its day) around the services: the next sweep evaluates it."""
    with at(date):
        entry = EntryFactory(patient=patient, date=date, **measures)
        PainScoreFactory(entry=entry, location="lumbar_bilateral", context="activity", score=activity_pain)
    return entry


def test_the_plan_names_who_crossed_day_84_since_the_last_sweep(clinic, physio):
    crossing = starting(clinic, physio, START)
    later = starting(clinic, physio, START + dt.timedelta(days=20))
    for patient in (crossing, later):
        for days in (0, 40):
            visit(patient, patient.programme_start + dt.timedelta(days=days), 6)
    day_83 = START + dt.timedelta(days=83)
    with at(day_83):
        assert sweep_run(clinic=clinic).raised == {}
    day_84 = day_83 + dt.timedelta(days=1)
    with at(day_84):
        plan = sweep_plan(clinic, as_of=day_84, mark=ClinicSweep.objects.get(clinic=clinic))
        assert (plan.full, plan.progress) == ([], [crossing.pk])
        assert sweep_run(clinic=clinic).raised == {"plateau_12w": 1}
    assert Flag.objects.get().patient == crossing


def test_the_plan_names_who_lost_their_evidence_on_day_29_after_a_visit(clinic, physio):
    patient = starting(clinic, physio, START, phase=Phase.NORMALISE)
    seen = visit(patient, START + dt.timedelta(days=10), 2, standing_tolerance_min=30)
    day_28 = seen.date + dt.timedelta(days=28)
    with at(day_28):
        assert sweep_run(clinic=clinic).raised == {"ready_to_progress": 1}
    day_29 = day_28 + dt.timedelta(days=1)
    with at(day_29):
        plan = sweep_plan(clinic, as_of=day_29, mark=ClinicSweep.objects.get(clinic=clinic))
        assert (plan.full, plan.progress) == ([], [patient.pk])
        assert sweep_run(clinic=clinic).closed == 1
    assert not Flag.objects.open().exists()


def test_an_acknowledgement_brings_the_patient_back_into_the_next_sweep(clinic, physio):
    patient = starting(clinic, physio, START)
    visit(patient, START, 3)
    visit(patient, START + dt.timedelta(days=30), 6)
    day = START + dt.timedelta(days=40)
    with at(day):
        assert sweep_run(clinic=clinic).raised == {"pain_regression": 1}
    with at(day + dt.timedelta(days=1)):
        flags.flag_acknowledge(flag=Flag.objects.get(), user=physio, note="Called her.")
        plan = sweep_plan(clinic, as_of=day + dt.timedelta(days=1), mark=ClinicSweep.objects.get(clinic=clinic))
    assert (plan.full, plan.progress) == ([], [patient.pk])


def test_the_progress_path_issues_the_same_queries_for_5_and_60_patients(clinic, other_clinic, physio):
    def day_84_sweep_of(where, count):
        for _ in range(count):
            patient = starting(where, physio if where == clinic else None, START)
            for days in (0, 40):
                visit(patient, START + dt.timedelta(days=days), 6)
        with at(START + dt.timedelta(days=83)):
            sweep_run(clinic=where)
        with at(START + dt.timedelta(days=84)), CaptureQueriesContext(connection) as queries:
            summary = sweep_run(clinic=where)
        assert summary.raised == {"plateau_12w": count}
        return len(queries)

    assert day_84_sweep_of(clinic, 5) == day_84_sweep_of(other_clinic, 60)
