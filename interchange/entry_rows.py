"""The entries of an import as rows: each entry with its pain scores and
symptoms, and the history rows of all three, written by COPY
(patients.bulk)."""

from __future__ import annotations

import uuid

from django.utils import timezone

from patients import bulk
from patients.models import Entry, EntrySymptom, PainScore, User

CHANGE_REASON = "Imported from a caseload file"

ENTRY_COLUMNS = tuple(f.column for f in Entry._meta.concrete_fields)
# An entry row before its own values: every column's default (a column with
# a computed default, the key and the times, is always set below).
_ENTRY_TEMPLATE = tuple(None if f.has_default() and callable(f.default) else f.get_default()
                        for f in Entry._meta.concrete_fields)
_ENTRY_POSITION = {column: i for i, column in enumerate(ENTRY_COLUMNS)}
_ENTRY_ID, _ENTRY_PATIENT, _ENTRY_CREATED, _ENTRY_UPDATED = (
    _ENTRY_POSITION[column] for column in ("id", "patient_id", "created_at", "updated_at"))


def entries_write(new_entries, *, by: User | None) -> None:
    """Write (patient, EntrySpec) pairs with their pain scores and symptoms,
    and the history rows of all three: a COPY per table. A row is a list
    filled by position (a file has ten entries a patient: no dict per row).
    Each is saved now, so an entry whose evaluation is lost is picked up by
    the next sweep; PostgreSQL fills its pain summary from the COPY of its
    pain scores (patients migration 0018)."""
    now = timezone.now()
    entry_rows, entry_ids, pain, symptoms = [], [], [], []
    position = _ENTRY_POSITION
    for patient, data in new_entries:
        entry_id = uuid.uuid4()
        row = list(_ENTRY_TEMPLATE)
        row[_ENTRY_ID], row[_ENTRY_PATIENT], row[_ENTRY_CREATED], row[_ENTRY_UPDATED] = entry_id, patient.pk, now, now
        for name, value in data.entry_fields().items():
            row[position[name]] = value
        entry_rows.append(row)
        entry_ids.append(entry_id)
        pain += [(entry_id, p.location, p.context, p.score) for p in data.pain]
        symptoms += [(entry_id, code) for code in data.symptoms]
    history = dict(at=now, user_id=by.pk if by else None, reason=CHANGE_REASON)
    bulk.rows_copy_with_history(Entry, ENTRY_COLUMNS, entry_rows, **history)
    bulk.rows_copy_keyed_by_database(PainScore, ("entry_id", "location", "context", "score"), pain,
                                     of=("entry_id", entry_ids), **history)
    if symptoms:
        bulk.rows_copy_keyed_by_database(EntrySymptom, ("entry_id", "code"), symptoms, of=("entry_id", entry_ids),
                                         **history)
