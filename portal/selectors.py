"""What the patient's own page reads.

At most five small queries a page, whatever the record: the link (with the patient,
the clinic and the physio), the plan with today's marks (portal.today), and
the facts of the patient's record the page needs (`record_facts`). The
clinic's articles, phases and questionnaires come from rehab.content_cache.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max

from content import codes
from content.codes import SYMPTOMS, EntryKind
from content.models import EducationArticle, Phase
from patients.models import AssignedPlanItem, Entry, OutcomeAdministration, Patient
from portal.today import plan_today
from portal.wording import clinic_call
from rehab.content_cache import clinic_content
from rehab.models import PhaseTransition
from rehab.outcomes import questionnaires_due_from

Section = EducationArticle.Section


@dataclass(frozen=True)
class LastMove:
    """The patient's latest phase move, as far as the portal needs it."""

    from_phase: str
    to_phase: str
    plan_replaced: bool | None
    moved_at: dt.datetime


@dataclass(frozen=True)
class RecordFacts:
    first_visit: dt.date | None  # day 0 of the questionnaires' schedule
    last_move: LastMove | None
    last_taken: dict  # {instrument id: the latest date it was answered, up to today}


def record_facts(patient: Patient, *, as_of: dt.date) -> RecordFacts:
    """What the page needs from the patient's record besides the plan: the
    first visit, the latest phase move and when each questionnaire was last
    answered (asked of active patients only). Small queries of index probes:
    cheaper to build and run than one query of subqueries doing the same."""
    move = (PhaseTransition.objects.filter(patient=patient).order_by("-moved_at", "-pk")
            .values_list("from_phase", "to_phase", "plan_replaced", "moved_at").first())
    first_visit, last_taken = None, {}
    if patient.is_active:
        first_visit = (Entry.objects.filter(patient=patient, kind=EntryKind.VISIT).order_by("date")
                       .values_list("date", flat=True).first())
        last_taken = dict(OutcomeAdministration.objects.filter(patient=patient, date__lte=as_of)
                          .values_list("instrument_id").annotate(last=Max("date")).order_by())
    return RecordFacts(first_visit=first_visit, last_move=LastMove(*move) if move else None, last_taken=last_taken)


def plan_left_from(patient: Patient, last_move: LastMove | None, phases: dict[str, Phase]) -> Phase | None:
    """The phase whose exercises the plan still holds, when the patient was
    moved without replacing the plan and nobody has touched it since; None
    when the plan is the current phase's own.

    Then the portal shows the plan under that phase's name with a note that
    it is being updated, never the new phase's name over the old exercises.
    `phases`: the clinic's, by code (rehab.content_cache).
    """
    if last_move is None or last_move.plan_replaced is not False or last_move.to_phase != patient.phase:
        return None
    if patient.phase == codes.Phase.DISCHARGED:
        return None
    if AssignedPlanItem.history.filter(patient_id=patient.pk, history_date__gt=last_move.moved_at).exists():
        return None  # the physio has adjusted the plan for the new phase
    return phases.get(last_move.from_phase)


def portal_frame(patient: Patient) -> dict:
    """What every portal page of the patient shows around its content."""
    return {
        "first_name": patient.given_name,
        "clinic_name": patient.clinic.name,
        # The clinic's contact details only: they are printed on every page.
        "clinic": patient.clinic,
        "clinic_call": clinic_call(patient.clinic),
    }


def portal_context(patient: Patient) -> dict:
    """What the patient's own page shows, and nothing else about anyone,
    with the questionnaires due (`questionnaires_due`, as
    rehab.outcomes.questionnaires_due gives them)."""
    content = clinic_content(patient.clinic)
    articles = content.articles
    physio = patient.physio
    phase = content.phases.get(patient.phase)
    as_of = patient.clinic.today()
    questionnaires = content.questionnaires if patient.is_active else []
    facts = record_facts(patient, as_of=as_of)
    return {
        **portal_frame(patient),
        "physio_first_name": physio.first_name if physio else "",
        "phase": phase,
        "phase_description": [p.strip() for p in phase.description.split("\n\n") if p.strip()] if phase else [],
        "discharged": patient.phase == codes.Phase.DISCHARGED,
        **plan_today(patient),
        "plan_from_phase": plan_left_from(patient, facts.last_move, content.phases),
        "questionnaires_due": questionnaires_due_from(
            questionnaires, last_taken=facts.last_taken, first_visit=facts.first_visit,
            programme_start=patient.programme_start, as_of=as_of),
        "dos": articles[Section.DOS],
        "donts": articles[Section.DONTS],
        "same_day": articles[Section.SEEK_SAME_DAY_CARE],
        "general_articles": articles[Section.GENERAL],
        "symptom_questions": [symptom.question for symptom in SYMPTOMS.values()],
    }
