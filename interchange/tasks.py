"""The background check and import: thin shells around `jobs`.

The import is one transaction, so a retry after a lost connection starts
again from nothing and cannot write anything twice.
"""

from celery import shared_task
from django.db import OperationalError

from interchange import jobs


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=5, max_retries=3)
def import_job_run_task(job_id):
    jobs.import_job_run(job_id=job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(OperationalError,),
             retry_backoff=5, max_retries=3)
def import_job_check_task(job_id):
    """Validate an uploaded file; only reads, so a retry is harmless."""
    jobs.import_job_check(job_id=job_id)
