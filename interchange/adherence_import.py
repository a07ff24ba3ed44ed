"""The adherence marks of an import (INTERCHANGE.md section 2), gathered
patient by patient and written in bulk.

A mark is identified by its patient, day and exercise (one mark per exercise
per day): a re-import adds only the marks a patient does not have yet, and
leaves the status of an existing mark as it is.
"""

from __future__ import annotations

from simple_history.utils import bulk_create_with_history

from content.models import Exercise
from patients.models import AdherenceMark

BATCH_SIZE = 2000


class AdherenceImport:
    """Give it each patient's marks (`add`), then `write` the new ones."""

    def __init__(self, clinic, existing_patient_ids):
        self.exercise_ids = dict(Exercise.objects.filter(clinic=clinic).values_list("code", "pk"))
        self.have = set(
            AdherenceMark.objects.filter(patient_id__in=list(existing_patient_ids))
            .values_list("patient_id", "date", "exercise_id")
        )
        self.new: list[AdherenceMark] = []
        self.existing = 0

    def add(self, patient, marks) -> int:
        """Plan the patient's marks (validated AdherenceSpecs); how many are new."""
        added = 0
        for mark in marks:
            exercise_id = self.exercise_ids[mark.exercise]
            key = (patient.pk, mark.date, exercise_id)
            if key in self.have:
                self.existing += 1
                continue
            self.have.add(key)
            self.new.append(AdherenceMark(patient_id=patient.pk, exercise_id=exercise_id, date=mark.date,
                                          status=mark.status))
            added += 1
        return added

    @property
    def created(self) -> int:
        return len(self.new)

    def write(self, *, history: dict) -> None:
        if self.new:
            bulk_create_with_history(self.new, AdherenceMark, batch_size=BATCH_SIZE, **history)
