"""The benchmark's settings: production's, with one addition.

bench/urls.py serves, besides every production URL, the admin's Patient
changelist at 25 rows a page (the caseload's page size) under
/bench-admin25/, so the runner can compare the caseload with the admin both
as production serves it (100 rows) and row for row. Everything else (DEBUG
off, persistent connections with health checks, the manifest static storage,
sessions in the database, the middleware) is what production runs.
"""

from rehab.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
