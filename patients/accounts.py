"""Staff accounts: sign-in lockouts and two-factor devices.

Two-factor sign-in is one authenticator app (a confirmed TOTP device) plus a
set of single-use recovery codes (a static device). The views in
rehab/accounts/ and the staff admin's actions write through these functions.
"""

import logging

from axes.handlers.proxy import AxesProxyHandler
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from patients.models import User

log = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user: User) -> bool:
    clinic = getattr(user, "clinic", None)
    return bool(clinic and clinic.require_two_factor)


def two_factor_enrolment_device(*, user: User) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed,
    so reloading the page does not invalidate a code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def two_factor_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Switch two-factor sign-in on once the user proves the app works."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(normalise_code(code)):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        recovery_codes_regenerate(user=device.user)
    log.info("Two-factor sign-in switched on for %s", device.user.username)
    return True


def two_factor_check(*, user: User, code: str):
    """The confirmed device (app or recovery codes) that accepts the code, or
    None. A recovery code is used up; wrong codes slow further tries down
    (django-otp throttling, per device)."""
    code = normalise_code(code)
    with transaction.atomic():
        for device in _devices_for_code(user, code).select_for_update():
            if device.verify_token(code):
                return device
    return None


def two_factor_wait_seconds(*, user: User, code: str) -> int:
    """How long until a code like this one is checked again after wrong ones
    (0: now). Checking it sooner would refuse even the right code."""
    waits = [0]
    for device in _devices_for_code(user, normalise_code(code)):
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return max(waits)


def _devices_for_code(user, code):
    # Six digits are for the app, anything else a recovery code (eight
    # characters): trying both would slow down the device the user did not mean.
    model = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    return model.objects.filter(user=user, confirmed=True)


def recovery_codes(user: User) -> list[str]:
    return list(
        StaticToken.objects.filter(device__user=user, device__confirmed=True)
        .order_by("id").values_list("token", flat=True)
    )


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=StaticToken.random_token()) for _ in range(RECOVERY_CODE_COUNT)
        )
    log.info("Recovery codes regenerated for %s", user.username)
    return recovery_codes(user)


def two_factor_disable(*, user: User, by: User) -> int:
    """Remove the user's authenticator and recovery codes (the user turning
    it off, or their clinic admin resetting it after a lost phone)."""
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
    log.info("Two-factor sign-in removed for %s by %s", user.username, by.username)
    return removed


def sign_in_unlock(*, user: User, by: User) -> int:
    """Clear the failed sign-ins recorded against this username from every
    address, so the user can sign in again before the lockout runs out."""
    cleared = AxesProxyHandler.reset_attempts(username=user.get_username())
    log.info("Sign-in unlocked for %s by %s (%d records cleared)", user.username, by.username, cleared)
    return cleared


def normalise_code(code: str) -> str:
    """Codes as people type them: spaces and dashes dropped, any case."""
    return "".join(code.split()).replace("-", "").lower()
