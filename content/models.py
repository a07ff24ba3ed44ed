"""The programme's content, per clinic: phases with their exit criteria, the
exercise library, each phase's template of exercises, and education articles.

A clinic gets the default programme when it is created (see
`content.services.clinic_programme_seed`); its clinic admins adjust it from there.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from content.codes import PHASE_ORDER, PROGRAMME_PHASE_CHOICES, Comparator
from content.constraints import ReadableUniqueMessages
from content.display import measure_name, out_of_range
from content.measures import CRITERION_MEASURE_CHOICES, CRITERION_MEASURES, MEASURES
from content.pictures import ExercisePictureField, exercise_picture_path, validate_exercise_picture


class Phase(ReadableUniqueMessages, models.Model):
    # Indexed by the unique (clinic, code) below.
    clinic = models.ForeignKey("patients.Clinic", on_delete=models.CASCADE, related_name="phases", db_index=False)
    code = models.CharField(max_length=16, choices=PROGRAMME_PHASE_CHOICES)
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    goal = models.CharField(max_length=300)
    typical_window = models.CharField(max_length=40, help_text="For example “Weeks 1–6”.")
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "order"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="phase_unique_code_per_clinic"),
            models.CheckConstraint(
                condition=Q(code__in=[phase.value for phase in PHASE_ORDER]), name="phase_code_valid",
                violation_error_message="Choose one of the programme's phases.",
            ),
        ]

    unique_messages = {("clinic", "code"): "This clinic already has this phase."}

    def __str__(self):
        return self.name


def _thresholds_within_limits() -> Q:
    """Each number measure's threshold within that measure's limits."""
    condition = Q()
    for code, measure in CRITERION_MEASURES.items():
        if not measure.is_bool:
            condition &= ~Q(measure=code) | Q(threshold__gte=measure.min, threshold__lte=measure.max)
    return condition


class ExitCriterion(ReadableUniqueMessages, models.Model):
    # Indexed by the unique (phase, measure) below.
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="exit_criteria", db_index=False)
    # What the criterion reads: a measure of the vocabulary, or a
    # questionnaire the clinic added itself (an Oswestry Disability Index,
    # say) — exactly one of the two. `measure` is null, not "", for a
    # questionnaire, so that (phase, measure) stays unique among the rest.
    # RESTRICT: a questionnaire a criterion reads cannot be deleted on its
    # own (the admin lists the criteria in the way), yet a clinic deleted
    # whole takes both with it.
    measure = models.CharField(max_length=40, choices=CRITERION_MEASURE_CHOICES, null=True, blank=True)  # noqa: DJ001
    instrument = models.ForeignKey(
        "content.Instrument", on_delete=models.RESTRICT, null=True, blank=True, related_name="exit_criteria",
        verbose_name="questionnaire",
        help_text="A questionnaire your clinic added; its latest score in this phase is compared.",
    )
    comparator = models.CharField(max_length=2, choices=Comparator.choices)
    # Signed: a hip extension target can be short of neutral (−5°).
    threshold = models.SmallIntegerField(
        help_text="Pain 0–10; minutes or seconds; degrees of hip extension (−30 to 30); "
                  "for yes/no measures 1 = yes, 0 = no."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "id"]
        verbose_name_plural = "exit criteria"
        constraints = [
            models.UniqueConstraint(fields=["phase", "measure"], name="criterion_unique_measure"),
            models.UniqueConstraint(fields=["phase", "instrument"], name="criterion_unique_instrument"),
            models.CheckConstraint(
                condition=Q(measure__isnull=False, instrument__isnull=True)
                | Q(measure__isnull=True, instrument__isnull=False),
                name="criterion_reads_one_measure",
                violation_error_message="Choose a measure or a questionnaire: one of the two.",
            ),
            models.CheckConstraint(
                condition=Q(measure__in=list(CRITERION_MEASURES)),
                name="criterion_measure_valid",
                violation_error_message="Choose a measure from the list.",
            ),
            models.CheckConstraint(
                condition=Q(comparator__in=Comparator.values),
                name="criterion_comparator_valid",
                violation_error_message="Choose how the result is compared: ≤, ≥ or =.",
            ),
            models.CheckConstraint(
                condition=~Q(measure__in=[code for code, m in CRITERION_MEASURES.items() if m.is_bool])
                | Q(comparator="==", threshold__lte=1),
                name="criterion_boolean_is_yes_or_no",
                violation_error_message="A yes/no measure is met by Yes or by No: choose one.",
            ),
            # A threshold no measurement can reach (or pass) is a typing slip.
            models.CheckConstraint(
                condition=_thresholds_within_limits(), name="criterion_threshold_within_limits",
                violation_error_message="The threshold is out of range for this measure.",
            ),
        ]

    unique_messages = {
        ("phase", "measure"): "A criterion for this measure already exists in this phase: change that one instead.",
        ("phase", "instrument"): "A criterion for this questionnaire already exists in this phase: change that one"
        " instead.",
    }

    def __str__(self):
        if self.measure in MEASURES and MEASURES[self.measure].is_bool:
            return f"{self.measure_label}: {'yes' if self.threshold else 'no'}"
        return f"{self.measure_label} {self.get_comparator_display()} {self.threshold}"

    @property
    def measure_label(self) -> str:
        """What the criterion reads, as the clinic names it: the measure's
        label, or the questionnaire's name."""
        return self.instrument.name if self.instrument_id else self.get_measure_display()

    @staticmethod
    def threshold_error(measure: str, comparator: str, threshold) -> str:
        """Why this target cannot be a criterion, in words ("" when it can)."""
        row = CRITERION_MEASURES.get(measure)
        if row is None or threshold is None:
            return ""
        if row.is_bool:
            if comparator != Comparator.EQUALS or threshold not in (0, 1):
                return f"{measure_name(measure)} is a yes/no measure: choose Yes or No."
            return ""
        return "" if row.contains(threshold) else out_of_range(measure, threshold)

    def clean(self):
        if self.instrument_id:
            self._clean_instrument()
            return
        error = self.threshold_error(self.measure, self.comparator, self.threshold)
        if error:
            raise ValidationError({"threshold": error})

    def _clean_instrument(self):
        """A questionnaire of the phase's own clinic, and a target its scores can meet."""
        instrument = self.instrument
        if self.phase_id and instrument.clinic_id != self.phase.clinic_id:
            raise ValidationError({"instrument": "Choose one of your clinic's questionnaires."})
        if self.measure:
            raise ValidationError({"instrument": "Choose a measure or a questionnaire: one of the two."})
        if self.comparator and self.threshold is not None:
            error = instrument.criterion_problem(self.comparator, self.threshold)
            if error:
                raise ValidationError({"threshold": error})


