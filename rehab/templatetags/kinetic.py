"""Small presentation pieces of the workspace. They only format what the view
already loaded: no queries here."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from content.codes import Phase
from content.display import criterion_target as format_criterion_target
from content.display import label_of, questionnaire_target
from content.flag_kinds import FlagCode, Severity

register = template.Library()

TREND_MARKS = {
    "up": ("▲", "worse than the visit before", "text-danger"),
    "down": ("▼", "better than the visit before", "text-success"),
    "same": ("▬", "same as the visit before", "text-body-secondary"),
}


# Simple tags, not inclusion tags: the caseload draws dozens of these a page,
# and a template render each cost more than the rest of the row.

@register.simple_tag
def flag_badge(flag):
    label, severity_label = label_of(FlagCode, flag.code), label_of(Severity, flag.severity)
    return format_html('<span class="badge badge-{}" title="{}: {}"><span class="visually-hidden">{}: </span>{}</span>',
                       flag.severity, severity_label, flag.message, severity_label, label)


@register.simple_tag
def pain_reading(reading):
    if reading.value is None:
        return mark_safe('<span class="text-body-secondary" title="Not recorded">—</span>')
    # Each context's latest score may come from a different visit: the cell says which.
    if reading.date:
        value = format_html('<span class="fw-semibold" title="at the visit of {} {}">{}</span>',
                            reading.date.day, f"{reading.date:%b %Y}", reading.value)
    else:
        value = format_html('<span class="fw-semibold">{}</span>', reading.value)
    mark = TREND_MARKS.get(reading.trend)
    if not mark:
        return value
    symbol, words, css = mark
    return format_html('{} <span class="{}" title="{} ({})" aria-label="{} ({})">{}</span>',
                       value, css, words, reading.previous, words, reading.previous, symbol)


@register.simple_tag
def phase_badge(phase):
    return format_html('<span class="phase-badge phase-{}">{}</span>', phase, label_of(Phase, phase))


@register.filter
def phase_label(phase):
    return label_of(Phase, phase)


@register.filter
def severity_label(severity):
    return label_of(Severity, severity)


@register.filter
def criterion_target(criterion):
    """An ExitCriterion as the clinic reads it: “≤ 4/10”, “≥ 20 min”, “Yes”;
    “≥ 40” on a questionnaire the clinic added."""
    if criterion.instrument_id:
        return questionnaire_target(criterion.comparator, criterion.threshold)
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
