"""Exit criteria and readiness (DESIGN.md 4.1): plain data, no database."""

import datetime as dt

import pytest

from content.codes import Comparator, Context, EntryKind, Location, Phase
from content.defaults import PHASES
from content.flag_kinds import FLAG_KINDS
from content.measures import MeasureCode
from rehab.rules import (
    Criterion,
    Entry,
    PainScore,
    activity_pain,
    evaluate_criteria,
    is_ready_to_progress,
    next_phase,
    readiness_finding,
    rest_pain,
)
from rehab.rules.data import CriterionResult

START = dt.date(2026, 3, 2)

# The clinic's default criteria, as every new clinic is seeded with them
# (content.defaults), which DESIGN.md section 1 tabulates.
DEFAULT_EXIT_CRITERIA = {
    Phase(phase["code"]): tuple(Criterion(*criterion) for criterion in phase["exit_criteria"])
    for phase in PHASES
}


def day(n):
    return START + dt.timedelta(days=n)


def entry(on=0, *, kind=EntryKind.VISIT, activity=None, rest=None, pain=(), **measures):
    """An entry ``on`` days after START; ``activity``/``rest`` score the lower back."""
    scores = list(pain)
    if activity is not None:
        scores.append(PainScore(Location.LUMBAR_BILATERAL, Context.ACTIVITY, activity))
    if rest is not None:
        scores.append(PainScore(Location.LUMBAR_BILATERAL, Context.REST, rest))
    return Entry(id=f"{kind}-{on}", kind=kind, date=day(on), pain=scores, measures=measures)


def self_report(on=0, **kwargs):
    return entry(on, kind=EntryKind.SELF_REPORT, **kwargs)


def one(criterion, entries, as_of_day=20, phase_start_day=0):
    [result] = evaluate_criteria([criterion], entries, as_of=day(as_of_day), phase_start=day(phase_start_day))
    return result


def result(status):
    return CriterionResult(MeasureCode.ACTIVITY_PAIN, Comparator.AT_MOST, 4, None, None, status)


ACTIVITY_AT_MOST_4 = Criterion(MeasureCode.ACTIVITY_PAIN, Comparator.AT_MOST, 4)
STANDING_AT_LEAST_20 = Criterion(MeasureCode.STANDING_TOLERANCE_MIN, Comparator.AT_LEAST, 20)


# activity_pain / rest_pain ----------------------------------------------------


def test_activity_pain_is_the_highest_activity_score_over_back_hip_locations():
    e = entry(
        pain=[
            PainScore(Location.ANTERIOR_HIP, Context.ACTIVITY, 3),
            PainScore(Location.LUMBAR_UNILATERAL, Context.ACTIVITY, 6),
            PainScore(Location.BUTTOCK_SI, Context.REST, 8),
            PainScore(Location.LATERAL_HIP, Context.NIGHT, 9),
        ]
    )
    assert activity_pain(e) == 6
    assert e.activity_pain == 6


def test_rest_pain_is_the_highest_rest_score_over_back_hip_locations():
    e = entry(
        pain=[
            PainScore(Location.BUTTOCK_SI, Context.REST, 2),
            PainScore(Location.LATERAL_HIP, Context.REST, 5),
            PainScore(Location.LUMBAR_BILATERAL, Context.ACTIVITY, 9),
        ]
    )
    assert rest_pain(e) == 5
    assert e.rest_pain == 5


def test_activity_and_rest_pain_are_none_without_scores_in_that_context():
    e = entry(pain=[PainScore(Location.LUMBAR_BILATERAL, Context.NIGHT, 7)])
    assert activity_pain(e) is None
    assert rest_pain(e) is None


@pytest.mark.parametrize("location", [Location.KNEE, Location.ANTERIOR_THIGH])
@pytest.mark.parametrize("context", [Context.ACTIVITY, Context.REST])
def test_knee_and_anterior_thigh_never_count_as_back_hip_pain(location, context):
    only_implant = entry(pain=[PainScore(location, context, 9)])
    assert activity_pain(only_implant) is None
    assert rest_pain(only_implant) is None

    mixed = entry(pain=[PainScore(location, context, 9), PainScore(Location.ANTERIOR_HIP, context, 1)])
    assert (activity_pain(mixed) if context == Context.ACTIVITY else rest_pain(mixed)) == 1


