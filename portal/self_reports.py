"""Self-reports sent through a portal link, within the portal's limits (DESIGN 4.4).

- At most DAILY_LIMIT self-reports per link per clinic day, counted in the
  database so the limit holds with Redis down.
- The same report (same pain scores, same symptoms) sent again through the
  same link within SAME_REPORT_WINDOW of an earlier one is that earlier
  report: nothing new is written and the patient sees its result again.

Whatever the limits decide, the patient is told what to do about the
symptoms they ticked, from the flags a saved report raised or, for a report
over the limit, from the rules run on it without saving.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from content.flag_kinds import FLAG_KINDS, PATIENT_ADVICE_HEADINGS, severity_rank
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


def self_report_submit(*, link: PortalLink, pain: Iterable[rules.PainScore],
                       symptoms: Iterable[str]) -> SelfReportSubmission:
    """Save a self-report sent through `link`, or return the same report sent
    a moment ago; raise DailyLimitReached when the link's day is full.

    `pain` is an iterable of rules.PainScore; `symptoms` of codes.
    A ValidationError from the entry (say, a date before the surgery) passes
    through.
    """
    pain, symptoms = [rules.PainScore(*p) for p in pain], list(symptoms)
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
    wanted = (frozenset((p.location, p.context, p.score) for p in pain), frozenset(symptoms))
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


def saved_report_advice(*, patient, entry_id) -> list[dict] | None:
    """Advice for a saved self-report of `patient`, most urgent first:
    [{"severity": ..., "text": ...}]; None if there is no such report.

    Read from the flags the report raised when it was saved (the engine
    evaluated it inside the write), not from a second run of the rules.
    """
    entry = Entry.objects.filter(pk=entry_id, patient=patient, kind=Entry.SELF_REPORT).first()
    if entry is None:
        return None
    return _advice(entry.flags.filter(closed_at__isnull=True).values_list("code", "severity"))


def unsaved_report_advice(*, patient, pain, symptoms) -> list[dict]:
    """Advice for a report that was not saved (the day's limit was reached),
    as if it had been sent today: the only evaluation that stores nothing."""
    entry = rules.Entry(
        id=None, kind=Entry.SELF_REPORT, date=patient.clinic.today(), symptoms=symptoms, pain=pain,
    )
    history = entries_by_patient([patient.pk]).get(patient.pk, [])
    findings = rules.entry_findings(entry, surgery_date=patient.surgery_date, history=history)
    return _advice((f.code, f.severity) for f in findings)


def _advice(found) -> list[dict]:
    ranked = sorted(found, key=lambda code_severity: severity_rank(code_severity[1]))
    return [
        {"severity": severity, "text": FLAG_KINDS[code].patient_advice}
        for code, severity in ranked
        if FLAG_KINDS[code].patient_advice
    ]


def advice_sections(advice: list[dict]) -> list[dict]:
    """The advice grouped by severity, most urgent first, each group under
    the heading for its severity: [{"severity", "heading", "texts"}]."""
    sections = []
    for item in advice:
        if not sections or sections[-1]["severity"] != item["severity"]:
            sections.append({"severity": item["severity"], "heading": PATIENT_ADVICE_HEADINGS[item["severity"]],
                             "texts": []})
        sections[-1]["texts"].append(item["text"])
    return sections
