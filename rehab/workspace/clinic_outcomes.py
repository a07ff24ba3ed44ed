"""The clinic's outcomes page (issue 12, DESIGN.md §9): for the patients
discharged in a chosen period, the share who reached a meaningful change on
each measure, the median weeks spent in each phase, and how fast red flags
raised in the period were acknowledged.

`clinic_outcomes(clinic, start, end)` reads a fixed number of queries
whatever the clinic's size and hands plain data to the small pure functions
below (`measure_result`, `weeks_per_phase`, `median`), which the tests pin.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from content.codes import PHASE_ORDER, Phase
from content.flag_kinds import ENTRY_FLAG_CODES
from content.instruments import Instrument, MinimalDetectableChange
from content.measures import PERFORMANCE_TESTS
from patients.models import Entry, OutcomeAdministration
from rehab.models import Flag, PhaseTransition
from rehab.rules.outcomes import change_is_real

DEFAULT_DAYS = 365
MAX_DAYS = 366 * 5


class PeriodForm(forms.Form):
    start = forms.DateField(label="Discharged from", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="to", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if end and end > self.today:
            self.add_error("end", f"Nobody is discharged after today: choose an end on or before "
                                  f"{self.today.day} {self.today:%b %Y}.")
        elif start and end:
            if start > end:
                self.add_error("end", "The end of the period must be on or after its start.")
            elif (end - start).days > MAX_DAYS:
                self.add_error("start", "Choose a period of five years or less.")
        return data


@dataclass
class MeasureResult:
    code: str
    label: str
    band: Decimal | None  # the meaningful (questionnaire) or minimal detectable (test) change
    band_source: str
    higher_is_better: bool
    meaningful: bool = False  # a questionnaire's meaningful change (reached), not a test's detectable one (exceeded)
    patients: int = 0  # discharged patients with a baseline and a later measurement
    improved: int = 0  # of those, improved by more than the band
    without_pair: int = 0  # discharged patients measured once or never

    @property
    def share(self) -> float | None:
        return self.improved / self.patients if self.patients and self.band is not None else None


@dataclass
class FlagSpeed:
    acknowledged: int = 0
    median_hours: float | None = None
    worst_hours: float | None = None
    open: int = 0
    oldest_open_hours: float | None = None


@dataclass
class ClinicOutcomes:
    start: dt.date
    end: dt.date
    discharged: int
    measures: list[MeasureResult] = field(default_factory=list)
    phase_weeks: list[tuple[str, float | None, int]] = field(default_factory=list)  # (label, median, patients)
    flags: FlagSpeed = field(default_factory=FlagSpeed)


def median(values):
    return statistics.median(values) if values else None


def measure_result(result: MeasureResult, readings_by_patient: dict, patient_ids) -> MeasureResult:
    """Fill `result` from {patient: [(date, value), ...] oldest first}: the
    first reading is the baseline, the last the final one."""
    for patient_id in patient_ids:
        readings = readings_by_patient.get(patient_id, [])
        if len(readings) < 2:
            result.without_pair += 1
            continue
        result.patients += 1
        baseline, final = readings[0][1], readings[-1][1]
        better = (final > baseline) == result.higher_is_better and final != baseline
        if better and change_is_real(baseline, final, result.band, meaningful=result.meaningful):
            result.improved += 1
    return result


def weeks_per_phase(programme_start: dt.date, moves: list[tuple[dt.date, str, str]]) -> dict[str, float]:
    """Weeks spent in each programme phase, from the programme start and the
    patient's phase moves (date, from, to) oldest first, up to the discharge."""
    days = defaultdict(int)
    since = programme_start
    for date, from_phase, _to in moves:
        if from_phase in PHASE_ORDER:
            days[from_phase] += max((date - since).days, 0)
        since = date
    return {phase: total / 7 for phase, total in days.items()}


