"""Benchmark of caseload import and export (not a test).

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/N .venv/bin/python bench/interchange.py

Give it a REDIS_URL (a database of its own: nothing consumes the queued
tasks), as production has: without one Celery runs tasks inline, and the
emails about the flags the import raises would be sent inside the timed
import instead of by a worker.

For each size it creates a new clinic and writes a synthetic rehab-caseload/1
file of N patients (8 visits and 2 self-reports each). Then, each in a fresh
process: COPY of the same rows into the same tables (rolled back; the
yardstick), the import as `import_caseload` runs it (streamed from the file,
flags reconciled after), and the export of the clinic again. It prints the
wall time, rows/s and peak resident memory of each step (ru_maxrss of that
process, and its growth over the process's baseline after Django start-up),
the import's rows/s as a fraction of COPY's, and, given two sizes, the import's
peak memory at both. --tracemalloc adds Python's own peak allocation for the
timed part (slower).

Use a throwaway database: the benchmark clinics stay behind.
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings.local")


def rss_mb():
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django():
    import django
    from django.conf import settings

    django.setup()
    # As in production: a DEBUG process keeps the text of its last 9,000
    # queries, which would be counted as the import's memory and time.
    settings.DEBUG = False


def generate(n, path):
    setup_django()
    from patients.models import Clinic, User

    slug = f"bench-{n}-{int(time.time())}"
    clinic = Clinic.objects.create(slug=slug, name=f"Benchmark {n}")
    physio = User.objects.create(username=f"physio-{slug}", clinic=clinic, role=User.PHYSIO)
    rng = random.Random(n)
    today = clinic.today()
    locations = ["lumbar_bilateral", "lateral_hip", "anterior_hip", "knee", "buttock_si"]
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps({"format": "rehab-caseload/1", "clinic": slug})[:-1] + ', "patients": [\n')
        for i in range(n):
            surgery = today - dt.timedelta(days=rng.randint(30, 200))
            start = surgery + dt.timedelta(days=10)
            days = sorted(rng.sample(range(0, max((today - start).days, 12)), 10))
            visits = [{
                "date": (start + dt.timedelta(days=d)).isoformat(),
                "pain": [{"location": loc, "context": ctx, "score": rng.randint(0, 8)}
                         for loc in locations for ctx in ("activity",)][:4]
                + [{"location": "lumbar_bilateral", "context": "rest", "score": rng.randint(0, 5)}],
                "measures": {"standing_tolerance_min": rng.randint(5, 30), "glute_bridge_hold_s": rng.randint(5, 40)},
                "symptoms": ["calf_swelling"] if rng.random() < 0.01 else [],
                "notes": "Synthetic visit.",
            } for d in days[:8]]
            reports = [{"date": (start + dt.timedelta(days=d)).isoformat(), "ref": f"sr-{d}",
                        "pain": [{"location": "lumbar_bilateral", "context": "night", "score": rng.randint(0, 6)}],
                        "symptoms": []} for d in days[8:]]
            patient = {
                "ref": f"B-{i:06d}", "given_name": "Test", "family_name": f"Patient{i}",
                "date_of_birth": "1955-01-01", "physio": physio.username,
                "surgery": {"procedure": "TKR", "side": rng.choice(["left", "right"]), "date": surgery.isoformat()},
                "programme_start": start.isoformat(), "phase": rng.choice(["normalise", "rebuild", "integrate"]),
                "visits": visits, "self_reports": reports,
            }
            out.write(("" if i == 0 else ",\n") + json.dumps(patient))
        out.write("\n]}\n")
    return slug


def timed(fn, use_tracemalloc):
    if use_tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - started
    traced = None
    if use_tracemalloc:
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return value, seconds, traced


def phase_import(path, use_tracemalloc):
    """The import as the command runs it: the file streamed from disk."""
    setup_django()
    from interchange.importer import caseload_import_source
    from interchange.stream import CaseloadSource
    from rehab import flags

    # The flags of the imported patients are reconciled by the engine after
    # the import's transaction; its share of the time is shown apart.
    reconcile = flags.patients_reconcile_by_id
    reconcile_seconds = []

    def reconcile_timed(ids):
        started = time.perf_counter()
        try:
            return reconcile(ids)
        finally:
            reconcile_seconds.append(time.perf_counter() - started)

    flags.patients_reconcile_by_id = reconcile_timed
    baseline = rss_mb()
    result, seconds, traced = timed(lambda: caseload_import_source(CaseloadSource.of_path(path)), use_tracemalloc)
    if result.errors:
        raise SystemExit(f"import failed: {result.errors[:3]}")
    rows = rows_of_clinic(result.clinic)
    flags_s = sum(reconcile_seconds)
    return {"step": "import", "seconds": round(seconds, 2), "rows": rows, "rows_per_s": round(rows / seconds),
            "flags_reconcile_seconds": round(flags_s, 2), "rows_per_s_before_flags": round(rows / (seconds - flags_s)),
            "peak_rss_mb": round(rss_mb()), "rss_growth_mb": round(rss_mb() - baseline),
            "tracemalloc_peak_mb": traced and round(traced, 1), "entries": result.entries_created}


def rows_of_clinic(slug):
    """Patients, entries, pain scores and symptoms of the clinic (what COPY is compared with)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM patients_patient p JOIN patients_clinic c ON c.id = p.clinic_id"
            "        WHERE c.slug = %(s)s)"
            " + (SELECT count(*) FROM patients_entry e JOIN patients_patient p ON p.id = e.patient_id"
            "    JOIN patients_clinic c ON c.id = p.clinic_id WHERE c.slug = %(s)s)"
            " + (SELECT count(*) FROM patients_painscore s JOIN patients_entry e ON e.id = s.entry_id"
            "    JOIN patients_patient p ON p.id = e.patient_id JOIN patients_clinic c ON c.id = p.clinic_id"
            "    WHERE c.slug = %(s)s)"
            " + (SELECT count(*) FROM patients_entrysymptom s JOIN patients_entry e ON e.id = s.entry_id"
            "    JOIN patients_patient p ON p.id = e.patient_id JOIN patients_clinic c ON c.id = p.clinic_id"
            "    WHERE c.slug = %(s)s)", {"s": slug})
        return cursor.fetchone()[0]


