"""Content editing a clinic admin who is not technical can do, through the
admin's own forms: yes/no criteria as Yes/No, messages in words (never a
constraint's name), and removing or retiring template exercises, criteria,
articles and exercises without breaking what patients already have."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from content.admin_forms import ExitCriterionForm
from content.models import EducationArticle, Exercise, ExitCriterion, Phase
from patients.models import User
from tests.admin_pages import add_inline_row, change_url, form_data
from tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

CONSTRAINT_NAMES = [
    constraint.name
    for model in apps.get_models()
    if model._meta.app_label in ("content", "patients", "rehab")
    for constraint in model._meta.constraints
]


def criterion_rows(data):
    """{measure: row prefix} of the exit-criteria inline in `data`."""
    return {
        value: key.removesuffix("-measure")
        for key, value in data.items()
        if re.fullmatch(r"exit_criteria-\d+-measure", key)
    }


def add_criterion_row(data, **values):
    return add_inline_row(data, "exit_criteria", **values)


def assert_readable(response, message):
    """The page shows `message` as an error, and no constraint's name."""
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "is violated" not in page
    assert not [name for name in CONSTRAINT_NAMES if name in page]


def criteria(phase):
    return sorted(phase.exit_criteria.values_list("measure", "comparator", "threshold"))


def phase_page(admin_client, phase):
    response = admin_client.get(change_url(phase))
    assert response.status_code == 200
    return form_data(response)


# Yes/no criteria ---------------------------------------------------------------


def test_a_yes_no_criterion_is_shown_as_yes_and_no_not_as_1_and_0(admin_client, integrate):
    response = admin_client.get(change_url(integrate))
    data = form_data(response)
    row = criterion_rows(data)["gait_symmetric_video"]
    assert data[f"{row}-answer"] == "yes"
    assert f"{row}-threshold" not in data and data[f"{row}-comparator"] == ""
    page = response.content.decode()
    assert '<option value="yes" selected>Yes</option>' in page


def test_a_clinic_admin_sets_a_yes_no_criterion_to_no(admin_client, integrate):
    data = phase_page(admin_client, integrate)
    row = criterion_rows(data)["gait_symmetric_video"]
    data[f"{row}-answer"] = "no"
    assert admin_client.post(change_url(integrate), data).status_code == 302
    criterion = integrate.exit_criteria.get(measure="gait_symmetric_video")
    assert (criterion.comparator, criterion.threshold) == ("==", 0)
    assert criterion.history.first().history_user.username == "admin-riverside"


def test_a_new_yes_no_criterion_takes_yes_and_its_comparison_is_always_equals(admin_client, clinic):
    rebuild = Phase.objects.get(clinic=clinic, code="rebuild")
    rebuild.exit_criteria.filter(measure="glute_bridge_lumbar_substitution").delete()
    data = phase_page(admin_client, rebuild)
    add_criterion_row(data, measure="glute_bridge_lumbar_substitution", comparator=">=", threshold="7", answer="no")
    assert admin_client.post(change_url(rebuild), data).status_code == 302
    criterion = rebuild.exit_criteria.get(measure="glute_bridge_lumbar_substitution")
    assert (criterion.comparator, criterion.threshold) == ("==", 0)


def test_a_yes_no_criterion_without_an_answer_says_to_choose_yes_or_no(admin_client, integrate):
    before = criteria(integrate)
    data = phase_page(admin_client, integrate)
    data[f"{criterion_rows(data)['gait_symmetric_video']}-answer"] = ""
    response = admin_client.post(change_url(integrate), data)
    assert_readable(response, "Symmetric gait on video is a yes/no measure: choose Yes or No.")
    assert criteria(integrate) == before


# Numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(("measure", "typed", "message"), [
    ("rest_pain", "12", "Back/hip pain at rest is scored 0–10; 12 is out of range."),
    ("continuous_walk_min", "2000", "Continuous walking is 0–1440 minutes; 2000 is out of range."),
    ("continuous_walk_min", "-5", "Continuous walking is 0–1440 minutes; -5 is out of range."),
    ("continuous_walk_min", "", "Enter a number: Continuous walking is 0–1440 minutes."),
])
def test_a_threshold_outside_the_measures_limits_is_refused_in_words(admin_client, integrate, measure, typed, message):
    before = criteria(integrate)
    data = phase_page(admin_client, integrate)
    data[f"{criterion_rows(data)[measure]}-threshold"] = typed
    response = admin_client.post(change_url(integrate), data)
    assert_readable(response, message)
    assert criteria(integrate) == before


