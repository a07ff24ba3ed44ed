"""Build the benchmark's dataset with PostgreSQL COPY (issue 13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinetic_bench100k \
        .venv/bin/python bench/generate.py --patients 100000 --reset

N patients (default 100,000) in 20 clinics: one clinic holds a fifth of them
(20,000 at the default size), the other 19 share the rest (about 4,200
each), so the runner can compare pages at two clinic sizes. Each clinic is
created through the ORM, so the signal that seeds every new clinic gives it
the default programme (phases, criteria, exercises, articles); it has ten
physios (no email address: the sweep sends no mail) and a clinic admin
`bench-admin-NN` whose password is `BENCH_PASSWORD`.

Patients had surgery in the last 240 days and start the programme 7-21 days
later; their phase follows the weeks in the programme (Normalise, Rebuild from
week 6, Integrate from week 12, discharged after week 18 for most), so about
a third are discharged. Each has a visit every 7-14 days while in the
programme (activity and rest back pain, sometimes knee or hip pain, the
functional measures improving) and a self-report every 3-5 weeks (night
pain): about ten entries and twenty pain scores a patient. Pain falls for
most, stalls for some (plateau) and rises again for a few (regression); about
1 % of entries tick a red-flag symptom. No flags and no history rows are
written: the runner's first sweep raises the flags, as it would after an
import. Everything is deterministic for a given --seed and today's date.

The database is for benchmarks only: --reset drops every table of the
database first (refused unless its name contains "bench").
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings.local")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from content.codes import Phase  # noqa: E402
from content.flag_kinds import NO_FLAG_RANK  # noqa: E402
from content.measures import ENTRY_MEASURES  # noqa: E402
from patients.models import Clinic, Entry, EntrySymptom, PainScore, Patient, User  # noqa: E402

BENCH_PASSWORD = "kinetic-bench"  # noqa: S105  (a throwaway benchmark database)
CLINICS = 20
PHYSIOS_PER_CLINIC = 10
SLUG = "bench-{:02d}"
# When the generated records were last written: an hour before the run, so
# that none of them is newer than a sweep's look-back (rehab.sweeps.CHANGE_MARGIN)
# and a caseload nobody touched looks untouched to the incremental sweep.
SETTLED = timezone.now() - dt.timedelta(hours=1)
ADMIN = "bench-admin-{:02d}"
# Weeks in the programme at which a patient enters each phase.
REBUILD_WEEK, INTEGRATE_WEEK, DISCHARGE_WEEK = 6, 12, 18
GIVEN = ["Mary", "John", "Margaret", "David", "Susan", "Peter", "Linda", "Robert", "Patricia", "Michael",
         "Barbara", "James", "Elizabeth", "William", "Jennifer", "Richard", "Dorothy", "Thomas", "Helen"]
FAMILY = ["Lee", "Brown", "Wilson", "Taylor", "Davies", "Evans", "Thomas", "Roberts", "Walker", "Wright",
          "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Martin",
          "Jackson", "Clarke", "Turner", "Hill", "Scott", "Cooper", "Morris", "Ward", "Moore", "King"]
# (symptom, share of entries): about 1 % of entries tick one.
SYMPTOMS = [("calf_swelling", 0.003), ("fever", 0.002), ("constant_night_pain", 0.002),
            ("shooting_leg_pain", 0.002), ("hip_click_catching", 0.001)]
MEASURE_COLUMNS = list(ENTRY_MEASURES)


def clinic_sizes(patients: int, clinics: int = CLINICS) -> list[int]:
    """One clinic with a fifth of the patients, the others sharing the rest."""
    if clinics == 1:
        return [patients]
    big = patients // 5
    rest, extra = divmod(patients - big, clinics - 1)
    return [big] + [rest + (1 if i < extra else 0) for i in range(clinics - 1)]


def reset(database: str):
    if "bench" not in database:
        raise SystemExit(f"--reset drops every table: refused on the database {database!r} (no 'bench' in its name).")
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")


def clinic_create(slug: str, admin: str, *, rng, name: str = "") -> tuple[Clinic, list[int]]:
    """A clinic (seeded with the default programme by the signal), its ten
    physios and a clinic admin; (clinic, physio ids)."""
    password = make_password(BENCH_PASSWORD)
    clinic = Clinic.objects.create(slug=slug, name=name or f"Benchmark {slug}", phone="020 7946 0000",
                                   emergency_number="999")
    User.objects.create(username=admin, password=password, clinic=clinic, role=User.CLINIC_ADMIN, is_staff=True,
                        first_name="Bench", last_name="Admin")
    physios = User.objects.bulk_create(
        User(username=f"{slug}-physio-{k}", password=password, clinic=clinic, role=User.PHYSIO,
             first_name=rng.choice(GIVEN), last_name=rng.choice(FAMILY))
        for k in range(PHYSIOS_PER_CLINIC)
    )
    return clinic, [p.pk for p in physios]


def columns(model, skip=()):
    return [f.column for f in model._meta.concrete_fields if f.column not in skip]


class Story:
    """One patient's pain and function curve."""

    def __init__(self, rng):
        roll = rng.random()
        self.kind = "plateau" if roll < 0.08 else "regression" if roll < 0.11 else "improving"
        self.start_pain = rng.randint(4, 8)
        self.rng = rng

    def activity_pain(self, week):
        if self.kind == "plateau":
            value = self.start_pain - min(week, 3) * 0.5
        elif self.kind == "regression" and week >= 8:
            value = self.start_pain - 8 * 0.35 + (week - 8) * 0.6
        else:
            value = self.start_pain - week * 0.35
        return max(0, min(10, round(value + self.rng.choice((-1, 0, 0, 1)))))


