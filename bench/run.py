"""Every ratio of issue 13's table, side by side in one run, on production settings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinetic_bench100k \
    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/run.py

Runs on a database bench/generate.py built (`--generate N` builds it first,
dropping every table). The process and the server it starts use
bench/settings.py: production's settings (with a throwaway SECRET_KEY, mail
to nowhere, static files collected to a temporary folder) plus a second
admin URL with the Patient changelist at 25 rows. Measured:

- sweeps: `manage.py run_sweeps` (the command, so whatever the sweep is now)
  first (no flag yet), again on the unchanged caseload, and after new visits
  for 1 % of the active patients, each ÷ one `SELECT patient, max(score) …
  GROUP BY patient` over every pain score;
- pages, from gunicorn on 127.0.0.1:PORT with a session from the login form
  (or a portal token): the clinic-wide caseload against the admin's Patient
  changelist (as production serves it, 100 rows, and at 25 rows) in the
  largest clinic and in a small one, the portal against
  the login page, the patient page of a patient with 200 visits against one
  with 10. Requests alternate between the two pages of a pair, one at a
  time; each figure is the median. Ratios of pages are speed (requests per
  second) for page ÷ reference, time for 200 ÷ 10 visits;
- import: `manage.py import_caseload` of a generated rehab-caseload/1 file,
  in a process of its own (peak resident memory from the kernel), at two
  file sizes, against COPY of as many rows of the same tables (rolled back);
- queries the caseload sends for a clinic of 5 and one of 500 patients.

It writes to the database: flags (the sweeps), the extra clinics it needs
(bench-q5, bench-q500, the patients with 10 and 200 visits, the import
clinics, which it deletes again at the end). Not a test: the figures depend
on the machine and on what else runs on it (the load average is printed).
"""

import argparse
import contextlib
import io
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PORT = int(os.environ.get("BENCH_PORT", "8107"))
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "EMAIL_URL": "dummymail://",
    "STATIC_ROOT": os.path.join(tempfile.gettempdir(), "kinetic-bench-static"),
    "LOG_LEVEL": "WARNING",
    "PORT": str(PORT),
}
for _key, _value in SERVER_ENV.items():
    if _key != "PORT":
        os.environ[_key] = _value
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import generate as gen  # noqa: E402
from content.codes import Phase  # noqa: E402
from patients.models import Clinic, Entry, Patient  # noqa: E402
from rehab.portal_links import portal_link_issue  # noqa: E402

User = get_user_model()
HTTPS = {"X-Forwarded-Proto": "https"}  # as the proxy in front of production says
SECTIONS = ("sweeps", "pages", "import", "queries")


class Rows:
    """The printed table: a line per measure, with its goal and whether it is met."""

    def __init__(self):
        self.lines, self.missed = [], []

    def add(self, label, value, detail, goal="", met=None):
        mark = "" if met is None else ("met" if met else "NOT MET")
        if met is False:
            self.missed.append(label)
        line = f"{label:<52} {value:>9}   {detail:<44} {goal:<8} {mark}"
        self.lines.append(line.rstrip())
        print(line.rstrip(), flush=True)


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# Fixtures the runner adds ------------------------------------------------------

def extra_clinic(slug, size, rng):
    clinic = Clinic.objects.filter(slug=slug).first()
    if clinic is None:
        with transaction.atomic():
            clinic, physios = gen.clinic_create(slug, f"{slug}-admin", rng=rng)
            gen.clinic_populate(clinic, physios, size, today=clinic.today(), rng=rng)
    return clinic


def patient_with_visits(clinic, visits, rng):
    ref = f"V{visits:03d}-0000"
    patient = Patient.objects.filter(clinic=clinic, ref=ref).first()
    if patient is None:
        physios = list(User.objects.filter(clinic=clinic, role=User.PHYSIO).values_list("pk", flat=True))
        with transaction.atomic():
            gen.clinic_populate(clinic, physios, 1, today=clinic.today(), rng=rng, visits=visits)
        patient = Patient.objects.get(clinic=clinic, ref=ref)
    return patient


# The server ----------------------------------------------------------------------

@contextlib.contextmanager
def server(workers):
    env = {**os.environ, **SERVER_ENV, "WEB_CONCURRENCY": str(workers)}
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "rehab.wsgi", "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{PORT}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        for _ in range(200):
            try:
                if Http().get("/login/").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not answer on port {PORT}: {process.stderr.read(2000)!r}")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


class Response:
    def __init__(self, status, body, cookies):
        self.status, self.body, self.cookies = status, body, cookies


