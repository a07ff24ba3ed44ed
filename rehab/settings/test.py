"""The test suite: real PostgreSQL and Redis (DATABASE_URL / REDIS_URL)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env, redis_cache

SECRET_KEY = "test-only"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test run's pictures in a throwaway directory, served by the live server.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"kinetic-test-media-{os.getpid()}"
SERVE_MEDIA = True
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/kinetic"),
}
if env("DATABASE_REPLICA_URL", default=""):  # a subprocess of a test that checks the export replica
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")

# Tasks run inline when their transaction commits, so a test sees the flags an
# entry raises. Tests that need a real worker or a dead broker (marked
# `worker`) switch this off for themselves.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CACHES = redis_cache(REDIS_URL, prefix="kinetic-test")
