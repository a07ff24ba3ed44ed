"""What the programme logic records: flags raised by the rules, and phase moves."""

from django.conf import settings
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from content.codes import Phase
from content.flag_kinds import (
    ENTRY_FLAG_CODES,
    NO_FLAG_RANK,
    SWEEP_FLAG_CODES,
    FlagCode,
    Severity,
    severity_rank,
)


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def needs_attention(self):
        """Open and not yet acknowledged: what the caseload badges show."""
        return self.filter(closed_at__isnull=True, acknowledged_at__isnull=True)

    def red_flags(self):
        """Raised from the red-flag checklist or the pain scores of an entry
        (not the sweep's progress flags): these outlive a discharge until a
        clinician acknowledges them."""
        return self.filter(code__in=ENTRY_FLAG_CODES)

    def with_rank(self):
        """Annotated with `rank`, the severity's rank (emergency 0): sort by it, most urgent first."""
        return self.annotate(rank=Case(
            *[When(severity=severity.value, then=Value(severity.rank)) for severity in Severity],
            default=Value(NO_FLAG_RANK),
            output_field=IntegerField(),
        ))


class Flag(models.Model):
    """Raised by a rule; acknowledged by a physio with a note; closed by the
    system when its condition no longer holds. Never deleted.

    Uniqueness is the database's job, so a retried task or a second sweep can
    insert blindly and never duplicate: one flag per (patient, code, entry) for
    entry rules, one open flag per (patient, code) for progress rules.
    """

    # Indexed by (patient, closed_at) below, which also serves patient_id alone.
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="flags", db_index=False)
    code = models.CharField(max_length=30, choices=FlagCode.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    entry = models.ForeignKey(
        "patients.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="flags"
    )
    entry_date = models.DateField(null=True, blank=True)
    message = models.TextField()
    advice = models.TextField()
    raised_at = models.DateTimeField(default=timezone.now)
    # When the flag's email went out (or was suppressed, below): it is not sent again.
    notified_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed the email, until it is sent: a claim older than
    # rehab.alerts.CLAIM_LEASE is a worker that died mid-send, and is taken again.
    notify_claimed_at = models.DateTimeField(null=True, blank=True)
    # Handled without an email: the physio had one about the same patient and
    # code within the previous 24 hours (DESIGN 4.4). The flag itself stays
    # open on the caseload like any other.
    email_suppressed = models.BooleanField(
        default=False,
        help_text="Not emailed: an email about the same code for this patient went out in the 24 hours before.",
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=200, blank=True)

    objects = FlagQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["notified_at", "notify_claimed_at", "email_suppressed"])

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=FlagCode.values), name="flag_code_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=Severity.values), name="flag_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | ~Q(acknowledgement_note=""),
                name="flag_acknowledged_with_note",
            ),
            # An entry flag loses its entry only once closed (the entry was deleted).
            models.CheckConstraint(
                condition=Q(code__in=SWEEP_FLAG_CODES)
                | Q(entry__isnull=False)
                | Q(closed_at__isnull=False),
                name="flag_entry_rule_has_entry",
            ),
            models.UniqueConstraint(
                fields=["patient", "code", "entry"],
                condition=Q(entry__isnull=False),
                name="flag_once_per_entry",
            ),
            models.UniqueConstraint(
                fields=["patient", "code"],
                condition=Q(entry__isnull=True, closed_at__isnull=True),
                name="flag_one_open_progress_flag",
            ),
        ]
        indexes = [models.Index(fields=["patient", "closed_at"])]

    def __str__(self):
        raised = f", raised {self.raised_at:%d %b %Y}" if self.raised_at else ""
        return f"{self.get_code_display()} ({self.get_severity_display().lower()}{raised})"

    @property
    def is_open(self):
        return self.closed_at is None

    @property
    def severity_rank(self):
        return severity_rank(self.severity)


class PhaseTransition(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="phase_transitions"
    )
    from_phase = models.CharField(max_length=16, choices=Phase.choices)
    to_phase = models.CharField(max_length=16, choices=Phase.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moved_at = models.DateTimeField(default=timezone.now)
    date = models.DateField(help_text="The clinic date the move takes effect.")
    reason = models.TextField()
    criteria_snapshot = models.JSONField(default=list, blank=True)
    plan_replaced = models.BooleanField(
        null=True, blank=True,
        help_text="Whether the move replaced the plan with the new phase's template; "
                  "empty for moves made before this was recorded.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-moved_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_phase=models.F("to_phase")), name="transition_changes_phase"),
            models.CheckConstraint(condition=~Q(reason=""), name="transition_has_reason"),
            models.CheckConstraint(
                condition=Q(from_phase__in=Phase.values) & Q(to_phase__in=Phase.values),
                name="transition_phases_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_from_phase_display()} → {self.get_to_phase_display()} ({self.date:%d %b %Y})"


class ClinicSweep(models.Model):
    """Where the periodic sweep of a clinic has got to (DESIGN 5): the next
    sweep re-evaluates only the patients whose record, flags or programme
    clock changed since. Only a sweep at the clinic's today writes it.

    A sweep split into batch tasks records itself as `run_*` first; the last
    batch to finish moves `swept_on`/`started_at` forward, so a lost batch
    leaves the mark where it was and the next sweep does its work again.
    """

    clinic = models.OneToOneField("patients.Clinic", on_delete=models.CASCADE, related_name="sweep")
    swept_on = models.DateField(null=True, blank=True, help_text="The clinic date of the last complete sweep.")
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last complete sweep began reading the record."
    )
    run_swept_on = models.DateField(null=True, blank=True)
    run_started_at = models.DateTimeField(null=True, blank=True)
    run_batches_left = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"{self.clinic_id} swept on {self.swept_on}"
