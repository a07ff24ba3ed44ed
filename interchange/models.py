"""An import started from the web: the uploaded file, its validation report,
and the progress of the write.

The file is kept as bytes on the row rather than through a storage backend:
the web and worker containers share no volume (docker-compose.yml), and the
file holds names and dates of birth, which then stay in the one place that is
already secured and backed up as clinical data. The row and its file are
written in one statement, so no orphaned file can outlive its job, and the
bytes are dropped as soon as the job is done or has failed.
"""

import uuid

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    PENDING = "pending"
    CHECKING = "checking"
    VALIDATED = "validated"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    STATUSES = (
        (PENDING, "Pending"),
        (CHECKING, "Checking"),
        (VALIDATED, "Validated"),
        (RUNNING, "Running"),
        (DONE, "Done"),
        (FAILED, "Failed"),
    )

    # Opaque in URLs: a job id says nothing about the clinic or its patients.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey("patients.Clinic", on_delete=models.CASCADE, related_name="import_jobs")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=STATUSES, default=PENDING)
    # The file as uploaded, until it is imported or has failed its check.
    upload = models.BinaryField(null=True, blank=True, editable=False)
    report = models.JSONField(default=dict, blank=True)
    patients_total = models.PositiveIntegerField(default=0)
    patients_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "checking", "validated", "running", "done", "failed"]),
                name="import_job_status_valid",
            ),
        ]

    def __str__(self):
        return f"Import {self.filename or self.pk} ({self.get_status_display()})"

    @property
    def has_errors(self):
        return bool(self.report.get("errors"))

    @property
    def errors_total(self):
        return self.report.get("errors_total", len(self.report.get("errors", [])))
