"""Progress flags raised by the periodic sweep (DESIGN.md 4.3).

Both rules read back/hip pain on activity at supervised visits since the
programme started; self-reports and knee or thigh scores do not count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from content.codes import BACK_HIP_LOCATIONS, Location
from content.flag_kinds import FLAG_KINDS, FlagCode

from .data import Entry, Finding, activity_pain

# Most patients improve meaningfully within 8-16 weeks; no meaningful change
# after 12 weeks of supervised rehab needs a comprehensive review.
PLATEAU_MIN_DAYS = 84
# Pain at or below this is a good outcome, whatever the baseline was.
PLATEAU_MAX_ACCEPTABLE_PAIN = 2
# A rise of this much over the best earlier score is a real worsening, not noise.
REGRESSION_RISE = 2

HIP_XRAY_ADVICE = "Consider a hip X-ray to rule out hip joint involvement."


def programme_visits(entries: Iterable[Entry], *, programme_start: dt.date, as_of: dt.date) -> list[Entry]:
    """Visits in the programme up to ``as_of`` that have activity pain, oldest first."""
    visits = [
        e
        for e in entries
        if e.is_visit and programme_start <= e.date <= as_of and activity_pain(e) is not None
    ]
    return sorted(visits, key=lambda e: e.date)


def is_meaningful_improvement(baseline: int, current: int) -> bool:
    """A fall of at least 2 points, or of at least 30 % of the baseline.

    Compared in integers (10 x fall >= 3 x baseline) so that no rounding can
    move the boundary.
    """
    fall = baseline - current
    return fall > 0 and (fall >= 2 or 10 * fall >= 3 * baseline)


@dataclass(frozen=True)
class ProgressVisits:
    """What plateau and regression read from the programme's visits with
    activity pain up to ``as_of`` (oldest first): the one shape both the
    whole record (``progress_visits``) and the sweep's database summary give.

    ``at_acknowledgement`` is the activity pain of the latest of those
    visits on or before the day an open regression was acknowledged;
    ``current_hip_worst`` says whether ``anterior_hip`` is among the worst
    back/hip locations (any context) of the current visit.
    """

    count: int = 0
    baseline: int | None = None
    current: int | None = None
    current_date: dt.date | None = None
    lowest_earlier: int | None = None
    at_acknowledgement: int | None = None
    current_hip_worst: bool = False


def progress_visits(entries: Iterable[Entry], *, programme_start: dt.date, as_of: dt.date,
                    acknowledged_on: dt.date | None = None) -> ProgressVisits:
    """The programme's visits with activity pain, reduced to what the rules compare."""
    visits = programme_visits(entries, programme_start=programme_start, as_of=as_of)
    if not visits:
        return ProgressVisits()
    seen = [v for v in visits if acknowledged_on is not None and v.date <= acknowledged_on]
    return ProgressVisits(
        count=len(visits),
        baseline=activity_pain(visits[0]),
        current=activity_pain(visits[-1]),
        current_date=visits[-1].date,
        lowest_earlier=min((activity_pain(v) for v in visits[:-1]), default=None),
        at_acknowledgement=activity_pain(seen[-1]) if seen else None,
        current_hip_worst=Location.ANTERIOR_HIP in worst_back_hip_locations(visits[-1]),
    )


def plateau_finding(
    entries: Iterable[Entry],
    *,
    programme_start: dt.date,
    is_active: bool,
    as_of: dt.date,
) -> Finding | None:
    """``plateau_12w`` when pain has not improved meaningfully after 12 weeks."""
    visits = progress_visits(entries, programme_start=programme_start, as_of=as_of)
    return plateau_from(visits, programme_start=programme_start, is_active=is_active, as_of=as_of)


def plateau_from(visits: ProgressVisits, *, programme_start: dt.date, is_active: bool,
                 as_of: dt.date) -> Finding | None:
    """``plateau_finding`` on the reduced visits."""
    days = (as_of - programme_start).days
    if not is_active or days < PLATEAU_MIN_DAYS:
        return None
    if visits.count < 2:
        return None
    baseline, current = visits.baseline, visits.current
    if current <= PLATEAU_MAX_ACCEPTABLE_PAIN:
        return None
    if is_meaningful_improvement(baseline, current):
        return None
    kind = FLAG_KINDS[FlagCode.PLATEAU_12W]
    advice = kind.advice
    if visits.current_hip_worst:
        advice = f"{advice} {HIP_XRAY_ADVICE}"
    return Finding(
        code=kind.code,
        severity=kind.severity,
        message=(
            f"Activity pain {current}/10 after {days // 7} weeks in the programme "
            f"(baseline {baseline}/10): no meaningful improvement."
        ),
        advice=advice,
    )


def worst_back_hip_locations(entry: Entry) -> frozenset[str]:
    """The back/hip locations holding the entry's highest score, any context.

    Ties count: every location sharing the highest score is returned.
    """
    scores = [p for p in entry.pain if p.location in BACK_HIP_LOCATIONS]
    if not scores:
        return frozenset()
    worst = max(p.score for p in scores)
    return frozenset(p.location for p in scores if p.score == worst)


def regression_finding(
    entries: Iterable[Entry],
    *,
    programme_start: dt.date,
    is_active: bool,
    as_of: dt.date,
    acknowledged_on: dt.date | None = None,
) -> Finding | None:
    """``pain_regression`` when current pain is 2 or more above the best earlier visit.

    ``acknowledged_on`` is the clinic date an open ``pain_regression`` was
    acknowledged, if it was. It stays quiet while pain holds; when current
    pain is 2 or more above the activity pain of the latest visit on or before
    that date, the finding ``renews`` it: the acknowledged flag closes and a
    new one is raised (DESIGN 4.3).
    """
    visits = progress_visits(entries, programme_start=programme_start, as_of=as_of, acknowledged_on=acknowledged_on)
    return regression_from(visits, programme_start=programme_start, is_active=is_active,
                           acknowledged_on=acknowledged_on)


def regression_from(visits: ProgressVisits, *, programme_start: dt.date, is_active: bool,
                    acknowledged_on: dt.date | None = None) -> Finding | None:
    """``regression_finding`` on the reduced visits (reduced with the same ``acknowledged_on``)."""
    if not is_active or visits.count < 2:
        return None
    baseline, current, lowest_earlier = visits.baseline, visits.current, visits.lowest_earlier
    if current < lowest_earlier + REGRESSION_RISE:
        return None
    weeks = (visits.current_date - programme_start).days // 7
    kind = FLAG_KINDS[FlagCode.PAIN_REGRESSION]
    if acknowledged_on is not None:
        at_acknowledgement = visits.at_acknowledgement
        if at_acknowledgement is not None and current >= at_acknowledgement + REGRESSION_RISE:
            return Finding(
                code=kind.code,
                severity=kind.severity,
                message=(
                    f"Activity pain {current}/10 at week {weeks}, up from {at_acknowledgement}/10 when the "
                    f"earlier regression was acknowledged on {acknowledged_on}: still getting worse "
                    f"(baseline {baseline}/10)."
                ),
                advice=kind.advice,
                renews=True,
            )
    return Finding(
        code=kind.code,
        severity=kind.severity,
        message=(
            f"Activity pain {current}/10 at week {weeks}, up from a lowest of "
            f"{lowest_earlier}/10 earlier in the programme (baseline {baseline}/10)."
        ),
        advice=kind.advice,
    )
