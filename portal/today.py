"""Today's exercises on the patient's page, each with the mark the patient
gave it today (DESIGN 9): what templates/portal/_today.html shows."""

from django.db.models import OuterRef, Subquery

from content.codes import MARK_STATUSES
from content.models import Exercise
from patients.models import AdherenceMark, AssignedPlanItem, Patient


def plan_today(patient: Patient, *, plan_json: list | None = None) -> dict:
    """The plan's items, each with `today_mark` (a content.codes.MarkStatus,
    or None when not marked today), and how many are marked today.

    One query: the day's mark of each item's exercise comes as a subquery
    (one probe of the unique (patient, date, exercise) index an item). None
    when the caller read the plan already: `plan_json`, rows of
    PLAN_TODAY_JSON_SQL (portal.selectors reads them with the record's facts
    on PostgreSQL)."""
    if plan_json is None:
        today = AdherenceMark.objects.filter(patient_id=patient.pk, date=patient.clinic.today(),
                                             exercise_id=OuterRef("exercise_id"))
        items = list(
            AssignedPlanItem.objects.filter(patient=patient).select_related("exercise")
            .annotate(today_status=Subquery(today.values("status")[:1])).order_by("order", "id")
        )
    else:
        items = [_item_from_json(row) for row in plan_json]
    for item in items:
        item.today_mark = MARK_STATUSES[item.today_status] if item.today_status else None
    return {"plan": items, "plan_marked_today": sum(item.today_mark is not None for item in items)}


# The same read in SQL, as one JSON array (%(patient)s, %(today)s): each item's
# and its exercise's columns and today's mark, in the plan's order.
PLAN_TODAY_JSON_SQL = f"""
    SELECT json_agg(json_build_object('item', row_to_json(i), 'exercise', row_to_json(x), 'status', m.status)
                    ORDER BY i."order", i.id)
    FROM {AssignedPlanItem._meta.db_table} i JOIN {Exercise._meta.db_table} x ON x.id = i.exercise_id
    LEFT JOIN {AdherenceMark._meta.db_table} m
        ON m.patient_id = i.patient_id AND m.date = %(today)s AND m.exercise_id = i.exercise_id
    WHERE i.patient_id = %(patient)s
"""  # noqa: S608  (table names from the models; every value is a parameter)


def _item_from_json(row: dict) -> AssignedPlanItem:
    item = _instance(AssignedPlanItem, row["item"])
    item.exercise = _instance(Exercise, row["exercise"])
    item.today_status = row["status"]
    return item


def _instance(model, columns: dict):
    """A model instance from its row as JSON, each field's value made its
    Python type (as loading it through the ORM does)."""
    fields = model._meta.concrete_fields
    return model.from_db("default", [f.attname for f in fields],
                         [f.to_python(columns.get(f.column)) for f in fields])
