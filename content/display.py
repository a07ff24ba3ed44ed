"""Measures and exit criteria as the clinic reads them: “20 min”, “4/10”,
“Yes”; a criterion as its target, “≤ 4/10”. One formatter for the library,
the patient page and the admin."""

from decimal import Decimal

from content.codes import Comparator
from content.measures import DEGREES, MEASURES, MeasureKind


def label_of(choices, code: str) -> str:
    """The label of `code` in a TextChoices, or the code itself if it is not
    (or no longer) one of them."""
    try:
        return choices(code).label
    except ValueError:
        return code


def format_measure(measure: str, value) -> str:
    if value is None:
        return "—"
    row = MEASURES[measure]
    if row.is_bool:
        return "Yes" if value else "No"
    return row.with_unit(number_text(value, row.decimals))


def number_text(value, decimals: int = 0) -> str:
    """A number as a reader sees it: “12.4” to its precision, a score without
    trailing zeros (“4.67”, “15”)."""
    if decimals:
        return f"{Decimal(str(value)):.{decimals}f}"
    if isinstance(value, Decimal | float):
        text = f"{Decimal(str(value)).quantize(Decimal('0.01')):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def criterion_target(measure: str, comparator: str, threshold: int) -> str:
    """“≤ 4/10”, “≥ 20 min”, or “Yes”/“No” for a yes/no measure."""
    if MEASURES[measure].is_bool:
        return format_measure(measure, bool(threshold))
    return f"{Comparator(comparator).label} {format_measure(measure, threshold)}"


def questionnaire_target(comparator: str, threshold: int) -> str:
    """“≥ 40”: the target of a criterion on a questionnaire the clinic added
    (a score, with no unit)."""
    return f"{Comparator(comparator).label} {number_text(threshold)}"


def score_text(value) -> str:
    """A questionnaire score as read, “—” when there is none."""
    return "—" if value is None else number_text(value)


def measure_name(measure: str) -> str:
    """A measure's label without its unit in brackets: “Back/hip pain on
    activity”, for sentences that give the unit themselves."""
    label = MEASURES[measure].label
    return label.rsplit(" (", 1)[0] if label.endswith(")") else label


def measure_range(measure: str) -> str:
    """“is scored 0–10”, “is 0–1440 minutes”: the limits of measures.py in words."""
    row = MEASURES[measure]
    if row.unit == DEGREES:
        return f"is {row.range_text}"
    if row.kind == MeasureKind.SCORE:
        return f"is scored {row.min}–{row.max}"
    if row.kind in (MeasureKind.MINUTES, MeasureKind.SECONDS):
        return f"is {row.min}–{row.max} {row.kind.label}"
    return f"goes from {row.min} to {row.max}"


def out_of_range(measure: str, value) -> str:
    """“Back/hip pain on activity is scored 0–10; 12 is out of range.”"""
    return f"{measure_name(measure)} {measure_range(measure)}; {value} is out of range."
