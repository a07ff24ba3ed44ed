"""Production: hardening on; `manage.py check --deploy` prints no warning.

Only these settings read the deployment's `.env` (a server run without
docker compose; in the containers compose passes the same values as
environment variables and the image holds no `.env`). The quick start and the
tests never read it, so `cp .env.example .env` cannot change them.

SECRET_KEY, DATABASE_URL and REDIS_URL have no defaults here: the process
fails at start, with one line saying what to set, when one is missing.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

environ.Env.read_env(Path(__file__).resolve().parents[2] / ".env", overwrite=False)

from .base import *  # noqa: E402, F403
from .base import env  # noqa: E402

# The values .env.example ships with: copying the example must not give a live key.
PLACEHOLDER_SECRET_KEYS = {"change-me-to-a-long-random-string", "change-me"}
# ...and the old docker-compose.yml's silent default ("kinetic").
PLACEHOLDER_PASSWORDS = {"change-me", "kinetic", "postgres", "password"}

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="").strip()
if not SECRET_KEY or SECRET_KEY in PLACEHOLDER_SECRET_KEYS or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value (50+ characters, not the .env.example placeholder); "
        "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if not env("DATABASE_URL", default=""):
    raise ImproperlyConfigured(
        "DATABASE_URL must be set in production (e.g. postgres://kinetic:PASSWORD@db:5432/kinetic); "
        "there is no SQLite fallback."
    )
if DATABASES["default"].get("PASSWORD") in PLACEHOLDER_PASSWORDS:  # noqa: F405
    raise ImproperlyConfigured(
        "The database password in DATABASE_URL is a placeholder: set POSTGRES_PASSWORD in .env to a random value "
        "(python -c 'import secrets; print(secrets.token_hex(24))')."
    )
if not env("REDIS_URL", default=""):
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production (e.g. redis://redis:6379/0); background tasks never run in-process there."
    )

# Each gunicorn worker and Celery process keeps its database connection for a
# minute instead of reconnecting (TLS and authentication) on every request;
# the health check replaces a connection the server or a failover dropped
# before a request uses it, rather than failing that request.
for _alias in DATABASES:  # noqa: F405  (the primary, and the export replica when there is one)
    DATABASES[_alias]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
    DATABASES[_alias]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)  # noqa: F405
# No JIT compilation for the app's queries: at 100,000 patients the caseload's
# count of a 20,000-patient clinic crossed the JIT cost threshold and spent
# 9 of its 19 ms compiling, on every request (bench/README.md). Short OLTP
# queries never win it back; the setting is per connection, nothing else changes.
for _alias in DATABASES:  # noqa: F405
    if "postgresql" in DATABASES[_alias]["ENGINE"] and env.bool("POSTGRES_JIT_OFF", default=True):  # noqa: F405
        DATABASES[_alias].setdefault("OPTIONS", {})["options"] = "-c jit=off"  # noqa: F405

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
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health check probes over plain HTTP

# Exercise pictures: by default files in MEDIA_ROOT (the `media` volume, which
# the proxy serves under /media/); with MEDIA_S3_BUCKET set, an S3-compatible
# bucket through django-storages (README: "Exercise pictures on S3").
MEDIA_ROOT = Path(env("MEDIA_ROOT", default="/app/media"))
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    from rehab.media_storage import s3_media_settings

    _storage, _origin = s3_media_settings(
        bucket=MEDIA_S3_BUCKET,
        endpoint_url=env("MEDIA_S3_ENDPOINT_URL", default=""),
        region=env("MEDIA_S3_REGION", default=""),
        access_key=env("MEDIA_S3_ACCESS_KEY_ID", default=""),
        secret_key=env("MEDIA_S3_SECRET_ACCESS_KEY", default=""),
        custom_domain=env("MEDIA_S3_CUSTOM_DOMAIN", default=""),
    )
    STORAGES = {**STORAGES, "default": _storage}  # noqa: F405
    # The pages may show pictures from the bucket, and from nowhere else new.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [  # noqa: F405
        *CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"], _origin,  # noqa: F405
    ]

# Errors to Sentry (or a Sentry-compatible service such as GlitchTip) when
# SENTRY_DSN is set; nothing is sent otherwise.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from rehab.observability import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", default="production"),
                traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0))