class Http:
    """A client that sends the cookies the server set, Secure ones included
    (the proxy's HTTPS is simulated by X-Forwarded-Proto)."""

    def __init__(self):
        import http.client

        self._connect = lambda: http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        conn = self._connect()
        headers = {**HTTPS, "Host": f"127.0.0.1:{PORT}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return Response(response.status, data, self.cookies)

    def get(self, path):
        return self.request("GET", path)

    def login(self, username, password):
        page = self.get("/login/")
        assert page.status == 200, page.status
        form = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": self.cookies["csrftoken"]})
        origin = f"https://127.0.0.1:{PORT}"
        answer = self.request("POST", "/login/", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": f"{origin}/login/"})
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {username} failed: {answer.status}")
        return self


def timed_get(client, path):
    started = time.perf_counter()
    response = client.get(path)
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status}")
    return elapsed


def side_by_side(*pages, repeats, warmup=3):
    """Median seconds of GET each page, taking turns: pages are (client, path)."""
    for _ in range(warmup):
        for page in pages:
            timed_get(*page)
    times = [[] for _ in pages]
    for _ in range(repeats):
        for page, seconds in zip(pages, times, strict=True):
            seconds.append(timed_get(*page))
    return [statistics.median(seconds) for seconds in times]


# Measures -----------------------------------------------------------------------------

def group_by_seconds(repeats=3):
    sql = ("SELECT e.patient_id, max(p.score) FROM patients_painscore p "
           "JOIN patients_entry e ON e.id = p.entry_id GROUP BY e.patient_id")
    times = []
    with connection.cursor() as cursor:
        for _ in range(repeats):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def flags_reset():
    """Back to "no sweep yet" when an earlier run left flags (best effort:
    the flags, their history, the clinics' sweep marks, the ranks)."""
    from rehab.models import Flag

    if not Flag.objects.exists():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Flag._meta.db_table}, {Flag.history.model._meta.db_table}, rehab_clinicsweep")
        cursor.execute("UPDATE patients_patient SET urgency = %s WHERE urgency <> %s", [gen.NO_FLAG_RANK] * 2)
        cursor.execute("VACUUM ANALYZE patients_entry, patients_patient")
    return True


def sweep_seconds():
    started = time.perf_counter()
    call_command("run_sweeps", stdout=io.StringIO())
    return time.perf_counter() - started


def new_visits(share, rng):
    """Visits dated today for `share` of the active patients, written as the
    visit form leaves them (pain scores, updated_at now, not yet swept)."""
    active = list(Patient.objects.exclude(phase=Phase.DISCHARGED).filter(clinic__slug__startswith="bench-")
                  .values_list("pk", "physio_id", "programme_start"))
    chosen = rng.sample(active, max(1, int(len(active) * share)))
    today = timezone.localdate()
    out = gen.new_rows()
    for patient_id, physio, start in chosen:
        week = max((today - start).days, 0) // 7
        gen._visit(out, patient_id, physio, today, week, gen.Story(rng), rng)
    now = timezone.now()
    out["entry"] = [(*row[:8], now, now, *row[10:]) for row in out["entry"]]
    with transaction.atomic():
        gen.rows_copy(out)
    return len(chosen)


def caseload_queries(clinic):
    client = Client()
    client.force_login(User.objects.get(username=f"{clinic.slug}-admin"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/", secure=True, headers=HTTPS)
    assert response.status_code == 200, response.status_code
    return len(queries)


def run_child(args):
    """Run `args` in a process of its own; its stdout."""
    env = {**os.environ, **SERVER_ENV}
    process = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, check=False)  # noqa: S603
    if process.returncode:
        raise SystemExit(f"{' '.join(map(str, args))} failed:\n{process.stderr.decode()[-3000:]}")
    return process.stdout.decode()


def import_measure(patients):
    """(rows written, seconds, peak MiB) of `manage.py import_caseload` of a
    generated file of `patients` patients, in a fresh process."""
    from bench import interchange

    path = os.path.join(tempfile.gettempdir(), f"kinetic-bench-import-{patients}.json")
    slug = interchange.generate(patients, path)
    clinic = Clinic.objects.get(slug=slug)
    before = rows_of(clinic)
    probe = ("import resource, subprocess, sys, time\n"
             "started = time.perf_counter()\n"
             "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
             "print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = run_child([sys.executable, "-c", probe, sys.executable, "manage.py", "import_caseload", path,
                        "--clinic", slug])
    seconds, peak_kib = out.split()
    rows = rows_of(clinic) - before
    os.unlink(path)
    return clinic, rows, float(seconds), int(peak_kib) / 1024


