"""The quick start and day-to-day development: DEBUG on, a throwaway key."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
