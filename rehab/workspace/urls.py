"""The clinician workspace: the caseload, each patient's page and what a
physio does from it, and the programme library."""

from django.urls import include, path

from rehab.workspace import (
    caseload,
    clinic_outcomes,
    history,
    outcomes,
    patient,
    phase,
    plan,
    programme,
    registration,
    visits,
)

patient_pages = [
    path("", patient.patient_detail, name="patient_detail"),
    path("edit/", registration.patient_edit, name="patient_edit"),
    path("registered/", registration.patient_registered, name="patient_registered"),
    path("visits/new/", visits.visit_create, name="visit_create"),
    path("visits/<uuid:entry_id>/edit/", visits.visit_update, name="visit_update"),
    path("visits/<uuid:entry_id>/delete/", visits.visit_delete, name="visit_delete"),
    path("flags/<int:flag_id>/acknowledge/", patient.flag_acknowledge_view, name="flag_acknowledge"),
    path("phase/", phase.phase_move, name="phase_move"),
    path("history/", history.patient_history, name="patient_history"),
    path("outcomes/<slug:code>/new/", outcomes.outcome_create, name="outcome_create"),
    path("outcomes/answered/<uuid:outcome_id>/delete/", outcomes.outcome_delete_view, name="outcome_delete"),
    path("plan/add/", plan.plan_item_add, name="plan_item_add"),
    path("plan/replace/", plan.plan_replace_with_template, name="plan_replace_with_template"),
    path("plan/<int:item_id>/remove/", plan.plan_item_remove, name="plan_item_remove"),
    path("plan/<int:item_id>/move/", plan.plan_item_move, name="plan_item_move"),
    path("plan/<int:item_id>/update/", plan.plan_item_update, name="plan_item_update"),
    path("portal-link/", plan.portal_link_issue, name="portal_link_issue"),
    path("portal-link/revoke/", plan.portal_link_revoke, name="portal_link_revoke"),
    path("portal-link/email/", programme.portal_link_send_email, name="portal_link_send_email"),
    path("programme/print/", programme.programme_print, name="programme_print"),
    path("programme/print/new-link/", programme.programme_print_with_link, name="programme_print_with_link"),
    path("programme/print/issued-link/", programme.programme_print_issued_link, name="programme_print_issued_link"),
]

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("library/", plan.library, name="library"),
    path("outcomes/", clinic_outcomes.clinic_outcomes_view, name="clinic_outcomes"),
    path("patients/new/", registration.patient_create, name="patient_create"),
    path("patients/<uuid:patient_id>/", include(patient_pages)),
]