def rows_of(clinic):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM patients_patient WHERE clinic_id = %(c)s)"
            " + (SELECT count(*) FROM patients_entry e JOIN patients_patient p ON p.id = e.patient_id"
            "    WHERE p.clinic_id = %(c)s)"
            " + (SELECT count(*) FROM patients_painscore s JOIN patients_entry e ON e.id = s.entry_id"
            "    JOIN patients_patient p ON p.id = e.patient_id WHERE p.clinic_id = %(c)s)"
            " + (SELECT count(*) FROM patients_entrysymptom s JOIN patients_entry e ON e.id = s.entry_id"
            "    JOIN patients_patient p ON p.id = e.patient_id WHERE p.clinic_id = %(c)s)", {"c": clinic.pk})
        return cursor.fetchone()[0]


def copy_rows_per_second(patients, rng):
    """Rows/s of COPY into the same tables (patients, entries, pain, symptoms),
    in a transaction rolled back afterwards."""
    clinic = Clinic.objects.get(slug=gen.SLUG.format(2))
    physios = list(User.objects.filter(clinic=clinic, role=User.PHYSIO).values_list("pk", flat=True))
    out = gen.new_rows()
    gen.patient_rows(clinic, physios, patients, offset=900_000, today=clinic.today(), rng=rng, out=out)
    out["patient"] = [(row[0], row[1], f"C{n:07d}", *row[3:]) for n, row in enumerate(out["patient"])]
    with contextlib.suppress(_Rollback), transaction.atomic():
        started = time.perf_counter()
        rows = gen.rows_copy(out)
        seconds = time.perf_counter() - started
        raise _Rollback
    return rows / seconds


class _Rollback(Exception):
    pass


def clinic_delete(clinic):
    """Remove an import clinic's clinical rows again (history rows stay)."""
    statements = [
        "DELETE FROM rehab_flag WHERE patient_id IN (SELECT id FROM patients_patient WHERE clinic_id = %(c)s)",
        "DELETE FROM patients_painscore WHERE entry_id IN"
        " (SELECT id FROM patients_entry WHERE patient_id IN (SELECT id FROM patients_patient WHERE clinic_id = %(c)s))",
        "DELETE FROM patients_entrysymptom WHERE entry_id IN"
        " (SELECT id FROM patients_entry WHERE patient_id IN (SELECT id FROM patients_patient WHERE clinic_id = %(c)s))",
        "DELETE FROM patients_entry WHERE patient_id IN (SELECT id FROM patients_patient WHERE clinic_id = %(c)s)",
        "DELETE FROM patients_assignedplanitem WHERE patient_id IN (SELECT id FROM patients_patient WHERE clinic_id = %(c)s)",
        "DELETE FROM rehab_phasetransition WHERE patient_id IN (SELECT id FROM patients_patient WHERE clinic_id = %(c)s)",
        "DELETE FROM patients_patient WHERE clinic_id = %(c)s",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, {"c": clinic.pk})


# The run ------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--generate", type=int, metavar="N", help="Build the dataset of N patients first (--reset).")
    parser.add_argument("--repeats", type=int, default=25, help="Requests per page (median).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2: one a core).")
    parser.add_argument("--import-patients", type=int, default=10_000, help="Patients in the larger import file.")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"Which measures, comma-separated (default: all of {', '.join(SECTIONS)}).")
    args = parser.parse_args()
    sections = set(args.sections.split(","))
    if sections - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(sections - set(SECTIONS)))}")
    rng = random.Random()  # fresh ids for what the runner adds, run after run
    if args.generate:
        gen.generate(args.generate, do_reset=True)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)

    patients = Patient.objects.filter(clinic__slug__startswith="bench-").count()
    entries = Entry.objects.count()
    big = Clinic.objects.get(slug=gen.SLUG.format(1))
    small = Clinic.objects.get(slug=gen.SLUG.format(2))
    q5, q500 = extra_clinic("bench-q5", 5, rng), extra_clinic("bench-q500", 500, rng)
    ten, two_hundred = patient_with_visits(small, 10, rng), patient_with_visits(small, 200, rng)
    print(f"Kinetic benchmark: {patients} patients in {Clinic.objects.filter(slug__startswith='bench-').count()} "
          f"clinics, {entries} entries; production settings (bench/settings.py), PostgreSQL "
          f"{connection.pg_version // 10000}, gunicorn {args.workers} workers on 127.0.0.1:{PORT}, "
          f"{os.cpu_count()} CPUs, load average {load()}", flush=True)
    rows = Rows()

    if "sweeps" in sections:
        sweeps_measure(rows, rng)
    if "pages" in sections:
        pages_measure(rows, args, big=big, small=small, ten=ten, two_hundred=two_hundred)
    if "import" in sections:
        import_compare(rows, args, rng)
    if "queries" in sections:
        few, many = caseload_queries(q5), caseload_queries(q500)
        rows.add("caseload queries, 5 vs 500 patients", f"{few} vs {many}", "(the whole request)", "constant",
                 few == many)
    print(f"load average at the end {load()}; "
          + ("every goal measured here met" if not rows.missed else f"goals not met: {'; '.join(rows.missed)}"))
    return rows


