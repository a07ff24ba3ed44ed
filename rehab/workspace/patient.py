from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from content.codes import Context
from content.measures import MeasureCode
from rehab.adherence import patient_adherence
from rehab.flags import flag_acknowledge
from rehab.workspace import selectors
from rehab.workspace.access import get_patient_for_user, post_only
from rehab.workspace.adherence import adherence_panel_context, flags_with_advice
from rehab.workspace.charts.pain import Reading, pain_chart
from rehab.workspace.forms import AcknowledgeForm
from rehab.workspace.outcomes import outcome_panel_context
from rehab.workspace.plan import plan_panel_context
from rehab.workspace.roles import can_act, require_physio

# The pain criteria drawn on the chart, by the context they read.
PAIN_THRESHOLD_CONTEXTS = {MeasureCode.ACTIVITY_PAIN: Context.ACTIVITY, MeasureCode.REST_PAIN: Context.REST}


def patient_pain_chart(record, transitions):
    readings = [
        Reading(date=e.date, activity=e.activity_pain, rest=e.rest_pain, is_visit=e.is_visit)
        for e in record.entries
        if e.activity_pain is not None or e.rest_pain is not None
    ]
    thresholds = [
        (PAIN_THRESHOLD_CONTEXTS[c.measure].value,
         f"{PAIN_THRESHOLD_CONTEXTS[c.measure].label} exit ≤ {c.threshold}", c.threshold)
        for c in record.criteria
        if c.measure in PAIN_THRESHOLD_CONTEXTS and record.patient.is_active
    ]
    periods = selectors.patient_phase_periods(record.patient, transitions, until=record.as_of)
    return pain_chart(readings, periods=periods, thresholds=thresholds,
                      start=record.patient.programme_start, end=record.as_of)


@login_required
def patient_detail(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    record = selectors.patient_record(patient)
    transitions = selectors.patient_transitions(patient)
    attention, acknowledged, closed = selectors.patient_flags(patient)
    adherence = patient_adherence(patient, as_of=record.as_of)
    flags_with_advice([*attention, *acknowledged, *closed], adherence)
    return render(request, "rehab/patient_detail.html", {
        "patient": patient,
        "record": record,
        "chart": patient_pain_chart(record, transitions),
        "entries": selectors.patient_entry_list(record, page=request.GET.get("entries")),
        "transitions": transitions,
        "flags_attention": attention,
        "flags_acknowledged": acknowledged,
        "flags_closed": closed,
        "can_act": can_act(request.user),
        "ack_form": AcknowledgeForm(),
        **plan_panel_context(patient, request.user),
        **outcome_panel_context(patient, record),
        **adherence_panel_context(patient, adherence, as_of=record.as_of),
    })


@login_required
@post_only
def flag_acknowledge_view(request, patient_id, flag_id):
    patient = get_patient_for_user(request.user, patient_id)
    flag = get_object_or_404(patient.flags, pk=flag_id)
    require_physio(request.user)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        flag_acknowledge(flag=flag, user=request.user, note=form.cleaned_data["note"])
        messages.success(request, f"{flag.get_code_display()} acknowledged.")
    else:
        messages.error(request, f"{flag.get_code_display()} not acknowledged: " + " ".join(form.errors["note"]))
    return redirect(f"{patient_url(patient)}#flags")


def patient_url(patient):
    return reverse("patient_detail", args=[patient.pk])
