"""EXPLAIN (ANALYZE, BUFFERS) of what the caseload, the patient page and the sweep send.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinetic_bench100k \
        .venv/bin/python bench/explain.py [--clinic bench-01] [--sweep-clinic bench-02]

Runs on a database bench/generate.py built (and bench/run.py swept, so there
are flags). Each page is requested in-process as the clinic's admin (the
clinic-wide caseload, the patient page of the page's first patient), the
sweep runs read-only (`run_sweeps --clinic --dry-run` for today's plan, and
`--as-of` yesterday for every patient in full, whatever the sweep is now); every query they send is captured as Django sends it and explained
with the same parameters: the pages' queries except the session and user
look-ups every request makes, the sweep's distinct query shapes by total
time, the costliest first. Not a test: plans and timings vary with the machine.
"""

import argparse
import datetime as dt
import io
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from patients.models import Clinic  # noqa: E402
from rehab.workspace import selectors  # noqa: E402

# Every request reads these: not what the page is about.
EVERY_REQUEST = ('FROM "django_session"', 'FROM "otp_', 'FROM "patients_clinic" WHERE',
                 'FROM "patients_user" WHERE "patients_user"."id" =', 'UPDATE "django_session"', "SAVEPOINT",
                 "RELEASE SAVEPOINT")


def captured(run):
    """[(sql, params, seconds)] of the queries `run()` sends."""
    queries = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((sql, params, time.perf_counter() - started))

    with connection.execute_wrapper(record):
        run()
    return queries


def explain(label, sql, params):
    text = connection.ops.compose_sql(sql, params)
    print(f"-- {label}\n{text[:600]}{' …' if len(text) > 600 else ''}\n")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")


def page_queries(client, path):
    response = None

    def get():
        nonlocal response
        response = client.get(path)

    queries = captured(get)
    assert response.status_code == 200, (path, response.status_code)
    return [(sql, params) for sql, params, _ in queries
            if sql.lstrip().startswith("SELECT") and not any(mark in sql for mark in EVERY_REQUEST)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clinic", default="bench-01", help="The clinic of the pages (default: the largest).")
    parser.add_argument("--sweep-clinic", default="bench-02", help="The clinic the sweep runs on.")
    parser.add_argument("--sweep-shapes", type=int, default=4, help="How many of the sweep's query shapes.")
    args = parser.parse_args()
    clinic = Clinic.objects.get(slug=args.clinic)
    admin = get_user_model().objects.filter(clinic=clinic, is_staff=True).first()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # as production settings have it
    client = Client()
    client.force_login(admin)
    print(f"{clinic.patients.count()} patients in {clinic.slug}; "
          f"{Clinic.objects.count()} clinics, PostgreSQL {connection.pg_version // 10000}\n")

    for n, (sql, params) in enumerate(page_queries(client, "/?scope=clinic"), start=1):
        explain(f"caseload (whole clinic, first page), query {n}", sql, params)
    first = selectors.caseload_rows(clinic, None, selectors.CaseloadFilters(scope=selectors.CLINIC)).object_list[0]
    for n, (sql, params) in enumerate(page_queries(client, f"/patients/{first.patient.pk}/"), start=1):
        explain(f"patient page, query {n}", sql, params)

    # Today's plan (a dry run: who changed since the last sweep), then every
    # patient of the clinic in full, read-only (as of yesterday): the shapes
    # a first sweep sends for each batch.
    yesterday = Clinic.objects.get(slug=args.sweep_clinic).today() - dt.timedelta(days=1)
    sweep = captured(lambda: call_command("run_sweeps", "--clinic", args.sweep_clinic, "--dry-run",
                                          stdout=io.StringIO()))
    sweep += captured(lambda: call_command("run_sweeps", "--clinic", args.sweep_clinic, "--as-of",
                                           yesterday.isoformat(), stdout=io.StringIO()))
    shapes = defaultdict(lambda: [0, 0.0, None])
    for sql, params, seconds in sweep:
        shape = shapes[sql]
        shape[0] += 1
        shape[1] += seconds
        shape[2] = shape[2] or params
    print(f"-- sweep (read-only) of {args.sweep_clinic}: {len(sweep)} queries, {len(shapes)} shapes, "
          f"{sum(s for *_, s in sweep):.1f} s in the database\n")
    costliest = sorted(shapes.items(), key=lambda item: -item[1][1])[:args.sweep_shapes]
    for sql, (count, seconds, params) in costliest:
        if sql.lstrip().startswith(("SELECT", "WITH")):
            explain(f"sweep: {count} × this shape, {seconds:.2f} s in all", sql, params)


if __name__ == "__main__":
    main()
