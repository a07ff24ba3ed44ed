"""Kinetic's clinical rules: plain functions over plain data, no ORM.

Callers gather entries into :class:`Entry` objects, pass an explicit
``as_of`` date, and store the :class:`Finding` and :class:`CriterionResult`
values that come back.
"""

from .criteria import (
    Evidence,
    criteria_evidence,
    evaluate_criteria,
    is_ready_to_progress,
    judge_criteria,
    measure_value,
    next_phase,
    readiness_finding,
    readiness_held,
)
from .data import (
    Criterion,
    CriterionResult,
    Entry,
    Finding,
    OutcomeScore,
    PainScore,
    activity_pain,
    rest_pain,
)
from .progress import (
    ProgressVisits,
    is_meaningful_improvement,
    plateau_finding,
    plateau_from,
    progress_visits,
    regression_finding,
    regression_from,
)
from .red_flags import entry_findings

__all__ = [
    "Criterion",
    "Evidence",
    "ProgressVisits",
    "CriterionResult",
    "Entry",
    "Finding",
    "OutcomeScore",
    "PainScore",
    "activity_pain",
    "criteria_evidence",
    "entry_findings",
    "evaluate_criteria",
    "is_meaningful_improvement",
    "is_ready_to_progress",
    "judge_criteria",
    "measure_value",
    "next_phase",
    "plateau_finding",
    "plateau_from",
    "progress_visits",
    "readiness_finding",
    "readiness_held",
    "regression_finding",
    "regression_from",
    "rest_pain",
]
