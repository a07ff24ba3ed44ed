"""The caseload's badges (rehab/templatetags/kinetic.py): what a physio reads
in a row — phase, pain with its trend, each flag with its severity."""

from django.template import Context, Template

from rehab.models import Flag
from rehab.workspace.selectors import PainReading


def render(source, **context):
    return Template("{% load kinetic %}" + source).render(Context(context))


def test_phase_badge_names_the_phase():
    assert render("{% phase_badge 'rebuild' %}") == '<span class="phase-badge phase-rebuild">Rebuild</span>'


def test_pain_reading_shows_the_value_and_the_trend_against_the_visit_before():
    assert render("{% pain_reading r %}", r=PainReading(value=6, previous=4)) == (
        '<span class="fw-semibold">6</span> <span class="text-danger" title="worse than the visit before (4)" '
        'aria-label="worse than the visit before (4)">▲</span>')
    assert render("{% pain_reading r %}", r=PainReading(value=3)) == '<span class="fw-semibold">3</span>'
    assert "Not recorded" in render("{% pain_reading r %}", r=PainReading())


def test_flag_badge_gives_the_severity_and_escapes_the_message():
    flag = Flag(code="dvt_signs", severity="same_day", message='Calf <swelling> & "warmth"')
    html = render("{% flag_badge f %}", f=flag)
    assert html.startswith('<span class="badge badge-same_day" title="Same day: Calf &lt;swelling&gt; &amp; '
                           '&quot;warmth&quot;"><span class="visually-hidden">Same day: </span>')
    assert "<swelling>" not in html
