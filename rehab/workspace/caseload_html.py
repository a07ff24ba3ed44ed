"""The caseload's table rows and filter menus as HTML, built in Python.

A caseload page draws 25 rows of eight cells (badges, dates, pain with its
trend, adherence, flags) and four filter menus of some forty options. Drawn
by the template language, looping and resolving each variable, that was a
third of the page's time, more than the admin's whole changelist (issue 13);
here each row is one format string. The markup is what
templates/rehab/caseload.html drew, and the badges are the same functions as
the template tags of rehab/templatetags/kinetic.py, so the two never differ.
Everything shown is escaped by format_html.
"""

from django.template.defaultfilters import date as date_format
from django.urls import reverse
from django.utils.html import format_html, format_html_join
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
NONE_YET = mark_safe('<span class="text-body-secondary">None yet</span>')
NO_VALUE = mark_safe('<span class="text-body-secondary">—</span>')
NO_FLAG = mark_safe('<span class="text-body-secondary small">—</span>')


def caseload_rows_html(rows: list[CaseloadRow], *, show_physio: bool) -> SafeString:
    """The table body's rows; `show_physio`: name each patient's physio (not
    on "my patients", where it is the reader)."""
    return mark_safe("".join(_row_html(row, show_physio) for row in rows))  # noqa: S308  (format_html escapes)


def _row_html(row: CaseloadRow, show_physio: bool) -> str:
    patient = row.patient
    physio = patient.physio if show_physio and patient.physio_id else None
    adherence = row.adherence_28d
    return format_html(
        ROW,
        urgency=row.urgency,
        url=reverse("patient_detail", args=[patient.pk]),
        family_name=patient.family_name,
        given_name=patient.given_name,
        ref=patient.ref,
        physio=format_html(" · {}", physio.display_name) if physio else "",
        self_report=format_html(SELF_REPORT, date_format(row.new_self_report, "Y-m-d"),
                                date_format(row.new_self_report, "j M")) if row.new_self_report else "",
        phase=phase_badge(patient.phase),
        weeks_since_surgery=row.weeks_since_surgery,
        weeks_in_programme=row.weeks_in_programme,
        activity_pain=pain_reading(row.activity_pain),
        rest_pain=pain_reading(row.rest_pain),
        last_visit=date_format(row.last_visit, "j M Y") if row.last_visit else NONE_YET,
        adherence=format_html('<span{} title="{} of {} days">{} %</span>',
                              mark_safe(' class="adherence-low-text"') if adherence.is_low else "",
                              adherence.days_done, adherence.days, adherence.percent) if adherence else NO_VALUE,
        flags=mark_safe("".join(flag_badge(flag) + " " for flag in row.flags)) if row.flags else NO_FLAG,  # noqa: S308
    )


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
