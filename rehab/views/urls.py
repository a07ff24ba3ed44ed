from django.urls import path

from rehab.views import caseload, history, patient, phase, visits

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("patients/<uuid:patient_id>/", patient.patient_detail, name="patient_detail"),
    path("patients/<uuid:patient_id>/visits/new/", visits.visit_create, name="visit_create"),
    path("patients/<uuid:patient_id>/visits/<uuid:entry_id>/edit/", visits.visit_update, name="visit_update"),
    path("patients/<uuid:patient_id>/visits/<uuid:entry_id>/delete/", visits.visit_delete,
         name="visit_delete"),
    path("patients/<uuid:patient_id>/flags/<int:flag_id>/acknowledge/", patient.flag_acknowledge_view,
         name="flag_acknowledge"),
    path("patients/<uuid:patient_id>/phase/", phase.phase_move, name="phase_move"),
    path("patients/<uuid:patient_id>/history/", history.patient_history, name="patient_history"),
]
