"""The Django admin for clinic admins: every page loads, and only their clinic's rows show."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.admin_scoping import scope_choices
from content.models import EducationArticle, Exercise, ExitCriterion, Phase
from patients.models import Entry, Patient, User
from rehab.models import Flag, PhaseTransition
from tests.admin_pages import form_data
from tests.factories import (
    ClinicAdminFactory,
    EntryFactory,
    FlagFactory,
    PatientFactory,
    PhaseTransitionFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [Phase, Exercise, EducationArticle, Patient, Entry, User, Flag, PhaseTransition]


@pytest.fixture
def two_clinics(clinic, other_clinic, physio, outsider):
    mine = PatientFactory(clinic=clinic, physio=physio, ref="P-MINE", family_name="Mine")
    theirs = PatientFactory(clinic=other_clinic, physio=outsider, ref="P-THEIRS", family_name="Theirs")
    for patient in (mine, theirs):
        entry = EntryFactory(patient=patient)
        FlagFactory(patient=patient, code="dvt_signs", severity="same_day", entry=entry)
        PhaseTransitionFactory(patient=patient)
    return mine, theirs


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_clinic_admin_sees_only_their_clinic_in_each_list(client, clinic_admin, two_clinics, model):
    client.force_login(clinic_admin)
    response = client.get(changelist(model))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    expected = set(model.objects.filter(**{_clinic_path(model): clinic_admin.clinic_id}).values_list("pk", flat=True))
    assert shown == expected and shown


def _clinic_path(model):
    return {
        Phase: "clinic", Exercise: "clinic", EducationArticle: "clinic", Patient: "clinic", User: "clinic",
        Entry: "patient__clinic", Flag: "patient__clinic", PhaseTransition: "patient__clinic",
    }[model]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_other_clinics_rows_answer_not_found_in_the_admin(client, clinic_admin, two_clinics, model, other_clinic):
    client.force_login(clinic_admin)
    other = model.objects.filter(**{_clinic_path(model): other_clinic.pk}).first()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[other.pk])
    response = client.get(url)
    # Not Django's redirect to the admin index ("doesn't exist"): a 404, as everywhere else.
    assert response.status_code == 404
    assert other_clinic.name not in response.content.decode()


def test_change_pages_and_history_load_for_a_clinic_admin(client, clinic_admin, two_clinics):
    client.force_login(clinic_admin)
    mine, _ = two_clinics
    exercise = Exercise.objects.filter(clinic=clinic_admin.clinic).first()
    phase = Phase.objects.get(clinic=clinic_admin.clinic, code="rebuild")
    for url in (
        reverse("admin:index"),
        reverse("admin:content_exercise_change", args=[exercise.pk]),
        reverse("admin:content_exercise_history", args=[exercise.pk]),
        reverse("admin:content_phase_change", args=[phase.pk]),
        reverse("admin:patients_patient_change", args=[mine.pk]),
        reverse("admin:patients_patient_history", args=[mine.pk]),
        reverse("admin:content_exercise_add"),
    ):
        assert client.get(url).status_code == 200, url


def test_clinic_admin_edits_an_exercise_and_history_records_it(client, clinic_admin):
    client.force_login(clinic_admin)
    exercise = Exercise.objects.get(clinic=clinic_admin.clinic, name="Clamshells")
    data = {
        "name": exercise.name, "purpose": exercise.purpose, "instructions": "Lie on your side.\nOpen the knees.",
        "dosage": "2 × 12", "cautions": "", "media_url": "", "is_active": "on",
    }
    response = client.post(reverse("admin:content_exercise_change", args=[exercise.pk]), data)
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.dosage == "2 × 12"
    latest = exercise.history.first()
    assert latest.history_user == clinic_admin and latest.dosage == "2 × 12"


def test_saving_an_exercise_unchanged_records_no_change_of_its_text(client, clinic_admin):
    """Browsers send a text box's lines with CR LF: saved as they are, every
    line of the instructions showed in the history as changed."""
    client.force_login(clinic_admin)
    exercise = Exercise.objects.get(clinic=clinic_admin.clinic, name="Clamshells")
    assert "\n" in exercise.instructions
    data = {"name": exercise.name, "purpose": exercise.purpose,
            "instructions": exercise.instructions.replace("\n", "\r\n"), "dosage": exercise.dosage,
            "cautions": exercise.cautions, "media_url": exercise.media_url, "is_active": "on"}
    versions = exercise.history.count()
    assert client.post(reverse("admin:content_exercise_change", args=[exercise.pk]), data).status_code == 302
    assert exercise.history.count() == versions  # nothing changed: no "Changed" row with nothing in it
    data["dosage"] = "2 × 12"
    assert client.post(reverse("admin:content_exercise_change", args=[exercise.pk]), data).status_code == 302
    latest = exercise.history.first()
    assert [change.field for change in latest.diff_against(latest.prev_record).changes] == ["dosage"]
    page = client.get(reverse("admin:content_exercise_history", args=[exercise.pk])).content.decode()
    assert "Instructions:" not in page and ">None<" not in page.replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("model", ["educationarticle", "phase", "clinic"])
def test_saving_a_page_unchanged_adds_no_history_row(client, clinic_admin, model):
    client.force_login(clinic_admin)
    admin_model = apps.get_model("content" if model != "clinic" else "patients", model)
    obj = scope_choices(admin_model.objects.all(), clinic_admin.clinic_id).first()
    url = reverse(f"admin:{admin_model._meta.app_label}_{model}_change", args=[obj.pk])
    versions = obj.history.count()
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert obj.history.count() == versions


def test_a_deleted_articles_history_stays_open_to_its_clinic_admin_only(client, clinic_admin, other_clinic):
    client.force_login(clinic_admin)
    article = EducationArticle.objects.filter(clinic=clinic_admin.clinic).first()
    delete = reverse("admin:content_educationarticle_delete", args=[article.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    history = reverse("admin:content_educationarticle_history", args=[article.pk])
    page = client.get(history)
    assert page.status_code == 200 and article.title in page.content.decode()
    client.force_login(ClinicAdminFactory(clinic=other_clinic, username="hilltop-admin"))
    assert client.get(history).status_code == 404


def test_a_patients_admin_history_links_to_the_whole_record_history(client, clinic_admin, two_clinics):
    mine, _ = two_clinics
    client.force_login(clinic_admin)
    page = client.get(reverse("admin:patients_patient_history", args=[mine.pk])).content.decode()
    assert f'href="{reverse("patient_history", args=[mine.pk])}"' in page
    assert "Kinetic (automatic)" in page  # the factory, like an import, saves with no user


def test_clinic_admin_adds_an_exercise_to_their_own_clinic(client, clinic_admin):
    client.force_login(clinic_admin)
    data = {"name": "Cycling", "purpose": "", "instructions": "Pedal gently.", "dosage": "10 min",
            "cautions": "", "media_url": "", "is_active": "on"}
    assert client.post(reverse("admin:content_exercise_add"), data).status_code == 302
    assert Exercise.objects.get(name="Cycling").clinic == clinic_admin.clinic


def test_clinic_admin_cannot_edit_clinical_records(client, clinic_admin, two_clinics):
    client.force_login(clinic_admin)
    mine, _ = two_clinics
    response = client.post(reverse("admin:patients_patient_change", args=[mine.pk]), {"ref": "CHANGED"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.ref == "P-MINE"


def test_physio_has_no_admin_access(client, physio):
    client.force_login(physio)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "login" in response.url


def test_exit_criterion_thresholds_are_editable_inline(client, clinic_admin):
    client.force_login(clinic_admin)
    phase = Phase.objects.get(clinic=clinic_admin.clinic, code="normalise")
    response = client.get(reverse("admin:content_phase_change", args=[phase.pk]))
    assert b"exit_criteria-0-threshold" in response.content
    assert ExitCriterion.objects.filter(phase=phase).count() == 2


def test_clinic_admin_renames_their_clinic_but_not_its_slug(client, clinic_admin):
    clinic = clinic_admin.clinic
    client.force_login(clinic_admin)
    url = reverse("admin:patients_clinic_change", args=[clinic.pk])
    response = client.post(url, {"name": "Riverside Physio Ltd", "slug": "stolen", "time_zone": "Europe/London",
                                      "emergency_number": "999"})
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.name == "Riverside Physio Ltd" and clinic.slug == "riverside"


def test_history_revert_of_a_read_only_record_is_refused_even_in_the_own_clinic(client, clinic_admin, two_clinics):
    mine, _ = two_clinics
    version = mine.history.earliest().history_id
    client.force_login(clinic_admin)
    url = reverse("admin:patients_patient_simple_history", args=[mine.pk, version])
    assert client.get(url).status_code == 200  # reading the version is fine
    changes = mine.history.count()
    response = client.post(url, {"ref": "REVERTED", "given_name": "X", "family_name": "Y"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.ref == "P-MINE" and mine.history.count() == changes


def test_history_revert_of_content_goes_through_the_change_form(client, clinic_admin):
    exercise = Exercise.objects.get(clinic=clinic_admin.clinic, name="Clamshells")
    first_version = exercise.history.earliest()
    exercise.dosage = "1 × 1"
    exercise.save()
    client.force_login(clinic_admin)
    url = reverse("admin:content_exercise_simple_history", args=[exercise.pk, first_version.history_id])
    page = client.get(url)
    assert page.status_code == 200
    # Blank values left out: an empty picture (a FieldFile without a file) is not an upload.
    data = {name: value for name, value in page.context["adminform"].form.initial.items()
            if value is not None and value != ""}
    data["is_active"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.dosage == first_version.dosage and exercise.history.first().history_user == clinic_admin
    assert exercise.history.first().history_change_reason.startswith("Reverted to the version of ")


def test_staff_history_cannot_be_reverted(client, clinic_admin, physio):
    physio.first_name = "Joanna"
    physio.save()
    version = physio.history.earliest().history_id
    client.force_login(clinic_admin)
    url = reverse("admin:patients_user_simple_history", args=[physio.pk, version])
    assert client.get(url).status_code == 200
    assert client.post(url, {"username": physio.username, "first_name": "Jo"}).status_code == 403
    physio.refresh_from_db()
    assert physio.first_name == "Joanna"


def _changelist_queries(client, model):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(changelist(model))
    assert response.status_code == 200
    return len(queries), len(response.context["cl"].result_list)


@pytest.mark.parametrize("model", [Patient, Entry, Flag, PhaseTransition], ids=lambda m: m.__name__)
def test_changelists_showing_a_related_row_cost_the_same_for_5_and_50_rows(client, clinic_admin, clinic, model):
    """Each row shows a physio, a patient or who recorded it: they come in the
    changelist's own query, not one query a row."""
    client.force_login(clinic_admin)
    counts = []
    for target in (5, 50):
        while Patient.objects.filter(clinic=clinic).count() < target:
            # Each patient has their own physio (the factory's default), so a
            # missing select_related would cost one query per row.
            patient = PatientFactory(clinic=clinic)
            entry = EntryFactory(patient=patient, recorded_by=patient.physio)
            FlagFactory(patient=patient, code="dvt_signs", severity="same_day", entry=entry)
            PhaseTransitionFactory(patient=patient, moved_by=patient.physio)
        queries, rows = _changelist_queries(client, model)
        assert rows == target
        counts.append(queries)
    assert counts[0] == counts[1], counts


