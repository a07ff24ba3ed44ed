"""Reads the clinician workspace shares: the caseload and the patient page.

The caseload issues a fixed number of queries whatever the number of patients:
one count, one page of patients (in the order of the index on the patients'
maintained urgency; last visit and the latest self-report since that visit as
subqueries, run for the page's rows only), one for the page's flags, one for
the page's pain and one for its adherence. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Exists, ExpressionWrapper, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.lookups import LessThan

from content import codes
from content.codes import BACK_HIP_LOCATIONS, Context
from content.display import criterion_target, format_measure, questionnaire_target, score_text
from content.flag_kinds import NO_FLAG_RANK, severity_rank
from content.measures import MEASURES
from content.models import Phase
from patients.models import Clinic, Entry, PainScore, Patient, User
from rehab.adherence import adherence_by_patient
from rehab.models import Flag, PhaseTransition
from rehab.record import criteria_evaluate, entries_by_patient, exit_criteria_by_phase, phase_start_by_patient
from rehab.rules.adherence import Adherence

CASELOAD_PAGE_SIZE = 25

MINE = "mine"
CLINIC = "clinic"
ACTIVE = "active"
DISCHARGED_ONLY = "discharged"
ALL = "all"


@dataclass(frozen=True)
class CaseloadFilters:
    scope: str = MINE
    phase: str = ""
    flag: str = ""
    physio_id: int | None = None
    status: str = ACTIVE
    search: str = ""


@dataclass
class PainReading:
    """A back/hip pain value at the latest visit that has one, and its trend."""

    value: int | None = None
    previous: int | None = None
    date: dt.date | None = None

    @property
    def trend(self) -> str:
        if self.value is None or self.previous is None:
            return ""
        if self.value > self.previous:
            return "up"
        if self.value < self.previous:
            return "down"
        return "same"


@dataclass
class CaseloadRow:
    patient: Patient
    weeks_since_surgery: int
    weeks_in_programme: int
    last_visit: dt.date | None
    urgency: int
    # The latest self-report since the last visit (None when a visit followed).
    new_self_report: dt.date | None = None
    flags: list = field(default_factory=list)
    activity_pain: PainReading = field(default_factory=PainReading)
    rest_pain: PainReading = field(default_factory=PainReading)
    adherence_28d: Adherence | None = None  # None before the plan starts


def caseload_queryset(clinic: Clinic, physio: User | None, filters: CaseloadFilters):
    """The caseload's patients, most urgent first (Patient.urgency, kept by
    the flag services; patients with no flag needing attention have
    NO_FLAG_RANK and come last), with last visit annotated."""
    patients = Patient.objects.filter(clinic=clinic).select_related("physio")
    if filters.physio_id:
        patients = patients.filter(physio_id=filters.physio_id)
    elif filters.scope == MINE and physio is not None:
        patients = patients.filter(physio=physio)
    if filters.status == ACTIVE:
        # A discharged patient with an unacknowledged red flag still needs
        # attention (DESIGN 4.4): they stay on the working list until it is seen.
        # One index probe of that patient's flags per discharged patient whose
        # urgency says a flag needs attention (the flag services keep it in the
        # same transaction as every flag change); the others are passed over
        # without a probe. The reference to the outer row's urgency also keeps
        # PostgreSQL from turning the subquery into a hash of every clinic's
        # open red flags, built on every request (bench/README.md).
        unseen_red_flag = (
            Flag.objects.needs_attention().red_flags()
            .filter(LessThan(ExpressionWrapper(OuterRef("urgency"), output_field=IntegerField()), NO_FLAG_RANK))
            .filter(patient=OuterRef("pk"))
        )
        patients = patients.filter(~Q(phase=codes.Phase.DISCHARGED) | Exists(unseen_red_flag))
    elif filters.status == DISCHARGED_ONLY:
        patients = patients.filter(phase=codes.Phase.DISCHARGED)
    if filters.phase:
        patients = patients.filter(phase=filters.phase)
    if filters.flag:
        patients = patients.filter(
            Exists(Flag.objects.needs_attention().filter(patient=OuterRef("pk"), code=filters.flag))
        )
    # "Robinson, Barbara", as the list shows a name, is the two words; a
    # phone's curly apostrophe (O’Neill) is the straight one names are typed with.
    for term in filters.search.replace(",", " ").replace("\u2019", "'").split():
        patients = patients.filter(
            Q(given_name__icontains=term) | Q(family_name__icontains=term) | Q(ref__icontains=term)
        )

    # The newest visit's date: a backward probe of the (patient, kind, date) index.
    last_visit = Entry.objects.filter(patient=OuterRef("pk"), kind=Entry.VISIT).order_by("-date").values("date")[:1]
    # A self-report no visit has followed yet: none dated later, nor recorded
    # later on the same day (a visit seen that day has read it).
    visit_after = Entry.objects.filter(patient=OuterRef(OuterRef("pk")), kind=Entry.VISIT).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), created_at__gt=OuterRef("created_at"))
    )
    new_self_report = (
        Entry.objects.filter(patient=OuterRef("pk"), kind=Entry.SELF_REPORT)
        .filter(~Exists(visit_after))
        .order_by("-date", "-created_at")
        .values("date")[:1]
    )
    return patients.annotate(
        last_visit=Subquery(last_visit),
        new_self_report=Subquery(new_self_report),
    ).order_by("urgency", "family_name", "given_name", "ref")


def caseload_rows(clinic: Clinic, physio: User | None, filters: CaseloadFilters, *, page=1,
                  per_page=CASELOAD_PAGE_SIZE):
    """One page of the caseload: a Django Page whose object_list is CaseloadRows."""
    paginator = Paginator(caseload_queryset(clinic, physio, filters), per_page)
    page_obj = paginator.get_page(page)
    patients = list(page_obj.object_list)
    ids = [p.pk for p in patients]
    flags = _open_flags_by_patient(ids)
    pain = _latest_pain_by_patient(ids)
    as_of = clinic.today()
    adherence = adherence_by_patient(clinic, patients, as_of=as_of)
    page_obj.object_list = [
        CaseloadRow(
            patient=p,
            weeks_since_surgery=p.weeks_since(p.surgery_date, as_of),
            weeks_in_programme=p.weeks_since(p.programme_start, as_of),
            last_visit=p.last_visit,
            urgency=p.urgency,
            new_self_report=p.new_self_report,
            flags=flags.get(p.pk, []),
            activity_pain=pain[p.pk][Context.ACTIVITY],
            rest_pain=pain[p.pk][Context.REST],
            adherence_28d=adherence[p.pk].last_28,
        )
        for p in patients
    ]
    return page_obj


def _open_flags_by_patient(patient_ids) -> dict:
    """Unacknowledged open flags, most urgent first (one query; the severity's
    rank is sorted here, the newest first within a rank as the query gives them)."""
    grouped = defaultdict(list)
    for flag in Flag.objects.needs_attention().filter(patient_id__in=patient_ids).order_by("-raised_at", "-pk"):
        grouped[flag.patient_id].append(flag)
    for flags in grouped.values():
        flags.sort(key=lambda flag: severity_rank(flag.severity))
    return grouped


def _latest_pain_by_patient(patient_ids) -> dict:
    """{patient_id: {context: PainReading}} for activity and rest pain (one query).

    Same meaning as rules.activity_pain / rest_pain: the highest back/hip score
    of a visit in that context; the trend compares with the visit before.
    """
    readings = defaultdict(lambda: {Context.ACTIVITY: PainReading(), Context.REST: PainReading()})

    def take(patient_id, context, value, date):
        reading = readings[patient_id][context]
        if reading.value is None:
            reading.value, reading.date = value, date
        elif reading.previous is None:
            reading.previous = value

    if connection.vendor == "postgresql":
        for patient_id, date, activity, rest in _visit_pain_summaries(patient_ids):
            if activity is not None:
                take(patient_id, Context.ACTIVITY, activity, date)
            if rest is not None:
                take(patient_id, Context.REST, rest, date)
        return readings
    # The quick start's SQLite keeps no pain summary on the entries: group the scores.
    rows = (
        PainScore.objects.filter(
            entry__patient_id__in=patient_ids,
            entry__kind=Entry.VISIT,
            location__in=BACK_HIP_LOCATIONS,
            context__in=(Context.ACTIVITY, Context.REST),
        )
        .values_list("entry__patient_id", "context", "entry_id", "entry__date")
        .annotate(highest=Max("score"))
        .order_by("entry__patient_id", "context", "-entry__date", "-entry__created_at")
    )
    for patient_id, context, _entry_id, date, highest in rows:
        take(patient_id, context, highest, date)
    return readings


def _visit_pain_summaries(patient_ids) -> list[tuple]:
    """(patient id, date, activity pain, rest pain) of the patients' visits
    with either, newest first: the per-visit highest back/hip scores that
    PostgreSQL keeps on each entry's row (patients migration 0018), so a page
    reads some 25 × 10 entries instead of grouping their pain scores."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT patient_id, date, activity_pain, rest_pain FROM {Entry._meta.db_table}"  # noqa: S608
            " WHERE patient_id = ANY(%s) AND kind = %s AND (activity_pain IS NOT NULL OR rest_pain IS NOT NULL)"
            " ORDER BY patient_id, date DESC, created_at DESC",
            [list(patient_ids), Entry.VISIT],
        )
        return cursor.fetchall()


