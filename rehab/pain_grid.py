"""The pain grid's form fields, shared by the visit form and the portal's
self-report: one field per (location, context), blank meaning not answered."""

from content.codes import CONTEXTS, LOCATIONS
from rehab import rules


def pain_field_name(location: str, context: str) -> str:
    return f"pain_{location}_{context}"


def pain_scores(cleaned_data) -> list[rules.PainScore]:
    """The scores filled in, in the grid's order (location, then context)."""
    return [
        rules.PainScore(location, context, cleaned_data[pain_field_name(location, context)])
        for location in LOCATIONS
        for context in CONTEXTS
        if cleaned_data.get(pain_field_name(location, context)) is not None
    ]
