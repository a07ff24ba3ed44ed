"""Staff pages: the programme library, the plan panel (what it shows and its
actions) and portal links.

Physios change plans and links; clinic admins may look (the patient page, the
library) but every POST here answers 403 for them. Outsiders get 404 from
get_patient_for_user before anything else.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from content import codes
from content.models import EducationArticle, Exercise, ExitCriterion, Phase, PhaseTemplateItem
from content.text import article_blocks
from patients.models import AssignedPlanItem, Patient
from rehab import plans, qr
from rehab import portal_links as links
from rehab.workspace.access import get_patient_for_user, post_only
from rehab.workspace.forms import PlanItemAddForm, PlanItemUpdateForm
from rehab.workspace.roles import can_act, require_physio


def plan_panel_context(patient: Patient, user) -> dict:
    """Everything templates/rehab/includes/patient_plan_panel.html shows, under
    one key: the patient view passes `**plan_panel_context(patient, user)`."""
    items = plans.plan_items(patient)
    phase = plans.current_phase(patient)
    template_items = list(phase.template_items.all()) if phase else []
    template_ids = {t.exercise_id for t in template_items if t.exercise.is_active}
    differs = phase is not None and {i.exercise_id for i in items} != template_ids
    return {
        "plan_panel": {
            "items": items,
            "can_edit": can_act(user),
            "add_form": PlanItemAddForm(exercises=plans.addable_exercises(patient)),
            "phase": phase,
            "template_exercises": [t.exercise for t in template_items if t.exercise.is_active],
            "differs_from_template": differs,
            "link": links.live_link(patient),
            "link_days": settings.PORTAL_LINK_DAYS,
        }
    }


def library_context(clinic_id) -> dict:
    phases = list(
        Phase.objects.filter(clinic_id=clinic_id).prefetch_related(
            Prefetch("exit_criteria", queryset=ExitCriterion.objects.select_related("instrument").order_by("id")),
            Prefetch("template_items", queryset=PhaseTemplateItem.objects.select_related("exercise")),
        )
    )
    articles = list(EducationArticle.objects.filter(clinic_id=clinic_id))
    for article in articles:
        article.blocks = article_blocks(article.body)
    exercises = list(Exercise.objects.filter(clinic_id=clinic_id).order_by("-is_active", "name"))
    return {"phases": phases, "exercises": exercises, "articles": articles}


@login_required
def library(request):
    if request.user.clinic_id is None:
        raise Http404
    context = library_context(request.user.clinic_id)
    context["nav"] = "library"
    return render(request, "rehab/library.html", context)


def _patient_for_physio(request, patient_id):
    patient = get_patient_for_user(request.user, patient_id)
    require_physio(request.user)
    return patient


def _back_to_plan(patient):
    return redirect(reverse("patient_detail", args=[patient.pk]) + "#plan")


# A message about the portal link shows in the link's panel, where the page
# lands after the action (the page's top is a screen away).
LINK_PANEL = "portal-link"


def back_to_link_panel(patient):
    return redirect(reverse("patient_detail", args=[patient.pk]) + "#portal-link")


def _item(patient, item_id):
    return get_object_or_404(AssignedPlanItem.objects.select_related("exercise"), pk=item_id, patient=patient)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@post_only
def plan_item_add(request, patient_id):
    patient = _patient_for_physio(request, patient_id)
    form = PlanItemAddForm(request.POST, exercises=plans.addable_exercises(patient))
    if not form.is_valid():
        messages.error(request, "Choose an active exercise that is not already in the plan.")
        return _back_to_plan(patient)
    try:
        item = plans.plan_item_add(patient=patient, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"{item.exercise.name} added to the plan.")
    return _back_to_plan(patient)


@login_required
@post_only
def plan_item_remove(request, patient_id, item_id):
    patient = _patient_for_physio(request, patient_id)
    item = _item(patient, item_id)
    plans.plan_item_remove(item=item)
    messages.success(request, f"{item.exercise.name} removed from the plan.")
    return _back_to_plan(patient)


@login_required
@post_only
def plan_item_move(request, patient_id, item_id):
    patient = _patient_for_physio(request, patient_id)
    direction = request.POST.get("direction")
    if direction not in (plans.UP, plans.DOWN):
        messages.error(request, "Choose up or down.")
        return _back_to_plan(patient)
    plans.plan_item_move(item=_item(patient, item_id), direction=direction)
    return _back_to_plan(patient)


@login_required
@post_only
def plan_item_update(request, patient_id, item_id):
    patient = _patient_for_physio(request, patient_id)
    item = _item(patient, item_id)
    form = PlanItemUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Dosage is at most 160 characters and the note at most 300.")
        return _back_to_plan(patient)
    plans.plan_item_update(item=item, **form.cleaned_data)
    messages.success(request, f"{item.exercise.name} updated.")
    return _back_to_plan(patient)


@login_required
@post_only
def plan_replace_with_template(request, patient_id):
    patient = _patient_for_physio(request, patient_id)
    if patient.phase == codes.Phase.DISCHARGED:
        messages.error(request, "A discharged patient has no phase template.")
        return _back_to_plan(patient)
    plans.plan_assign_from_template(patient=patient)
    messages.success(request, f"Plan replaced with the {patient.get_phase_display()} template.")
    return _back_to_plan(patient)


@never_cache
@login_required
@post_only
def portal_link_issue(request, patient_id):
    """Issue a link and show it once: the token is in this response only."""
    patient = _patient_for_physio(request, patient_id)
    try:
        # The panel's form names the live link it showed ("" for none).
        replaces = links.replaces_posted(request.POST.get("replaces"))
        link, token = links.portal_link_issue(patient=patient, issued_by=request.user, replaces=replaces)
    except links.PortalLinkChanged:
        messages.warning(request, "A new portal link was issued for this patient a moment ago (perhaps the page "
                                  "was refreshed); it stays valid. Issue another only if the patient needs it.",
                         extra_tags=LINK_PANEL)
        return back_to_link_panel(patient)
    url = request.build_absolute_uri(reverse("portal", args=[token]))
    response = render(request, "rehab/portal_link_issued.html", {
        "patient": patient, "link": link, "url": url, "token": token, "qr_svg": qr.qr_svg(url),
    })
    # The token is in this page, never in its address: the site's same-origin
    # referrer policy leaks nothing, where no-referrer would make the browser
    # send "Origin: null" with the page's print form, which CSRF refuses.
    return response


@login_required
@post_only
def portal_link_revoke(request, patient_id):
    patient = _patient_for_physio(request, patient_id)
    if links.portal_link_revoke(patient=patient, revoked_by=request.user):
        messages.success(request, "Portal link revoked: it no longer opens the patient's page.",
                         extra_tags=LINK_PANEL)
    else:
        messages.info(request, "There was no live portal link to revoke.", extra_tags=LINK_PANEL)
    return back_to_link_panel(patient)
