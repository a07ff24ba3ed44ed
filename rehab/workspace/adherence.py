"""The adherence panel of the patient page (DESIGN 9): the 7- and 28-day
figures, the last week's marks day by day, and the "too hard" / "it hurt"
marks of the last 28 days. Built from the engine's reads
(rehab.adherence); the template queries nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from content.codes import MARK_STATUSES, MarkStatus
from patients.models import Patient
from rehab.adherence import PatientAdherence, flag_advice, patient_marks
from rehab.rules.adherence import FOUR_WEEKS, WEEK


@dataclass(frozen=True)
class Mark:
    date: dt.date
    exercise: str
    status: MarkStatus


@dataclass(frozen=True)
class MarkedDay:
    date: dt.date
    marks: list[Mark]


def adherence_panel_context(patient: Patient, adherence: PatientAdherence, *, as_of: dt.date) -> dict:
    """What templates/rehab/includes/adherence_panel.html shows, under one key."""
    marks = [
        Mark(date=m.date, exercise=m.exercise.name, status=MARK_STATUSES[m.status])
        for m in patient_marks(patient, since=as_of - dt.timedelta(days=FOUR_WEEKS - 1), until=as_of)
    ]
    by_day = defaultdict(list)
    for mark in marks:
        by_day[mark.date].append(mark)
    week = [as_of - dt.timedelta(days=n) for n in range(WEEK)]
    return {
        "adherence_panel": {
            "last_7": adherence.last_7,
            "last_28": adherence.last_28,
            "plan_start": adherence.plan_start,
            "days": [MarkedDay(date=day, marks=by_day.get(day, [])) for day in week
                     if adherence.plan_start is not None and day >= adherence.plan_start],
            "concerns": [mark for mark in marks if mark.status.concern],
        }
    }


def flags_with_advice(flags, adherence: PatientAdherence) -> None:
    """Give each flag the advice the physio reads now (`shown_advice`)."""
    for flag in flags:
        flag.shown_advice = flag_advice(flag, adherence)
