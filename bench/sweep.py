"""Time and peak memory of the programme sweep over N patients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinetic_bench \
        .venv/bin/python bench/sweep.py 2000 20000

Creates (or reuses) a clinic "bench-sweep" with N patients, each with six
visits and four pain scores per visit, then runs `sweep_run` twice: the first
run raises flags, the second finds nothing new (the steady state of the
hourly beat). Not a test: numbers vary with the machine.
"""

import datetime as dt
import os
import sys
import time
import tracemalloc
from pathlib import Path

import time_machine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from patients.models import Clinic, Entry, PainScore, Patient  # noqa: E402
from rehab.models import Flag  # noqa: E402
from rehab.sweeps import sweep_run  # noqa: E402


def populate(clinic, count):
    existing = clinic.patients.count()
    start = dt.date(2026, 1, 5)
    for offset in range(existing, count, 1000):
        patients = Patient.objects.bulk_create(
            Patient(clinic=clinic, ref=f"B-{n:06d}", given_name="Bench", family_name=f"Patient{n}",
                    date_of_birth=dt.date(1955, 1, 1), operated_side="left", surgery_date=start,
                    programme_start=start + dt.timedelta(days=7), phase="integrate" if n % 3 else "rebuild")
            for n in range(offset, min(offset + 1000, count))
        )
        entries = Entry.objects.bulk_create(
            Entry(patient=p, kind="visit", date=p.programme_start + dt.timedelta(days=14 * k),
                  standing_tolerance_min=10 + k)
            for p in patients for k in range(6)
        )
        PainScore.objects.bulk_create(
            PainScore(entry=e, location=loc, context=ctx, score=score)
            for i, e in enumerate(entries)
            for loc, ctx, score in (("lumbar_bilateral", "activity", 5 + i % 2), ("lumbar_bilateral", "rest", 2),
                                    ("knee", "activity", 1), ("lateral_hip", "activity", 3))
        )


def sweep_at(clinic, as_of):
    """The sweep beat runs on `as_of`: at the clinic's today, so it writes
    (a sweep at any other date is read-only)."""
    with time_machine.travel(dt.datetime.combine(as_of, dt.time(12), tzinfo=dt.UTC), tick=True):
        return sweep_run(clinic=clinic)


def measure(label, clinic, as_of, *, reset):
    """Wall time without tracing, then peak Python memory in a second, traced run."""
    reset()
    started = time.perf_counter()
    summary = sweep_at(clinic, as_of)
    elapsed = time.perf_counter() - started
    reset()
    tracemalloc.start()
    sweep_at(clinic, as_of)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    raised = sum(summary.raised.values())
    print(f"  {label:<22} {elapsed:7.2f} s   peak {peak / 2**20:7.1f} MiB   raised {raised}")


def main(sizes):
    call_command("migrate", verbosity=0)
    clinic, _ = Clinic.objects.get_or_create(slug="bench-sweep", defaults={"name": "Bench sweep"})
    for size in sizes:
        populate(clinic, size)
        print(f"{size} patients, {Entry.objects.filter(patient__clinic=clinic).count()} visits "
              f"({connection.vendor})")

        def fresh():
            Flag.objects.filter(patient__clinic=clinic).delete()
            Entry.objects.filter(patient__clinic=clinic).update(flags_checked_at=None)

        def steady():
            sweep_at(clinic, dt.date(2026, 6, 1))

        measure("first sweep", clinic, dt.date(2026, 6, 1), reset=fresh)
        measure("steady sweep", clinic, dt.date(2026, 6, 1), reset=steady)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [2000])
