"""Clinics, their staff, patients and the clinical record: entries (visits and
portal self-reports) with pain scores and symptoms, assigned plans and portal
links. Integrity lives in the database: the CHECK and UNIQUE constraints below
hold whatever path writes the row (form, admin, import, shell).
"""

import uuid
import zoneinfo
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from content.codes import (
    PAIN_MAX,
    PAIN_MIN,
    AdherenceStatus,
    Context,
    EntryKind,
    Location,
    Phase,
    Side,
    Symptom,
)
from content.constraints import ReadableUniqueMessages
from content.flag_kinds import NO_FLAG_RANK
from content.measures import ENTRY_MEASURES, Measure

MEASURE_FIELDS = tuple(ENTRY_MEASURES)


class StaffHistoricalRecords(HistoricalRecords):
    """History of a staff account. A login (last_login) or a password change
    is not a change of the account's record: neither field is kept, and a save
    of only those fields writes no row."""

    UNTRACKED = frozenset({"password", "last_login"})

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= self.UNTRACKED:
            return
        super().post_save(instance, created, using=using, **kwargs)


def _valid(field, choices):
    """The CHECK that keeps `field` to the codes of a TextChoices."""
    return Q(**{f"{field}__in": choices.values})


def entry_date_problem(date, *, surgery_date, today) -> str | None:
    """Why no entry can be dated `date`: BEFORE_SURGERY, IN_FUTURE, or None.

    The one statement of the rule; the visit form, the model and the import
    each word it for their reader.
    """
    if surgery_date is not None and date < surgery_date:
        return BEFORE_SURGERY
    if date > today:
        return IN_FUTURE
    return None


BEFORE_SURGERY = "before_surgery"
IN_FUTURE = "in_future"


clinic_phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{4,}$", "Enter a phone number: digits, spaces and brackets, optionally starting with +.",
)
emergency_number_validator = RegexValidator(r"^[0-9]{2,6}$", "Enter the number only, for example 999 or 112.")


