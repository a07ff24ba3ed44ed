"""Staff-side pages for plans, portal links and the content library."""

from django.urls import path

from rehab.portal import staff_views as views

patient = "patients/<uuid:patient_id>/"

urlpatterns = [
    path("library/", views.library, name="library"),
    path(f"{patient}plan/add/", views.plan_item_add, name="plan_item_add"),
    path(f"{patient}plan/replace/", views.plan_replace_with_template, name="plan_replace_with_template"),
    path(f"{patient}plan/<int:item_id>/remove/", views.plan_item_remove, name="plan_item_remove"),
    path(f"{patient}plan/<int:item_id>/move/", views.plan_item_move, name="plan_item_move"),
    path(f"{patient}plan/<int:item_id>/update/", views.plan_item_update, name="plan_item_update"),
    path(f"{patient}portal-link/", views.portal_link_issue, name="portal_link_issue"),
    path(f"{patient}portal-link/revoke/", views.portal_link_revoke, name="portal_link_revoke"),
]
