"""What the patient's own page reads.

Two queries a page on PostgreSQL, whatever the record: the link (with the
patient, the clinic and the physio), and one statement for the facts of the
patient's record the page needs and the plan with today's marks
(`record_facts`); elsewhere five small ones. The clinic's articles, phases
and questionnaires come from rehab.content_cache.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from content import codes
from content.codes import EntryKind
from content.models import EducationArticle, Phase
from patients.models import AssignedPlanItem, Entry, OutcomeAdministration, Patient
from portal.models import DRAFT_DAYS, PortalDraft, draft_read
from portal.report_draft import KEY as REPORT
from portal.report_draft import draft_from
from portal.today import PLAN_TODAY_JSON_SQL, plan_today
from portal.wording import clinic_call
from rehab.content_cache import clinic_content
from rehab.home_programme import warning_signs
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
    # The plan with today's marks as portal.today.PLAN_TODAY_JSON_SQL gives it,
    # when read in the same statement (PostgreSQL); None: plan_today reads it.
    plan_json: list | None = field(default=None, compare=False)
    # The self-report the patient is part-way through on this link (PortalDraft.data), when asked for.
    report_draft: dict | None = field(default=None, compare=False)


def record_facts(patient: Patient, *, as_of: dt.date, link=None) -> RecordFacts:
    """What the page needs from the patient's record besides the plan: the
    first visit, the latest phase move and when each questionnaire was last
    answered (asked of active patients only), and on PostgreSQL the plan with
    today's marks too. Index probes all: on PostgreSQL one statement,
    elsewhere small ORM queries (one statement of ORM subqueries cost more to
    build than the queries it saved)."""
    if connection.vendor == "postgresql":
        return _record_facts_postgresql(patient, as_of=as_of, link=link)
    move = (PhaseTransition.objects.filter(patient=patient).order_by("-moved_at", "-pk")
            .values_list("from_phase", "to_phase", "plan_replaced", "moved_at").first())
    first_visit, last_taken = None, {}
    if patient.is_active:
        first_visit = (Entry.objects.filter(patient=patient, kind=EntryKind.VISIT).order_by("date")
                       .values_list("date", flat=True).first())
        last_taken = dict(OutcomeAdministration.objects.filter(patient=patient, date__lte=as_of)
                          .values_list("instrument_id").annotate(last=Max("date")).order_by())
    return RecordFacts(first_visit=first_visit, last_move=LastMove(*move) if move else None, last_taken=last_taken,
                       report_draft=draft_read(link, REPORT) if link is not None else None)


def _record_facts_postgresql(patient: Patient, *, as_of: dt.date, link) -> RecordFacts:
    sql = f"""
        SELECT (SELECT data FROM {PortalDraft._meta.db_table}
                WHERE link_id = %(link)s AND key = %(report)s AND updated_at >= %(fresh)s),
               (SELECT date FROM {Entry._meta.db_table}
                WHERE patient_id = %(patient)s AND kind = %(visit)s ORDER BY date LIMIT 1),
               (SELECT json_object_agg(instrument_id, last) FROM (
                    SELECT instrument_id, max(date) AS last FROM {OutcomeAdministration._meta.db_table}
                    WHERE patient_id = %(patient)s AND date <= %(as_of)s GROUP BY instrument_id) taken),
               ({PLAN_TODAY_JSON_SQL}),
               move.from_phase, move.to_phase, move.plan_replaced, move.moved_at
        FROM (SELECT 1) one LEFT JOIN LATERAL (
            SELECT from_phase, to_phase, plan_replaced, moved_at FROM {PhaseTransition._meta.db_table}
            WHERE patient_id = %(patient)s ORDER BY moved_at DESC, id DESC LIMIT 1) move ON true
    """  # noqa: S608  (table names from the models; every value is a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"patient": patient.pk, "visit": EntryKind.VISIT, "as_of": as_of, "today": as_of,
                             "link": link.pk if link is not None else None, "report": REPORT,
                             "fresh": timezone.now() - dt.timedelta(days=DRAFT_DAYS)})
        report_draft, first_visit, taken, plan_json, *move = cursor.fetchone()
    last_taken = {int(pk): dt.date.fromisoformat(day) for pk, day in (taken or {}).items()}
    if not patient.is_active:
        first_visit, last_taken = None, {}
    return RecordFacts(first_visit=first_visit, last_move=LastMove(*move) if move[1] is not None else None,
                       last_taken=last_taken, plan_json=plan_json or [],
                       # Django has psycopg hand JSON over as text, for the field to decode.
                       report_draft=json.loads(report_draft) if isinstance(report_draft, str) else report_draft)


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


def portal_context(patient: Patient, *, link=None) -> dict:
    """What the patient's own page shows, and nothing else about anyone,
    with the questionnaires due (`questionnaires_due`, as
    rehab.outcomes.questionnaires_due gives them), and with `link` the
    self-report begun on it (`report_draft`)."""
    content = clinic_content(patient.clinic)
    articles = content.articles
    physio = patient.physio
    phase = content.phases.get(patient.phase)
    as_of = patient.clinic.today()
    questionnaires = content.questionnaires if patient.is_active else []
    facts = record_facts(patient, as_of=as_of, link=link)
    return {
        "report_draft": draft_from(facts.report_draft),
        **portal_frame(patient),
        "physio_first_name": physio.first_name if physio else "",
        "phase": phase,
        "phase_description": [p.strip() for p in phase.description.split("\n\n") if p.strip()] if phase else [],
        "discharged": patient.phase == codes.Phase.DISCHARGED,
        **plan_today(patient, plan_json=facts.plan_json),
        "plan_from_phase": plan_left_from(patient, facts.last_move, content.phases),
        "questionnaires_due": questionnaires_due_from(
            questionnaires, last_taken=facts.last_taken, first_visit=facts.first_visit,
            programme_start=patient.programme_start, as_of=as_of),
        "dos": articles[Section.DOS],
        "donts": articles[Section.DONTS],
        "same_day": articles[Section.SEEK_SAME_DAY_CARE],
        "general_articles": articles[Section.GENERAL],
        "warning_signs": warning_signs(),
    }
