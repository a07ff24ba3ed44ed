"""What a physio measures at a visit, and what an exit criterion can test
(DESIGN.md sections 1 and 3): one row per measure, with its unit and limits.

The limits are the only ones: the visit form's bounds, the import schema's,
the database's CHECK constraints on entries and on exit-criterion thresholds
all read them from here. The `Entry` model's measure fields are generated
from the rows with `on_entry` (patients.models.EntryMeasures), so a new
measure is a row here plus `makemigrations`; a criterion measure that is not
on the entry (the pain values) is computed by the rules
(rehab/rules/criteria.py `measure_value`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models

from content.codes import PAIN_MAX, PAIN_MIN, choices_from, table

# A day in minutes and an hour in seconds: no test runs longer, so a larger
# value is a typing slip, not a measurement.
MAX_MINUTES = 24 * 60
MAX_SECONDS = 60 * 60
DEGREES = "°"


class MeasureKind(models.TextChoices):
    MINUTES = "minutes", "minutes"
    SECONDS = "seconds", "seconds"
    BOOL = "bool", "yes or no"
    SCORE = "score", "score"
    COUNT = "count", "count"
    # A questionnaire's score (content.instruments), read from the patient's
    # administrations of that instrument, never typed in at a visit.
    OUTCOME = "outcome", "questionnaire score"


@dataclass(frozen=True)
class Measure:
    code: str
    label: str  # how forms, the criteria table and the record name it
    kind: MeasureKind
    unit: str  # as printed after a value: “20 min”, “4/10”
    min: int | Decimal
    max: int | Decimal
    on_entry: bool = True  # recorded at a visit (a field of Entry)
    criterion: bool = True  # may be an exit criterion
    field_label: str = ""  # the Entry field's verbose name (history, admin)
    help_text: str = ""
    # Digits after the decimal point: 0 stores a whole number; 1 stores
    # tenths (a decimal column, a decimal form field, a decimal in exports).
    decimals: int = 0
    # A performance test (DESIGN 9): its change is judged against the
    # clinic's minimal detectable change (content.PerformanceTestSetting),
    # whose default and source are these.
    mdc_default: Decimal | None = None
    mdc_source: str = ""
    higher_is_better: bool = True

    @property
    def is_bool(self) -> bool:
        return self.kind == MeasureKind.BOOL

    @property
    def is_decimal(self) -> bool:
        return self.decimals > 0

    @property
    def is_performance_test(self) -> bool:
        return self.mdc_default is not None

    @property
    def is_outcome(self) -> bool:
        return self.kind == MeasureKind.OUTCOME

    @property
    def step(self) -> Decimal | int:
        """The smallest difference recorded: 1, or 0.1 for tenths."""
        return Decimal(1).scaleb(-self.decimals) if self.decimals else 1

    def contains(self, value) -> bool:
        return self.min <= value <= self.max

    @property
    def range_text(self) -> str:
        """“0 to 40 stands”, “1.0 to 120.0 s”: the limits as a reader sees them."""
        if self.unit.startswith("/"):
            return f"{self.min} to {self.max}"
        if self.unit == DEGREES:
            return f"{self.min}{DEGREES} to {self.max}{DEGREES}"
        return f"{self.min} to {self.max} {self.unit}".strip()

    def with_unit(self, text: str) -> str:
        """A value's text with the unit as it is printed: “4/10”, “12°”, “20 min”."""
        if not self.unit:
            return text
        return f"{text}{self.unit}" if self.unit.startswith("/") or self.unit == DEGREES else f"{text} {self.unit}"

    def value_problem(self, value) -> str | None:
        """Why `value` cannot be recorded for this measure, or None: the one
        statement of the limits and the precision, worded for forms and
        imports alike. Yes/no measures take a bool."""
        if self.is_bool:
            return None if isinstance(value, bool) else "must be yes or no"
        if isinstance(value, bool):
            return f"must be a number from {self.range_text}"
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return f"must be a number from {self.range_text}"
        if not number.is_finite():
            return f"must be a number from {self.range_text}"
        if number != number.quantize(Decimal(1).scaleb(-self.decimals)):
            if self.decimals:
                return f"is recorded to {self.decimals} decimal place ({self.range_text})"
            return f"must be a whole number ({self.range_text})"
        if not self.contains(number):
            return f"must be from {self.range_text}"
        return None


def _minutes(code, label, field_label, **extra):
    return Measure(code, label, MeasureKind.MINUTES, "min", 0, MAX_MINUTES, field_label=field_label, **extra)


