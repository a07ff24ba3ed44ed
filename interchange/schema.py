"""Validation of a `rehab-caseload/1` document (INTERCHANGE.md).

`document_validate` never raises on bad input: whatever the JSON holds, it
returns a `Validation` with every error found (each naming the patient
`ref`, the JSON path inside the patient and the reason) and, when there are
none, the patients as plain dataclasses ready to write. It reads nothing from
the database itself; the importer passes what it needs to know in a
`Context`, so the rules here are testable without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from interchange.decoding import (
    MAX_DEPTH,
    SHOWN_CHARS,
    path_index,
    path_key,
    printable,
    text_problem,
    value_problems,
)
from interchange.specs import SPECS, Facts, PatientSpec, kind_of, shown

FORMAT = "rehab-caseload/1"
DOCUMENT_FIELDS = frozenset({"format", "clinic", "patients", "exported_at", "as_of"})


@dataclass(frozen=True)
class Error:
    ref: str | None
    path: str
    message: str

    def __post_init__(self):
        # An error is stored (jsonb) and printed: whatever the file held, its
        # text must be storable and printable.
        if self.ref is not None:
            ref = printable(self.ref)
            object.__setattr__(self, "ref", ref if len(ref) <= SHOWN_CHARS else ref[:SHOWN_CHARS] + "…")
        object.__setattr__(self, "path", printable(self.path))
        object.__setattr__(self, "message", printable(self.message))

    def __str__(self):
        where = " ".join(part for part in (self.ref, self.path) if part)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self):
        return {"ref": self.ref, "path": self.path, "message": self.message}


@dataclass(frozen=True)
class Context:
    """What the validator needs to know about the target clinic."""

    clinic_known: bool
    physios: frozenset[str]  # usernames of the clinic's physiotherapists
    staff: frozenset[str]  # usernames of all the clinic's staff (for `phase_history.by`)
    today: dt.date
    exercise_codes: frozenset[str] = frozenset()  # codes of the clinic's exercises (adherence marks)
    instruments: Mapping = field(default_factory=dict)  # code -> InstrumentSpec (outcomes)


@dataclass
class Validation:
    errors: list[Error]
    clinic: str | None = None
    patients: list[PatientSpec] = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def clinic_slug_of(document, override=None):
    """The clinic a document is for: `--clinic` wins over the document's own."""
    if override:
        return override
    if isinstance(document, dict) and isinstance(document.get("clinic"), str):
        return document["clinic"]
    return None


def document_validate(document, context: Context, *, clinic_override=None) -> Validation:
    errors, slug, patients = document_header_validate(document, context, clinic_override=clinic_override)
    if patients is None:
        return Validation(errors, clinic=slug)
    checker = PatientsChecker(context)
    parsed = []
    for index, raw in enumerate(patients):
        patient, patient_errors = checker.check(raw, index)
        errors += patient_errors
        if patient is not None and not patient_errors:
            parsed.append(patient)
    if errors:
        return Validation(errors, clinic=slug)
    return Validation([], clinic=slug, patients=parsed)


def document_header_validate(document, context: Context, *, clinic_override=None):
    """(errors, the clinic's slug, the patients list or None if there is none
    to check) of the document apart from its patients. A streamed document
    passes its top-level fields with [] standing for the patients list."""
    if not isinstance(document, dict):
        problems = [Error(None, path, message) for path, message in value_problems(document)]
        return problems or [Error(None, "", f"the document must be a JSON object, not {kind_of(document)}")], None, None
    patients = document.get("patients")
    # Text that cannot be stored, numbers that cannot be read, nesting beyond
    # the format: reported once at their path, before any other check there.
    outside = {key: value for key, value in document.items() if not (key == "patients" and isinstance(value, list))}
    errors = [Error(None, path, message) for path, message in value_problems(outside)]
    reported = {error.path for error in errors}

    def error(path, message):
        if printable(path) not in reported:
            errors.append(Error(None, path, message))

    fmt = document.get("format")
    if fmt != FORMAT:
        quoted = "missing" if fmt is None else shown(fmt)
        error("format", f"{quoted} is not a supported format; expected {FORMAT!r}")
    slug = clinic_slug_of(document, clinic_override)
    if slug is None:
        error("clinic", "missing: give the clinic's slug (or --clinic)")
    elif not context.clinic_known:
        error("clinic", f"no clinic with the slug {shown(slug)}")
    if not isinstance(patients, list):
        what = "missing" if patients is None else f"must be a list, not {kind_of(patients)}"
        error("patients", what)
        return errors, slug, None
    for key in sorted(set(document) - DOCUMENT_FIELDS, key=str):
        error(path_key("", key), "unknown field")
    return errors, slug, patients


