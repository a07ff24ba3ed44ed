"""Staff account pages: the second sign-in step, password change and reset
(Django's views, our templates), and setting up two-factor sign-in."""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from patients import accounts
from rehab.qr import qr_svg
from rehab.workspace.accounts import throttling
from rehab.workspace.accounts.forms import CodeForm

VERIFY_HELP = "The 6-digit code your authenticator app shows now, or one of your recovery codes."


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _wait_message(seconds: int) -> str:
    return f"Too many wrong codes in a row: wait {seconds} second{'s' if seconds != 1 else ''} and try again."


@login_required
def two_factor_verify(request):
    """After the password, a user with an authenticator enters a code."""
    user = request.user
    next_url = _next_url(request)
    if user.is_verified() or not accounts.two_factor_enabled(user):
        return redirect(next_url)
    form = CodeForm(request.POST or None, label="Authentication code", help_text=VERIFY_HELP)
    if request.method == "POST" and form.is_valid():
        wait = accounts.two_factor_wait_seconds(user=user, code=form.cleaned_data["code"])
        if wait:
            form.add_error("code", _wait_message(wait))
        else:
            device = accounts.two_factor_check(user=user, code=form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                if device.name == accounts.RECOVERY_NAME:
                    left = len(accounts.recovery_codes(user))
                    messages.warning(request, f"You signed in with a recovery code; {left} left. "
                                              "If your phone is lost, set up two-factor sign-in again.")
                return redirect(next_url)
            # A wrong code counts as a failed sign-in, so guessing codes
            # meets the same lockout as guessing passwords.
            user_login_failed.send(sender=__name__, credentials={"username": user.get_username()},
                                   request=request)
            if getattr(request, "axes_locked_out", False):
                logout(request)  # axes' middleware answers with the lockout page
                return redirect("login")
            form.add_error("code", "That code is not right. Check your app shows this account and try again.")
    return render(request, "account/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
def two_factor(request):
    """Set up two-factor sign-in, or see that it is on and manage it."""
    user = request.user
    if accounts.two_factor_enabled(user):
        return render(request, "account/two_factor.html", {
            "recovery_left": len(accounts.recovery_codes(user)),
            "turn_off_form": CodeForm(label="Code to confirm", help_text=VERIFY_HELP, autofocus=False),
            "required": accounts.two_factor_required(user),
        })
    device = accounts.two_factor_enrolment_device(user=user)
    form = CodeForm(request.POST or None, label="6-digit code from the app", numeric=True)
    if request.method == "POST" and form.is_valid():
        if accounts.two_factor_confirm(device=device, code=form.cleaned_data["code"]):
            device.refresh_from_db()
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is on. Keep these recovery codes somewhere safe: "
                                      "each one signs you in once if you lose your phone.")
            return redirect("two_factor_recovery_codes")
        form.add_error("code", "That code is not right. Codes change every 30 seconds: enter the one the "
                               "app shows now, and check the time on your phone is set automatically.")
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "account/two_factor_setup.html", {
        "form": form,
        "qr_svg": qr_svg(device.config_url, title="QR code to scan with your authenticator app", scale=4),
        "config_url": device.config_url,
        "secret_groups": [secret[i:i + 4] for i in range(0, len(secret), 4)],
        "required": accounts.two_factor_required(user),
    })


@login_required
def recovery_codes(request):
    """See the unused recovery codes (also as a text file), or replace them all."""
    user = request.user
    if not accounts.two_factor_enabled(user):
        return redirect("two_factor")
    if request.method == "POST":
        accounts.recovery_codes_regenerate(user=user)
        messages.success(request, "New recovery codes made: the old ones no longer work.")
        return redirect("two_factor_recovery_codes")
    codes = accounts.recovery_codes(user)
    if request.GET.get("download"):
        text = f"Kinetic recovery codes for {user.username}\nEach code works once.\n\n" + "\n".join(codes) + "\n"
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="kinetic-recovery-codes.txt"'
        return response
    return render(request, "account/recovery_codes.html", {"codes": codes})


@login_required
@require_POST
def two_factor_turn_off(request):
    """Turning it off asks for a current code, so a session left open on a
    shared computer cannot remove it."""
    user = request.user
    if not accounts.two_factor_enabled(user):
        return redirect("two_factor")
    form = CodeForm(request.POST, label="Code to confirm", help_text=VERIFY_HELP)
    if form.is_valid():
        wait = accounts.two_factor_wait_seconds(user=user, code=form.cleaned_data["code"])
        if wait:
            form.add_error("code", _wait_message(wait))
        elif accounts.two_factor_check(user=user, code=form.cleaned_data["code"]) is not None:
            accounts.two_factor_disable(user=user, by=user)
            if accounts.two_factor_required(user):
                messages.info(request, f"{user.clinic.name} requires two-factor sign-in: set it up again "
                                       "with your new phone.")
            else:
                messages.success(request, "Two-factor sign-in is off.")
            return redirect("two_factor")
        else:
            form.add_error("code", "That code is not right, so two-factor sign-in is still on.")
    return render(request, "account/two_factor.html", {
        "recovery_left": len(accounts.recovery_codes(user)),
        "turn_off_form": form,
        "required": accounts.two_factor_required(user),
    }, status=400)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        # Django keeps this session (update_session_auth_hash) and every other
        # session of the user ends: they carry the old password's hash.
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed. Anywhere else you were signed in, "
                                       "you have been signed out.")
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if throttling.password_reset_limited(self.request, form.cleaned_data["email"]):
            return redirect(self.get_success_url())
        # Links in emails use SITE_URL, as every other email does, never the
        # Host header of whoever asked.
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever reads the account's email may sign in again at once.
        accounts.sign_in_unlock(user=form.user, by=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST (the button in the menu). The address opened as
    a page (typed, bookmarked) asks with that button instead of the browser's
    bare "405 Method Not Allowed"; signed out already, it leads to sign-in."""

    http_method_names = ["get", "head", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.LOGIN_URL)
        return render(request, "registration/logout_confirm.html")
