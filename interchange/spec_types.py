"""The field types of the caseload format (interchange.specs), each
raising its own error in the clinic's words, and what a check of one patient
knows (`Facts`, pydantic's validation context)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, PlainValidator, ValidationError, ValidationInfo, WrapValidator
from pydantic_core import PydanticCustomError

from content.codes import PAIN_MAX, PAIN_MIN
from content.measures import Measure
from interchange.decoding import SHOWN_CHARS, UnreadableNumber, printable
from patients.models import BEFORE_SURGERY, entry_date_problem


@dataclass
class Facts:
    """What the checks of one patient know: the clinic, and the patient's
    dates once read."""

    physios: frozenset[str]
    staff: frozenset[str]
    today: dt.date
    date_of_birth: dt.date | None = None
    surgery_date: dt.date | None = None
    visit_dates: list[dt.date] | None = None  # of the valid visits
    exercise_codes: frozenset[str] = frozenset()  # the clinic's exercise library
    instruments: Mapping = field(default_factory=dict)  # code -> content.scoring.InstrumentSpec


# How values are quoted in messages --------------------------------------------


def kind_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, UnreadableNumber):
        return "a number"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def shown(value) -> str:
    """A value as an error message quotes it: short, whatever the file held."""
    if isinstance(value, str):
        return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…")
    if isinstance(value, dict | list):
        return kind_of(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**SHOWN_CHARS:
        return "a very long number"
    return repr(value)


def problem(message: str, at: tuple = ()) -> PydanticCustomError:
    """An error in our words; `at` continues the path below the value checked."""
    return PydanticCustomError("kinetic", "{message}", {"message": printable(message), "at": at})


def problems(found: list[tuple[tuple, str]], value, earlier: ValidationError | None = None) -> ValidationError:
    """Several errors at once (with those pydantic found before, if any)."""
    details = []
    for error in earlier.errors(include_url=False) if earlier else []:
        kind = error["type"]
        if kind == "kinetic":
            kind = PydanticCustomError("kinetic", "{message}", error["ctx"])
        details.append({"type": kind, "loc": error["loc"], "input": error.get("input"),
                        **({"ctx": error["ctx"]} if "ctx" in error and error["type"] != "kinetic" else {})})
    details += [{"type": problem(message), "loc": at, "input": value} for at, message in found]
    return ValidationError.from_exception_data("caseload", details)


# Field types -------------------------------------------------------------------


def text(max_length: int | None = None, *, required=True):
    def check(value):
        if value is None:
            if required:
                raise problem("missing")
            return ""
        if not isinstance(value, str):
            raise problem(f"must be text, not {kind_of(value)}")
        value = value.strip()
        if required and not value:
            raise problem("must not be blank")
        if max_length and len(value) > max_length:
            raise problem(f"is longer than {max_length} characters")
        return value
    return Annotated[str, PlainValidator(check)]


def read_date(value, *, required=True):
    if value is None:
        if required:
            raise problem("missing")
        return None
    if not isinstance(value, str):
        raise problem(f"must be a date (YYYY-MM-DD), not {kind_of(value)}")
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise problem(f"{shown(value)} is not a date (YYYY-MM-DD)") from None


IsoDate = Annotated[dt.date, PlainValidator(read_date)]


def _within_programme(value, info: ValidationInfo):
    """An entry's or a phase move's date: after the surgery, not after today."""
    date = read_date(value)
    facts: Facts = info.context
    reason = entry_date_problem(date, surgery_date=facts.surgery_date, today=facts.today)
    if reason == BEFORE_SURGERY:
        raise problem(f"{date} is before the surgery ({facts.surgery_date})")
    if reason:
        raise problem(f"{date} is after today ({facts.today})")
    return date


ProgrammeDate = Annotated[dt.date, PlainValidator(_within_programme)]


def code_of(choices, *, listed=False):
    """A reader of one of a TextChoices' codes; the error names the
    vocabulary (“a known location code”). A null field is missing; a null
    in a list of codes is an unknown code."""
    what = choices.__name__.lower()
    # Looked up, not built at each use: `choices.values` makes a new list,
    # and `choices(value)` goes through Enum's slow constructor.
    members = {member.value: member for member in choices}

    def check(value):
        if value is None and not listed:
            raise problem("missing")
        if not isinstance(value, str) or value not in members:
            raise problem(f"{shown(value)} is not a known {what} code")
        return members[value]
    return check


def code(choices, *, listed=False):
    return Annotated[str, PlainValidator(code_of(choices, listed=listed))]


def score(value):
    if value is None:
        raise problem("missing")
    if isinstance(value, bool) or not isinstance(value, int):
        raise problem(f"{shown(value)} is not a whole number ({PAIN_MIN}–{PAIN_MAX})")
    if not PAIN_MIN <= value <= PAIN_MAX:
        raise problem(f"{shown(value)} is outside {PAIN_MIN}–{PAIN_MAX}")
    return value


def _decimal_measure(measure: Measure, value):
    """A measure kept to tenths (Timed Up and Go): a JSON number within its limits, to its precision."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise problem(f"{shown(value)} is not a number of {measure.kind}")
    number = Decimal(str(value))
    if not number.is_finite():
        raise problem(f"{value} is not a number of {measure.kind}")
    # The limits first: quantizing a number as large as 1e30 to tenths overflows.
    if not measure.contains(number):
        raise problem(f"{value} is outside {measure.min}–{measure.max} {measure.kind}")
    if number != number.quantize(Decimal(measure.step)):
        raise problem(f"{value} has more than {measure.decimals} decimal place ({measure.kind})")
    return number


def measure_value(measure: Measure):
    """A measure's value, within its limits (content.measures); null is not recorded."""
    def check(value):
        if value is None:
            return None
        if measure.is_bool:
            if not isinstance(value, bool):
                raise problem(f"{shown(value)} must be true or false")
            return value
        if measure.is_decimal:
            return _decimal_measure(measure, value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise problem(f"{shown(value)} is not a whole number of {measure.kind}")
        if not measure.contains(value):
            raise problem(f"{shown(value)} is outside {measure.min}–{measure.max} {measure.kind}")
        return value
    return Annotated[int | bool | None, PlainValidator(check)]


def _none_is_empty(value):
    return [] if value is None else value


def not_null(value):
    if value is None:
        raise problem("missing")
    return value


def listed(item, duplicates=None, *, remember=None):
    """A list of `item` (absent or null: empty). Whatever else is wrong in the
    list, `duplicates(raw list, invalid indices)` names repeated items as
    [(path below the list, message)], and `remember(facts, raw items)` is
    given the valid items."""
    def wrap(value, handler, info: ValidationInfo):
        try:
            result, invalid, error = handler(value), set(), None
        except ValidationError as raised:
            result, error = None, raised
            invalid = {e["loc"][0] for e in raised.errors() if e["loc"] and isinstance(e["loc"][0], int)}
        items = value if isinstance(value, list) else []
        if remember:
            remember(info.context, [v for i, v in enumerate(items) if i not in invalid])
        found = duplicates(items, invalid) if duplicates else []
        if error or found:
            raise problems(found, value, error)
        return result
    return Annotated[list[item], BeforeValidator(_none_is_empty), WrapValidator(wrap), Field(default_factory=list)]