# An exercise code: lower-case words joined by hyphens, e.g. "heel-slides".
EXERCISE_CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def exercise_code_from(name: str, taken) -> str:
    """A new exercise's code: its name as a slug, made unique among `taken`
    (the clinic's codes) with a number ("heel-slides-2")."""
    max_length = Exercise._meta.get_field("code").max_length
    base = slugify(name)[: max_length - 4].strip("-") or "exercise"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


class Exercise(ReadableUniqueMessages, models.Model):
    # Indexed by the unique (clinic, name) below.
    clinic = models.ForeignKey("patients.Clinic", on_delete=models.CASCADE, related_name="exercises", db_index=False)
    name = models.CharField(max_length=120)
    # The exercise's stable code in the clinic: adherence marks name their
    # exercise by it in imports and exports (INTERCHANGE.md section 2), so it
    # never follows a rename. Given from the name when the exercise is
    # created; the admin shows it read-only.
    code = models.SlugField(
        max_length=120, editable=False, db_index=False,
        validators=[RegexValidator(EXERCISE_CODE_PATTERN, "Use lower-case letters, digits and hyphens.")],
        help_text="The exercise's fixed code, used in caseload files (imports and exports). "
                  "Made from the name when the exercise is created; it does not change when the name does.",
    )
    purpose = models.CharField(max_length=300, blank=True)
    instructions = models.TextField(help_text="One step per line.")
    dosage = models.CharField(max_length=160, help_text="Default dosage, e.g. “3 × 10, daily”.")
    cautions = models.TextField(blank=True)
    media_url = models.URLField(blank=True, help_text="Optional link to a video or picture.")
    picture = ExercisePictureField(
        upload_to=exercise_picture_path, blank=True, validators=[validate_exercise_picture],
        help_text="Optional: a JPEG, PNG or WebP picture of at most 5 MB, shown to patients on their page and "
                  "printout. It is made at most 1200 pixels across and stored without its metadata (camera, place).",
    )
    picture_alt = models.CharField(
        "picture description", max_length=200, blank=True,
        help_text="What the picture shows, for patients who cannot see it, e.g. “Lying on your back, "
                  "knees bent, lifting the hips off the bed”.",
    )
    is_active = models.BooleanField(
        default=True,
        help_text="Retired exercises stay in existing plans but are not offered for new ones.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="exercise_unique_name_per_clinic"),
            models.UniqueConstraint(fields=["clinic", "code"], name="exercise_unique_code_per_clinic"),
            models.CheckConstraint(
                condition=Q(code__regex=EXERCISE_CODE_PATTERN), name="exercise_code_valid",
                violation_error_message="An exercise code is lower-case words joined by hyphens, e.g. “heel-slides”.",
            ),
        ]

    unique_messages = {
        ("clinic", "code"): "Your clinic's library already has an exercise with this code.",
        ("clinic", "name"): "Your clinic's library already has an exercise with this name"
        " (perhaps retired): choose another name, or edit that one.",
    }

    def __str__(self):
        return self.name if self.is_active else f"{self.name} (retired)"

    def save(self, *args, **kwargs):
        if not self.code and self.clinic_id:
            taken = set(Exercise.objects.filter(clinic_id=self.clinic_id).values_list("code", flat=True))
            self.code = exercise_code_from(self.name, taken)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.picture and not self.picture_alt.strip():
            raise ValidationError({"picture_alt": "Describe the picture in a few words: patients who cannot see "
                                                  "it (screen readers, a failed download) read this instead."})

    @property
    def instruction_steps(self):
        return [line.strip() for line in self.instructions.splitlines() if line.strip()]