def clinic_outcomes(clinic, start: dt.date, end: dt.date) -> ClinicOutcomes:
    discharges = {}
    for patient_id, date in (
        # Discharged and still so: a patient re-admitted since is in the programme again.
        PhaseTransition.objects.filter(patient__clinic=clinic, patient__phase=Phase.DISCHARGED,
                                       to_phase=Phase.DISCHARGED)
        .order_by("date", "moved_at").values_list("patient_id", "date")
    ):
        discharges[patient_id] = date  # the last discharge counts
    discharged = {pid: date for pid, date in discharges.items() if start <= date <= end}
    ids = list(discharged)
    report = ClinicOutcomes(start=start, end=end, discharged=len(ids))

    # Readings up to each patient's discharge, oldest first.
    questionnaire = defaultdict(lambda: defaultdict(list))
    for patient_id, instrument_id, date, score in (
        OutcomeAdministration.objects.filter(patient_id__in=ids)
        .order_by("date", "created_at").values_list("patient_id", "instrument_id", "date", "score")
    ):
        if date <= discharged[patient_id]:
            questionnaire[instrument_id][patient_id].append((date, score))
    performance = defaultdict(lambda: defaultdict(list))
    for row in (
        Entry.objects.filter(patient_id__in=ids, kind="visit").order_by("date", "created_at")
        .values_list("patient_id", "date", *PERFORMANCE_TESTS)
    ):
        patient_id, date, values = row[0], row[1], row[2:]
        if date <= discharged[patient_id]:
            for code, value in zip(PERFORMANCE_TESTS, values, strict=True):
                if value is not None:
                    performance[code][patient_id].append((date, value))

    for instrument in Instrument.objects.filter(clinic=clinic).order_by("order", "name"):
        if not (instrument.is_active or questionnaire.get(instrument.pk)):
            continue
        report.measures.append(measure_result(MeasureResult(
            code=instrument.code, label=instrument.name, band=instrument.meaningful_change,
            band_source=instrument.meaningful_change_source, higher_is_better=instrument.higher_is_better,
            meaningful=True,
        ), questionnaire.get(instrument.pk, {}), ids))
    detectable = {m.measure: m for m in MinimalDetectableChange.objects.filter(clinic=clinic)}
    for code, measure in PERFORMANCE_TESTS.items():
        setting = detectable.get(code)
        report.measures.append(measure_result(MeasureResult(
            code=code, label=measure.label,
            band=setting.value if setting else measure.mdc_default,
            band_source=setting.source if setting else measure.mdc_source,
            higher_is_better=measure.higher_is_better,
        ), performance.get(code, {}), ids))

    moves = defaultdict(list)
    for patient_id, date, from_phase, to_phase in (
        PhaseTransition.objects.filter(patient_id__in=ids).order_by("date", "moved_at")
        .values_list("patient_id", "date", "from_phase", "to_phase")
    ):
        moves[patient_id].append((date, from_phase, to_phase))
    weeks = defaultdict(list)
    starts = dict(clinic.patients.filter(pk__in=ids).values_list("pk", "programme_start"))
    for patient_id in ids:
        for phase, value in weeks_per_phase(starts[patient_id], moves[patient_id]).items():
            weeks[phase].append(value)
    report.phase_weeks = [
        (phase.label, median(weeks.get(phase.value, [])), len(weeks.get(phase.value, [])))
        for phase in PHASE_ORDER
    ]

    window_start = dt.datetime.combine(start, dt.time.min, tzinfo=clinic.tz)
    window_end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=clinic.tz)
    now = dt.datetime.now(tz=dt.UTC)
    waits, open_waits = [], []
    for raised_at, acknowledged_at in Flag.objects.filter(
        patient__clinic=clinic, code__in=ENTRY_FLAG_CODES, raised_at__gte=window_start, raised_at__lt=window_end,
    ).values_list("raised_at", "acknowledged_at"):
        if acknowledged_at is None:
            open_waits.append((now - raised_at).total_seconds() / 3600)
        else:
            waits.append((acknowledged_at - raised_at).total_seconds() / 3600)
    report.flags = FlagSpeed(
        acknowledged=len(waits), median_hours=median(waits), worst_hours=max(waits, default=None),
        open=len(open_waits), oldest_open_hours=max(open_waits, default=None),
    )
    return report


@login_required
def clinic_outcomes_view(request):
    user = request.user
    if user.clinic_id is None:
        raise Http404
    today = user.clinic.today()
    form = PeriodForm(request.GET or None, today=today,
                      initial={"start": today - dt.timedelta(days=DEFAULT_DAYS), "end": today})
    report = None
    if not form.is_bound:
        report = clinic_outcomes(user.clinic, today - dt.timedelta(days=DEFAULT_DAYS), today)
    elif form.is_valid():
        report = clinic_outcomes(user.clinic, form.cleaned_data["start"], form.cleaned_data["end"])
    return render(request, "rehab/clinic_outcomes.html", {"nav": "outcomes", "form": form, "report": report},
                  status=200 if report else 400)
