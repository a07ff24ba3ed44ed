"""Imports started from the web: the upload is kept and checked in a Celery
task, and written on confirmation.

The upload request only stores the file (by COPY, as Django reads it, so the
request never holds it whole) and queues its check, so a large or hostile
file never ties up a web worker; the job page polls until the check is done
and then lists the errors, if any. The check and the import read the stored
file back in slices, a patient at a time (`upload_source`). A large import also runs in a task; its progress is kept in the
cache rather than on the job row, because the row's own updates would only
become visible when the import's single transaction commits.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging

from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.db.models import JSONField
from django.db.models.functions import Length
from django.utils import timezone

from interchange.decoding import CaseloadFileError, printable
from interchange.importer import caseload_import_source
from interchange.models import ImportJob
from interchange.stream import CaseloadSource
from patients.models import User

log = logging.getLogger(__name__)

# Above this many patients the write runs in a Celery task and the page shows
# its progress; below, it runs while the confirmation request waits.
BACKGROUND_IMPORT_PATIENTS = 200
PROGRESS_TTL = 24 * 3600
# The job page lists the first 500; a file with more errors than this needs
# fixing at its source, and the report must stay a reasonable size.
ERRORS_KEPT = 1000


def progress_key(job_id) -> str:
    return f"interchange:import:{job_id}:done"


def import_job_progress(job: ImportJob) -> int:
    if job.status == ImportJob.RUNNING:
        try:
            return cache.get(progress_key(job.pk)) or 0
        except Exception:
            return 0
    return job.patients_done


def import_job_create(*, user: User, filename: str, upload) -> ImportJob:
    """Keep an uploaded file (bytes, or an uploaded file, read a chunk at a
    time) and queue its check against the user's clinic."""
    job = ImportJob(clinic=user.clinic, uploaded_by=user, filename=_filename_shown(filename),
                    status=ImportJob.CHECKING, created_at=timezone.now())
    chunks = [bytes(upload)] if isinstance(upload, bytes | bytearray | memoryview) else upload.chunks()
    with transaction.atomic():
        _job_copy(job, chunks)
        transaction.on_commit(lambda: _check_enqueue(job.pk))
    return job


def _job_copy(job: ImportJob, chunks) -> None:
    """Write the job's row with its file by COPY, the file streamed in as it
    is read, so the request never holds the whole of a large upload (an
    INSERT would need it as one parameter)."""
    fields = [f for f in ImportJob._meta.concrete_fields if f.attname != "upload"]
    values = [json.dumps(getattr(job, f.attname), cls=f.encoder) if isinstance(f, JSONField)
              else f.get_db_prep_save(getattr(job, f.attname), connection) for f in fields]
    head = "\t".join(_copy_text(value) for value in values)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in [*fields, ImportJob._meta.get_field("upload")])
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY {connection.ops.quote_name(ImportJob._meta.db_table)} ({columns}) FROM STDIN"
    ) as copy:
        copy.write(f"{head}\t\\\\x".encode())  # a bytea in hex, its backslash escaped for COPY
        for chunk in chunks:
            copy.write(chunk.hex().encode("ascii"))
        copy.write(b"\n")
    job._state.adding = False


def _copy_text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _filename_shown(name: str) -> str:
    # A browser sends whatever name the file has; the column must hold it.
    return "".join(ch for ch in printable(name or "") if ch.isprintable())[:200]


def _check_enqueue(job_id) -> None:
    from interchange.tasks import import_job_check_task

    try:
        import_job_check_task.delay(str(job_id))
    except Exception:
        # No broker (Redis down): check in this request rather than leave the
        # job waiting for a task that was never queued.
        log.warning("Could not queue the check of import %s; checking it now", job_id, exc_info=True)
        import_job_check(job_id=job_id)


def import_job_check(*, job_id) -> ImportJob:
    """Read and validate a job's file; the job becomes validated or failed.

    Safe to run twice: only a job still being checked is changed.
    """
    job = ImportJob.objects.select_related("clinic").get(pk=job_id)
    if job.status != ImportJob.CHECKING:
        return job
    try:
        report, total = _check(job)
    except Exception:
        # A defect of ours, not the file's: say so rather than leave the page
        # checking forever.
        log.exception("Checking import %s failed", job.pk)
        report, total = {"errors": [], "crashed": True}, 0
    failed = bool(report["errors"]) or report.get("crashed", False)
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.CHECKING).update(
        status=ImportJob.FAILED if failed else ImportJob.VALIDATED,
        report=report,
        patients_total=total,
        # A file with errors is never imported: no need to keep it.
        **({"upload": None, "finished_at": timezone.now()} if failed else {}),
    )
    job.refresh_from_db()
    return job


