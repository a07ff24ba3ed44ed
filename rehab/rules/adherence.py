"""Adherence to the home exercise plan (DESIGN.md 9): plain dates in, figures out.

Adherence over a window = days with at least one exercise marked ÷ days in
the window. The window is the last 7 (or 28) days up to and including
``as_of``, or the days since the plan started when that is shorter. Every
mark counts, whatever its status: "too hard" and "it hurt" say how the
exercise went, not that it was skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from content.flag_kinds import FlagCode

WEEK = 7
FOUR_WEEKS = 28
# DESIGN 9: below half of the days over the last 28, a plateau may be the
# programme not being done rather than the programme not working.
LOW_ADHERENCE = 0.5

LOW_ADHERENCE_ADVICE = (
    "Adherence over the last 28 days is {percent} % ({days_done} of {days} days with exercises done): "
    "check adherence before escalating."
)


@dataclass(frozen=True)
class Adherence:
    """Days with exercises done out of the days in one window."""

    days_done: int
    days: int
    start: dt.date  # the window's first day (the plan's start when it is later)
    shortened: bool  # the plan started inside the window

    @property
    def rate(self) -> float:
        return self.days_done / self.days

    @property
    def percent(self) -> int:
        """Rounded to a whole percent, half up (so 1 of 2 days is 50, never 49)."""
        return (200 * self.days_done + self.days) // (2 * self.days)

    @property
    def is_low(self) -> bool:
        return self.days_done < LOW_ADHERENCE * self.days


def adherence_over(done_days: Iterable[dt.date], *, plan_start: dt.date | None, as_of: dt.date,
                   days: int) -> Adherence | None:
    """Adherence over the `days` up to `as_of`, shortened to start at
    `plan_start`; None when the plan has not started by `as_of` (or has no start)."""
    if plan_start is None or plan_start > as_of:
        return None
    start = as_of - dt.timedelta(days=days - 1)
    shortened = plan_start > start
    start = max(start, plan_start)
    done = {day for day in done_days if start <= day <= as_of}
    return Adherence(days_done=len(done), days=(as_of - start).days + 1, start=start, shortened=shortened)


def plan_start(*, programme_start: dt.date, first_planned: dt.date | None,
               first_marked: dt.date | None, first_link: dt.date | None) -> dt.date | None:
    """The first day the patient could tick their plan, from what the record
    holds; None when they cannot yet (no portal link and no mark).

    The programme start, since a patient starts the programme with a plan;
    or, when later, the day Kinetic first gave the patient a plan
    (`first_planned`, from the plan's history: registered after the
    programme started, the patient could tick nothing before), or their first
    portal link (`first_link`: the portal is where they tick). Marks from
    before those days (a history imported from elsewhere) mean the plan was
    there all along. Never later than the first mark.
    """
    if first_link is None and first_marked is None:
        return None
    start = programme_start
    for opened in (first_planned, first_link):
        imported_before = first_marked is not None and opened is not None and first_marked < opened
        if opened is not None and opened > start and not imported_before:
            start = opened
    if first_marked is not None and first_marked < start:
        start = first_marked
    return start


def flag_advice(code: str, advice: str, adherence_28d: Adherence | None) -> str:
    """A flag's advice as the physio reads it: a plateau with low adherence
    over the last 28 days says so (DESIGN 9)."""
    if code != FlagCode.PLATEAU_12W or adherence_28d is None or not adherence_28d.is_low:
        return advice
    note = LOW_ADHERENCE_ADVICE.format(percent=adherence_28d.percent, days_done=adherence_28d.days_done,
                                       days=adherence_28d.days)
    return f"{note} {advice}"