class Clinic(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    require_two_factor = models.BooleanField(
        "require two-factor sign-in", default=False,
        help_text="Staff must sign in with a code from an authenticator app as well as their password; "
                  "anyone not yet set up is asked to do so before anything else.",
    )
    phone = models.CharField(
        max_length=30, blank=True, validators=[clinic_phone_validator],
        help_text="The number patients call, shown on every page of their portal, e.g. “020 7946 0000”.",
    )
    address = models.TextField(blank=True, help_text="Shown to patients on their portal.")
    opening_hours = models.CharField(
        max_length=200, blank=True, help_text="For example “Monday to Friday, 8am to 6pm”.",
    )
    emergency_number = models.CharField(
        max_length=10, default="999", validators=[emergency_number_validator],
        help_text="The local emergency number patients are told to call: 999 in the UK, 112 in most of Europe.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.time_zone not in zoneinfo.available_timezones():
            raise ValidationError({"time_zone": f"“{self.time_zone}” is not a known time zone."})

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def phone_href(self):
        """The phone number as a tel: link, digits and a leading + only."""
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""

    def today(self):
        """Today's calendar date in the clinic's time zone: rules use clinic dates."""
        return timezone.now().astimezone(self.tz).date()

    def local_date(self, moment: datetime):
        return moment.astimezone(self.tz).date()


class User(AbstractUser):
    PHYSIO = "physio"
    CLINIC_ADMIN = "clinic_admin"
    ROLES = ((PHYSIO, "Physiotherapist"), (CLINIC_ADMIN, "Clinic admin"))

    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    role = models.CharField(max_length=20, choices=ROLES, blank=True)

    history = StaffHistoricalRecords(excluded_fields=sorted(StaffHistoricalRecords.UNTRACKED))

    class Meta:
        constraints = [
            # Clinic staff always have a role; only service operators (superusers
            # created with createsuperuser) stand outside any clinic.
            models.CheckConstraint(
                condition=Q(clinic__isnull=True, role="")
                | Q(clinic__isnull=False, role__in=["physio", "clinic_admin"]),
                name="user_clinic_staff_have_role",
                violation_error_message="Choose the person's role: physiotherapist or clinic admin.",
            ),
        ]

    @property
    def is_physio(self):
        return self.role == self.PHYSIO

    @property
    def is_clinic_admin(self):
        return self.role == self.CLINIC_ADMIN

    @property
    def display_name(self):
        return self.get_full_name() or self.username


class Patient(ReadableUniqueMessages, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: every index below starts with clinic_id.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients", db_index=False)
    ref = models.CharField("reference", max_length=40, help_text="The clinic's own patient reference.")
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    operated_side = models.CharField(max_length=5, choices=Side.choices)
    surgery_date = models.DateField(help_text="Date of the total knee replacement.")
    programme_start = models.DateField()
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.NORMALISE)
    physio = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patients",
        limit_choices_to={"role": User.PHYSIO},
    )
    email = models.EmailField(blank=True, help_text="Optional: where the portal link can be sent.")
    # The rank (content.flag_kinds) of the patient's most urgent open,
    # unacknowledged flag; NO_FLAG_RANK when none. Kept by the flag services
    # (rehab.flags) wherever a flag is raised, closed, reopened or
    # acknowledged, so the caseload sorts by an index, not by a subquery per
    # patient.
    urgency = models.PositiveSmallIntegerField(default=NO_FLAG_RANK, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["urgency"])

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "ref"], name="patient_unique_ref_per_clinic"),
            models.CheckConstraint(
                condition=_valid("phase", Phase), name="patient_phase_valid",
                violation_error_message="Choose one of the programme's phases.",
            ),
            models.CheckConstraint(
                condition=_valid("operated_side", Side), name="patient_side_valid",
                violation_error_message="Choose the operated side.",
            ),
            models.CheckConstraint(
                condition=Q(programme_start__gte=F("surgery_date")),
                name="patient_programme_starts_after_surgery",
                violation_error_message="The programme cannot start before the surgery date.",
            ),
            models.CheckConstraint(
                condition=Q(surgery_date__gt=F("date_of_birth")),
                name="patient_surgery_after_birth",
                violation_error_message="The surgery date must be after the date of birth.",
            ),
            models.CheckConstraint(
                condition=~Q(ref=""), name="patient_ref_not_blank",
                violation_error_message="Enter the clinic's reference for this patient.",
            ),
        ]
        # physio_id has the foreign key's own index. (clinic, id) lets the
        # sweep page through one clinic's patients by id (keyset_chunks).
        indexes = [
            models.Index(fields=["clinic", "phase"]),
            models.Index(fields=["clinic", "id"], name="patient_clinic_id_paging"),
            # The incremental sweep: patients edited since the last sweep, and
            # programmes crossing a date boundary (day 84, the start).
            models.Index(fields=["clinic", "updated_at"], name="patient_clinic_updated"),
            models.Index(fields=["clinic", "programme_start"], name="patient_clinic_start"),
            # The caseload's order: its first page is the head of this index.
            models.Index(fields=["clinic", "urgency", "family_name", "given_name", "ref"],
                         name="patient_caseload_order"),
        ]

    unique_messages = {("clinic", "ref"): "Another patient of this clinic already has this reference."}

    def __str__(self):
        return f"{self.full_name} ({self.ref})"

    def save(self, *args, **kwargs):
        # `urgency` belongs to the flag services: a form or the admin saving a
        # patient it loaded earlier must not write back a rank that a flag
        # raised or acknowledged since has changed.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [f.name for f in self._meta.concrete_fields
                                       if not f.primary_key and f.name != "urgency"]
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def is_active(self):
        return self.phase != Phase.DISCHARGED

    def clean(self):
        errors = {}
        if self.physio_id and self.clinic_id and self.physio.clinic_id != self.clinic_id:
            errors["physio"] = "The physiotherapist must work at the patient's clinic."
        if self.surgery_date and self.date_of_birth and self.surgery_date <= self.date_of_birth:
            errors["surgery_date"] = "The surgery date must be after the date of birth."
        if self.surgery_date and self.programme_start and self.programme_start < self.surgery_date:
            errors["programme_start"] = "The programme cannot start before the surgery."
        if errors:
            raise ValidationError(errors)

    def weeks_since(self, start, as_of):
        return max((as_of - start).days, 0) // 7


def _measure_field(measure: Measure) -> models.Field:
    if measure.is_bool:
        return models.BooleanField(measure.field_label, null=True, blank=True, help_text=measure.help_text)
    if measure.is_decimal:
        digits = len(str(int(measure.max))) + measure.decimals
        return models.DecimalField(
            measure.field_label, max_digits=digits, decimal_places=measure.decimals,
            null=True, blank=True, help_text=measure.help_text,
        )
    integer = models.PositiveSmallIntegerField if measure.min >= 0 else models.SmallIntegerField
    return integer(measure.field_label, null=True, blank=True, help_text=measure.help_text)


class EntryMeasures(models.Model):
    """One nullable column per measure recorded at a visit (content.measures,
    the rows with `on_entry`): a new measure there is a new column here after
    `makemigrations`."""

    class Meta:
        abstract = True


for _code, _measure in ENTRY_MEASURES.items():
    EntryMeasures.add_to_class(_code, _measure_field(_measure))


def _measures_within_limits() -> Q:
    condition = Q()
    for code, measure in ENTRY_MEASURES.items():
        if not measure.is_bool:
            condition &= Q(**{f"{code}__gte": measure.min, f"{code}__lte": measure.max})
    return condition