def test_a_zero_score_is_a_value_not_a_missing_one():
    assert activity_pain(entry(activity=0)) == 0


# Default thresholds: each boundary on both sides -----------------------------


@pytest.mark.parametrize(
    ("phase", "measure", "visit_kwargs", "met"),
    [
        (Phase.NORMALISE, MeasureCode.ACTIVITY_PAIN, {"activity": 4}, True),
        (Phase.NORMALISE, MeasureCode.ACTIVITY_PAIN, {"activity": 5}, False),
        (Phase.NORMALISE, MeasureCode.STANDING_TOLERANCE_MIN, {"standing_tolerance_min": 19}, False),
        (Phase.NORMALISE, MeasureCode.STANDING_TOLERANCE_MIN, {"standing_tolerance_min": 20}, True),
        (Phase.REBUILD, MeasureCode.WALK_WITHOUT_LIMP_MIN, {"walk_without_limp_min": 19}, False),
        (Phase.REBUILD, MeasureCode.WALK_WITHOUT_LIMP_MIN, {"walk_without_limp_min": 20}, True),
        (Phase.REBUILD, MeasureCode.GLUTE_BRIDGE_HOLD_S, {"glute_bridge_hold_s": 29}, False),
        (Phase.REBUILD, MeasureCode.GLUTE_BRIDGE_HOLD_S, {"glute_bridge_hold_s": 30}, True),
        (
            Phase.REBUILD,
            MeasureCode.GLUTE_BRIDGE_LUMBAR_SUBSTITUTION,
            {"glute_bridge_lumbar_substitution": False},
            True,
        ),
        (
            Phase.REBUILD,
            MeasureCode.GLUTE_BRIDGE_LUMBAR_SUBSTITUTION,
            {"glute_bridge_lumbar_substitution": True},
            False,
        ),
        (Phase.INTEGRATE, MeasureCode.GAIT_SYMMETRIC_VIDEO, {"gait_symmetric_video": True}, True),
        (Phase.INTEGRATE, MeasureCode.GAIT_SYMMETRIC_VIDEO, {"gait_symmetric_video": False}, False),
        (Phase.INTEGRATE, MeasureCode.CONTINUOUS_WALK_MIN, {"continuous_walk_min": 44}, False),
        (Phase.INTEGRATE, MeasureCode.CONTINUOUS_WALK_MIN, {"continuous_walk_min": 45}, True),
        (Phase.INTEGRATE, MeasureCode.REST_PAIN, {"rest": 2}, True),
        (Phase.INTEGRATE, MeasureCode.REST_PAIN, {"rest": 3}, False),
    ],
)
def test_default_exit_criterion_boundary(phase, measure, visit_kwargs, met):
    [criterion] = [c for c in DEFAULT_EXIT_CRITERIA[phase] if c.measure == measure]
    r = one(criterion, [entry(10, **visit_kwargs)])
    assert r.met is met
    assert r.status == ("met" if met else "not_met")
    assert r.evidence_date == day(10)


@pytest.mark.parametrize(("degrees", "met"), [(-6, False), (-5, True), (0, True)])
def test_a_hip_extension_criterion_below_neutral_compares_signed_degrees(degrees, met):
    """A clinic's Normalise target "hip extension ≥ −5°" (DESIGN 3)."""
    criterion = Criterion(MeasureCode.HIP_EXTENSION_DEG, Comparator.AT_LEAST, -5)
    assert one(criterion, [entry(10, hip_extension_deg=degrees)]).met is met


@pytest.mark.parametrize("measure", [MeasureCode.GLUTE_BRIDGE_LUMBAR_SUBSTITUTION, MeasureCode.GAIT_SYMMETRIC_VIDEO])
def test_a_yes_no_criterion_missing_from_every_visit_is_unknown(measure):
    [criterion] = [c for phase in DEFAULT_EXIT_CRITERIA.values() for c in phase if c.measure == measure]
    r = one(criterion, [entry(10, activity=3, glute_bridge_hold_s=40)])
    assert r.status == "unknown"
    assert r.met is None
    assert r.value is None
    assert r.evidence_date is None


