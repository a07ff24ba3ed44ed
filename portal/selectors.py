"""What the patient's own page reads."""

from content import codes
from content.codes import SYMPTOMS
from content.models import EducationArticle, Phase
from patients.models import AssignedPlanItem, Patient
from portal.today import plan_today
from portal.wording import clinic_call
from rehab.content_cache import ClinicContent, clinic_content

Section = EducationArticle.Section


def plan_left_from(patient: Patient, phases: dict[str, Phase]) -> Phase | None:
    """The phase whose exercises the plan still holds, when the patient was
    moved without replacing the plan and nobody has touched it since; None
    when the plan is the current phase's own.

    Then the portal shows the plan under that phase's name with a note that
    it is being updated, never the new phase's name over the old exercises.
    `phases`: the clinic's, by code (rehab.content_cache).
    """
    last = patient.phase_transitions.first()
    if last is None or last.plan_replaced is not False or last.to_phase != patient.phase:
        return None
    if patient.phase == codes.Phase.DISCHARGED:
        return None
    if AssignedPlanItem.history.filter(patient_id=patient.pk, history_date__gt=last.moved_at).exists():
        return None  # the physio has adjusted the plan for the new phase
    return phases.get(last.from_phase)


def portal_frame(patient: Patient) -> dict:
    """What every portal page of the patient shows around its content."""
    return {
        "first_name": patient.given_name,
        "clinic_name": patient.clinic.name,
        # The clinic's contact details only: they are printed on every page.
        "clinic": patient.clinic,
        "clinic_call": clinic_call(patient.clinic),
    }


def portal_context(patient: Patient, content: ClinicContent | None = None) -> dict:
    """What the patient's own page shows, and nothing else about anyone.

    The clinic's articles and phases come from rehab.content_cache (the same
    for every patient of the clinic); everything about the patient is read
    on each request. `content`: the clinic's, when the caller has it already."""
    content = content or clinic_content(patient.clinic)
    articles = content.articles
    physio = patient.physio
    phase = content.phases.get(patient.phase)
    return {
        **portal_frame(patient),
        "physio_first_name": physio.first_name if physio else "",
        "phase": phase,
        "phase_description": [p.strip() for p in phase.description.split("\n\n") if p.strip()] if phase else [],
        "discharged": patient.phase == codes.Phase.DISCHARGED,
        **plan_today(patient),
        "plan_from_phase": plan_left_from(patient, content.phases),
        "dos": articles[Section.DOS],
        "donts": articles[Section.DONTS],
        "same_day": articles[Section.SEEK_SAME_DAY_CARE],
        "general_articles": articles[Section.GENERAL],
        "symptom_questions": [symptom.question for symptom in SYMPTOMS.values()],
    }