class Entry(EntryMeasures):
    """A visit recorded by a physio, or a self-report sent from the patient portal.

    Both carry pain scores and the red-flag checklist; only visits carry the
    functional measures (a CHECK keeps them empty on self-reports).
    """

    VISIT = EntryKind.VISIT
    SELF_REPORT = EntryKind.SELF_REPORT

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by (patient, kind, date) below, which also serves patient_id alone.
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="entries", db_index=False)
    kind = models.CharField(max_length=12, choices=EntryKind.choices, default=EntryKind.VISIT)
    date = models.DateField()
    ref = models.CharField(
        max_length=40, blank=True, help_text="Optional identifier from an imported file."
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The portal link a self-report was sent through: the portal's daily limit
    # and its same-report check count per link, in the database.
    portal_link = models.ForeignKey(
        "PortalLink", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="self_reports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The sweep re-evaluates every entry saved since it last ran (rehab.sweeps):
    # a task lost while Redis was down is caught up.
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(
                condition=_valid("kind", EntryKind), name="entry_kind_valid",
                violation_error_message="Choose whether this is a visit or a self-report.",
            ),
            models.CheckConstraint(
                condition=Q(kind=EntryKind.VISIT) | Q(**{f"{name}__isnull": True for name in MEASURE_FIELDS}),
                name="entry_self_report_has_no_measures",
                violation_error_message="A self-report holds no visit measurements.",
            ),
            # The limits of content.measures, whatever path writes the row.
            models.CheckConstraint(
                condition=_measures_within_limits(), name="entry_measures_plausible",
                violation_error_message="A measurement is out of range for its measure.",
            ),
            models.UniqueConstraint(
                fields=["patient", "kind", "date", "ref"],
                condition=~Q(ref=""),
                name="entry_unique_ref",
                violation_error_message="This patient already has an entry of this kind on this date"
                " with this reference.",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "kind", "date"]),
            # The sweep's two ways into the entries without reading them all:
            # those saved since it last ran (a handful), and the visits whose
            # date crosses the 28-day evidence window edge today.
            models.Index(fields=["updated_at"], name="entry_updated_at"),
            models.Index(fields=["date", "patient"], name="entry_visit_date", condition=Q(kind=EntryKind.VISIT)),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    def clean(self):
        if not (self.patient_id and self.date):
            return
        message = self.date_error(self.date, patient=self.patient)
        if message:
            raise ValidationError({"date": message})

    @staticmethod
    def date_error(date, *, patient: Patient) -> str | None:
        """What a physio reads when an entry cannot be dated `date`."""
        problem = entry_date_problem(date, surgery_date=patient.surgery_date, today=patient.clinic.today())
        if problem == BEFORE_SURGERY:
            return f"The date is before the surgery ({patient.surgery_date:%d %b %Y})."
        if problem == IN_FUTURE:
            return "The date is in the future."
        return None

    @property
    def measures(self):
        return {name: getattr(self, name) for name in MEASURE_FIELDS if getattr(self, name) is not None}


class PainScore(ReadableUniqueMessages, models.Model):
    # Indexed by the unique (entry, location, context) below.
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="pain_scores", db_index=False)
    location = models.CharField(max_length=20, choices=Location.choices)
    context = models.CharField(max_length=10, choices=Context.choices)
    score = models.SmallIntegerField(help_text="Numeric rating scale, 0 (no pain) to 10.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "location", "context"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=PAIN_MIN, score__lte=PAIN_MAX), name="pain_score_0_10",
                violation_error_message=f"Pain is scored {PAIN_MIN} to {PAIN_MAX}.",
            ),
            models.CheckConstraint(
                condition=_valid("location", Location), name="pain_location_valid",
                violation_error_message="Choose where it hurts from the list.",
            ),
            models.CheckConstraint(
                condition=_valid("context", Context), name="pain_context_valid",
                violation_error_message="Choose whether the pain is at rest or on activity.",
            ),
            models.UniqueConstraint(
                fields=["entry", "location", "context"], name="pain_one_score_per_location_context"
            ),
        ]

    unique_messages = {
        ("entry", "location", "context"): "This place already has a score for this context in this entry.",
    }

    def __str__(self):
        return f"{self.location}/{self.context}: {self.score}"


class EntrySymptom(ReadableUniqueMessages, models.Model):
    """One ticked item of the red-flag checklist."""

    # Indexed by the unique (entry, code) below.
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="symptoms", db_index=False)
    code = models.CharField(max_length=30, choices=Symptom.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "code"]
        constraints = [
            models.CheckConstraint(
                condition=_valid("code", Symptom), name="symptom_code_valid",
                violation_error_message="Choose a warning sign from the list.",
            ),
            models.UniqueConstraint(fields=["entry", "code"], name="symptom_once_per_entry"),
        ]

    unique_messages = {("entry", "code"): "This warning sign is already recorded in this entry."}

    def __str__(self):
        return self.get_code_display()


