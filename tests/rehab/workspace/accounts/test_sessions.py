"""Staff sessions end after 30 minutes idle or 12 hours in all, and say so
on the login page."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import EntryFactory

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


# A form sent after the session ran out (rehab/workspace/accounts/unsaved.py) --------------------------

VISIT = {"date": "2026-09-01", "pain_lumbar_bilateral_activity": "6", "standing_tolerance_min": "12",
         "symptoms": ["calf_swelling"], "notes": "Long appointment: gait retraining, then the visit."}


def _sign_in(client, username="jsmith", next_url=""):
    return client.post(reverse("login"), {"username": username, "password": "pw", "next": next_url}, follow=True)


def test_a_visit_saved_after_the_session_ran_out_is_filled_in_again_after_signing_in(client, physio, patient,
                                                                                      clock):
    client.force_login(physio)
    form_url = reverse("visit_create", args=[patient.pk])
    assert client.get(form_url).status_code == 200
    clock(minutes=45)  # typing does not count as activity
    response = client.post(form_url, VISIT, HTTP_REFERER=f"http://testserver{form_url}", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next={form_url}"
    assert "What you entered is kept: you will find it filled in, not yet saved." in response.content.decode()
    assert not patient.entries.exists()

    page = _sign_in(client, next_url=form_url)
    assert page.redirect_chain[-1][0] == form_url
    html = page.content.decode()
    assert "Not saved yet: you were signed out before this form was saved." in html
    form = page.context["form"]
    assert form["notes"].value() == VISIT["notes"] and form["standing_tolerance_min"].value() == "12"
    assert form["symptoms"].value() == ["calf_swelling"] and form["pain_lumbar_bilateral_activity"].value() == "6"
    assert not patient.entries.exists()  # nothing is written without the second Save

    assert client.post(form_url, VISIT).status_code == 302
    assert patient.entries.get().notes == VISIT["notes"]
    assert "Not saved yet" not in client.get(form_url).content.decode()  # filled in once only


def test_a_visit_edit_kept_over_a_sign_out_still_sees_a_colleagues_edit_made_meanwhile(
        client, physio, colleague, patient, clock):
    """The kept form carries the version of the visit it was shown with: a
    colleague's edit made while the physio was signed out is not overwritten
    without a word."""
    entry = EntryFactory(patient=patient, date=dt.date(2026, 9, 1), notes="First")
    edit_url = reverse("visit_update", args=[patient.pk, entry.pk])
    client.force_login(physio)
    shown = client.get(edit_url).context["version"]
    clock(minutes=45)
    client.post(edit_url, {**VISIT, "version": shown}, HTTP_REFERER=f"http://testserver{edit_url}")
    other = Client()
    other.force_login(colleague)
    theirs = other.get(edit_url).context["version"]
    assert other.post(edit_url, {**VISIT, "notes": "The colleague's", "version": theirs}).status_code == 302

    page = _sign_in(client, next_url=edit_url)
    assert page.context["version"] == shown
    refused = client.post(edit_url, {**VISIT, "version": page.context["version"]})
    assert refused.status_code == 200 and f"This visit was changed by {colleague.display_name}" in (
        refused.content.decode())
    entry.refresh_from_db()
    assert entry.notes == "The colleague's"


def test_what_one_user_sent_is_never_shown_to_another_signing_in_on_the_same_browser(client, physio, colleague,
                                                                                      patient, clock):
    client.force_login(physio)
    form_url = reverse("visit_create", args=[patient.pk])
    clock(minutes=45)
    client.post(form_url, VISIT, HTTP_REFERER=f"http://testserver{form_url}")
    page = _sign_in(client, username="akhan", next_url=form_url)
    assert page.redirect_chain[-1][0] == form_url
    assert VISIT["notes"] not in page.content.decode() and "Not saved yet" not in page.content.decode()


def test_a_button_pressed_after_the_session_ran_out_leads_back_to_its_page_not_to_a_dead_end(client, physio,
                                                                                          patient, clock):
    """Revoke, acknowledge, replace plan: POST-only actions. Signing in again
    returns to the page the button was on, never a 405 on the action's URL."""
    client.force_login(physio)
    page_url = reverse("patient_detail", args=[patient.pk])
    clock(minutes=45)
    response = client.post(reverse("portal_link_revoke", args=[patient.pk]), {"replaces": "7"},
                           HTTP_REFERER=f"http://testserver{page_url}")
    assert response["Location"] == f"{reverse('login')}?next={page_url}"
    page = _sign_in(client, next_url=page_url)
    assert page.status_code == 200 and page.redirect_chain[-1][0] == page_url
    assert "What you were doing was not saved: please do it again." in page.content.decode()
    # Nothing of a button's form is kept in the session (the link page's form holds a portal token).
    assert "kinetic_unsaved_form" not in client.session


def test_a_button_action_opened_as_a_page_leads_to_the_patient_not_a_405(client, physio, patient, outsider):
    client.force_login(physio)
    for name in ("portal_link_issue", "portal_link_revoke", "programme_print_issued_link", "plan_replace_with_template"):
        response = client.get(reverse(name, args=[patient.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("patient_detail", args=[patient.pk])
    client.force_login(outsider)
    assert client.get(reverse("portal_link_revoke", args=[patient.pk])).status_code == 404


def test_signing_out_after_the_session_ran_out_says_nothing_about_unsaved_work(client, physio, clock):
    client.force_login(physio)
    clock(minutes=45)
    page = client.post(reverse("logout"), follow=True).content.decode()
    assert "signed out after 30 minutes" in page and "not saved" not in page and "kept" not in page


def test_the_sign_out_address_opened_as_a_page_asks_with_the_button(client, physio):
    assert client.get(reverse("logout"))["Location"] == reverse("login")
    client.force_login(physio)
    page = client.get(reverse("logout"))
    assert page.status_code == 200 and "Sign out of Kinetic?" in page.content.decode()
    assert "_auth_user_id" in client.session  # a GET signs nobody out
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_a_referer_from_another_site_is_not_followed(client, physio, patient, clock):
    client.force_login(physio)
    action = reverse("portal_link_revoke", args=[patient.pk])
    clock(minutes=45)
    response = client.post(action, {}, HTTP_REFERER="https://evil.example/phish/")
    assert response["Location"] == f"{reverse('login')}?next={action}"
