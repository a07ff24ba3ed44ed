"""The error pages a person can meet: branded, readable on a phone, and
saying what to do next. 404, 403 and 500 are Django's own views with our
templates (templates/404.html, 403.html, 500.html); a refused form (CSRF) gets
this view, which knows where "back" is."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request, reason=""):
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())
    back_url = referer if referer and same_site else request.path
    return render(request, "403_csrf.html", {"back_url": back_url}, status=403)
