"""The programme sweep against one GROUP BY over all pain scores (issue 13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinetic_bench \
        .venv/bin/python bench/sweep.py 5000

Creates (or reuses) a clinic "bench-sweep" with N patients (programmes
started over the past year, two thirds still active), ten visits each with two
back/hip pain scores (the 100,000-patient shape: 1 M entries, 2 M scores),
then times, beside `SELECT patient, max(score) ... GROUP BY patient` over
every pain score:

- first sweep: no earlier sweep (everyone in full);
- unchanged caseload: the same day again;
- after 1 % new visits: the next day, 1 % of patients with a visit saved
  around the services (their evaluation left to the sweep).

Not a test: numbers vary with the machine. The goals (issue 13, at 100,000
patients): first ≤ 3x, unchanged ≤ 0.3x, 1 % new ≤ 0.5x.
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

import time_machine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from patients.models import Clinic, Entry, PainScore, Patient  # noqa: E402
from rehab.models import ClinicSweep, Flag  # noqa: E402
from rehab.sweeps import sweep_run  # noqa: E402

TODAY = dt.date(2026, 6, 1)
VISITS = 10
GROUP_BY = f"""
SELECT e.patient_id, max(s.score) FROM {PainScore._meta.db_table} s
JOIN {Entry._meta.db_table} e ON e.id = s.entry_id GROUP BY e.patient_id
"""  # noqa: S608 (the models' table names)


def visits_of(patient, rng, dates):
    entries = [Entry(patient=patient, kind="visit", date=date, standing_tolerance_min=rng.randint(5, 40))
               for date in dates]
    return entries


def pain_of(entries, rng):
    return [PainScore(entry=entry, location=location, context="activity" if n == 0 else "rest",
                      score=rng.randint(1, 8))
            for entry in entries
            for n, location in enumerate(rng.sample(["lumbar_bilateral", "lateral_hip", "anterior_hip"], 2))]


def populate(clinic, count):
    rng = random.Random(13)
    existing = clinic.patients.count()
    for offset in range(existing, count, 1000):
        patients = []
        for n in range(offset, min(offset + 1000, count)):
            start = TODAY - dt.timedelta(days=rng.randint(0, 365))
            patients.append(Patient(
                clinic=clinic, ref=f"B-{n:06d}", given_name="Bench", family_name=f"Patient{n}",
                date_of_birth=dt.date(1955, 1, 1), operated_side="left", surgery_date=start - dt.timedelta(days=7),
                programme_start=start, phase=rng.choice(["normalise", "rebuild", "integrate", "discharged"]
                                                        if n % 3 == 0 else ["normalise", "rebuild", "integrate"]),
            ))
        Patient.objects.bulk_create(patients)
        entries = []
        for p in patients:
            span = max((TODAY - p.programme_start).days, 1)
            entries += visits_of(p, rng, sorted(p.programme_start + dt.timedelta(days=rng.randint(0, span))
                                                for _ in range(VISITS)))
        Entry.objects.bulk_create(entries, batch_size=5000)
        PainScore.objects.bulk_create(pain_of(entries, rng), batch_size=5000)


def at(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=True)


def timed(action):
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def group_by_seconds():
    def run():
        with connection.cursor() as cursor:
            cursor.execute(GROUP_BY)
            cursor.fetchall()
    run()  # warm the cache, as the sweeps' runs are
    return statistics.median(timed(run)[0] for _ in range(3))


def main(size):
    call_command("migrate", verbosity=0)
    clinic, _ = Clinic.objects.get_or_create(slug="bench-sweep", defaults={"name": "Bench sweep"})
    populate(clinic, size)
    with at(TODAY - dt.timedelta(days=1)):
        # The previous run's new visits, and the history of their deletion.
        Entry.objects.filter(patient__clinic=clinic, date__gt=TODAY).delete()
        Entry.history.filter(patient__clinic=clinic).delete()
    # Built the day before the sweeps (the sweeps run at TODAY, in the past).
    built = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    Patient.objects.filter(clinic=clinic).update(created_at=built, updated_at=built)
    Entry.objects.filter(patient__clinic=clinic).update(created_at=built, updated_at=built)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    patients = Patient.objects.filter(clinic=clinic)
    entries = Entry.objects.filter(patient__clinic=clinic)
    print(f"{patients.count()} patients ({patients.exclude(phase='discharged').count()} active), "
          f"{entries.count()} entries, {PainScore.objects.filter(entry__patient__clinic=clinic).count()} "
          f"pain scores ({connection.vendor})")
    reference = group_by_seconds()
    print(f"  {'GROUP BY over all pain scores':<34} {reference:7.3f} s")

    def fresh():
        Flag.objects.filter(patient__clinic=clinic).delete()
        ClinicSweep.objects.filter(clinic=clinic).delete()

    def report(label, seconds, summary):
        print(f"  {label:<34} {seconds:7.3f} s   {seconds / reference:6.2f}x   "
              f"raised {sum(summary.raised.values())}, closed {summary.closed}")

    fresh()
    with at(TODAY):
        report("first sweep", *timed(lambda: sweep_run(clinic=clinic)))
        report("unchanged caseload", *timed(lambda: sweep_run(clinic=clinic)))
    next_day = TODAY + dt.timedelta(days=1)
    with at(next_day):
        rng = random.Random(size)
        chosen = rng.sample(list(patients.exclude(phase="discharged")), max(size // 100, 1))
        new = Entry.objects.bulk_create(e for p in chosen for e in visits_of(p, rng, [next_day]))
        PainScore.objects.bulk_create(pain_of(new, rng))
        report("after 1 % new visits", *timed(lambda: sweep_run(clinic=clinic)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