class PatientsChecker:
    """Checks a document's patients one at a time, in order: each on its own,
    and its ref against those before it."""

    def __init__(self, context: Context):
        self.context = context
        self.seen: dict[str, int] = {}

    def check(self, raw, index: int) -> tuple[PatientSpec | None, list[Error]]:
        patient, errors, ref = patient_validate(raw, index, self.context)
        if ref is not None:
            if ref in self.seen:
                errors.append(Error(ref, "ref", f"duplicate ref: patients[{self.seen[ref]}] has the same ref"))
            else:
                self.seen[ref] = index
        return patient, errors


def patient_validate(raw, index: int, context: Context) -> tuple[PatientSpec | None, list[Error], str | None]:
    """(the patient or None, every error in it, its ref if it has one)."""
    ref = raw.get("ref").strip() if isinstance(raw, dict) and isinstance(raw.get("ref"), str) else ""
    ref = ref or None
    label = ref if ref is not None else f"patients[{index}]"
    # Text that cannot be stored, numbers that cannot be read, nesting beyond
    # the format: reported once at their path (the patient is at depth 2 of
    # the document), and nothing else is said there.
    errors, reported, unreadable_keys = [], set(), False
    for path, message in value_problems(raw, depth=2):
        unreadable_keys = unreadable_keys or message.startswith("the field name")
        if printable(path) not in reported:
            errors.append(Error(label, path, message))
            reported.add(printable(path))
    if not isinstance(raw, dict):
        if "" not in reported:
            errors.append(Error(label, "", f"a patient must be an object, not {kind_of(raw)}"))
        return None, errors, ref
    facts = Facts(physios=context.physios, staff=context.staff, today=context.today,
                  exercise_codes=context.exercise_codes, instruments=context.instruments)
    try:
        readable = _readable_keys(raw) if unreadable_keys else raw
        return PatientSpec.model_validate(readable, context=facts), errors, ref
    except ValidationError as invalid:
        for error in invalid.errors(include_url=False):
            path, message = _located(error)
            if printable(path) not in reported:
                errors.append(Error(label, path, message))
        return None, errors, ref


def _readable_keys(value, depth=0):
    """`value` with the field names pydantic cannot read (a lone surrogate)
    escaped as value_problems names them: each is reported there already.
    No spec reads below MAX_DEPTH, so neither does this."""
    if depth >= MAX_DEPTH:
        return value
    if isinstance(value, dict):
        return {(printable(k) if isinstance(k, str) and text_problem(k) else k): _readable_keys(v, depth + 1)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_readable_keys(v, depth + 1) for v in value]
    return value


def _located(error) -> tuple[str, str]:
    """(JSON path, message) of one pydantic error."""
    loc, kind, ctx = error["loc"], error["type"], error.get("ctx") or {}
    if kind == "kinetic":
        loc, message = loc + tuple(ctx.get("at", ())), ctx["message"]
    elif kind == "missing":
        message = "missing"
    elif kind == "extra_forbidden":
        message = "unknown field"
    elif kind == "model_type":
        spec = SPECS.get(ctx.get("class_name"))
        message = f"{spec.what if spec else 'this'} must be an object, not {kind_of(error['input'])}"
    elif kind == "list_type":
        message = f"must be a list, not {kind_of(error['input'])}"
    else:
        message = error["msg"]
    path = ""
    for part in loc:
        path = path_index(path, part) if isinstance(part, int) else path_key(path, part)
    return path, message
