"""Outcome measures (DESIGN §9): the performance tests in the vocabulary, the
questionnaires as content data, their scoring at its boundaries, the
clinic's minimal detectable change, and an instrument added without code."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from content.defaults.instruments import INSTRUMENTS
from content.instruments import Instrument, MinimalDetectableChange, loinc_check_digit
from content.measures import CRITERION_MEASURES, ENTRY_MEASURES, MEASURES, PERFORMANCE_TESTS
from content.models import ExitCriterion, Phase
from content.scoring import InstrumentSpec, ScoringError, score_answers
from patients.models import Entry, OutcomeAdministration
from patients.outcomes import OutcomeError, baseline_activities, record_outcome
from tests.factories import EntryFactory, PatientFactory

# Performance tests in the vocabulary --------------------------------------


def test_performance_tests_are_visit_measures_with_their_limits_and_mdc_defaults():
    chair, tug = ENTRY_MEASURES["chair_stand_30s"], ENTRY_MEASURES["tug_s"]
    assert (chair.min, chair.max, chair.decimals) == (0, 40, 0)
    assert (tug.min, tug.max, tug.decimals) == (Decimal("1.0"), Decimal("120.0"), 1)
    assert set(PERFORMANCE_TESTS) == {"chair_stand_30s", "tug_s"}
    assert (chair.mdc_default, tug.mdc_default) == (Decimal("2"), Decimal("1.1"))
    assert chair.higher_is_better and not tug.higher_is_better
    assert {"chair_stand_30s", "tug_s", "psfs", "koos_jr", "hoos_jr"} <= set(CRITERION_MEASURES)


@pytest.mark.parametrize("code, value, problem", [
    ("chair_stand_30s", 0, None), ("chair_stand_30s", 40, None), ("chair_stand_30s", 41, "must be from 0 to 40 stands"),
    ("chair_stand_30s", -1, "must be from 0 to 40 stands"), ("chair_stand_30s", 12.5, "must be a whole number"),
    ("chair_stand_30s", True, "must be a number"),
    ("tug_s", Decimal("1.0"), None), ("tug_s", 120, None), ("tug_s", 12.4, None),
    ("tug_s", Decimal("0.9"), "must be from 1.0 to 120.0 s"), ("tug_s", Decimal("120.1"), "must be from 1.0 to 120.0 s"),
    ("tug_s", Decimal("12.45"), "is recorded to 1 decimal place"), ("tug_s", "fast", "must be a number"),
])
def test_a_measure_states_why_a_value_cannot_be_recorded(code, value, problem):
    found = MEASURES[code].value_problem(value)
    assert (found is None) if problem is None else (problem in found)


@pytest.mark.django_db
@pytest.mark.parametrize("field, value", [("tug_s", Decimal("0.9")), ("tug_s", Decimal("120.1")),
                                          ("chair_stand_30s", 41)])
def test_the_database_refuses_a_performance_test_outside_its_limits(field, value):
    entry = EntryFactory()
    setattr(entry, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


@pytest.mark.django_db
def test_a_tug_time_keeps_its_tenth():
    entry = EntryFactory(tug_s=Decimal("12.4"), chair_stand_30s=11)
    entry.refresh_from_db()
    assert entry.tug_s == Decimal("12.4") and entry.measures["tug_s"] == Decimal("12.4")


# Seeded instruments and detectable changes ----------------------------------


def test_the_shipped_loinc_codes_have_valid_check_digits():
    codes = [code for spec in INSTRUMENTS for code in (spec["loinc_panel"], spec["loinc_score"]) if code]
    codes += [loinc for spec in INSTRUMENTS for *_, loinc in spec["items"]]
    assert len(codes) == 2 + 7 + 6
    for code in codes:
        number, check = code.split("-")
        assert loinc_check_digit(number) == int(check), code


def test_loinc_check_digit_matches_the_design_codes():
    assert [f"{n}-{loinc_check_digit(str(n))}" for n in (82324, 82325, 82331, 82332, 82316, 82323)] == [
        "82324-5", "82325-2", "82331-0", "82332-8", "82316-1", "82323-7",
    ]


@pytest.mark.django_db
def test_a_new_clinic_gets_psfs_koos_jr_and_hoos_jr_and_the_detectable_changes(clinic):
    instruments = {i.code: i for i in Instrument.objects.filter(clinic=clinic)}
    assert set(instruments) == {"psfs", "koos_jr", "hoos_jr"}
    koos, hoos, psfs = instruments["koos_jr"], instruments["hoos_jr"], instruments["psfs"]
    assert [i.loinc for i in koos.items.all()] == [
        "82325-2", "82326-0", "82327-8", "82328-6", "82329-4", "82330-2", "82331-0"]
    assert [i.loinc for i in hoos.items.all()] == ["82317-9", "82318-7", "82319-5", "82320-3", "82321-1", "82322-9"]
    assert (koos.loinc_panel, hoos.loinc_panel) == ("82324-5", "82316-1")
    # No conversion table could be confirmed from the primary document: raw sum only, no interval-score code.
    assert (koos.scoring, hoos.scoring) == ("sum", "sum")
    assert not koos.conversion_rows.exists() and not hoos.conversion_rows.exists()
    assert (koos.loinc_score, hoos.loinc_score) == ("", "")
    assert [o.value for o in koos.options.all()] == [0, 1, 2, 3, 4]
    assert [o.label for o in koos.options.all()] == ["None", "Mild", "Moderate", "Severe", "Extreme"]
    assert (psfs.scoring, psfs.patient_named_items, psfs.min_items, psfs.max_items) == ("mean", True, 3, 5)
    assert psfs.meaningful_change == Decimal("2.00")
    assert [o.value for o in psfs.options.all()] == list(range(11))
    changes = {m.measure: m for m in MinimalDetectableChange.objects.filter(clinic=clinic)}
    assert (changes["tug_s"].value, changes["chair_stand_30s"].value) == (Decimal("1.10"), Decimal("2.00"))
    assert all(m.source for m in changes.values())


# Scoring: the shipped instruments at their boundaries ------------------------


@pytest.fixture
def specs(clinic):
    return {i.code: i.spec() for i in Instrument.objects.filter(clinic=clinic)}


@pytest.mark.django_db
@pytest.mark.parametrize("code, answers, raw", [
    ("koos_jr", [0] * 7, 0), ("koos_jr", [4] * 7, 28), ("koos_jr", [2, 2, 1, 3, 2, 2, 3], 15),
    ("hoos_jr", [0] * 6, 0), ("hoos_jr", [4] * 6, 24), ("hoos_jr", [1, 0, 2, 4, 3, 1], 11),
])
def test_koos_jr_and_hoos_jr_score_the_raw_sum(specs, code, answers, raw):
    assert score_answers(specs[code], answers=answers) == score_answers(specs[code], answers=tuple(answers))
    scored = score_answers(specs[code], answers=answers)
    assert (scored.raw, scored.score) == (raw, Decimal(raw))


@pytest.mark.django_db
@pytest.mark.parametrize("code, answers, message", [
    ("koos_jr", [1] * 6, "KOOS JR (knee) has 7 questions: 6 answers were given."),
    ("koos_jr", [1] * 8, "KOOS JR (knee) has 7 questions: 8 answers were given."),
    ("koos_jr", [], "KOOS JR (knee) has 7 questions: 0 answers were given."),
    ("hoos_jr", [1, 1, 5, 1, 1, 1], "Question 3: the answer must be 0 to 4, not 5."),
    ("hoos_jr", [1, 1, 1, 1, 1, -1], "Question 6: the answer must be 0 to 4, not -1."),
    ("hoos_jr", [1, 1, 1, 1, 1.5, 1], "Question 5: the answer must be 0 to 4, not 1.5."),
    ("hoos_jr", [1, 1, 1, 1, True, 1], "Question 5: the answer must be 0 to 4, not True."),
    ("hoos_jr", [1, None, 1, 1, 1, 1], "Question 2 is not answered."),
])
def test_wrong_answers_are_refused_with_a_clear_message(specs, code, answers, message):
    with pytest.raises(ScoringError) as error:
        score_answers(specs[code], answers=answers)
    assert message in error.value.messages


@pytest.mark.django_db
@pytest.mark.parametrize("scores, mean", [
    ([0, 0, 0], Decimal("0.00")), ([10, 10, 10, 10, 10], Decimal("10.00")),
    ([4, 3, 5], Decimal("4.00")), ([4, 3, 4], Decimal("3.67")), ([1, 2, 2, 2], Decimal("1.75")),
])
def test_psfs_scores_the_mean_of_the_named_activities(specs, scores, mean):
    activities = [{"activity": f"Activity {n}", "score": s} for n, s in enumerate(scores)]
    scored = score_answers(specs["psfs"], activities=activities)
    assert (scored.raw, scored.score) == (None, mean)


@pytest.mark.django_db
@pytest.mark.parametrize("activities, message", [
    ([("Stairs", 3), ("Car", 4)], "Name 3 to 5 activities: 2 given."),
    ([(f"A{n}", 3) for n in range(6)], "Name 3 to 5 activities: 6 given."),
    ([("Stairs", 3), ("", 4), ("Car", 5)], "Activity 2 needs a name."),
    ([("Stairs", 3), ("stairs ", 4), ("Car", 5)], "“stairs” is listed twice."),
    ([("Stairs", 11), ("Walk", 4), ("Car", 5)], "Activity 1 is rated 0 to 10, not 11."),
    ([("Stairs", 3), ("Walk", None), ("Car", 5)], "Rate activity 2 from 0 to 10."),
])
def test_psfs_refuses_bad_activities_with_a_clear_message(specs, activities, message):
    with pytest.raises(ScoringError) as error:
        score_answers(specs["psfs"], activities=activities)
    assert message in error.value.messages


def test_a_conversion_table_converts_the_raw_sum_and_a_gap_is_named():
    spec = InstrumentSpec(code="x", name="Made-up", scoring="table", items=("a", "b"), options=(0, 1),
                          table={0: Decimal("100"), 1: Decimal("42.5")})
    assert score_answers(spec, answers=[0, 0]).score == Decimal("100")
    assert (score_answers(spec, answers=[1, 0]).raw, score_answers(spec, answers=[1, 0]).score) == (1, Decimal("42.5"))
    with pytest.raises(ScoringError, match="no row for the raw score 2"):
        score_answers(spec, answers=[1, 1])


def test_non_consecutive_options_are_listed():
    spec = InstrumentSpec(code="x", name="Made-up", scoring="sum", items=("a",), options=(5, 0, 2))
    with pytest.raises(ScoringError, match="must be 0, 2 or 5, not 1"):
        score_answers(spec, answers=[1])


# Recording an administration ------------------------------------------------


@pytest.fixture
def koos(clinic):
    return Instrument.objects.get(clinic=clinic, code="koos_jr")


@pytest.fixture
def psfs(clinic):
    return Instrument.objects.get(clinic=clinic, code="psfs")


@pytest.mark.django_db
def test_record_outcome_stores_answers_and_score(patient, koos, physio):
    day = patient.programme_start
    outcome = record_outcome(patient=patient, instrument=koos, date=day, by="staff",
                             answers=[2, 2, 1, 3, 2, 2, 3], entered_by=physio)
    outcome.refresh_from_db()
    assert (outcome.raw, outcome.score, outcome.answers, outcome.activities) == (15, Decimal("15"), [2, 2, 1, 3, 2, 2, 3], [])
    assert outcome.entered_by == physio and outcome.by == "staff"
    with pytest.raises(OutcomeError, match="already recorded"):
        record_outcome(patient=patient, instrument=koos, date=day, by="staff", answers=[0] * 7)


@pytest.mark.django_db
def test_record_outcome_refuses_bad_dates_and_another_clinics_instrument(patient, koos, other_clinic):
    with pytest.raises(OutcomeError) as error:
        record_outcome(patient=patient, instrument=koos, date=patient.surgery_date - dt.timedelta(days=1),
                       by="staff", answers=[0] * 7)
    assert error.value.problems[0][0] == "date" and "before the surgery" in error.value.messages[0]
    foreign = Instrument.objects.get(clinic=other_clinic, code="koos_jr")
    with pytest.raises(OutcomeError, match="not one of the patient's clinic"):
        record_outcome(patient=patient, instrument=foreign, date=patient.programme_start, by="staff", answers=[0] * 7)
    with pytest.raises(OutcomeError, match="has 7 questions"):
        record_outcome(patient=patient, instrument=koos, date=patient.programme_start, by="patient", answers=[0] * 6)
    assert not OutcomeAdministration.objects.exists()


@pytest.mark.django_db
def test_a_later_psfs_re_rates_the_same_activities(patient, psfs):
    first = [{"activity": "Walking to the shops", "score": 4}, {"activity": "Stairs", "score": 3},
             {"activity": "Getting out of a car", "score": 5}]
    record_outcome(patient=patient, instrument=psfs, date=patient.programme_start, by="patient", activities=first)
    assert baseline_activities(patient, psfs) == ["Walking to the shops", "Stairs", "Getting out of a car"]
    later = patient.programme_start + dt.timedelta(days=28)
    with pytest.raises(OutcomeError, match="Re-rate the same activities as the first time"):
        record_outcome(patient=patient, instrument=psfs, date=later, by="patient",
                       activities=[("Walking to the shops", 6), ("Stairs", 5), ("Gardening", 5)])
    outcome = record_outcome(patient=patient, instrument=psfs, date=later, by="patient",
                             activities=[("Walking to the shops", 6), ("Stairs", 5), ("Getting out of a car", 7)])
    assert outcome.score == Decimal("6.00") and outcome.raw is None


@pytest.mark.django_db
def test_the_database_keeps_answers_or_activities_and_one_a_day(patient, koos):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeAdministration.objects.create(patient=patient, instrument=koos, date=patient.programme_start,
                                             by="staff", answers=[], activities=[], score=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeAdministration.objects.create(patient=patient, instrument=koos, date=patient.programme_start,
                                             by="someone", answers=[0] * 7, score=0)


# An instrument added as data, without code ----------------------------------


@pytest.mark.django_db
def test_a_clinic_admin_adds_an_instrument_in_the_admin_and_it_is_scored(client, clinic_admin, clinic, physio):
    client.force_login(clinic_admin)
    data = {
        "code": "back_made_up", "name": "Made-up back index", "instructions": "Tick one box per section.",
        "order": "9", "is_active": "on", "scoring": "table", "higher_is_better": "",
        "conversion_source": "Made-up scoring manual, table 1 (test data only)",
        "meaningful_change": "10", "meaningful_change_source": "Made-up study, 2020",
        "min_items": "", "max_items": "", "loinc_panel": "", "loinc_score": "",
        "items-TOTAL_FORMS": "3", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "options-TOTAL_FORMS": "3", "options-INITIAL_FORMS": "0", "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "conversion_rows-TOTAL_FORMS": "5", "conversion_rows-INITIAL_FORMS": "0",
        "conversion_rows-MIN_NUM_FORMS": "0", "conversion_rows-MAX_NUM_FORMS": "1000",
    }
    for n, text in enumerate(["Pain intensity", "Lifting", "Walking"]):
        data.update({f"items-{n}-order": str(n + 1), f"items-{n}-text": text, f"items-{n}-stem": "",
                     f"items-{n}-loinc": ""})
    for n, label in enumerate(["No problem", "Some problem", "Severe problem"]):
        data.update({f"options-{n}-value": str(n), f"options-{n}-label": label})
    # Raw 0–6 over three items of 0–2; only rows 0–4 entered: raw 5 and 6 are a gap.
    for n, score in enumerate(["0", "16.7", "33.3", "50", "66.7"]):
        data.update({f"conversion_rows-{n}-raw": str(n), f"conversion_rows-{n}-score": score})
    response = client.post(reverse("admin:content_instrument_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    instrument = Instrument.objects.get(clinic=clinic, code="back_made_up")
    assert instrument.items.count() == 3 and instrument.conversion_rows.count() == 5

    patient = PatientFactory(clinic=clinic, physio=physio)
    outcome = record_outcome(patient=patient, instrument=instrument, date=patient.programme_start, by="staff",
                             answers=[1, 2, 1], entered_by=physio)
    assert (outcome.raw, outcome.score) == (4, Decimal("66.700"))
    with pytest.raises(OutcomeError, match="no row for the raw score 6"):
        record_outcome(patient=patient, instrument=instrument, date=patient.programme_start + dt.timedelta(days=1),
                       by="staff", answers=[2, 2, 2])
    with pytest.raises(OutcomeError, match="must be 0 to 2, not 3"):
        record_outcome(patient=patient, instrument=instrument, date=patient.programme_start + dt.timedelta(days=1),
                       by="staff", answers=[3, 0, 0])


@pytest.mark.django_db
def test_the_admin_refuses_a_table_without_its_source(client, clinic_admin, clinic):
    client.force_login(clinic_admin)
    data = {"code": "nosource", "name": "No source", "order": "0", "scoring": "table", "conversion_source": "",
            "meaningful_change": "", "meaningful_change_source": "", "instructions": ""}
    for prefix in ("items", "options", "conversion_rows"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:content_instrument_add"), data)
    assert response.status_code == 200
    assert "Cite the primary scoring document" in response.content.decode()
    assert not Instrument.objects.filter(code="nosource").exists()


@pytest.mark.django_db
def test_a_clinic_admin_edits_the_minimal_detectable_change_with_its_source(client, clinic_admin, clinic):
    client.force_login(clinic_admin)
    mdc = MinimalDetectableChange.objects.get(clinic=clinic, measure="tug_s")
    url = reverse("admin:content_minimaldetectablechange_change", args=[mdc.pk])
    response = client.post(url, {"measure": "tug_s", "value": "1.4", "source": "Our clinic's audit, 2025"})
    assert response.status_code == 302
    mdc.refresh_from_db()
    assert (mdc.value, mdc.source) == (Decimal("1.40"), "Our clinic's audit, 2025")
    response = client.post(url, {"measure": "tug_s", "value": "1.4", "source": ""})
    assert response.status_code == 200


@pytest.mark.django_db
def test_an_exit_criterion_may_use_a_performance_test_or_a_questionnaire(clinic):
    phase = Phase.objects.get(clinic=clinic, code="integrate")
    ExitCriterion.objects.create(phase=phase, measure="chair_stand_30s", comparator=">=", threshold=12)
    ExitCriterion.objects.create(phase=phase, measure="psfs", comparator=">=", threshold=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExitCriterion.objects.create(phase=phase, measure="tug_s", comparator="<=", threshold=121)


def test_entry_has_the_performance_columns():
    assert {"chair_stand_30s", "tug_s"} <= {f.name for f in Entry._meta.get_fields()}
