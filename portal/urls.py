"""The patient portal (no login): /p/<token>/ ..."""

from django.urls import path

from portal import marks, questionnaires, report_views, views

urlpatterns = [
    path("<str:token>", views.portal_no_slash),
    path("<str:token>/", views.portal_home, name="portal"),
    path("<str:token>/report/", report_views.portal_report, name="portal_report"),
    path("<str:token>/report/how-much/", report_views.portal_report_pain, name="portal_report_pain"),
    path("<str:token>/report/warning-signs/", report_views.portal_report_signs, name="portal_report_signs"),
    path("<str:token>/report/well/", report_views.portal_report_well, name="portal_report_well"),
    path("<str:token>/print/", views.portal_print, name="portal_print"),
    path("<str:token>/questionnaires/<slug:code>/", questionnaires.portal_questionnaire, name="portal_questionnaire"),
    path("<str:token>/questionnaires/<slug:code>/saved/", questionnaires.portal_questionnaire_saved,
         name="portal_questionnaire_saved"),
    path("<str:token>/questionnaires/<slug:code>/thanks/", questionnaires.portal_questionnaire_thanks,
         name="portal_questionnaire_thanks"),
    path("<str:token>/report/<uuid:entry_id>/", views.portal_report_result, name="portal_report_result"),
    path("<str:token>/done/", marks.portal_mark, name="portal_mark"),
    path("<str:token>/<path:rest>", views.portal_unknown_path),
]
