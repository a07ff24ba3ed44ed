"""Recording questionnaire administrations (DESIGN.md §9): the one write path
for the staff form, the portal and the import.

    record_outcome(patient=..., instrument=..., date=..., by="staff",
                   answers=[...] | activities=[...], entered_by=user)

validates (the date rule of entries, the instrument belongs to the
patient's clinic, one administration per instrument a day, answers through
content.scoring.score_answers, a re-rated PSFS names the same activities as
the first) and writes one OutcomeAdministration, or raises OutcomeError and
writes nothing. The staff form and the portal call it through
rehab.entries.outcome_record, which reconciles the patient's flags in the
same transaction (an exit criterion can read the score).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction

from content.instruments import Instrument
from content.scoring import ScoringError, score_answers
from patients.models import AnsweredBy, Entry, OutcomeAdministration, Patient, User


class OutcomeError(ValueError):
    """Why an administration cannot be recorded: `problems` is [(where, message)]
    where `where` is "date", "instrument", "by", "activities" (not the same as
    the first time), an answer index (int), (activity index, "activity" or
    "score"), or None (content.scoring.ScoringError)."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(message for _, message in self.problems))

    @property
    def messages(self) -> list[str]:
        return [message for _, message in self.problems]


def baseline_activities(patient: Patient, instrument: Instrument) -> list[str]:
    """The activities the patient named the first time they answered this
    (patient-named) instrument; later administrations re-rate these ([] if none yet)."""
    first = (
        OutcomeAdministration.objects.filter(patient=patient, instrument=instrument)
        .order_by("date", "created_at").values_list("activities", flat=True).first()
    )
    return [row["activity"] for row in first or []]


def record_outcome(*, patient: Patient, instrument: Instrument, date, by: str,
                   answers: Sequence | None = None, activities: Sequence | None = None,
                   entered_by: User | None = None) -> OutcomeAdministration:
    problems = []
    if instrument.clinic_id != patient.clinic_id:
        problems.append(("instrument", "This questionnaire is not one of the patient's clinic."))
    if by not in AnsweredBy.values:
        problems.append(("by", f"“{by}” is not who answered: patient or staff."))
    message = Entry.date_error(date, patient=patient)
    if message:
        problems.append(("date", message))
    if problems:
        raise OutcomeError(problems)
    spec = instrument.spec()
    try:
        scored = score_answers(spec, answers=answers, activities=activities)
    except ScoringError as error:
        raise OutcomeError(error.problems) from None
    named = []
    if spec.patient_named_items:
        named = [{"activity": str(row["activity"]).strip(), "score": row["score"]} for row in _rows(activities)]
        before = baseline_activities(patient, instrument)
        if before and [a.casefold() for a in before] != [r["activity"].casefold() for r in named]:
            raise OutcomeError([("activities", (
                "Re-rate the same activities as the first time, in the same order: " + "; ".join(before) + "."
            ))])
    if OutcomeAdministration.objects.filter(patient=patient, instrument=instrument, date=date).exists():
        raise OutcomeError([("date", f"{instrument.name} is already recorded on {date:%d %b %Y}.")])
    try:
        with transaction.atomic():
            return OutcomeAdministration.objects.create(
                patient=patient, instrument=instrument, date=date, by=by,
                answers=[] if spec.patient_named_items else list(answers), activities=named,
                raw=scored.raw, score=scored.score, entered_by=entered_by,
            )
    except IntegrityError:
        # A second submission raced this one past the check above.
        raise OutcomeError([("date", f"{instrument.name} is already recorded on {date:%d %b %Y}.")]) from None


def _rows(activities):
    for row in activities or ():
        if isinstance(row, dict):
            yield row
        elif hasattr(row, "activity"):
            yield {"activity": row.activity, "score": row.score}
        else:
            name, value = row
            yield {"activity": name, "score": value}