def phase_copy(path, slug):
    """PostgreSQL COPY of the same rows (patients, entries, pain scores,
    symptoms) into the same tables, with the same indexes, in chunks of 500
    patients, rolled back: the yardstick of the import's rows/s. Only the
    COPY statements are timed, not reading the file."""
    setup_django()
    import uuid

    from django.db import transaction
    from django.utils import timezone

    from interchange.entry_rows import ENTRY_COLUMNS
    from interchange.stream import CaseloadSource, Document, caseload_events
    from patients import bulk
    from patients.models import Clinic, Entry, EntrySymptom, PainScore, Patient

    clinic = Clinic.objects.get(slug=slug)
    patient_columns = [f.column for f in Patient._meta.concrete_fields]
    # Columns the file does not give (the kept urgency, ...) as a new patient has them.
    patient_defaults = {f.column: f.get_default() for f in Patient._meta.concrete_fields
                        if not (f.has_default() and callable(f.default))}
    entry_columns = ENTRY_COLUMNS
    now = timezone.now()
    seconds, rows = 0.0, 0

    def copy(out):
        nonlocal seconds, rows
        started = time.perf_counter()
        bulk.rows_copy(Patient, patient_columns, out["patient"])
        bulk.rows_copy(Entry, entry_columns, out["entry"])
        bulk.rows_copy(PainScore, ("entry_id", "location", "context", "score"), out["pain"])
        bulk.rows_copy(EntrySymptom, ("entry_id", "code"), out["symptom"])
        seconds += time.perf_counter() - started
        rows += sum(len(v) for v in out.values())

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            out = {"patient": [], "entry": [], "pain": [], "symptom": []}
            for index, p in caseload_events(CaseloadSource.of_path(path), Document()):
                pid = uuid.uuid4()
                values = {**patient_defaults, "id": pid, "clinic_id": clinic.pk, "ref": f"COPY-{index}", "given_name": p["given_name"],
                          "family_name": p["family_name"], "date_of_birth": p["date_of_birth"], "physio_id": None,
                          "operated_side": p["surgery"]["side"], "surgery_date": p["surgery"]["date"],
                          "programme_start": p["programme_start"], "phase": p["phase"], "email": "",
                          "created_at": now, "updated_at": now}
                out["patient"].append(tuple(values.get(c) for c in patient_columns))
                for kind, entries in (("visit", p["visits"]), ("self_report", p["self_reports"])):
                    for e in entries:
                        eid = uuid.uuid4()
                        values = {"id": eid, "patient_id": pid, "kind": kind, "date": e["date"],
                                  "ref": e.get("ref", ""), "notes": e.get("notes", ""), "created_at": now,
                                  "updated_at": now, **e.get("measures", {})}
                        out["entry"].append(tuple(values.get(c) for c in entry_columns))
                        out["pain"] += [(eid, s["location"], s["context"], s["score"]) for s in e["pain"]]
                        out["symptom"] += [(eid, code) for code in e["symptoms"]]
                if len(out["patient"]) == 500:
                    copy(out)
                    out = {"patient": [], "entry": [], "pain": [], "symptom": []}
            copy(out)
            raise Rollback
    except Rollback:
        pass
    return {"step": "copy", "seconds": round(seconds, 2), "rows": rows, "rows_per_s": round(rows / seconds)}