def test_default_exit_criteria_match_the_design_table():
    as_text = {
        phase: {(c.measure, c.comparator, c.threshold) for c in criteria}
        for phase, criteria in DEFAULT_EXIT_CRITERIA.items()
    }
    assert as_text == {
        Phase.NORMALISE: {("activity_pain", "<=", 4), ("standing_tolerance_min", ">=", 20)},
        Phase.REBUILD: {
            ("walk_without_limp_min", ">=", 20),
            ("glute_bridge_hold_s", ">=", 30),
            ("glute_bridge_lumbar_substitution", "==", 0),
        },
        Phase.INTEGRATE: {
            ("gait_symmetric_video", "==", 1),
            ("continuous_walk_min", ">=", 45),
            ("rest_pain", "<=", 2),
        },
    }


def test_result_reports_the_criterion_value_and_evidence():
    r = one(ACTIVITY_AT_MOST_4, [entry(7, activity=3)])
    assert (r.measure, r.comparator, r.threshold, r.value) == ("activity_pain", "<=", 4, 3)
    assert r.evidence_date == day(7)
    assert r.evidence_entry_id == "visit-7"


def test_results_keep_the_order_of_the_criteria():
    criteria = DEFAULT_EXIT_CRITERIA[Phase.REBUILD]
    results = evaluate_criteria(criteria, [], as_of=day(0), phase_start=START)
    assert [r.measure for r in results] == [c.measure for c in criteria]


# Which visit supplies the value -----------------------------------------------


def test_the_latest_visit_value_wins_over_an_earlier_one():
    r = one(ACTIVITY_AT_MOST_4, [entry(0, activity=3), entry(5, activity=6)])
    assert (r.value, r.met, r.evidence_date) == (6, False, day(5))


def test_visits_are_ordered_by_date_not_by_position():
    r = one(ACTIVITY_AT_MOST_4, [entry(5, activity=6), entry(0, activity=3)])
    assert r.value == 6


def test_a_missing_value_is_taken_from_a_visit_14_days_before_the_latest():
    r = one(STANDING_AT_LEAST_20, [entry(0, standing_tolerance_min=25), entry(14, activity=3)])
    assert (r.value, r.met, r.evidence_date) == (25, True, day(0))


def test_a_missing_value_is_not_taken_from_a_visit_15_days_before_the_latest():
    r = one(STANDING_AT_LEAST_20, [entry(0, standing_tolerance_min=25), entry(15, activity=3)])
    assert r.status == "unknown"
    assert r.met is None


def test_a_missing_pain_value_falls_back_within_the_window_too():
    r = one(ACTIVITY_AT_MOST_4, [entry(0, activity=3), entry(14, standing_tolerance_min=25)])
    assert (r.value, r.evidence_date) == (3, day(0))
    r = one(ACTIVITY_AT_MOST_4, [entry(0, activity=3), entry(15, standing_tolerance_min=25)])
    assert r.status == "unknown"


def test_the_fallback_uses_the_most_recent_earlier_visit_with_the_value():
    visits = [
        entry(0, standing_tolerance_min=30),
        entry(6, standing_tolerance_min=12),
        entry(10, activity=3),
    ]
    r = one(STANDING_AT_LEAST_20, visits)
    assert (r.value, r.met, r.evidence_date) == (12, False, day(6))


def test_the_fallback_window_is_measured_from_the_latest_visit_not_from_as_of():
    visits = [entry(0, standing_tolerance_min=25), entry(10, activity=3)]
    r = one(STANDING_AT_LEAST_20, visits, as_of_day=38)
    assert r.met is True


def test_visits_after_as_of_are_ignored():
    visits = [entry(0, activity=3), entry(20, activity=7)]
    assert one(ACTIVITY_AT_MOST_4, visits, as_of_day=19).value == 3
    assert one(ACTIVITY_AT_MOST_4, visits, as_of_day=20).value == 7


def test_a_visit_after_as_of_does_not_shift_the_fallback_window():
    visits = [entry(0, standing_tolerance_min=25), entry(10, activity=3), entry(30, activity=2)]
    assert one(STANDING_AT_LEAST_20, visits, as_of_day=29).met is True


def test_no_visits_at_all_makes_every_criterion_unknown():
    results = evaluate_criteria(DEFAULT_EXIT_CRITERIA[Phase.INTEGRATE], [], as_of=day(0), phase_start=START)
    assert [r.status for r in results] == ["unknown"] * 3


