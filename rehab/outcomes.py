"""Outcome measures of a patient, read for the pages, the export and the
criteria (DESIGN.md §9): each scheduled questionnaire and performance test
with its readings, baseline, change band and schedule status.

    outcome_scores_by_patient(patient_ids)  -> {patient_id: [rules.OutcomeScore]}
    patient_outcome_tracks(patient, entries, as_of=...) -> [OutcomeTrack]
    discharge_outcomes_missing(patient, entries, discharge_on=...) -> [OutcomeTrack]
    questionnaires_due(patient, as_of=...) -> [(Instrument, ScheduleStatus)]

A fixed number of queries: the clinic's instruments, its detectable
changes, and the patient's administrations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from content.codes import EntryKind
from content.instruments import Instrument, MinimalDetectableChange
from content.measures import PERFORMANCE_TESTS
from patients.models import Entry, OutcomeAdministration
from rehab.rules import OutcomeScore
from rehab.rules.outcomes import (
    ScheduleStatus,
    change_is_real,
    missing_at_discharge,
    outcome_status,
    schedule_anchor,
)

QUESTIONNAIRE = "questionnaire"
PERFORMANCE = "performance"


@dataclass
class OutcomeTrack:
    code: str  # the instrument's code, or the performance test's measure code
    label: str
    kind: str  # QUESTIONNAIRE or PERFORMANCE
    unit: str
    higher_is_better: bool
    band: Decimal | None  # the meaningful change (questionnaire) or minimal detectable change (test)
    band_source: str
    readings: list[tuple[dt.date, Decimal]] = field(default_factory=list)  # oldest first
    status: ScheduleStatus | None = None
    instrument_id: int | None = None
    # A questionnaire's administrations, oldest first: (id, date, score, answered by).
    administrations: list[tuple] = field(default_factory=list)

    @property
    def baseline(self):
        return self.readings[0][1] if self.readings else None

    @property
    def latest(self):
        return self.readings[-1][1] if self.readings else None

    @property
    def change(self):
        if len(self.readings) < 2:
            return None
        return Decimal(str(self.latest)) - Decimal(str(self.baseline))

    @property
    def change_is_real(self) -> bool:
        return len(self.readings) > 1 and change_is_real(self.baseline, self.latest, self.band,
                                                          meaningful=self.kind == QUESTIONNAIRE)

    @property
    def improved(self) -> bool | None:
        """Whether the change from baseline is in the better direction (None: no change yet)."""
        if not self.change:
            return None
        return (self.change > 0) == self.higher_is_better


def outcome_scores_by_patient(patient_ids) -> dict:
    """{patient_id: [rules.OutcomeScore, oldest first]} in one query: what
    exit criteria on questionnaire scores read (rehab.record.criteria_evaluate)."""
    grouped = defaultdict(list)
    rows = (
        OutcomeAdministration.objects.filter(patient_id__in=list(patient_ids))
        .order_by("patient_id", "date", "created_at")
        .values_list("patient_id", "date", "instrument__code", "score")
    )
    for patient_id, date, code, score in rows:
        grouped[patient_id].append(OutcomeScore(date=date, instrument=code, score=score))
    return grouped


def patient_outcome_tracks(patient, entries, *, as_of: dt.date) -> list[OutcomeTrack]:
    """The patient's scheduled questionnaires, then the performance tests,
    each with its readings and schedule status on ``as_of``. ``entries`` are
    the patient's rules.Entry (rehab.record.entries_by_patient). An
    unscheduled instrument the patient has answered is shown too (no status)."""
    instruments = list(Instrument.objects.filter(clinic_id=patient.clinic_id, is_active=True))
    administrations = list(
        OutcomeAdministration.objects.filter(patient=patient).order_by("date", "created_at")
        .values_list("instrument_id", "date", "score", "id", "by")
    )
    detectable, sources = {}, {}
    for code, value, source in MinimalDetectableChange.objects.filter(clinic_id=patient.clinic_id).values_list(
        "measure", "value", "source"
    ):
        detectable[code], sources[code] = value, source
    visits = [e for e in entries if e.is_visit]
    anchor = schedule_anchor(first_visit=min((v.date for v in visits), default=None),
                             programme_start=patient.programme_start)
    answered = {instrument_id for instrument_id, *_ in administrations}
    tracks = []
    for instrument in instruments:
        if not (instrument.scheduled or instrument.pk in answered):
            continue
        track = OutcomeTrack(
            code=instrument.code, label=instrument.name, kind=QUESTIONNAIRE, unit="",
            higher_is_better=instrument.higher_is_better, band=instrument.meaningful_change,
            band_source=instrument.meaningful_change_source, instrument_id=instrument.pk,
            readings=[(date, score) for instrument_id, date, score, *_ in administrations
                      if instrument_id == instrument.pk],
            administrations=[(pk, date, score, by) for instrument_id, date, score, pk, by in administrations
                             if instrument_id == instrument.pk],
        )
        if instrument.scheduled:
            track.status = outcome_status([d for d, _ in track.readings], anchor=anchor, as_of=as_of,
                                          active=patient.is_active)
        tracks.append(track)
    for code, measure in PERFORMANCE_TESTS.items():
        readings = [(v.date, v.measures[code]) for v in visits if v.measures.get(code) is not None]
        tracks.append(OutcomeTrack(
            code=code, label=measure.label, kind=PERFORMANCE, unit=measure.unit,
            higher_is_better=measure.higher_is_better, band=detectable.get(code, measure.mdc_default),
            band_source=sources.get(code, measure.mdc_source), readings=readings,
            status=outcome_status([d for d, _ in readings], anchor=anchor, as_of=as_of,
                                  active=patient.is_active),
        ))
    return tracks


def discharge_outcomes_missing(patient, entries, *, discharge_on: dt.date) -> list[OutcomeTrack]:
    """The scheduled measures with no final measurement in the days up to
    ``discharge_on``: what the discharge form asks for."""
    tracks = [t for t in patient_outcome_tracks(patient, entries, as_of=discharge_on) if t.status is not None]
    missing = set(missing_at_discharge({t.code: [d for d, _ in t.readings] for t in tracks},
                                       discharge_on=discharge_on))
    return [t for t in tracks if t.code in missing]


def questionnaires_due(patient, *, as_of: dt.date) -> list[tuple[Instrument, ScheduleStatus]]:
    """The scheduled questionnaires due or overdue for the patient on
    ``as_of``, with their status: what the portal asks the patient to fill in.
    Three queries, however long the record (the first visit's date, the
    clinic's scheduled instruments, the patient's administration dates)."""
    if not patient.is_active:
        return []
    first_visit = (
        Entry.objects.filter(patient=patient, kind=EntryKind.VISIT).order_by("date").values_list("date", flat=True)
        .first()
    )
    # item_count: how many questions, told to the patient before they start.
    instruments = list(Instrument.objects.filter(clinic_id=patient.clinic_id, is_active=True, scheduled=True)
                       .annotate(item_count=Count("items")))
    last_taken = {}
    for instrument_id, date in OutcomeAdministration.objects.filter(patient=patient, date__lte=as_of).values_list(
        "instrument_id", "date"
    ):
        last_taken[instrument_id] = max(date, last_taken.get(instrument_id, date))
    return questionnaires_due_from(instruments, last_taken=last_taken, first_visit=first_visit,
                                   programme_start=patient.programme_start, as_of=as_of)


def questionnaires_due_from(instruments, *, last_taken: dict, first_visit: dt.date | None,
                            programme_start: dt.date, as_of: dt.date) -> list[tuple[Instrument, ScheduleStatus]]:
    """questionnaires_due from what was read already: the clinic's scheduled
    `instruments`, the latest date each was taken on or before ``as_of``
    ({instrument id: date}) and the patient's first visit (for an active patient)."""
    anchor = schedule_anchor(first_visit=first_visit, programme_start=programme_start)
    due = []
    for instrument in instruments:
        last = last_taken.get(instrument.pk)
        status = outcome_status([last] if last else [], anchor=anchor, as_of=as_of)
        if status.is_due:
            due.append((instrument, status))
    return due
