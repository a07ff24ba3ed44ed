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
from dataclasses import dataclass, field

from content import codes
from content.measures import MEASURES
from interchange.decoding import (
    SHOWN_CHARS,
    UnreadableNumber,
    path_key,
    printable,
    value_problems,
)
from patients.models import MEASURE_FIELDS

FORMAT = "rehab-caseload/1"
PROCEDURES = ("TKR",)

LOCATION_CODES = frozenset(codes.LOCATIONS)
CONTEXT_CODES = frozenset(codes.CONTEXTS)
SYMPTOM_CODES = frozenset(codes.SYMPTOMS)
PATIENT_PHASE_CODES = frozenset(codes.Phase.values)
SIDE_CODES = frozenset(codes.Side.values)
# Upper bounds the database also enforces (entry_measures_plausible).
MEASURE_MAX = {"minutes": 1440, "seconds": 3600}

PATIENT_FIELDS = frozenset({
    "ref", "given_name", "family_name", "date_of_birth", "physio", "surgery", "programme_start",
    "phase", "phase_history", "visits", "self_reports",
})
# Written by export (INTERCHANGE.md section 4), ignored on import.
COMPUTED_FIELDS = frozenset({"weeks_in_programme", "criteria", "ready_to_progress", "flags"})
VISIT_FIELDS = frozenset({"date", "ref", "pain", "measures", "symptoms", "notes"})
SELF_REPORT_FIELDS = frozenset({"date", "ref", "pain", "symptoms"})
PAIN_FIELDS = frozenset({"location", "context", "score"})
SURGERY_FIELDS = frozenset({"procedure", "side", "date"})
TRANSITION_FIELDS = frozenset({"date", "from", "to", "by", "reason"})


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


@dataclass
class EntryData:
    kind: str
    date: dt.date
    ref: str = ""
    pain: list[tuple[str, str, int]] = field(default_factory=list)
    measures: dict = field(default_factory=dict)
    symptoms: list[str] = field(default_factory=list)
    notes: str = ""

    @property
    def key(self):
        """What identifies an entry across imports (INTERCHANGE.md section 2)."""
        return (self.kind, self.date, self.ref)


@dataclass
class TransitionData:
    date: dt.date
    from_phase: str
    to_phase: str
    by: str | None
    reason: str


@dataclass
class PatientData:
    ref: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    physio: str | None
    operated_side: str
    surgery_date: dt.date
    programme_start: dt.date
    phase: str
    phase_history: list[TransitionData]
    entries: list[EntryData]


@dataclass(frozen=True)
class Context:
    """What the validator needs to know about the target clinic."""

    clinic_known: bool
    physios: frozenset[str]  # usernames of the clinic's physiotherapists
    staff: frozenset[str]  # usernames of all the clinic's staff (for `phase_history.by`)
    today: dt.date