def patient_rows(clinic, physios, count, *, offset, today, rng, out, visits=None):
    """Append `count` patients' rows to `out` (a list of tuples per table).
    `visits`: that many visits, every third day, for a patient in Integrate
    (the runner's patient-page comparison) instead of the usual story."""
    for n in range(offset, offset + count):
        patient_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        if visits is None:
            surgery = today - dt.timedelta(days=rng.randint(0, 240))
            start = surgery + dt.timedelta(days=rng.randint(7, 21))
        else:
            start = today - dt.timedelta(days=3 * visits + 1)
            surgery = start - dt.timedelta(days=14)
        weeks = max((today - start).days, 0) // 7
        discharge_week = DISCHARGE_WEEK + rng.randint(0, 6) if visits is None else 10**6
        if weeks >= discharge_week:
            phase, end = Phase.DISCHARGED, start + dt.timedelta(weeks=discharge_week)
        else:
            phase = (Phase.INTEGRATE if weeks >= INTEGRATE_WEEK else Phase.REBUILD if weeks >= REBUILD_WEEK
                     else Phase.NORMALISE)
            end = today
        physio = rng.choice(physios) if rng.random() > 0.05 or visits else None
        ref = f"K{clinic.pk:02d}-{n:06d}" if visits is None else f"V{visits:03d}-{n:04d}"
        out["patient"].append((
            patient_id, clinic.pk, ref, rng.choice(GIVEN), rng.choice(FAMILY),
            dt.date(rng.randint(1940, 1970), rng.randint(1, 12), rng.randint(1, 28)), rng.choice(("left", "right")),
            surgery, start, phase, physio, "", NO_FLAG_RANK, SETTLED, SETTLED,
        ))
        story = Story(rng)
        if visits is not None:
            for k in range(visits):
                _visit(out, patient_id, physio, start + dt.timedelta(days=3 * k + 1), k * 3 // 7, story, rng)
            continue
        day = start + dt.timedelta(days=rng.randint(0, 3))
        next_report = start + dt.timedelta(days=rng.randint(14, 28))
        while day <= end:
            week = (day - start).days // 7
            _visit(out, patient_id, physio, day, week, story, rng)
            while next_report < day:
                _self_report(out, patient_id, next_report, story, rng)
                next_report += dt.timedelta(days=rng.randint(21, 35))
            day += dt.timedelta(days=rng.randint(7, 14))


def _entry(out, patient_id, kind, day, recorded_by, measures, rng):
    entry_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    at = dt.datetime.combine(day, dt.time(9 + rng.randint(0, 8), rng.randint(0, 59)), tzinfo=dt.UTC)
    # Never in the future: an entry written "later today" would look edited
    # after every sweep until that hour, and send its patient down the full path.
    at = min(at, SETTLED)
    out["entry"].append((entry_id, patient_id, kind, day, "", "", recorded_by, None, at, at,
                         *[measures.get(name) for name in MEASURE_COLUMNS]))
    roll = rng.random()
    for code, share in SYMPTOMS:
        if roll < share:
            out["symptom"].append((entry_id, code))
            break
        roll -= share
    return entry_id


def _visit(out, patient_id, physio, day, week, story, rng):
    progress = min(week, 20)
    measures = {
        "standing_tolerance_min": min(5 + progress * 2 + rng.randint(0, 4), 60),
        "walk_without_limp_min": min(2 + progress * 2 + rng.randint(0, 3), 60),
        "glute_bridge_hold_s": min(10 + progress * 3 + rng.randint(0, 5), 120),
        "glute_bridge_lumbar_substitution": progress < 8 and rng.random() < 0.5,
        "continuous_walk_min": min(5 + progress * 3 + rng.randint(0, 5), 90),
        "gait_symmetric_video": progress >= 10 and rng.random() < 0.8,
    }
    entry_id = _entry(out, patient_id, Entry.VISIT, day, physio, measures, rng)
    activity = story.activity_pain(week)
    out["pain"].append((entry_id, "lumbar_bilateral", "activity", activity))
    out["pain"].append((entry_id, "lumbar_bilateral", "rest", max(0, activity - rng.randint(1, 3))))
    if rng.random() < 0.25:
        out["pain"].append((entry_id, rng.choice(("knee", "lateral_hip")), "activity", rng.randint(0, 4)))


def _self_report(out, patient_id, day, story, rng):
    entry_id = _entry(out, patient_id, Entry.SELF_REPORT, day, None, {}, rng)
    out["pain"].append((entry_id, "lumbar_bilateral", "night", max(0, story.start_pain - rng.randint(2, 5))))


PATIENT_COLUMNS = ["id", "clinic_id", "ref", "given_name", "family_name", "date_of_birth", "operated_side",
                   "surgery_date", "programme_start", "phase", "physio_id", "email", "urgency", "created_at",
                   "updated_at"]
ENTRY_COLUMNS = ["id", "patient_id", "kind", "date", "ref", "notes", "recorded_by_id", "portal_link_id",
                 "created_at", "updated_at", *MEASURE_COLUMNS]


def copy_rows(table, cols, rows):
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def rows_copy(out) -> int:
    """COPY the rows `patient_rows` gathered; the number of rows written."""
    assert set(PATIENT_COLUMNS) == set(columns(Patient)), "Patient's columns changed: update the generator"
    assert set(ENTRY_COLUMNS) == set(columns(Entry)), "Entry's columns changed: update the generator"
    copy_rows(Patient._meta.db_table, PATIENT_COLUMNS, out["patient"])
    copy_rows(Entry._meta.db_table, ENTRY_COLUMNS, out["entry"])
    copy_rows(PainScore._meta.db_table, ["entry_id", "location", "context", "score"], out["pain"])
    copy_rows(EntrySymptom._meta.db_table, ["entry_id", "code"], out["symptom"])
    return sum(len(rows) for rows in out.values())


def new_rows():
    return {"patient": [], "entry": [], "pain": [], "symptom": []}


def clinic_populate(clinic, physios, size, *, today, rng, chunk=5000, visits=None, offset=0) -> dict:
    """COPY `size` patients into the clinic, in chunks, so memory stays flat in the size."""
    counts = dict.fromkeys(new_rows(), 0)
    for start in range(0, size, chunk):
        out = new_rows()
        patient_rows(clinic, physios, min(chunk, size - start), offset=offset + start, today=today, rng=rng,
                     out=out, visits=visits)
        rows_copy(out)
        for key, rows in out.items():
            counts[key] += len(rows)
    return counts


def generate(patients: int, *, seed: int = 13, do_reset: bool = False, verbose: bool = True) -> dict:
    started = time.perf_counter()
    if do_reset:
        reset(connection.settings_dict["NAME"])
    call_command("migrate", verbosity=0)
    if Clinic.objects.filter(slug=SLUG.format(1)).exists():
        raise SystemExit("The benchmark clinics exist already: run with --reset (or use an empty database).")
    rng = random.Random(seed)
    sizes = clinic_sizes(patients)
    counts = dict.fromkeys(new_rows(), 0)
    with transaction.atomic():
        for number, size in enumerate(sizes, start=1):
            clinic, physios = clinic_create(SLUG.format(number), ADMIN.format(number), rng=rng,
                                            name=f"Benchmark clinic {number}")
            made = clinic_populate(clinic, physios, size, today=clinic.today(), rng=rng)
            for key, count in made.items():
                counts[key] += count
            if verbose:
                print(f"  {clinic.slug}: {size} patients", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    if verbose:
        print(f"{counts['patient']} patients in {len(sizes)} clinics, {counts['entry']} entries, "
              f"{counts['pain']} pain scores, {counts['symptom']} red-flag symptoms in {counts['seconds']} s")
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--reset", action="store_true", help="Drop every table of the (benchmark) database first.")
    args = parser.parse_args()
    generate(args.patients, seed=args.seed, do_reset=args.reset)


if __name__ == "__main__":
    main()
