"""Record, edit and delete a visit. Flags follow by themselves: saving or
deleting an entry queues the programme engine on commit (rehab.entries)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from content.flag_kinds import FLAG_KINDS, Severity
from patients.models import Entry
from rehab import entries, rules
from rehab.record import entries_by_patient
from rehab.workspace.access import get_patient_for_user
from rehab.workspace.forms import VisitForm
from rehab.workspace.patient import patient_url
from rehab.workspace.roles import require_physio


def _visit(patient, entry_id):
    return get_object_or_404(
        patient.entries.prefetch_related("pain_scores", "symptoms"), pk=entry_id, kind=Entry.VISIT
    )


def entry_red_flags(entry) -> list[rules.Finding]:
    """The red flags of a just-saved entry, by the engine's own rule functions."""
    history = entries_by_patient([entry.patient_id]).get(entry.patient_id, [])
    this = next(e for e in history if e.id == entry.pk)
    return rules.entry_findings(this, surgery_date=entry.patient.surgery_date, history=history)


def _announce_red_flags(request, entry):
    findings = entry_red_flags(entry)
    for finding in findings:
        level = messages.ERROR if finding.severity in ("emergency", "same_day") else messages.WARNING
        label = FLAG_KINDS[finding.code].label
        severity = Severity(finding.severity).label
        messages.add_message(
            request, level, f"{severity} — {label}: {finding.message} {finding.advice}",
            extra_tags="red-flag",
        )
    return findings


def _save(request, form, save):
    """Run the service; model validation errors go back onto the form."""
    try:
        return save()
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    return None


@login_required
def visit_create(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    form = VisitForm(request.POST or None, patient=patient)
    if request.method == "POST" and form.is_valid():
        entry = _save(request, form, lambda: entries.entry_create(
            patient=patient, kind=Entry.VISIT, date=form.cleaned_data["date"], pain=form.pain(),
            symptoms=form.cleaned_data["symptoms"], measures=form.measures(),
            notes=form.cleaned_data["notes"], recorded_by=request.user,
        ))
        if entry is not None:
            messages.success(request, f"Visit of {entry.date:%d %b %Y} recorded.")
            _announce_red_flags(request, entry)
            return redirect(patient_url(patient))
    return render(request, "rehab/visit_form.html", {"patient": patient, "form": form, "entry": None})


@login_required
def visit_update(request, patient_id, entry_id):
    patient = get_patient_for_user(request.user, patient_id)
    entry = _visit(patient, entry_id)
    require_physio(request.user)
    form = VisitForm(request.POST or None, patient=patient, entry=entry)
    if request.method == "POST" and form.is_valid():
        entry._change_reason = f"Edited by {request.user.display_name}"
        saved = _save(request, form, lambda: entries.entry_update(
            entry=entry, date=form.cleaned_data["date"], pain=form.pain(),
            symptoms=form.cleaned_data["symptoms"], measures=form.measures(),
            notes=form.cleaned_data["notes"],
        ))
        if saved is not None:
            messages.success(request, f"Visit of {saved.date:%d %b %Y} updated.")
            _announce_red_flags(request, saved)
            return redirect(patient_url(patient))
    return render(request, "rehab/visit_form.html", {"patient": patient, "form": form, "entry": entry})


@login_required
def visit_delete(request, patient_id, entry_id):
    patient = get_patient_for_user(request.user, patient_id)
    entry = _visit(patient, entry_id)
    require_physio(request.user)
    if request.method == "POST":
        date = entry.date
        entry._change_reason = f"Deleted by {request.user.display_name}"
        entries.entry_delete(entry=entry)
        messages.success(request, f"Visit of {date:%d %b %Y} deleted; its flags were closed.")
        return redirect(patient_url(patient))
    return render(request, "rehab/visit_confirm_delete.html", {
        "patient": patient, "entry": entry, "flags": entry.flags.filter(closed_at__isnull=True),
    })
