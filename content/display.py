"""Measures and exit criteria as the clinic reads them: “20 min”, “4/10”,
“Yes”; a criterion as its target, “≤ 4/10”. One formatter for the library,
the patient page and the admin."""

from content import codes

UNITS = {codes.MINUTES: "min", codes.SECONDS: "s", codes.SCORE: "/10"}
COMPARATOR_LABELS = dict(codes.COMPARATORS)


def format_measure(measure: str, value) -> str:
    if value is None:
        return "—"
    kind = codes.CRITERION_MEASURE_KINDS[measure]
    if kind == codes.BOOL:
        return "Yes" if value else "No"
    unit = UNITS[kind]
    return f"{value}{unit}" if unit == "/10" else f"{value} {unit}"


def criterion_target(measure: str, comparator: str, threshold: int) -> str:
    """“≤ 4/10”, “≥ 20 min”, or “Yes”/“No” for a yes/no measure."""
    if codes.CRITERION_MEASURE_KINDS[measure] == codes.BOOL:
        return format_measure(measure, bool(threshold))
    return f"{COMPARATOR_LABELS[comparator]} {format_measure(measure, threshold)}"
