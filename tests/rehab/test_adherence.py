"""Adherence marks and figures in the database (DESIGN 9): one mark per
exercise per day, only for the plan's exercises, clinic days, and a figure
for many patients in one query."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from content.models import Exercise
from patients.models import AdherenceMark
from rehab.adherence import (
    NotInPlan,
    adherence_by_patient,
    adherence_mark_record,
    adherence_mark_undo,
    patient_adherence,
)
from rehab.plans import plan_assign_from_template
from tests.factories import AdherenceMarkFactory, ClinicFactory, ExerciseFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercises(planned_patient):
    return [item.exercise for item in planned_patient.plan_items.select_related("exercise")]


def test_marking_again_changes_the_days_mark_and_undo_takes_it_back(planned_patient, exercises):
    code = exercises[0].code
    adherence_mark_record(patient=planned_patient, exercise_code=code, status="done")
    adherence_mark_record(patient=planned_patient, exercise_code=code, status="hurt")
    [mark] = AdherenceMark.objects.filter(patient=planned_patient)
    assert (mark.status, mark.date) == ("hurt", planned_patient.clinic.today())
    assert adherence_mark_undo(patient=planned_patient, exercise_code=code) is True
    assert not AdherenceMark.objects.filter(patient=planned_patient).exists()
    assert adherence_mark_undo(patient=planned_patient, exercise_code=code) is False
    # The history keeps every change, the undone mark included.
    assert [h.history_type for h in AdherenceMark.history.order_by("history_id")] == ["+", "~", "-"]


def test_an_exercise_outside_the_plan_cannot_be_marked(planned_patient, exercises, other_clinic):
    in_library = Exercise.objects.filter(clinic=planned_patient.clinic).exclude(
        pk__in=[e.pk for e in exercises]).first()
    elsewhere = ExerciseFactory(clinic=other_clinic, name="Elsewhere")
    for code in (in_library.code, elsewhere.code, "no-such-exercise"):
        with pytest.raises(NotInPlan):
            adherence_mark_record(patient=planned_patient, exercise_code=code, status="done")
    assert not AdherenceMark.objects.exists()


def test_an_unknown_status_is_refused(planned_patient, exercises):
    with pytest.raises(ValueError):
        adherence_mark_record(patient=planned_patient, exercise_code=exercises[0].code, status="skipped")


def test_the_database_keeps_one_mark_per_exercise_per_day_and_known_statuses(patient):
    mark = AdherenceMarkFactory(patient=patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdherenceMarkFactory(patient=patient, exercise=mark.exercise, date=mark.date, status="hurt")
    with pytest.raises(IntegrityError), transaction.atomic():
        AdherenceMarkFactory(patient=patient, status="skipped")


def test_a_mark_is_dated_by_the_clinics_day_not_utc():
    auckland = ClinicFactory(slug="auckland", time_zone="Pacific/Auckland")
    patient = PatientFactory(clinic=auckland, physio=None)
    plan_assign_from_template(patient=patient)
    code = patient.plan_items.first().exercise.code
    # 20:00 UTC on 4 December is 09:00 on 5 December in Auckland.
    with time_machine.travel(dt.datetime(2026, 12, 4, 20, 0, tzinfo=dt.UTC), tick=False):
        mark = adherence_mark_record(patient=patient, exercise_code=code, status="done")
        assert mark.date == dt.date(2026, 12, 5)
        figure = patient_adherence(patient).last_7
        assert figure.days_done == 1


def test_the_figures_of_a_patient_given_the_plan_today_count_from_today(planned_patient, exercises):
    today = planned_patient.clinic.today()
    AdherenceMarkFactory(patient=planned_patient, exercise=exercises[0], date=today)
    figures = patient_adherence(planned_patient)
    # The programme started months ago, but the plan was assigned today.
    assert planned_patient.programme_start < today
    assert figures.plan_start == today
    assert (figures.last_7.days_done, figures.last_7.days) == (1, 1)
    assert (figures.last_28.days_done, figures.last_28.days, figures.last_28.shortened) == (1, 1, True)


def test_imported_marks_from_before_the_plan_reached_kinetic_count_from_the_programme_start(
    planned_patient, exercises
):
    today = planned_patient.clinic.today()
    for n in (2, 4, 30):
        AdherenceMarkFactory(patient=planned_patient, exercise=exercises[0], date=today - dt.timedelta(days=n))
    figures = patient_adherence(planned_patient)
    assert figures.plan_start == planned_patient.programme_start
    assert (figures.last_7.days_done, figures.last_7.days) == (2, 7)
    assert (figures.last_28.days_done, figures.last_28.days) == (2, 28)


def test_figures_for_many_patients_cost_one_query(clinic, physio):
    exercise = ExerciseFactory(clinic=clinic)
    today = clinic.today()
    counts = []
    for size in (3, 30):
        for _ in range(size - clinic.patients.count()):
            PatientFactory(clinic=clinic, physio=physio)
        patients = list(clinic.patients.all())
        AdherenceMark.objects.bulk_create(
            [AdherenceMark(patient=p, exercise=exercise, date=today - dt.timedelta(days=n))
             for p in patients for n in range(3)],
            ignore_conflicts=True,
        )
        with CaptureQueriesContext(connection) as queries:
            found = adherence_by_patient(clinic, patients, as_of=today)
        counts.append(len(queries))
        assert len(found) == size
        assert {f.last_7.days_done for f in found.values()} == {3}
    assert counts == [1, 1]


def test_the_sql_read_on_postgresql_gives_the_figures_the_orm_read_gives(planned_patient, exercises, clinic,
                                                                          physio, monkeypatch):
    # PostgreSQL reads the marks and the plan's history in one statement of SQL
    # (rehab.adherence._adherence_rows_postgresql); elsewhere through the ORM.
    from rehab import adherence

    today = clinic.today()
    for n in (0, 1, 1, 5, 20, 27, 28, 40):
        AdherenceMark.objects.get_or_create(patient=planned_patient, exercise=exercises[n % 2],
                                            date=today - dt.timedelta(days=n))
    unplanned = PatientFactory(clinic=clinic, physio=physio)  # no plan, no marks
    imported = PatientFactory(clinic=clinic, physio=physio)
    AdherenceMarkFactory(patient=imported, exercise=exercises[0], date=today - dt.timedelta(days=3))
    patients = [planned_patient, unplanned, imported]
    for as_of in (today, today - dt.timedelta(days=2), today + dt.timedelta(days=10)):
        on_postgresql = adherence_by_patient(clinic, patients, as_of=as_of)

        class Elsewhere:
            vendor = "sqlite"

        with monkeypatch.context() as patch:
            patch.setattr(adherence, "read_connection", lambda model: Elsewhere)
            elsewhere = adherence_by_patient(clinic, patients, as_of=as_of)
        assert on_postgresql == elsewhere, as_of
    assert adherence_by_patient(clinic, patients, as_of=today)[planned_patient.pk].last_28.days_done > 1


def test_the_statuses_are_written_once_and_the_model_and_import_read_them():
    from content.codes import MARK_STATUSES
    from interchange.specs import _mark_status

    assert [code for code, _ in AdherenceMark._meta.get_field("status").choices] == list(MARK_STATUSES)
    assert {code: row.concern for code, row in MARK_STATUSES.items()} == {
        "done": False, "too_hard": True, "hurt": True}
    for code in MARK_STATUSES:
        assert _mark_status(code) == code
