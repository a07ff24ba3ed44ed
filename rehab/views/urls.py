from django.urls import path

from rehab.views import caseload, patient

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("patients/<uuid:patient_id>/", patient.patient_detail, name="patient_detail"),
]
