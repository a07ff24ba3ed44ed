"""The vocabulary is written once (content.codes, content.measures,
content.flag_kinds) and every path derives from it: the visit form, the
import schema and the database's CHECKs share a measure's limits, and the
tables are complete (advice for every flag, a question for every symptom)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from content.codes import CONTEXTS, LOCATIONS, PAIN_MAX, PAIN_MIN, SYMPTOMS, Location, Symptom
from content.defaults import LOCATION_GUIDE
from content.flag_kinds import FLAG_KINDS, SWEEP_FLAG_CODES, FlagCode, RaisedBy, Severity, severity_rank
from content.measures import CRITERION_MEASURES, ENTRY_MEASURES, MEASURES, Measure, MeasureKind
from interchange.spec_types import Facts
from interchange.specs import MeasuresSpec, PatientSpec, measures_spec
from patients.models import Entry, EntryMeasures, PainScore
from rehab.models import Flag
from rehab.rules import Entry as RuleEntry
from rehab.rules import PainScore as RulePainScore
from rehab.rules import entry_findings
from rehab.workspace.forms import VisitForm
from tests.factories import EntryFactory, ExitCriterionFactory
from tests.interchange.conftest import patient_doc

NUMBER_MEASURES = [code for code, m in ENTRY_MEASURES.items() if not m.is_bool]
TODAY = dt.date(2026, 11, 22)


def _facts():
    return Facts(physios=frozenset({"jsmith"}), staff=frozenset({"jsmith"}), today=TODAY)


def _schema_errors(doc):
    from pydantic import ValidationError

    try:
        PatientSpec.model_validate(doc, context=_facts())
    except ValidationError as error:
        return [e["ctx"]["message"] for e in error.errors() if e["type"] == "kinetic"]
    return []


def _visit_form(patient, **data):
    return VisitForm(data={"date": patient.programme_start.isoformat(), **data}, patient=patient)


# Limits: one per measure, the same on every path ----------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("code", NUMBER_MEASURES)
def test_a_measure_just_outside_its_limits_is_refused_by_the_form_the_schema_and_the_database(patient, code):
    measure = MEASURES[code]
    for value in (measure.min - 1, measure.max + 1):
        assert code in _visit_form(patient, **{code: value}).errors
        doc = patient_doc()
        doc["visits"][0]["measures"] = {code: value}
        assert f"{value} is outside {measure.min}–{measure.max} {measure.kind}" in _schema_errors(doc)
        with pytest.raises(IntegrityError), transaction.atomic():
            EntryFactory(patient=patient, **{code: value})


@pytest.mark.django_db
@pytest.mark.parametrize("code", NUMBER_MEASURES)
def test_a_measure_at_its_limits_is_accepted_everywhere(patient, code):
    measure = MEASURES[code]
    for value in (measure.min, measure.max):
        assert _visit_form(patient, **{code: value}).is_valid()
        doc = patient_doc()
        doc["visits"][0]["measures"] = {code: value}
        assert _schema_errors(doc) == []
        EntryFactory(patient=patient, **{code: value})


@pytest.mark.django_db
@pytest.mark.parametrize("code", [c for c, m in CRITERION_MEASURES.items() if not m.is_bool])
def test_a_criterion_threshold_beyond_its_measures_limits_is_refused(clinic, code):
    phase = clinic.phases.get(code="normalise")
    phase.exit_criteria.filter(measure=code).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        ExitCriterionFactory(phase=phase, measure=code, comparator=">=", threshold=MEASURES[code].max + 1)
    ExitCriterionFactory(phase=phase, measure=code, comparator=">=", threshold=MEASURES[code].max)


@pytest.mark.django_db
def test_pain_limits_are_the_form_the_schema_and_the_database(patient):
    for score in (PAIN_MIN - 1, PAIN_MAX + 1):
        assert "pain_knee_rest" in _visit_form(patient, pain_knee_rest=score).errors
        doc = patient_doc()
        doc["visits"][0]["pain"][0]["score"] = score
        assert f"{score} is outside {PAIN_MIN}–{PAIN_MAX}" in _schema_errors(doc)
        with pytest.raises(IntegrityError), transaction.atomic():
            PainScore.objects.create(entry=EntryFactory(patient=patient), location="knee", context="rest", score=score)


def test_the_entry_has_one_column_per_visit_measure_and_the_form_and_schema_one_field_each():
    columns = {f.name for f in EntryMeasures._meta.get_fields()}
    assert columns == set(ENTRY_MEASURES) == set(MeasuresSpec.model_fields)
    for code, measure in ENTRY_MEASURES.items():
        assert Entry._meta.get_field(code).verbose_name == measure.field_label


def test_a_new_measure_in_the_table_is_read_by_the_schema_with_its_own_limits():
    hip_extension = Measure("hip_extension_deg", "Hip extension (°)", MeasureKind.SCORE, "°", -30, 30)
    spec = measures_spec({**ENTRY_MEASURES, hip_extension.code: hip_extension})

    assert spec.model_validate({"hip_extension_deg": -30}).hip_extension_deg == -30
    for value in (-31, 31):
        from pydantic import ValidationError

        with pytest.raises(ValidationError, match=f"{value} is outside -30–30"):
            spec.model_validate({"hip_extension_deg": value})


def test_a_new_measure_below_zero_becomes_a_signed_column():
    from patients.models import _measure_field

    field = _measure_field(Measure("hip_extension_deg", "Hip extension (°)", MeasureKind.SCORE, "°", -30, 30))
    assert field.get_internal_type() == "SmallIntegerField"


# Completeness of the tables -------------------------------------------------


def test_every_flag_kind_has_advice_a_severity_and_a_label():
    for kind in FLAG_KINDS.values():
        assert kind.advice.strip() and kind.label.strip()
        assert kind.severity in Severity.values


def test_every_flag_a_patient_can_raise_has_patient_advice_and_no_sweep_flag_has():
    for kind in FLAG_KINDS.values():
        if kind.raised_by == RaisedBy.ENTRY:
            assert kind.patient_advice and kind.patient_advice.strip()
        else:
            assert kind.patient_advice is None
    assert set(SWEEP_FLAG_CODES) == {"plateau_12w", "pain_regression", "ready_to_progress"}


def test_every_symptom_has_a_patient_question_and_every_location_patient_words_and_a_body_site():
    assert all(symptom.question.strip() for symptom in SYMPTOMS.values())
    assert all(location.patient_label.strip() and location.body_site[0] for location in LOCATIONS.values())
    assert all(context.patient_label.strip() for context in CONTEXTS.values())
    assert set(LOCATION_GUIDE) == set(LOCATIONS)


def test_every_symptom_is_read_by_a_rule():
    """A checklist item no rule reads would be a question with no answer."""
    surgery, day = dt.date(2026, 6, 1), dt.date(2026, 6, 8)
    hip_pain = (RulePainScore(Location.ANTERIOR_HIP, "activity", 5),)

    def findings(*symptoms, pain=hip_pain):
        entry = RuleEntry(id=1, kind="visit", date=day, pain=pain, symptoms=set(symptoms))
        return entry_findings(entry, surgery_date=surgery, history=[])

    for symptom in Symptom:
        if symptom == Symptom.WEIGHT_LOSS:  # worded into the night pain flag
            assert "weight loss" in findings(Symptom.CONSTANT_NIGHT_PAIN, symptom)[0].message
        elif symptom == Symptom.JOINT_PAIN:  # with fever, even without a pain score
            assert findings(Symptom.FEVER, symptom, pain=())
        else:
            assert findings(symptom), symptom


def test_codes_are_stable():
    """They are in imports, exports and the database: a rename is a migration of data."""
    assert Location.ANTERIOR_HIP == "anterior_hip" and Symptom.CALF_SWELLING == "calf_swelling"
    assert FlagCode.CAUDA_EQUINA == "cauda_equina" and MEASURES["glute_bridge_hold_s"].kind == "seconds"


def test_severity_rank_is_the_order_of_urgency():
    assert [severity_rank(s) for s in ("emergency", "same_day", "urgent", "review", "info")] == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError):
        severity_rank("whenever")


def test_the_flag_model_takes_every_flag_code_and_severity():
    assert dict(Flag._meta.get_field("code").choices) == {code: kind.label for code, kind in FLAG_KINDS.items()}
    assert [c for c, _ in Flag._meta.get_field("severity").choices] == Severity.values
