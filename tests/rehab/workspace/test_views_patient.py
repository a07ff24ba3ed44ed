"""The patient page and the caseload page as a physio reads them."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rehab.flags import flag_acknowledge
from tests.factories import (
    EntryFactory,
    EntrySymptomFactory,
    FlagFactory,
    PainScoreFactory,
    PatientFactory,
    PhaseTransitionFactory,
)


def on_day(day):
    """Freeze the clinic's today at `day`, so the visit is in the last 4 weeks (DESIGN 4.1)."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False)


def test_patient_page_shows_each_exit_criterion_with_its_evidence(client, physio, patient):
    day = patient.programme_start + dt.timedelta(days=10)
    entry = EntryFactory(patient=patient, date=day, standing_tolerance_min=12)
    PainScoreFactory(entry=entry, location="lumbar_bilateral", context="activity", score=3)
    client.force_login(physio)
    with on_day(day + dt.timedelta(days=5)):
        response = client.get(reverse("patient_detail", args=[patient.pk]))
    rows = {row.label: row for row in response.context["record"].criteria_rows}
    pain = rows["Back/hip pain on activity (0-10)"]
    standing = rows["Standing tolerance without back pain increase (min)"]
    assert (pain.status, pain.latest, pain.target, pain.evidence_date) == ("met", "3/10", "≤ 4/10", day)
    assert (standing.status, standing.latest, standing.target) == ("not_met", "12 min", "≥ 20 min")
    html = response.content.decode()
    assert "✔ Met" in html and "✘ Not met" in html
    assert 'role="img"' in html and "<polyline" in html


def test_criteria_panel_says_why_when_the_latest_visit_is_older_than_4_weeks(client, physio, patient):
    day = patient.programme_start + dt.timedelta(days=10)
    entry = EntryFactory(patient=patient, date=day, standing_tolerance_min=25)
    PainScoreFactory(entry=entry, location="lumbar_bilateral", context="activity", score=2)
    client.force_login(physio)
    with on_day(day + dt.timedelta(days=28)):
        response = client.get(reverse("patient_detail", args=[patient.pk]))
    assert response.context["record"].ready is True
    assert "no visit in the last 4 weeks" not in response.content.decode()
    with on_day(day + dt.timedelta(days=29)):
        response = client.get(reverse("patient_detail", args=[patient.pk]))
    assert {row.status for row in response.context["record"].criteria_rows} == {"unknown"}
    assert response.context["record"].ready is False
    assert "no visit in the last 4 weeks" in response.content.decode()


def test_patient_page_is_not_ready_while_an_urgent_flag_is_unacknowledged(client, physio, patient):
    day = patient.programme_start + dt.timedelta(days=10)
    entry = EntryFactory(patient=patient, date=day, standing_tolerance_min=25)
    PainScoreFactory(entry=entry, location="lumbar_bilateral", context="activity", score=2)
    flag = FlagFactory(patient=patient, entry=entry, code="night_pain", severity="urgent")
    client.force_login(physio)
    with on_day(day):
        assert client.get(reverse("patient_detail", args=[patient.pk])).context["record"].ready is False
        flag_acknowledge(flag=flag, user=physio, note="GP referral made.")
        assert client.get(reverse("patient_detail", args=[patient.pk])).context["record"].ready is True


def test_a_criterion_without_evidence_is_unknown(client, physio, patient):
    client.force_login(physio)
    response = client.get(reverse("patient_detail", args=[patient.pk]))
    assert {row.status for row in response.context["record"].criteria_rows} == {"unknown"}
    assert "No back or hip pain recorded yet." in response.content.decode()


def test_chart_shades_phases_from_the_transition_history(client, physio, patient):
    entry = EntryFactory(patient=patient, date=patient.programme_start)
    PainScoreFactory(entry=entry, score=6)
    PhaseTransitionFactory(patient=patient, from_phase="normalise", to_phase="rebuild",
                           date=patient.programme_start + dt.timedelta(days=30))
    patient.phase = "rebuild"
    patient.save()
    client.force_login(physio)
    chart = client.get(reverse("patient_detail", args=[patient.pk])).context["chart"]
    assert [band.phase for band in chart.bands] == ["normalise", "rebuild"]


