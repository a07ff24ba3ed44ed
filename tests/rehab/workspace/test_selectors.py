"""The caseload selector: what each row shows, urgency order, filters, and a
query count that does not grow with the caseload."""

import datetime as dt

import pytest

from patients.models import AdherenceMark
from rehab.workspace import selectors
from rehab.workspace.selectors import CaseloadFilters, caseload_rows
from tests.factories import (
    EntryFactory,
    EntrySymptomFactory,
    ExerciseFactory,
    FlagFactory,
    PainScoreFactory,
    PatientFactory,
    SelfReportFactory,
)

MINE = CaseloadFilters(scope=selectors.MINE)
CLINIC = CaseloadFilters(scope=selectors.CLINIC)


def refs(page):
    return [row.patient.ref for row in page.object_list]


def visit(patient, days, **pain):
    """A visit `days` after programme start with pain given as location_context=score."""
    entry = EntryFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=days))
    for key, score in pain.items():
        location, context = key.rsplit("_", 1)
        PainScoreFactory(entry=entry, location=location, context=context, score=score)
    return entry


def test_physio_sees_only_their_active_patients_by_default(clinic, physio, colleague):
    mine = PatientFactory(clinic=clinic, physio=physio, ref="MINE")
    PatientFactory(clinic=clinic, physio=colleague, ref="THEIRS")
    PatientFactory(clinic=clinic, physio=physio, ref="GONE", phase="discharged")
    assert refs(caseload_rows(clinic, physio, MINE)) == [mine.ref]


def test_whole_clinic_switch_shows_colleagues_patients(clinic, physio, colleague, other_clinic):
    PatientFactory(clinic=clinic, physio=physio, ref="MINE", family_name="A")
    PatientFactory(clinic=clinic, physio=colleague, ref="THEIRS", family_name="B")
    PatientFactory(clinic=other_clinic, ref="ELSEWHERE")
    assert refs(caseload_rows(clinic, physio, CLINIC)) == ["MINE", "THEIRS"]


def test_rows_are_sorted_emergency_same_day_urgent_review_ready_then_the_rest(clinic, physio):
    order = ["info", "review", None, "emergency", "urgent", "same_day"]
    for index, severity in enumerate(order):
        patient = PatientFactory(clinic=clinic, physio=physio, ref=f"R-{severity}", family_name=f"N{index}")
        if severity:
            code = "ready_to_progress" if severity == "info" else "plateau_12w"
            FlagFactory(patient=patient, code=code, severity=severity)
    assert refs(caseload_rows(clinic, physio, MINE)) == [
        "R-emergency", "R-same_day", "R-urgent", "R-review", "R-info", "R-None",
    ]


def test_acknowledged_and_closed_flags_do_not_raise_urgency_or_show(clinic, physio):
    from django.utils import timezone

    acked = PatientFactory(clinic=clinic, physio=physio, ref="ACKED", family_name="A")
    FlagFactory(patient=acked, severity="emergency", code="plateau_12w", acknowledged_at=timezone.now(),
                acknowledged_by=physio, acknowledgement_note="Seen")
    closed = PatientFactory(clinic=clinic, physio=physio, ref="CLOSED", family_name="B")
    FlagFactory(patient=closed, severity="emergency", code="pain_regression", closed_at=timezone.now())
    flagged = PatientFactory(clinic=clinic, physio=physio, ref="REVIEW", family_name="C")
    FlagFactory(patient=flagged, severity="review")
    page = caseload_rows(clinic, physio, MINE)
    assert refs(page) == ["REVIEW", "ACKED", "CLOSED"]
    assert [row.flags for row in page.object_list][1:] == [[], []]


def test_latest_activity_and_rest_pain_use_back_hip_locations_only_with_a_trend(clinic, physio):
    patient = PatientFactory(clinic=clinic, physio=physio)
    visit(patient, 0, lumbar_bilateral_activity=6, lateral_hip_rest=2)
    latest = visit(patient, 14, anterior_hip_activity=3, buttock_si_activity=4, knee_activity=9,
                   lumbar_unilateral_rest=2)
    row = caseload_rows(clinic, physio, MINE).object_list[0]
    assert (row.activity_pain.value, row.activity_pain.previous, row.activity_pain.trend) == (4, 6, "down")
    assert (row.rest_pain.value, row.rest_pain.trend) == (2, "same")
    assert row.last_visit == latest.date


def test_pain_rising_shows_an_upward_trend_and_self_reports_are_not_visits(clinic, physio):
    from tests.factories import SelfReportFactory

    patient = PatientFactory(clinic=clinic, physio=physio)
    visit(patient, 0, lumbar_bilateral_activity=2)
    visit(patient, 7, lumbar_bilateral_activity=5)
    report = SelfReportFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=9))
    PainScoreFactory(entry=report, location="lumbar_bilateral", context="activity", score=1)
    row = caseload_rows(clinic, physio, MINE).object_list[0]
    assert (row.activity_pain.value, row.activity_pain.trend) == (5, "up")
    assert row.last_visit == patient.programme_start + dt.timedelta(days=7)


