"""How long a staff session lasts: SESSION_IDLE_TIMEOUT_MINUTES without a
request, SESSION_MAX_HOURS after signing in, whichever comes first.

Times are stored in the session as Unix seconds. The last-seen time is
rewritten at most once a minute, so an ordinary page view does not save the
session on every request.
"""

import time

from django.conf import settings

SIGNED_IN_AT = "kinetic_signed_in_at"
LAST_SEEN_AT = "kinetic_last_seen_at"
TOUCH_EVERY_SECONDS = 60

IDLE = "idle"
TOO_LONG = "too_long"


def session_start(request) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def session_end_reason(request) -> str | None:
    """IDLE or TOO_LONG when this signed-in session has run out, else None."""
    now = time.time()
    signed_in_at = request.session.get(SIGNED_IN_AT)
    last_seen_at = request.session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        # A session from before these limits existed: start counting now.
        session_start(request)
        return None
    if now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
        return TOO_LONG
    if now - last_seen_at > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
        return IDLE
    return None


def session_touch(request) -> None:
    now = time.time()
    if now - request.session.get(LAST_SEEN_AT, 0) >= TOUCH_EVERY_SECONDS:
        request.session[LAST_SEEN_AT] = now


def session_end_message(reason: str) -> str:
    if reason == IDLE:
        minutes = settings.SESSION_IDLE_TIMEOUT_MINUTES
        return (f"You were signed out after {minutes} minute{'s' if minutes != 1 else ''} without activity. "
                "Sign in again to carry on.")
    hours = settings.SESSION_MAX_HOURS
    return (f"You were signed out because a session lasts at most {hours} hour{'s' if hours != 1 else ''}. "
            "Sign in again to carry on.")
