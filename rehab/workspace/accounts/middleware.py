"""Gates in front of every staff page: the session's lifetime, then
two-factor sign-in. The patient portal, the health check and the sign-in and
password-reset pages stay open."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from patients.accounts import two_factor_enabled, two_factor_required
from rehab.workspace.accounts import sessions
from rehab.workspace.accounts.unsaved import page_posted_from, unsaved_post_keep

# The portal has no login; /healthz is probed by the load balancer.
OPEN_PATH_PREFIXES = ("/p/", "/healthz", "/static/")
# Reachable before the second factor: signing in, out, and resetting a password.
SIGN_IN_VIEWS = {
    "login", "logout", "two_factor_verify",
    "password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete",
}
# A clinic that requires two-factor sign-in sends staff without it here first.
ENROLMENT_VIEWS = {"two_factor"}


def _is_open_path(request) -> bool:
    return request.path_info.startswith(OPEN_PATH_PREFIXES)


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = sessions.session_end_reason(request)
            if reason is not None:
                user_id, next_path = request.user.pk, request.get_full_path()
                signing_out = request.path_info == reverse("logout")
                sent = request.method == "POST" and not _is_open_path(request) and not signing_out
                if sent:
                    next_path = page_posted_from(request)
                logout(request)
                # Messages outlive the session: the cookie storage holds them.
                message = sessions.session_end_message(reason)
                if sent and next_path.split("?", 1)[0] == request.path_info:
                    # A form page sent to itself (a visit, a registration): kept, and
                    # filled in again there. A button's action elsewhere is not kept.
                    unsaved_post_keep(request, user_id=user_id, page=next_path)
                    message = f"{message} What you entered is kept: you will find it filled in, not yet saved."
                elif sent:
                    message = f"{message} What you were doing was not saved: please do it again."
                messages.info(request, message)
                if not _is_open_path(request):
                    return redirect_to_login(next_path)
            else:
                sessions.session_touch(request)
        return self.get_response(request)


class TwoFactorMiddleware:
    """A user with an authenticator must enter a code after the password
    before any staff page, the Django admin included; staff of a clinic that
    requires it must set one up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or _is_open_path(request):
            return None
        view_name = request.resolver_match.view_name
        if view_name in SIGN_IN_VIEWS:
            return None
        if two_factor_enabled(user):
            return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
        if two_factor_required(user) and view_name not in ENROLMENT_VIEWS:
            return redirect("two_factor")
        return None