def test_the_pain_summaries_on_the_entries_read_as_the_pain_scores_do(clinic, physio, monkeypatch):
    # PostgreSQL reads the per-visit highest scores its triggers keep on each
    # entry (patients migration 0018); elsewhere the scores are grouped. Edits
    # and deletions of scores included: the triggers follow them.
    patients = [PatientFactory(clinic=clinic, physio=physio) for _ in range(3)]
    visit(patients[0], 0, lumbar_bilateral_activity=6, lateral_hip_rest=2)
    visit(patients[0], 7, knee_activity=9)  # not back/hip: no reading at this visit
    later = visit(patients[0], 14, anterior_hip_activity=3, buttock_si_activity=4, lumbar_unilateral_rest=5)
    visit(patients[1], 0, lumbar_bilateral_rest=1)
    edited = visit(patients[1], 3, lumbar_bilateral_activity=2, lumbar_bilateral_rest=7)
    edited.pain_scores.filter(context="rest").update(score=3)
    later.pain_scores.filter(location="buttock_si").delete()
    ids = [p.pk for p in patients]
    on_rows = selectors._latest_pain_by_patient(ids)

    class Elsewhere:
        vendor = "sqlite"

    monkeypatch.setattr(selectors, "connection", Elsewhere)
    grouped = selectors._latest_pain_by_patient(ids)
    assert {k: on_rows[k] for k in ids} == {k: grouped[k] for k in ids}
    assert (on_rows[patients[0].pk]["activity"].value, on_rows[patients[0].pk]["activity"].previous) == (3, 6)
    assert (on_rows[patients[1].pk]["rest"].value, on_rows[patients[1].pk]["rest"].previous) == (3, 1)
    assert on_rows[patients[2].pk]["activity"].value is None


def test_weeks_since_surgery_and_in_programme_count_from_the_clinic_today(clinic, physio):
    today = clinic.today()
    PatientFactory(clinic=clinic, physio=physio, surgery_date=today - dt.timedelta(days=50),
                   programme_start=today - dt.timedelta(days=20))
    row = caseload_rows(clinic, physio, MINE).object_list[0]
    assert (row.weeks_since_surgery, row.weeks_in_programme) == (7, 2)


def test_filters_by_phase_flag_physio_discharged_and_search(clinic, physio, colleague):
    a = PatientFactory(clinic=clinic, physio=physio, ref="A-1", given_name="Ann", family_name="Zed",
                       phase="rebuild")
    b = PatientFactory(clinic=clinic, physio=colleague, ref="B-2", given_name="Bob", family_name="Young")
    c = PatientFactory(clinic=clinic, physio=physio, ref="C-3", phase="discharged", family_name="Xu")
    FlagFactory(patient=b, code="plateau_12w")
    assert refs(caseload_rows(clinic, physio, CaseloadFilters(scope="clinic", phase="rebuild"))) == [a.ref]
    assert refs(caseload_rows(clinic, physio, CaseloadFilters(scope="clinic", flag="plateau_12w"))) == [b.ref]
    assert refs(caseload_rows(clinic, physio, CaseloadFilters(physio_id=colleague.pk))) == [b.ref]
    assert refs(caseload_rows(clinic, physio, CaseloadFilters(scope="clinic", status="discharged"))) == [c.ref]
    assert set(refs(caseload_rows(clinic, physio, CaseloadFilters(scope="clinic", status="all")))) == {
        a.ref, b.ref, c.ref}
    assert refs(caseload_rows(clinic, physio, CaseloadFilters(scope="clinic", search="ann zed"))) == [a.ref]
    assert refs(caseload_rows(clinic, physio, CaseloadFilters(scope="clinic", search="b-2"))) == [b.ref]
    # The name as the list shows it, surname first with a comma.
    shown = f"{a.family_name}, {a.given_name}"
    assert refs(caseload_rows(clinic, physio, CaseloadFilters(scope="clinic", search=shown))) == [a.ref]
    irish = PatientFactory(clinic=clinic, physio=physio, family_name="O'Neill", given_name="Nora")
    typed_on_a_phone = "O\u2019Neill, Nora"
    assert refs(caseload_rows(clinic, physio, CaseloadFilters(scope="clinic", search=typed_on_a_phone))) == [
        irish.ref]


def test_caseload_is_paginated(clinic, physio):
    for n in range(7):
        PatientFactory(clinic=clinic, physio=physio, family_name=f"F{n}")
    page = caseload_rows(clinic, physio, MINE, page=2, per_page=5)
    assert page.number == 2
    assert len(page.object_list) == 2
    assert page.paginator.count == 7


