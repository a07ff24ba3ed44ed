"""The periodic sweep: set-based, idempotent, and the backstop for lost tasks."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.flag_kinds import FLAG_KINDS
from rehab import flags
from rehab.models import ClinicSweep, Flag
from rehab.sweeps import sweep_run
from tests.factories import EntryFactory, EntrySymptomFactory, PainScoreFactory, PatientFactory

pytestmark = pytest.mark.django_db


def patients_with_visits(clinic, physio, count):
    for _ in range(count):
        patient = PatientFactory(clinic=clinic, physio=physio)
        for days in (0, 30, 60):
            entry = EntryFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=days))
            PainScoreFactory(entry=entry, location="lumbar_bilateral", context="activity", score=5)


def unevaluated_visit(patient, *symptoms):
    """A visit written through the models (as the Django admin does) whose
    evaluation task was lost: in these tests no on-commit task runs."""
    entry = EntryFactory(patient=patient, date=patient.programme_start)
    for code in symptoms:
        EntrySymptomFactory(entry=entry, code=code)
    return entry


def sweep_on(day, **kwargs):
    """The sweep as beat runs it on `day`: at the clinic's today, so it writes."""
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
        return sweep_run(**kwargs)


def sweep_queries(clinic, as_of):
    with CaptureQueriesContext(connection) as queries:
        sweep_on(as_of, clinic=clinic)
    return len(queries)


def test_sweep_query_count_is_the_same_for_10_and_200_patients(clinic, physio, other_clinic):
    as_of = dt.date(2026, 10, 1)
    patients_with_visits(clinic, physio, 10)
    few = sweep_queries(clinic, as_of)
    patients_with_visits(clinic, physio, 190)
    Flag.objects.all().delete()
    ClinicSweep.objects.all().delete()
    many = sweep_queries(clinic, as_of)
    assert Flag.objects.filter(code="plateau_12w").count() == 200
    assert many == few


def test_sweep_raises_plateau_for_every_stalled_patient_once(clinic, physio):
    patients_with_visits(clinic, physio, 3)
    as_of = dt.date(2026, 10, 1)
    first = sweep_on(as_of, clinic=clinic)
    second = sweep_on(as_of, clinic=clinic)
    assert first.raised == {"plateau_12w": 3}
    assert second.raised == {}
    assert Flag.objects.count() == 3


def test_sweep_raises_the_red_flag_a_lost_task_missed(patient):
    unevaluated_visit(patient, "calf_swelling")
    assert not Flag.objects.exists()
    summary = sweep_run(clinic=patient.clinic)
    assert summary.raised == {"dvt_signs": 1}


def test_sweep_reaches_a_discharged_patients_unchecked_entry(patient):
    unevaluated_visit(patient, "fever", "joint_pain")
    patient.phase = "discharged"
    patient.save()
    assert sweep_run(clinic=patient.clinic).raised == {"infection_signs": 1}


def test_sweep_only_touches_the_given_clinic(patient, other_clinic):
    other = PatientFactory(clinic=other_clinic)
    for each in (patient, other):
        unevaluated_visit(each, "foot_drop")
    sweep_run(clinic=patient.clinic)
    assert list(Flag.objects.values_list("patient_id", flat=True)) == [patient.pk]


def test_run_sweeps_command_prints_a_line_per_flag_code(patient):
    unevaluated_visit(patient, "foot_drop")
    out = io.StringIO()
    call_command("run_sweeps", "--clinic", patient.clinic.slug, stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("motor_deficit") and "new    1" in line and "open    1" in line for line in lines)
    assert sum(1 for line in lines if "new" in line and "open" in line) == len(FLAG_KINDS)


@pytest.mark.parametrize("args,message", [
    (["--clinic", "nowhere"], "No clinic"),
    (["--as-of", "01/07/2026"], "not a date"),
])
def test_run_sweeps_rejects_bad_arguments(clinic, args, message):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("run_sweeps", *args)


def _flags_as_they_are():
    return list(Flag.objects.order_by("pk").values()), Flag.history.count()


def test_a_sweep_at_a_past_date_never_touches_live_flags_or_their_acknowledgements(clinic, physio):
    """The reported case: an acknowledged plateau, then `run_sweeps --as-of` a
    date before day 84 (no plateau yet), then the normal sweep."""
    patients_with_visits(clinic, physio, 1)
    sweep_run(clinic=clinic)  # today: day 160 or so, pain stuck at 5/10
    plateau = Flag.objects.get(code="plateau_12w")
    flags.flag_acknowledge(flag=plateau, user=physio, note="Reviewed; programme changed.")
    before = _flags_as_they_are()

    out = io.StringIO()
    call_command("run_sweeps", "--clinic", clinic.slug, "--as-of", "2026-07-01", stdout=out)

    assert _flags_as_they_are() == before
    assert "Read-only: evaluated at 2026-07-01; nothing was written" in out.getvalue()
    assert "Flags that would close: 1" in out.getvalue()
    again = sweep_run(clinic=clinic)
    assert again.raised == {} and again.closed == 0
    plateau.refresh_from_db()
    assert plateau.is_open and plateau.acknowledged_by == physio


def test_a_dry_run_today_prints_what_it_would_raise_and_writes_nothing(patient):
    unevaluated_visit(patient, "calf_swelling")
    before = _flags_as_they_are()
    out = io.StringIO()
    call_command("run_sweeps", "--clinic", patient.clinic.slug, "--dry-run", stdout=out)
    assert _flags_as_they_are() == before
    assert any(line.startswith("dvt_signs") and "new    1" in line for line in out.getvalue().splitlines())
    assert not ClinicSweep.objects.filter(swept_on__isnull=False).exists()


def test_red_flags_ignore_entries_dated_after_as_of(patient):
    visit = unevaluated_visit(patient, "calf_swelling")
    day_before = visit.date - dt.timedelta(days=1)
    assert sweep_run(clinic=patient.clinic, as_of=day_before).raised == {}
    assert sweep_run(clinic=patient.clinic, as_of=visit.date).raised == {"dvt_signs": 1}
    assert not Flag.objects.exists()  # both were past dates: read-only
