"""The outcome schedule (DESIGN §9) at its boundaries, the discharge check,
change against the detectable change, and exit criteria on outcome scores
under the evidence rules of §4.1."""

import datetime as dt
from decimal import Decimal

import pytest

from rehab import rules
from rehab.rules.data import MET, NOT_MET, UNKNOWN
from rehab.rules.outcomes import (
    BASELINE,
    DUE,
    NOT_SCHEDULED,
    OVERDUE,
    UP_TO_DATE,
    change_is_real,
    missing_at_discharge,
    outcome_status,
    schedule_anchor,
)

DAY0 = dt.date(2026, 6, 8)


def day(n):
    return DAY0 + dt.timedelta(days=n)


def test_the_anchor_is_the_first_visit_or_the_programme_start():
    assert schedule_anchor(first_visit=day(3), programme_start=DAY0) == day(3)
    assert schedule_anchor(first_visit=None, programme_start=DAY0) == DAY0


@pytest.mark.parametrize("as_of, status, due_on", [
    (0, DUE, 0), (7, DUE, 0), (8, OVERDUE, 0), (27, OVERDUE, 0),
    # A missed baseline is not chased once day 28 falls due.
    (28, DUE, 28), (35, DUE, 28), (36, OVERDUE, 28),
])
def test_nothing_taken_is_due_then_overdue_after_seven_days(as_of, status, due_on):
    result = outcome_status([], anchor=DAY0, as_of=day(as_of))
    assert (result.status, result.due_on) == (status, day(due_on))


@pytest.mark.parametrize("as_of, status, occasion, due_on", [
    (0, UP_TO_DATE, "day 28", 28),
    (27, UP_TO_DATE, "day 28", 28),
    (28, DUE, "day 28", 28),
    (29, DUE, "day 28", 28),
    (35, DUE, "day 28", 28),
    (36, OVERDUE, "day 28", 28),
    (55, OVERDUE, "day 28", 28),
    (56, DUE, "day 56", 56),
])
def test_after_the_baseline_the_next_is_due_on_day_28(as_of, status, occasion, due_on):
    result = outcome_status([day(0)], anchor=DAY0, as_of=day(as_of))
    assert (result.status, result.occasion, result.due_on, result.last_taken) == (
        status, occasion, day(due_on), day(0))


@pytest.mark.parametrize("taken, status", [(20, DUE), (21, UP_TO_DATE), (28, UP_TO_DATE), (30, UP_TO_DATE)])
def test_a_measure_taken_up_to_seven_days_early_meets_the_occasion(taken, status):
    result = outcome_status([day(0), day(taken)], anchor=DAY0, as_of=day(30))
    assert result.status == status


def test_a_measure_dated_after_as_of_is_ignored_and_a_discharged_patient_has_nothing_due():
    assert outcome_status([day(0), day(40)], anchor=DAY0, as_of=day(30)).status == DUE
    result = outcome_status([day(0)], anchor=DAY0, as_of=day(90), active=False)
    assert (result.status, result.last_taken) == (NOT_SCHEDULED, day(0))


def test_before_the_anchor_the_baseline_is_due():
    result = outcome_status([], anchor=day(5), as_of=day(2))
    assert (result.status, result.occasion, result.due_on) == (DUE, BASELINE, day(5))


@pytest.mark.parametrize("last, missing", [(92, True), (93, False), (100, False), (101, True)])
def test_the_discharge_asks_for_measures_not_taken_in_the_last_seven_days(last, missing):
    assert (missing_at_discharge({"tug_s": [day(0), day(last)]}, discharge_on=day(100)) == ["tug_s"]) is missing


@pytest.mark.parametrize("baseline, latest, mdc, real", [
    (Decimal("14.0"), Decimal("12.9"), Decimal("1.1"), False),  # exactly the MDC: not beyond it
    (Decimal("14.0"), Decimal("12.8"), Decimal("1.1"), True),
    (8, 10, 2, False), (8, 11, 2, True), (11, 8, 2, True), (None, 8, 2, False),
])
def test_a_change_is_real_only_beyond_the_detectable_change(baseline, latest, mdc, real):
    assert change_is_real(baseline, latest, mdc) is real


# Exit criteria on outcome scores and performance tests ----------------------

VISIT = "visit"


def visit(n, **measures):
    return rules.Entry(id=n, kind=VISIT, date=day(n), measures=measures)


def psfs(n, score):
    return rules.OutcomeScore(date=day(n), instrument="psfs", score=Decimal(score))


def judge(criterion, entries, outcomes, as_of, phase_start=DAY0):
    return rules.evaluate_criteria([criterion], entries, as_of=day(as_of), phase_start=phase_start,
                                   outcomes=outcomes)[0]


