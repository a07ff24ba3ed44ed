"""Adherence (DESIGN.md 9): the marks a patient gives the exercises of their
plan each day on the portal, and the 7- and 28-day figures read from them.

Days are the clinic's calendar days (`Clinic.today`): a mark is stored with
the clinic's date, and the windows end on the clinic's today.

When the patient could start ticking (the windows' earliest start) is read
from what the database holds: the programme start, or, when later, the day
the patient's first plan item was created (the plan's history) or their first
portal link was issued, in the clinic's time zone; never after the first
mark, and not at all without a link or a mark. See `rules.adherence.plan_start`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Min, OuterRef, Subquery

from content.codes import AdherenceStatus
from patients.models import AdherenceMark, AssignedPlanItem, Clinic, Patient, PortalLink
from rehab.db_routers import read_connection
from rehab.rules import adherence as rules
from rehab.rules.adherence import FOUR_WEEKS, WEEK, Adherence


class NotInPlan(Exception):
    """The exercise is not in the patient's plan (a stale page, or a forged form)."""


def adherence_mark_record(*, patient: Patient, exercise_code: str, status: str,
                          on: dt.date | None = None) -> AdherenceMark:
    """Mark an exercise of the patient's plan for the day (today in the
    clinic): done, too hard or it hurt. Marking it again changes the day's mark."""
    if status not in AdherenceStatus.values:
        raise ValueError(f"unknown adherence status {status!r}")
    item = _plan_item(patient, exercise_code)
    day = on or patient.clinic.today()
    mark, created = AdherenceMark.objects.get_or_create(
        patient=patient, exercise=item.exercise, date=day, defaults={"status": status},
    )
    if not created and mark.status != status:
        mark.status = status
        mark.save(update_fields=["status", "updated_at"])
    return mark


def adherence_mark_undo(*, patient: Patient, exercise_code: str, on: dt.date | None = None) -> bool:
    """Take back the day's mark of an exercise of the plan; False when there was none."""
    item = _plan_item(patient, exercise_code)
    day = on or patient.clinic.today()
    mark = AdherenceMark.objects.filter(patient=patient, exercise=item.exercise, date=day).first()
    if mark is None:
        return False
    mark.delete()  # through the instance, so that the history keeps it
    return True


def _plan_item(patient: Patient, exercise_code: str) -> AssignedPlanItem:
    item = (
        AssignedPlanItem.objects.filter(patient=patient, exercise__code=exercise_code)
        .select_related("exercise").first()
    )
    if item is None:
        raise NotInPlan(exercise_code)
    return item


@dataclass(frozen=True)
class PatientAdherence:
    plan_start: dt.date | None  # None: no portal link yet, so nothing to tick
    last_7: Adherence | None  # None: the plan has not started yet
    last_28: Adherence | None


