"""Celery beat's scheduler, with a heartbeat its health check can read.

Beat has no ping: its container's health check (`python -m rehab.healthcheck
beat`) reads the time of the last scheduler loop from BEAT_HEARTBEAT_FILE,
and beat loops at least every CELERY_BEAT_MAX_LOOP_INTERVAL seconds.
"""

from pathlib import Path

from celery.beat import PersistentScheduler
from django.conf import settings


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        Path(settings.BEAT_HEARTBEAT_FILE).touch()
        return interval
