"""The site's URLs, with the admin's Patient changelist at 25 rows a page
(the caseload's page size) for the benchmark's side-by-side comparison."""

from django.contrib import admin

from patients.models import Patient
from rehab.urls import urlpatterns  # noqa: F401
from rehab.workspace.selectors import CASELOAD_PAGE_SIZE

admin.site._registry[Patient].list_per_page = CASELOAD_PAGE_SIZE