def adherence_by_patient(clinic: Clinic, patients, *, as_of: dt.date | None = None) -> dict:
    """{patient id: PatientAdherence} for patients of one clinic, in one query
    whatever their number (the caseload's page, an export chunk)."""
    as_of = as_of or clinic.today()
    ids = [p.pk for p in patients]
    if not ids:
        return {}
    if read_connection(AdherenceMark).vendor == "postgresql":
        rows = _adherence_rows_postgresql(ids, as_of=as_of)
    else:
        # The quick start's SQLite has no array aggregate: the window's days in a second query.
        marks = AdherenceMark.objects.filter(patient_id=OuterRef("pk")).order_by().values("patient_id")
        planned = (AssignedPlanItem.history.model.objects.filter(patient_id=OuterRef("pk")).order_by()
                   .values("patient_id"))
        linked = PortalLink.objects.filter(patient_id=OuterRef("pk")).order_by().values("patient_id")
        columns = [
            Subquery(marks.annotate(first=Min("date")).values("first")),
            Subquery(planned.annotate(first=Min("history_date")).values("first")),
            Subquery(linked.annotate(first=Min("created_at")).values("first")),
        ]
        marked = defaultdict(set)
        for patient_id, day in AdherenceMark.objects.filter(
            patient_id__in=ids, date__gt=as_of - dt.timedelta(days=FOUR_WEEKS), date__lte=as_of,
        ).values_list("patient_id", "date"):
            marked[patient_id].add(day)
        rows = [(*row, sorted(marked[row[0]]))
                for row in Patient.objects.filter(pk__in=ids).values_list("pk", "programme_start", *columns)]
    found = {}
    for pk, programme_start, first_marked, first_planned, first_link, days in rows:
        start = rules.plan_start(
            first_planned=clinic.local_date(first_planned) if first_planned else None,
            first_link=clinic.local_date(first_link) if first_link else None,
            first_marked=first_marked, programme_start=programme_start,
        )
        days = days or []
        found[pk] = PatientAdherence(
            plan_start=start,
            last_7=rules.adherence_over(days, plan_start=start, as_of=as_of, days=WEEK),
            last_28=rules.adherence_over(days, plan_start=start, as_of=as_of, days=FOUR_WEEKS),
        )
    return found


def _adherence_rows_postgresql(ids, *, as_of: dt.date) -> list[tuple]:
    """(patient id, programme start, first mark's date, first plan history
    date, first portal link's time, [the window's days with a mark]) of each patient: the same
    subqueries as the ORM's, written once in SQL, since building them through
    the ORM cost more than running them (a caseload page, issue 13).

    The GROUP BY keeps PostgreSQL from answering the first plan history date
    as "the oldest history row of all, filtered to this patient" (an index
    scan by date that walks every patient's history before finding none:
    0.4 s for a page of 25 at 110,000 history rows); grouped, it reads the
    patient's own rows by the patient index."""
    sql = f"""
        SELECT p.id, p.programme_start,
               (SELECT min(m.date) FROM {AdherenceMark._meta.db_table} m WHERE m.patient_id = p.id),
               (SELECT min(h.history_date) FROM {AssignedPlanItem.history.model._meta.db_table} h
                WHERE h.patient_id = p.id GROUP BY h.patient_id),
               (SELECT min(l.created_at) FROM {PortalLink._meta.db_table} l WHERE l.patient_id = p.id),
               (SELECT array_agg(DISTINCT m.date) FROM {AdherenceMark._meta.db_table} m
                WHERE m.patient_id = p.id AND m.date > %(since)s AND m.date <= %(as_of)s)
        FROM {Patient._meta.db_table} p WHERE p.id = ANY(%(ids)s)
    """  # noqa: S608  (table names from the models; every value is a parameter)
    with read_connection(AdherenceMark).cursor() as cursor:  # an export's reads may be on the replica
        cursor.execute(sql, {"ids": list(ids), "since": as_of - dt.timedelta(days=FOUR_WEEKS), "as_of": as_of})
        return cursor.fetchall()


def patient_adherence(patient: Patient, *, as_of: dt.date | None = None) -> PatientAdherence:
    return adherence_by_patient(patient.clinic, [patient], as_of=as_of)[patient.pk]


def patient_marks(patient: Patient, *, since: dt.date, until: dt.date) -> list[AdherenceMark]:
    """The patient's marks from `since` to `until`, newest day first, with their exercises."""
    return list(
        AdherenceMark.objects.filter(patient=patient, date__gte=since, date__lte=until)
        .select_related("exercise").order_by("-date", "exercise__name")
    )


def flag_advice(flag, adherence: PatientAdherence | None) -> str:
    """The advice of a stored flag as the physio reads it now: a plateau with
    adherence under 50 % over the last 28 days says so. Every place that shows
    a flag's advice to a clinician (patient page, export) reads it here."""
    return rules.flag_advice(flag.code, flag.advice, adherence.last_28 if adherence else None)
