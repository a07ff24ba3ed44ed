"""The adherence marks of an import (INTERCHANGE.md section 2), gathered
patient by patient and written in bulk.

A mark is identified by its patient, day and exercise (one mark per exercise
per day): a re-import adds only the marks a patient does not have yet, and
leaves the status of an existing mark as it is.
"""

from __future__ import annotations

from content.models import Exercise
from interchange.rows_import import RowsImport
from patients.models import AdherenceMark


class AdherenceImport(RowsImport):
    """Give it each patient's marks (`add`), then `write` the new ones."""

    model = AdherenceMark

    def __init__(self, clinic, existing_patient_ids):
        self.exercise_ids = dict(Exercise.objects.filter(clinic=clinic).values_list("code", "pk"))
        super().__init__(
            AdherenceMark.objects.filter(patient_id__in=list(existing_patient_ids))
            .values_list("patient_id", "date", "exercise_id")
        )

    def add(self, patient, marks) -> int:
        """Plan the patient's marks (validated AdherenceSpecs); how many are new."""
        added = 0
        for mark in marks:
            exercise_id = self.exercise_ids[mark.exercise]
            added += self.plan((patient.pk, mark.date, exercise_id), lambda mark=mark, exercise_id=exercise_id: (
                AdherenceMark(patient_id=patient.pk, exercise_id=exercise_id, date=mark.date, status=mark.status)
            ))
        return added