def sweeps_measure(rows, rng):
    base = group_by_seconds()
    rows.add("GROUP BY patient, max(score) over all pain scores", f"{base:.2f} s", "(the unit of the sweep ratios)")
    reset = flags_reset()
    first = sweep_seconds()
    rows.add("run_sweeps, first ÷ GROUP BY", f"{first / base:.2f}×",
             f"{first:.1f} s{' (after resetting flags)' if reset else ''}", "≤ 3×", first / base <= 3)
    unchanged = sweep_seconds()
    rows.add("run_sweeps, unchanged caseload ÷ GROUP BY", f"{unchanged / base:.2f}×", f"{unchanged:.1f} s",
             "≤ 0.3×", unchanged / base <= 0.3)
    added = new_visits(0.01, rng)
    after = sweep_seconds()
    rows.add("run_sweeps, after 1 % new visits ÷ GROUP BY", f"{after / base:.2f}×",
             f"{after:.1f} s, {added} new visits", "≤ 0.5×", after / base <= 0.5)


def pages_measure(rows, args, *, big, small, ten, two_hundred):
    with server(args.workers):
        for clinic in (big, small):
            admin = Http().login(f"bench-admin-{clinic.slug[-2:]}", gen.BENCH_PASSWORD)
            size = clinic.patients.count()
            caseload_s, admin_s, admin25_s = side_by_side(
                (admin, "/?scope=clinic"), (admin, "/admin/patients/patient/"),
                (admin, "/bench-admin25/patients/patient/"), repeats=args.repeats)
            ratio = admin_s / caseload_s
            rows.add(f"caseload ÷ admin changelist, {size} patients", f"{ratio:.2f}",
                     f"{caseload_s * 1000:.0f} ms vs {admin_s * 1000:.0f} ms (admin: 100 rows)", "≥ 1.5",
                     ratio >= 1.5)
            rows.add("  the same, admin at 25 rows", f"{admin25_s / caseload_s:.2f}",
                     f"{caseload_s * 1000:.0f} ms vs {admin25_s * 1000:.0f} ms")
        physio = User.objects.filter(clinic=small, role=User.PHYSIO).first()
        _link, token = portal_link_issue(patient=ten, issued_by=physio)
        visitor, anonymous = Http(), Http()
        portal_s, login_s = side_by_side((visitor, f"/p/{token}/"), (anonymous, "/login/"), repeats=args.repeats)
        ratio = login_s / portal_s
        rows.add("portal page ÷ login page", f"{ratio:.2f}",
                 f"{portal_s * 1000:.0f} ms vs {login_s * 1000:.0f} ms", "≥ 0.5", ratio >= 0.5)
        staff = Http().login(f"bench-admin-{small.slug[-2:]}", gen.BENCH_PASSWORD)
        many_s, few_s = side_by_side((staff, f"/patients/{two_hundred.pk}/"), (staff, f"/patients/{ten.pk}/"),
                                     repeats=args.repeats)
        rows.add("patient page, 200 visits ÷ 10 visits", f"{many_s / few_s:.2f}×",
                 f"{many_s * 1000:.0f} ms vs {few_s * 1000:.0f} ms", "≤ 1.5×", many_s / few_s <= 1.5)


def import_compare(rows, args, rng):
    imports = []
    for size in sorted({max(args.import_patients // 10, 1), args.import_patients}):
        clinic, written, seconds, peak = import_measure(size)
        imports.append((size, written, seconds, peak))
        clinic_delete(clinic)
    size, written, seconds, peak = imports[-1]
    copy_rate = copy_rows_per_second(size, rng)
    ratio = written / seconds / copy_rate
    rows.add(f"import rows/s ÷ COPY rows/s, {size} patients", f"{ratio:.3f}",
             f"{written / seconds:,.0f} vs {copy_rate:,.0f} rows/s, {written} rows", "≥ 0.25", ratio >= 0.25)
    if len(imports) > 1:
        small_size, _, _, small_peak = imports[0]
        rows.add("import peak memory, larger ÷ smaller file", f"{peak / small_peak:.2f}×",
                 f"{peak:.0f} MiB ({size}) vs {small_peak:.0f} MiB ({small_size})", "flat", peak / small_peak <= 1.25)


if __name__ == "__main__":
    main()
