"""Removing content in the admin without breaking what patients already have:
a template's exercise, an exit criterion, an article; an exercise in use is
retired instead of deleted, with the reason in words."""

import re

import pytest
from django.urls import reverse

from content.models import EducationArticle, Exercise, Phase
from rehab.entries import entry_create
from rehab.flags import patient_reconcile
from rehab.models import Flag
from rehab.phase_moves import patient_move_phase
from tests.content.test_admin_editing import change_url, criterion_rows, form_data
from tests.factories import EducationArticleFactory, ExerciseFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:content_exercise_changelist"


def plan_of(patient):
    return list(patient.plan_items.order_by("order").values_list("exercise_id", "order", "dosage", "note"))


def template_rows(data):
    return {
        int(value): key.removesuffix("-exercise")
        for key, value in data.items()
        if re.fullmatch(r"template_items-\d+-exercise", key) and value
    }


def test_removing_an_exercise_from_a_template_leaves_patients_plans_as_they_were(
    admin_client, client, planned_patient, physio
):
    normalise = Phase.objects.get(clinic=planned_patient.clinic, code="normalise")
    plan = plan_of(planned_patient)
    removed = normalise.template_items.first().exercise
    assert removed.pk in [row[0] for row in plan]
    data = form_data(admin_client.get(change_url(normalise)))
    data[f"{template_rows(data)[removed.pk]}-DELETE"] = "on"
    assert admin_client.post(change_url(normalise), data).status_code == 302
    assert not normalise.template_items.filter(exercise=removed).exists()
    assert Exercise.objects.filter(pk=removed.pk, is_active=True).exists()
    assert plan_of(planned_patient) == plan
    client.force_login(physio)
    page = client.get(reverse("patient_detail", args=[planned_patient.pk]))
    assert page.status_code == 200 and removed.name in page.content.decode()


def test_removing_criteria_keeps_the_patient_page_caseload_history_and_flags_working(
    admin_client, client, planned_patient, physio
):
    patient = planned_patient
    entry_create(patient=patient, kind="visit", date=patient.clinic.today(), measures={"standing_tolerance_min": 12},
                 pain=[("lumbar_bilateral", "activity", 3)])
    patient_reconcile(patient_id=patient.pk)
    assert not Flag.objects.filter(patient=patient, code="ready_to_progress").exists()

    # Remove the one criterion not met: only activity pain ≤ 4 remains, and it is met.
    normalise = Phase.objects.get(clinic=patient.clinic, code="normalise")
    data = form_data(admin_client.get(change_url(normalise)))
    data[f"{criterion_rows(data)['standing_tolerance_min']}-DELETE"] = "on"
    assert admin_client.post(change_url(normalise), data).status_code == 302
    assert list(normalise.exit_criteria.values_list("measure", flat=True)) == ["activity_pain"]

    patient_reconcile(patient_id=patient.pk)
    assert Flag.objects.filter(patient=patient, code="ready_to_progress", closed_at__isnull=True).exists()
    client.force_login(physio)
    for url in (reverse("patient_detail", args=[patient.pk]), reverse("caseload"),
                reverse("patient_history", args=[patient.pk])):
        assert client.get(url).status_code == 200, url
    rows = client.get(reverse("patient_detail", args=[patient.pk])).context["record"].criteria_rows
    assert [(row.label, row.status) for row in rows] == [("Back/hip pain on activity (0-10)", "met")]

    # The move keeps its own snapshot of the criteria at that moment; removing
    # the next phase's criteria afterwards leaves it, and every page, intact.
    transition = patient_move_phase(patient=patient, to_phase="rebuild", expected_from="normalise",
                                    reason="Criteria met", by=physio)
    rebuild = Phase.objects.get(clinic=patient.clinic, code="rebuild")
    rebuild.exit_criteria.all().delete()  # even all of them
    normalise.exit_criteria.all().delete()
    patient_reconcile(patient_id=patient.pk)
    assert not Flag.objects.filter(patient=patient, code="ready_to_progress", closed_at__isnull=True).exists()
    transition.refresh_from_db()
    assert [row["measure"] for row in transition.criteria_snapshot] == ["activity_pain"]
    for url in (reverse("patient_detail", args=[patient.pk]), reverse("caseload"),
                reverse("patient_history", args=[patient.pk])):
        assert client.get(url).status_code == 200, url


