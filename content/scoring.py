"""Scoring a questionnaire administration (DESIGN.md §9): one pure function
on plain data, for the portal, the staff form, the import and the tests.

`score_answers(spec, answers=...)` for an instrument with fixed items,
`score_answers(spec, activities=...)` for one whose activities the patient
names (PSFS). Bad input raises `ScoringError` whose `problems` say what is
wrong, item by item, in words a physio or a patient can act on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from django.db import models

# Scores are kept to three decimal places (a conversion table's precision);
# a mean is rounded half up to two.
MEAN_PLACES = Decimal("0.01")


class ScoringMethod(models.TextChoices):
    MEAN = "mean", "Mean of the answers"
    SUM = "sum", "Sum of the answers (raw score)"
    TABLE = "table", "Sum converted by a conversion table"


@dataclass(frozen=True)
class InstrumentSpec:
    """An instrument as the scoring reads it (content.instruments.Instrument.spec())."""

    code: str
    name: str
    scoring: str
    items: tuple[str, ...] = ()  # the item texts, in order; empty when the patient names them
    options: tuple[int, ...] = ()  # the values an answer may take, ascending
    patient_named_items: bool = False
    min_items: int = 0
    max_items: int = 0
    table: Mapping[int, Decimal] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "table", MappingProxyType(dict(self.table)))
        object.__setattr__(self, "options", tuple(sorted(self.options)))

    @property
    def options_text(self) -> str:
        """“0 to 4”, or “0, 2 or 5” when the values are not consecutive."""
        values = self.options
        if not values:
            return "(no answer options set)"
        if list(values) == list(range(values[0], values[-1] + 1)):
            return f"{values[0]} to {values[-1]}"
        return ", ".join(str(v) for v in values[:-1]) + f" or {values[-1]}"

    def score_range(self) -> tuple[Decimal, Decimal] | None:
        """The lowest and highest score the instrument can give, or None while
        it cannot be scored yet (no answer options, no questions, no table):
        what an exit criterion's threshold is checked against."""
        counts = (self.min_items, self.max_items) if self.patient_named_items else (len(self.items),) * 2
        if not self.options or not counts[1]:
            return None
        low, high = self.options[0], self.options[-1]
        if self.scoring == ScoringMethod.TABLE:
            if not self.table:
                return None
            return Decimal(min(self.table.values())), Decimal(max(self.table.values()))
        if self.scoring == ScoringMethod.MEAN:
            return Decimal(low), Decimal(high)
        totals = [count * value for count in counts for value in (low, high)]
        return Decimal(min(totals)), Decimal(max(totals))


@dataclass(frozen=True)
class Scored:
    raw: int | None  # the sum of the answers; None for a patient-named mean (PSFS)
    score: Decimal


@dataclass(frozen=True)
class Activity:
    activity: str
    score: int


class ScoringError(ValueError):
    """What is wrong with the answers: `problems` is [(where, message)], where
    `where` is the 0-based answer index (int), (activity index, "activity" or
    "score") for a named activity, or None for the whole administration."""

    def __init__(self, problems: Sequence[tuple[int | None, str]]):
        self.problems = list(problems)
        super().__init__("; ".join(message for _, message in self.problems))

    @property
    def messages(self) -> list[str]:
        return [message for _, message in self.problems]


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def score_answers(spec: InstrumentSpec, *, answers: Sequence | None = None,
                  activities: Sequence | None = None) -> Scored:
    """Validate one administration's answers and score it."""
    if not spec.options:
        raise ScoringError([(None, f"{spec.name} has no answer options: a clinic admin must add them.")])
    if spec.patient_named_items:
        if answers:
            raise ScoringError([(None, f"{spec.name} is answered by naming and rating activities.")])
        values = _named_activity_scores(spec, activities or ())
    else:
        if activities:
            raise ScoringError([(None, f"{spec.name} has fixed questions: give one answer per question.")])
        values = _item_answers(spec, answers or ())
    total = sum(values)
    if spec.scoring == ScoringMethod.MEAN:
        mean = (Decimal(total) / len(values)).quantize(MEAN_PLACES, rounding=ROUND_HALF_UP)
        return Scored(raw=None if spec.patient_named_items else total, score=mean)
    if spec.scoring == ScoringMethod.SUM:
        return Scored(raw=total, score=Decimal(total))
    if spec.scoring == ScoringMethod.TABLE:
        if total not in spec.table:
            raise ScoringError([(None, (
                f"{spec.name}'s conversion table has no row for the raw score {total}: "
                "a clinic admin must complete the table."
            ))])
        return Scored(raw=total, score=Decimal(spec.table[total]))
    raise ScoringError([(None, f"{spec.name} has an unknown scoring method {spec.scoring!r}.")])


def _item_answers(spec: InstrumentSpec, answers: Sequence) -> list[int]:
    count = len(spec.items)
    if count == 0:
        raise ScoringError([(None, f"{spec.name} has no questions: a clinic admin must add them.")])
    if len(answers) != count:
        raise ScoringError([(None, (
            f"{spec.name} has {count} questions: {len(answers)} "
            f"{'answer was' if len(answers) == 1 else 'answers were'} given."
        ))])
    problems = []
    for index, value in enumerate(answers):
        if value is None:
            problems.append((index, f"Question {index + 1} is not answered."))
        elif not _is_whole(value) or value not in spec.options:
            problems.append((index, f"Question {index + 1}: the answer must be {spec.options_text}, not {value!r}."))
    if problems:
        raise ScoringError(problems)
    return list(answers)


def _named_activity_scores(spec: InstrumentSpec, activities: Sequence) -> list[int]:
    rows = [_activity(row) for row in activities]
    low, high = spec.min_items, spec.max_items
    if not low <= len(rows) <= high:
        raise ScoringError([(None, f"Name {low} to {high} activities: {len(rows)} given.")])
    problems, seen = [], set()
    for index, (name, value) in enumerate(rows):
        if not name:
            problems.append(((index, "activity"), f"Activity {index + 1} needs a name."))
        elif name.casefold() in seen:
            problems.append(((index, "activity"), f"“{name}” is listed twice."))
        seen.add(name.casefold())
        if value is None:
            problems.append(((index, "score"), f"Rate activity {index + 1} from {spec.options_text}."))
        elif not _is_whole(value) or value not in spec.options:
            problems.append(((index, "score"), f"Activity {index + 1} is rated {spec.options_text}, not {value!r}."))
    if problems:
        raise ScoringError(problems)
    return [value for _, value in rows]


def _activity(row) -> tuple[str, object]:
    if isinstance(row, Activity):
        return row.activity.strip(), row.score
    if isinstance(row, Mapping):
        return str(row.get("activity") or "").strip(), row.get("score")
    name, value = row
    return str(name or "").strip(), value