def upload_source(job_id) -> CaseloadSource:
    """A job's stored upload, read from the database a slice at a time (the
    column is stored uncompressed, migration 0003, so a slice costs only its
    own pages): a worker never holds the whole file."""
    size = ImportJob.objects.filter(pk=job_id).values_list(Length("upload"), flat=True).first() or 0
    return CaseloadSource(open=lambda: _UploadSlices(job_id, size), size=size)


class _UploadSlices(io.RawIOBase):
    def __init__(self, job_id, size: int):
        self.job_id, self.size, self.offset = job_id, size, 0

    def readable(self):
        return True

    def read(self, size=-1) -> bytes:
        if size is None or size < 0:
            size = self.size - self.offset
        size = min(size, self.size - self.offset)
        if size <= 0:
            return b""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT substring(upload FROM %s FOR %s) FROM {ImportJob._meta.db_table} "  # noqa: S608
                           "WHERE id = %s", [self.offset + 1, size, self.job_id])
            data = bytes(cursor.fetchone()[0])
        self.offset += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _check(job: ImportJob) -> tuple[dict, int]:
    try:
        result = caseload_import_source(upload_source(job.pk), clinic_slug=job.clinic.slug, dry_run=True)
    except CaseloadFileError as error:
        return {"errors": [{"ref": None, "path": "", "message": str(error)}], "errors_total": 1}, 0
    report = result.as_dict()
    report["errors_total"] = len(report["errors"])
    report["errors"] = report["errors"][:ERRORS_KEPT]
    named = result.document_clinic
    if isinstance(named, str) and named != job.clinic.slug:
        report["document_clinic"] = printable(named)[:80]
    return report, result.patients_total


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
        from interchange.tasks import import_job_run_task

        def enqueue():
            try:
                import_job_run_task.delay(str(job.pk))
            except Exception:
                # Nothing was written: hand the job back so "Import" can be pressed again.
                log.warning("Could not queue import %s; it is back to validated", job.pk, exc_info=True)
                ImportJob.objects.filter(pk=job.pk, status=ImportJob.RUNNING).update(
                    status=ImportJob.VALIDATED, started_at=None)

        transaction.on_commit(enqueue)
    else:
        # A crash is logged and recorded on the job (failed, nothing written):
        # the page the admin lands on says so, instead of a server error.
        with contextlib.suppress(Exception):
            import_job_run(job_id=job.pk)
    return True


def import_job_run(*, job_id, final_attempt=True) -> ImportJob:
    """Write a claimed (running) job's file. The import is one transaction:
    whatever stops it, nothing of the file is written.

    A database error (a lost connection, a failover) leaves the job running
    for the task's next attempt unless this is the `final_attempt`; any other
    error, or the final attempt's, marks the job failed.
    """
    job = ImportJob.objects.select_related("clinic", "uploaded_by").get(pk=job_id)
    if job.status != ImportJob.RUNNING:
        return job

    def progress(done, total):
        try:
            cache.set(progress_key(job.pk), done, PROGRESS_TTL)
        except Exception:  # progress display only; never fail the import for it
            log.warning("Could not record the progress of import %s", job.pk, exc_info=True)

    try:
        # The file was read and validated by the check; it is read again here,
        # a patient at a time, and validated again as it is written.
        result = caseload_import_source(upload_source(job.pk), clinic_slug=job.clinic.slug, by=job.uploaded_by,
                                        progress=progress)
    except OperationalError:
        if not final_attempt:
            log.warning("Import %s interrupted by a database error; nothing was written, it will be tried again",
                        job.pk, exc_info=True)
            raise
        log.exception("Import %s failed", job.pk)
        _import_job_fail(job)
        raise
    except Exception:
        log.exception("Import %s failed", job.pk)
        _import_job_fail(job)
        raise
    job.report = result.as_dict()
    job.status = ImportJob.DONE if result.written else ImportJob.FAILED
    job.patients_done = result.patients_total if result.written else 0
    job.finished_at = timezone.now()
    job.upload = None  # imported, or refused: either way the file is not needed again
    job.save(update_fields=["report", "status", "patients_done", "finished_at", "upload"])
    return job


def _import_job_fail(job: ImportJob) -> None:
    job.status = ImportJob.FAILED
    job.report = {**job.report, "crashed": True, "errors": job.report.get("errors", [])}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "report", "finished_at"])