def test_a_performance_test_criterion_reads_the_visit_like_any_measure():
    chair = rules.Criterion("chair_stand_30s", ">=", 12)
    tug = rules.Criterion("tug_s", "<=", 12)
    entries = [visit(10, chair_stand_30s=11, tug_s=Decimal("12.1")), visit(20, chair_stand_30s=12)]
    assert judge(chair, entries, (), 20).status == MET
    # A TUG of 12.1 s is not "≤ 12": decimals are never truncated; fallback from the visit of day 10.
    result = judge(tug, entries, (), 20)
    assert (result.status, result.value, result.evidence_date) == (NOT_MET, Decimal("12.1"), day(10))


def test_an_outcome_criterion_reads_the_latest_score_in_the_evidence_window():
    criterion = rules.Criterion("psfs", ">=", 7)
    entries = [visit(30)]
    # Latest score wins; a score answered on the portal after the latest visit counts.
    result = judge(criterion, entries, [psfs(20, "6.5"), psfs(33, "7.33")], 35)
    assert (result.status, result.value, result.evidence_date) == (MET, Decimal("7.33"), day(33))
    # 16 days before the latest visit: outside the 14-day fallback.
    assert judge(criterion, entries, [psfs(14, "8")], 35).status == UNKNOWN
    assert judge(criterion, entries, [psfs(16, "8")], 35).status == MET
    assert judge(criterion, entries, [psfs(16, "6.99")], 35).status == NOT_MET
    # Scores after as_of and of other instruments do not count.
    assert judge(criterion, entries, [psfs(36, "8")], 35).status == UNKNOWN
    other = rules.OutcomeScore(date=day(30), instrument="koos_jr", score=Decimal(3))
    assert judge(criterion, entries, [other], 35).status == UNKNOWN


def test_an_outcome_criterion_is_unknown_without_a_recent_visit_or_before_the_phase():
    criterion = rules.Criterion("psfs", ">=", 7)
    result = judge(criterion, [visit(0)], [psfs(29, "9")], 29)
    assert (result.status, result.reason) == (UNKNOWN, "no visit in the last 4 weeks")
    # Evidence only from the current phase.
    assert judge(criterion, [visit(30)], [psfs(24, "9")], 31, phase_start=day(25)).status == UNKNOWN
    assert judge(criterion, [visit(30)], [psfs(25, "9")], 31, phase_start=day(25)).status == MET


def made_up(n, score):
    return rules.OutcomeScore(date=day(n), instrument="made_up_odi", score=Decimal(score))


def test_a_criterion_on_a_questionnaire_the_clinic_added_reads_its_scores_under_the_same_rules():
    criterion = rules.Criterion("made_up_odi", "<=", 20, questionnaire="Made-up disability index")
    entries = [visit(30)]
    result = judge(criterion, entries, [made_up(20, "30"), made_up(33, "18")], 35)
    assert (result.status, result.value, result.evidence_date) == (MET, Decimal("18"), day(33))
    assert result.questionnaire == "Made-up disability index"
    assert judge(criterion, entries, [made_up(16, "20.5")], 35).status == NOT_MET
    # The same window as the PSFS's: 14 days before the latest visit, up to as_of, this instrument only.
    assert judge(criterion, entries, [made_up(14, "10")], 35).status == UNKNOWN
    assert judge(criterion, entries, [made_up(36, "10")], 35).status == UNKNOWN
    assert judge(criterion, entries, [psfs(33, "2")], 35).status == UNKNOWN
    result = judge(criterion, [visit(0)], [made_up(29, "5")], 29)
    assert (result.status, result.reason) == (UNKNOWN, "no visit in the last 4 weeks")
    assert judge(criterion, [visit(30)], [made_up(24, "5")], 31, phase_start=day(25)).status == UNKNOWN
    assert judge(criterion, [visit(30)], [made_up(25, "5")], 31, phase_start=day(25)).status == MET


def test_a_criterion_names_a_measure_of_the_vocabulary_or_its_own_questionnaire():
    with pytest.raises(ValueError, match="unknown measure 'made_up_odi'"):
        rules.Criterion("made_up_odi", "<=", 20)
    assert rules.Criterion("psfs", ">=", 7).reads_outcome
    assert not rules.Criterion("tug_s", "<=", 12).reads_outcome


@pytest.mark.parametrize("baseline, latest, real", [
    (Decimal("3.00"), Decimal("5.00"), True),  # exactly 2 points on the PSFS: meaningful
    (Decimal("3.00"), Decimal("4.99"), False),
    (Decimal("6.00"), Decimal("4.00"), True),  # worse by as much: a real change too
])
def test_a_questionnaire_change_is_meaningful_from_the_meaningful_change_on(baseline, latest, real):
    assert change_is_real(baseline, latest, Decimal(2), meaningful=True) is real
