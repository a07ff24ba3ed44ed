"""The caseload's table rows and filter menus as HTML, built in Python.

A caseload page draws 25 rows of eight cells (badges, dates, pain with its
trend, adherence, flags) and four filter menus of some forty options. Drawn
by the template language, looping and resolving each variable, that was a
third of the page's time, more than the admin's whole changelist (issue 13);
here each row is one format string, and what repeats (the URL, month names,
phase badges, pain readings) is worked out once a page. The markup is what
templates/rehab/caseload.html drew, and the badges are the same functions as
the template tags of rehab/templatetags/kinetic.py, so the two never differ.
Every text from the records is escaped.
"""

import uuid
from html import escape

from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from rehab.templatetags.kinetic import flag_badge, pain_reading, phase_badge
from rehab.workspace.selectors import CaseloadRow

ROW = (
    '<tr class="urgency-{urgency}">\n'
    '      <th scope="row" data-label="Patient">\n'
    '        <a class="fw-semibold" href="{url}">{family_name}, {given_name}</a>\n'
    '        <div class="small text-body-secondary fw-normal">{ref}{physio}</div>\n'
    "        {self_report}\n"
    "      </th>\n"
    '      <td data-label="Phase">{phase}</td>\n'
    '      <td data-label="Weeks (surgery / programme)" class="text-nowrap"><span>'
    '<span title="weeks since surgery">{weeks_since_surgery}</span> / '
    '<span title="weeks in the programme">{weeks_in_programme}</span></span></td>\n'
    '      <td data-label="Activity pain"><span>{activity_pain}</span></td>\n'
    '      <td data-label="Rest pain"><span>{rest_pain}</span></td>\n'
    '      <td data-label="Last visit" class="text-nowrap">{last_visit}</td>\n'
    '      <td data-label="Adherence (28 days)" class="text-nowrap caseload-adherence">{adherence}</td>\n'
    '      <td data-label="Flags" class="caseload-flags"><span class="flag-list">{flags}</span></td>\n'
    "    </tr>\n"
)
SELF_REPORT = (
    '<span class="badge rounded-pill bg-info-subtle text-info-emphasis border border-info-subtle fw-semibold '
    'self-report-badge" title="The patient reported through the portal after their last visit">New self-report '
    '<time datetime="{}">{}</time></span>'
)
ADHERENCE = '<span{} title="{} of {} days">{} %</span>'
NONE_YET = '<span class="text-body-secondary">None yet</span>'
NO_VALUE = '<span class="text-body-secondary">—</span>'
NO_FLAG = '<span class="text-body-secondary small">—</span>'
# Any id: the patient page's URL is reversed once a page, then filled in row by row.
_SAMPLE_ID = uuid.UUID(int=0)


class _RowDrawer:
    """Draws the rows of one page. Text from the records is escaped with
    html.escape (what django.utils.html.escape does); numbers need none; the
    badges come escaped from their own functions. Dates are written as the
    template's |date filter wrote them ("5 Dec 2026"), month names in the
    active language, looked up once a page, as are the patient page's URL
    and the phase badges."""

    def __init__(self, show_physio: bool):
        self.show_physio = show_physio
        self.url = reverse("patient_detail", args=[_SAMPLE_ID]).replace(str(_SAMPLE_ID), "{}")
        self.months = [""] + [str(MONTHS_3[month]).title() for month in range(1, 13)]
        self.phases = {}
        self.pain = {}

    def day_month(self, day) -> str:
        return f"{day.day} {self.months[day.month]}"

    def phase(self, phase) -> str:
        if phase not in self.phases:
            self.phases[phase] = phase_badge(phase)
        return self.phases[phase]

    def pain_reading(self, reading) -> str:
        key = (reading.value, reading.previous, reading.date)
        if key not in self.pain:
            self.pain[key] = pain_reading(reading)
        return self.pain[key]

    def row(self, row: CaseloadRow) -> str:
        patient = row.patient
        physio = patient.physio if self.show_physio and patient.physio_id else None
        adherence, last_visit, self_report = row.adherence_28d, row.last_visit, row.new_self_report
        return ROW.format(
            urgency=row.urgency,
            url=self.url.format(patient.pk),
            family_name=escape(patient.family_name),
            given_name=escape(patient.given_name),
            ref=escape(patient.ref),
            physio=" · " + escape(physio.display_name) if physio else "",
            self_report=SELF_REPORT.format(self_report.isoformat(), self.day_month(self_report)) if self_report
            else "",
            phase=self.phase(patient.phase),
            weeks_since_surgery=row.weeks_since_surgery,
            weeks_in_programme=row.weeks_in_programme,
            activity_pain=self.pain_reading(row.activity_pain),
            rest_pain=self.pain_reading(row.rest_pain),
            last_visit=f"{self.day_month(last_visit)} {last_visit.year:04d}" if last_visit else NONE_YET,
            adherence=ADHERENCE.format(' class="adherence-low-text"' if adherence.is_low else "",
                                       adherence.days_done, adherence.days, adherence.percent) if adherence
            else NO_VALUE,
            flags="".join(flag_badge(flag) + " " for flag in row.flags) if row.flags else NO_FLAG,
        )


def caseload_rows_html(rows: list[CaseloadRow], *, show_physio: bool) -> SafeString:
    """The table body's rows; `show_physio`: name each patient's physio (not
    on "my patients", where it is the reader)."""
    drawer = _RowDrawer(show_physio)
    return mark_safe("".join(drawer.row(row) for row in rows))  # noqa: S308  (every text escaped above)


def filter_menus(form, names) -> list[dict]:
    """The filter form's menus named `names`, each {name, id, label, options}
    with its options as HTML, the chosen one selected."""
    menus = []
    for name in names:
        field = form[name]
        chosen = str(field.value())
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (value, mark_safe(" selected") if str(value) == chosen else "", text)
            for value, text in field.field.choices
        ))
        menus.append({"name": name, "id": field.id_for_label, "label": field.label, "options": options})
    return menus