def test_a_new_pain_criterion_out_of_range_is_refused_and_nothing_is_written(admin_client, clinic):
    rebuild = Phase.objects.get(clinic=clinic, code="rebuild")
    before = criteria(rebuild)
    data = phase_page(admin_client, rebuild)
    add_criterion_row(data, measure="activity_pain", comparator="<=", threshold="12")
    response = admin_client.post(change_url(rebuild), data)
    assert_readable(response, "Back/hip pain on activity is scored 0–10; 12 is out of range.")
    assert criteria(rebuild) == before


def test_a_number_criterion_needs_a_comparison(admin_client, integrate):
    data = phase_page(admin_client, integrate)
    data[f"{criterion_rows(data)['rest_pain']}-comparator"] = ""
    response = admin_client.post(change_url(integrate), data)
    assert_readable(response, "Choose ≤ (at most) or ≥ (at least) for Back/hip pain at rest.")
    assert integrate.exit_criteria.get(measure="rest_pain").comparator == "<="


def test_a_clinic_admin_changes_a_number_threshold(admin_client, integrate):
    data = phase_page(admin_client, integrate)
    data[f"{criterion_rows(data)['continuous_walk_min']}-threshold"] = "30"
    assert admin_client.post(change_url(integrate), data).status_code == 302
    assert integrate.exit_criteria.get(measure="continuous_walk_min").threshold == 30


def test_a_clinic_admin_sets_a_hip_extension_target_short_of_neutral(admin_client, clinic):
    """Restoring hip extension is Normalise's primary goal (DESIGN 3): a
    target below neutral is a signed threshold."""
    normalise = Phase.objects.get(clinic=clinic, code="normalise")
    data = phase_page(admin_client, normalise)
    add_criterion_row(data, measure="hip_extension_deg", comparator=">=", threshold="-5")
    assert admin_client.post(change_url(normalise), data).status_code == 302
    assert normalise.exit_criteria.get(measure="hip_extension_deg").threshold == -5


def test_a_hip_extension_target_beyond_the_test_is_refused_in_words(admin_client, clinic):
    normalise = Phase.objects.get(clinic=clinic, code="normalise")
    before = criteria(normalise)
    data = phase_page(admin_client, normalise)
    add_criterion_row(data, measure="hip_extension_deg", comparator=">=", threshold="-40")
    response = admin_client.post(change_url(normalise), data)
    assert_readable(response, "Passive hip extension, operated side is -30° to 30°; -40 is out of range.")
    assert criteria(normalise) == before


# Duplicates -----------------------------------------------------------------------


def test_a_second_criterion_for_the_same_measure_is_refused_in_words(admin_client, integrate):
    before = criteria(integrate)
    data = phase_page(admin_client, integrate)
    add_criterion_row(data, measure="rest_pain", comparator="<=", threshold="1")
    response = admin_client.post(change_url(integrate), data)
    assert_readable(response, "A criterion for this measure already exists in this phase")
    assert criteria(integrate) == before


def test_an_exercise_twice_in_a_template_is_refused_in_words(admin_client, integrate):
    before = list(integrate.template_items.values_list("exercise_id", flat=True))
    data = phase_page(admin_client, integrate)
    index = int(data["template_items-TOTAL_FORMS"]) - 1  # the empty extra row
    data[f"template_items-{index}-exercise"] = str(before[0])
    data[f"template_items-{index}-order"] = "50"
    response = admin_client.post(change_url(integrate), data)
    assert_readable(response, "This exercise is already in this phase's template.")
    assert list(integrate.template_items.values_list("exercise_id", flat=True)) == before


