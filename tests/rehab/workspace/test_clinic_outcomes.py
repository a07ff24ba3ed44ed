"""The clinic outcomes page: for patients discharged in a period, the share
reaching a meaningful change per measure, median weeks per phase and how fast
red flags were acknowledged — scoped to the clinic, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from content.models import Instrument
from patients.models import Patient
from rehab.templatetags.kinetic import waited
from rehab.workspace.clinic_outcomes import MeasureResult, clinic_outcomes, measure_result, weeks_per_phase
from tests.factories import (
    ClinicAdminFactory,
    ClinicFactory,
    EntryFactory,
    FlagFactory,
    OutcomeAdministrationFactory,
    PatientFactory,
    PhaseTransitionFactory,
    PhysioFactory,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
START = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _result(band, higher_is_better=True):
    return MeasureResult(code="m", label="M", band=Decimal(band), band_source="", higher_is_better=higher_is_better)


def test_a_change_counts_only_when_it_exceeds_the_band_in_the_better_direction():
    readings = {
        "exactly": [(START, 10), (START, 12)],  # +2: not more than the band
        "above": [(START, 10), (START, 12.1)],
        "worse": [(START, 10), (START, 7)],
        "once": [(START, 10)],
    }
    result = measure_result(_result("2"), readings, ["exactly", "above", "worse", "once", "never"])

    assert (result.improved, result.patients, result.without_pair) == (1, 3, 2)
    assert result.share == pytest.approx(1 / 3)


def test_lower_is_better_measures_improve_downwards():
    result = measure_result(_result("1.1", higher_is_better=False),
                            {"a": [(START, Decimal("14.2")), (START, Decimal("13.0"))],
                             "b": [(START, Decimal("14.2")), (START, Decimal("13.1"))]}, ["a", "b"])

    assert (result.improved, result.patients) == (1, 2)


def test_weeks_per_phase_from_the_moves():
    moves = [(START + dt.timedelta(days=42), "normalise", "rebuild"),
             (START + dt.timedelta(days=56), "rebuild", "normalise"),  # sent back for two weeks
             (START + dt.timedelta(days=70), "normalise", "rebuild"),
             (START + dt.timedelta(days=98), "rebuild", "integrate"),
             (START + dt.timedelta(days=133), "integrate", "discharged")]

    assert weeks_per_phase(START, moves) == {"normalise": 8.0, "rebuild": 6.0, "integrate": 5.0}


def _discharged(clinic, *, on, koos=(), chair=()):
    patient = PatientFactory(clinic=clinic, programme_start=START, surgery_date=START - dt.timedelta(days=14),
                             phase="discharged")
    PhaseTransitionFactory(patient=patient, from_phase="normalise", to_phase="rebuild",
                           date=START + dt.timedelta(days=42))
    PhaseTransitionFactory(patient=patient, from_phase="rebuild", to_phase="integrate",
                           date=START + dt.timedelta(days=84))
    PhaseTransitionFactory(patient=patient, from_phase="integrate", to_phase="discharged", date=on)
    instrument = Instrument.objects.get(clinic=clinic, code="psfs")
    for n, mean in enumerate(koos):
        OutcomeAdministrationFactory(patient=patient, instrument=instrument, date=START + dt.timedelta(days=28 * n),
                                     answers=[], activities=[{"activity": a, "score": mean} for a in "abc"],
                                     raw=None, score=Decimal(mean))
    for n, stands in enumerate(chair):
        EntryFactory(patient=patient, date=START + dt.timedelta(days=28 * n), chair_stand_30s=stands)
    return patient


def test_a_patient_re_admitted_after_a_discharge_is_not_counted_as_discharged(client):
    clinic = ClinicFactory(slug="riverside")
    on = START + dt.timedelta(days=119)
    _discharged(clinic, on=on, koos=(3, 6))
    back = _discharged(clinic, on=on, koos=(3, 4))
    PhaseTransitionFactory(patient=back, from_phase="discharged", to_phase="rebuild", date=on)
    back.phase = "rebuild"
    back.save()
    report = clinic_outcomes(clinic, START, on + dt.timedelta(days=1))
    assert report.discharged == 1


def test_the_page_reports_the_clinics_discharged_patients(client):
    clinic = ClinicFactory(slug="riverside")
    admin = ClinicAdminFactory(clinic=clinic)
    on = START + dt.timedelta(days=119)
    _discharged(clinic, on=on, koos=(3, 6), chair=(8, 11))  # PSFS +3, chair +3: both real
    _discharged(clinic, on=on, koos=(4, 5), chair=(8, 10))  # +1, +2: neither
    _discharged(clinic, on=START - dt.timedelta(days=400), koos=(1, 9))  # discharged before the period
    other = ClinicFactory(slug="elsewhere")
    _discharged(other, on=on, koos=(1, 9), chair=(1, 20))
    flagged = Patient.objects.filter(clinic=clinic).first()
    entry = EntryFactory(patient=flagged, date=START + dt.timedelta(days=100))

    def red_flag(code, hours_ago, acknowledged_hours_ago=None):
        acknowledged = {} if acknowledged_hours_ago is None else {
            "acknowledged_at": NOW - dt.timedelta(hours=acknowledged_hours_ago), "acknowledgement_note": "Seen."}
        FlagFactory(patient=flagged, code=code, severity="same_day", entry=entry, entry_date=entry.date,
                    raised_at=NOW - dt.timedelta(hours=hours_ago), **acknowledged)

    red_flag("dvt_signs", 30, 28)
    red_flag("infection_signs", 10, 4)
    red_flag("night_pain", 3)
    client.force_login(admin)

    response = client.get(reverse("clinic_outcomes"), {"start": "2026-01-01", "end": "2026-11-20"})

    assert response.status_code == 200
    report = response.context["report"]
    assert report.discharged == 2
    by_code = {m.code: m for m in report.measures}
    assert (by_code["psfs"].improved, by_code["psfs"].patients) == (1, 2)
    assert (by_code["chair_stand_30s"].improved, by_code["chair_stand_30s"].patients) == (1, 2)
    assert dict((label, weeks) for label, weeks, _ in report.phase_weeks) == {
        "Normalise": 6.0, "Rebuild": 6.0, "Integrate": 5.0}
    assert (report.flags.acknowledged, report.flags.median_hours, report.flags.worst_hours) == (2, 4.0, 6.0)
    assert (report.flags.open, report.flags.oldest_open_hours) == (1, 3.0)
    page = response.content.decode()
    assert "2 patients discharged" in page and "50 %" in page
    assert "4 hours" in page and "6 hours" in page and "the oldest raised 3 hours ago" in page
    # The sources of the bands read in the clinic's words, not the design document's.
    assert "Kinetic&#x27;s starting value" in page and "DESIGN.md" not in page


@pytest.mark.parametrize("hours, text", [
    (None, "—"), (0.001, "under a minute"), (1 / 60, "1 minute"), (0.4, "24 minutes"), (1, "1 hour"),
    (4.25, "4.2 hours"), (47.9, "47.9 hours"), (60, "2.5 days"),
])
def test_a_wait_reads_in_minutes_hours_or_days(hours, text):
    assert waited(hours) == text


def test_a_bad_period_is_refused_with_a_message(client):
    client.force_login(PhysioFactory())

    response = client.get(reverse("clinic_outcomes"), {"start": "2026-10-01", "end": "2026-09-01"})

    assert response.status_code == 400
    assert "The end of the period must be on or after its start." in response.content.decode()
    assert client.get(reverse("clinic_outcomes"), {"start": "yesterday", "end": "2026-09-01"}).status_code == 400


@pytest.mark.parametrize("end", ["9999-12-31", "2999-01-01"])
def test_a_period_ending_after_today_is_refused_not_a_500(client, end):
    client.force_login(PhysioFactory())
    response = client.get(reverse("clinic_outcomes"), {"start": "9999-01-01", "end": end})
    assert response.status_code == 400
    assert "Nobody is discharged after today: choose an end on or before" in response.content.decode()


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("clinic_outcomes"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    clinic = ClinicFactory(slug="riverside")
    admin = ClinicAdminFactory(clinic=clinic)
    on = START + dt.timedelta(days=119)
    _discharged(clinic, on=on, koos=(3, 6), chair=(8, 11))
    client.force_login(admin)
    params = {"start": "2026-01-01", "end": "2026-11-20"}
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("clinic_outcomes"), params)
    for _ in range(8):
        _discharged(clinic, on=on, koos=(3, 6), chair=(8, 11))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("clinic_outcomes"), params)
    assert response.context["report"].discharged == 9
