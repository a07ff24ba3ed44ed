"""The patient's record history page: who changed what, when and why.

Read-only, for everyone in the patient's clinic (physios and clinic admins);
another clinic's patient answers 404 like every patient page.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rehab.workspace.access import get_patient_for_user
from rehab.workspace.record_history import patient_history_page


@login_required
@require_GET
def patient_history(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    page, changes = patient_history_page(patient, request.GET.get("page"))
    return render(request, "rehab/patient_history.html", {"patient": patient, "page": page, "changes": changes})
