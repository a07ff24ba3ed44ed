"""Plain data the rules read and return: no ORM, only dataclasses and dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple

from content.codes import BACK_HIP_LOCATIONS, Comparator, Context, EntryKind
from content.measures import CRITERION_MEASURES, OUTCOME_MEASURES


class PainScore(NamedTuple):
    """One 0-10 numeric rating at a location in a context: the one shape a
    pain score has from the forms and the import to the rules and the export.

    A tuple, so ``PainScore(*("lumbar_bilateral", "activity", 4))`` reads any
    (location, context, score) triple. ``id`` names the stored row, for
    exports that refer to it; the rules never read it.
    """

    location: str
    context: str
    score: int
    id: Hashable | None = None


@dataclass(frozen=True)
class Entry:
    """A visit or a portal self-report, as the rules see it.

    ``measures`` holds only the values that were recorded: minutes and seconds
    as ints, yes/no measures as bools. Lists and sets are accepted for
    ``pain`` and ``symptoms`` and frozen on construction.

    ``ref``, ``notes`` and ``recorded_by`` are carried for the pages and the
    export that read the same record; the rules never read them.
    """

    id: Hashable | None
    kind: str
    date: dt.date
    pain: tuple[PainScore, ...] = ()
    measures: Mapping[str, int | bool] = field(default_factory=dict, hash=False)
    symptoms: frozenset[str] = frozenset()
    ref: str = field(default="", compare=False)
    notes: str = field(default="", compare=False)
    recorded_by: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pain", tuple(PainScore(*p) for p in self.pain))
        object.__setattr__(self, "measures", MappingProxyType(dict(self.measures)))
        object.__setattr__(self, "symptoms", frozenset(self.symptoms))

    @property
    def is_visit(self) -> bool:
        return self.kind == EntryKind.VISIT

    @property
    def activity_pain(self) -> int | None:
        return highest_back_hip_score(self.pain, Context.ACTIVITY)

    @property
    def rest_pain(self) -> int | None:
        return highest_back_hip_score(self.pain, Context.REST)


def highest_back_hip_score(pain: Iterable[PainScore], context: str) -> int | None:
    """Highest score in ``context`` over back/hip locations, or None if none.

    Knee and anterior thigh scores never count: they are kept for the implant
    rule only.
    """
    scores = [p.score for p in pain if p.context == context and p.location in BACK_HIP_LOCATIONS]
    return max(scores, default=None)


def activity_pain(entry: Entry) -> int | None:
    """The entry's highest back/hip pain on activity (DESIGN 3)."""
    return highest_back_hip_score(entry.pain, Context.ACTIVITY)


def rest_pain(entry: Entry) -> int | None:
    """The entry's highest back/hip pain at rest (DESIGN 3)."""
    return highest_back_hip_score(entry.pain, Context.REST)


@dataclass(frozen=True)
class Criterion:
    """An exit criterion: ``measure comparator threshold``.

    Yes/no measures use ``==`` with threshold 1 for yes and 0 for no.
    """

    measure: str
    comparator: str
    threshold: int
    # Set for a questionnaire the clinic added itself (content.instruments):
    # its name, for the pages; ``measure`` is then that instrument's code.
    questionnaire: str = ""

    def __post_init__(self) -> None:
        if self.measure not in CRITERION_MEASURES and not self.questionnaire:
            raise ValueError(f"unknown measure {self.measure!r}")
        if self.comparator not in Comparator.values:
            raise ValueError(f"unknown comparator {self.comparator!r}")
        if isinstance(self.threshold, bool) or not isinstance(self.threshold, int):
            raise TypeError(f"threshold must be an int, not {self.threshold!r}")

    @property
    def reads_outcome(self) -> bool:
        """Whether the evidence is a questionnaire score (OutcomeScore), not a visit's value."""
        return bool(self.questionnaire) or self.measure in OUTCOME_MEASURES

    def is_met_by(self, value) -> bool:
        # Yes/no as 1/0; a decimal (Timed Up and Go, a questionnaire score)
        # is compared as it is, never truncated.
        value = int(value) if isinstance(value, bool) else value
        if self.comparator == Comparator.AT_MOST:
            return value <= self.threshold
        if self.comparator == Comparator.AT_LEAST:
            return value >= self.threshold
        return value == self.threshold


@dataclass(frozen=True)
class OutcomeScore:
    """A questionnaire's score on a date (DESIGN 9): the evidence for an exit
    criterion on that instrument's code (a content.measures OUTCOME row, or a
    questionnaire the clinic added)."""

    date: dt.date
    instrument: str
    score: Decimal


@dataclass(frozen=True)
class Finding:
    """Something a rule raised; the caller stores it as a flag."""

    code: str
    severity: str
    message: str
    advice: str
    entry_id: Hashable | None = None
    entry_date: dt.date | None = None
    # The open, acknowledged flag of this code is closed and this one raised
    # as a new alert (pain got worse after acknowledgement, DESIGN 4.3).
    renews: bool = False


MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class CriterionResult:
    """One criterion judged against the evidence, with where the value came from."""

    measure: str
    comparator: str
    threshold: int
    value: int | bool | None
    evidence_date: dt.date | None
    status: str
    evidence_entry_id: Hashable | None = None
    reason: str = ""  # why there is no evidence, when there is a reason to give
    questionnaire: str = ""  # the criterion's own questionnaire's name (Criterion.questionnaire)

    @property
    def met(self) -> bool | None:
        """True or False when judged, None when there is no evidence."""
        if self.status == UNKNOWN:
            return None
        return self.status == MET
