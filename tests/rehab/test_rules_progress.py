"""Plateau and regression flags (DESIGN.md 4.3): plain data, no database."""

import datetime as dt

import pytest

from content.codes import Context, EntryKind, Location
from content.flag_kinds import FLAG_KINDS
from rehab.rules import (
    Entry,
    PainScore,
    is_meaningful_improvement,
    plateau_finding,
    regression_finding,
)
from rehab.rules.progress import HIP_XRAY_ADVICE

START = dt.date(2026, 2, 2)


def day(n):
    """``n`` days after the programme started."""
    return START + dt.timedelta(days=n)


def visit(on, activity=None, *, pain=(), kind=EntryKind.VISIT):
    """An entry on day ``on``; ``activity`` scores lower back pain on activity."""
    scores = list(pain)
    if activity is not None:
        scores.append(PainScore(Location.LUMBAR_BILATERAL, Context.ACTIVITY, activity))
    return Entry(id=f"{kind}-{on}", kind=kind, date=day(on), pain=scores)


def self_report(on, activity):
    return visit(on, activity, kind=EntryKind.SELF_REPORT)


def course(*scores, every=14):
    """Visits every ``every`` days from day 0 with these activity pain scores."""
    return [visit(i * every, s) for i, s in enumerate(scores)]


def plateau(entries, as_of=84, active=True):
    return plateau_finding(entries, programme_start=START, is_active=active, as_of=day(as_of))


def regression(entries, as_of=84, active=True):
    return regression_finding(entries, programme_start=START, is_active=active, as_of=day(as_of))


# Meaningful improvement ---------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "meaningful"),
    [
        (3, 2, True),  # fall 1 is 33 % of 3
        (3, 3, False),
        (4, 3, False),  # fall 1 is 25 % of 4
        (4, 2, True),
        (5, 4, False),  # 20 %
        (5, 3, True),
        (6, 5, False),  # 17 %
        (6, 4, True),
        (7, 5, True),  # a fall of exactly 2 is enough
        (10, 8, True),  # 20 %, but 2 points
        (10, 9, False),
        (2, 3, False),
        (0, 0, False),
    ],
)
def test_meaningful_improvement_is_a_fall_of_2_or_30_percent(baseline, current, meaningful):
    assert is_meaningful_improvement(baseline, current) is meaningful


# Plateau ----------------------------------------------------------------------


def test_plateau_is_raised_on_day_84():
    finding = plateau(course(6, 5), as_of=84)
    assert (finding.code, finding.severity) == ("plateau_12w", "review")
    assert finding.advice == FLAG_KINDS["plateau_12w"].advice


def test_plateau_is_not_raised_on_day_83():
    assert plateau(course(6, 5), as_of=83) is None


def test_plateau_is_raised_when_current_pain_is_3():
    assert plateau(course(3, 3)) is not None


def test_plateau_is_not_raised_when_current_pain_is_2():
    assert plateau(course(2, 2)) is None


def test_plateau_is_not_raised_with_only_one_visit():
    assert plateau(course(6)) is None


def test_plateau_is_raised_with_two_visits():
    assert plateau(course(6, 6)) is not None


def test_plateau_is_not_raised_for_a_discharged_patient():
    assert plateau(course(6, 6), active=False) is None


@pytest.mark.parametrize("baseline", [4, 5, 6])
def test_plateau_is_raised_when_pain_falls_by_1_from_a_low_baseline(baseline):
    assert plateau(course(baseline, baseline - 1)) is not None


def test_plateau_is_not_raised_when_pain_falls_by_exactly_2():
    assert plateau(course(7, 5)) is None


def test_plateau_is_raised_when_pain_falls_by_1_from_7():
    assert plateau(course(7, 6)) is not None


def test_plateau_compares_the_first_and_the_latest_visit_only():
    assert plateau(course(6, 2, 1, 5)) is not None
    assert plateau(course(6, 8, 9, 4)) is None


def test_plateau_message_gives_baseline_current_and_weeks():
    message = plateau(course(6, 5), as_of=90).message
    assert "5/10" in message
    assert "baseline 6/10" in message
    assert "12 weeks" in message


