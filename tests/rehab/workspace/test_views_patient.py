"""The patient page and the caseload page as a physio reads them."""

import datetime as dt

import time_machine
from django.urls import reverse

from rehab.flags import flag_acknowledge
from tests.factories import (
    EntryFactory,
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
