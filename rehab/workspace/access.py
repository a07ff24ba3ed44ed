"""The one way a view reaches a patient: scoped to the user's clinic.

Anything outside the user's clinic answers 404, never 403, so an outsider
cannot even learn that a patient id exists.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from patients.models import Patient


def get_patient_for_user(user, patient_id, *, queryset=None):
    if not user.is_authenticated or user.clinic_id is None:
        raise Http404
    queryset = queryset if queryset is not None else Patient.objects.all()
    return get_object_or_404(queryset.select_related("clinic", "physio"), pk=patient_id, clinic_id=user.clinic_id)
