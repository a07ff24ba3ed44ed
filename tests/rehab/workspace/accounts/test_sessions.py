"""Staff sessions end after 30 minutes idle or 12 hours in all, and say so
on the login page."""

import datetime as dt

import pytest
from django.urls import reverse

NINE = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NINE, tick=False)

    def at(**delta):
        time_machine.move_to(NINE + dt.timedelta(**delta), tick=False)

    return at


def test_an_idle_session_lands_on_the_login_page_with_the_reason(client, physio, clock):
    client.force_login(physio)
    clock(minutes=29)
    assert client.get(reverse("caseload")).status_code == 200
    clock(minutes=29 + 31)
    response = client.get(reverse("caseload"), follow=True)
    login_url, _ = response.redirect_chain[-1]
    assert login_url == f"{reverse('login')}?next=/"
    page = response.content.decode()
    assert "You were signed out after 30 minutes without activity." in page
    assert 'name="password"' in page
    assert not response.context["user"].is_authenticated


def test_activity_keeps_a_session_open_until_the_twelve_hour_limit(client, physio, clock):
    client.force_login(physio)
    minutes = 0
    while minutes < 12 * 60 - 25:
        minutes += 25
        clock(minutes=minutes)
        assert client.get(reverse("caseload")).status_code == 200, minutes
    clock(hours=12, minutes=5)
    response = client.get(reverse("caseload"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "a session lasts at most 12 hours" in response.content.decode()


def test_the_idle_limit_follows_the_setting(client, physio, clock, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 5
    client.force_login(physio)
    clock(minutes=6)
    response = client.get(reverse("caseload"), follow=True)
    assert "You were signed out after 5 minutes without activity." in response.content.decode()


def test_an_expired_staff_session_does_not_block_the_patient_portal(client, physio, clock):
    client.force_login(physio)
    clock(hours=1)
    response = client.get("/p/not-a-real-token/")
    assert response.status_code == 404  # the portal's own answer, not a redirect to log in
