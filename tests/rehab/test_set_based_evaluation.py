"""The set-based evaluation finds what the rules find over each whole record.

`flags.patients_findings` lets the database reduce the visits and pick the
entries that can raise a red flag (rehab.record); `flags.patient_findings`
runs every rule over the whole record. On random records built to sit on the
rules' edges (knee scores of 0 then 3 after day 84, self-reports at 7/10 or
2 above the last visit, same-day visits, visits before the programme or the
phase started, acknowledged regressions, missing measures), at dates before,
during and after them, both must give the same findings, word for word.
"""

import datetime as dt
import random

import pytest
from django.db import connection

from content.codes import BACK_HIP_LOCATIONS, PHASE_ORDER
from content.flag_kinds import FlagCode
from patients.models import Entry, PainScore, Patient
from rehab import flags
from rehab.record import entries_by_patient, exit_criteria_by_phase, phase_start_by_patient
from tests.factories import (
    EntryFactory,
    EntrySymptomFactory,
    FlagFactory,
    PainScoreFactory,
    PatientFactory,
    PhaseTransitionFactory,
    SelfReportFactory,
)

pytestmark = pytest.mark.django_db

START = dt.date(2026, 2, 2)
BACK_HIP = sorted(BACK_HIP_LOCATIONS)
SYMPTOMS = ["calf_swelling", "fever", "joint_pain", "hip_click_catching", "late_knee_thigh_ache",
            "shooting_leg_pain", "constant_night_pain", "weight_loss"]


def random_record(clinic, physio, rng):
    start = START + dt.timedelta(days=rng.randint(0, 30))
    patient = PatientFactory(clinic=clinic, physio=physio, programme_start=start,
                             surgery_date=start - dt.timedelta(days=rng.randint(0, 20)),
                             phase=rng.choice([*PHASE_ORDER, "discharged"]))
    if patient.phase != PHASE_ORDER[0] and rng.random() < 0.7:  # discharged: a transition into it
        PhaseTransitionFactory(patient=patient, from_phase=PHASE_ORDER[0], to_phase=patient.phase,
                               date=start + dt.timedelta(days=rng.randint(10, 80)))
    day = start - dt.timedelta(days=rng.randint(0, 6))
    while day < start + dt.timedelta(days=150):
        visit(patient, day, rng)
        if rng.random() < 0.15:
            visit(patient, day, rng)  # a second visit the same day
        if rng.random() < 0.4:
            self_report(patient, day + dt.timedelta(days=rng.randint(0, 4)), rng)
        day += dt.timedelta(days=rng.randint(3, 12))
    if rng.random() < 0.3:
        FlagFactory(patient=patient, code=FlagCode.PAIN_REGRESSION, severity="review", entry=None,
                    acknowledged_by=physio, acknowledgement_note="Reviewed.",
                    acknowledged_at=dt.datetime.combine(start + dt.timedelta(days=rng.randint(20, 120)),
                                                        dt.time(10), tzinfo=dt.UTC))
    return patient


def visit(patient, day, rng):
    measures = {name: make() for name, make in (
        ("standing_tolerance_min", lambda: rng.randint(5, 40)),
        ("walk_without_limp_min", lambda: rng.randint(5, 40)),
        ("glute_bridge_hold_s", lambda: rng.randint(10, 60)),
        ("glute_bridge_lumbar_substitution", lambda: rng.random() < 0.3),
        ("gait_symmetric_video", lambda: rng.random() < 0.6),
        ("continuous_walk_min", lambda: rng.randint(20, 60)),
    ) if rng.random() < 0.6}
    entry = EntryFactory(patient=patient, date=day, **measures)
    scores = {}
    for location in rng.sample(BACK_HIP, rng.randint(0, 3)):
        for context in ("activity", "rest", "night"):
            if rng.random() < 0.6:
                scores[(location, context)] = rng.randint(0, 9)
    if rng.random() < 0.6:
        scores[(rng.choice(["knee", "anterior_thigh"]), "activity")] = rng.choice([0, 0, 0, 0, 2, 3, 4])
    for (location, context), score in scores.items():
        PainScoreFactory(entry=entry, location=location, context=context, score=score)
    if rng.random() < 0.06:
        for code in rng.sample(SYMPTOMS, rng.randint(1, 2)):
            EntrySymptomFactory(entry=entry, code=code)
    return entry


def self_report(patient, day, rng):
    entry = SelfReportFactory(patient=patient, date=day)
    for location in rng.sample(BACK_HIP, rng.randint(0, 2)):
        for context in ("activity", "rest", "night"):
            if rng.random() < 0.5:
                PainScoreFactory(entry=entry, location=location, context=context, score=rng.randint(0, 9))
    if rng.random() < 0.3:
        PainScoreFactory(entry=entry, location="knee", context="activity", score=rng.choice([0, 3, 5]))
    if rng.random() < 0.05:
        EntrySymptomFactory(entry=entry, code=rng.choice(SYMPTOMS))


