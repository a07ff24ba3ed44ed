"""Outcome questionnaires as content data (DESIGN.md §9), per clinic, and the
clinic's minimal detectable change for each performance test.

An instrument is rows, not code: its items, the answer options (the values an
item may take), how it is scored (mean, sum, or the sum converted by a table
copied from the instrument's primary scoring document, cited beside it), its
LOINC codes and its meaningful change. A clinic admin adds another instrument
(a licensed Oswestry Disability Index, say) in the admin; the one scoring
function (content.scoring.score_answers) reads it through `Instrument.spec()`.

The models are imported by content.models, so Django finds them there.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from content.codes import Comparator
from content.constraints import ReadableUniqueMessages
from content.display import number_text
from content.measures import MEASURES, OUTCOME_MEASURES, PERFORMANCE_TESTS
from content.scoring import InstrumentSpec, ScoringMethod


def loinc_check_digit(number: str) -> int:
    """The LOINC Mod 10 check digit of the part before the hyphen."""
    digits = number[::-1]
    doubled = str(int(digits[0::2][::-1]) * 2)
    total = sum(int(c) for c in doubled) + sum(int(c) for c in digits[1::2])
    return (10 - total % 10) % 10


def validate_loinc(value: str) -> None:
    if not value:
        return
    number, _, check = value.partition("-")
    if not (number.isdigit() and check.isdigit() and len(check) == 1 and len(number) <= 7):
        raise ValidationError("Enter a LOINC code like 82324-5: digits, a hyphen and a check digit.")
    if loinc_check_digit(number) != int(check):
        raise ValidationError(
            f"{value} is not a LOINC code: its check digit should be {loinc_check_digit(number)}."
        )


code_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{1,39}$",
    "Use lower-case letters, digits and underscores, starting with a letter, e.g. “odi”.",
)


class Instrument(ReadableUniqueMessages, models.Model):
    """A questionnaire: fixed items (KOOS JR) or activities the patient names (PSFS)."""

    Scoring = ScoringMethod

    # Indexed by the unique (clinic, code) below.
    clinic = models.ForeignKey("patients.Clinic", on_delete=models.CASCADE, related_name="instruments",
                               db_index=False)
    code = models.CharField(
        max_length=40, validators=[code_validator],
        help_text="Stable code used in imports and exports, e.g. “koos_jr”. Do not change it once used.",
    )
    name = models.CharField(max_length=120)
    patient_title = models.CharField(
        "title for patients", max_length=120, blank=True,
        help_text="What patients see it called, in plain words (for example “Questions about your knee”). "
                  "Empty: its name.",
    )
    instructions = models.TextField(blank=True, help_text="What the patient reads before the questions.")
    scoring = models.CharField(max_length=8, choices=ScoringMethod.choices, default=ScoringMethod.SUM)
    patient_named_items = models.BooleanField(
        "patient names the activities", default=False,
        help_text="Tick for an instrument like the PSFS: the patient names the activities, and later "
                  "administrations re-rate the same ones. Leave the items empty.",
    )
    min_items = models.PositiveSmallIntegerField(
        "fewest activities", null=True, blank=True, help_text="Only when the patient names the activities.",
    )
    max_items = models.PositiveSmallIntegerField(
        "most activities", null=True, blank=True, help_text="Only when the patient names the activities.",
    )
    higher_is_better = models.BooleanField(
        "a higher score is better", default=True,
        help_text="Untick when a lower score means fewer problems (for example a raw KOOS JR sum).",
    )
    meaningful_change = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))],
        help_text="The smallest change in the score that matters to a patient, in score points.",
    )
    meaningful_change_source = models.TextField(
        blank=True, help_text="Where the meaningful change comes from (required when one is set).",
    )
    conversion_source = models.TextField(
        "conversion table source", blank=True,
        help_text="The primary scoring document the conversion table is copied from (required for "
                  "table scoring). Never enter a table you cannot cite.",
    )
    loinc_panel = models.CharField("LOINC panel", max_length=10, blank=True, validators=[validate_loinc])
    loinc_score = models.CharField(
        "LOINC score", max_length=10, blank=True, validators=[validate_loinc],
        help_text="The LOINC code of the score as this instrument reports it.",
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    is_active = models.BooleanField(
        "in use", default=True, help_text="Untick to stop offering it; past administrations stay.",
    )
    scheduled = models.BooleanField(
        "asked on the schedule", default=True,
        help_text="Due for every patient at baseline, every 28 days and at discharge. Untick to keep it for "
                  "occasional use only (staff can still enter it from paper).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "code"], name="instrument_unique_code_per_clinic"),
            models.CheckConstraint(
                condition=Q(scoring__in=ScoringMethod.values), name="instrument_scoring_valid",
                violation_error_message="Choose how the questionnaire is scored: mean, sum or conversion table.",
            ),
            models.CheckConstraint(
                condition=~Q(scoring=ScoringMethod.TABLE) | ~Q(conversion_source=""),
                name="instrument_table_has_source",
                violation_error_message="Cite the primary scoring document the conversion table comes from.",
            ),
            models.CheckConstraint(
                condition=Q(meaningful_change__isnull=True) | ~Q(meaningful_change_source=""),
                name="instrument_meaningful_change_has_source",
                violation_error_message="Say where the meaningful change comes from.",
            ),
            models.CheckConstraint(
                condition=Q(patient_named_items=False)
                | Q(min_items__gte=1, max_items__isnull=False, max_items__gte=models.F("min_items")),
                name="instrument_named_items_counted",
                violation_error_message="Say how many activities the patient names: at least 1, and the most no fewer than the fewest.",
            ),
        ]

    unique_messages = {("clinic", "code"): "Your clinic already has a questionnaire with this code."}

    def __str__(self):
        return self.name

    @property
    def title_for_patients(self) -> str:
        """The name a patient reads on the portal: the plain title, or the name."""
        return self.patient_title or self.name

    def clean(self):
        errors = {}
        if self.code in MEASURES and self.code not in OUTCOME_MEASURES:
            # An exit criterion names its questionnaire by code, beside the measures' codes.
            errors["code"] = f"“{self.code}” is the code of a measure ({MEASURES[self.code].label}): choose another."
        if self.pk and not self.is_active:
            phases = sorted({c.phase.name for c in self.exit_criteria.select_related("phase")})
            if phases:
                errors["is_active"] = (f"{self.name} is an exit criterion of {' and '.join(phases)}: "
                                       "remove that criterion before retiring it.")
        if self.scoring == ScoringMethod.TABLE and not self.conversion_source.strip():
            errors["conversion_source"] = "Cite the primary scoring document the conversion table comes from."
        if self.meaningful_change is not None and not self.meaningful_change_source.strip():
            errors["meaningful_change_source"] = "Say where the meaningful change comes from."
        if self.patient_named_items:
            if not self.min_items:
                errors["min_items"] = "Say how many activities the patient names at least (1 or more)."
            elif not self.max_items or self.max_items < self.min_items:
                errors["max_items"] = "The most activities must be at least the fewest."
        if errors:
            raise ValidationError(errors)

    def criterion_problem(self, comparator: str, threshold) -> str:
        """Why "score `comparator` `threshold`" cannot be an exit criterion on
        this instrument, in words ("" when it can): the threshold must lie in
        the range its scores run, and point the way the score gets better —
        "at least" when a higher score is better, "at most" when lower is. A
        target every score meets is no criterion either."""
        score_range = self.spec().score_range()
        if score_range is None:
            return (f"{self.name} cannot be scored yet: give it its questions, answer options"
                    f"{' and conversion table' if self.scoring == ScoringMethod.TABLE else ''} first.")
        low, high = score_range
        if not low <= threshold <= high:
            return f"{self.name} scores run {number_text(low)}–{number_text(high)}; {threshold} is out of range."
        better, words = (Comparator.AT_LEAST, "at least") if self.higher_is_better else (Comparator.AT_MOST, "at most")
        if comparator != better:
            return (f"A {'higher' if self.higher_is_better else 'lower'} {self.name} score is better: "
                    f"choose {better.label} ({words}).")
        worst = low if self.higher_is_better else high
        if threshold == worst:
            return (f"Every {self.name} score is {words} {number_text(worst)}: "
                    "choose a target patients work towards.")
        return ""

    def spec(self) -> InstrumentSpec:
        """The instrument as plain data for `content.scoring.score_answers`
        (three queries, or none when items, options and table are prefetched)."""
        return InstrumentSpec(
            code=self.code,
            name=self.name,
            scoring=self.scoring,
            items=tuple(item.text for item in self.items.all()),
            options=tuple(sorted(option.value for option in self.options.all())),
            patient_named_items=self.patient_named_items,
            min_items=self.min_items or 0,
            max_items=self.max_items or 0,
            table={row.raw: row.score for row in self.conversion_rows.all()},
        )


class InstrumentItem(ReadableUniqueMessages, models.Model):
    """One question, in the instrument's order (answers are given in this order)."""

    # Indexed by the unique (instrument, order) below.
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items", db_index=False)
    order = models.PositiveSmallIntegerField()
    stem = models.CharField(
        max_length=300, blank=True,
        help_text="The question the item belongs to, e.g. “What amount of knee pain have you experienced "
                  "the last week during the following activities?”",
    )
    text = models.CharField(max_length=300)
    loinc = models.CharField("LOINC", max_length=10, blank=True, validators=[validate_loinc])

    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "order"], name="instrument_item_unique_order"),
        ]

    unique_messages = {("instrument", "order"): "Two questions have the same number: give each its own."}

    def __str__(self):
        return self.text


