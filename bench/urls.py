"""The site's URLs, plus the admin's Patient changelist at 25 rows a page
(the caseload's page size) under /bench-admin25/, for the benchmark's
side-by-side comparison; /admin/ stays as production serves it (100 rows)."""

from django.contrib import admin
from django.urls import path

from content.models import Exercise
from patients.models import Patient
from rehab.urls import urlpatterns
from rehab.workspace.selectors import CASELOAD_PAGE_SIZE


class PatientAdminAt25(type(admin.site._registry[Patient])):
    list_per_page = CASELOAD_PAGE_SIZE


site25 = admin.AdminSite(name="bench_admin25")
site25.register(Patient, PatientAdminAt25)
# The Patient admin's plan inline looks exercises up by autocomplete, which the
# system checks (run by every management command) want registered on the same site.
site25.register(Exercise, type(admin.site._registry[Exercise]))
urlpatterns = [path("bench-admin25/", site25.urls), *urlpatterns]
