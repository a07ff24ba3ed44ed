"""The patient portal (no login): /p/<token>/ ..."""

from django.urls import path

from portal import questionnaires, views

urlpatterns = [
    path("<str:token>", views.portal_no_slash),
    path("<str:token>/", views.portal_home, name="portal"),
    path("<str:token>/report/", views.portal_report, name="portal_report"),
    path("<str:token>/questionnaires/<slug:code>/", questionnaires.portal_questionnaire, name="portal_questionnaire"),
    path("<str:token>/questionnaires/<slug:code>/saved/", questionnaires.portal_questionnaire_saved,
         name="portal_questionnaire_saved"),
    path("<str:token>/questionnaires/<slug:code>/thanks/", questionnaires.portal_questionnaire_thanks,
         name="portal_questionnaire_thanks"),
    path("<str:token>/report/<uuid:entry_id>/", views.portal_report_result, name="portal_report_result"),
    path("<str:token>/<path:rest>", views.portal_unknown_path),
]