def whole_record_findings(facts, as_of):
    """The reference: every rule over each patient's whole record."""
    entries = entries_by_patient([p.id for p in facts])
    criteria = exit_criteria_by_phase({p.clinic_id for p in facts})
    starts = phase_start_by_patient(facts)
    existing = flags._flags_existing([p.id for p in facts])
    acknowledged = flags._acknowledged_by_patient(existing)
    regression_on = flags._regression_acknowledgement_dates(facts, existing)
    return {
        p.id: flags.patient_findings(p, entries.get(p.id, []), criteria.get((p.clinic_id, p.phase), []),
                                     as_of=as_of, phase_start=starts[p.id], acknowledged=acknowledged[p.id],
                                     regression_acknowledged_on=regression_on.get(p.id))
        for p in facts
    }


def comparable(found):
    return {patient_id: sorted((f.code, str(f.entry_id), f.entry_date, f.severity, f.message, f.advice, f.renews)
                               for f in findings)
            for patient_id, findings in found.items()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_set_based_findings_are_the_whole_record_findings(clinic, physio, seed):
    rng = random.Random(seed)
    for _ in range(30):
        random_record(clinic, physio, rng)
    facts = flags.patient_facts(Patient.objects.filter(clinic=clinic))
    kinds_found = set()
    for as_of in (START - dt.timedelta(days=3), START + dt.timedelta(days=40), START + dt.timedelta(days=100),
                  START + dt.timedelta(days=130), START + dt.timedelta(days=200)):
        want = whole_record_findings(facts, as_of)
        got = flags.patients_findings(facts, as_of_for=lambda _clinic, day=as_of: day)
        assert comparable(got) == comparable(want), f"as of {as_of}"
        kinds_found |= {f.code for findings in want.values() for f in findings}
    # The records reached the rules' edges, not only the easy cases.
    assert {"late_implant_ache", "patient_reported_pain", "plateau_12w", "pain_regression",
            "ready_to_progress"} <= kinds_found


def entry_pain_summary(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT activity_pain, rest_pain, back_hip_pain, anterior_hip_pain, knee_thigh_pain"
                       " FROM patients_entry WHERE id = %s", [entry.pk])
        return cursor.fetchone()


def test_the_database_keeps_each_entrys_pain_summary_whatever_writes_the_scores(patient):
    entry = EntryFactory(patient=patient)
    other = EntryFactory(patient=patient)
    assert entry_pain_summary(entry) == (None, None, None, None, None)

    PainScore.objects.bulk_create([
        PainScore(entry=entry, location="lumbar_bilateral", context="activity", score=4),
        PainScore(entry=entry, location="anterior_hip", context="night", score=6),
        PainScore(entry=entry, location="knee", context="rest", score=3),
    ])
    assert entry_pain_summary(entry) == (4, None, 6, 6, 3)

    PainScore.objects.filter(entry=entry, location="anterior_hip").update(score=2)
    assert entry_pain_summary(entry) == (4, None, 4, 2, 3)

    PainScore.objects.filter(entry=entry, location="knee").update(entry=other)  # moved to another entry
    assert entry_pain_summary(entry) == (4, None, 4, 2, None)
    assert entry_pain_summary(other) == (None, None, None, None, 3)

    PainScore.objects.filter(entry=entry, context="activity").delete()
    assert entry_pain_summary(entry) == (None, None, 2, 2, None)

    # A model saved with what it read before the scores changed does not undo them.
    stale = Entry.objects.get(pk=other.pk)
    PainScore.objects.create(entry=other, location="lateral_hip", context="rest", score=7)
    stale.notes = "Seen."
    stale.save()
    assert entry_pain_summary(other) == (None, 7, 7, None, 3)


def test_the_set_based_findings_hold_at_the_red_flag_rules_boundaries(clinic, physio):
    """Records sitting exactly on the thresholds the database pre-selects by:
    a rise of exactly 2 from 0, a severe score of exactly 7 at night, a knee
    score of exactly 3 on day 84 after surgery (and on day 83)."""
    surgery = START - dt.timedelta(days=10)

    def patient_with(*entries):
        patient = PatientFactory(clinic=clinic, physio=physio, programme_start=START, surgery_date=surgery)
        for maker, day, scores in entries:
            entry = maker(patient=patient, date=surgery + dt.timedelta(days=day))
            for location, context, score in scores:
                PainScoreFactory(entry=entry, location=location, context=context, score=score)
        return patient

    rise = patient_with((EntryFactory, 20, [("lumbar_bilateral", "activity", 0)]),
                        (SelfReportFactory, 22, [("lumbar_bilateral", "activity", 2)]))
    severe = patient_with((SelfReportFactory, 22, [("buttock_si", "night", 7)]))
    day_84 = patient_with((EntryFactory, 70, [("knee", "activity", 0)]), (EntryFactory, 84, [("knee", "rest", 3)]))
    day_83 = patient_with((EntryFactory, 70, [("knee", "activity", 0)]), (EntryFactory, 83, [("knee", "rest", 3)]))
    facts = flags.patient_facts(Patient.objects.filter(clinic=clinic))
    as_of = surgery + dt.timedelta(days=90)

    got = flags.patients_findings(facts, as_of_for=lambda _clinic: as_of)

    assert comparable(got) == comparable(whole_record_findings(facts, as_of))
    codes = {patient.pk: {f.code for f in got[patient.pk]} for patient in (rise, severe, day_84, day_83)}
    assert "patient_reported_pain" in codes[rise.pk] and "patient_reported_pain" in codes[severe.pk]
    assert "late_implant_ache" in codes[day_84.pk] and "late_implant_ache" not in codes[day_83.pk]
