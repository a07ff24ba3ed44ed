"""Sign-in throttling (django-axes): guessers are refused with a clear
message, the real user still signs in from elsewhere, a clinic admin can
unlock their own staff only."""

import datetime as dt
import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PhysioFactory

ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username, password, address=ATTACKER, **headers):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address, **headers)


def guess_until_refused(client, username, address=ATTACKER, tries=10, **headers):
    for attempt in range(1, tries + 1):
        response = sign_in(client, username, f"guess-{attempt}", address, **headers)
        if response.status_code == 429:
            return attempt, response
    return None, response


def test_a_scripted_guesser_is_refused_within_ten_attempts_with_a_clear_message(client, physio):
    attempts, response = guess_until_refused(client, "jsmith")
    assert attempts is not None and attempts <= 10
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "try again in 15 minutes" in page
    assert "ask your clinic admin to unlock your account" in page
    # The login form is still there, styled like the app, and the right
    # password from the guesser's address is refused too.
    assert 'name="username"' in page and "Forgot your password?" in page
    assert sign_in(client, "jsmith", "pw").status_code == 429


def test_the_right_password_from_another_address_still_signs_in(client, physio):
    guess_until_refused(client, "jsmith")
    response = sign_in(Client(), "jsmith", "pw", address=ELSEWHERE)
    assert response.status_code == 302
    assert response.url == reverse("caseload")


def test_one_address_guessing_many_usernames_is_refused(client, clinic):
    for n in range(8):
        PhysioFactory(clinic=clinic, username=f"staff{n}")
    refused_at = None
    for attempt in range(1, 31):
        if sign_in(client, f"staff{attempt % 8}", "guess").status_code == 429:
            refused_at = attempt
            break
    assert refused_at == 20  # SIGN_IN_FAILURE_LIMIT_PER_ADDRESS, though no username failed 5 times


def test_a_forged_forwarded_for_entry_does_not_escape_the_lockout(client, physio, settings):
    settings.TRUSTED_PROXY_HOPS = 1
    proxy = "10.0.0.2"
    for attempt in range(1, 11):
        # The guesser makes up a new leftmost entry each time; the proxy
        # appends the address it really saw.
        forwarded = f"192.0.2.{attempt}, {ATTACKER}"
        response = sign_in(client, "jsmith", "guess", address=proxy, HTTP_X_FORWARDED_FOR=forwarded)
        if response.status_code == 429:
            break
    assert response.status_code == 429 and attempt == 5
    # A colleague behind the same proxy, from their own address, is not affected.
    response = sign_in(Client(), "jsmith", "pw", address=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert response.status_code == 302


def test_a_lockout_is_logged(client, physio, caplog):
    with caplog.at_level(logging.WARNING, logger="rehab.workspace.accounts.throttling"):
        guess_until_refused(client, "jsmith")
    lockouts = [r.getMessage() for r in caplog.records if r.name == "rehab.workspace.accounts.throttling"]
    assert lockouts and "username='jsmith'" in lockouts[0] and ATTACKER in lockouts[0]


def test_the_lockout_runs_out_after_fifteen_minutes(client, physio, time_machine):
    time_machine.move_to(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False)
    guess_until_refused(client, "jsmith")
    time_machine.move_to(dt.datetime(2026, 9, 1, 9, 14, tzinfo=dt.UTC), tick=False)
    assert sign_in(client, "jsmith", "pw").status_code == 429
    # Refused attempts restart the clock; 15 minutes of quiet lifts it.
    time_machine.move_to(dt.datetime(2026, 9, 1, 9, 30, tzinfo=dt.UTC), tick=False)
    assert sign_in(client, "jsmith", "pw").status_code == 302


def _unlock(client, admin_user, target):
    client.force_login(admin_user)
    return client.post(reverse("admin:patients_user_changelist"),
                       {"action": "unlock_sign_in", "_selected_action": [target.pk]})


def test_a_clinic_admin_unlocks_their_own_staff(client, physio, clinic_admin):
    guess_until_refused(Client(), "jsmith")
    response = _unlock(client, clinic_admin, physio)
    assert response.status_code == 302
    assert sign_in(Client(), "jsmith", "pw").status_code == 302


def test_a_clinic_admin_cannot_unlock_another_clinics_staff(client, physio, other_clinic_admin):
    guess_until_refused(Client(), "jsmith")
    response = _unlock(client, other_clinic_admin, physio)
    assert sign_in(Client(), "jsmith", "pw").status_code == 429
    shown = [str(m) for m in client.get(response["Location"]).context["messages"]]
    assert shown == ["None of the chosen accounts is your clinic's: nothing was changed."]


@pytest.mark.parametrize("path", ["/admin/axes/accessattempt/", "/admin/axes/accesslog/"])
def test_axes_own_admin_pages_are_not_offered(admin_client, path):
    assert admin_client.get(path).status_code == 404
