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

from django.db import models

from content.codes import PAIN_MAX, PAIN_MIN, choices_from, table

# A day in minutes and an hour in seconds: no test runs longer, so a larger
# value is a typing slip, not a measurement.
MAX_MINUTES = 24 * 60
MAX_SECONDS = 60 * 60


class MeasureKind(models.TextChoices):
    MINUTES = "minutes", "minutes"
    SECONDS = "seconds", "seconds"
    BOOL = "bool", "yes or no"
    SCORE = "score", "score"


@dataclass(frozen=True)
class Measure:
    code: str
    label: str  # how forms, the criteria table and the record name it
    kind: MeasureKind
    unit: str  # as printed after a value: “20 min”, “4/10”
    min: int
    max: int
    on_entry: bool = True  # recorded at a visit (a field of Entry)
    criterion: bool = True  # may be an exit criterion
    field_label: str = ""  # the Entry field's verbose name (history, admin)
    help_text: str = ""

    @property
    def is_bool(self) -> bool:
        return self.kind == MeasureKind.BOOL

    def contains(self, value: int) -> bool:
        return self.min <= value <= self.max


def _minutes(code, label, field_label, **extra):
    return Measure(code, label, MeasureKind.MINUTES, "min", 0, MAX_MINUTES, field_label=field_label, **extra)


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
    # Computed from the entry's pain scores (DESIGN 3), never typed in.
    Measure("activity_pain", "Back/hip pain on activity (0-10)", MeasureKind.SCORE, "/10", PAIN_MIN, PAIN_MAX,
            on_entry=False),
    Measure("rest_pain", "Back/hip pain at rest (0-10)", MeasureKind.SCORE, "/10", PAIN_MIN, PAIN_MAX,
            on_entry=False),
))
MeasureCode = choices_from("MeasureCode", MEASURES)

ENTRY_MEASURES = {code: m for code, m in MEASURES.items() if m.on_entry}
CRITERION_MEASURES = {code: m for code, m in MEASURES.items() if m.criterion}
CRITERION_MEASURE_CHOICES = [(code, m.label) for code, m in CRITERION_MEASURES.items()]
