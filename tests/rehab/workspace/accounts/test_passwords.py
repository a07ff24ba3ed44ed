"""Every staff member can change their password and reset a forgotten one."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

NEW = "calf-raise-ladder-41"


def test_the_user_menu_offers_password_change_to_a_physio(client, physio):
    client.force_login(physio)
    page = client.get(reverse("caseload")).content.decode()
    assert f'href="{reverse("password_change")}"' in page
    assert client.get(reverse("password_change")).status_code == 200


def test_changing_the_password_signs_out_other_sessions_but_keeps_this_one(physio):
    here, elsewhere = Client(), Client()
    here.force_login(physio)
    elsewhere.force_login(physio)
    response = here.post(reverse("password_change"),
                         {"old_password": "pw", "new_password1": NEW, "new_password2": NEW}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "signed out" in response.content.decode()
    physio.refresh_from_db()
    assert physio.check_password(NEW)
    assert here.get(reverse("caseload")).status_code == 200
    response = elsewhere.get(reverse("caseload"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("password, error", [
    ("short-pw-12", "at least 12 characters"),
    ("123456789012345", "entirely numeric"),
    ("password1234", "too common"),
])
def test_weak_new_passwords_are_refused(client, physio, password, error):
    client.force_login(physio)
    response = client.post(reverse("password_change"),
                           {"old_password": "pw", "new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert error in response.content.decode()
    physio.refresh_from_db()
    assert physio.check_password("pw")


def test_the_login_page_links_to_password_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert "Forgot your password?" in page and reverse("password_reset") in page


def test_a_reset_email_link_sets_a_new_password(client, physio, mailoutbox, settings):
    settings.SITE_URL = "https://kinetic.example.org"
    response = client.post(reverse("password_reset"), {"email": physio.email})
    assert response.url == reverse("password_reset_done")
    [email] = mailoutbox
    assert email.to == [physio.email] and email.subject == "Reset your Kinetic password"
    link = re.search(r"https://kinetic\.example\.org(\S+)", email.body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    assert "Choose a new password" in response.content.decode()
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.url == reverse("password_reset_complete")
    response = client.post(reverse("login"), {"username": "jsmith", "password": NEW})
    assert response.status_code == 302 and response.url == reverse("caseload")
    # The link works once.
    assert "This link no longer works" in Client().get(link, follow=True).content.decode()


def test_a_reset_link_refuses_a_short_password(client, physio, mailoutbox):
    client.post(reverse("password_reset"), {"email": physio.email})
    link = urlparse(re.search(r"http\S+", mailoutbox[0].body).group(0)).path
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "too-short", "new_password2": "too-short"})
    assert response.status_code == 200 and "at least 12 characters" in response.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, physio, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.url == reverse("password_reset_done") and mailoutbox == []


def test_reset_emails_to_one_address_stop_after_three_an_hour(client, physio, mailoutbox):
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": physio.email.upper()})
        # The same answer every time: the form never says it held one back.
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 3
    assert {tuple(email.to) for email in mailoutbox} == {(physio.email,)}


def test_one_client_asking_for_many_addresses_is_held_back(client, physio, colleague, mailoutbox):
    for number in range(10):
        client.post(reverse("password_reset"), {"email": f"guess{number}@example.org"})
    response = client.post(reverse("password_reset"), {"email": physio.email})
    assert response.url == reverse("password_reset_done") and mailoutbox == []
    # Another client still gets its email.
    Client(REMOTE_ADDR="10.0.0.7").post(reverse("password_reset"), {"email": colleague.email})
    assert [email.to for email in mailoutbox] == [[colleague.email]]


def test_with_redis_unreachable_a_reset_email_still_goes(client, physio, mailoutbox, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    response = client.post(reverse("password_reset"), {"email": physio.email})
    assert response.url == reverse("password_reset_done")
    assert [email.to for email in mailoutbox] == [[physio.email]]
