"""Housekeeping the beat runs: expired sessions do not pile up."""

import datetime as dt

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from rehab.tasks import sessions_clear_task


def test_the_beat_clears_expired_sessions_daily(db):
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["rehab.tasks.sessions_clear_task"] == 24 * 60 * 60

    live, expired = SessionStore(), SessionStore()
    live["draft"] = expired["draft"] = "pain 4/10 on stairs"
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1))

    sessions_clear_task()

    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
