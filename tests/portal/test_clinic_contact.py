"""The clinic's contact details: the clinic admin edits them, every portal
page shows them, and the advice speaks of the clinic and its emergency number."""

import pytest
from django.urls import reverse

from content.codes import Symptom
from patients.models import Clinic
from portal.wording import in_clinic_words
from tests.portal.flow import report_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(clinic):
    clinic.phone = "020 7946 0000"
    clinic.address = "1 River Lane\nLondon SE1 1AA"
    clinic.opening_hours = "Monday to Friday, 8am to 6pm"
    clinic.save()
    return clinic


def test_the_clinic_admin_edits_the_contact_details(client, clinic_admin, clinic):
    client.force_login(clinic_admin)
    url = reverse("admin:patients_clinic_change", args=[clinic.pk])
    assert 'name="phone"' in client.get(url).content.decode()
    response = client.post(url, {
        "name": clinic.name, "time_zone": "Europe/London", "phone": "020 7946 0000",
        "address": "1 River Lane", "opening_hours": "Mon–Fri 8–6", "emergency_number": "112",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    clinic.refresh_from_db()
    assert (clinic.phone, clinic.emergency_number, clinic.opening_hours) == ("020 7946 0000", "112", "Mon–Fri 8–6")


def test_a_clinic_admin_cannot_open_another_clinics_contact_details(client, clinic_admin, other_clinic):
    client.force_login(clinic_admin)
    response = client.get(reverse("admin:patients_clinic_change", args=[other_clinic.pk]))
    assert response.status_code in (302, 404)
    assert "Hilltop" not in response.content.decode()


def test_a_new_clinic_tells_patients_to_call_999():
    assert Clinic(name="New", slug="new").emergency_number == "999"


def test_the_portal_shows_the_phone_as_a_tap_to_call_link(client, portal_url, contact):
    page = client.get(portal_url).content.decode()
    assert 'href="tel:02079460000"' in page
    assert "020 7946 0000" in page
    assert "Monday to Friday, 8am to 6pm" in page
    assert "1 River Lane<br>London SE1 1AA" in page
    assert 'In an emergency call <a href="tel:999">999</a>' in page


def test_the_result_page_shows_the_phone_too(client, portal, contact):
    _, token = portal
    response = report_steps(client, token, {"symptoms": [Symptom.FOOT_DROP]})
    page = client.get(response["Location"]).content.decode()
    assert 'href="tel:02079460000">Call Riverside Physio on 020 7946 0000.</a>' in page


def test_advice_uses_the_clinics_emergency_number(client, portal, contact):
    contact.emergency_number = "112"
    contact.save()
    _, token = portal
    response = report_steps(client, token, {"symptoms": [Symptom.BREATHLESSNESS]})
    page = client.get(response["Location"]).content.decode()
    assert "Call 112 now. Sudden shortness of breath" in page
    assert "emergency services" not in page.split('id="advice-title"')[1].split("</section>")[0]
    assert "999" not in page


def test_the_same_day_article_says_whom_to_call(client, portal_url, contact):
    page = client.get(portal_url).content.decode()
    same_day_box = page.split('id="seek-help"')[1].split("</section>")[0]
    assert "Call Riverside Physio on 020 7946 0000 promptly" in same_day_box
    assert "Call 999 straight away if you have" in same_day_box


def test_wording_without_a_phone_names_the_clinic():
    clinic = Clinic(name="Riverside Physio", emergency_number="999")
    assert in_clinic_words("Contact your clinic today; if worse, call emergency services.", clinic) == (
        "Call Riverside Physio today; if worse, call 999."
    )
