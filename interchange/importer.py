"""Importing a `rehab-caseload/1` document: check all of it, write all of
it in one transaction, or nothing.

A file is read as a stream (interchange.stream), one patient at a time, and
each patient is checked as it comes; checked patients are written in batches
of BATCH_SIZE inside the one transaction (a fixed number of queries per
batch: entries, pain scores, symptoms, patients and their plans by COPY with
their history rows, patients.bulk). After the first error nothing more is
written, every later patient is still checked so the report names them all,
and the transaction is rolled back. So one pass reads the file, and what is
in memory is one batch, whatever the file's size; what grows with the file
is small: each patient's ref (to find a duplicate) and the ids of the
patients whose flags are reconciled afterwards.

COPY fires no signals, so the imported entries are sent to the programme
engine explicitly afterwards, through its batched reconciliation (the
sweep's path); an entry whose evaluation is lost is picked up by the next
sweep (it was saved since that sweep began). New patients start with their
phase's exercise template as a plan.

Per patient, `_import_batch` plans what is new (entries by identity, phase
moves) and `_write` writes a batch: an addition to the format gets a function
of its own called from both.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from content.codes import Phase
from content.models import Exercise
from interchange import schema
from interchange.adherence_import import AdherenceImport
from interchange.decoding import printable, text_problem
from interchange.entry_rows import CHANGE_REASON, entries_write
from interchange.outcome_import import OutcomeImport, outcome_instruments
from interchange.stream import CHUNK_BYTES, CaseloadSource, Document, NotAnObject, caseload_events
from interchange.throughput import fewer_collections
from patients import bulk
from patients.models import Clinic, Entry, EntrySymptom, PainScore, Patient, User
from rehab import flags, plans
from rehab.models import PhaseTransition

BATCH_SIZE = 500
# After a bulk load PostgreSQL's planner still sees the tables as they were
# until autovacuum comes round; the reconciliation that follows an import of
# this many entries would be planned on those old statistics.
ANALYZE_AFTER_ENTRIES = 20_000
ANALYZED = (Patient, Entry, PainScore, EntrySymptom)
PATIENT_UPDATE_FIELDS = (
    "given_name", "family_name", "date_of_birth", "physio_id", "operated_side", "surgery_date",
    "programme_start", "phase", "email",
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
    # Patients whose phase was kept: Kinetic holds a later phase move than the
    # file ("ref: kept Rebuild (moved 5 Dec 2026), the file says Normalise").
    phases_kept: list[str] = field(default_factory=list)
    # The document's own `clinic` field, whatever --clinic says (not reported).
    document_clinic: object = None

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
            "phases_kept": self.phases_kept,
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
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportResult:
    """Import a document already read into memory (a parsed JSON value)."""
    if not isinstance(document, dict):
        return _import(Document(is_object=False, whole=document), iter(()), clinic_slug=clinic_slug,
                       dry_run=dry_run, by=by, progress=progress)
    patients = document.get("patients")
    fields = {key: ([] if key == "patients" and isinstance(value, list) else value) for key, value in document.items()}
    header = Document(fields=fields, patients_lists=int(isinstance(patients, list)))
    return _import(header, enumerate(patients) if isinstance(patients, list) else iter(()),
                   clinic_slug=clinic_slug, dry_run=dry_run, by=by, progress=progress)


def caseload_import_source(
    source: CaseloadSource,
    *,
    clinic_slug: str | None = None,
    dry_run: bool = False,
    by: User | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> ImportResult:
    """Import a file read as a stream, one patient at a time (see
    interchange.stream); the same checks and writes as `caseload_import`.

    Raises CaseloadFileError if the file is not readable JSON; a write
    already begun is then rolled back with the rest.
    """
    header = Document()
    patients = caseload_events(source, header, chunk_bytes=chunk_bytes)
    first = next(patients, None)
    if first is not None and schema.clinic_slug_of(header.fields, clinic_slug) is None:
        # The patients come before the clinic's slug, and the checks of a
        # patient need the clinic: read the whole file once for the fields
        # after the list, then read the patients again.
        for _ in patients:
            pass
        patients = caseload_events(source, Document(), chunk_bytes=chunk_bytes, patients_only=True)
        first = next(patients, None)
    if first is not None:
        patients = itertools.chain([first], patients)
    return _import(header, patients, clinic_slug=clinic_slug, dry_run=dry_run, by=by, progress=progress)


def _import(header: Document, patients: Iterator[tuple[int, object]], *, clinic_slug, dry_run, by, progress):
    """Check every patient as it comes and write them in batches, all in one
    transaction; after the first error only check, and roll back at the end.
    `header.fields` is complete once `patients` is exhausted."""
    with fewer_collections():
        return _import_checked(header, patients, clinic_slug=clinic_slug, dry_run=dry_run, by=by,
                               progress=progress)


def _import_checked(header: Document, patients, *, clinic_slug, dry_run, by, progress):
    slug = schema.clinic_slug_of(header.fields, clinic_slug) if header.is_object else None
    clinic, context = validation_context(slug)
    # The slug is shown and stored with the report: escape what could not be.
    result = ImportResult(clinic=printable(slug) if slug else slug, dry_run=dry_run)
    checker = schema.PatientsChecker(context)
    patient_errors: list[schema.Error] = []
    touched, phase_changed, batch = [], [], []
    count = 0
    with transaction.atomic():
        staff = dict(User.objects.filter(clinic=clinic).values_list("username", "pk")) if clinic else {}

        def flush():
            changed = _import_batch(clinic, batch, staff, result, by=by, dry_run=dry_run)
            touched.extend(changed[0])
            phase_changed.extend(changed[1])
            batch.clear()
            if progress:
                progress(count, None)

        for index, raw in patients:
            patient, errors = checker.check(raw, index)
            if errors:
                patient_errors += errors
                batch.clear()
            elif not patient_errors and clinic is not None:
                count += 1
                batch.append(patient)
                if len(batch) >= BATCH_SIZE:
                    flush()
        result.document_clinic = header.fields.get("clinic")
        result.errors = _document_errors(header, context, clinic_slug) + patient_errors
        if not result.errors and batch:
            flush()
        if result.errors:
            transaction.set_rollback(True)
            return result
        result.patients_total = count
        if dry_run:
            return result
        for patient_id, phase in phase_changed:
            flags.progress_flags_close_on_phase_move(patient_id=patient_id, discharged=phase == Phase.DISCHARGED)
    result.written = True
    if result.entries_created >= ANALYZE_AFTER_ENTRIES:
        bulk.statistics_refresh(*ANALYZED)
    # The engine's own batched path (what the sweep runs), once the data is
    # committed; should it fail, the next sweep finds the entries saved since it
    # last ran and raises their flags.
    flags.patients_reconcile_by_id(touched)
    return result


def _document_errors(header: Document, context, clinic_slug) -> list[schema.Error]:
    """The errors of the document apart from its patients' own."""
    if not header.is_object:
        if isinstance(header.whole, NotAnObject):
            return [schema.Error(None, "", f"the document must be a JSON object, not {header.whole.kind}")]
        return schema.document_header_validate(header.whole, context)[0]
    errors = schema.document_header_validate(header.fields, context, clinic_override=clinic_slug)[0]
    if header.patients_lists > 1:
        errors.append(schema.Error(None, "patients", "given more than once: a file has one list of patients"))
    return errors


