import io

import pytest
from django.core.management import call_command

from patients.models import Clinic, Patient, User
from rehab.models import Flag

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_a_clinic_in_every_phase_and_prints_logins(demo):
    clinic = Clinic.objects.get(slug="demo")
    phases = set(Patient.objects.filter(clinic=clinic).values_list("phase", flat=True))
    assert phases == {"normalise", "rebuild", "integrate", "discharged"}
    assert Patient.objects.filter(clinic=clinic).count() >= 30
    assert "jsmith" in demo and "demo-admin" in demo and "kinetic-demo" in demo
    assert User.objects.get(username="jsmith").check_password("kinetic-demo")


def test_seed_demo_plants_red_flag_and_plateau_patients(demo):
    codes = set(Flag.objects.open().values_list("code", flat=True))
    assert {"cauda_equina", "dvt_signs", "infection_signs", "night_pain", "radicular_pain",
            "late_implant_ache", "hip_joint_mechanical", "plateau_12w", "pain_regression",
            "ready_to_progress", "pe_signs", "motor_deficit", "patient_reported_pain"} <= codes


def test_seed_demo_red_flags_raise_the_severity_of_its_advice(demo):
    """DESIGN 4.2: breathlessness or chest pain is an emergency; rapidly
    worsening leg or foot weakness needs a same-day assessment; a flare
    reported from the portal gets a call back (review)."""
    severity = dict(Flag.objects.open().filter(code__in=["pe_signs", "motor_deficit", "patient_reported_pain"])
                    .values_list("code", "severity"))
    assert severity == {"pe_signs": "emergency", "motor_deficit": "same_day", "patient_reported_pain": "review"}


def test_seed_demo_twice_changes_nothing(demo):
    counts = (Patient.objects.count(), Flag.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "already exists" in out.getvalue()
    assert (Patient.objects.count(), Flag.objects.count(), User.objects.count()) == counts


def test_run_sweeps_on_the_demo_reports_planted_flags_and_raises_nothing_new(demo):
    out = io.StringIO()
    call_command("run_sweeps", "--clinic", "demo", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines() if " new " in line}
    assert "open    2" in lines["plateau_12w"] and "new    0" in lines["plateau_12w"]
    assert "open    1" in lines["cauda_equina"]
    before = Flag.objects.count()
    call_command("run_sweeps", "--clinic", "demo", stdout=io.StringIO())
    assert Flag.objects.count() == before


def test_seed_demo_emails_nobody_about_its_fictional_patients(django_capture_on_commit_callbacks):
    from django.core import mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert Flag.objects.filter(severity__in=["emergency", "same_day", "urgent"]).exists()
    assert mail.outbox == []
