"""Reads shared by the portal, the plan panel and the programme library."""

from django.conf import settings
from django.db.models import Prefetch

from content import codes
from content.models import EducationArticle, Exercise, ExitCriterion, Phase, PhaseTemplateItem
from patients.models import AssignedPlanItem, Patient
from rehab import plans
from rehab.portal.forms import PlanItemAddForm
from rehab.portal.links import live_link
from rehab.portal.text import article_blocks
from rehab.views.roles import can_act

PORTAL_ARTICLE_SLUGS = ("dos", "donts", "seek-same-day-care")


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


def plan_panel_context(patient: Patient, user) -> dict:
    """Everything templates/rehab/includes/patient_plan_panel.html shows, under
    one key: the patient view passes `**plan_panel_context(patient, user)`."""
    items = plan_items(patient)
    phase = current_phase(patient)
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
            "link": live_link(patient),
            "link_days": settings.PORTAL_LINK_DAYS,
        }
    }


def _articles(clinic_id, slugs):
    found = {a.slug: a for a in EducationArticle.objects.filter(clinic_id=clinic_id, slug__in=slugs)}
    for article in found.values():
        article.blocks = article_blocks(article.body)
    return found


def portal_context(patient: Patient) -> dict:
    """What the patient's own page shows, and nothing else about anyone."""
    articles = _articles(patient.clinic_id, PORTAL_ARTICLE_SLUGS)
    physio = patient.physio
    return {
        "first_name": patient.given_name,
        "clinic_name": patient.clinic.name,
        "physio_first_name": physio.first_name if physio else "",
        "phase": Phase.objects.filter(clinic_id=patient.clinic_id, code=patient.phase).first(),
        "discharged": patient.phase == codes.DISCHARGED,
        "plan": plan_items(patient),
        "dos": articles.get("dos"),
        "donts": articles.get("donts"),
        "same_day": articles.get("seek-same-day-care"),
        "symptom_questions": [codes.SYMPTOM_QUESTIONS[code] for code, _ in codes.SYMPTOMS],
    }


def library_context(clinic_id) -> dict:
    phases = list(
        Phase.objects.filter(clinic_id=clinic_id).prefetch_related(
            Prefetch("exit_criteria", queryset=ExitCriterion.objects.order_by("id")),
            Prefetch("template_items", queryset=PhaseTemplateItem.objects.select_related("exercise")),
        )
    )
    articles = list(EducationArticle.objects.filter(clinic_id=clinic_id))
    for article in articles:
        article.blocks = article_blocks(article.body)
    exercises = list(Exercise.objects.filter(clinic_id=clinic_id).order_by("-is_active", "name"))
    return {"phases": phases, "exercises": exercises, "articles": articles}
