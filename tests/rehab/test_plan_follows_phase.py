"""Plan follows phase: a move can replace the plan with the new phase's
template in the same transaction, and the portal never shows a phase's name
over another phase's exercises."""

import pytest
from django.urls import reverse

from content.models import PhaseTemplateItem
from rehab.models import PhaseTransition
from rehab.phase_moves import PhaseMoveConflict, patient_move_phase
from rehab.plans import plan_item_remove
from rehab.portal_links import portal_link_issue

pytestmark = pytest.mark.django_db


def template_names(clinic, code):
    return [item.exercise.name for item in
            PhaseTemplateItem.objects.filter(phase__clinic=clinic, phase__code=code).order_by("order", "id")]


def plan_names(patient):
    return [item.exercise.name for item in patient.plan_items.select_related("exercise").order_by("order", "id")]


@pytest.fixture
def rebuilding(planned_patient, physio):
    patient_move_phase(patient=planned_patient, to_phase="rebuild", expected_from="normalise", reason="Criteria met",
                       by=physio, replace_plan=True)
    return planned_patient


def move_to_integrate(client, patient, *, replace_plan):
    data = {"to_phase": "integrate", "reason": "Criteria met", "expected_from": "rebuild"}
    if replace_plan:
        data["replace_plan"] = "on"
    return client.post(reverse("phase_move", args=[patient.pk]), data)


def test_the_move_form_offers_replacing_the_plan_with_a_preview(client, physio, rebuilding, clinic):
    client.force_login(physio)
    html = client.get(reverse("phase_move", args=[rebuilding.pk])).content.decode().replace("&#x27;", "'")
    assert 'name="replace_plan"' in html and "checked" in html.split('name="replace_plan"')[1].split(">")[0]
    assert 'data-label="Replace the plan with the Integrate exercises"' in html
    integrate_only = next(n for n in template_names(clinic, "integrate") if n not in template_names(clinic, "rebuild"))
    assert "Added: " in html and integrate_only in html
    assert "Removed: " in html


def test_the_move_form_is_404_for_an_outsider(client, outsider, rebuilding):
    client.force_login(outsider)
    assert client.get(reverse("phase_move", args=[rebuilding.pk])).status_code == 404
    assert move_to_integrate(client, rebuilding, replace_plan=True).status_code == 404
    assert plan_names(rebuilding) != []
    rebuilding.refresh_from_db()
    assert rebuilding.phase == "rebuild"


def test_moving_with_the_box_ticked_puts_integrates_exercises_on_the_portal(client, physio, rebuilding, clinic):
    client.force_login(physio)
    assert move_to_integrate(client, rebuilding, replace_plan=True).status_code == 302
    assert plan_names(rebuilding) == template_names(clinic, "integrate")
    assert PhaseTransition.objects.filter(patient=rebuilding).first().plan_replaced is True
    _, token = portal_link_issue(patient=rebuilding, issued_by=physio)
    client.logout()
    page = client.get(f"/p/{token}/").content.decode().replace("&#x27;", "'")
    assert "Integrate" in page
    for name in template_names(clinic, "integrate"):
        assert name in page
    for name in set(template_names(clinic, "rebuild")) - set(template_names(clinic, "integrate")):
        assert name not in page
    assert "is updating your exercises" not in page


def test_moving_with_the_box_unticked_shows_the_plan_under_its_own_phase(client, physio, rebuilding, clinic):
    client.force_login(physio)
    assert move_to_integrate(client, rebuilding, replace_plan=False).status_code == 302
    assert plan_names(rebuilding) == template_names(clinic, "rebuild")
    _, token = portal_link_issue(patient=rebuilding, issued_by=physio)
    client.logout()
    page = client.get(f"/p/{token}/").content.decode()
    assert "Your Rebuild exercises" in page
    assert "Your physiotherapist is updating your exercises for Integrate." in page

    # Once the physio adjusts the plan, it is the new phase's plan.
    plan_item_remove(item=rebuilding.plan_items.first())
    page = client.get(f"/p/{token}/").content.decode()
    assert "Your Rebuild exercises" not in page and "is updating your exercises" not in page


def test_a_refused_move_leaves_the_plan_as_it_was(physio, rebuilding, clinic):
    with pytest.raises(PhaseMoveConflict):
        patient_move_phase(patient=rebuilding, to_phase="integrate", expected_from="normalise", reason="Stale form",
                           by=physio, replace_plan=True)
    assert plan_names(rebuilding) == template_names(clinic, "rebuild")


def test_discharge_keeps_the_plan(physio, rebuilding, clinic):
    patient_move_phase(patient=rebuilding, to_phase="discharged", expected_from="rebuild", reason="Done",
                       by=physio, replace_plan=True)
    assert plan_names(rebuilding) == template_names(clinic, "rebuild")
