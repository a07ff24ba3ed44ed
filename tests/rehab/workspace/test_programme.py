"""Staff side of issue 15's printout and email: the printable home programme
from the patient page, printing it with a new portal link's QR code, the
exercise picture on the plan panel, and emailing a new portal link.

Owner and colleague may use them; a clinic admin may look (print without a
link) but not issue links; an outsider gets 404."""

import logging
import re
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import strip_tags

from patients.models import AssignedPlanItem, PortalLink
from rehab.portal_links import live_link, portal_link_issue, portal_link_resolve
from tests.factories import ExerciseFactory
from tests.picture_files import picture_upload

pytestmark = pytest.mark.django_db

PORTAL_URL = re.compile(r"https?://[^\s\"<]+/p/([A-Za-z0-9_-]{20,})/")


@pytest.fixture
def pictured(planned_patient):
    """The first exercise of the plan, with a picture."""
    exercise = planned_patient.plan_items.order_by("order").first().exercise
    exercise.picture = picture_upload(size=(800, 600))
    exercise.picture_alt = "Lying on your back, knees bent"
    exercise.save()
    return exercise


# --- The printout -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["physio", "colleague", "clinic_admin"])
def test_the_clinic_can_open_the_printout_with_every_exercise_and_the_clinic_phone(client, request,
                                                                                  planned_patient, pictured, who):
    planned_patient.clinic.phone = "020 7946 0000"
    planned_patient.clinic.save()
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("programme_print", args=[planned_patient.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for item in planned_patient.plan_items.select_related("exercise"):
        assert item.exercise.name in html
        assert item.effective_dosage in html
    assert f'src="{pictured.picture.url}" alt="Lying on your back, knees bent"' in html
    assert "020 7946 0000" in html
    assert "Warning signs: when to get help" in html
    assert "<svg" not in html, "no QR code: the live link cannot be printed again"
    assert "has no QR code" in html


def test_an_outsider_gets_404_for_the_printout_and_its_new_link(client, outsider, planned_patient):
    client.force_login(outsider)
    assert client.get(reverse("programme_print", args=[planned_patient.pk])).status_code == 404
    assert client.post(reverse("programme_print_with_link", args=[planned_patient.pk])).status_code == 404
    assert not PortalLink.objects.exists()


def test_a_clinic_admin_cannot_issue_a_link_from_the_printout(client, clinic_admin, planned_patient):
    client.force_login(clinic_admin)
    assert "Print with a new portal link" not in client.get(
        reverse("programme_print", args=[planned_patient.pk])).content.decode()
    assert client.post(reverse("programme_print_with_link", args=[planned_patient.pk])).status_code == 403
    assert not PortalLink.objects.exists()


def test_printing_with_a_new_link_issues_one_and_prints_its_qr_code(client, physio, planned_patient):
    old, _ = portal_link_issue(patient=planned_patient, issued_by=physio)
    client.force_login(physio)
    page = client.get(reverse("programme_print", args=[planned_patient.pk])).content.decode()
    assert f'name="replaces" value="{old.pk}"' in page
    response = client.post(reverse("programme_print_with_link", args=[planned_patient.pk]), {"replaces": old.pk})
    assert response.status_code == 200
    # The token is in the page, not its address (which the referrer would carry).
    assert "/p/" not in response.request["PATH_INFO"] and response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<svg" in html and "QR code of the portal link" in html
    new = live_link(planned_patient)
    assert new.pk != old.pk
    assert new.history.first().history_change_reason == "Issued for the printed programme"
    # Refreshing (the form sent again) issues nothing more.
    again = client.post(reverse("programme_print_with_link", args=[planned_patient.pk]), {"replaces": old.pk},
                        follow=True)
    assert "issued for this patient a moment ago" in again.content.decode()
    assert live_link(planned_patient).pk == new.pk


def test_the_printout_leaves_out_another_clinics_exercise(client, physio, planned_patient, other_clinic):
    foreign = ExerciseFactory(clinic=other_clinic, name="Hilltop secret stretch",
                              picture=picture_upload(), picture_alt="Hilltop picture")
    AssignedPlanItem.objects.create(patient=planned_patient, exercise=foreign, order=99)
    client.force_login(physio)
    html = client.get(reverse("programme_print", args=[planned_patient.pk])).content.decode()
    assert "Hilltop" not in html and foreign.picture.url not in html
    panel = client.get(reverse("patient_detail", args=[planned_patient.pk])).content.decode()
    assert foreign.picture.url not in panel


def test_the_plan_panel_shows_the_picture_with_its_description_and_the_video_link(client, physio, planned_patient,
                                                                                  pictured):
    pictured.media_url = "https://videos.example.org/bridge"
    pictured.save()
    client.force_login(physio)
    html = client.get(reverse("patient_detail", args=[planned_patient.pk])).content.decode()
    assert f'src="{pictured.picture.url}" alt="Lying on your back, knees bent"' in html
    assert 'href="https://videos.example.org/bridge"' in html
    assert reverse("programme_print", args=[planned_patient.pk]) in html
    assert client.get(pictured.picture.url).status_code == 200


# --- Emailing a portal link --------------------------------------------------------------------

@pytest.mark.parametrize("who", ["physio", "colleague"])
def test_a_physio_emails_a_new_portal_link_and_the_log_never_holds_the_token(client, request, planned_patient,
                                                                            caplog, who):
    planned_patient.email = "mary@example.org"
    planned_patient.save()
    user = request.getfixturevalue(who)
    old, old_token = portal_link_issue(patient=planned_patient, issued_by=user)
    client.force_login(user)
    caplog.set_level(logging.DEBUG)
    response = client.post(reverse("portal_link_send_email", args=[planned_patient.pk]), {"replaces": old.pk},
                           follow=True)
    # Said in the link's panel, where the page lands (#portal-link), not at the page's top.
    panel = response.content.decode().split('id="portal-link"')[1]
    assert "A new portal link was emailed to mary@example.org" in panel
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mary@example.org"]
    assert message.subject == f"Your exercise plan from {planned_patient.clinic.name}"
    token = PORTAL_URL.search(message.body).group(1)
    link = portal_link_resolve(token)
    assert link is not None and link.patient == planned_patient
    assert portal_link_resolve(old_token) is None, "the earlier link stops working"
    assert link.history.first().history_change_reason == "Issued and emailed to the patient"
    assert f"Portal link {link.pk} emailed to patient {planned_patient.pk}" in caplog.text
    assert token not in caplog.text
    assert all(token not in (record.getMessage() + str(record.args)) for record in caplog.records)


def test_a_patient_without_an_email_gets_a_clear_message_and_nothing_is_issued(client, physio, planned_patient):
    client.force_login(physio)
    panel = client.get(reverse("patient_detail", args=[planned_patient.pk])).content.decode()
    assert "No email address on record, so the link cannot be emailed." in panel
    response = client.post(reverse("portal_link_send_email", args=[planned_patient.pk]), {"replaces": ""},
                           follow=True)
    assert "Mary has no email address on their record." in response.content.decode()
    assert mail.outbox == []
    assert not PortalLink.objects.exists()


def test_a_refused_email_issues_no_link_and_the_current_one_keeps_working(client, physio, planned_patient,
                                                                         monkeypatch):
    planned_patient.email = "mary@example.org"
    planned_patient.save()
    old, old_token = portal_link_issue(patient=planned_patient, issued_by=physio)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"mary@example.org": (550, b"no such user")})

    monkeypatch.setattr("rehab.portal_link_email.send_mail", refuse)
    client.force_login(physio)
    response = client.post(reverse("portal_link_send_email", args=[planned_patient.pk]), {"replaces": old.pk},
                           follow=True)
    assert "The email could not be sent" in response.content.decode()
    assert portal_link_resolve(old_token) == old
    assert PortalLink.objects.count() == 1