# Self-reports and knee pain are not evidence -------------------------------------


def test_a_self_report_never_supplies_a_criterion_value():
    assert one(ACTIVITY_AT_MOST_4, [self_report(5, activity=2)]).status == "unknown"


def test_a_later_self_report_does_not_override_the_visit_value():
    r = one(ACTIVITY_AT_MOST_4, [entry(0, activity=6), self_report(5, activity=1)])
    assert (r.value, r.met) == (6, False)


def test_a_later_self_report_does_not_count_as_the_latest_visit_for_the_window():
    visits = [entry(0, standing_tolerance_min=25), entry(10, activity=3), self_report(30, activity=2)]
    assert one(STANDING_AT_LEAST_20, visits, as_of_day=38).met is True


@pytest.mark.parametrize("location", [Location.KNEE, Location.ANTERIOR_THIGH])
def test_knee_or_thigh_pain_is_no_evidence_for_a_pain_criterion(location):
    only_implant = entry(5, pain=[PainScore(location, Context.ACTIVITY, 2)])
    assert one(ACTIVITY_AT_MOST_4, [only_implant]).status == "unknown"

    mixed = entry(5, activity=3, pain=[PainScore(location, Context.ACTIVITY, 9)])
    assert one(ACTIVITY_AT_MOST_4, [mixed]).met is True


def test_a_knee_only_latest_visit_falls_back_to_an_earlier_back_hip_score():
    visits = [entry(0, activity=6), entry(7, pain=[PainScore(Location.KNEE, Context.ACTIVITY, 1)])]
    r = one(ACTIVITY_AT_MOST_4, visits)
    assert (r.value, r.met, r.evidence_date) == (6, False, day(0))


# Readiness -------------------------------------------------------------------


def test_ready_to_progress_when_every_criterion_is_met():
    results = evaluate_criteria(
        DEFAULT_EXIT_CRITERIA[Phase.NORMALISE],
        [entry(0, activity=4, standing_tolerance_min=20)],
        as_of=day(0),
        phase_start=START,
    )
    assert is_ready_to_progress(results)


def test_unknown_is_not_met_so_not_ready():
    results = evaluate_criteria(DEFAULT_EXIT_CRITERIA[Phase.NORMALISE], [entry(0, activity=2)], as_of=day(0), phase_start=START)
    assert [r.status for r in results] == ["met", "unknown"]
    assert not is_ready_to_progress(results)


@pytest.mark.parametrize(
    ("statuses", "ready"),
    [
        (["met"], True),
        (["met", "met", "met"], True),
        (["met", "not_met"], False),
        (["met", "unknown"], False),
        (["unknown"], False),
        ([], False),
    ],
)
def test_is_ready_to_progress_needs_at_least_one_criterion_all_met(statuses, ready):
    assert is_ready_to_progress([result(s) for s in statuses]) is ready


@pytest.mark.parametrize(("status", "met"), [("met", True), ("not_met", False), ("unknown", None)])
def test_criterion_result_met_is_true_false_or_none(status, met):
    assert result(status).met is met


@pytest.mark.parametrize(
    ("phase", "following"),
    [
        (Phase.NORMALISE, Phase.REBUILD),
        (Phase.REBUILD, Phase.INTEGRATE),
        (Phase.INTEGRATE, Phase.DISCHARGED),
    ],
)
def test_next_phase(phase, following):
    assert next_phase(phase) == following


@pytest.mark.parametrize("phase", [Phase.DISCHARGED, "unknown"])
def test_next_phase_refuses_a_phase_with_no_successor(phase):
    with pytest.raises(ValueError):
        next_phase(phase)


@pytest.mark.parametrize(
    ("phase", "suggestion"),
    [
        (Phase.NORMALISE, "Rebuild"),
        (Phase.REBUILD, "Integrate"),
        (Phase.INTEGRATE, "discharge"),
    ],
)
def test_readiness_finding_suggests_the_next_phase(phase, suggestion):
    finding = readiness_finding(phase, [result("met"), result("met")])
    assert finding.code == "ready_to_progress"
    assert finding.severity == "info"
    assert suggestion in finding.message
    assert finding.advice == FLAG_KINDS["ready_to_progress"].advice


def test_readiness_finding_for_integrate_does_not_name_a_phase():
    message = readiness_finding(Phase.INTEGRATE, [result("met")]).message
    assert "Rebuild" not in message
    assert "Normalise" not in message