# The patient page -----------------------------------------------------------

@dataclass(frozen=True)
class CriterionRow:
    label: str
    target: str
    latest: str
    evidence_date: dt.date | None
    status: str  # rules MET / NOT_MET / UNKNOWN
    reason: str = ""  # why there is no evidence ("no visit in the last 4 weeks")


def criterion_rows(results) -> list[CriterionRow]:
    rows = []
    for r in results:
        if r.questionnaire:  # one the clinic added: its name, and a bare score
            label, target, latest = r.questionnaire, questionnaire_target(r.comparator, r.threshold), score_text(r.value)
        else:
            label, target = MEASURES[r.measure].label, criterion_target(r.measure, r.comparator, r.threshold)
            latest = format_measure(r.measure, r.value)
        rows.append(CriterionRow(
            label=label, target=target, latest=latest,
            evidence_date=r.evidence_date, status=r.status, reason=r.reason,
        ))
    return rows


@dataclass
class PatientRecord:
    """What the patient page and the phase-move page read, gathered once."""

    patient: Patient
    as_of: dt.date
    entries: list  # rules.Entry, oldest first
    criteria: list  # rules.Criterion of the current phase
    results: list  # rules.CriterionResult
    phase: Phase | None
    ready: bool = False  # every criterion met and no open, unacknowledged safety flag (DESIGN 4.1)

    @property
    def criteria_rows(self):
        return criterion_rows(self.results)

    @property
    def no_evidence_reason(self) -> str:
        """Why every criterion is unknown ("no visit in the last 4 weeks"), if there is a reason."""
        return next((r.reason for r in self.results if r.reason), "")

    @property
    def weeks_since_surgery(self):
        return self.patient.weeks_since(self.patient.surgery_date, self.as_of)

    @property
    def weeks_in_programme(self):
        return self.patient.weeks_since(self.patient.programme_start, self.as_of)


