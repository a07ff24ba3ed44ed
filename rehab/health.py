"""/healthz: is this web process able to serve? It checks the database and
the Celery broker with short timeouts and says which is down (503)."""

import logging

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

log = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _broker() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        return  # the quick start: tasks run in-process, there is no broker
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


CHECKS = {"database": _database, "broker": _broker}


def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # noqa: BLE001 - any failure means "down"
            log.warning("Health check: %s is down: %s: %s", name, type(error).__name__, error)
            results[name] = "down"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse({"status": "ok" if healthy else "down", **results}, status=200 if healthy else 503)
