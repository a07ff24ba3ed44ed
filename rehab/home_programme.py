"""The printable home exercise programme: what the patient takes home on
paper, from their physio (the patient page) or from their own portal.

One reader for both, so the printout from either side is the same sheet: the
plan's exercises (picture, dosage, steps, cautions, the physio's note), the
do's and don'ts and the warning signs (the clinic's patient articles by
section, in the clinic's words), and how to reach the clinic.
"""

from content.codes import SYMPTOMS
from content.models import ArticleSection, EducationArticle
from content.wording import clinic_call
from patients.models import Patient
from rehab.content_cache import clinic_content
from rehab.plans import plan_items


def patient_articles(clinic) -> dict[str, list[EducationArticle]]:
    """Every shown patient article of the clinic, by section code, in the
    admin's order, each with its `blocks` and `html` in the clinic's words
    (rehab.content_cache: read and parsed once per edit, not per page)."""
    return clinic_content(clinic).articles


def home_programme(patient: Patient) -> dict:
    """Everything templates/programme/print.html shows about `patient`.

    Only the patient's own clinic's content: the plan's exercises whose
    library is another clinic's (which no screen can create) are left out
    rather than shown with that clinic's picture and words. No phase name:
    the portal explains a plan that lags a phase move; paper cannot.
    """
    clinic = patient.clinic
    articles = patient_articles(clinic)
    physio = patient.physio
    items = [item for item in plan_items(patient) if item.exercise.clinic_id == patient.clinic_id]
    return {
        "first_name": patient.given_name,
        "clinic": clinic,
        "clinic_call": clinic_call(clinic),
        "physio_first_name": physio.first_name if physio else "",
        "plan": items,
        "dos": articles[ArticleSection.DOS],
        "donts": articles[ArticleSection.DONTS],
        "same_day": articles[ArticleSection.SEEK_SAME_DAY_CARE],
        "symptom_questions": [symptom.question for symptom in SYMPTOMS.values()],
        "printed_on": clinic.today(),
    }
