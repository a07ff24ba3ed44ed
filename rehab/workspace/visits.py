"""Record, edit and delete a visit. Flags follow by themselves: the entry
services evaluate the patient inside the write (rehab.entries), so the page
the physio lands on already shows them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from content.flag_kinds import Severity
from patients.models import Entry
from rehab import entries
from rehab.workspace import selectors
from rehab.workspace.access import get_patient_for_user, safe_next
from rehab.workspace.accounts.unsaved import unsaved_post_take
from rehab.workspace.forms import VisitForm
from rehab.workspace.patient import patient_url
from rehab.workspace.roles import require_physio


def _visit(patient, entry_id):
    return get_object_or_404(
        patient.entries.prefetch_related("pain_scores", "symptoms"), pk=entry_id, kind=Entry.VISIT
    )


# Shown in red; the less urgent ones in amber.
SHOWN_AS_ERROR = (Severity.EMERGENCY, Severity.SAME_DAY)


def _without_version(post):
    data = post.copy()
    data.pop("version", None)
    return data


def _deleted_visit(patient, entry_id):
    """The history row of this patient's visit deletion, if that is why it is gone."""
    return (Entry.history.filter(id=entry_id, patient_id=patient.pk, kind=Entry.VISIT, history_type="-")
            .select_related("history_user").first())


def _announce_red_flags(request, entry):
    """A message for each red flag of the saved entry that needs attention:
    the flags the save itself stored (rehab.entries evaluates inside the
    write), not a second run of the rules. One already acknowledged is not
    announced again when the visit is edited."""
    raised = sorted(entry.flags.needs_attention(), key=lambda flag: flag.severity_rank)
    for flag in raised:
        level = messages.ERROR if flag.severity in SHOWN_AS_ERROR else messages.WARNING
        messages.add_message(
            request, level,
            f"{flag.get_severity_display()} — {flag.get_code_display()}: {flag.message} {flag.advice}",
            extra_tags="red-flag",
        )


def _form_context(request, patient, form, entry):
    """The visit form page; `visit_dates` drives the same-day notice, which
    warns and never blocks (a second visit in a day can be deliberate)."""
    visit_dates = sorted(d.isoformat() for d in selectors.patient_visit_dates(patient, exclude=entry))
    return {
        "patient": patient, "form": form, "entry": entry,
        "visit_dates": visit_dates, "same_day": form.chosen_date() in visit_dates,
        "next": request.POST.get("next") or request.GET.get("next") or "",
        "back": safe_next(request, patient_url(patient)),
    }


def _note_same_day(request, entry):
    """After the save: say so when the day now holds more than one visit."""
    others = entry.patient.entries.filter(kind=Entry.VISIT, date=entry.date).exclude(pk=entry.pk).count()
    if others:
        messages.info(
            request,
            f"{entry.patient.given_name} now has {others + 1} visits recorded on {entry.date:%d %b %Y}. "
            "If one was recorded twice by mistake, delete it from the patient page.",
        )


def _save(request, form, save):
    """Run the service; model validation errors go back onto the form."""
    try:
        return save()
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    return None


def _saved(request, entry, done: str):
    """The patient page (or the page that sent the physio here, such as the
    phase move asking for a final test), with what the save did: the visit,
    a same-day notice, and the red flags it raised."""
    messages.success(request, f"Visit of {entry.date:%d %b %Y} {done}.")
    _note_same_day(request, entry)
    _announce_red_flags(request, entry)
    return redirect(safe_next(request, patient_url(entry.patient)))


@login_required
def visit_create(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    form = VisitForm(request.POST or unsaved_post_take(request), patient=patient)
    if request.method == "POST" and form.is_valid():
        entry = _save(request, form, lambda: entries.entry_create(
            patient=patient, kind=Entry.VISIT, date=form.cleaned_data["date"], pain=form.pain(),
            symptoms=form.cleaned_data["symptoms"], measures=form.measures(),
            notes=form.cleaned_data["notes"], recorded_by=request.user,
        ))
        if entry is not None:
            return _saved(request, entry, "recorded")
    return render(request, "rehab/visit_form.html", _form_context(request, patient, form, None))


@login_required
def visit_update(request, patient_id, entry_id):
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    try:
        entry = _visit(patient, entry_id)
    except Http404:
        deleted = _deleted_visit(patient, entry_id) if request.method == "POST" else None
        if deleted is None:
            raise
        who = deleted.history_user.display_name if deleted.history_user else "someone else"
        messages.warning(request, f"The visit of {deleted.date:%d %b %Y} was deleted by {who} while you were "
                                  "editing it: your changes were not saved. What you typed is below: record it "
                                  "as a new visit if it should be kept.")
        # What was typed, as a new visit's form (sent to "record a visit").
        form = VisitForm(_without_version(request.POST), patient=patient)
        return render(request, "rehab/visit_form.html", {
            **_form_context(request, patient, form, None), "action": reverse("visit_create", args=[patient.pk])})
    data = request.POST or unsaved_post_take(request)
    form = VisitForm(data, patient=patient, entry=entry)
    # The version of the visit the form was shown with (kept with the form
    # over a sign-out too): a save over someone else's edit is refused once,
    # with the new version, so that saving again replaces it knowingly.
    version = (data or {}).get("version") or entries.entry_version(entry)
    if request.method == "POST" and form.is_valid():
        entry._change_reason = f"Edited by {request.user.display_name}"
        try:
            saved = _save(request, form, lambda: entries.entry_update(
                entry=entry, date=form.cleaned_data["date"], pain=form.pain(),
                symptoms=form.cleaned_data["symptoms"], measures=form.measures(),
                notes=form.cleaned_data["notes"], version=version,
            ))
        except entries.EntryChanged as changed:
            form.add_error(None, str(changed))
            saved = None
            if changed.entry is not None:
                version = entries.entry_version(changed.entry)
        if saved is not None:
            return _saved(request, saved, "updated")
    return render(request, "rehab/visit_form.html",
                  {**_form_context(request, patient, form, entry), "version": version})


@login_required
def visit_delete(request, patient_id, entry_id):
    patient = get_patient_for_user(request.user, patient_id)
    entry = _visit(patient, entry_id)
    require_physio(request.user)
    if request.method == "POST":
        date, had_open_flags = entry.date, entry.flags.filter(closed_at__isnull=True).exists()
        entry._change_reason = f"Deleted by {request.user.display_name}"
        entries.entry_delete(entry=entry)
        closed = "; its open flags were closed" if had_open_flags else ""
        messages.success(request, f"Visit of {date:%d %b %Y} deleted{closed}.")
        return redirect(patient_url(patient))
    return render(request, "rehab/visit_confirm_delete.html", {
        "patient": patient, "entry": entry, "flags": entry.flags.filter(closed_at__isnull=True),
    })