def phase_export(slug, out_path, use_tracemalloc):
    setup_django()
    from interchange.exporter import write_caseload_json
    from patients.models import Clinic

    clinic = Clinic.objects.get(slug=slug)
    baseline = rss_mb()

    def run():
        with open(out_path, "w", encoding="utf-8") as out:
            write_caseload_json(clinic, out)

    _, seconds, traced = timed(run, use_tracemalloc)
    return {"step": "export", "seconds": round(seconds, 1), "peak_rss_mb": round(rss_mb()),
            "rss_growth_mb": round(rss_mb() - baseline), "tracemalloc_peak_mb": traced and round(traced),
            "file_mb": round(os.path.getsize(out_path) / 2**20, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--phase", choices=["import", "copy", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--slug", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "import":
        print(json.dumps(phase_import(args.file, args.tracemalloc)))
        return
    if args.phase == "copy":
        print(json.dumps(phase_copy(args.file, args.slug)))
        return
    if args.phase == "export":
        print(json.dumps(phase_export(args.slug, args.file, args.tracemalloc)))
        return

    imports = []
    for n in args.patients:
        source = os.path.join(tempfile.gettempdir(), f"kinetic-bench-{n}.json")
        started = time.perf_counter()
        slug = generate(n, source)
        print(f"{n} patients: generated {os.path.getsize(source) / 2**20:.1f} MB in "
              f"{time.perf_counter() - started:.1f}s (clinic {slug})", flush=True)
        extra = ["--tracemalloc"] if args.tracemalloc else []
        steps = {}
        for step, options in (("copy", ["--file", source, "--slug", slug]),
                              ("import", ["--file", source, *extra]),
                              ("export", ["--slug", slug, "--file", source.replace(".json", "-export.json"), *extra])):
            # Each step in a fresh process of this same script, so its peak RSS is its own.
            output = subprocess.run([sys.executable, __file__, "--phase", step, *options],  # noqa: S603
                                    check=True, capture_output=True, text=True).stdout
            steps[step] = json.loads(output.strip().splitlines()[-1])
            print(f"  {output.strip().splitlines()[-1]}", flush=True)
        ratio = steps["import"]["rows_per_s"] / steps["copy"]["rows_per_s"]
        imports.append((n, steps["import"]))
        before_flags = steps["import"]["rows_per_s_before_flags"] / steps["copy"]["rows_per_s"]
        print(f"  import {steps['import']['rows_per_s']:,} rows/s ÷ COPY {steps['copy']['rows_per_s']:,} rows/s "
              f"= {ratio:.3f} (goal ≥ 0.25); without the flags' reconciliation "
              f"({steps['import']['flags_reconcile_seconds']} s) {before_flags:.3f}", flush=True)
    if len(imports) > 1:
        (small, first), (large, last) = imports[0], imports[-1]
        print(f"import peak RSS {last['peak_rss_mb']} MB at {large} patients vs {first['peak_rss_mb']} MB at {small} "
              f"({last['peak_rss_mb'] / first['peak_rss_mb']:.2f}×; growth over start-up {last['rss_growth_mb']} vs "
              f"{first['rss_growth_mb']} MB)", flush=True)


if __name__ == "__main__":
    main()
