"""The patient page's adherence panel and the plateau advice it colours
(DESIGN 9)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from rehab.portal_links import portal_link_issue
from tests.factories import AdherenceMarkFactory, FlagFactory

pytestmark = pytest.mark.django_db

PLATEAU_ADVICE = "Carry out a comprehensive review of the diagnosis and the programme."


@pytest.fixture
def exercises(planned_patient):
    return [item.exercise for item in planned_patient.plan_items.select_related("exercise").order_by("order")]


def _mark(patient, exercise, days_ago, status="done"):
    return AdherenceMarkFactory(patient=patient, exercise=exercise, status=status,
                                date=patient.clinic.today() - dt.timedelta(days=days_ago))


def _page(client, user, patient):
    client.force_login(user)
    response = client.get(reverse("patient_detail", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_7_and_28_day_adherence_and_the_marks(client, physio, planned_patient, exercises):
    # Marks from before the plan reached Kinetic: the windows run from the programme start (months ago).
    for days_ago in (0, 1, 3, 10, 20):
        _mark(planned_patient, exercises[0], days_ago)
    _mark(planned_patient, exercises[1], 1, "too_hard")
    _mark(planned_patient, exercises[2], 3, "hurt")
    html = _page(client, physio, planned_patient)
    assert '<div class="adherence-percent" data-window="7">43 %</div>' in html
    assert "3 of 7 days" in html
    assert '<div class="adherence-percent" data-window="28">18 %</div>' in html
    assert "5 of 28 days" in html
    # "Too hard" and "It hurt" are listed, highlighted, with the exercise and the day.
    today = planned_patient.clinic.today()
    assert (f'<span class="badge adherence-badge-too_hard">Too hard</span> {exercises[1].name} '
            f'<span class="text-body-secondary text-nowrap">{today - dt.timedelta(days=1):%a %-d %b}</span>') in html
    assert f'<span class="badge adherence-badge-hurt">It hurt</span> {exercises[2].name}' in html
    # The week day by day; a day without marks says so.
    assert "nothing ticked" in html
    assert f'<span class="adherence-mark">{exercises[0].name}</span>' in html


def test_a_plan_given_today_shows_since_the_plan_started(client, physio, planned_patient, exercises):
    _mark(planned_patient, exercises[0], 0)
    html = _page(client, physio, planned_patient)
    assert '<div class="adherence-percent" data-window="28">100 %</div>' in html
    assert "since the plan started" in html
    assert "1 of 1 day<" in html


def test_low_adherence_adds_to_the_plateau_advice_on_the_patient_page(client, physio, planned_patient, exercises):
    FlagFactory(patient=planned_patient, code="plateau_12w", advice=PLATEAU_ADVICE)
    for days_ago in range(0, 20, 4):  # 5 of 28 days
        _mark(planned_patient, exercises[0], days_ago)
    html = _page(client, physio, planned_patient)
    assert ("<strong>Advice:</strong> Adherence over the last 28 days is 18 % (5 of 28 days with exercises done): "
            f"check adherence before escalating. {PLATEAU_ADVICE}") in html


def test_plateau_advice_is_unchanged_at_50_percent(client, physio, planned_patient, exercises):
    FlagFactory(patient=planned_patient, code="plateau_12w", advice=PLATEAU_ADVICE)
    for days_ago in range(0, 28, 2):  # 14 of 28 days
        _mark(planned_patient, exercises[0], days_ago)
    html = _page(client, physio, planned_patient)
    assert f"<strong>Advice:</strong> {PLATEAU_ADVICE}" in html
    assert "check adherence before escalating" not in html


def test_an_outsider_cannot_see_the_panel(client, outsider, planned_patient):
    client.force_login(outsider)
    assert client.get(reverse("patient_detail", args=[planned_patient.pk])).status_code == 404


def test_a_patient_who_never_had_a_portal_link_shows_no_adherence_not_0_percent(client, physio, planned_patient):
    """Adherence is ticked on the portal: with no link, there was nowhere to tick."""
    html = _page(client, physio, planned_patient)
    assert "Not measured yet: the patient ticks exercises on the portal, and has no portal link." in html
    assert "0 %" not in html
    caseload = client.get(reverse("caseload")).content.decode()
    row = caseload.split(planned_patient.ref)[1].split("</tr>")[0]
    assert 'data-label="Adherence (28 days)" class="text-nowrap caseload-adherence"><span class="text-body-secondary">—' in row


def test_adherence_counts_from_the_day_the_first_portal_link_was_issued(client, physio, planned_patient, exercises):
    issued = planned_patient.clinic.today() - dt.timedelta(days=3)
    with time_machine.travel(dt.datetime.combine(issued, dt.time(12), tzinfo=dt.UTC)):
        portal_link_issue(patient=planned_patient, issued_by=physio)
    _mark(planned_patient, exercises[0], 0)
    _mark(planned_patient, exercises[0], 2)
    html = _page(client, physio, planned_patient)
    assert '<div class="adherence-percent" data-window="28">50 %</div>' in html
    assert "2 of 4 days" in html and "since the plan started" in html