def _busy_caseload(clinic, physio, count):
    exercises = [ExerciseFactory(clinic=clinic), ExerciseFactory(clinic=clinic)]
    today = clinic.today()
    marks = []
    for n in range(count):
        patient = PatientFactory(clinic=clinic, physio=physio, family_name=f"F{n:03d}")
        entry = visit(patient, 0, lumbar_bilateral_activity=5, lateral_hip_rest=3)
        visit(patient, 7, lumbar_bilateral_activity=4)
        EntrySymptomFactory(entry=entry, code="calf_swelling")
        SelfReportFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=8 + n % 2 * -2))
        FlagFactory(patient=patient, code="dvt_signs", severity="same_day", entry=entry)
        FlagFactory(patient=patient, code="plateau_12w")
        # Patient n ticked both exercises on n % 10 + 1 of the last 28 days.
        marks += [
            AdherenceMark(patient=patient, exercise=exercise, date=today - dt.timedelta(days=day * 2))
            for day in range(n % 10 + 1) for exercise in exercises
        ]
    AdherenceMark.objects.bulk_create(marks)


@pytest.mark.parametrize("count", [5, 50])
def test_caseload_query_count_is_the_same_for_5_and_50_patients(
    clinic, physio, count, django_assert_max_num_queries
):
    _busy_caseload(clinic, physio, count)
    with django_assert_max_num_queries(5):
        page = caseload_rows(clinic, physio, MINE, per_page=200)
        rows = page.object_list
        # Touch everything the template reads.
        for row in rows:
            _ = (row.patient.physio.display_name, [f.code for f in row.flags], row.activity_pain.trend,
                 row.rest_pain.value, row.last_visit, row.new_self_report, row.adherence_28d.percent)
    assert len(rows) == count
    # The programme started months ago: 28-day windows, n % 10 + 1 days ticked.
    assert sorted(row.adherence_28d.days_done for row in rows) == sorted(n % 10 + 1 for n in range(count))
    assert {row.adherence_28d.days for row in rows} == {28}
    # Every other patient has a self-report after their last visit (day 8 > day 7).
    assert sum(row.new_self_report is not None for row in rows) == (count + 1) // 2
    assert all(len(row.flags) == 2 for row in rows)


@pytest.mark.parametrize("count", [5, 50])
def test_caseload_page_query_count_does_not_grow_with_the_caseload(
    client, clinic, physio, count, django_assert_max_num_queries
):
    _busy_caseload(clinic, physio, count)
    client.force_login(physio)
    # Session, user, two-factor device check, physio list for the filter,
    # count, page, flags, pain, adherence.
    with django_assert_max_num_queries(10):
        response = client.get("/", {"scope": "clinic"})
    assert response.status_code == 200
    # F000 ticked 1 day of 28 (4 %), F001 2 days (7 %): in the adherence column.
    assert 'title="1 of 28 days">4 %</span>' in response.content.decode()
    assert 'title="2 of 28 days">7 %</span>' in response.content.decode()
    assert response.content.decode().count('class="badge badge-same_day"') == min(count, 25)
    assert response.content.decode().count("New self-report <time") == (min(count, 25) + 1) // 2


def test_a_self_report_after_the_last_visit_is_marked_with_its_date(clinic, physio):
    patient = PatientFactory(clinic=clinic, physio=physio)
    visit(patient, 7)
    SelfReportFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=9))
    SelfReportFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=10))
    [row] = caseload_rows(clinic, physio, MINE).object_list
    assert row.new_self_report == patient.programme_start + dt.timedelta(days=10)


def test_a_self_report_with_no_visit_yet_is_marked(clinic, physio):
    patient = PatientFactory(clinic=clinic, physio=physio)
    SelfReportFactory(patient=patient, date=patient.programme_start)
    [row] = caseload_rows(clinic, physio, MINE).object_list
    assert row.new_self_report == patient.programme_start


def test_a_self_report_followed_by_a_visit_is_not_marked(clinic, physio):
    patient = PatientFactory(clinic=clinic, physio=physio)
    SelfReportFactory(patient=patient, date=patient.programme_start + dt.timedelta(days=3))
    visit(patient, 7)
    [row] = caseload_rows(clinic, physio, MINE).object_list
    assert row.new_self_report is None


def test_a_self_report_on_the_day_of_a_visit_counts_only_if_sent_after_it(clinic, physio):
    """Same date: what was recorded later decides (the visit has read an earlier report)."""
    before = PatientFactory(clinic=clinic, physio=physio, family_name="A")
    SelfReportFactory(patient=before, date=before.programme_start)
    visit(before, 0)
    after = PatientFactory(clinic=clinic, physio=physio, family_name="B")
    visit(after, 0)
    SelfReportFactory(patient=after, date=after.programme_start)
    rows = caseload_rows(clinic, physio, MINE).object_list
    assert [row.new_self_report for row in rows] == [None, after.programme_start]


def test_the_caseload_page_shows_the_new_self_report_badge(client, clinic, physio):
    patient = PatientFactory(clinic=clinic, physio=physio, programme_start=dt.date(2026, 3, 2),
                             surgery_date=dt.date(2026, 2, 23))
    SelfReportFactory(patient=patient, date=dt.date(2026, 3, 4))
    client.force_login(physio)
    html = client.get("/").content.decode()
    assert 'New self-report <time datetime="2026-03-04">4 Mar</time>' in html