def test_a_clinic_admin_deletes_an_article_and_the_portal_drops_it(admin_client, client, clinic, portal_url):
    article = EducationArticleFactory(clinic=clinic, title="Sleeping on your side", body="Put a pillow between.")
    assert "Sleeping on your side" in client.get(portal_url).content.decode()
    url = reverse("admin:content_educationarticle_delete", args=[article.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not EducationArticle.objects.filter(pk=article.pk).exists()
    assert article.history.first().history_type == "-"  # its text stays in the history
    page = client.get(portal_url)
    assert page.status_code == 200 and "Sleeping on your side" not in page.content.decode()


def test_an_unused_exercise_can_be_deleted(admin_client, clinic):
    typo = ExerciseFactory(clinic=clinic, name="Clamshels")
    url = reverse("admin:content_exercise_delete", args=[typo.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not Exercise.objects.filter(pk=typo.pk).exists()


def test_deleting_an_exercise_in_use_says_why_and_offers_to_retire_it(admin_client, planned_patient):
    exercise = planned_patient.plan_items.first().exercise
    plan = plan_of(planned_patient)
    url = reverse("admin:content_exercise_delete", args=[exercise.pk])
    page = admin_client.get(url).content.decode().replace("&#x27;", "'")
    assert f"“{exercise.name}” is in use, so it cannot be deleted." in page
    assert "the Normalise template" in page and "the plans of 1 patient" in page
    assert planned_patient.family_name not in page  # counts, not names
    assert "protected related objects" not in page
    assert 'value="retire"' in page

    # Confirming anyway deletes nothing.
    assert admin_client.post(url, {"post": "yes"}).status_code == 200
    assert Exercise.objects.filter(pk=exercise.pk).exists()

    # The page's retire button, as the browser posts it.
    response = admin_client.post(reverse(CHANGELIST), {
        "action": "retire", "_selected_action": str(exercise.pk), "index": "0",
    }, follow=True)
    assert f"Retired “{exercise.name}”" in response.content.decode()
    exercise.refresh_from_db()
    assert not exercise.is_active
    assert plan_of(planned_patient) == plan
    assert exercise.history.first().history_user.username == "admin-riverside"


def test_bulk_delete_of_exercises_in_use_offers_to_retire_them_all(admin_client, planned_patient, clinic):
    used = planned_patient.plan_items.first().exercise
    spare = ExerciseFactory(clinic=clinic, name="Wall sit")
    selection = {"_selected_action": [str(used.pk), str(spare.pk)], "index": "0"}
    page = admin_client.post(reverse(CHANGELIST), {**selection, "action": "delete_selected"}).content.decode()
    assert "Some of the selected exercises are in use, so they cannot be deleted." in page
    assert "Retire the selected exercises" in page
    assert Exercise.objects.filter(pk__in=[used.pk, spare.pk]).count() == 2

    admin_client.post(reverse(CHANGELIST), {**selection, "action": "retire"})
    assert not Exercise.objects.filter(pk__in=[used.pk, spare.pk], is_active=True).exists()
    admin_client.post(reverse(CHANGELIST), {**selection, "action": "bring_back"})
    assert Exercise.objects.filter(pk__in=[used.pk, spare.pk], is_active=True).count() == 2


def test_a_clinic_admin_cannot_retire_another_clinics_exercise(admin_client, other_clinic):
    theirs = Exercise.objects.filter(clinic=other_clinic).first()
    admin_client.post(reverse(CHANGELIST), {"action": "retire", "_selected_action": str(theirs.pk), "index": "0"})
    theirs.refresh_from_db()
    assert theirs.is_active
