"""Registering a patient and correcting their details (physios and clinic
admins); straight after registering, a physio is offered the portal link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from rehab.registration import next_patient_ref, patient_register, patient_update
from rehab.workspace.access import get_patient_for_user
from rehab.workspace.accounts.unsaved import unsaved_post_take
from rehab.workspace.patient_forms import PatientForm
from rehab.workspace.roles import can_act


def _require_clinic_staff(user):
    if user.clinic_id is None:
        raise Http404
    if not (user.is_physio or user.is_clinic_admin):
        raise PermissionDenied("Only the clinic's physiotherapists and admins register patients.")


@login_required
def patient_create(request):
    _require_clinic_staff(request.user)
    clinic = request.user.clinic
    initial = {"ref": next_patient_ref(clinic), "physio": request.user.pk if request.user.is_physio else None}
    form = PatientForm(request.POST or unsaved_post_take(request), clinic=clinic, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            patient = patient_register(clinic=clinic, by=request.user, **form.registration_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{patient.full_name} ({patient.ref}) registered, in Normalise with its "
                                      "exercise template as their plan.")
            return redirect("patient_registered", patient_id=patient.pk)
    return render(request, "rehab/patient_form.html", {"form": form, "patient": None, "nav": "caseload"})


@login_required
def patient_edit(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    _require_clinic_staff(request.user)
    form = PatientForm(request.POST or unsaved_post_take(request), instance=patient, clinic=patient.clinic)
    if request.method == "POST" and form.is_valid():
        try:
            patient_update(patient=patient, by=request.user, **form.registration_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Details of {patient.full_name} ({patient.ref}) saved.")
            return redirect(reverse("patient_detail", args=[patient.pk]))
    return render(request, "rehab/patient_form.html", {"form": form, "patient": patient})


@login_required
def patient_registered(request, patient_id):
    """The step after registering: give the patient their portal link now."""
    patient = get_patient_for_user(request.user, patient_id)
    return render(request, "rehab/patient_registered.html", {"patient": patient, "can_act": can_act(request.user)})
