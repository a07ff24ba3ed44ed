"""The patient portal (no login): /p/<token>/ ..."""

from django.urls import path

from portal import marks, views

urlpatterns = [
    path("<str:token>", views.portal_no_slash),
    path("<str:token>/", views.portal_home, name="portal"),
    path("<str:token>/report/", views.portal_report, name="portal_report"),
    path("<str:token>/report/<uuid:entry_id>/", views.portal_report_result, name="portal_report_result"),
    path("<str:token>/done/", marks.portal_mark, name="portal_mark"),
    path("<str:token>/<path:rest>", views.portal_unknown_path),
]
