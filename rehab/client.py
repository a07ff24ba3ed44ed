"""Who is asking: the client address behind the trusted proxies, for the
limits that count per client (sign-in throttling, the portal's bad-link limit)."""

from django.conf import settings


def client_address(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_HOPS proxies (the TLS proxy
    in front of gunicorn) it is the X-Forwarded-For entry the nearest trusted
    proxy added; entries further left are the client's own and never trusted."""
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "unknown")
