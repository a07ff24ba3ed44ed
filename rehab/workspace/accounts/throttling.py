"""Sign-in throttling with django-axes (settings: AXES_* in rehab/settings/base.py),
and the password-reset email limit with django-ratelimit.

Failed sign-ins are stored in the database (axes' AccessAttempt), so a
lockout survives a Redis restart, `manage.py axes_reset` works, and a clinic
admin can clear one username from every address at once.
"""

import ipaddress
import logging

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.dispatch import receiver
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from rehab.client import client_address

log = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    """The client's address as the portal's limit sees it (TRUSTED_PROXY_HOPS),
    or None when there is no usable one (axes stores it as an IP address)."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def lockout_minutes(request=None) -> int:
    return max(1, round(get_cool_off(request).total_seconds() / 60))


def lockout_message(request=None) -> str:
    minutes = lockout_minutes(request)
    return (
        f"Too many failed sign-ins. For your security, signing in is paused: try again in "
        f"{minutes} minute{'s' if minutes != 1 else ''}, or ask your clinic admin to unlock your account."
    )


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lockout explained (429 Too Many Requests)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request, "registration/login.html",
        {"form": form, "lockout_message": lockout_message(request), "next": request.POST.get("next", "")},
        status=429,
    )


class SignInAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: AXES_FAILURE_LIMIT for one
    username from one address, SIGN_IN_FAILURE_LIMIT_PER_ADDRESS for one
    address whatever the usernames."""

    def get_failures(self, request, credentials=None) -> int:
        pair, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.SIGN_IN_FAILURE_LIMIT_PER_ADDRESS:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # A success forgives this user's own typos from this address, and
        # nothing else: other usernames' failures from the address still count.
        AccessAttempt.objects.filter(
            username=user.get_username(), ip_address=request.axes_ip_address
        ).delete()


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    log.warning(
        "Sign-in locked out for %s minutes: username=%r address=%s",
        lockout_minutes(request), username, ip_address,
    )


# Password-reset emails (django-ratelimit, counting in the cache): at most
# this many to one address, and this many requests from one client, an hour.
# A reset asked beyond either gets the same "check your email" answer and no
# email, so the form can neither flood a clinician's inbox nor tell which
# addresses have accounts.
RESET_EMAILS_PER_ADDRESS = "3/h"
RESET_REQUESTS_PER_CLIENT = "10/h"


def password_reset_limited(request, email: str) -> bool:
    """Count this reset request, by address and by client; True when either
    is over its limit. With the cache (Redis) unreachable the limit fails
    open: a locked-out clinician can still reset their password."""
    checks = (
        ("password-reset:address", RESET_EMAILS_PER_ADDRESS, (email or "").strip().lower()),
        ("password-reset:client", RESET_REQUESTS_PER_CLIENT, client_address(request)),
    )
    limited = False
    for group, rate, value in checks:
        try:
            over = is_ratelimited(request, group=group, key=lambda _group, _request, value=value: value,
                                  rate=rate, increment=True)
        except Exception:
            log.warning("Password-reset limit unavailable (cache unreachable); allowing the request", exc_info=True)
            return False
        limited = limited or over
    if limited:
        log.warning("Password reset not sent: over the limit for this address or client %s", client_address(request))
    return limited
