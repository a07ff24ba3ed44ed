"""The caseload's rows and filter menus, drawn in Python
(rehab/workspace/caseload_html.py): what the physio reads, with every text
from the records escaped."""

import datetime as dt

import pytest

from rehab.workspace import selectors
from rehab.workspace.caseload_html import caseload_rows_html, filter_menus
from rehab.workspace.forms import CaseloadFilterForm
from rehab.workspace.selectors import CaseloadFilters, caseload_rows
from tests.factories import (
    EntryFactory,
    FlagFactory,
    PainScoreFactory,
    PatientFactory,
    PhysioFactory,
    SelfReportFactory,
)

pytestmark = pytest.mark.django_db


def test_a_row_shows_the_patient_their_readings_and_flags(clinic, physio):
    patient = PatientFactory(clinic=clinic, physio=physio, ref="P-0007", family_name="Okafor", given_name="Ada",
                             phase="rebuild")
    visit = EntryFactory(patient=patient, date=dt.date(2026, 3, 4))
    PainScoreFactory(entry=visit, location="lumbar_bilateral", context="activity", score=6)
    SelfReportFactory(patient=patient, date=dt.date(2026, 3, 9))
    FlagFactory(patient=patient, code="plateau_12w", severity="review", message="Pain not improving")
    [row] = caseload_rows(clinic, None, CaseloadFilters(scope=selectors.CLINIC)).object_list
    html = caseload_rows_html([row], show_physio=True)
    assert f'<a class="fw-semibold" href="/patients/{patient.pk}/">Okafor, Ada</a>' in html
    assert "P-0007 · Jo Smith</div>" in html
    assert '<td data-label="Phase"><span class="phase-badge phase-rebuild">Rebuild</span></td>' in html
    assert ('<td data-label="Activity pain"><span><span class="fw-semibold" title="at the visit of 4 Mar 2026">6'
            '</span></span></td>') in html
    assert '<td data-label="Last visit" class="text-nowrap">4 Mar 2026</td>' in html
    assert 'New self-report <time datetime="2026-03-09">9 Mar</time>' in html
    assert '<span class="badge badge-review" title="Review: Pain not improving">' in html
    assert "Jo Smith" not in caseload_rows_html([row], show_physio=False)


def test_names_and_messages_from_the_records_are_escaped(clinic):
    physio = PhysioFactory(clinic=clinic, username="odd", first_name="<b>Jo</b>", last_name="O'Hara")
    patient = PatientFactory(clinic=clinic, physio=physio, ref="R&D-1", family_name="<script>x</script>",
                             given_name='"Ann"')
    FlagFactory(patient=patient, code="plateau_12w", severity="review", message="Pain <4> & stuck")
    [row] = caseload_rows(clinic, None, CaseloadFilters(scope=selectors.CLINIC)).object_list
    html = caseload_rows_html([row], show_physio=True)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;, &quot;Ann&quot;</a>" in html
    assert "R&amp;D-1 · &lt;b&gt;Jo&lt;/b&gt; O&#x27;Hara</div>" in html
    assert 'title="Review: Pain &lt;4&gt; &amp; stuck"' in html


def test_no_reading_no_visit_no_flag_are_said_plainly(clinic, physio):
    PatientFactory(clinic=clinic, physio=physio)
    [row] = caseload_rows(clinic, physio, CaseloadFilters()).object_list
    html = caseload_rows_html([row], show_physio=False)
    assert '<span class="text-body-secondary">None yet</span>' in html
    assert '<span class="text-body-secondary" title="Not recorded">—</span>' in html
    assert '<span class="text-body-secondary small">—</span>' in html


def test_the_filter_menus_keep_the_chosen_options(clinic, physio):
    form = CaseloadFilterForm({"phase": "rebuild", "physio": str(physio.pk), "status": "all"}, clinic=clinic,
                              default_scope=selectors.MINE)
    menus = {menu["name"]: menu for menu in filter_menus(form, ("phase", "flag", "physio", "status"))}
    assert '<option value="rebuild" selected>Rebuild</option>' in menus["phase"]["options"]
    assert '<option value="" selected>Any flag</option>' not in menus["flag"]["options"]
    assert f'<option value="{physio.pk}" selected>Jo Smith</option>' in menus["physio"]["options"]
    assert '<option value="all" selected>Active and discharged</option>' in menus["status"]["options"]
    assert menus["phase"]["id"] == "id_phase" and menus["phase"]["label"] == "Phase"
    assert menus["phase"]["options"].count(" selected") == 1
