"""The background check and import: thin shells around `jobs`.

The import is one transaction, so a retry after a lost connection starts
again from nothing and cannot write anything twice (tests/interchange/
test_import_retry.py).
"""

from celery import shared_task
from django.db import OperationalError

from interchange import jobs


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def import_job_run_task(self, job_id):
    """A database error mid-import rolls the whole import back; the job stays
    running and this task tries again (5, 10, 20 s later). The last attempt's
    failure marks the job failed."""
    last = self.request.retries >= self.max_retries
    try:
        jobs.import_job_run(job_id=job_id, final_attempt=last)
    except OperationalError as error:
        if last:
            raise
        raise self.retry(exc=error, countdown=5 * 2 ** self.request.retries) from error


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=5, max_retries=3)
def import_job_check_task(job_id):
    """Validate an uploaded file; only reads, so a retry is harmless."""
    jobs.import_job_check(job_id=job_id)