@pytest.mark.parametrize("statuses", [["met", "unknown"], ["met", "not_met"], []])
def test_no_readiness_finding_unless_every_criterion_is_met(statuses):
    assert readiness_finding(Phase.NORMALISE, [result(s) for s in statuses]) is None


def test_no_readiness_finding_for_a_discharged_patient():
    assert readiness_finding(Phase.DISCHARGED, [result("met")]) is None


# Criterion validation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("measure", "comparator"),
    [("activity_pain", "<"), ("standing_tolerance", ">=")],
)
def test_criterion_rejects_unknown_codes(measure, comparator):
    with pytest.raises(ValueError):
        Criterion(measure, comparator, 4)


@pytest.mark.parametrize("threshold", [4.5, "4", True])
def test_criterion_threshold_must_be_an_int(threshold):
    with pytest.raises(TypeError):
        Criterion(MeasureCode.ACTIVITY_PAIN, Comparator.AT_MOST, threshold)


# Evidence: only the current phase, and a visit in the last 4 weeks (DESIGN 4.1)


def test_a_visit_on_the_day_the_phase_started_is_evidence():
    assert one(ACTIVITY_AT_MOST_4, [entry(10, activity=3)], as_of_day=20, phase_start_day=10).met is True


def test_a_visit_the_day_before_the_phase_started_is_not_evidence():
    r = one(ACTIVITY_AT_MOST_4, [entry(9, activity=3)], as_of_day=20, phase_start_day=10)
    assert (r.status, r.value) == ("unknown", None)
    assert r.reason == "no visit since entering this phase"


def test_a_missing_value_does_not_fall_back_to_a_visit_of_the_previous_phase():
    visits = [entry(8, standing_tolerance_min=25), entry(12, activity=3)]
    assert one(STANDING_AT_LEAST_20, visits, as_of_day=20, phase_start_day=10).status == "unknown"
    assert one(STANDING_AT_LEAST_20, visits, as_of_day=20, phase_start_day=8).met is True


def test_a_latest_visit_28_days_before_as_of_is_evidence():
    r = one(ACTIVITY_AT_MOST_4, [entry(10, activity=3)], as_of_day=38)
    assert (r.met, r.reason) == (True, "")


def test_a_latest_visit_29_days_before_as_of_makes_every_criterion_unknown():
    visits = [entry(10, activity=3, standing_tolerance_min=25)]
    results = evaluate_criteria(DEFAULT_EXIT_CRITERIA[Phase.NORMALISE], visits, as_of=day(39), phase_start=START)
    assert [r.status for r in results] == ["unknown", "unknown"]
    assert {r.reason for r in results} == {"no visit in the last 4 weeks"}
    assert not is_ready_to_progress(results)


def test_a_recent_self_report_does_not_count_as_a_visit_in_the_last_4_weeks():
    r = one(ACTIVITY_AT_MOST_4, [entry(0, activity=3), self_report(30, activity=2)], as_of_day=29)
    assert (r.status, r.reason) == ("unknown", "no visit in the last 4 weeks")


def test_no_visit_at_all_gives_no_reason():
    assert one(ACTIVITY_AT_MOST_4, []).reason == ""


# Safety first: readiness waits for open, unacknowledged red flags ---------------


def all_met():
    return evaluate_criteria(
        DEFAULT_EXIT_CRITERIA[Phase.NORMALISE], [entry(0, activity=4, standing_tolerance_min=20)],
        as_of=day(0), phase_start=START,
    )


@pytest.mark.parametrize("severity", ["emergency", "same_day", "urgent"])
def test_an_unacknowledged_emergency_same_day_or_urgent_flag_holds_readiness(severity):
    assert not is_ready_to_progress(all_met(), unacknowledged=[severity])
    assert readiness_finding(Phase.NORMALISE, all_met(), unacknowledged=["info", severity]) is None


@pytest.mark.parametrize("severity", ["review", "info"])
def test_an_unacknowledged_review_or_info_flag_does_not_hold_readiness(severity):
    assert is_ready_to_progress(all_met(), unacknowledged=[severity])
    assert readiness_finding(Phase.NORMALISE, all_met(), unacknowledged=[severity]).code == "ready_to_progress"