def patient_record(patient: Patient) -> PatientRecord:
    as_of = patient.clinic.today()
    entries = entries_by_patient([patient.pk], with_text=True).get(patient.pk, [])
    criteria = exit_criteria_by_phase([patient.clinic_id]).get((patient.clinic_id, patient.phase), [])
    phase = Phase.objects.filter(clinic_id=patient.clinic_id, code=patient.phase).first()
    results, ready = [], False
    if patient.is_active:
        unacknowledged = patient.flags.needs_attention().values_list("severity", flat=True)
        results, ready = criteria_evaluate(patient, entries, criteria, as_of=as_of,
                                           phase_start=phase_start_by_patient([patient])[patient.pk],
                                           unacknowledged=list(unacknowledged))
    return PatientRecord(patient=patient, as_of=as_of, entries=entries, criteria=criteria,
                         results=results, phase=phase, ready=ready)


def patient_phase_periods(patient: Patient, transitions, *, until: dt.date) -> list[tuple]:
    """[(phase, start, end)] from the programme start, read from the transition history."""
    moves = sorted(transitions, key=lambda t: (t.date, t.moved_at))
    periods, start = [], patient.programme_start
    phase = moves[0].from_phase if moves else patient.phase
    for move in moves:
        periods.append((phase, start, max(move.date, start)))
        phase, start = move.to_phase, max(move.date, start)
    periods.append((phase, start, max(until, start)))
    return periods


