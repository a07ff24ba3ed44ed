"""A patient's record history: every change to the patient, their entries
(with pain scores and symptoms), questionnaires, flags, phase moves, plan
items and portal links, newest first, in the clinic's words.

Read from django-simple-history's tables. One query pages through all of them
at once (a UNION of dates and ids); then one query per kind of record reads
the page's rows together with each row's previous version, so the page costs
the same number of queries whatever is on it. A change row says when, who
(a member of staff, the patient through the portal, or Kinetic itself), what
changed (field by field, from → to, labels rather than codes) and why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.utils import timezone

from content.instruments import Instrument
from content.models import Exercise
from patients.models import (
    AnsweredBy,
    AssignedPlanItem,
    Entry,
    EntrySymptom,
    OutcomeAdministration,
    PainScore,
    Patient,
    PortalLink,
    User,
)
from rehab.models import Flag, PhaseTransition

PAGE_SIZE = 50
ENGINE = "Kinetic (automatic)"
PATIENT_VIA_PORTAL = "The patient (portal)"
# Bookkeeping, and secrets: never shown as a change.
HIDDEN_FIELDS = frozenset({
    "id", "patient", "clinic", "entry", "created_at", "updated_at", "token_hash",
    "notified_at", "last_used_at", "criteria_snapshot", "message", "advice", "kind", "code", "severity",
    "raised_at", "entry_date", "portal_link",
})


@dataclass
class Change:
    when: dt.datetime
    who: str
    what: str
    why: str = ""
    details: list[tuple[str, str, str]] = field(default_factory=list)  # (label, from, to)
    kind: str = ""


@dataclass(frozen=True)
class _Source:
    kind: str
    model: type

    @property
    def history(self):
        return self.model.history.model


def _sources():
    return (
        _Source("patient", Patient),
        _Source("entry", Entry),
        _Source("pain", PainScore),
        _Source("symptom", EntrySymptom),
        _Source("outcome", OutcomeAdministration),
        _Source("flag", Flag),
        _Source("phase", PhaseTransition),
        _Source("plan", AssignedPlanItem),
        _Source("link", PortalLink),
    )


def _scope(source: _Source, patient: Patient):
    rows = source.history.objects
    if source.kind == "patient":
        return rows.filter(id=patient.pk)
    if source.kind in ("pain", "symptom"):
        # Through the entries' history, so scores of a deleted entry stay listed.
        return rows.filter(entry_id__in=Entry.history.filter(patient_id=patient.pk).values("id"))
    return rows.filter(patient_id=patient.pk)


def patient_history_page(patient: Patient, page_number) -> tuple[Page, list[Change]]:
    sources = _sources()
    keys = [
        _scope(source, patient)
        .annotate(record_kind=Value(source.kind, output_field=CharField()))
        .values_list("history_date", "history_id", "record_kind")
        for source in sources
    ]
    union = keys[0].union(*keys[1:], all=True).order_by("-history_date", "-history_id")
    page = Paginator(union, PAGE_SIZE).get_page(page_number)
    on_page = list(page.object_list)
    if not on_page:
        return page, []
    oldest, newest = on_page[-1][0], on_page[0][0]
    wanted = {(kind, history_id) for _, history_id, kind in on_page}

    context = _Context.load(patient)
    described = {}
    for source in sources:
        rows = _rows_with_previous(source, patient, oldest, newest)
        for row in rows.values():
            if (source.kind, row.history_id) in wanted:
                previous = rows.get(getattr(row, "previous_id", None))
                described[(source.kind, row.history_id)] = _describe(source.kind, row, previous, context)
    return page, [described[(kind, history_id)] for _, history_id, kind in on_page]


def _rows_with_previous(source: _Source, patient: Patient, oldest, newest) -> dict:
    """The history rows dated within the page, and the version before each, by history_id."""
    history = source.history.objects
    in_page = _scope(source, patient).filter(history_date__gte=oldest, history_date__lte=newest)
    before = history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    ).order_by("-history_date", "-history_id").values("history_id")[:1]
    in_page = in_page.annotate(previous_id=Subquery(before))
    rows = history.filter(
        Q(history_id__in=in_page.values("history_id")) | Q(history_id__in=in_page.values("previous_id"))
    ).annotate(previous_id=Subquery(before)).select_related("history_user")
    return {row.history_id: row for row in rows}


@dataclass
class _Context:
    """Names the rows refer to by id, read once per page."""

    staff: dict
    entries: dict  # entry id -> (kind, date, recorded_by id) from the entries' history
    exercises: dict
    instruments: dict

    @classmethod
    def load(cls, patient):
        staff = {u.pk: u.display_name for u in User.objects.filter(clinic_id=patient.clinic_id)}
        entries = {}
        for entry_id, kind, date, recorded_by in Entry.history.filter(patient_id=patient.pk).order_by(
            "history_date"
        ).values_list("id", "kind", "date", "recorded_by_id"):
            entries[entry_id] = (kind, date, recorded_by)
        exercises = dict(Exercise.objects.filter(clinic_id=patient.clinic_id).values_list("pk", "name"))
        instruments = dict(Instrument.objects.filter(clinic_id=patient.clinic_id).values_list("pk", "name"))
        return cls(staff=staff, entries=entries, exercises=exercises, instruments=instruments)

    def entry_label(self, entry_id):
        kind, date, _ = self.entries.get(entry_id, (None, None, None))
        if date is None:
            return "an entry"
        what = "self-report" if kind == Entry.SELF_REPORT else "visit"
        return f"the {what} of {_date(date)}"


def _date(value):
    return f"{value.day} {value:%b %Y}"


def _moment(value):
    local = timezone.localtime(value)
    return f"{local.day} {local:%b %Y, %H:%M}"


def _who(kind, row, context: _Context) -> str:
    if row.history_user_id:
        user = row.history_user
        return user.display_name if user else context.staff.get(row.history_user_id, "A former member of staff")
    entry_id = row.id if kind == "entry" else getattr(row, "entry_id", None)
    if kind == "outcome" and row.by == AnsweredBy.PATIENT and row.history_type == "+":
        return PATIENT_VIA_PORTAL
    if kind in ("entry", "pain", "symptom"):
        entry_kind, _, recorded_by = context.entries.get(entry_id, ("", None, None))
        if entry_kind == Entry.SELF_REPORT:
            return PATIENT_VIA_PORTAL
        if row.history_type == "+" and recorded_by:
            # Written outside a request (an import, the shell): the visit names its author.
            return context.staff.get(recorded_by, "A former member of staff")
    return ENGINE


def _shown(row, name, context: _Context) -> str:
    value = getattr(row, name if not hasattr(row, f"{name}_id") else f"{name}_id")
    if value is None or value == "":
        return "—"
    getter = getattr(row, f"get_{name}_display", None)
    if getter is not None:
        return str(getter())
    if name in ("physio", "moved_by", "acknowledged_by", "created_by", "recorded_by"):
        return context.staff.get(value, "a former member of staff")
    if name == "exercise":
        return context.exercises.get(value, "an exercise")
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return _moment(value)
    if isinstance(value, dt.date):
        return _date(value)
    return str(value)


def _diff(row, previous, context: _Context) -> list[tuple[str, str, str]]:
    details = []
    for model_field in row.instance_type._meta.fields:
        name = model_field.name
        if name in HIDDEN_FIELDS or not hasattr(row, model_field.attname):
            continue
        now = _shown(row, name, context)
        before = _shown(previous, name, context) if previous is not None else "—"
        if now != before:
            details.append((model_field.verbose_name[:1].upper() + model_field.verbose_name[1:], before, now))
    return details


def _describe(kind, row, previous, context: _Context) -> Change:
    change = Change(when=row.history_date, who=_who(kind, row, context), what="",
                    why=row.history_change_reason or "", kind=kind)
    created, deleted = row.history_type == "+", row.history_type == "-"
    describe = _DESCRIBERS[kind]
    describe(change, row, previous, context, created=created, deleted=deleted)
    return change


def _patient(change, row, previous, context, *, created, deleted):
    change.what = "Patient record created" if created else "Patient record changed"
    if not created:
        change.details = _diff(row, previous, context)


def _entry(change, row, previous, context, *, created, deleted):
    noun = "Self-report" if row.kind == Entry.SELF_REPORT else "Visit"
    if created:
        change.what = f"{noun} of {_date(row.date)} recorded"
        change.details = [d for d in _diff(row, None, context) if d[0] != "Date"]
    elif deleted:
        change.what = f"{noun} of {_date(row.date)} deleted"
    else:
        change.what = f"{noun} of {_date(row.date)} changed"
        change.details = _diff(row, previous, context)


def _pain(change, row, previous, context, *, created, deleted):
    where = f"{row.get_location_display()}, {row.get_context_display().lower()}"
    on = context.entry_label(row.entry_id)
    if created:
        change.what = f"Pain score added to {on}"
        change.details = [(where, "—", f"{row.score}/10")]
    elif deleted:
        change.what = f"Pain score removed from {on}"
        change.details = [(where, f"{row.score}/10", "—")]
    else:
        change.what = f"Pain score changed on {on}"
        before = f"{previous.score}/10" if previous is not None else "—"
        change.details = [(where, before, f"{row.score}/10")]


def _symptom(change, row, previous, context, *, created, deleted):
    on = context.entry_label(row.entry_id)
    verb = "ticked on" if not deleted else "removed from"
    change.what = f"Red-flag symptom {verb} {on}"
    change.details = [("Symptom", "—" if not deleted else row.get_code_display(),
                       row.get_code_display() if not deleted else "—")]


def _outcome(change, row, previous, context, *, created, deleted):
    name = f"{context.instruments.get(row.instrument_id, 'A questionnaire')} of {_date(row.date)}"
    score = f"{row.score.normalize():f}"
    if created:
        change.what = f"Questionnaire recorded: {name}"
        change.details = [("Score", "—", score)]
    elif deleted:
        change.what = f"Questionnaire deleted: {name}"
        change.details = [("Score", score, "—")]
    else:
        change.what = f"Questionnaire changed: {name}"
        change.details = _diff(row, previous, context)


def _flag(change, row, previous, context, *, created, deleted):
    name = f"{row.get_code_display()} ({row.get_severity_display().lower()})"
    if created:
        change.what = f"Flag raised: {name}"
        change.details = [("Message", "—", row.message)]
        return
    was_closed = previous is not None and previous.closed_at is not None
    was_acknowledged = previous is not None and previous.acknowledged_at is not None
    if row.closed_at is not None and not was_closed:
        change.what = f"Flag closed: {name}"
        change.why = change.why or row.closed_reason
    elif row.closed_at is None and was_closed:
        change.what = f"Flag reopened: {name}"
    elif row.acknowledged_at is not None and not was_acknowledged:
        change.what = f"Flag acknowledged: {name}"
        change.details = [("Note", "—", row.acknowledgement_note)]
        return
    else:
        change.what = f"Flag changed: {name}"
    change.details = _diff(row, previous, context)


def _phase(change, row, previous, context, *, created, deleted):
    move = f"{row.get_from_phase_display()} → {row.get_to_phase_display()}"
    change.what = f"Phase move recorded: {move}" if created else f"Phase move changed: {move}"
    change.why = change.why if not created else (row.reason or change.why)
    if created:
        change.details = [("Takes effect", "—", _date(row.date))]
    else:
        change.details = _diff(row, previous, context)


def _plan(change, row, previous, context, *, created, deleted):
    name = context.exercises.get(row.exercise_id, "An exercise")
    if created:
        change.what = f"Exercise added to the plan: {name}"
    elif deleted:
        change.what = f"Exercise removed from the plan: {name}"
    else:
        change.what = f"Plan exercise changed: {name}"
        change.details = _diff(row, previous, context)


def _link(change, row, previous, context, *, created, deleted):
    if created:
        change.what = "Portal link issued"
        change.details = [("Expires", "—", _moment(row.expires_at))]
    elif row.revoked_at is not None and (previous is None or previous.revoked_at is None):
        change.what = "Portal link revoked"
    else:
        change.what = "Portal link changed"
        change.details = _diff(row, previous, context)


_DESCRIBERS = {
    "patient": _patient, "entry": _entry, "pain": _pain, "symptom": _symptom, "outcome": _outcome, "flag": _flag,
    "phase": _phase, "plan": _plan, "link": _link,
}
