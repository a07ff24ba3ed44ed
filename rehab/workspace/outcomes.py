"""Outcome measures in the workspace (DESIGN §9): the patient page's panel
(due and overdue measures, one small trend per measure) and the staff form
for a questionnaire typed in from paper."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from content.display import number_text
from content.instruments import Instrument
from content.measures import MEASURES
from patients.models import AnsweredBy
from patients.outcomes import OutcomeError, baseline_activities
from rehab.entries import outcome_record
from rehab.outcomes import PERFORMANCE, OutcomeTrack, patient_outcome_tracks
from rehab.rules.outcomes import DUE, OVERDUE
from rehab.workspace.access import get_patient_for_user, safe_next
from rehab.workspace.accounts.unsaved import unsaved_post_take
from rehab.workspace.charts.outcome import TrendChart, trend_chart
from rehab.workspace.outcome_forms import OutcomeEntryForm
from rehab.workspace.roles import require_physio


@dataclass
class OutcomeRow:
    track: OutcomeTrack
    chart: TrendChart | None
    baseline_text: str
    latest_text: str
    change_text: str
    band_text: str
    entry_url: str

    @property
    def attention(self) -> str:
        status = self.track.status.status if self.track.status else ""
        return status if status in (DUE, OVERDUE) else ""


def _decimals(track: OutcomeTrack) -> int:
    return MEASURES[track.code].decimals if track.kind == PERFORMANCE else 0


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}".strip() if text else "—"


def outcome_rows(patient, record) -> list[OutcomeRow]:
    """One row per measure, in the panel's order: questionnaires, then performance tests."""
    rows = []
    for track in patient_outcome_tracks(patient, record.entries, as_of=record.as_of):
        places = _decimals(track)
        chart = None
        if track.readings:
            chart = trend_chart(track.readings, band=track.band, decimals=places,
                                start=patient.programme_start, end=record.as_of)
        change = track.change
        change_text = ""
        if change is not None:
            sign = "+" if change > 0 else ""
            verdict = ""
            if track.band is not None:
                verdict = " (beyond the change band)" if track.change_is_real else " (within the change band)"
            change_text = f"{sign}{number_text(change, places)}{verdict}"
        if track.kind == PERFORMANCE:
            url = reverse("visit_create", args=[patient.pk])
        else:
            url = reverse("outcome_create", args=[patient.pk, track.code])
        rows.append(OutcomeRow(
            track=track, chart=chart,
            baseline_text=_with_unit(number_text(track.baseline, places) if track.baseline is not None else "",
                                     track.unit),
            latest_text=_with_unit(number_text(track.latest, places) if track.latest is not None else "", track.unit),
            change_text=change_text,
            band_text=(f"± {number_text(track.band, places)} {track.unit}".strip() if track.band is not None else ""),
            entry_url=url,
        ))
    return rows


def outcome_panel_context(patient, record) -> dict:
    rows = outcome_rows(patient, record)
    return {"outcome_rows": rows, "outcomes_attention": [r for r in rows if r.attention]}


@login_required
def outcome_create(request, patient_id, code):
    """Staff enter a questionnaire from paper (by = staff)."""
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    instrument = (
        Instrument.objects.filter(clinic_id=patient.clinic_id, code=code, is_active=True)
        .prefetch_related("items", "options", "conversion_rows").first()
    )
    if instrument is None:
        raise Http404
    before = baseline_activities(patient, instrument) if instrument.patient_named_items else []
    form = OutcomeEntryForm(request.POST or unsaved_post_take(request), patient=patient, instrument=instrument,
                            baseline_activities=before)
    back = safe_next(request, reverse("patient_detail", args=[patient.pk]) + "#outcomes")
    if request.method == "POST" and form.is_valid():
        try:
            outcome = outcome_record(patient=patient, instrument=instrument, date=form.cleaned_data["date"],
                                     by=AnsweredBy.STAFF, entered_by=request.user, **form.responses())
        except OutcomeError as error:
            form.add_problems(error.problems)
        else:
            messages.success(request, f"{instrument.name} recorded: score {number_text(outcome.score)}.")
            return redirect(back)
    return render(request, "rehab/outcome_form.html", {
        "patient": patient, "instrument": instrument, "form": form, "back": back,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "baseline_activities": before,
    })