def _import_batch(clinic, batch, staff, result: ImportResult, *, by, dry_run):
    """Plan and (unless dry_run) write one batch; returns (touched ids, phase-changed ids)."""
    # Locked (unless only checking): a clinician's edit or phase move made while
    # the import runs waits for it, instead of being overwritten by the file's copy.
    found = Patient.objects.filter(clinic=clinic, ref__in=[p.ref for p in batch]).order_by("pk")
    existing = {p.ref: p for p in (found if dry_run else found.select_for_update())}
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
        if data.email is not None or patient is None:  # absent from the file: the stored address stays
            fields["email"] = data.email or ""
        if patient is not None and data.phase != patient.phase:
            later = _later_move(known_moves, patient, data.phase_history)
            if later is not None:
                # An older file: Kinetic's move is newer than anything the file
                # knows, and the phase stays what that move made it.
                fields["phase"] = patient.phase
                result.phases_kept.append(
                    f"{data.ref}: kept {Phase(patient.phase).label} (moved {later.day} {later:%b %Y}, after the file's "
                    f"last phase move); the file says {Phase(data.phase).label}")
        if patient is None:
            patient = Patient(clinic=clinic, ref=data.ref, **fields)
            new_patients.append(patient)
            is_new = is_changed = True
        else:
            is_new = False
            is_changed = any(getattr(patient, name) != value for name, value in fields.items())
            if patient.phase != fields["phase"]:
                phase_changed.append((patient.pk, fields["phase"]))
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


def _later_move(known_moves, patient, file_moves):
    """The date of the patient's latest phase move in Kinetic when the file
    has no move on or after it (None otherwise)."""
    stored = [date for patient_id, date, *_ in known_moves if patient_id == patient.pk]
    if not stored:
        return None
    latest = max(stored)
    if any(move.date >= latest for move in file_moves):
        return None
    return latest


def _write(clinic, new_patients, updated_patients, new_entries, new_moves, staff, by):
    history = dict(default_user=by, default_change_reason=CHANGE_REASON)
    if new_patients:
        bulk.objects_copy_with_history(Patient, new_patients, at=timezone.now(), user_id=by.pk if by else None,
                                       reason=CHANGE_REASON)
        plans.plans_assign_from_templates(patients=new_patients, history=history)
    if updated_patients:
        bulk_update_with_history(updated_patients, Patient, list(PATIENT_UPDATE_FIELDS) + ["updated_at"],
                                 batch_size=BATCH_SIZE, **history)
    if new_entries:
        entries_write(new_entries, by=by)
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
