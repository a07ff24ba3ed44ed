"""Settings shared by every environment, read through one environment helper.

Environment-specific modules (`local`, `test`, `production`) import from here
and change only what differs. Only `production` reads the deployment's `.env`
file (see production.py): the quick start and the tests never see its secrets.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = False
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    # Before the project apps, so that patients/admin.py can unregister their
    # (unscoped) admin pages.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "content",
    "patients",
    "rehab",
    "rehab.workspace.accounts",
    "portal",
    "interchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "rehab.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rehab.middleware.StaffNoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "rehab.middleware.ClinicTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rehab.workspace.accounts.middleware.SessionTimeoutMiddleware",
    "rehab.workspace.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# No inline script or style anywhere: every script and stylesheet is a static
# file (the Django admin's included), charts and QR codes are inline SVG
# markup, and Bootstrap's icons are data: URIs in its stylesheet. Nothing may
# frame a page, post a form elsewhere, or rebase relative URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of Kinetic uses, switched off for every page (and
# anything a page might embed). clipboard-write stays allowed: the portal-link
# page copies the link; publickey-credentials-get stays allowed for security
# keys at sign-in.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer",
        "microphone", "midi", "payment", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    )
}

ROOT_URLCONF = "rehab.urls"
# A refused form says "go back and try again" in the app's own words.
CSRF_FAILURE_VIEW = "rehab.errors.csrf_failure"
WSGI_APPLICATION = "rehab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The quick start runs on an embedded SQLite file; tests and deployments set
# DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": env.db_url_config(env("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # A database that does not answer fails a request (and /healthz) in
    # seconds instead of hanging a worker on the TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# A streaming read replica for caseload exports (rehab/db_routers.py): set
# DATABASE_REPLICA_URL and the exports read from it; everything else, and
# every write, stays on DATABASE_URL.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url_config(env("DATABASE_REPLICA_URL"))
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DATABASE_ROUTERS = ["rehab.db_routers.ExportReadsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "patients.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "caseload"
LOGOUT_REDIRECT_URL = "login"

# Staff sign-in (rehab/workspace/accounts/). AxesStandaloneBackend refuses a locked-out
# client before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "rehab.workspace.accounts.throttling.SignInAttemptHandler"
# Failures count per (username, address): an attacker guessing one username
# from one address locks only that pair, so the real user still signs in from
# elsewhere. A looser per-address limit stops one address spraying many
# usernames without locking a whole clinic (staff often share one office
# address) over a few typos.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
SIGN_IN_FAILURE_LIMIT_PER_ADDRESS = env.int("SIGN_IN_FAILURE_LIMIT_PER_ADDRESS", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_CLIENT_IP_CALLABLE = "rehab.workspace.accounts.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "rehab.workspace.accounts.throttling.lockout_response"
# Axes' own admin pages are not clinic-scoped; clinic admins unlock their
# staff from the staff list, the operator with `manage.py axes_reset`.
AXES_ENABLE_ADMIN = False
# No version banner on every manage.py run (it would sit in front of
# `export_caseload -o -` output read by scripts); lockouts are still logged.
AXES_VERBOSE = False

# Staff sessions end after this long without a request, and in any case this
# long after signing in.
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

OTP_TOTP_ISSUER = "Kinetic"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (exercise pictures) go through the "default" storage: this
# directory unless production settings switch to S3-compatible storage.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Django itself serves MEDIA_ROOT under MEDIA_URL (the quick start, tests);
# in production the TLS proxy serves the media volume (deploy/Caddyfile).
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)

FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_TAGS = {40: "danger"}

# Redis is the Celery broker and the cache (portal rate limits). When
# REDIS_URL is unset, as in the quick start, tasks run eagerly in-process.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish must fail fast when Redis is down: the entry is already committed
# and the periodic sweep reconciles any flag the lost task would have raised.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,
    # How long before a task taken by a worker that died (acks_late) is handed
    # out again: 15 minutes. It must stay above the longest retry back-off
    # (retry_backoff_max=300 s in rehab/tasks.py) plus a sweep's run time, or
    # a task waiting for its countdown is delivered twice.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=900),
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = "UTC"
# The sweep runs hourly: cheap (set-based), and it bounds how long a flag whose
# task was lost (Redis down at save time) can stay unraised.
# Beat records each loop in a heartbeat file (its container's health check
# reads it), and loops at least once a minute.
CELERY_BEAT_SCHEDULER = "rehab.beat:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
BEAT_HEARTBEAT_FILE = env("BEAT_HEARTBEAT_FILE", default="/tmp/kinetic-beat-heartbeat")  # noqa: S108
# The sweep queues one task per clinic, and one per batch of this many
# patients when a clinic has more to re-evaluate (more workers, sooner done).
SWEEP_BATCH_SIZE = env.int("SWEEP_BATCH_SIZE", default=1000)
CELERY_BEAT_SCHEDULE = {
    "programme-sweep": {
        "task": "rehab.tasks.run_sweeps_task",
        "schedule": env.int("SWEEP_INTERVAL_SECONDS", default=3600),
    },
    "expired-sessions": {
        "task": "rehab.tasks.sessions_clear_task",
        "schedule": 24 * 60 * 60,
    },
    "expired-portal-drafts": {
        "task": "portal.tasks.drafts_clear_task",
        "schedule": 24 * 60 * 60,
    },
}

def redis_cache(url, *, prefix="kinetic"):
    """The cache (portal rate limits) on Redis; short timeouts so a dead Redis
    slows nothing down."""
    return {
        "default": {
            # Django's, sharing one client per pool (rehab/redis_cache.py).
            "BACKEND": "rehab.redis_cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }


CACHES = redis_cache(REDIS_URL) if REDIS_URL else {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Kinetic <kinetic@localhost>")
# A mail server that stops answering must not hold a request or a task (and
# the patient rows they lock) until gunicorn or Celery kills it.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# `seed_demo` creates public demo logins: never in production.
DEMO_DATA_ALLOWED = True

PORTAL_LINK_DAYS = env.int("PORTAL_LINK_DAYS", default=90)
# How many proxies in front of the app append to X-Forwarded-For (1 behind the
# docker-compose TLS proxy); 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_HOPS = env.int("TRUSTED_PROXY_HOPS", default=0)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# The largest caseload file the import page accepts; larger files are refused
# before they are stored or parsed (the command line has no limit).
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=20)

# `text` for people at a terminal, `json` (one object a line, the default in
# production) for a log collector.
LOG_FORMAT = env("LOG_FORMAT", default="text")
_FORMATTERS = {
    "text": {"console": {"format": "%(message)s"},
             "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}},
    "json": {"console": {"()": "rehab.log_format.JsonFormatter"},
             "server": {"()": "rehab.log_format.JsonFormatter"}},
}[LOG_FORMAT]
# With JSON logs the Celery worker keeps Django's logging configuration
# instead of installing its own text format on the root logger.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_portal_tokens": {"()": "rehab.log_redaction.RedactPortalTokens"}},
    "formatters": _FORMATTERS,
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "console", "filters": ["redact_portal_tokens"]},
        "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["redact_portal_tokens"]},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["redact_portal_tokens"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Replaces Django's own handlers for these, so that no request line
        # or error report reaches a log without passing the redaction filter.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
    },
}