def _outcome(code, label, lowest, highest):
    """An instrument's score as an exit-criterion measure (content.instruments):
    the limits cover what the instrument can score, whatever its scoring."""
    return Measure(code, label, MeasureKind.OUTCOME, "", lowest, highest, on_entry=False)


def _yes_no(code, label, field_label):
    return Measure(code, label, MeasureKind.BOOL, "", 0, 1, field_label=field_label)


MEASURES = table((
    _minutes("standing_tolerance_min", "Standing tolerance without back pain increase (min)",
             "standing tolerance (min)",
             help_text="Minutes standing without a significant increase in back pain."),
    _minutes("walk_without_limp_min", "Walk without visible limp (min)", "walk without visible limp (min)"),
    Measure("glute_bridge_hold_s", "Glute bridge hold (s)", MeasureKind.SECONDS, "s", 0, MAX_SECONDS,
            field_label="glute bridge hold (s)"),
    _yes_no("glute_bridge_lumbar_substitution", "Lumbar substitution in glute bridge",
            "lumbar substitution during the bridge"),
    _minutes("continuous_walk_min", "Continuous walking (min)", "continuous walk (min)"),
    _yes_no("gait_symmetric_video", "Symmetric gait on video", "symmetric gait on video"),
    # Restoring it is Normalise's primary goal (DESIGN 1, 3): a clinic admin
    # may make it an exit criterion. Negative: short of neutral.
    Measure("hip_extension_deg", "Passive hip extension, operated side (°)", MeasureKind.SCORE, "°", -30, 30,
            field_label="passive hip extension, operated side (°)",
            help_text="Modified Thomas test, in degrees: negative when the thigh stays above neutral "
                      "(a hip flexion contracture), positive beyond it."),
    # Performance tests (DESIGN 9): the minimal detectable change defaults
    # are the clinic's starting setting (content.PerformanceTestSetting).
    Measure("chair_stand_30s", "30-second chair stand (stands)", MeasureKind.COUNT, "stands", 0, 40,
            field_label="30-second chair stand (full stands)",
            help_text="Full stands from a chair, arms folded, in 30 seconds.",
            mdc_default=Decimal("2"),
            mdc_source="2 stands: Kinetic's starting value. Replace it with the value your clinic uses "
                       "and cite its source."),
    Measure("tug_s", "Timed Up and Go (s)", MeasureKind.SECONDS, "s", Decimal("1.0"), Decimal("120.0"),
            field_label="Timed Up and Go (s)", decimals=1, higher_is_better=False,
            help_text="Seconds to stand, walk 3 m, turn, walk back and sit, to one decimal.",
            mdc_default=Decimal("1.1"),
            mdc_source="1.1 s: Kinetic's starting value. Replace it with the value your clinic uses "
                       "and cite its source."),
    # Computed from the entry's pain scores (DESIGN 3), never typed in.
    Measure("activity_pain", "Back/hip pain on activity (0-10)", MeasureKind.SCORE, "/10", PAIN_MIN, PAIN_MAX,
            on_entry=False),
    Measure("rest_pain", "Back/hip pain at rest (0-10)", MeasureKind.SCORE, "/10", PAIN_MIN, PAIN_MAX,
            on_entry=False),
    # Questionnaire scores (DESIGN 9), from the patient's latest administration
    # of the instrument with this code (content.instruments).
    _outcome("psfs", "PSFS score (mean, 0-10)", 0, 10),
    _outcome("koos_jr", "KOOS JR score", 0, 100),
    _outcome("hoos_jr", "HOOS JR score", 0, 100),
))
MeasureCode = choices_from("MeasureCode", MEASURES)

ENTRY_MEASURES = {code: m for code, m in MEASURES.items() if m.on_entry}
CRITERION_MEASURES = {code: m for code, m in MEASURES.items() if m.criterion}
CRITERION_MEASURE_CHOICES = [(code, m.label) for code, m in CRITERION_MEASURES.items()]
PERFORMANCE_TESTS = {code: m for code, m in MEASURES.items() if m.is_performance_test}
OUTCOME_MEASURES = {code: m for code, m in MEASURES.items() if m.is_outcome}


def json_value(value):
    """A measure's value as JSON holds it: whole numbers and yes/no as they
    are, a decimal (Timed Up and Go, a questionnaire score) as a number."""
    return float(value) if isinstance(value, Decimal) else value
