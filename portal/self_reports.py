"""Self-reports sent through a portal link, within the portal's limits (DESIGN 4.4).

- At most DAILY_LIMIT self-reports per link per clinic day, counted in the
  database so the limit holds with Redis down.
- The same report (same pain scores, same symptoms) sent again through the
  same link within SAME_REPORT_WINDOW of an earlier one is that earlier
  report: nothing new is written and the patient sees its result again.

Whatever the limits decide, the patient is told what to do about the
symptoms they ticked: `self_report_advice` works on a report whether or not
it was saved.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from content.flag_kinds import FLAG_KINDS, severity_rank
from patients.models import Entry, PortalLink
from rehab import rules
from rehab.entries import entry_create
from rehab.record import entries_by_patient

DAILY_LIMIT = 10
SAME_REPORT_WINDOW = dt.timedelta(minutes=10)


class DailyLimitReached(Exception):
    """The link has sent DAILY_LIMIT self-reports today; nothing was saved."""


@dataclass(frozen=True)
class SelfReportSubmission:
    entry: Entry
    created: bool  # False: the same report was already saved a moment ago


def self_report_submit(*, link: PortalLink, pain: Iterable[tuple[str, str, int]],
                       symptoms: Iterable[str]) -> SelfReportSubmission:
    """Save a self-report sent through `link`, or return the same report sent
    a moment ago; raise DailyLimitReached when the link's day is full.

    `pain` is an iterable of (location, context, score); `symptoms` of codes.
    A ValidationError from the entry (say, a date before the surgery) passes
    through.
    """
    pain, symptoms = list(pain), list(symptoms)
    patient = link.patient
    today = patient.clinic.today()
    with transaction.atomic():
        # One submission per link at a time: two taps on "Send" arriving
        # together must not both pass the count or both miss the other.
        PortalLink.objects.select_for_update().filter(pk=link.pk).first()
        earlier = _same_report(link=link, pain=pain, symptoms=symptoms,
                               since=timezone.now() - SAME_REPORT_WINDOW)
        if earlier is not None:
            return SelfReportSubmission(entry=earlier, created=False)
        if Entry.objects.filter(portal_link=link, date=today).count() >= DAILY_LIMIT:
            raise DailyLimitReached
        entry = entry_create(patient=patient, kind=Entry.SELF_REPORT, date=today, pain=pain,
                             symptoms=symptoms, portal_link=link)
    return SelfReportSubmission(entry=entry, created=True)


def _same_report(*, link, pain, symptoms, since) -> Entry | None:
    """The latest self-report sent through `link` since `since` with exactly
    these pain scores and symptoms, if any."""
    wanted = (frozenset(pain), frozenset(symptoms))
    recent = (
        Entry.objects.filter(portal_link=link, created_at__gte=since)
        .prefetch_related("pain_scores", "symptoms")
        .order_by("-created_at")
    )
    for entry in recent:
        saved = (
            frozenset((p.location, p.context, p.score) for p in entry.pain_scores.all()),
            frozenset(s.code for s in entry.symptoms.all()),
        )
        if saved == wanted:
            return entry
    return None


def self_report_advice(*, patient, entry: rules.Entry, history: list[rules.Entry]) -> list[dict]:
    """What the patient is told to do about a self-report, most urgent first:
    [{"severity": ..., "text": ...}]. `entry` need not be saved."""
    findings = sorted(
        rules.entry_findings(entry, surgery_date=patient.surgery_date, history=history),
        key=lambda f: severity_rank(f.severity),
    )
    return [
        {"severity": f.severity, "text": FLAG_KINDS[f.code].patient_advice}
        for f in findings
        if FLAG_KINDS[f.code].patient_advice
    ]


def saved_report_advice(*, patient, entry_id) -> list[dict] | None:
    """Advice for a saved self-report of `patient`; None if there is no such report."""
    history = entries_by_patient([patient.pk]).get(patient.pk, [])
    entry = next((e for e in history if e.id == entry_id and e.kind == Entry.SELF_REPORT), None)
    if entry is None:
        return None
    return self_report_advice(patient=patient, entry=entry, history=history)


def unsaved_report_advice(*, patient, pain, symptoms) -> list[dict]:
    """Advice for a report that was not saved, as if it had been sent today."""
    entry = rules.Entry(
        id=None, kind=Entry.SELF_REPORT, date=patient.clinic.today(), symptoms=symptoms,
        pain=[rules.PainScore(location=loc, context=ctx, score=score) for loc, ctx, score in pain],
    )
    history = entries_by_patient([patient.pk]).get(patient.pk, [])
    return self_report_advice(patient=patient, entry=entry, history=history)