class AnswerOption(ReadableUniqueMessages, models.Model):
    """A value every item of the instrument may take, with its words
    (KOOS JR: 0 None … 4 Extreme; PSFS: 0 … 10)."""

    # Indexed by the unique (instrument, value) below.
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="options", db_index=False)
    value = models.SmallIntegerField()
    label = models.CharField(max_length=120, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "value"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "value"], name="answer_option_unique_value"),
        ]

    unique_messages = {("instrument", "value"): "Two answer options have the same value: give each its own."}

    def __str__(self):
        return f"{self.value} {self.label}".strip()


class ConversionRow(ReadableUniqueMessages, models.Model):
    """One row of a conversion table: raw sum → reported score."""

    # Indexed by the unique (instrument, raw) below.
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="conversion_rows", db_index=False,
    )
    raw = models.PositiveSmallIntegerField("raw score")
    score = models.DecimalField(max_digits=7, decimal_places=3)

    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "raw"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "raw"], name="conversion_row_unique_raw"),
        ]

    unique_messages = {("instrument", "raw"): "The conversion table has this raw score twice: keep one row per raw score."}

    def __str__(self):
        return f"{self.raw} → {self.score}"


PERFORMANCE_TEST_CHOICES = [(code, m.label) for code, m in PERFORMANCE_TESTS.items()]


