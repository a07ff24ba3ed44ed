"""When outcome measures are due (DESIGN.md §9), and what a change means.

Pure functions on dates. A measure (a questionnaire or a performance test) is
due at baseline — the first visit, or the programme start before any visit —
then every 28 days in the programme, and at discharge.

An occasion falls due on its day and is *overdue* more than
``OVERDUE_AFTER_DAYS`` days later. It is met by a measurement dated no more
than ``EARLY_DAYS`` days before its due day or any time after it, so a
measure taken at a visit a few days early counts. Only the latest occasion
that has fallen due matters: an occasion missed is not chased once the next
one is due. Once discharged, nothing more is due; the discharge occasion is
judged by `missing_at_discharge` (the discharge form asks for it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

INTERVAL_DAYS = 28
EARLY_DAYS = 7
OVERDUE_AFTER_DAYS = 7
# A measurement this many days before the discharge day, or on it, is its final measure.
DISCHARGE_WINDOW_DAYS = 7

UP_TO_DATE = "up_to_date"
DUE = "due"
OVERDUE = "overdue"
NOT_SCHEDULED = "not_scheduled"  # discharged: the schedule has ended

BASELINE = "baseline"


@dataclass(frozen=True)
class ScheduleStatus:
    status: str  # UP_TO_DATE, DUE, OVERDUE or NOT_SCHEDULED
    occasion: str  # "baseline", "day 28", "day 56", ... of the current or next occasion
    due_on: dt.date | None  # the day the current (or, when up to date, the next) occasion falls due
    last_taken: dt.date | None

    @property
    def is_due(self) -> bool:
        return self.status in (DUE, OVERDUE)


def schedule_anchor(*, first_visit: dt.date | None, programme_start: dt.date) -> dt.date:
    """Day 0 of the schedule: the first visit (baseline), or the programme
    start while there is none."""
    return first_visit or programme_start


def outcome_status(taken: Iterable[dt.date], *, anchor: dt.date, as_of: dt.date,
                   active: bool = True) -> ScheduleStatus:
    """Whether one measure is up to date, due or overdue on ``as_of``.

    ``taken``: the dates the measure was recorded (any order; later than
    ``as_of`` ignored). ``anchor``: day 0 (`schedule_anchor`).
    """
    dates = sorted(d for d in taken if d <= as_of)
    last = dates[-1] if dates else None
    if not active:
        return ScheduleStatus(NOT_SCHEDULED, "", None, last)
    if as_of < anchor:
        return ScheduleStatus(UP_TO_DATE if last else DUE, BASELINE, anchor, last)
    number = (as_of - anchor).days // INTERVAL_DAYS  # the latest occasion that has fallen due
    due_on = anchor + dt.timedelta(days=number * INTERVAL_DAYS)
    if last is not None and last >= due_on - dt.timedelta(days=EARLY_DAYS):
        following = number + 1
        return ScheduleStatus(UP_TO_DATE, _occasion(following),
                              anchor + dt.timedelta(days=following * INTERVAL_DAYS), last)
    late = (as_of - due_on).days > OVERDUE_AFTER_DAYS
    return ScheduleStatus(OVERDUE if late else DUE, _occasion(number), due_on, last)


def _occasion(number: int) -> str:
    return BASELINE if number == 0 else f"day {number * INTERVAL_DAYS}"


def missing_at_discharge(taken: Mapping[str, Iterable[dt.date]], *, discharge_on: dt.date) -> list[str]:
    """The measures (keys of ``taken``) with no measurement in the
    ``DISCHARGE_WINDOW_DAYS`` days up to ``discharge_on``: what the discharge
    form asks for."""
    window_start = discharge_on - dt.timedelta(days=DISCHARGE_WINDOW_DAYS)
    return [
        measure for measure, dates in taken.items()
        if not any(window_start <= d <= discharge_on for d in dates)
    ]


def change_is_real(baseline, latest, threshold, *, meaningful=False) -> bool:
    """Whether the change from baseline counts, in either direction (DESIGN
    9): a performance test's when it exceeds the minimal detectable change
    ``threshold``; a questionnaire's (``meaningful``) when it reaches the
    meaningful change, as "a meaningful change of 2 points" means."""
    if baseline is None or latest is None or threshold is None:
        return False
    change, threshold = abs(Decimal(str(latest)) - Decimal(str(baseline))), Decimal(str(threshold))
    return change >= threshold if meaningful else change > threshold
