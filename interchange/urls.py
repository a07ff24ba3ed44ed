"""Import and export pages for staff."""

from django.urls import path

from interchange import views

urlpatterns = [
    path("caseload/import/", views.import_upload, name="caseload_import"),
    path("caseload/import/<uuid:job_id>/", views.import_job_detail, name="caseload_import_job"),
    path("caseload/import/<uuid:job_id>/confirm/", views.import_job_confirm, name="caseload_import_confirm"),
    path("caseload/import/<uuid:job_id>/status.json", views.import_job_status, name="caseload_import_status"),
    path("caseload/export/", views.export_page, name="caseload_export"),
    path("caseload/export/download/", views.export_download, name="caseload_export_download"),
]