def test_a_phases_history_shows_its_criteria_and_template_changes_and_offers_no_revert(client, clinic_admin):
    """A phase's own versions hold none of its criteria or template: its
    history lists their changes instead, and "revert" (which could not bring
    them back) is not offered."""
    phase = Phase.objects.get(clinic=clinic_admin.clinic, code="normalise")
    criterion = phase.exit_criteria.get(measure="standing_tolerance_min")
    criterion.threshold = 25  # the first edit of a default criterion: its creation is in the history
    criterion.save()
    phase.exit_criteria.filter(measure="activity_pain").delete()
    client.force_login(clinic_admin)
    page = client.get(reverse("admin:content_phase_history", args=[phase.pk])).content.decode()
    part = page.split('id="part-history"')[1]
    assert "threshold: 20 → 25" in part and "Deleted" in part and "Back/hip pain on activity" in part
    version = phase.history.earliest().history_id
    url = reverse("admin:content_phase_simple_history", args=[phase.pk, version])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Reverted"}).status_code == 403


def test_a_refusal_does_not_tell_a_clinic_admin_to_ask_their_clinic_admin(client, clinic_admin):
    client.force_login(clinic_admin)
    phase = Phase.objects.filter(clinic=clinic_admin.clinic).first()
    response = client.get(reverse("admin:content_phase_delete", args=[phase.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "ask your clinic admin" not in page and "ask whoever runs Kinetic for your clinic" in page