def test_plateau_ignores_visits_before_the_programme_start():
    # Measured from the pre-programme 9 the fall would be meaningful.
    assert plateau([visit(-1, 9), *course(5, 5)]) is not None


def test_plateau_ignores_visits_after_as_of():
    assert plateau([*course(6, 5), visit(85, 1)], as_of=84) is not None


def test_plateau_ignores_self_reports():
    assert plateau([visit(0, 6), self_report(30, 6)]) is None
    assert plateau([*course(6, 5), self_report(80, 1)]) is not None


def test_plateau_ignores_visits_without_activity_pain():
    rest_only = visit(30, pain=[PainScore(Location.LUMBAR_BILATERAL, Context.REST, 6)])
    assert plateau([visit(0, 6), rest_only]) is None


@pytest.mark.parametrize("location", [Location.KNEE, Location.ANTERIOR_THIGH])
def test_plateau_never_counts_knee_or_thigh_pain(location):
    high_implant = [PainScore(location, Context.ACTIVITY, 8)]
    # Back pain is down to 1: the knee's 8 must not make it look stuck.
    assert plateau([visit(0, 6), visit(70, 1, pain=high_implant)]) is None
    # A knee-only visit is not a visit with activity pain.
    assert plateau([visit(0, 6), visit(70, pain=high_implant)]) is None
    # Nor can it be the baseline.
    assert plateau([visit(0, pain=high_implant), *course(5, 5)]).message.endswith(
        "(baseline 5/10): no meaningful improvement."
    )


def hip_worst_at_latest(*latest_pain):
    return plateau([visit(0, 6), visit(70, pain=[*latest_pain])]).advice


def test_plateau_advice_adds_hip_xray_when_anterior_hip_is_worst_at_the_latest_visit():
    advice = hip_worst_at_latest(
        PainScore(Location.LUMBAR_BILATERAL, Context.ACTIVITY, 5),
        PainScore(Location.ANTERIOR_HIP, Context.REST, 7),
    )
    assert advice == f"{FLAG_KINDS['plateau_12w'].advice} {HIP_XRAY_ADVICE}"
    assert "Consider a hip X-ray to rule out hip joint involvement." in advice


def test_plateau_advice_adds_hip_xray_when_anterior_hip_ties_for_worst():
    advice = hip_worst_at_latest(
        PainScore(Location.LUMBAR_BILATERAL, Context.ACTIVITY, 5),
        PainScore(Location.ANTERIOR_HIP, Context.NIGHT, 5),
    )
    assert HIP_XRAY_ADVICE in advice


def test_plateau_advice_has_no_hip_xray_when_anterior_hip_is_not_worst():
    advice = hip_worst_at_latest(
        PainScore(Location.LUMBAR_BILATERAL, Context.ACTIVITY, 5),
        PainScore(Location.ANTERIOR_HIP, Context.ACTIVITY, 4),
    )
    assert HIP_XRAY_ADVICE not in advice


@pytest.mark.parametrize("location", [Location.KNEE, Location.ANTERIOR_THIGH])
def test_plateau_hip_xray_advice_ignores_a_higher_knee_or_thigh_score(location):
    advice = hip_worst_at_latest(
        PainScore(Location.LUMBAR_BILATERAL, Context.ACTIVITY, 5),
        PainScore(Location.ANTERIOR_HIP, Context.ACTIVITY, 6),
        PainScore(location, Context.ACTIVITY, 9),
    )
    assert HIP_XRAY_ADVICE in advice


def test_plateau_hip_xray_advice_looks_only_at_the_latest_visit():
    earlier = visit(0, 5, pain=[PainScore(Location.ANTERIOR_HIP, Context.REST, 8)])
    advice = plateau([earlier, visit(70, 5)]).advice
    assert HIP_XRAY_ADVICE not in advice


# Regression ---------------------------------------------------------------------


def test_regression_is_raised_at_2_above_the_lowest_earlier_visit():
    finding = regression(course(4, 6))
    assert (finding.code, finding.severity) == ("pain_regression", "review")
    assert finding.advice == FLAG_KINDS["pain_regression"].advice


