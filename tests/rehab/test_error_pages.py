"""The error pages people meet: branded, in plain words, with a way on."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_apps_own_404_page(client, physio):
    anonymous = client.get("/no-such-page/")
    assert anonymous.status_code == 404
    assert "This page does not exist" in anonymous.content.decode()
    assert "Go to the log-in page" in anonymous.content.decode()
    client.force_login(physio)
    signed_in = client.get("/no-such-page/").content.decode()
    assert "Go to the caseload" in signed_in and "kinetic.css" in signed_in


def test_a_refused_action_says_why_on_the_apps_own_403_page(client, clinic_admin, patient):
    client.force_login(clinic_admin)
    response = client.post(reverse("visit_create", args=[patient.pk]), {"date": "2026-07-01"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot do this with your account" in page
    assert "Only physiotherapists can change clinical data." in page


def test_an_expired_form_offers_to_go_back_and_try_again(physio):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": physio.username, "password": "pw"},
                           HTTP_REFERER="http://testserver/login/?next=/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Please go back and try again" in page and "Nothing was saved" in page
    assert 'href="http://testserver/login/?next=/"' in page


def test_go_back_never_leads_to_another_site(physio):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": physio.username}, HTTP_REFERER="https://evil.example/")
    assert 'href="/login/"' in response.content.decode()


def test_a_server_error_page_needs_neither_a_user_nor_the_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
