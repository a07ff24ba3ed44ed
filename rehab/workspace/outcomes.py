"""Outcome measures in the workspace (DESIGN §9): the patient page's panel
(due and overdue measures, one small trend per measure, each questionnaire's
answers), the staff form for a questionnaire typed in from paper, and the
deletion of one recorded by mistake."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from content.display import number_text
from content.instruments import Instrument
from content.measures import MEASURES
from patients.models import AnsweredBy, OutcomeAdministration
from patients.outcomes import OutcomeError, baseline_activities
from rehab.entries import outcome_delete, outcome_record
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
    # A questionnaire's administrations, newest first: (date, score, how it came, delete URL).
    answered: list[tuple] = field(default_factory=list)

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
            answered=[(date, number_text(score, 2), "portal" if by == AnsweredBy.PATIENT else "paper",
                       reverse("outcome_delete", args=[patient.pk, pk]))
                      for pk, date, score, by in reversed(track.administrations)],
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
                            baseline_activities=before, initial=_date_asked(request))
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


def _date_asked(request) -> dict:
    """?date=YYYY-MM-DD (entering again one deleted by mistake) as the form's date."""
    try:
        return {"date": dt.date.fromisoformat(request.GET.get("date", ""))}
    except ValueError:
        return {}


DELETE_REASON_MISSING = "Say why it is deleted (a typing mistake, the wrong patient…): the record's history keeps it."


@login_required
def outcome_delete_view(request, patient_id, outcome_id):
    """Delete a questionnaire recorded by mistake, with the reason; it can
    then be entered again. The record's history keeps what it held."""
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    outcome = get_object_or_404(OutcomeAdministration.objects.select_related("instrument", "entered_by"),
                                pk=outcome_id, patient=patient)
    reason = (request.POST.get("reason") or "").strip()
    error = ""
    if request.method == "POST":
        if not reason:
            error = DELETE_REASON_MISSING
        else:
            outcome_delete(outcome=outcome, by=request.user, reason=reason[:100])
            again = reverse("outcome_create", args=[patient.pk, outcome.instrument.code])
            messages.success(request, f"{outcome.instrument.name} of {outcome.date:%d %b %Y} deleted. "
                                      f"If it was typed wrongly, enter it again from the paper form.")
            return redirect(f"{again}?date={outcome.date.isoformat()}")
    return render(request, "rehab/outcome_confirm_delete.html", {
        "patient": patient, "outcome": outcome, "answers": _answers_shown(outcome), "reason": reason,
        "error": error,
    })


def _answers_shown(outcome) -> list[tuple[str, str]]:
    """(question or activity, answer) as recorded, for the confirmation."""
    if outcome.activities:
        return [(row["activity"], number_text(row["score"])) for row in outcome.activities]
    items = list(outcome.instrument.items.order_by("order").values_list("text", flat=True))
    labels = dict(outcome.instrument.options.values_list("value", "label"))
    shown = []
    for number, value in enumerate(outcome.answers):
        question = items[number] if number < len(items) else f"Question {number + 1}"
        label = labels.get(value)
        shown.append((question, f"{value} ({label})" if label else str(value)))
    return shown
