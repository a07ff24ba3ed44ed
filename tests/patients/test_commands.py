import io

import pytest
from django.core.management import CommandError, call_command

from patients.models import Clinic, User

pytestmark = pytest.mark.django_db


def run(*args, stdin=""):
    out = io.StringIO()
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out)
    finally:
        sys.stdin = old
    return out.getvalue()


def test_create_clinic_seeds_the_programme():
    output = run("create_clinic", "riverside", "--name", "Riverside Physio", "--time-zone", "Europe/Dublin")
    clinic = Clinic.objects.get(slug="riverside")
    assert clinic.time_zone == "Europe/Dublin" and clinic.phases.count() == 3
    assert "15 exercises" in output


def test_create_clinic_refuses_a_duplicate_slug():
    run("create_clinic", "riverside", "--name", "Riverside")
    with pytest.raises(CommandError, match="already exists"):
        run("create_clinic", "riverside", "--name", "Again")
    assert Clinic.objects.count() == 1


def test_create_clinic_refuses_an_unknown_time_zone():
    with pytest.raises(CommandError, match="not a known time zone"):
        run("create_clinic", "riverside", "--name", "R", "--time-zone", "Europe/Atlantis")
    assert not Clinic.objects.exists()


def test_add_staff_reads_the_password_from_stdin(clinic):
    run("add_staff", "jdoe", "--clinic", "riverside", "--role", "physio", "--email", "jd@example.org",
        "--password-from-stdin", stdin="a-long-enough-passphrase\n")
    user = User.objects.get(username="jdoe")
    assert user.clinic == clinic and user.role == "physio" and not user.is_staff
    assert user.check_password("a-long-enough-passphrase")


def test_add_staff_clinic_admin_gets_admin_site_access(clinic):
    run("add_staff", "boss", "--clinic", "riverside", "--role", "clinic_admin",
        "--password-from-stdin", stdin="a-long-enough-passphrase\n")
    assert User.objects.get(username="boss").is_staff


def test_add_staff_rejects_an_unknown_clinic():
    with pytest.raises(CommandError, match="No clinic with the slug"):
        run("add_staff", "x", "--clinic", "nowhere", "--role", "physio", "--password-from-stdin", stdin="pw\n")


def test_add_staff_rejects_a_weak_password_and_writes_nothing(clinic):
    with pytest.raises(CommandError, match="Password rejected"):
        run("add_staff", "weak", "--clinic", "riverside", "--role", "physio", "--password-from-stdin",
            stdin="123\n")
    assert not User.objects.filter(username="weak").exists()


def test_add_staff_without_a_terminal_or_stdin_flag_explains(clinic):
    with pytest.raises(CommandError, match="--password-from-stdin"):
        run("add_staff", "x", "--clinic", "riverside", "--role", "physio")
