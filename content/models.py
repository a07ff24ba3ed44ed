"""The programme's content, per clinic: phases with their exit criteria, the
exercise library, each phase's template of exercises, and education articles.

A clinic gets the default programme when it is created (see
`content.services.clinic_programme_seed`); its clinic admins adjust it from there.
"""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from content.codes import PHASE_ORDER, PROGRAMME_PHASE_CHOICES, Comparator
from content.measures import CRITERION_MEASURE_CHOICES, CRITERION_MEASURES, MEASURES


class Phase(models.Model):
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
                condition=Q(code__in=[phase.value for phase in PHASE_ORDER]), name="phase_code_valid"
            ),
        ]

    def __str__(self):
        return self.name


def _thresholds_within_limits() -> Q:
    """Each number measure's threshold within that measure's limits."""
    condition = Q()
    for code, measure in CRITERION_MEASURES.items():
        if not measure.is_bool:
            condition &= ~Q(measure=code) | Q(threshold__gte=measure.min, threshold__lte=measure.max)
    return condition


class ExitCriterion(models.Model):
    # Indexed by the unique (phase, measure) below.
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="exit_criteria", db_index=False)
    measure = models.CharField(max_length=40, choices=CRITERION_MEASURE_CHOICES)
    comparator = models.CharField(max_length=2, choices=Comparator.choices)
    threshold = models.PositiveSmallIntegerField(
        help_text="Pain 0–10; minutes or seconds; for yes/no measures 1 = yes, 0 = no."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "id"]
        verbose_name_plural = "exit criteria"
        constraints = [
            models.UniqueConstraint(fields=["phase", "measure"], name="criterion_unique_measure"),
            models.CheckConstraint(
                condition=Q(measure__in=list(CRITERION_MEASURES)),
                name="criterion_measure_valid",
            ),
            models.CheckConstraint(
                condition=Q(comparator__in=Comparator.values),
                name="criterion_comparator_valid",
            ),
            models.CheckConstraint(
                condition=~Q(measure__in=[code for code, m in CRITERION_MEASURES.items() if m.is_bool])
                | Q(comparator="==", threshold__lte=1),
                name="criterion_boolean_is_yes_or_no",
            ),
            # A threshold no measurement can reach (or pass) is a typing slip.
            models.CheckConstraint(
                condition=_thresholds_within_limits(), name="criterion_threshold_within_limits",
            ),
        ]

    def __str__(self):
        if self.measure in MEASURES and MEASURES[self.measure].is_bool:
            return f"{self.get_measure_display()}: {'yes' if self.threshold else 'no'}"
        return f"{self.get_measure_display()} {self.get_comparator_display()} {self.threshold}"


class Exercise(models.Model):
    # Indexed by the unique (clinic, name) below.
    clinic = models.ForeignKey("patients.Clinic", on_delete=models.CASCADE, related_name="exercises", db_index=False)
    name = models.CharField(max_length=120)
    purpose = models.CharField(max_length=300, blank=True)
    instructions = models.TextField(help_text="One step per line.")
    dosage = models.CharField(max_length=160, help_text="Default dosage, e.g. “3 × 10, daily”.")
    cautions = models.TextField(blank=True)
    media_url = models.URLField(blank=True, help_text="Optional link to a video or picture.")
    is_active = models.BooleanField(
        default=True,
        help_text="Retired exercises stay in existing plans but are not offered for new ones.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="exercise_unique_name_per_clinic"),
        ]

    def __str__(self):
        return self.name if self.is_active else f"{self.name} (retired)"

    @property
    def instruction_steps(self):
        return [line.strip() for line in self.instructions.splitlines() if line.strip()]


class PhaseTemplateItem(models.Model):
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


class EducationArticle(models.Model):
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
                condition=Q(audience__in=["patient", "clinician"]), name="article_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(section__in=ArticleSection.values), name="article_section_valid"
            ),
        ]

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
