"""The questionnaire administrations of an import (INTERCHANGE.md "OUTCOME"),
gathered patient by patient and written in bulk.

An administration is identified by its patient, questionnaire and day (one a
day, as the database keeps it): a re-import adds only those a patient does
not have yet. Each was scored when it was checked (interchange.specs.OutcomeSpec,
through content.scoring), so the stored raw sum and score are the ones the
portal and the staff form would have stored.
"""

from __future__ import annotations

from content.instruments import Instrument
from content.scoring import InstrumentSpec
from interchange.rows_import import RowsImport
from patients.models import OutcomeAdministration


def outcome_instruments(clinic) -> dict[str, InstrumentSpec]:
    """The clinic's questionnaires as the checks read them, by code (four queries)."""
    instruments = Instrument.objects.filter(clinic=clinic).prefetch_related("items", "options", "conversion_rows")
    return {instrument.code: instrument.spec() for instrument in instruments}


class OutcomeImport(RowsImport):
    """Give it each patient's administrations (`add`), then `write` the new ones."""

    model = OutcomeAdministration

    def __init__(self, clinic, existing_patient_ids):
        self.instrument_ids = dict(Instrument.objects.filter(clinic=clinic).values_list("code", "pk"))
        super().__init__(
            OutcomeAdministration.objects.filter(patient_id__in=list(existing_patient_ids))
            .values_list("patient_id", "instrument_id", "date")
        )

    def add(self, patient, outcomes) -> int:
        """Plan the patient's administrations (validated OutcomeSpecs); how many are new."""
        added = 0
        for outcome in outcomes:
            instrument_id = self.instrument_ids[outcome.instrument]
            added += self.plan((patient.pk, instrument_id, outcome.date), lambda outcome=outcome, instrument_id=instrument_id: (
                _administration(patient, instrument_id, outcome)
            ))
        return added


def _administration(patient, instrument_id, outcome) -> OutcomeAdministration:
    named = outcome.activities is not None
    return OutcomeAdministration(
        patient_id=patient.pk, instrument_id=instrument_id, date=outcome.date, by=outcome.by,
        answers=[] if named else list(outcome.answers or []),
        activities=[{"activity": a.activity, "score": a.score} for a in outcome.activities] if named else [],
        raw=outcome.scored.raw, score=outcome.scored.score,
    )
