"""The printable home exercise programme from the patient page, and sending
the portal link by email.

The printout can carry the portal's QR code only when a link is issued with
it: Kinetic keeps a hash of each link, never the link, so the live link cannot
be printed again. The print page therefore prints without a QR code, with a
note, and offers a physio "Print with a new portal link", which issues a link
(the patient's current one stops working) and shows it once, as a QR code on
the sheet.
"""

import logging
import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rehab import portal_links as links
from rehab import qr
from rehab.home_programme import home_programme
from rehab.portal_link_email import NoEmailAddress, portal_link_email
from rehab.workspace.access import get_patient_for_user, post_only
from rehab.workspace.plan import LINK_PANEL, back_to_link_panel
from rehab.workspace.roles import can_act, require_physio

log = logging.getLogger(__name__)

QR_NOTE = "To see this plan on your phone, open the portal link your physiotherapist gave you."


@login_required
@require_GET
def programme_print(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    live = links.live_link(patient)
    context = home_programme(patient)
    context.update(patient=patient, can_act=can_act(request.user), live_link=live,
                   qr_note=QR_NOTE if live and live.is_usable() else "")
    return render(request, "programme/print_staff.html", context)


@never_cache
@login_required
@post_only
def programme_print_with_link(request, patient_id):
    """Issue a portal link and print it as a QR code: the token is in this response only."""
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    try:
        link, token = links.portal_link_issue(
            patient=patient, issued_by=request.user, replaces=links.replaces_posted(request.POST.get("replaces")),
            reason="Issued for the printed programme",
        )
    except links.PortalLinkChanged:
        messages.warning(request, "A new portal link was issued for this patient a moment ago (perhaps the page "
                                  "was refreshed); it stays valid. Print again only if the patient needs it.")
        return redirect("programme_print", patient_id=patient.pk)
    return _print_with(request, patient, link, token, issued=True)


@never_cache
@login_required
@post_only
def programme_print_issued_link(request, patient_id):
    """The programme printed with the link just issued (its "shown once"
    page posts the link back): the same link, no new one. Only the
    patient's live link is printed; anything else goes back to the panel."""
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    token = request.POST.get("token", "")
    link = links.portal_link_resolve(token) if token else None
    if link is None or link.patient_id != patient.pk:
        messages.warning(request, "That link can no longer be printed (it was replaced or revoked). "
                                  "Use “Print home programme” to print with a new one.",
                                  extra_tags=LINK_PANEL)
        return back_to_link_panel(patient)
    return _print_with(request, patient, link, token, issued=False)


def _print_with(request, patient, link, token, *, issued):
    """The staff printout carrying `token`'s link as a QR code and as an
    address to type; the token is in this response only."""
    url = request.build_absolute_uri(reverse("portal", args=[token]))
    context = home_programme(patient)
    context.update(patient=patient, can_act=True, issued_link=link, newly_issued=issued,
                   **qr.link_printed(url, token))
    # The token is in the page, not its address: the site's referrer policy will do.
    return render(request, "programme/print_staff.html", context)


@login_required
@post_only
def portal_link_send_email(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    try:
        portal_link_email(patient=patient, issued_by=request.user, replaces=links.replaces_posted(request.POST.get("replaces")))
    except NoEmailAddress:
        messages.error(request, f"{patient.given_name} has no email address on their record. Add one with "
                                "“Edit details”, or give the link in person (Issue portal link).",
                                extra_tags=LINK_PANEL)
    except links.PortalLinkChanged:
        messages.warning(request, "A new portal link was issued for this patient a moment ago (perhaps the page "
                                  "was refreshed); nothing was sent. Send again only if the patient needs it.",
                                  extra_tags=LINK_PANEL)
    except (smtplib.SMTPException, OSError) as error:
        log.warning("Portal link email to patient %s failed: %s", patient.pk, type(error).__name__)
        messages.error(request, "The email could not be sent (the mail server did not accept it). No new link "
                                "was made: the patient's current link still works. Try again later.",
                                extra_tags=LINK_PANEL)
    else:
        messages.success(request, f"A new portal link was emailed to {patient.email}. Any earlier link no longer "
                                  "works.", extra_tags=LINK_PANEL)
    return back_to_link_panel(patient)
