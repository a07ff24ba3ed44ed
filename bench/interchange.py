"""Benchmark of caseload import and export (not a test).

    DATABASE_URL=postgres://... .venv/bin/python bench/interchange.py --patients 2000 20000

For each size it creates a new clinic, writes a synthetic rehab-caseload/1
file of N patients (8 visits and 2 self-reports each), then imports it and
exports the clinic again, each in a fresh process, and prints the wall time
and the peak resident memory of each step (ru_maxrss of that process, and
its growth over the process's baseline after Django start-up and, for the
import, after the file is parsed). --tracemalloc adds Python's own peak
allocation count for the timed part (slower).

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

    django.setup()


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
    setup_django()
    from interchange.importer import caseload_import

    baseline = rss_mb()
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    parsed = rss_mb()
    result, seconds, traced = timed(lambda: caseload_import(document), use_tracemalloc)
    if result.errors:
        raise SystemExit(f"import failed: {result.errors[:3]}")
    return {"step": "import", "seconds": round(seconds, 1), "peak_rss_mb": round(rss_mb()),
            "rss_growth_over_parsed_file_mb": round(rss_mb() - parsed),
            "parsed_file_mb": round(parsed - baseline), "tracemalloc_peak_mb": traced and round(traced),
            "entries": result.entries_created}


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
    parser.add_argument("--patients", type=int, nargs="+", default=[2000])
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--phase", choices=["import", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--slug", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "import":
        print(json.dumps(phase_import(args.file, args.tracemalloc)))
        return
    if args.phase == "export":
        print(json.dumps(phase_export(args.slug, args.file, args.tracemalloc)))
        return

    for n in args.patients:
        source = os.path.join(tempfile.gettempdir(), f"kinetic-bench-{n}.json")
        started = time.perf_counter()
        slug = generate(n, source)
        print(f"{n} patients: generated {os.path.getsize(source) / 2**20:.1f} MB in "
              f"{time.perf_counter() - started:.1f}s (clinic {slug})", flush=True)
        extra = ["--tracemalloc"] if args.tracemalloc else []
        for step, options in (("import", ["--file", source]),
                              ("export", ["--slug", slug, "--file", source.replace(".json", "-export.json")])):
            # Each step in a fresh process of this same script, so its peak RSS is its own.
            output = subprocess.run([sys.executable, __file__, "--phase", step, *options, *extra],  # noqa: S603
                                    check=True, capture_output=True, text=True).stdout
            print(f"  {output.strip().splitlines()[-1]}", flush=True)


if __name__ == "__main__":
    main()
