"""Assigned exercise plans: a patient's plan starts from their phase's template
and the physio adjusts it (add, remove, reorder, dosage, personal note).

Retired exercises (``Exercise.is_active=False``) stay in the plans that already
hold them, but are never added to a plan, from a template or by hand.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from content.models import Exercise, Phase, PhaseTemplateItem
from patients import bulk
from patients.models import AssignedPlanItem, Patient

UP = "up"
DOWN = "down"


def plans_assign_from_templates(*, patients, history=None) -> int:
    """Give newly created patients their phase's template as a plan, in bulk
    (the importer's counterpart of plan_assign_from_template): rows by COPY,
    with their history rows; an import assigns tens of thousands, so a row is
    a tuple, not a model instance."""
    clinic_ids = {p.clinic_id for p in patients}
    templates = defaultdict(list)
    for phase_clinic_id, phase_code, exercise_id, dosage in PhaseTemplateItem.objects.filter(
        phase__clinic_id__in=clinic_ids, exercise__is_active=True
    ).order_by("phase_id", "order", "id").values_list("phase__clinic_id", "phase__code", "exercise_id", "dosage"):
        templates[(phase_clinic_id, phase_code)].append((exercise_id, dosage))
    rows = [
        (patient.pk, exercise_id, position, dosage, "")
        for patient in patients
        for position, (exercise_id, dosage) in enumerate(templates.get((patient.clinic_id, patient.phase), []), start=1)
    ]
    if rows:
        history = history or {}
        user = history.get("default_user")
        bulk.rows_copy_keyed_by_database(
            AssignedPlanItem, ("patient_id", "exercise_id", "order", "dosage", "note"), rows,
            of=("patient_id", [p.pk for p in patients]), at=timezone.now(), user_id=user.pk if user else None,
            reason=history.get("default_change_reason"))
    return len(rows)


def plan_assign_from_template(*, patient: Patient, phase_code: str | None = None) -> list[AssignedPlanItem]:
    """Replace the patient's plan with a phase's template (by default their current phase)."""
    phase_code = phase_code or patient.phase
    items = PhaseTemplateItem.objects.filter(
        phase__clinic_id=patient.clinic_id, phase__code=phase_code, exercise__is_active=True
    ).select_related("exercise")
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        for old in patient.plan_items.all():
            old._change_reason = f"Plan replaced with the {phase_code} template"
            old.delete()
        created = []
        for position, item in enumerate(items, start=1):
            new = AssignedPlanItem(patient=patient, exercise=item.exercise, order=position, dosage=item.dosage)
            new._change_reason = f"From the {phase_code} template"
            new.save()
            created.append(new)
        return created


def plan_change_previews(patient: Patient, phase_codes) -> list[dict]:
    """For each programme phase in `phase_codes`, what replacing the plan with
    its template would add, remove and keep: [{"code", "name", "added",
    "removed", "kept"}] (exercise names, in template or plan order)."""
    current = [item.exercise.name for item in plan_items(patient)]
    templates = defaultdict(list)
    phases = {phase.code: phase.name for phase in Phase.objects.filter(clinic_id=patient.clinic_id)}
    for item in PhaseTemplateItem.objects.filter(
        phase__clinic_id=patient.clinic_id, phase__code__in=list(phase_codes), exercise__is_active=True
    ).select_related("phase", "exercise").order_by("order", "id"):
        templates[item.phase.code].append(item.exercise.name)
    previews = []
    for code in phase_codes:
        if code not in phases:
            continue  # discharge: the plan stays as it is
        template = templates[code]
        previews.append({
            "code": code, "name": phases[code],
            "added": [name for name in template if name not in current],
            "removed": [name for name in current if name not in template],
            "kept": [name for name in current if name in template],
        })
    return previews


def addable_exercises(patient: Patient):
    """Active exercises of the patient's clinic that are not yet in their plan."""
    return Exercise.objects.filter(clinic_id=patient.clinic_id, is_active=True).exclude(
        pk__in=patient.plan_items.values("exercise_id")
    )


def plan_item_add(*, patient: Patient, exercise: Exercise, dosage: str = "", note: str = "") -> AssignedPlanItem:
    """Add an exercise at the end of the plan."""
    if exercise.clinic_id != patient.clinic_id:
        raise ValidationError({"exercise": "That exercise is not in this clinic's library."})
    if not exercise.is_active:
        raise ValidationError({"exercise": "That exercise is retired and cannot be added to a plan."})
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        if patient.plan_items.filter(exercise=exercise).exists():
            raise ValidationError({"exercise": "That exercise is already in the plan."})
        last = patient.plan_items.aggregate(last=Max("order"))["last"] or 0
        item = AssignedPlanItem(patient=patient, exercise=exercise, order=last + 1, dosage=dosage, note=note)
        item.full_clean()
        item._change_reason = "Added by the physio"
        item.save()
    return item


def plan_item_remove(*, item: AssignedPlanItem) -> None:
    item._change_reason = "Removed by the physio"
    item.delete()


def plan_item_move(*, item: AssignedPlanItem, direction: str) -> None:
    """Swap the item with its neighbour above (``up``) or below (``down``).

    Positions are renumbered 1..n first, so items with equal ``order`` values
    (hand-made in the admin) still move predictably.
    """
    if direction not in (UP, DOWN):
        raise ValueError(f"unknown direction {direction!r}")
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=item.patient_id).first()
        items = list(AssignedPlanItem.objects.filter(patient_id=item.patient_id).order_by("order", "id"))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index - 1 if direction == UP else index + 1
        if not 0 <= target < len(items):
            return
        items[index], items[target] = items[target], items[index]
        for position, other in enumerate(items, start=1):
            if other.order != position:
                other.order = position
                other._change_reason = "Reordered by the physio"
                other.save(update_fields=["order"])


def plan_item_update(*, item: AssignedPlanItem, dosage: str, note: str) -> AssignedPlanItem:
    """Set the item's own dosage (blank: the exercise's default) and personal note."""
    item.dosage = dosage.strip()
    item.note = note.strip()
    item.full_clean()
    item._change_reason = "Dosage or note changed by the physio"
    item.save(update_fields=["dosage", "note"])
    return item


def plan_items(patient: Patient):
    return list(
        AssignedPlanItem.objects.filter(patient=patient).select_related("exercise").order_by("order", "id")
    )


def current_phase(patient: Patient) -> Phase | None:
    """The clinic's Phase row for the patient's phase (None once discharged)."""
    return (
        Phase.objects.filter(clinic_id=patient.clinic_id, code=patient.phase)
        .prefetch_related(
            Prefetch("template_items", queryset=PhaseTemplateItem.objects.select_related("exercise"))
        )
        .first()
    )
