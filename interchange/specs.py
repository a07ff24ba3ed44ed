"""The patient of a `rehab-caseload/1` document, declared (INTERCHANGE.md
sections 2 and 3). Codes, limits and lengths come from the vocabulary
(content.codes, content.measures) and the models, never written here.

Each field type raises its own error in the clinic's words; a check that
needs another field (an entry's date against the surgery, the programme
start against the visits) reads the patient's `Facts`, passed as pydantic's
validation context and filled as the fields before it are read. Nothing
stops at the first error: `interchange.schema` turns every error pydantic
collects into an `Error` with its JSON path.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar

from django.core.exceptions import ValidationError as NotValid
from django.core.validators import validate_email
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    create_model,
    model_validator,
)

from content.codes import AdherenceStatus, Context, EntryKind, Location, Phase, Side, Symptom
from content.measures import ENTRY_MEASURES, Measure
from content.scoring import Scored, ScoringError, score_answers
from interchange.spec_types import (
    Facts,
    ProgrammeDate,
    code,
    code_of,
    kind_of,
    listed,
    measure_value,
    not_null,
    problem,
    problems,
    read_date,
    score,
    shown,
    text,
)
from patients.models import AnsweredBy, Entry, Patient

PROCEDURES = ("TKR",)
# Written by export (INTERCHANGE.md section 4), ignored on import.
COMPUTED_FIELDS = frozenset({"weeks_in_programme", "criteria", "ready_to_progress", "flags", "adherence_28d",
                             "outcome_scores"})


def _max_length(model, name) -> int:
    return model._meta.get_field(name).max_length


# The document's objects ------------------------------------------------------------


_KNOWN_FIELDS: dict[type, frozenset] = {}


class Spec(BaseModel):
    """An object of the format: its fields declared, any other is an error
    (pydantic's own check, reported as "unknown field" by interchange.schema)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=False)
    what: ClassVar[str]  # how an error names the object


class CheckedSpec(Spec):
    """An object whose unknown fields are named in its own words
    (`unknown_field`), or some of which are `ignored`. Checked in Python, so
    kept to the objects that need it: a file holds many of the others."""

    model_config = ConfigDict(extra="ignore", populate_by_name=False)
    ignored: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def _known_fields(cls) -> frozenset:
        # Read for every object of a file: worked out once per class.
        known = _KNOWN_FIELDS.get(cls)
        if known is None:
            known = _KNOWN_FIELDS[cls] = frozenset({f.alias or name for name, f in cls.model_fields.items()}
                                                   | cls.ignored)
        return known

    @classmethod
    def unknown_field(cls, key) -> str:
        return "unknown field"

    @model_validator(mode="wrap")
    @classmethod
    def _no_unknown_fields(cls, data, handler):
        found = []
        if isinstance(data, dict):
            known = cls._known_fields()
            if not known.issuperset(data):
                found = [((key,), cls.unknown_field(key)) for key in sorted(set(data) - known, key=str)]
        try:
            result = handler(data)
        except ValidationError as error:
            raise problems(found, data, error) from None
        if found:
            raise problems(found, data)
        return result


def measures_spec(measures: dict[str, Measure]) -> type[CheckedSpec]:
    """The `measures` object of a visit: one optional field per measure."""
    spec = create_model(
        "MeasuresSpec", __base__=CheckedSpec,
        **{code: (measure_value(measure), None) for code, measure in measures.items()},
    )
    spec.what = "measures"
    spec.unknown_field = classmethod(lambda cls, key: f"{shown(key)} is not a known measure code")
    return spec


MeasuresSpec = measures_spec(ENTRY_MEASURES)


class PainSpec(Spec):
    what = "a pain score"
    location: code(Location)
    context: code(Context)
    score: Annotated[int, PlainValidator(score)]


# `TextChoices.values` builds a new list at each use; these are read per item.
LOCATIONS, CONTEXTS, SYMPTOMS = frozenset(Location.values), frozenset(Context.values), frozenset(Symptom.values)


def _second_scores(items, invalid) -> list[tuple[tuple, str]]:
    if len(items) < 2:  # a self-report has one score: nothing to repeat
        return []
    seen, found = set(), []
    for i, item in enumerate(items):
        if isinstance(item, dict):
            key = (item.get("location"), item.get("context"))
            if isinstance(key[0], str) and isinstance(key[1], str) and key[0] in LOCATIONS and key[1] in CONTEXTS:
                if key in seen:
                    found.append(((i,), f"a second {key[0]}/{key[1]} score in the same entry"))
                seen.add(key)
    return found


def _twice(items, invalid) -> list[tuple[tuple, str]]:
    if len(items) < 2:  # most entries tick no symptom
        return []
    seen, found = set(), []
    for i, item in enumerate(items):
        if isinstance(item, str) and item in SYMPTOMS:
            if item in seen:
                found.append(((i,), f"{shown(item)} is listed twice"))
            seen.add(item)
    return found


class EntrySpec(Spec):
    what = "an entry"
    kind: ClassVar[str]
    date: ProgrammeDate
    ref: text(_max_length(Entry, "ref"), required=False) = ""
    pain: listed(PainSpec, _second_scores)
    symptoms: listed(code(Symptom, listed=True), _twice)

    @property
    def key(self):
        """What identifies an entry across imports (INTERCHANGE.md section 2)."""
        return (self.kind, self.date, self.ref)

    def entry_fields(self) -> dict:
        """The fields of the `Entry` row."""
        return {"kind": self.kind, "date": self.date, "ref": self.ref}


class SelfReportSpec(EntrySpec):
    kind = EntryKind.SELF_REPORT


class VisitSpec(EntrySpec):
    kind = EntryKind.VISIT
    measures: Annotated[MeasuresSpec, BeforeValidator(lambda value: {} if value is None else value)] = MeasuresSpec()
    notes: text(required=False) = ""

    def entry_fields(self) -> dict:
        measures = {name: value for name, value in self.measures if value is not None}
        return {**super().entry_fields(), "notes": self.notes, **measures}


def _same_refs(spec: type[EntrySpec]):
    """Two entries of a kind with the same date and ref are the same entry to a
    re-import, and would break the database's entry_unique_ref."""
    word = spec.kind.replace("_", "-")

    def check(items, invalid) -> list[tuple[tuple, str]]:
        seen, found = set(), []
        for i, item in enumerate(items):
            if i not in invalid and isinstance(item.get("ref"), str):
                key = (item["date"], item["ref"].strip())
                if key[1] and key in seen:
                    found.append(((), f"two {word}s on {key[0]} have the ref {shown(key[1])}"))
                seen.add(key)
        return found
    return check


def _exercise_code(value, info: ValidationInfo):
    if value is None:
        raise problem("missing")
    if not isinstance(value, str) or value not in info.context.exercise_codes:
        raise problem(f"{shown(value)} is not the code of an exercise in this clinic's library")
    return value


def _mark_status(value):
    if value is None:
        raise problem("missing")
    if not isinstance(value, str) or value not in AdherenceStatus.values:
        raise problem(f"{shown(value)} is not a known status ({', '.join(AdherenceStatus.values)})")
    return AdherenceStatus(value)


class AdherenceSpec(Spec):
    """One adherence mark (INTERCHANGE.md section 2): an exercise of the
    clinic's library, by its code, marked on a day."""

    what = "an adherence mark"
    date: ProgrammeDate
    exercise: Annotated[str, PlainValidator(_exercise_code)]
    status: Annotated[str, PlainValidator(_mark_status)]


def _instrument(value, info: ValidationInfo):
    if value is None:
        raise problem("missing")
    if not isinstance(value, str) or value not in info.context.instruments:
        raise problem(f"{shown(value)} is not the code of a questionnaire of this clinic")
    return value


def _answered_by(value):
    if value not in AnsweredBy.values:
        raise problem(f"{'missing' if value is None else shown(value) + ' is not'} who answered "
                      f"({' or '.join(AnsweredBy.values)})")
    return value


def _where(where) -> tuple:
    """A scoring problem's place (content.scoring.ScoringError) as a path below the outcome."""
    if isinstance(where, int):
        return ("answers", where)
    if isinstance(where, tuple):
        return ("activities", *where)
    return ()


class ActivitySpec(Spec):
    what = "a rated activity"
    activity: text(120)
    score: Annotated[int, PlainValidator(score)]


class OutcomeSpec(Spec):
    """One questionnaire administration (INTERCHANGE.md "OUTCOME"): scored
    here by the one scoring function, so a wrong number of answers or an
    answer out of range is an error naming its place."""

    what = "an outcome"
    date: ProgrammeDate
    instrument: Annotated[str, PlainValidator(_instrument)]
    by: Annotated[str, PlainValidator(_answered_by), Field(validate_default=True)] = None
    answers: Annotated[list | None, BeforeValidator(lambda value: value)] = None
    activities: Annotated[list[ActivitySpec] | None, BeforeValidator(lambda value: value)] = None
    _scored: Scored | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _scores(self, info: ValidationInfo):
        spec = info.context.instruments[self.instrument]
        try:
            self._scored = score_answers(
                spec, answers=self.answers,
                activities=[(a.activity, a.score) for a in self.activities] if self.activities is not None else None,
            )
        except ScoringError as error:
            raise problems([(_where(where), message) for where, message in error.problems], self) from None
        return self

    @property
    def scored(self) -> Scored:
        return self._scored


def _one_outcome_per_day(items, invalid) -> list[tuple[tuple, str]]:
    """One administration of a questionnaire a day, as the database keeps it;
    a patient-named questionnaire (PSFS) re-rates the activities named first."""
    seen, named, found = set(), {}, []
    for i, item in enumerate(items):
        if i in invalid or not isinstance(item, dict):
            continue
        key = (item["date"], item["instrument"])
        if key in seen:
            found.append(((i,), f"a second {shown(key[1])} on {key[0]}"))
        seen.add(key)
        if item.get("activities"):
            names = [str(a.get("activity", "")).strip().casefold() for a in item["activities"]]
            first = named.setdefault(item["instrument"], (item["date"], names))
            if names != first[1]:
                found.append(((i, "activities"), (
                    f"re-rates other activities than the first {shown(item['instrument'])} ({first[0]}): "
                    "a later administration rates the same activities, in the same order")))
    return found


def _one_mark_per_day(items, invalid) -> list[tuple[tuple, str]]:
    """One mark per exercise per day, as the database keeps it."""
    seen, found = set(), []
    for i, item in enumerate(items):
        if i not in invalid and isinstance(item, dict):
            key = (item["date"], item["exercise"])
            if key in seen:
                found.append(((i,), f"a second mark for {shown(key[1])} on {key[0]}"))
            seen.add(key)
    return found


def _procedure(value):
    if value not in PROCEDURES:
        where = "missing" if value is None else f"{shown(value)} is not a known procedure"
        raise problem(f"{where} (expected {PROCEDURES[0]!r})")
    return value


def _surgery_date(value, info: ValidationInfo):
    date = read_date(value)
    facts: Facts = info.context
    facts.surgery_date = date
    found = []
    if facts.date_of_birth and date <= facts.date_of_birth:
        found.append(((), "the surgery must be after the date of birth"))
    if date > facts.today:
        found.append(((), f"{date} is after today ({facts.today})"))
    if found:
        raise problems(found, value)
    return date


class SurgerySpec(Spec):
    what = "surgery"
    procedure: Annotated[str | None, PlainValidator(_procedure), Field(validate_default=True)] = None
    side: code(Side)
    date: Annotated[dt.date, PlainValidator(_surgery_date)]


def _by(value, info: ValidationInfo):
    if value is not None and (not isinstance(value, str) or value not in info.context.staff):
        raise problem(f"{shown(value)} is not a member of this clinic's staff")
    return value


def _to_phase(value, info: ValidationInfo):
    phase = code_of(Phase)(value)
    if phase == info.data.get("from_phase"):
        raise problem("is the same phase as `from`")
    return phase


class TransitionSpec(Spec):
    what = "a phase move"
    date: ProgrammeDate
    from_phase: code(Phase) = Field(alias="from")
    to_phase: Annotated[str, PlainValidator(_to_phase)] = Field(alias="to")
    by: Annotated[str | None, PlainValidator(_by)] = None
    reason: text()


def _date_of_birth(value, info: ValidationInfo):
    info.context.date_of_birth = read_date(value)
    return info.context.date_of_birth


def _physio(value, info: ValidationInfo):
    if value is None:
        return None
    if not isinstance(value, str):
        raise problem(f"must be a username or null, not {kind_of(value)}")
    if value not in info.context.physios:
        raise problem(f"{shown(value)} is not a physiotherapist of this clinic")
    return value


def _email(value):
    """Where the portal link can be sent (INTERCHANGE 2): optional; None when
    the file does not say, so that a re-import keeps the address stored."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise problem(f"must be an email address or null, not {kind_of(value)}")
    value = value.strip()
    if not value:
        return ""
    if len(value) > EMAIL_MAX_LENGTH:
        raise problem(f"is longer than {EMAIL_MAX_LENGTH} characters")
    try:
        validate_email(value)
    except NotValid:
        raise problem(f"{shown(value)} is not an email address") from None
    return value


EMAIL_MAX_LENGTH = Patient._meta.get_field("email").max_length


def _remember_visit_dates(facts: Facts, visits: list[dict]):
    facts.visit_dates = [read_date(visit["date"]) for visit in visits]


def _programme_start(value, info: ValidationInfo):
    """Given, or the first visit's date (INTERCHANGE.md section 2)."""
    facts: Facts = info.context
    start = read_date(value, required=False)
    if start is None:
        if facts.visit_dates:
            start = min(facts.visit_dates)
        elif facts.surgery_date is not None:
            raise problem("missing, and there is no visit to take it from")
    if start and facts.surgery_date and start < facts.surgery_date:
        raise problem(f"{start} is before the surgery ({facts.surgery_date})")
    return start


class PatientSpec(CheckedSpec):
    """One patient; the fields are read in this order, so a check can use the
    dates read before it (see `Facts`)."""

    what = "a patient"
    ignored = COMPUTED_FIELDS
    ref: text(_max_length(Patient, "ref"))
    given_name: text(_max_length(Patient, "given_name"))
    family_name: text(_max_length(Patient, "family_name"))
    date_of_birth: Annotated[dt.date, PlainValidator(_date_of_birth)]
    physio: Annotated[str | None, PlainValidator(_physio)] = None
    surgery: Annotated[SurgerySpec, BeforeValidator(not_null)]
    phase: code(Phase)
    visits: listed(VisitSpec, _same_refs(VisitSpec), remember=_remember_visit_dates)
    self_reports: listed(SelfReportSpec, _same_refs(SelfReportSpec))
    programme_start: Annotated[dt.date | None, PlainValidator(_programme_start), Field(validate_default=True)] = None
    phase_history: listed(TransitionSpec)
    email: Annotated[str | None, PlainValidator(_email)] = None
    adherence: listed(AdherenceSpec, _one_mark_per_day)
    outcomes: listed(OutcomeSpec, _one_outcome_per_day)

    @property
    def operated_side(self) -> str:
        return self.surgery.side

    @property
    def surgery_date(self) -> dt.date:
        return self.surgery.date

    @property
    def entries(self) -> list[EntrySpec]:
        return [*self.visits, *self.self_reports]


SPECS = {spec.__name__: spec for spec in (
    MeasuresSpec, PainSpec, VisitSpec, SelfReportSpec, SurgerySpec, TransitionSpec, AdherenceSpec, ActivitySpec, OutcomeSpec,
    PatientSpec,
)}
