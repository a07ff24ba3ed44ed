"""What the patient's own page reads."""

from content import codes
from content.codes import SYMPTOMS
from content.models import EducationArticle, Phase
from content.text import article_blocks
from patients.models import Patient
from portal.wording import article_blocks_for_clinic, clinic_call
from rehab.plans import plan_items

Section = EducationArticle.Section


def portal_articles(clinic) -> dict[str, list[EducationArticle]]:
    """Every shown patient article of the clinic, by section code, in the admin's order."""
    sections = {code: [] for code in Section.values}
    articles = EducationArticle.objects.filter(clinic=clinic, audience="patient", is_active=True)
    for article in articles.order_by("order", "title", "pk"):
        article.blocks = article_blocks_for_clinic(article_blocks(article.body), clinic)
        sections[article.section].append(article)
    return sections


def portal_context(patient: Patient) -> dict:
    """What the patient's own page shows, and nothing else about anyone."""
    articles = portal_articles(patient.clinic)
    physio = patient.physio
    phase = Phase.objects.filter(clinic_id=patient.clinic_id, code=patient.phase).first()
    return {
        "first_name": patient.given_name,
        "clinic_name": patient.clinic.name,
        # The clinic's contact details only: they are printed on every page.
        "clinic": patient.clinic,
        "clinic_call": clinic_call(patient.clinic),
        "physio_first_name": physio.first_name if physio else "",
        "phase": phase,
        "phase_description": [p.strip() for p in phase.description.split("\n\n") if p.strip()] if phase else [],
        "discharged": patient.phase == codes.Phase.DISCHARGED,
        "plan": plan_items(patient),
        "dos": articles[Section.DOS],
        "donts": articles[Section.DONTS],
        "same_day": articles[Section.SEEK_SAME_DAY_CARE],
        "general_articles": articles[Section.GENERAL],
        "symptom_questions": [symptom.question for symptom in SYMPTOMS.values()],
    }
