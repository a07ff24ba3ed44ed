"""Importing a `rehab-caseload/1` document: validate all of it, then write all
of it in one transaction, or nothing.

Writes are batched (bulk inserts with their history rows, a fixed number of
queries per batch of patients). `bulk_create` fires no signals, so the
imported entries are sent to the programme engine explicitly afterwards,
through its batched reconciliation (the sweep's path); an entry whose
evaluation is lost is picked up by the next sweep (its `flags_checked_at` is
empty). New patients start with their phase's exercise template as a plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from content.models import Exercise
from interchange import schema
from interchange.adherence_import import AdherenceImport
from interchange.decoding import printable, text_problem
from interchange.outcome_import import OutcomeImport, outcome_instruments
from patients.models import Clinic, Entry, EntrySymptom, PainScore, Patient, User
from rehab import flags, plans
from rehab.models import PhaseTransition

BATCH_SIZE = 500
# Above this many touched patients the flags are reconciled in batches in
# this process instead of one Celery task per patient.
CHANGE_REASON = "Imported from a caseload file"
PATIENT_UPDATE_FIELDS = (
    "given_name", "family_name", "date_of_birth", "physio_id", "operated_side", "surgery_date",
    "programme_start", "phase",
)


@dataclass
class ImportResult:
    clinic: str | None
    errors: list[schema.Error] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    patients_total: int = 0
    patients_created: int = 0
    patients_updated: int = 0
    patients_unchanged: int = 0
    entries_created: int = 0
    entries_existing: int = 0
    transitions_created: int = 0
    marks_created: int = 0
    marks_existing: int = 0
    outcomes_created: int = 0
    outcomes_existing: int = 0

    @property
    def ok(self):
        return not self.errors

    def as_dict(self):
        return {
            "clinic": self.clinic,
            "errors": [e.as_dict() for e in self.errors],
            "dry_run": self.dry_run,
            "written": self.written,
            "patients_total": self.patients_total,
            "patients_created": self.patients_created,
            "patients_updated": self.patients_updated,
            "patients_unchanged": self.patients_unchanged,
            "entries_created": self.entries_created,
            "entries_existing": self.entries_existing,
            "transitions_created": self.transitions_created,
            "marks_created": self.marks_created,
            "marks_existing": self.marks_existing,
            "outcomes_created": self.outcomes_created,
            "outcomes_existing": self.outcomes_existing,
        }

    def summary(self):
        verb = "would be" if not self.written else "were"
        return (
            f"{self.patients_total} patients: {self.patients_created} {verb} created, "
            f"{self.patients_updated} {verb} updated, {self.patients_unchanged} unchanged; "
            f"{self.entries_created} entries {verb} added ({self.entries_existing} already present); "
            f"{self.transitions_created} phase moves {verb} added; "
            f"{self.marks_created} adherence marks {verb} added ({self.marks_existing} already present); "
            f"{self.outcomes_created} questionnaires {verb} added ({self.outcomes_existing} already present)."
        )


def validation_context(slug: str | None) -> tuple[Clinic | None, schema.Context]:
    # A slug PostgreSQL cannot take (NUL, a lone surrogate) names no clinic;
    # the validator reports why.
    readable = isinstance(slug, str) and text_problem(slug) is None
    clinic = Clinic.objects.filter(slug=slug).first() if slug and readable else None
    if clinic is None:
        return None, schema.Context(clinic_known=False, physios=frozenset(), staff=frozenset(),
                                    today=dt.date.today())
    staff = dict(User.objects.filter(clinic=clinic).values_list("username", "role"))
    return clinic, schema.Context(
        clinic_known=True,
        physios=frozenset(name for name, role in staff.items() if role == User.PHYSIO),
        staff=frozenset(staff),
        today=clinic.today(),
        exercise_codes=frozenset(Exercise.objects.filter(clinic=clinic).values_list("code", flat=True)),
        instruments=outcome_instruments(clinic),
    )


def caseload_validate(document, *, clinic_slug: str | None = None) -> ImportResult:
    """Validate without writing: the errors, or what an import would do."""
    return caseload_import(document, clinic_slug=clinic_slug, dry_run=True)


def caseload_import(
    document,
    *,
    clinic_slug: str | None = None,
    dry_run: bool = False,
    by: User | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    slug = schema.clinic_slug_of(document, clinic_slug)
    clinic, context = validation_context(slug)
    validation = schema.document_validate(document, context, clinic_override=clinic_slug)
    # The slug is shown and stored with the report: escape what could not be.
    result = ImportResult(clinic=printable(slug) if slug else slug, errors=validation.errors, dry_run=dry_run)
    if not validation.ok:
        return result
    patients = validation.patients
    result.patients_total = len(patients)
    touched, phase_changed = [], []
    with transaction.atomic():
        staff = dict(User.objects.filter(clinic=clinic).values_list("username", "pk"))
        for start in range(0, len(patients), BATCH_SIZE):
            batch = patients[start:start + BATCH_SIZE]
            changed = _import_batch(clinic, batch, staff, result, by=by, dry_run=dry_run)
            touched += changed[0]
            phase_changed += changed[1]
            if progress:
                progress(min(start + BATCH_SIZE, len(patients)), len(patients))
        if dry_run:
            return result
        for patient_id in phase_changed:
            flags.progress_flags_close_on_phase_move(patient_id=patient_id)
    result.written = True
    # The engine's own batched path (what the sweep runs), once the data is
    # committed; should it fail, the entries stay unchecked and the next sweep
    # raises their flags.
    flags.patients_reconcile_by_id(touched)
    return result


def _import_batch(clinic, batch, staff, result: ImportResult, *, by, dry_run):
    """Plan and (unless dry_run) write one batch; returns (touched ids, phase-changed ids)."""
    existing = {p.ref: p for p in Patient.objects.filter(clinic=clinic, ref__in=[p.ref for p in batch])}
    existing_ids = [p.pk for p in existing.values()]
    entry_counts = defaultdict(Counter)
    for patient_id, kind, date, ref in Entry.objects.filter(patient_id__in=existing_ids).values_list(
        "patient_id", "kind", "date", "ref"
    ):
        entry_counts[patient_id][(kind, date, ref)] += 1
    known_moves = set(
        PhaseTransition.objects.filter(patient_id__in=existing_ids).values_list(
            "patient_id", "date", "from_phase", "to_phase"
        )
    )

    new_patients, updated_patients, new_entries, new_moves = [], [], [], []
    touched, phase_changed = [], []
    marks = AdherenceImport(clinic, existing_ids)
    outcomes = OutcomeImport(clinic, existing_ids)
    for data in batch:
        patient = existing.get(data.ref)
        fields = dict(
            given_name=data.given_name, family_name=data.family_name, date_of_birth=data.date_of_birth,
            physio_id=staff.get(data.physio) if data.physio else None, operated_side=data.operated_side,
            surgery_date=data.surgery_date, programme_start=data.programme_start, phase=data.phase,
        )
        if patient is None:
            patient = Patient(clinic=clinic, ref=data.ref, **fields)
            new_patients.append(patient)
            is_new = is_changed = True
        else:
            is_new = False
            is_changed = any(getattr(patient, name) != value for name, value in fields.items())
            if patient.phase != data.phase:
                phase_changed.append(patient.pk)
            if is_changed:
                for name, value in fields.items():
                    setattr(patient, name, value)
                patient.updated_at = timezone.now()  # bulk_update skips auto_now
                updated_patients.append(patient)

        # An entry is new when the file holds more entries with its identity
        # (kind, date, ref) than the database does: re-importing adds nothing.
        have = entry_counts.get(patient.pk, Counter())
        seen = Counter()
        added = 0
        for entry in data.entries:
            seen[entry.key] += 1
            if seen[entry.key] > have[entry.key]:
                new_entries.append((patient, entry))
                added += 1
            else:
                result.entries_existing += 1
        result.entries_created += added
        for move in data.phase_history:
            key = (patient.pk, move.date, move.from_phase, move.to_phase)
            if key not in known_moves:
                known_moves.add(key)
                new_moves.append((patient, move))
                result.transitions_created += 1
        result.marks_created += marks.add(patient, data.adherence)
        answered = outcomes.add(patient, data.outcomes)
        result.outcomes_created += answered
        if is_new:
            result.patients_created += 1
        elif is_changed:
            result.patients_updated += 1
        else:
            result.patients_unchanged += 1
        if is_changed or added or answered:
            touched.append(patient.pk)

    result.marks_existing += marks.existing
    result.outcomes_existing += outcomes.existing
    if dry_run:
        return [], []
    _write(clinic, new_patients, updated_patients, new_entries, new_moves, staff, by)
    marks.write(history=dict(default_user=by, default_change_reason=CHANGE_REASON))
    outcomes.write(history=dict(default_user=by, default_change_reason=CHANGE_REASON))
    return touched, phase_changed


def _write(clinic, new_patients, updated_patients, new_entries, new_moves, staff, by):
    history = dict(default_user=by, default_change_reason=CHANGE_REASON)
    if new_patients:
        bulk_create_with_history(new_patients, Patient, batch_size=BATCH_SIZE, **history)
        plans.plans_assign_from_templates(patients=new_patients, history=history)
    if updated_patients:
        bulk_update_with_history(updated_patients, Patient, list(PATIENT_UPDATE_FIELDS) + ["updated_at"],
                                 batch_size=BATCH_SIZE, **history)
    entries, pain, symptoms = [], [], []
    for patient, data in new_entries:
        entry = Entry(patient_id=patient.pk, **data.entry_fields())
        entries.append(entry)
        pain += [PainScore(entry=entry, location=p.location, context=p.context, score=p.score) for p in data.pain]
        symptoms += [EntrySymptom(entry=entry, code=code) for code in data.symptoms]
    if entries:
        bulk_create_with_history(entries, Entry, batch_size=BATCH_SIZE, **history)
    if pain:
        bulk_create_with_history(pain, PainScore, batch_size=2000, **history)
    if symptoms:
        bulk_create_with_history(symptoms, EntrySymptom, batch_size=2000, **history)
    if new_moves:
        moves = [
            PhaseTransition(
                patient_id=patient.pk, from_phase=move.from_phase, to_phase=move.to_phase,
                moved_by_id=staff.get(move.by) if move.by else None, date=move.date, reason=move.reason,
                moved_at=dt.datetime.combine(move.date, dt.time(12), tzinfo=clinic.tz),
            )
            for patient, move in new_moves
        ]
        bulk_create_with_history(moves, PhaseTransition, batch_size=BATCH_SIZE, **history)
