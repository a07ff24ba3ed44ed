"""What the patient's own page reads."""

from content import codes
from content.codes import SYMPTOMS
from content.models import EducationArticle, Phase
from content.text import article_blocks
from patients.models import Patient
from rehab.plans import plan_items

PORTAL_ARTICLE_SLUGS = ("dos", "donts", "seek-same-day-care")


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
        "discharged": patient.phase == codes.Phase.DISCHARGED,
        "plan": plan_items(patient),
        "dos": articles.get("dos"),
        "donts": articles.get("donts"),
        "same_day": articles.get("seek-same-day-care"),
        "symptom_questions": [symptom.question for symptom in SYMPTOMS.values()],
    }