class AssignedPlanItem(ReadableUniqueMessages, models.Model):
    # Indexed by the unique (patient, exercise) below.
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="plan_items", db_index=False)
    exercise = models.ForeignKey("content.Exercise", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    dosage = models.CharField(max_length=160, blank=True)
    note = models.CharField("personal note", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["patient", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "exercise"], name="plan_exercise_once"),
        ]

    unique_messages = {("patient", "exercise"): "This exercise is already in the patient's plan."}

    def __str__(self):
        return self.exercise.name

    @property
    def effective_dosage(self):
        return self.dosage or self.exercise.dosage


class PortalLink(models.Model):
    """A patient's private link. Only a SHA-256 of the token is stored: the
    token itself is shown once, when the link is issued."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="portal_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="portal_link_expires_after_issue",
                violation_error_message="A portal link must expire after it is issued.",
            ),
            models.UniqueConstraint(
                fields=["patient"], condition=Q(revoked_at__isnull=True), name="portal_one_live_link",
                violation_error_message="This patient already has a live portal link: revoke it first.",
            ),
        ]

    def __str__(self):
        return f"Portal link for {self.patient.ref} (issued {self.created_at:%d %b %Y})"

    def is_usable(self, now=None):
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class AnsweredBy(models.TextChoices):
    PATIENT = "patient", "Patient (portal)"
    STAFF = "staff", "Staff (from paper)"


class OutcomeAdministration(ReadableUniqueMessages, models.Model):
    """One questionnaire administration (DESIGN 9, INTERCHANGE “OUTCOME”):
    the answers as given and the score they made (content.scoring), kept so
    that a later change to the instrument's table never rewrites the past.

    `answers` holds the item values in the instrument's item order; for an
    instrument whose activities the patient names (PSFS), `activities` holds
    [{"activity": name, "score": value}] instead. Write through
    patients.outcomes.record_outcome, which validates and scores."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexed by the unique (patient, instrument, date) below.
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="outcomes", db_index=False)
    instrument = models.ForeignKey("content.Instrument", on_delete=models.PROTECT, related_name="administrations")
    date = models.DateField()
    by = models.CharField("answered by", max_length=8, choices=AnsweredBy.choices)
    answers = models.JSONField(default=list, blank=True)
    activities = models.JSONField(default=list, blank=True)
    raw = models.PositiveSmallIntegerField("raw score", null=True, blank=True)
    score = models.DecimalField(max_digits=7, decimal_places=3)
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["patient", "date", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=_valid("by", AnsweredBy), name="outcome_by_valid",
                violation_error_message="Say who answered: the patient or staff.",
            ),
            # Exactly one of answers (fixed items) and activities (PSFS) holds the responses.
            models.CheckConstraint(
                condition=(Q(answers=[]) & ~Q(activities=[])) | (~Q(answers=[]) & Q(activities=[])),
                name="outcome_answers_or_activities",
                violation_error_message="Give either the answers to the questions or the rated activities, not both.",
            ),
            models.UniqueConstraint(fields=["patient", "instrument", "date"], name="outcome_once_per_day"),
        ]

    unique_messages = {("patient", "instrument", "date"): "This questionnaire is already recorded for the patient on this day."}

    def __str__(self):
        return f"{self.instrument} {self.date:%Y-%m-%d}: {self.score.normalize():f}"

    def clean(self):
        errors = {}
        if self.patient_id and self.instrument_id and self.instrument.clinic_id != self.patient.clinic_id:
            errors["instrument"] = "The questionnaire must be one of the patient's clinic."
        if self.patient_id and self.date:
            message = Entry.date_error(self.date, patient=self.patient)
            if message:
                errors["date"] = message
        if errors:
            raise ValidationError(errors)


class AdherenceMark(ReadableUniqueMessages, models.Model):
    """An exercise of the plan the patient marked on the portal for a day:
    done, too hard or it hurt (DESIGN 9). One mark per exercise per day:
    marking again changes the day's mark; undoing deletes it (its history stays).
    """

    # Indexed by the unique (patient, date, exercise) below, which also serves
    # a patient's marks over a range of days.
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adherence_marks", db_index=False)
    exercise = models.ForeignKey("content.Exercise", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(help_text="The day in the clinic's time zone.")
    status = models.CharField(max_length=10, choices=AdherenceStatus.choices, default=AdherenceStatus.DONE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "exercise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "date", "exercise"], name="adherence_one_mark_per_exercise_per_day"
            ),
            models.CheckConstraint(
                condition=_valid("status", AdherenceStatus), name="adherence_status_valid",
                violation_error_message="Choose done, too hard or it hurt.",
            ),
        ]

    unique_messages = {
        ("patient", "date", "exercise"): "This exercise already has a mark on this day.",
    }

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_status_display()}"
