"""The patient's side of issue 15: their exercise pictures on the portal and
the printable programme with the QR code of the link they are using."""

import pytest
from django.urls import reverse
from django.utils.html import escape, strip_tags

from patients.models import AssignedPlanItem
from rehab.portal_links import portal_link_issue, portal_link_revoke
from tests.factories import EducationArticleFactory, ExerciseFactory, PatientFactory
from tests.picture_files import picture_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pictured(planned_patient):
    exercise = planned_patient.plan_items.order_by("order").first().exercise
    exercise.picture = picture_upload(size=(800, 600))
    exercise.picture_alt = "Lying on your back, knees bent"
    exercise.media_url = "https://videos.example.org/bridge"
    exercise.save()
    return exercise


def test_the_portal_shows_the_picture_with_its_description_and_the_video_stays_a_link(client, portal_url, pictured):
    html = client.get(portal_url).content.decode()
    assert f'<img src="{pictured.picture.url}" alt="Lying on your back, knees bent"' in html
    assert '<a href="https://videos.example.org/bridge" rel="noopener noreferrer" target="_blank">' in html
    assert f'href="{portal_url}print/"' in html


def test_the_picture_is_served_and_allowed_by_the_content_security_policy(client, portal_url, pictured):
    response = client.get(portal_url)
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    assert pictured.picture.url.startswith("/media/exercises/")
    picture = client.get(pictured.picture.url)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/jpeg"


def test_the_portal_never_shows_another_clinics_picture(client, portal_url, planned_patient, other_clinic):
    foreign = ExerciseFactory(clinic=other_clinic, picture=picture_upload(), picture_alt="Hilltop picture")
    AssignedPlanItem.objects.create(patient=planned_patient, exercise=foreign, order=99)
    assert foreign.picture.url not in client.get(portal_url).content.decode()
    assert foreign.picture.url not in client.get(portal_url + "print/").content.decode()


def test_the_printout_has_the_plan_pictures_advice_phone_and_the_qr_of_this_link(client, portal_url, planned_patient,
                                                                                 pictured):
    clinic = planned_patient.clinic
    clinic.phone = "020 7946 0000"
    clinic.save()
    EducationArticleFactory(clinic=clinic, title="Keep moving", section="dos", audience="patient",
                            body="Walk a little every hour.\n\nIf unsure, contact your clinic.")
    response = client.get(portal_url + "print/")
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    for item in planned_patient.plan_items.select_related("exercise"):
        assert item.exercise.name in html and item.effective_dosage in html
        for step in item.exercise.instruction_steps:
            assert escape(step) in html
    assert f'src="{pictured.picture.url}" alt="Lying on your back, knees bent"' in html
    assert "Walk a little every hour." in html
    assert "If unsure, call Riverside Physio on 020 7946 0000." in html, "the article in the clinic's words"
    assert "Warning signs: when to get help" in html
    assert "<svg" in html and "QR code of the portal link" in html
    assert f"Type this address into your phone or computer: http://testserver{portal_url}" in " ".join(
        strip_tags(html).split())
    assert planned_patient.family_name not in html


def test_a_revoked_link_prints_nothing(client, portal_url, planned_patient):
    portal_link_revoke(patient=planned_patient)
    response = client.get(portal_url + "print/")
    assert response.status_code == 404
    assert reverse("portal_print", args=["x" * 43]) == "/p/" + "x" * 43 + "/print/"


def test_a_patient_without_exercises_can_still_print_the_warning_signs(client, clinic, physio):
    """A discharged patient whose plan was emptied, or one not given exercises yet."""
    patient = PatientFactory(clinic=clinic, physio=physio, phase="discharged")
    _, token = portal_link_issue(patient=patient, issued_by=physio)
    home = client.get(f"/p/{token}/").content.decode()
    assert f'href="/p/{token}/print/">Print the warning signs and how to reach the clinic</a>' in home
    printed = client.get(f"/p/{token}/print/")
    assert printed.status_code == 200
    page = printed.content.decode()
    assert "Warning signs: when to get help" in page and "No exercises in the plan yet." in page
