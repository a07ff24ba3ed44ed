"""Today's exercises on the patient's page, each with the mark the patient
gave it today (DESIGN 9): what templates/portal/_today.html shows."""

from django.db.models import OuterRef, Subquery

from content.codes import MARK_STATUSES
from patients.models import AdherenceMark, AssignedPlanItem, Patient


def plan_today(patient: Patient) -> dict:
    """The plan's items, each with `today_mark` (a content.codes.MarkStatus,
    or None when not marked today), and how many are marked today.

    One query: the day's mark of each item's exercise comes as a subquery
    (one probe of the unique (patient, date, exercise) index an item)."""
    today = AdherenceMark.objects.filter(patient_id=patient.pk, date=patient.clinic.today(),
                                         exercise_id=OuterRef("exercise_id"))
    items = list(
        AssignedPlanItem.objects.filter(patient=patient).select_related("exercise")
        .annotate(today_status=Subquery(today.values("status")[:1])).order_by("order", "id")
    )
    for item in items:
        item.today_mark = MARK_STATUSES[item.today_status] if item.today_status else None
    return {"plan": items, "plan_marked_today": sum(item.today_mark is not None for item in items)}
