"""Measures and exit criteria as the clinic reads them: “20 min”, “4/10”,
“Yes”; a criterion as its target, “≤ 4/10”. One formatter for the library,
the patient page and the admin."""

from content.codes import Comparator
from content.measures import MEASURES


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
    return f"{value}{row.unit}" if row.unit.startswith("/") else f"{value} {row.unit}"


def criterion_target(measure: str, comparator: str, threshold: int) -> str:
    """“≤ 4/10”, “≥ 20 min”, or “Yes”/“No” for a yes/no measure."""
    if MEASURES[measure].is_bool:
        return format_measure(measure, bool(threshold))
    return f"{Comparator(comparator).label} {format_measure(measure, threshold)}"
