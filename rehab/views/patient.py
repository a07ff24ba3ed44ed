from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from rehab.views.access import get_patient_for_user


@login_required
def patient_detail(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    return render(request, "rehab/patient_detail.html", {"patient": patient})
