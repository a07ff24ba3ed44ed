"""The one way a view reaches a patient: scoped to the user's clinic.

Anything outside the user's clinic answers 404, never 403, so an outsider
cannot even learn that a patient id exists.
"""

import functools

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from patients.models import Patient


def get_patient_for_user(user, patient_id, *, queryset=None):
    if not user.is_authenticated or user.clinic_id is None:
        raise Http404
    queryset = queryset if queryset is not None else Patient.objects.all()
    return get_object_or_404(queryset.select_related("clinic", "physio"), pk=patient_id, clinic_id=user.clinic_id)


def post_only(view):
    """A button's action on a patient (acknowledge a flag, revoke a link, add
    to the plan): it changes something, so only a POST does it. Opened as a
    page (a bookmark, the way back from signing in again) it leads to the
    patient's page, after the same clinic check, instead of the browser's
    bare "405 Method Not Allowed"."""

    @functools.wraps(view)
    def wrapper(request, patient_id, *args, **kwargs):
        if request.method != "POST":
            patient = get_patient_for_user(request.user, patient_id)
            return redirect(reverse("patient_detail", args=[patient.pk]))
        return view(request, patient_id, *args, **kwargs)

    return wrapper


def safe_next(request, fallback: str) -> str:
    """Where a form returns to: its `next` (a page of this site, given by the
    page that sent the user here), else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback
