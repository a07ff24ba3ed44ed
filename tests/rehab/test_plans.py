"""Plan services: from the template, then add, remove, reorder, dosage and note;
retired exercises stay in plans but are never offered."""

import pytest
from django.core.exceptions import ValidationError

from content.models import Exercise, PhaseTemplateItem
from rehab import plans
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


def names(patient):
    return list(patient.plan_items.order_by("order", "id").values_list("exercise__name", flat=True))


def template_names(clinic, phase):
    return list(PhaseTemplateItem.objects.filter(phase__clinic=clinic, phase__code=phase)
                .order_by("order", "id").values_list("exercise__name", flat=True))


def test_a_plan_starts_from_the_phase_template(planned_patient, clinic):
    assert names(planned_patient) == template_names(clinic, "normalise")
    assert names(planned_patient)


def test_a_retired_template_exercise_is_not_assigned(patient, clinic):
    retired = PhaseTemplateItem.objects.filter(phase__clinic=clinic, phase__code="normalise").first().exercise
    retired.is_active = False
    retired.save()
    plans.plan_assign_from_template(patient=patient)
    assert retired.name not in names(patient)
    assert len(names(patient)) == len(template_names(clinic, "normalise")) - 1


def test_add_appends_an_active_exercise_of_the_clinic(planned_patient, clinic):
    exercise = Exercise.objects.get(clinic=clinic, name="Clamshells")
    item = plans.plan_item_add(patient=planned_patient, exercise=exercise, dosage="2 × 8", note="Slowly")
    assert names(planned_patient)[-1] == "Clamshells"
    assert (item.dosage, item.note, item.effective_dosage) == ("2 × 8", "Slowly", "2 × 8")


@pytest.mark.parametrize("case", ["retired", "other-clinic", "already-planned"])
def test_add_refuses_retired_foreign_or_duplicate_exercises(planned_patient, clinic, other_clinic, case):
    exercise = {
        "retired": lambda: ExerciseFactory(clinic=clinic, is_active=False),
        "other-clinic": lambda: Exercise.objects.get(clinic=other_clinic, name="Clamshells"),
        "already-planned": lambda: planned_patient.plan_items.first().exercise,
    }[case]()
    before = names(planned_patient)
    with pytest.raises(ValidationError):
        plans.plan_item_add(patient=planned_patient, exercise=exercise)
    assert names(planned_patient) == before


def test_addable_exercises_are_active_and_not_yet_planned(planned_patient, clinic):
    retired = ExerciseFactory(clinic=clinic, is_active=False)
    offered = set(plans.addable_exercises(planned_patient))
    assert retired not in offered
    assert not offered & {item.exercise for item in planned_patient.plan_items.all()}
    assert offered == set(Exercise.objects.filter(clinic=clinic, is_active=True)) - {
        item.exercise for item in planned_patient.plan_items.all()}


def test_remove_takes_the_exercise_out(planned_patient):
    first = planned_patient.plan_items.first()
    plans.plan_item_remove(item=first)
    assert first.exercise.name not in names(planned_patient)


def test_move_up_and_down_swaps_neighbours_and_stops_at_the_ends(planned_patient):
    original = names(planned_patient)
    second = planned_patient.plan_items.get(exercise__name=original[1])
    plans.plan_item_move(item=second, direction=plans.UP)
    assert names(planned_patient) == [original[1], original[0], *original[2:]]
    plans.plan_item_move(item=second, direction=plans.UP)  # already first
    assert names(planned_patient)[0] == original[1]
    last = planned_patient.plan_items.get(exercise__name=original[-1])
    plans.plan_item_move(item=last, direction=plans.DOWN)  # already last
    assert names(planned_patient)[-1] == original[-1]
    plans.plan_item_move(item=second, direction=plans.DOWN)
    assert names(planned_patient) == original


def test_update_sets_personal_dosage_and_note_and_blank_falls_back_to_default(planned_patient):
    item = planned_patient.plan_items.select_related("exercise").first()
    plans.plan_item_update(item=item, dosage=" 1 × 5 ", note="Stop if the groin pinches")
    item.refresh_from_db()
    assert (item.dosage, item.note) == ("1 × 5", "Stop if the groin pinches")
    plans.plan_item_update(item=item, dosage="", note="")
    item.refresh_from_db()
    assert item.effective_dosage == item.exercise.dosage


def test_plan_changes_are_audited(planned_patient):
    item = planned_patient.plan_items.first()
    plans.plan_item_update(item=item, dosage="1 × 5", note="")
    assert item.history.latest().history_change_reason == "Dosage or note changed by the physio"


def test_retiring_an_exercise_keeps_it_in_existing_plans(planned_patient):
    item = planned_patient.plan_items.select_related("exercise").first()
    item.exercise.is_active = False
    item.exercise.save()
    assert item.exercise.name in names(planned_patient)