class PhaseTemplateItem(ReadableUniqueMessages, models.Model):
    # Indexed by the unique (phase, exercise) below.
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="template_items", db_index=False)
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="template_items")
    order = models.PositiveSmallIntegerField(default=0)
    dosage = models.CharField(
        max_length=160, blank=True, help_text="Leave blank to use the exercise's default dosage."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "exercise"], name="template_unique_exercise"),
        ]

    unique_messages = {("phase", "exercise"): "This exercise is already in this phase's template."}

    def __str__(self):
        return f"{self.phase}: {self.exercise.name}"

    @property
    def effective_dosage(self):
        return self.dosage or self.exercise.dosage


class ArticleSection(models.TextChoices):
    """Where an article appears on the patient's page. A stable code, so an
    admin can rename an article's slug or title without it dropping out."""

    DOS = "dos", "Do (things that help)"
    DONTS = "donts", "Don't (things to avoid)"
    SEEK_SAME_DAY_CARE = "seek_same_day_care", "When to get help quickly"
    GENERAL = "general", "About your recovery"


class EducationArticle(ReadableUniqueMessages, models.Model):
    AUDIENCES = (("patient", "Patients"), ("clinician", "Clinicians"))
    Section = ArticleSection

    # Indexed by the unique (clinic, slug) below.
    clinic = models.ForeignKey("patients.Clinic", on_delete=models.CASCADE, related_name="articles", db_index=False)
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=160)
    audience = models.CharField(max_length=10, choices=AUDIENCES, default="patient")
    section = models.CharField(
        max_length=20, choices=ArticleSection.choices, default=ArticleSection.GENERAL,
        help_text="Where patients see it on their page. Several articles may share a section.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    is_active = models.BooleanField(
        "shown", default=True, help_text="Untick to retire the article: patients no longer see it.",
    )
    body = models.TextField(help_text="Paragraphs separated by a blank line; lines starting “- ” are bullets.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["audience", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "slug"], name="article_unique_slug_per_clinic"),
            models.CheckConstraint(
                condition=Q(audience__in=["patient", "clinician"]), name="article_audience_valid",
                violation_error_message="Choose who the article is for: patients or clinicians.",
            ),
            models.CheckConstraint(
                condition=Q(section__in=ArticleSection.values), name="article_section_valid",
                violation_error_message="Choose where patients see the article.",
            ),
        ]

    unique_messages = {
        ("clinic", "slug"): "Another article of your clinic already has this slug (its short name in web"
        " addresses): choose another.",
    }

    def __str__(self):
        return self.title


# Outcome questionnaires and the performance tests' minimal detectable change
# (DESIGN 9) live in their own module; imported here so Django finds them.
from content.instruments import (  # noqa: E402, F401
    AnswerOption,
    ConversionRow,
    Instrument,
    InstrumentItem,
    MinimalDetectableChange,
)
