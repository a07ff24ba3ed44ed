"""Exercise codes: the stable key caseload files name an exercise by
(INTERCHANGE.md section 2)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from content import defaults
from content.models import Exercise
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db


def test_a_new_clinic_gets_the_default_librarys_fixed_codes(clinic):
    codes = dict(Exercise.objects.filter(clinic=clinic).values_list("name", "code"))
    assert codes == {spec["name"]: spec["code"] for spec in defaults.EXERCISES}
    assert codes["Supine hip flexor stretch"] == "supine-hip-flexor-stretch"


def test_a_new_exercise_gets_its_name_as_a_code_unique_in_the_clinic(clinic, other_clinic):
    assert ExerciseFactory(clinic=clinic, name="Wall squats (30°)").code == "wall-squats-30"
    # "Heel slides" is taken by the default library: the next gets a number.
    assert ExerciseFactory(clinic=clinic, name="Heel  slides!").code == "heel-slides-2"
    assert ExerciseFactory(clinic=clinic, name="×××").code == "exercise"
    assert ExerciseFactory(clinic=other_clinic, name="Wall squats 30").code == "wall-squats-30"


def test_renaming_keeps_the_code(clinic):
    exercise = Exercise.objects.get(clinic=clinic, code="clamshells")
    exercise.name = "Clams (side-lying)"
    exercise.save()
    exercise.refresh_from_db()
    assert exercise.code == "clamshells"


def test_the_database_refuses_a_duplicate_or_malformed_code(clinic):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExerciseFactory(clinic=clinic, name="Another", code="clamshells")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExerciseFactory(clinic=clinic, name="Shouting", code="Heel_Slides")


def test_the_admin_makes_the_code_from_the_name_and_shows_it_read_only(client, clinic_admin, clinic):
    client.force_login(clinic_admin)
    add = client.get(reverse("admin:content_exercise_add")).content.decode()
    assert 'name="code"' not in add
    response = client.post(reverse("admin:content_exercise_add"), {
        "name": "Sit to stand", "instructions": "Stand up.", "dosage": "3 × 10", "is_active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    exercise = Exercise.objects.get(clinic=clinic, name="Sit to stand")
    assert exercise.code == "sit-to-stand"
    change = client.get(reverse("admin:content_exercise_change", args=[exercise.pk])).content.decode()
    assert 'name="code"' not in change
    assert "sit-to-stand" in change


BEFORE = [("content", "0005_article_section_and_shown")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_default_exercises_their_fixed_codes_and_others_a_unique_slug():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(list(MigrationExecutor(connection).loader.applied_migrations)).apps
        Clinic = old.get_model("patients", "Clinic")
        Exercise_ = old.get_model("content", "Exercise")
        clinic = Clinic.objects.create(slug="oldtown", name="Old Town Physio")
        other = Clinic.objects.create(slug="newtown", name="New Town Physio")
        for name in ("Heel slides!", "Supine hip flexor stretch", "Heel slides", "Wall squats"):
            Exercise_.objects.create(clinic_id=clinic.pk, name=name, instructions="x", dosage="y")
        Exercise_.objects.create(clinic_id=other.pk, name="Wall squats", instructions="x", dosage="y")
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert dict(Exercise.objects.filter(clinic__slug="oldtown").values_list("name", "code")) == {
        "Supine hip flexor stretch": "supine-hip-flexor-stretch",
        "Heel slides": "heel-slides",  # the default keeps its code
        "Heel slides!": "heel-slides-2",
        "Wall squats": "wall-squats",
    }
    assert Exercise.objects.get(clinic__slug="newtown").code == "wall-squats"
