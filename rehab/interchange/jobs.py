"""Imports started from the web: validate on upload, write on confirmation.

A large import runs in a Celery task; its progress is kept in the cache
rather than on the job row, because the row's own updates would only become
visible when the import's single transaction commits.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from patients.models import User
from rehab.interchange.importer import caseload_import, caseload_validate
from rehab.interchange.models import ImportJob

log = logging.getLogger(__name__)

# Above this many patients the write runs in a Celery task and the page shows
# its progress; below, it runs while the confirmation request waits.
BACKGROUND_IMPORT_PATIENTS = 200
PROGRESS_TTL = 24 * 3600


def progress_key(job_id) -> str:
    return f"interchange:import:{job_id}:done"


def import_job_progress(job: ImportJob) -> int:
    if job.status == ImportJob.RUNNING:
        try:
            return cache.get(progress_key(job.pk)) or 0
        except Exception:
            return 0
    return job.patients_done


def import_job_create(*, user: User, filename: str, document) -> ImportJob:
    """Validate an uploaded document against the user's clinic and keep the report."""
    result = caseload_validate(document, clinic_slug=user.clinic.slug)
    report = result.as_dict()
    if isinstance(document, dict) and document.get("clinic") not in (None, user.clinic.slug):
        report["document_clinic"] = str(document.get("clinic"))
    return ImportJob.objects.create(
        clinic=user.clinic,
        uploaded_by=user,
        filename=filename[:200],
        status=ImportJob.FAILED if result.errors else ImportJob.VALIDATED,
        # A document with errors is never imported: no need to keep it.
        document=None if result.errors else document,
        report=report,
        patients_total=result.patients_total,
    )


def import_job_confirm(*, job: ImportJob) -> bool:
    """Claim a validated job and run it (now, or in a task if large).

    The claim is a conditional update, so a double click or a second admin
    never runs the same import twice. Returns False if already claimed.
    """
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.VALIDATED).update(
        status=ImportJob.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return False
    if job.patients_total > BACKGROUND_IMPORT_PATIENTS:
        from rehab.interchange.tasks import import_job_run_task

        transaction.on_commit(lambda: import_job_run_task.delay(str(job.pk)))
    else:
        import_job_run(job_id=job.pk)
    return True


def import_job_run(*, job_id) -> ImportJob:
    job = ImportJob.objects.select_related("clinic", "uploaded_by").get(pk=job_id)
    if job.status != ImportJob.RUNNING:
        return job

    def progress(done, total):
        try:
            cache.set(progress_key(job.pk), done, PROGRESS_TTL)
        except Exception:  # progress display only; never fail the import for it
            log.warning("Could not record the progress of import %s", job.pk, exc_info=True)

    try:
        result = caseload_import(job.document, clinic_slug=job.clinic.slug, by=job.uploaded_by, progress=progress)
    except Exception:
        log.exception("Import %s failed", job.pk)
        job.status = ImportJob.FAILED
        job.report = {**job.report, "crashed": True, "errors": job.report.get("errors", [])}
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "report", "finished_at"])
        raise
    job.report = result.as_dict()
    job.status = ImportJob.DONE if result.written else ImportJob.FAILED
    job.patients_done = result.patients_total if result.written else 0
    job.finished_at = timezone.now()
    if result.written:
        job.document = None  # the records are in the database now
    job.save(update_fields=["report", "status", "patients_done", "finished_at", "document"])
    return job
