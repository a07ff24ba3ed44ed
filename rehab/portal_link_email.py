"""Sending a patient their portal link by email.

A stored link cannot be sent again (only its hash is kept), so sending means
issuing a new link and mailing it in the same transaction: if the mail server
refuses the message, no link was issued and the patient's current link keeps
working. The token goes into the message and nowhere else: not the log, not
the record history, not a task queue (the message is sent in the request,
never through Celery, whose broker would hold it).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from content.wording import clinic_call
from patients.models import Patient, PortalLink
from rehab.portal_links import ANY_LINK, portal_link_issue

log = logging.getLogger(__name__)

EMAILED = "Issued and emailed to the patient"


class NoEmailAddress(Exception):
    """The patient has no email address on their record."""


def portal_link_email(*, patient: Patient, issued_by, replaces=ANY_LINK) -> PortalLink:
    """Issue a new portal link (revoking the live one) and email it to the
    patient. Raises NoEmailAddress, PortalLinkChanged (see portal_link_issue),
    or the mail backend's error, and then changes nothing."""
    if not patient.email:
        raise NoEmailAddress
    with transaction.atomic():
        link, token = portal_link_issue(patient=patient, issued_by=issued_by, replaces=replaces, reason=EMAILED)
        context = {
            "first_name": patient.given_name,
            "clinic": patient.clinic,
            "clinic_call": clinic_call(patient.clinic),
            "url": settings.SITE_URL.rstrip("/") + reverse("portal", args=[token]),
            "expires_at": link.expires_at,
        }
        subject = render_to_string("rehab/email/portal_link_subject.txt", context).strip()
        body = render_to_string("rehab/email/portal_link_body.txt", context)
        send_mail(subject, body, None, [patient.email])
    log.info("Portal link %s emailed to patient %s by user %s", link.pk, patient.pk, getattr(issued_by, "pk", None))
    return link
