"""Today's exercises on the patient's page, each with the mark the patient
gave it today (DESIGN 9): what templates/portal/_today.html shows."""

from content.codes import MARK_STATUSES
from patients.models import Patient
from rehab.adherence import marks_on
from rehab.plans import plan_items


def plan_today(patient: Patient) -> dict:
    """The plan's items, each with `today_mark` (a content.codes.MarkStatus,
    or None when not marked today), and how many are marked today."""
    items = plan_items(patient)
    marks = marks_on(patient, patient.clinic.today())
    for item in items:
        status = marks.get(item.exercise_id)
        item.today_mark = MARK_STATUSES[status] if status else None
    return {"plan": items, "plan_marked_today": sum(item.today_mark is not None for item in items)}