def test_regression_is_not_raised_at_1_above_the_lowest_earlier_visit():
    assert regression(course(4, 5)) is None


def test_regression_compares_with_the_lowest_earlier_visit_not_the_baseline():
    assert regression(course(5, 2, 4)) is not None
    assert regression(course(5, 3, 4)) is None


def test_regression_is_not_raised_with_only_one_visit():
    assert regression(course(8)) is None


def test_regression_is_not_raised_for_a_discharged_patient():
    assert regression(course(2, 6), active=False) is None


def test_regression_does_not_wait_for_12_weeks():
    assert regression(course(2, 4, every=7), as_of=7) is not None


def test_regression_ignores_visits_after_as_of():
    entries = [*course(3, 3), visit(40, 6)]
    assert regression(entries, as_of=39) is None
    assert regression(entries, as_of=40) is not None


def test_regression_ignores_visits_before_the_programme_start():
    assert regression([visit(-1, 1), *course(3, 4)]) is None


def test_regression_ignores_self_reports():
    assert regression([self_report(0, 1), *course(3, 4, every=10)]) is None
    assert regression([*course(3, 3), self_report(40, 9)]) is None


@pytest.mark.parametrize("location", [Location.KNEE, Location.ANTERIOR_THIGH])
def test_regression_never_counts_knee_or_thigh_pain(location):
    implant = [PainScore(location, Context.ACTIVITY, 9)]
    assert regression([visit(0, 3), visit(30, 4, pain=implant)]) is None
    assert regression([visit(0, 3), visit(30, pain=implant)]) is None
    assert regression([visit(0, pain=[PainScore(location, Context.ACTIVITY, 0)]), *course(3, 4)]) is None


def test_regression_message_gives_the_numbers():
    message = regression(course(6, 2, 5), as_of=30).message
    assert "5/10" in message
    assert "lowest of 2/10" in message
    assert "baseline 6/10" in message
    assert "week 4" in message


# Worsening after acknowledgement (DESIGN 4.3) ----------------------------------


def regression_acknowledged(entries, acknowledged_day, as_of=84):
    return regression_finding(entries, programme_start=START, is_active=True, as_of=day(as_of),
                              acknowledged_on=day(acknowledged_day))


def test_an_acknowledged_regression_stays_quiet_while_pain_holds():
    # Acknowledged on day 30, when the latest visit (day 28) scored 5.
    entries = course(3, 3, 5, 6)  # days 0, 14, 28, 42
    finding = regression_acknowledged(entries, acknowledged_day=30, as_of=42)
    assert finding.code == "pain_regression"
    assert finding.renews is False


def test_an_acknowledged_regression_renews_at_2_above_the_value_when_acknowledged():
    entries = course(3, 3, 5, 7)
    finding = regression_acknowledged(entries, acknowledged_day=30, as_of=42)
    assert (finding.code, finding.renews) == ("pain_regression", True)
    assert "up from 5/10" in finding.message and "worse" in finding.message


def test_the_value_when_acknowledged_is_the_latest_visit_on_or_before_that_date():
    entries = course(3, 3, 5, 7)  # day 28 scored 5; acknowledged on day 28 itself
    assert regression_acknowledged(entries, acknowledged_day=28, as_of=42).renews is True
    # Acknowledged on day 27: the latest visit then was day 14 (3); 7 is far above it.
    assert regression_acknowledged(course(3, 3, 6, 6), acknowledged_day=27, as_of=42).renews is True
    assert regression_acknowledged(course(3, 3, 6, 6), acknowledged_day=28, as_of=42).renews is False


def test_a_regression_acknowledged_on_the_current_visit_does_not_renew():
    entries = course(3, 3, 7)
    assert regression_acknowledged(entries, acknowledged_day=28, as_of=42).renews is False


def test_an_acknowledged_regression_is_not_renewed_for_a_discharged_patient():
    entries = course(3, 3, 5, 9)
    assert regression_finding(entries, programme_start=START, is_active=False, as_of=day(42),
                              acknowledged_on=day(30)) is None
