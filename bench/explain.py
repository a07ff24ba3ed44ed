"""EXPLAIN (ANALYZE, BUFFERS) of the caseload's and the patient page's queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinetic_scale_bench \
        .venv/bin/python bench/explain.py

Runs on the clinic bench/sweep.py populates ("bench-sweep"): the first page
of the whole-clinic caseload (its count and its page of patients) and the
record the patient page reads for that page's first patient (entries, pain
scores, symptoms), and the sweep's paging through the clinic's patients.
Each query is captured as Django sends it and explained
with the same parameters. Not a test: plans and timings vary with the machine.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from patients.models import Clinic  # noqa: E402
from rehab.record import entries_by_patient, keyset_chunks  # noqa: E402
from rehab.sweeps import BATCH_SIZE, PATIENT_FIELDS, sweep_patients  # noqa: E402
from rehab.workspace.selectors import CLINIC, CaseloadFilters, caseload_rows  # noqa: E402


def captured(run):
    """[(sql, params)] of the queries `run()` sends."""
    queries = []

    def record(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        run()
    return queries


def explain(label, sql, params):
    print(f"-- {label}\n{connection.ops.compose_sql(sql, params)}\n")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")


def main():
    clinic = Clinic.objects.get(slug="bench-sweep")
    page = None

    def caseload():
        nonlocal page
        page = caseload_rows(clinic, None, CaseloadFilters(scope=CLINIC))

    count, patients, *_ = captured(caseload)
    print(f"{clinic.patients.count()} patients in the clinic\n")
    explain("caseload: count", *count)
    explain("caseload: first page of 25", *patients)
    patient = page.object_list[0].patient
    pain, symptoms, entries = captured(lambda: entries_by_patient([patient.pk], with_text=True))
    explain("patient page: entries", *entries)
    explain("patient page: pain scores", *pain)
    explain("patient page: symptoms", *symptoms)
    chunks = keyset_chunks(sweep_patients(clinic).values(*PATIENT_FIELDS), key="id", size=BATCH_SIZE)
    _first, second = captured(lambda: next(chunks) and next(chunks))
    explain(f"sweep: a clinic's second batch of {BATCH_SIZE} patients (keyset paging)", *second)


if __name__ == "__main__":
    main()