def test_a_clinic_admin_cannot_email_a_link_and_an_outsider_gets_404(client, clinic_admin, outsider,
                                                                      planned_patient):
    planned_patient.email = "mary@example.org"
    planned_patient.save()
    url = reverse("portal_link_send_email", args=[planned_patient.pk])
    client.force_login(clinic_admin)
    assert client.post(url).status_code == 403
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert mail.outbox == [] and not PortalLink.objects.exists()


def test_the_link_just_issued_prints_only_for_its_own_patient_and_clinic(client, physio, planned_patient, outsider,
                                                                         clinic):
    from tests.factories import PatientFactory

    _, token = portal_link_issue(patient=planned_patient, issued_by=physio)
    url = reverse("programme_print_issued_link", args=[planned_patient.pk])
    client.force_login(outsider)
    assert client.post(url, {"token": token}).status_code == 404
    client.force_login(physio)
    printed = client.post(url, {"token": token})
    assert printed.status_code == 200 and f"/p/{token}/" in strip_tags(printed.content.decode())
    # Another patient's token, a revoked one, or none: back to the panel, nothing printed.
    other = PatientFactory(clinic=clinic, physio=physio)
    _, other_token = portal_link_issue(patient=other, issued_by=physio)
    for posted in ({"token": other_token}, {"token": "not-a-token"}, {}):
        response = client.post(url, posted)
        assert response.status_code == 302 and response["Location"].endswith("#portal-link")
    assert live_link(planned_patient) is not None
