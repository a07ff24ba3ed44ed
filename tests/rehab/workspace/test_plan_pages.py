"""Staff side: the plan panel's actions, portal links and the programme library.

Owner and colleague may act; an outsider gets 404; a clinic admin gets 403 on
every POST (they look, physios treat)."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from content.models import Exercise, PhaseTemplateItem
from patients.models import PortalLink
from rehab.portal_links import portal_link_resolve
from rehab.workspace.plan import plan_panel_context
from tests.factories import EducationArticleFactory, ExerciseFactory

pytestmark = pytest.mark.django_db


def post_urls(patient):
    item = patient.plan_items.order_by("order").last()
    addable = Exercise.objects.get(clinic=patient.clinic, name="Clamshells")
    return [
        (reverse("plan_item_add", args=[patient.pk]), {"exercise": addable.pk}),
        (reverse("plan_item_update", args=[patient.pk, item.pk]), {"dosage": "1 × 5", "note": "Easy"}),
        (reverse("plan_item_move", args=[patient.pk, item.pk]), {"direction": "up"}),
        (reverse("plan_item_remove", args=[patient.pk, item.pk]), {}),
        (reverse("plan_replace_with_template", args=[patient.pk]), {}),
        (reverse("portal_link_issue", args=[patient.pk]), {}),
        (reverse("portal_link_revoke", args=[patient.pk]), {}),
    ]


@pytest.mark.parametrize("who", ["physio", "colleague"])
def test_owner_and_colleague_can_use_every_plan_and_link_action(client, request, planned_patient, who):
    client.force_login(request.getfixturevalue(who))
    for url, data in post_urls(planned_patient):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200, url


def test_an_outsider_gets_404_from_every_action(client, outsider, planned_patient):
    client.force_login(outsider)
    before = list(planned_patient.plan_items.values_list("exercise_id", "order", "dosage"))
    for url, data in post_urls(planned_patient):
        assert client.post(url, data).status_code == 404, url
    assert list(planned_patient.plan_items.values_list("exercise_id", "order", "dosage")) == before
    assert not PortalLink.objects.exists()


def test_a_clinic_admin_gets_403_on_every_action(client, clinic_admin, planned_patient):
    client.force_login(clinic_admin)
    before = list(planned_patient.plan_items.values_list("exercise_id", "order", "dosage"))
    for url, data in post_urls(planned_patient):
        assert client.post(url, data).status_code == 403, url
    assert list(planned_patient.plan_items.values_list("exercise_id", "order", "dosage")) == before
    assert not PortalLink.objects.exists()


def test_actions_change_nothing_on_get_and_lead_to_the_patient_page(client, physio, planned_patient):
    client.force_login(physio)
    before = list(planned_patient.plan_items.values_list("exercise_id", "order", "dosage"))
    for url, _ in post_urls(planned_patient):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("patient_detail", args=[planned_patient.pk]), url
    assert list(planned_patient.plan_items.values_list("exercise_id", "order", "dosage")) == before
    assert not PortalLink.objects.exists()


def test_an_item_of_another_patient_answers_404(client, physio, planned_patient, clinic):
    from rehab.plans import plan_assign_from_template
    from tests.factories import PatientFactory

    other = PatientFactory(clinic=clinic, physio=physio)
    plan_assign_from_template(patient=other)
    item = other.plan_items.first()
    client.force_login(physio)
    url = reverse("plan_item_remove", args=[planned_patient.pk, item.pk])
    assert client.post(url).status_code == 404
    assert other.plan_items.filter(pk=item.pk).exists()


def test_adding_a_retired_exercise_through_the_view_is_refused(client, physio, planned_patient, clinic):
    retired = ExerciseFactory(clinic=clinic, is_active=False)
    client.force_login(physio)
    response = client.post(reverse("plan_item_add", args=[planned_patient.pk]), {"exercise": retired.pk},
                           follow=True)
    assert "Choose an active exercise" in response.content.decode()
    assert not planned_patient.plan_items.filter(exercise=retired).exists()


def test_issuing_shows_the_full_link_once_with_a_qr_code(client, physio, planned_patient):
    client.force_login(physio)
    response = client.post(reverse("portal_link_issue", args=[planned_patient.pk]))
    page = response.content.decode()
    url = re.search(r'id="portal-url" value="([^"]+)"', page).group(1)
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert url.startswith("http://testserver/p/")
    assert portal_link_resolve(token).patient == planned_patient
    assert "<svg" in page and "<path" in page
    assert "js/copy-link.js" in page
    assert "no-store" in response["Cache-Control"]
    # The token is in the page, not its address (which the referrer would carry).
    assert "/p/" not in response.request["PATH_INFO"] and response["Referrer-Policy"] == "same-origin"
    # Afterwards the patient page shows that a link exists, never the token.
    assert token not in render_panel(planned_patient, physio)


def test_issuing_again_replaces_the_link_and_revoking_stops_it(client, physio, planned_patient):
    client.force_login(physio)
    issue = reverse("portal_link_issue", args=[planned_patient.pk])
    first = re.search(r"/p/([^/\"]+)/", client.post(issue).content.decode()).group(1)
    second = re.search(r"/p/([^/\"]+)/", client.post(issue).content.decode()).group(1)
    assert client.get(f"/p/{first}/").status_code == 404
    assert client.get(f"/p/{second}/").status_code == 200
    client.post(reverse("portal_link_revoke", args=[planned_patient.pk]))
    assert client.get(f"/p/{second}/").status_code == 404


def test_the_panel_offers_the_template_when_the_plan_differs(physio, planned_patient):
    assert "Replace plan with" not in render_panel(planned_patient, physio)
    planned_patient.phase = "rebuild"
    planned_patient.save()
    panel = render_panel(planned_patient, physio)
    assert "This plan differs from the Rebuild template" in panel
    assert "Replace plan with Rebuild template" in panel


def test_replace_with_template_assigns_the_current_phase_template(client, physio, planned_patient, clinic):
    planned_patient.phase = "rebuild"
    planned_patient.save()
    client.force_login(physio)
    client.post(reverse("plan_replace_with_template", args=[planned_patient.pk]))
    expected = set(PhaseTemplateItem.objects.filter(phase__clinic=clinic, phase__code="rebuild")
                   .values_list("exercise_id", flat=True))
    assert set(planned_patient.plan_items.values_list("exercise_id", flat=True)) == expected


def test_the_panel_marks_retired_exercises_and_does_not_offer_them(physio, planned_patient):
    item = planned_patient.plan_items.select_related("exercise").first()
    item.exercise.is_active = False
    item.exercise.save()
    panel = render_panel(planned_patient, physio)
    assert ">Retired</span>" in panel
    options = re.search(r'id="plan-add-exercise".*?</select>', panel, re.S).group(0)
    assert f'value="{item.exercise.pk}"' not in options
    assert "Clamshells" in options


def test_the_panel_is_read_only_for_a_clinic_admin(clinic_admin, planned_patient):
    panel = render_panel(planned_patient, clinic_admin)
    assert "<form" not in panel
    assert planned_patient.plan_items.first().exercise.name in panel


def test_the_library_shows_only_the_physios_clinic_content(client, physio, clinic, other_clinic):
    ExerciseFactory(clinic=clinic, name="Riverside wall squat")
    ExerciseFactory(clinic=other_clinic, name="Hilltop secret drill")
    EducationArticleFactory(clinic=other_clinic, title="Hilltop handout")
    other_phase = other_clinic.phases.get(code="normalise")
    other_phase.goal = "Hilltop goal text"
    other_phase.save()
    client.force_login(physio)
    response = client.get(reverse("library"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Riverside wall squat" in page
    assert clinic.phases.get(code="normalise").goal in page
    assert "Activity pain" in page or "pain on activity" in page
    assert "Things that help" in page
    assert "Hilltop secret drill" not in page and "Hilltop handout" not in page and "Hilltop goal text" not in page
    assert "/admin/content/exercise/" not in page


def test_the_library_gives_clinic_admins_the_way_to_edit(client, clinic_admin):
    client.force_login(clinic_admin)
    page = client.get(reverse("library")).content.decode()
    assert reverse("admin:content_exercise_changelist") in page


def test_the_library_needs_a_login(client):
    assert client.get(reverse("library")).status_code == 302


def test_a_physio_cannot_edit_content_in_the_admin(client, physio, clinic):
    exercise = Exercise.objects.get(clinic=clinic, name="Clamshells")
    client.force_login(physio)
    url = reverse("admin:content_exercise_change", args=[exercise.pk])
    response = client.post(url, {"name": "Hacked", "instructions": "x", "dosage": "1", "is_active": "on"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    exercise.refresh_from_db()
    assert exercise.name == "Clamshells"


def test_the_template_exercise_picker_offers_only_active_exercises(client, clinic_admin, clinic):
    retired = Exercise.objects.get(clinic=clinic, name="Clamshells")
    retired.is_active = False
    retired.save()
    client.force_login(clinic_admin)
    params = {"app_label": "content", "model_name": "phasetemplateitem", "field_name": "exercise", "term": ""}
    results = client.get(reverse("admin:autocomplete"), params).json()["results"]
    offered = {row["text"] for row in results}
    assert offered and not any("Clamshells" in text for text in offered)


def test_the_library_states_exit_criteria_in_the_clinics_words(client, physio):
    client.force_login(physio)
    page = client.get(reverse("library")).content.decode()
    assert "Back/hip pain on activity (0-10): ≤ 4/10" in page
    assert "Symmetric gait on video: Yes" in page
    assert "Lumbar substitution in glute bridge: No" in page
    assert "= 1" not in page and "= 0" not in page


def render_panel(patient, user):
    """The plan panel as the patient page will render it."""
    return render_to_string(
        "rehab/includes/patient_plan_panel.html", {"patient": patient, **plan_panel_context(patient, user)}
    )


def test_the_link_panel_warns_when_the_clinic_gives_patients_no_number_to_call(planned_patient, physio):
    clinic = planned_patient.clinic
    clinic.phone = ""
    clinic.save()
    assert "The clinic has no phone number on record" in render_panel(planned_patient, physio)
    clinic.phone = "020 7946 0000"
    clinic.save()
    assert "no phone number on record" not in render_panel(planned_patient, physio)
