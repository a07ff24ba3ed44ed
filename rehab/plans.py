"""Assigned exercise plans."""

from django.db import transaction

from content.models import PhaseTemplateItem
from patients.models import AssignedPlanItem, Patient


def plan_assign_from_template(*, patient: Patient, phase_code: str | None = None) -> list[AssignedPlanItem]:
    """Replace the patient's plan with a phase's template (by default their current phase)."""
    phase_code = phase_code or patient.phase
    items = PhaseTemplateItem.objects.filter(
        phase__clinic_id=patient.clinic_id, phase__code=phase_code, exercise__is_active=True
    ).select_related("exercise")
    with transaction.atomic():
        patient.plan_items.all().delete()
        return AssignedPlanItem.objects.bulk_create(
            AssignedPlanItem(patient=patient, exercise=item.exercise, order=position, dosage=item.dosage)
            for position, item in enumerate(items, start=1)
        )