@dataclass
class Validation:
    errors: list[Error]
    clinic: str | None = None
    patients: list[PatientData] = field(default_factory=list)

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
    if not isinstance(document, dict):
        problems = [Error(None, path, message) for path, message in value_problems(document)]
        return Validation(problems or [Error(None, "", f"the document must be a JSON object, not {_kind(document)}")])
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
        shown = "missing" if fmt is None else _shown(fmt)
        error("format", f"{shown} is not a supported format; expected {FORMAT!r}")
    slug = clinic_slug_of(document, clinic_override)
    if slug is None:
        error("clinic", "missing: give the clinic's slug (or --clinic)")
    elif not context.clinic_known:
        error("clinic", f"no clinic with the slug {_shown(slug)}")
    if not isinstance(patients, list):
        what = "missing" if patients is None else f"must be a list, not {_kind(patients)}"
        error("patients", what)
        return Validation(errors, clinic=slug)
    for key in sorted(set(document) - {"format", "clinic", "patients", "exported_at", "as_of"}, key=str):
        error(path_key("", key), "unknown field")

    parsed, seen = [], {}
    for index, raw in enumerate(patients):
        checker = _PatientChecker(index, context)
        patient = checker.check(raw)
        ref = checker.ref
        if ref is not None:
            if ref in seen:
                checker.error("ref", f"duplicate ref: patients[{seen[ref]}] has the same ref")
            else:
                seen[ref] = index
        errors += checker.errors
        if patient is not None and not checker.errors:
            parsed.append(patient)
    if errors:
        return Validation(errors, clinic=slug)
    return Validation([], clinic=slug, patients=parsed)


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, UnreadableNumber):
        return "a number"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _shown(value):
    """A value as an error message quotes it: short, whatever the file held."""
    if isinstance(value, str):
        return repr(value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…")
    if isinstance(value, dict | list):
        return _kind(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**SHOWN_CHARS:
        return "a very long number"
    return repr(value)


class _PatientChecker:
    """Checks one patient, collecting every error rather than stopping at the first."""

    def __init__(self, index, context: Context):
        self.index = index
        self.context = context
        self.errors: list[Error] = []
        self.ref: str | None = None
        # Paths already reported by value_problems: no second error there.
        self.reported: set[str] = set()

    def error(self, path, message):
        if printable(path) in self.reported:
            return
        label = self.ref if self.ref is not None else f"patients[{self.index}]"
        self.errors.append(Error(label, path, message))

    # Field readers: each returns the value or None (after recording an error).

    def _string(self, obj, key, path, *, required, expected):
        """The string at `key`, or None after an error for a missing or non-text value."""
        value = obj.get(key)
        if value is None:
            if required:
                self.error(path, "missing")
            return None
        if not isinstance(value, str):
            self.error(path, f"must be {expected}, not {_kind(value)}")
            return None
        return value

    def text(self, obj, key, path, *, required=True, max_length=None):
        value = self._string(obj, key, path, required=required, expected="text")
        if value is None:
            return None
        value = value.strip()
        if required and not value:
            self.error(path, "must not be blank")
            return None
        if max_length and len(value) > max_length:
            self.error(path, f"is longer than {max_length} characters")
            return None
        return value

    def date(self, obj, key, path, *, required=True):
        value = self._string(obj, key, path, required=required, expected="a date (YYYY-MM-DD)")
        if value is None:
            return None
        try:
            if len(value) != 10:
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.error(path, f"{_shown(value)} is not a date (YYYY-MM-DD)")
            return None

    def code(self, obj, key, path, allowed, what):
        value = obj.get(key)
        if value is None:
            self.error(path, "missing")
            return None
        if not isinstance(value, str) or value not in allowed:
            self.error(path, f"{_shown(value)} is not a known {what} code")
            return None
        return value

    def unknown_fields(self, obj, allowed, path):
        for key in sorted(set(obj) - allowed, key=str):
            self.error(path_key(path, key), "unknown field")

    def obj(self, value, path, what):
        if not isinstance(value, dict):
            self.error(path, f"{what} must be an object, not {_kind(value)}")
            return None
        return value

    def list_of(self, obj, key, path):
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"must be a list, not {_kind(value)}")
            return []
        return value

    # The patient.

    def check(self, raw) -> PatientData | None:
        if isinstance(raw, dict):
            ref = raw.get("ref")
            if isinstance(ref, str) and ref.strip():
                self.ref = ref.strip()
        # The patient sits at depth 2 of the document (patients[i]).
        for path, message in value_problems(raw, depth=2):
            self.error(path, message)
            self.reported.add(printable(path))
        if not isinstance(raw, dict):
            self.error("", f"a patient must be an object, not {_kind(raw)}")
            return None
        ref = self.text(raw, "ref", "ref", max_length=40)
        self.unknown_fields(raw, PATIENT_FIELDS | COMPUTED_FIELDS, "")
        given = self.text(raw, "given_name", "given_name", max_length=80)
        family = self.text(raw, "family_name", "family_name", max_length=80)
        birth = self.date(raw, "date_of_birth", "date_of_birth")
        physio = self.physio(raw)
        side, surgery_date = self.surgery(raw)
        phase = self.code(raw, "phase", "phase", PATIENT_PHASE_CODES, "phase")
        today = self.context.today
        if birth and surgery_date and surgery_date <= birth:
            self.error("surgery.date", "the surgery must be after the date of birth")
        if surgery_date and surgery_date > today:
            self.error("surgery.date", f"{surgery_date} is after today ({today})")

        entries = self.entries(raw, "visits", codes.EntryKind.VISIT, surgery_date)
        entries += self.entries(raw, "self_reports", codes.EntryKind.SELF_REPORT, surgery_date)
        programme_start = self.date(raw, "programme_start", "programme_start", required=False)
        if raw.get("programme_start") is None:
            visit_dates = [e.date for e in entries if e.kind == codes.EntryKind.VISIT]
            if visit_dates:
                programme_start = min(visit_dates)
            elif surgery_date is not None:
                self.error("programme_start", "missing, and there is no visit to take it from")
        if programme_start and surgery_date and programme_start < surgery_date:
            self.error("programme_start", f"{programme_start} is before the surgery ({surgery_date})")
        history = self.phase_history(raw, surgery_date)
        self.duplicate_entries(entries)
        if self.errors:
            return None
        return PatientData(
            ref=ref, given_name=given, family_name=family, date_of_birth=birth, physio=physio,
            operated_side=side, surgery_date=surgery_date, programme_start=programme_start, phase=phase,
            phase_history=history, entries=entries,
        )

    def physio(self, raw):
        value = raw.get("physio")
        if value is None:
            return None
        if not isinstance(value, str):
            self.error("physio", f"must be a username or null, not {_kind(value)}")
            return None
        if value not in self.context.physios:
            self.error("physio", f"{_shown(value)} is not a physiotherapist of this clinic")
            return None
        return value

    def surgery(self, raw):
        surgery = raw.get("surgery")
        if surgery is None:
            self.error("surgery", "missing")
            return None, None
        if self.obj(surgery, "surgery", "surgery") is None:
            return None, None
        self.unknown_fields(surgery, SURGERY_FIELDS, "surgery")
        procedure = surgery.get("procedure")
        if procedure not in PROCEDURES:
            shown = "missing" if procedure is None else f"{_shown(procedure)} is not a known procedure"
            self.error("surgery.procedure", f"{shown} (expected 'TKR')")
        side = self.code(surgery, "side", "surgery.side", SIDE_CODES, "side")
        date = self.date(surgery, "date", "surgery.date")
        return side, date

    def entries(self, raw, key, kind, surgery_date) -> list[EntryData]:
        result = []
        allowed = VISIT_FIELDS if kind == codes.EntryKind.VISIT else SELF_REPORT_FIELDS
        for i, item in enumerate(self.list_of(raw, key, key)):
            path = f"{key}[{i}]"
            if self.obj(item, path, "an entry") is None:
                continue
            before = len(self.errors)
            self.unknown_fields(item, allowed, path)
            date = self.date(item, "date", f"{path}.date")
            if date is not None:
                if surgery_date is not None and date < surgery_date:
                    self.error(f"{path}.date", f"{date} is before the surgery ({surgery_date})")
                if date > self.context.today:
                    self.error(f"{path}.date", f"{date} is after today ({self.context.today})")
            ref = self.text(item, "ref", f"{path}.ref", required=False, max_length=40) or ""
            pain = self.pain(item, path)
            symptoms = self.symptoms(item, path)
            measures = self.measures(item, path) if kind == codes.EntryKind.VISIT else {}
            notes = self.text(item, "notes", f"{path}.notes", required=False) or ""
            if len(self.errors) == before:
                result.append(EntryData(kind=kind, date=date, ref=ref, pain=pain, measures=measures,
                                        symptoms=symptoms, notes=notes))
        return result

    def pain(self, item, path):
        scores, seen = [], set()
        for j, raw in enumerate(self.list_of(item, "pain", f"{path}.pain")):
            here = f"{path}.pain[{j}]"
            if self.obj(raw, here, "a pain score") is None:
                continue
            self.unknown_fields(raw, PAIN_FIELDS, here)
            location = self.code(raw, "location", f"{here}.location", LOCATION_CODES, "location")
            context = self.code(raw, "context", f"{here}.context", CONTEXT_CODES, "context")
            score = self.score(raw, f"{here}.score")
            if location and context:
                if (location, context) in seen:
                    self.error(here, f"a second {location}/{context} score in the same entry")
                    continue
                seen.add((location, context))
            if location and context and score is not None:
                scores.append((location, context, score))
        return scores

    def score(self, raw, path):
        value = raw.get("score")
        if value is None:
            self.error(path, "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"{_shown(value)} is not a whole number (0–10)")
            return None
        if not codes.PAIN_MIN <= value <= codes.PAIN_MAX:
            self.error(path, f"{value} is outside 0–10")
            return None
        return value

    def symptoms(self, item, path):
        result = []
        for j, value in enumerate(self.list_of(item, "symptoms", f"{path}.symptoms")):
            here = f"{path}.symptoms[{j}]"
            if not isinstance(value, str) or value not in SYMPTOM_CODES:
                self.error(here, f"{_shown(value)} is not a known symptom code")
            elif value in result:
                self.error(here, f"{_shown(value)} is listed twice")
            else:
                result.append(value)
        return result

    def measures(self, item, path):
        raw = item.get("measures")
        if raw is None:
            return {}
        if self.obj(raw, f"{path}.measures", "measures") is None:
            return {}
        result = {}
        for name, value in raw.items():
            here = path_key(f"{path}.measures", name)
            if name not in MEASURE_FIELDS:
                self.error(here, f"{_shown(name)} is not a known measure code")
                continue
            if value is None:
                continue
            kind = MEASURES[name].kind
            if kind == 'bool':
                if not isinstance(value, bool):
                    self.error(here, f"{_shown(value)} must be true or false")
                    continue
            elif isinstance(value, bool) or not isinstance(value, int):
                self.error(here, f"{_shown(value)} is not a whole number of {kind}")
                continue
            elif not 0 <= value <= MEASURE_MAX[kind]:
                self.error(here, f"{value} is outside 0–{MEASURE_MAX[kind]} {kind}")
                continue
            result[name] = value
        return result

    def phase_history(self, raw, surgery_date) -> list[TransitionData]:
        result = []
        for i, item in enumerate(self.list_of(raw, "phase_history", "phase_history")):
            path = f"phase_history[{i}]"
            if self.obj(item, path, "a phase move") is None:
                continue
            before = len(self.errors)
            self.unknown_fields(item, TRANSITION_FIELDS, path)
            date = self.date(item, "date", f"{path}.date")
            if date is not None and date > self.context.today:
                self.error(f"{path}.date", f"{date} is after today ({self.context.today})")
            if date is not None and surgery_date is not None and date < surgery_date:
                self.error(f"{path}.date", f"{date} is before the surgery ({surgery_date})")
            from_phase = self.code(item, "from", f"{path}.from", PATIENT_PHASE_CODES, "phase")
            to_phase = self.code(item, "to", f"{path}.to", PATIENT_PHASE_CODES, "phase")
            if from_phase and from_phase == to_phase:
                self.error(f"{path}.to", "is the same phase as `from`")
            by = item.get("by")
            if by is not None and (not isinstance(by, str) or by not in self.context.staff):
                self.error(f"{path}.by", f"{_shown(by)} is not a member of this clinic's staff")
            reason = self.text(item, "reason", f"{path}.reason")
            if len(self.errors) == before:
                result.append(TransitionData(date, from_phase, to_phase, by, reason))
        return result

    def duplicate_entries(self, entries):
        # Two entries with the same kind, date and ref are the same entry to a
        # re-import; a ref given twice would also break the database's
        # entry_unique_ref constraint.
        seen = set()
        for entry in entries:
            if entry.ref and entry.key in seen:
                key = "visits" if entry.kind == codes.EntryKind.VISIT else "self_reports"
                self.error(key, f"two {entry.kind.replace('_', '-')}s on {entry.date} have the ref {_shown(entry.ref)}")
            seen.add(entry.key)
