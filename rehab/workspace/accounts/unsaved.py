"""A form sent after the staff session ran out is kept, not lost (and a
form left for a moment to enter something it asks for, such as the phase
move's final questionnaires, is kept the same way).

A physio types a visit during a long appointment; the session ends after its
idle time (sessions.py) and the Save arrives signed out. When the form was
sent to its own page (a visit, a registration, a phase move), the sign-out
keeps what was sent, for that page and that user only, and sends them to
sign in and back to it; the page fills its form in again, unsaved, for them
to check and save (`unsaved_post_take`). Nothing is written without that
second Save: the form may be an hour old. A button's form sent elsewhere (an
acknowledgement, the link page's print button, which carries a portal
token) is not kept: they are sent back to the page it was on, and told to do
it again (accounts/middleware.py).

Kept in the (server-side) session for KEEP_SECONDS; a different user signing
in on the same browser never sees it.
"""

import time
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import QueryDict
from django.utils.http import url_has_allowed_host_and_scheme

UNSAVED = "kinetic_unsaved_form"
KEEP_SECONDS = 2 * 3600
NOT_CARRIED = ("csrfmiddlewaretoken",)


def page_posted_from(request) -> str:
    """The staff page a POST was sent from (its Referer, on this site), or the
    POST's own address: where to come back to after signing in again. A
    button's action (acknowledge, revoke) is often POST-only: opening it
    after the sign-in would be a dead end."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        parts = urlsplit(referer)
        if parts.path.startswith("/"):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


SIGNED_OUT = ("Not saved yet: you were signed out before this form was saved. What you had entered is filled in "
              "again below; check it, then save.")


def unsaved_post_keep(request, *, user_id, page: str, message: str = SIGNED_OUT) -> None:
    """Keep this POST's fields for `page` (a path), for `user_id`, with the
    `message` the page shows when it fills them in again. After a sign-out,
    call it after logout(), on the new session."""
    data = {name: values for name, values in request.POST.lists() if name not in NOT_CARRIED}
    if data:
        request.session[UNSAVED] = {"user": str(user_id), "page": page.split("?", 1)[0], "at": time.time(),
                                    "data": data, "message": message}


def unsaved_post_take(request) -> QueryDict | None:
    """The fields kept for this page and this user, once, with a message
    saying they are not saved yet; None when there are none."""
    kept = request.session.get(UNSAVED)
    if not kept or kept.get("page") != request.path or not request.user.is_authenticated:
        return None
    del request.session[UNSAVED]
    if kept.get("user") != str(request.user.pk) or time.time() - kept.get("at", 0) > KEEP_SECONDS:
        return None
    data = QueryDict(mutable=True)
    for name, values in kept["data"].items():
        data.setlist(name, values)
    messages.warning(request, kept.get("message") or SIGNED_OUT)
    return data