@pytest.mark.parametrize("forged", ["abc", "\x00", "💥", "3f2c7c1e-0d7e-4b53-9a57-5a3c1c0f2b11", "-1"])
def test_a_forged_exercise_in_a_template_row_is_refused_not_a_500(admin_client, integrate, forged):
    before = list(integrate.template_items.values_list("exercise_id", flat=True))
    data = phase_page(admin_client, integrate)
    index = int(data["template_items-TOTAL_FORMS"]) - 1  # the empty extra row
    data[f"template_items-{index}-exercise"] = forged
    data[f"template_items-{index}-order"] = "50"
    response = admin_client.post(change_url(integrate), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page or "Null characters are not allowed" in page
    assert list(integrate.template_items.values_list("exercise_id", flat=True)) == before


def test_an_exercise_name_already_in_the_library_is_refused_next_to_the_name(admin_client, clinic):
    count = Exercise.objects.count()
    data = {"name": "Clamshells", "purpose": "", "instructions": "Open the knees.", "dosage": "2 × 10",
            "cautions": "", "media_url": "", "is_active": "on"}
    response = admin_client.post(reverse("admin:content_exercise_add"), data)
    assert_readable(response, "already has an exercise with this name")
    assert response.context["adminform"].form.errors["name"]
    assert Exercise.objects.count() == count


def test_renaming_an_exercise_to_another_ones_name_is_refused(admin_client, clinic):
    exercise = Exercise.objects.get(clinic=clinic, name="Heel slides")
    response = admin_client.get(change_url(exercise))
    data = form_data(response)
    data["name"] = "Clamshells"
    assert_readable(admin_client.post(change_url(exercise), data), "already has an exercise with this name")
    exercise.refresh_from_db()
    assert exercise.name == "Heel slides"


def test_a_name_used_only_by_another_clinic_is_fine(admin_client, clinic, other_clinic):
    ExerciseFactory(clinic=other_clinic, name="Wall sit")
    data = {"name": "Wall sit", "instructions": "Slide down the wall.", "dosage": "3 × 20 s", "is_active": "on"}
    assert admin_client.post(reverse("admin:content_exercise_add"), data).status_code == 302
    assert Exercise.objects.get(clinic=clinic, name="Wall sit")


def test_an_article_slug_already_used_is_refused_in_words(admin_client, clinic):
    taken = EducationArticle.objects.filter(clinic=clinic).first()
    count = EducationArticle.objects.count()
    data = {"title": "Sleeping positions", "slug": taken.slug, "audience": "patient", "section": "general",
            "order": "5", "is_active": "on", "body": "On your back."}
    response = admin_client.post(reverse("admin:content_educationarticle_add"), data)
    assert_readable(response, "Another article of your clinic already has this slug")
    assert response.context["adminform"].form.errors["slug"]
    assert EducationArticle.objects.count() == count


def test_a_staff_account_without_a_role_is_refused_in_words(admin_client, clinic):
    count = User.objects.count()
    data = {"username": "newphysio", "password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42",
            "role": "", "first_name": "New", "last_name": "Physio", "email": ""}
    response = admin_client.post(reverse("admin:patients_user_add"), data)
    assert_readable(response, "Choose the person's role: physiotherapist or clinic admin.")
    assert User.objects.count() == count


def test_every_constraint_a_person_can_meet_has_a_message_in_words():
    """A new constraint without a message fails here, before anyone sees its name."""
    missing = []
    for model in apps.get_models():
        if model._meta.app_label not in ("content", "patients"):
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and constraint.fields and not constraint.condition:
                if tuple(constraint.fields) not in getattr(model, "unique_messages", {}):
                    missing.append(constraint.name)
            elif constraint.violation_error_message == constraint.default_violation_error_message:
                missing.append(constraint.name)
    assert missing == []


def test_a_criterion_saved_outside_the_admin_gets_the_same_message(integrate):
    criterion = ExitCriterion(phase=integrate, measure="rest_pain", comparator="<=", threshold=11)
    with pytest.raises(Exception) as error:
        criterion.full_clean()
    assert error.value.message_dict["threshold"] == ["Back/hip pain at rest is scored 0–10; 11 is out of range."]
    duplicate = ExitCriterion(phase=integrate, measure="continuous_walk_min", comparator=">=", threshold=30)
    with pytest.raises(Exception) as error:
        duplicate.full_clean()
    assert "A criterion for this measure already exists in this phase" in str(error.value)


def test_the_criterion_form_works_on_its_own_as_well_as_inline(integrate):
    integrate.exit_criteria.filter(measure="gait_symmetric_video").delete()
    form = ExitCriterionForm({"measure": "gait_symmetric_video", "answer": "no"}, instance=ExitCriterion(phase=integrate))
    assert form.is_valid(), form.errors
    saved = form.save()
    assert (saved.comparator, saved.threshold) == ("==", 0)
    form = ExitCriterionForm({"measure": "rest_pain", "comparator": "<=", "threshold": "11"},
                             instance=integrate.exit_criteria.get(measure="rest_pain"))
    assert form.errors == {"threshold": ["Back/hip pain at rest is scored 0–10; 11 is out of range."]}
