"""The patient portal: /p/<token>/ — no login; the token is the key.

Every response carries no-referrer (the URL holds the token), noindex and
no-store. A bad token (unknown, expired or revoked) gets one plain 404 page,
always the same; a client trying many bad tokens is throttled with 429.
Responses are marked as logged so Django's request logger never writes the
path (which contains the token) for a 404 or 429; our own log lines name the
PortalLink id only.
"""

import functools
import logging

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from content import codes
from patients.models import Entry
from rehab import rules
from rehab.clinical_record import entries_by_patient
from rehab.entries import entry_create
from rehab.portal import ratelimit
from rehab.portal.forms import SelfReportForm
from rehab.portal.links import portal_link_resolve, portal_link_touch
from rehab.portal.selectors import portal_context

log = logging.getLogger(__name__)

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


def not_found(request):
    return _finish(render(request, "portal/not_found.html", status=404))


def too_many(request):
    return _finish(render(request, "portal/too_many.html", status=429))


def portal_view(view):
    """Resolve the token into a usable link or answer the one bad-link page."""

    @functools.wraps(view)
    def wrapper(request, token, **kwargs):
        if ratelimit.is_limited(request):
            return too_many(request)
        link = portal_link_resolve(token)
        if link is None:
            ratelimit.bad_token_record(request)
            return not_found(request)
        portal_link_touch(link)
        return _finish(view(request, link, token, **kwargs))

    return wrapper


def _page(request, link, token, form, status=200):
    context = portal_context(link.patient)
    context.update(form=form, token=token)
    return render(request, "portal/home.html", context, status=status)


@portal_view
@require_http_methods(["GET", "HEAD"])
def portal_home(request, link, token):
    return _page(request, link, token, SelfReportForm())


# The unguessable token in the URL already does what a CSRF token would: a
# third-party site cannot build a request to a URL it does not know.
@csrf_exempt
@portal_view
def portal_report(request, link, token):
    if request.method != "POST":
        return redirect("portal", token=token)
    form = SelfReportForm(request.POST)
    if form.is_valid():
        patient = link.patient
        try:
            entry = entry_create(
                patient=patient,
                kind=Entry.SELF_REPORT,
                date=patient.clinic.today(),
                pain=form.pain(),
                symptoms=form.cleaned_data["symptoms"],
            )
        except ValidationError:
            form.add_error(None, "Your report could not be saved today. Please contact your clinic.")
        else:
            log.info("Self-report saved from portal link %s", link.pk)
            return redirect("portal_report_result", token=token, entry_id=entry.pk)
    return _page(request, link, token, form)


@portal_view
@require_http_methods(["GET", "HEAD"])
def portal_report_result(request, link, token, entry_id):
    patient = link.patient
    if not Entry.objects.filter(pk=entry_id, patient=patient, kind=Entry.SELF_REPORT).exists():
        return not_found(request)
    history = entries_by_patient([patient.pk])[patient.pk]
    entry = next(e for e in history if e.id == entry_id)
    findings = sorted(
        rules.entry_findings(entry, surgery_date=patient.surgery_date, history=history),
        key=lambda f: codes.severity_rank(f.severity),
    )
    advice = [
        {"severity": f.severity, "text": codes.FLAG_PATIENT_ADVICE[f.code]}
        for f in findings
        if f.code in codes.FLAG_PATIENT_ADVICE
    ]
    context = portal_context(patient)
    context.update(token=token, advice=advice, emergency=any(a["severity"] == codes.EMERGENCY for a in advice))
    return render(request, "portal/report_result.html", context)


def portal_unknown_path(request, token, rest):
    """Any other path under a token: the same plain page, never Django's logged 404."""
    if ratelimit.is_limited(request):
        return too_many(request)
    ratelimit.bad_token_record(request)
    return not_found(request)


def portal_no_slash(request, token):
    # Handled here so that Django's slash-appending 404 never logs the token.
    return _finish(redirect("portal", token=token))
