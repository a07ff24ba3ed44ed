"""Small presentation pieces of the workspace. They only format what the view
already loaded: no queries here."""

from django import template

from content.codes import Phase
from content.display import criterion_target as format_criterion_target
from content.display import label_of
from content.flag_kinds import FlagCode, Severity

register = template.Library()

TREND_MARKS = {
    "up": ("▲", "worse than the visit before", "text-danger"),
    "down": ("▼", "better than the visit before", "text-success"),
    "same": ("▬", "same as the visit before", "text-body-secondary"),
}


@register.inclusion_tag("rehab/includes/flag_badge.html")
def flag_badge(flag):
    return {
        "flag": flag,
        "label": label_of(FlagCode, flag.code),
        "severity_label": label_of(Severity, flag.severity),
    }


@register.inclusion_tag("rehab/includes/pain_reading.html")
def pain_reading(reading):
    mark = TREND_MARKS.get(reading.trend)
    return {"reading": reading, "mark": mark}


@register.inclusion_tag("rehab/includes/phase_badge.html")
def phase_badge(phase):
    return {"phase": phase, "label": label_of(Phase, phase)}


@register.filter
def phase_label(phase):
    return label_of(Phase, phase)


@register.filter
def severity_label(severity):
    return label_of(Severity, severity)


@register.filter
def criterion_target(criterion):
    """An ExitCriterion as the clinic reads it: “≤ 4/10”, “≥ 20 min”, “Yes”."""
    return format_criterion_target(criterion.measure, criterion.comparator, criterion.threshold)


@register.filter
def waited(hours):
    """A wait in hours as a clinic reads it: “25 minutes”, “4.5 hours”, “3.2 days”."""
    if hours is None:
        return "—"
    if hours < 1:
        minutes = round(hours * 60)
        return "under a minute" if minutes < 1 else f"{minutes} minute{'s' if minutes != 1 else ''}"
    if hours < 48:
        text = f"{hours:.1f}".removesuffix(".0")
        return f"{text} hour{'s' if text != '1' else ''}"
    return f"{hours / 24:.1f} days"
