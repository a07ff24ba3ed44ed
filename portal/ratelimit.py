"""Throttle clients that try many bad portal tokens (guessing links).

Counts live in Django's cache (Redis): a fixed 10-minute window per client
address, started by the first bad token. While a client is over the limit
its bad tokens answer 429 instead of 404, and a valid link still opens.

A valid link is never refused: many patients share one address (a care
home's or a clinic's wifi, a mobile network's NAT), and one of them mistyping
or a scanner on the same network must not keep the others from their plan or
from reporting a red-flag symptom. Nothing is given away by it: a link holds
256 random bits, so no number of guesses finds one; the limit is there to
slow scanners down and to make them visible.

If the cache (Redis) is unreachable the limit fails open: a patient must
still reach their plan and the "seek same-day care" advice.
"""

import logging

from django.core.cache import cache

from rehab.client import client_address

log = logging.getLogger(__name__)

BAD_TOKEN_LIMIT = 20
WINDOW_SECONDS = 10 * 60


def _key(request) -> str:
    return f"portal-bad-token:{client_address(request)}"


def is_limited(request) -> bool:
    try:
        return (cache.get(_key(request)) or 0) >= BAD_TOKEN_LIMIT
    except Exception:
        log.warning("Portal rate limit unavailable (cache unreachable); allowing the request", exc_info=True)
        return False


def bad_token_record(request) -> None:
    key = _key(request)
    try:
        if cache.add(key, 1, timeout=WINDOW_SECONDS):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS)
    except Exception:
        log.warning("Could not count a bad portal token (cache unreachable)", exc_info=True)
