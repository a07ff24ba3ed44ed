"""Every clinic starts with the default programme (DESIGN.md §1)."""

import pytest

from content import defaults
from content.models import EducationArticle, Exercise, Phase
from content.services import clinic_programme_seed
from patients.models import Clinic

pytestmark = pytest.mark.django_db


def criteria_of(clinic, code):
    return sorted(clinic.phases.get(code=code).exit_criteria.values_list("measure", "comparator", "threshold"))


def test_new_clinic_gets_three_phases_in_order():
    clinic = Clinic.objects.create(slug="new", name="New clinic")
    assert list(clinic.phases.values_list("code", flat=True)) == ["normalise", "rebuild", "integrate"]


def test_new_clinic_gets_the_default_exit_criteria():
    clinic = Clinic.objects.create(slug="new", name="New clinic")
    assert criteria_of(clinic, "normalise") == [("activity_pain", "<=", 4), ("standing_tolerance_min", ">=", 20)]
    assert criteria_of(clinic, "rebuild") == [
        ("glute_bridge_hold_s", ">=", 30),
        ("glute_bridge_lumbar_substitution", "==", 0),
        ("walk_without_limp_min", ">=", 20),
    ]
    assert criteria_of(clinic, "integrate") == [
        ("continuous_walk_min", ">=", 45),
        ("gait_symmetric_video", "==", 1),
        ("rest_pain", "<=", 2),
    ]


def test_new_clinic_gets_the_exercise_library_and_templates():
    clinic = Clinic.objects.create(slug="new", name="New clinic")
    assert clinic.exercises.count() == 15
    bridge = clinic.exercises.get(name="Double-leg glute bridge")
    assert bridge.instruction_steps and bridge.dosage
    template = list(
        clinic.phases.get(code="normalise").template_items.values_list("exercise__name", flat=True)
    )
    assert template == defaults.PHASES[0]["template"]


def test_new_clinic_gets_the_education_articles():
    clinic = Clinic.objects.create(slug="new", name="New clinic")
    slugs = set(clinic.articles.values_list("slug", flat=True))
    assert {"dos", "donts", "first-72-hours", "seek-same-day-care", "why-it-happens"} <= slugs


def test_seeding_twice_keeps_the_clinic_admins_edits():
    clinic = Clinic.objects.create(slug="new", name="New clinic")
    Exercise.objects.filter(clinic=clinic, name="Clamshells").update(dosage="2 × 8")
    clinic_programme_seed(clinic=clinic)
    assert Exercise.objects.filter(clinic=clinic).count() == 15
    assert Exercise.objects.get(clinic=clinic, name="Clamshells").dosage == "2 × 8"
    assert Phase.objects.filter(clinic=clinic).count() == 3
    assert EducationArticle.objects.filter(clinic=clinic).count() == len(defaults.EDUCATION)


def test_clinics_do_not_share_content():
    first = Clinic.objects.create(slug="one", name="One")
    second = Clinic.objects.create(slug="two", name="Two")
    Exercise.objects.filter(clinic=first, name="Clamshells").update(dosage="changed")
    assert second.exercises.get(name="Clamshells").dosage != "changed"
