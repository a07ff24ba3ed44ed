from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from content.codes import Phase
from rehab.outcomes import PERFORMANCE, discharge_outcomes_missing
from rehab.phase_moves import DischargeBlocked, PhaseMoveConflict, discharge_blockers, patient_move_phase
from rehab.plans import plan_change_previews
from rehab.workspace import selectors
from rehab.workspace.access import get_patient_for_user
from rehab.workspace.accounts.unsaved import unsaved_post_keep, unsaved_post_take
from rehab.workspace.forms import PhaseMoveForm
from rehab.workspace.patient import patient_url
from rehab.workspace.roles import require_physio


@login_required
def phase_move(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    shown_phase = request.POST.get("expected_from") or patient.phase
    if shown_phase not in Phase.values:
        shown_phase = patient.phase
    if request.method == "POST" and "go_to" in request.POST:
        return _leave_for_a_measure(request, patient)
    if request.method == "POST":
        form = PhaseMoveForm(request.POST, from_phase=shown_phase, red_flags=discharge_blockers(patient))
    else:
        form = PhaseMoveForm(initial=_kept_as_initial(unsaved_post_take(request)), from_phase=shown_phase,
                             red_flags=discharge_blockers(patient))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transition = patient_move_phase(
                patient=patient, to_phase=data["to_phase"], expected_from=data["expected_from"],
                reason=data["reason"], by=request.user, acknowledgements=form.acknowledgements(),
                replace_plan=data["replace_plan"],
            )
        except DischargeBlocked as blocked:
            # A red flag raised while the form was open: show it, ask again.
            form = PhaseMoveForm(request.POST, from_phase=shown_phase, red_flags=blocked.flags)
            form.is_valid()
            form.add_error(None, str(blocked))
        except PhaseMoveConflict as conflict:
            messages.warning(request, str(conflict))
            return redirect(patient_url(patient))
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            replaced = " The plan now holds its exercises." if transition.plan_replaced else ""
            messages.success(request, f"Moved to {transition.get_to_phase_display()}.{replaced}")
            return redirect(patient_url(patient))
    record = selectors.patient_record(patient)
    choices = [code for code, _ in form.fields["to_phase"].choices]
    return render(request, "rehab/phase_move_form.html", {
        "patient": patient, "form": form, "record": record,
        "plan_previews": plan_change_previews(patient, choices),
        "discharge_outcomes": discharge_outcome_links(patient, record) if Phase.DISCHARGED in choices else None,
    })


def _kept_as_initial(kept) -> dict | None:
    """A move kept while the physio was away (a final measure entered, a
    sign-out) fills the form in again as a form not yet sent: a move left
    half-typed is not met with "not moved" and "required" for what was
    never submitted."""
    if kept is None:
        return None
    initial = {name: values[-1] for name, values in kept.lists()}
    initial["replace_plan"] = "replace_plan" in kept  # an unticked box is not sent
    return initial


KEPT_WHILE_AWAY = ("Your phase move is filled in as you left it. It is not done until you press “Move patient”.")


def _leave_for_a_measure(request, patient):
    """"Enter now" on a final measure: the move typed so far (the phase, the
    reason, the red-flag notes) waits for this page, which fills it in again
    on the way back."""
    wanted = request.POST["go_to"]
    record = selectors.patient_record(patient)
    if wanted not in {url for _, url, _ in discharge_outcome_links(patient, record)}:
        return redirect("phase_move", patient_id=patient.pk)
    unsaved_post_keep(request, user_id=request.user.pk, page=reverse("phase_move", args=[patient.pk]),
                      message=KEPT_WHILE_AWAY)
    return redirect(wanted)


def discharge_outcome_links(patient, record) -> list[tuple]:
    """The final measures a discharge asks for (DESIGN 9): each scheduled
    measure not taken in the last days, with where to enter it. They are
    asked for, not required: a patient who stops coming is still discharged."""
    here = reverse("phase_move", args=[patient.pk])
    links = []
    for track in discharge_outcomes_missing(patient, record.entries, discharge_on=record.as_of):
        if track.kind == PERFORMANCE:
            url = reverse("visit_create", args=[patient.pk]) + "?" + urlencode({"next": here})
            links.append((track, url, "Record at a visit"))
        else:
            url = reverse("outcome_create", args=[patient.pk, track.code]) + "?" + urlencode({"next": here})
            links.append((track, url, "Enter now"))
    return links