class MinimalDetectableChange(ReadableUniqueMessages, models.Model):
    """The clinic's minimal detectable change of a performance test, with its
    source: a change counts as real only when it exceeds this (DESIGN 9)."""

    # Indexed by the unique (clinic, measure) below.
    clinic = models.ForeignKey("patients.Clinic", on_delete=models.CASCADE, related_name="detectable_changes",
                               db_index=False)
    measure = models.CharField(max_length=40, choices=PERFORMANCE_TEST_CHOICES)
    value = models.DecimalField(
        "minimal detectable change", max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="In the test's unit: stands for the chair stand, seconds for the Timed Up and Go.",
    )
    source = models.TextField(help_text="Where the value comes from: the study or guideline, with its year.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "measure"]
        verbose_name = "minimal detectable change"
        constraints = [
            models.UniqueConstraint(fields=["clinic", "measure"], name="mdc_unique_measure_per_clinic"),
            models.CheckConstraint(
                condition=Q(measure__in=list(PERFORMANCE_TESTS)), name="mdc_measure_valid",
                violation_error_message="Choose a performance test from the list.",
            ),
            models.CheckConstraint(
                condition=Q(value__gt=0), name="mdc_value_positive",
                violation_error_message="The minimal detectable change must be more than 0.",
            ),
            models.CheckConstraint(
                condition=~Q(source=""), name="mdc_source_given",
                violation_error_message="Say where the minimal detectable change comes from.",
            ),
        ]

    unique_messages = {("clinic", "measure"): "Your clinic already has a minimal detectable change for this test: edit that one."}

    def __str__(self):
        return f"{self.get_measure_display()}: {self.value} {PERFORMANCE_TESTS[self.measure].unit}"
