"""The portal's daily clean-up, run by Celery beat (rehab.settings: CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

from portal.models import drafts_expired_delete
from rehab.tasks import RETRY

log = logging.getLogger(__name__)


@shared_task(**RETRY)
def drafts_clear_task():
    """Daily: delete the answers patients saved for later and never sent, once a week old."""
    deleted = drafts_expired_delete()
    if deleted:
        log.info("Deleted %d portal draft(s) older than a week", deleted)
