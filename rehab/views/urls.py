from django.urls import path

from rehab.views import caseload

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
]
