"""The patient portal: /p/<token>/ — no login; the token is the key.

Every response carries no-referrer (the URL holds the token), noindex and
no-store. A bad token (unknown, expired or revoked) gets one plain 404 page,
always the same; a client trying many bad tokens gets 429 for them (a valid
link always opens: portal.ratelimit).
Responses are marked as logged so Django's request logger never writes the
path (which contains the token) for a 404 or 429; our own log lines name the
PortalLink id only.
"""

import functools

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from content.flag_kinds import Severity
from patients.models import Clinic
from portal import ratelimit
from portal.selectors import portal_context
from portal.self_reports import DAILY_LIMIT, advice_sections, saved_report_advice
from portal.wording import advice_sections_for_clinic
from rehab.home_programme import home_programme
from rehab.portal_links import portal_link_resolve, portal_link_touch
from rehab.qr import link_printed

PORTAL_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",
}


def _finish(response):
    for name, value in PORTAL_HEADERS.items():
        response[name] = value
    # Django's request logger would write "Not Found: /p/<token>/".
    response._has_been_logged = True
    return response


def _no_link_context():
    # No link, so no clinic: the emergency number every new clinic starts with.
    return {"emergency_number": Clinic._meta.get_field("emergency_number").default}


def not_found(request):
    return _finish(render(request, "portal/not_found.html", _no_link_context(), status=404))


def too_many(request):
    return _finish(render(request, "portal/too_many.html", _no_link_context(), status=429))


def portal_view(view):
    """Resolve the token into a usable link or answer the one bad-link page."""

    @functools.wraps(view)
    def wrapper(request, token, **kwargs):
        link = portal_link_resolve(token)
        if link is None:
            return bad_token(request)
        portal_link_touch(link)
        return _finish(view(request, link, token, **kwargs))

    return wrapper


@portal_view
@require_http_methods(["GET", "HEAD"])
def portal_home(request, link, token):
    context = portal_context(link.patient, link=link)
    # A report part-way through carries on at the step it reached.
    draft = context["report_draft"]
    context.update(token=token, report_started=draft.started(),
                   report_url=reverse(draft.next_step(), kwargs={"token": token}))
    return render(request, "portal/home.html", context)


@portal_view
@require_http_methods(["GET", "HEAD"])
def portal_report_result(request, link, token, entry_id):
    patient = link.patient
    advice = saved_report_advice(patient=patient, entry_id=entry_id)
    if advice is None:  # not one of this patient's reports: their link still works
        return page_not_found(request, link, token)
    return advice_page(request, patient, token, advice, saved=True)


REVIEW_SENT = "Your physiotherapist will look at this"


def advice_page(request, patient, token, advice, *, saved):
    # A full page (200) even when nothing was saved: the advice must reach the
    # patient, and a proxy may replace the body of an error response.
    context = portal_context(patient)
    sections = advice_sections_for_clinic(advice_sections(advice), patient.clinic)
    if saved:
        # "Tell your physiotherapist" over advice the report has just told them.
        sections = [{**section, "heading": REVIEW_SENT} if section["severity"] == Severity.REVIEW else section
                    for section in sections]
    context.update(token=token, advice=advice, advice_sections=sections, saved=saved, daily_limit=DAILY_LIMIT,
                   most_urgent=sections[0]["severity"] if sections else None,
                   emergency=any(a["severity"] == Severity.EMERGENCY for a in advice))
    return render(request, "portal/report_result.html", context)


@portal_view
@require_http_methods(["GET", "HEAD"])
def portal_print(request, link, token):
    """The printable programme, with the QR code of the link the patient is using."""
    context = home_programme(link.patient)
    url = request.build_absolute_uri(reverse("portal", args=[token]))
    context.update(token=token, **link_printed(url, token))
    return render(request, "programme/print_portal.html", context)


def bad_token(request):
    """An unknown, expired or revoked link: the one plain page, or 429 for a
    client over the bad-token limit (portal.ratelimit)."""
    if ratelimit.is_limited(request):
        return too_many(request)
    ratelimit.bad_token_record(request)
    return not_found(request)


def portal_unknown_path(request, token, rest):
    """Any other path under a token: "no such page" with the way home when
    the link works, otherwise the bad-link page; never Django's logged 404."""
    link = portal_link_resolve(token)
    if link is not None:
        return _finish(page_not_found(request, link, token))
    return bad_token(request)


def page_not_found(request, link, token):
    """A page the patient's working link does not have (an old or mistyped
    address, a report that is not theirs): 404, with the way home."""
    context = portal_context(link.patient)
    context.update(token=token)
    return render(request, "portal/page_not_found.html", context, status=404)


def portal_no_slash(request, token):
    # Handled here so that Django's slash-appending 404 never logs the token.
    return _finish(redirect("portal", token=token))
