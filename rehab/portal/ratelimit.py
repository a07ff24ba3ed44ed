"""Throttle clients that try many bad portal tokens (guessing links).

Counts live in Django's cache (Redis): a fixed 10-minute window per client
address, started by the first bad token. While a client is over the limit
every portal request from it answers 429, valid token or not, so the limit
cannot be used to tell good tokens from bad ones.
"""

from django.core.cache import cache

BAD_TOKEN_LIMIT = 20
WINDOW_SECONDS = 10 * 60


def _key(request) -> str:
    # REMOTE_ADDR: behind the proxy the deployment sets it from the trusted
    # proxy header; a client-supplied X-Forwarded-For is never trusted here.
    return f"portal-bad-token:{request.META.get('REMOTE_ADDR', 'unknown')}"


def is_limited(request) -> bool:
    return (cache.get(_key(request)) or 0) >= BAD_TOKEN_LIMIT


def bad_token_record(request) -> None:
    key = _key(request)
    if cache.add(key, 1, timeout=WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS)