def patient_transitions(patient: Patient):
    return list(PhaseTransition.objects.filter(patient=patient).select_related("moved_by"))


def patient_flags(patient: Patient):
    """(needs attention, acknowledged but open, recently closed)."""
    flags = list(patient.flags.select_related("acknowledged_by", "entry"))
    flags.sort(key=lambda f: (severity_rank(f.severity), -f.raised_at.timestamp()))
    attention = [f for f in flags if f.is_open and f.acknowledged_at is None]
    acknowledged = [f for f in flags if f.is_open and f.acknowledged_at is not None]
    closed = sorted((f for f in flags if not f.is_open), key=lambda f: f.closed_at, reverse=True)[:10]
    _earlier_acknowledgements(attention)
    return attention, acknowledged, closed


def _earlier_acknowledgements(flags) -> None:
    """Give each flag `earlier_acknowledgement`: the latest acknowledgement
    its history holds (a flag reopened as a new alert loses its own, DESIGN
    4.4, but what was done the first time is worth reading), or None. One
    query, and none when no flag needs attention."""
    for flag in flags:
        flag.earlier_acknowledgement = None
    if not flags:
        return
    by_id = {flag.pk: flag for flag in flags}
    rows = (Flag.history.filter(id__in=list(by_id), acknowledged_at__isnull=False)
            .select_related("acknowledged_by").order_by("id", "-history_date"))
    for row in rows:
        if by_id[row.id].earlier_acknowledgement is None:
            by_id[row.id].earlier_acknowledgement = row


@dataclass(frozen=True)
class EntryListItem:
    """One entry of the patient page's list, in the clinic's words."""

    id: object
    date: dt.date
    is_visit: bool
    kind_label: str
    recorded_by: str
    pain: list  # [(location label, context label, score)]
    measures: list  # [(label, formatted value)]
    symptoms: list  # [symptom label]
    notes: str


# The patient page lists this many entries, newest first; older ones are a
# link away. The chart and the criteria still read the whole record.
PATIENT_ENTRIES_PAGE_SIZE = 20


def patient_entry_list(record: PatientRecord, *, page=1, per_page=PATIENT_ENTRIES_PAGE_SIZE):
    """One page of the record's entries, newest first, for the list on the
    patient page: a Django Page of EntryListItems built from the same rows the
    chart and the criteria read, no second query."""
    page_obj = Paginator(record.entries[::-1], per_page).get_page(page)
    page_obj.object_list = [_entry_list_item(entry) for entry in page_obj.object_list]
    return page_obj


def _entry_list_item(entry) -> EntryListItem:
    return EntryListItem(
        id=entry.id, date=entry.date, is_visit=entry.is_visit, kind_label=codes.EntryKind(entry.kind).label,
        recorded_by=entry.recorded_by,
        pain=[(codes.LOCATIONS[p.location].label, codes.CONTEXTS[p.context].label, p.score) for p in entry.pain],
        measures=[(MEASURES[name].label, format_measure(name, value)) for name, value in entry.measures.items()],
        symptoms=[codes.SYMPTOMS[code].label for code in sorted(entry.symptoms)],
        notes=entry.notes,
    )


def patient_visit_dates(patient: Patient, *, exclude: Entry | None = None) -> set[dt.date]:
    """The dates the patient already has a visit on (the visit form's same-day notice)."""
    visits = Entry.objects.filter(patient=patient, kind=Entry.VISIT)
    if exclude is not None:
        visits = visits.exclude(pk=exclude.pk)
    return set(visits.values_list("date", flat=True))


def clinic_physios(clinic: Clinic):
    return User.objects.filter(clinic=clinic, role=User.PHYSIO, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
