"""Production: hardening on; `manage.py check --deploy` prints no warning.

SECRET_KEY has no default here: the process fails at start without it.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

# The values .env.example ships with: copying the example must not give a live key.
PLACEHOLDER_SECRET_KEYS = {"change-me-to-a-long-random-string", "change-me"}

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="").strip()
if not SECRET_KEY or SECRET_KEY in PLACEHOLDER_SECRET_KEYS or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value (50+ characters, not the .env.example placeholder); "
        "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
DEMO_DATA_ALLOWED = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
