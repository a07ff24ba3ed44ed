"""Exit criteria and readiness to progress (DESIGN.md 4.1).

The physio decides; these functions only say what the evidence shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from content.codes import PHASE_ORDER, Phase
from content.flag_kinds import FLAG_KINDS, FlagCode, Severity
from content.measures import OUTCOME_MEASURES, MeasureCode

from .data import (
    MET,
    NOT_MET,
    UNKNOWN,
    Criterion,
    CriterionResult,
    Entry,
    Finding,
    OutcomeScore,
    activity_pain,
    rest_pain,
)

# A value missing at the latest visit may come from a visit this many days
# before it, inclusive: older evidence no longer describes the patient.
FALLBACK_DAYS = 14
# The latest visit must be this recent: a patient not seen for four weeks has
# no current evidence, whatever the last visit showed.
EVIDENCE_MAX_AGE_DAYS = 28
NO_RECENT_VISIT = "no visit in the last 4 weeks"
NO_VISIT_IN_PHASE = "no visit since entering this phase"

# Safety first, progression after: an open, unacknowledged flag of these
# severities holds back ready_to_progress (DESIGN 4.1).
READINESS_HELD_BY = frozenset({Severity.EMERGENCY, Severity.SAME_DAY, Severity.URGENT})

def measure_value(entry: Entry, measure: str) -> int | bool | None:
    """The value of a criterion measure in one entry, or None if not recorded."""
    if measure == MeasureCode.ACTIVITY_PAIN:
        return activity_pain(entry)
    if measure == MeasureCode.REST_PAIN:
        return rest_pain(entry)
    return entry.measures.get(measure)


@dataclass(frozen=True)
class Evidence:
    """What the exit criteria are judged on (DESIGN 4.1), reduced from the
    visits: the one shape both the whole record (``criteria_evidence``) and
    the sweep's database summary give.

    ``latest`` is the latest visit in the current phase on or before
    ``as_of`` when it is recent enough (None otherwise, with ``reason``);
    ``values`` maps a measure to (value, date, entry id) of the latest visit
    in the fallback window holding it.
    """

    latest: dt.date | None = None
    reason: str = ""
    values: Mapping[str, tuple] = field(default_factory=dict)

    @classmethod
    def of(cls, *, latest_in_phase: dt.date | None, latest_any: dt.date | None, values: Mapping[str, tuple],
           as_of: dt.date) -> Evidence:
        """The evidence, given the latest visit in the phase, the latest visit
        of any phase (both on or before ``as_of``) and the values of the
        fallback window ending at the first."""
        if latest_in_phase is not None:
            if (as_of - latest_in_phase).days > EVIDENCE_MAX_AGE_DAYS:
                return cls(reason=NO_RECENT_VISIT)
            return cls(latest=latest_in_phase, values=values)
        if latest_any is None:
            return cls()
        recent = (as_of - latest_any).days <= EVIDENCE_MAX_AGE_DAYS
        return cls(reason=NO_VISIT_IN_PHASE if recent else NO_RECENT_VISIT)


def criteria_evidence(entries: Iterable[Entry], *, as_of: dt.date, phase_start: dt.date,
                      measures: Iterable[str]) -> Evidence:
    """The evidence for criteria on ``measures`` in a record's entries.

    Only visits count: a self-report is the patient's word, not a measurement.
    Only visits in the current phase count, dated on or after ``phase_start``
    (the day the patient entered it). The latest visit must be at most
    ``EVIDENCE_MAX_AGE_DAYS`` before ``as_of``; otherwise every criterion is
    unknown. A value missing at the latest visit is taken from the most
    recent earlier visit at most ``FALLBACK_DAYS`` before it. Visits on the
    same date keep the order they were given in, the last being the latest.
    """
    entries = list(entries)
    visits = sorted(
        (e for e in entries if e.is_visit and phase_start <= e.date <= as_of), key=lambda e: e.date
    )
    latest_any = max((e.date for e in entries if e.is_visit and e.date <= as_of), default=None)
    values = {}
    if visits:
        window_start = visits[-1].date - dt.timedelta(days=FALLBACK_DAYS)
        # Latest first, so the first visit holding a value is the one to use.
        candidates = [v for v in reversed(visits) if v.date >= window_start]
        for measure in measures:
            if measure in OUTCOME_MEASURES:
                continue
            value, visit = next(((measure_value(v, measure), v) for v in candidates
                                 if measure_value(v, measure) is not None), (None, None))
            if visit is not None:
                values[measure] = (value, visit.date, visit.id)
    return Evidence.of(latest_in_phase=visits[-1].date if visits else None, latest_any=latest_any,
                       values=values, as_of=as_of)


def evaluate_criteria(
    criteria: Iterable[Criterion], entries: Iterable[Entry], *, as_of: dt.date, phase_start: dt.date,
    outcomes: Iterable[OutcomeScore] = (),
) -> list[CriterionResult]:
    """Judge each criterion on the latest visit on or before ``as_of``
    (``criteria_evidence`` says which visits count)."""
    criteria = list(criteria)
    evidence = criteria_evidence(entries, as_of=as_of, phase_start=phase_start,
                                 measures={c.measure for c in criteria if not c.reads_outcome})
    return judge_criteria(criteria, evidence, as_of=as_of, phase_start=phase_start, outcomes=outcomes)


def judge_criteria(criteria: Iterable[Criterion], evidence: Evidence, *, as_of: dt.date, phase_start: dt.date,
                   outcomes: Iterable[OutcomeScore] = ()) -> list[CriterionResult]:
    """Judge each criterion on the evidence.

    A criterion on a questionnaire score (DESIGN 9: a seeded instrument's
    measure code, or a questionnaire the clinic added) reads ``outcomes`` under
    the same rules: the latest score of that instrument dated in the current
    phase, from ``FALLBACK_DAYS`` before the latest visit up to ``as_of``
    (a patient answers on the portal between visits), and unknown whenever
    the visits are (no visit in the last 4 weeks, none in this phase).
    """
    if evidence.latest is not None:
        window_start = evidence.latest - dt.timedelta(days=FALLBACK_DAYS)
        scores = sorted(
            (o for o in outcomes if max(window_start, phase_start) <= o.date <= as_of), key=lambda o: o.date,
        )
    else:
        scores = []
    return [
        _judge_outcome(criterion, scores, evidence.reason) if criterion.reads_outcome
        else _judge(criterion, evidence)
        for criterion in criteria
    ]


def _judge_outcome(criterion: Criterion, scores: Sequence[OutcomeScore], reason: str) -> CriterionResult:
    latest = next((o for o in reversed(scores) if o.instrument == criterion.measure), None)
    if latest is None:
        return CriterionResult(measure=criterion.measure, comparator=criterion.comparator,
                               threshold=criterion.threshold, value=None, evidence_date=None,
                               status=UNKNOWN, reason=reason, questionnaire=criterion.questionnaire)
    return CriterionResult(
        measure=criterion.measure, comparator=criterion.comparator, threshold=criterion.threshold,
        value=latest.score, evidence_date=latest.date,
        status=MET if criterion.is_met_by(latest.score) else NOT_MET, questionnaire=criterion.questionnaire,
    )


def _judge(criterion: Criterion, evidence: Evidence) -> CriterionResult:
    found = evidence.values.get(criterion.measure)
    if found is not None:
        value, date, entry_id = found
        return CriterionResult(
            measure=criterion.measure,
            comparator=criterion.comparator,
            threshold=criterion.threshold,
            value=value,
            evidence_date=date,
            status=MET if criterion.is_met_by(value) else NOT_MET,
            evidence_entry_id=entry_id,
        )
    return CriterionResult(
        measure=criterion.measure,
        comparator=criterion.comparator,
        threshold=criterion.threshold,
        value=None,
        evidence_date=None,
        status=UNKNOWN,
        reason=evidence.reason,
    )


def is_ready_to_progress(results: Sequence[CriterionResult], *, unacknowledged: Iterable[str] = ()) -> bool:
    """True when there is at least one criterion and every one is met, and
    no open, unacknowledged flag holds readiness back.

    ``unacknowledged`` holds the severities of the patient's open,
    unacknowledged flags.
    """
    if readiness_held(unacknowledged):
        return False
    return bool(results) and all(r.status == MET for r in results)


def readiness_held(unacknowledged: Iterable[str]) -> bool:
    """Whether any of these severities (of open, unacknowledged flags) holds readiness back."""
    return any(severity in READINESS_HELD_BY for severity in unacknowledged)


def next_phase(phase: str) -> str:
    """The phase after ``phase``; after Integrate comes discharge."""
    if phase not in PHASE_ORDER:
        raise ValueError(f"{phase!r} has no next phase")
    index = PHASE_ORDER.index(phase)
    if index + 1 == len(PHASE_ORDER):
        return Phase.DISCHARGED
    return PHASE_ORDER[index + 1]


def readiness_finding(
    phase: str, results: Sequence[CriterionResult], *, unacknowledged: Iterable[str] = ()
) -> Finding | None:
    """A ``ready_to_progress`` finding when every exit criterion is met and no
    open, unacknowledged emergency, same-day or urgent flag holds it back."""
    if phase not in PHASE_ORDER or not is_ready_to_progress(results, unacknowledged=unacknowledged):
        return None
    suggested = next_phase(phase)
    if suggested == Phase.DISCHARGED:
        suggestion = "suggest discharge"
    else:
        suggestion = f"suggest progressing to {Phase(suggested).label}"
    count = len(results)
    criteria_word = "criterion" if count == 1 else "criteria"
    kind = FLAG_KINDS[FlagCode.READY_TO_PROGRESS]
    return Finding(
        code=kind.code,
        severity=kind.severity,
        message=(f"All {count} {Phase(phase).label} exit {criteria_word} met; {suggestion}."),
        advice=kind.advice,
    )