def test_clinic_admin_sees_the_whole_clinic_without_action_buttons(client, clinic_admin, patient):
    client.force_login(clinic_admin)
    caseload = client.get(reverse("caseload")).content.decode()
    assert patient.ref in caseload
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert reverse("visit_create", args=[patient.pk]) not in page


def test_caseload_switch_between_my_patients_and_the_whole_clinic(client, physio, colleague, clinic):
    PatientFactory(clinic=clinic, physio=physio, ref="MINE-1")
    PatientFactory(clinic=clinic, physio=colleague, ref="THEIRS-1")
    client.force_login(physio)
    mine = client.get(reverse("caseload")).content.decode()
    assert "MINE-1" in mine and "THEIRS-1" not in mine
    everyone = client.get(reverse("caseload"), {"scope": "clinic"}).content.decode()
    assert "MINE-1" in everyone and "THEIRS-1" in everyone
    searched = client.get(reverse("caseload"), {"scope": "clinic", "q": "theirs"}).content.decode()
    assert "MINE-1" not in searched and "THEIRS-1" in searched


def _entries(patient, physio, count):
    """Visits on consecutive days from the programme start, each with a pain
    score and notes saying which visit it is, until the patient has `count`."""
    for n in range(patient.entries.count(), count):
        entry = EntryFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=n),
                             recorded_by=physio, notes=f"Visit number {n + 1}.")
        PainScoreFactory(entry=entry, location="lumbar_bilateral", context="activity", score=n % 10)
        if n % 7 == 0:
            EntrySymptomFactory(entry=entry, code="calf_swelling")


def _patient_page(client, patient, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("patient_detail", args=[patient.pk]), params)
    assert response.status_code == 200
    return response, len(queries)


def test_patient_page_costs_the_same_queries_for_10_and_200_entries(client, physio, patient):
    client.force_login(physio)
    counts = []
    for count in (10, 200):
        _entries(patient, physio, count)
        response, queries = _patient_page(client, patient)
        counts.append(queries)
        shown = response.context["entries"]
        assert len(shown.object_list) == min(count, 20)
        assert shown.paginator.count == count
        # The chart keeps the whole history: one activity reading per visit.
        assert len(response.context["chart"].series[0].points) == count
    assert counts[0] == counts[1], counts


def test_patient_page_lists_the_latest_20_entries_and_links_to_older_ones(client, physio, patient):
    _entries(patient, physio, 45)
    client.force_login(physio)
    response, _ = _patient_page(client, patient)
    html = response.content.decode()
    assert "Visit number 45." in html and "Visit number 26." in html
    assert "Visit number 25." not in html
    assert 'href="?entries=2#entries">Older entries</a>' in html
    assert "Newer entries" not in html

    # Follow the links as a reader would, to the oldest entry and back.
    response, _ = _patient_page(client, patient, entries=2)
    html = response.content.decode()
    assert "Visit number 25." in html and "Visit number 6." in html and "Visit number 45." not in html
    assert 'href="?entries=1#entries">Newer entries</a>' in html
    response, _ = _patient_page(client, patient, entries=3)
    html = response.content.decode()
    assert [f"Visit number {n}." in html for n in (1, 5, 6)] == [True, True, False]
    assert "Older entries" not in html


@pytest.mark.parametrize("page", ["0", "99", "x"])
def test_an_entries_page_out_of_range_shows_a_page_that_exists(client, physio, patient, page):
    _entries(patient, physio, 25)
    client.force_login(physio)
    response, _ = _patient_page(client, patient, entries=page)
    assert response.context["entries"].number in (1, 2)


def test_patient_page_has_no_entry_pages_for_a_short_record(client, physio, patient):
    _entries(patient, physio, 20)
    client.force_login(physio)
    response, _ = _patient_page(client, patient)
    assert "Older entries" not in response.content.decode()
    assert len(response.context["entries"].object_list) == 20


@pytest.mark.parametrize(("who", "status"), [("physio", 200), ("colleague", 200), ("outsider", 404)])
def test_older_entries_follow_the_owner_colleague_outsider_rule(client, patient, request, who, status):
    _entries(patient, request.getfixturevalue("physio"), 25)
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("patient_detail", args=[patient.pk]), {"entries": 2})
    assert response.status_code == status
    if status == 200:
        assert "Visit number 5." in response.content.decode()
