"""The printable home exercise programme: what the patient takes home on
paper, from their physio (the patient page) or from their own portal.

One reader for both, so the printout from either side is the same sheet: the
plan's exercises (picture, dosage, steps, cautions, the physio's note), the
do's and don'ts and the warning signs (the clinic's patient articles by
section, in the clinic's words), and how to reach the clinic.
"""

import datetime as dt
import functools

from content.codes import SYMPTOMS, Context, EntryKind, Location
from content.flag_kinds import PATIENT_ADVICE_HEADINGS, Severity
from content.models import ArticleSection, EducationArticle
from content.wording import clinic_call
from patients.models import Patient
from rehab import rules
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
        "warning_signs": warning_signs(),
        "printed_on": clinic.today(),
    }


@functools.cache
def warning_signs() -> list[dict]:
    """The red-flag symptoms a patient can notice, grouped by how soon each
    needs help, most urgent first: [{"severity", "heading", "questions"}].

    What the wording of a clinic that has retired its "when to get help"
    article falls back on. How urgent a sign is, is the rules' business
    (DESIGN 4.2), so they decide it here too: each symptom is put to them
    alone, at a visit long after the surgery, beside a little hip pain (what
    the fever and hip-catching rules look for with it), and goes under the
    heading of the most urgent flag it raises; one that raises none on its
    own (weight loss, say) is one to tell the physiotherapist about."""
    day = dt.date(2026, 1, 1)
    a_little_hip_pain = (rules.PainScore(Location.ANTERIOR_HIP, Context.ACTIVITY, 1),)
    groups = {severity: [] for severity in PATIENT_ADVICE_HEADINGS}
    for symptom in SYMPTOMS.values():
        alone = rules.Entry(id=None, kind=EntryKind.VISIT, date=day, pain=a_little_hip_pain,
                            symptoms={symptom.code})
        found = rules.entry_findings(alone, surgery_date=day - dt.timedelta(days=365), history=())
        severity = min((Severity(f.severity) for f in found), key=lambda s: s.rank, default=Severity.REVIEW)
        groups.get(severity, groups[Severity.REVIEW]).append(symptom.question)
    return [{"severity": severity.value, "heading": PATIENT_ADVICE_HEADINGS[severity], "questions": questions}
            for severity, questions in groups.items() if questions]
