"""The benchmark's settings: production's, with one difference.

The issue compares the caseload with the Django admin's Patient changelist
at 25 rows, the caseload's page size; the admin shows 100 by default, so
bench/urls.py sets the changelist's page size to 25 for the benchmark's
server only. Everything else (DEBUG off, persistent connections with health
checks, the manifest static storage, sessions in the database, the
middleware) is what production runs.
"""

from rehab.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
