"""Outcomes in the caseload import (INTERCHANGE.md "OUTCOME"): scored as the
portal would score them, re-imports add nothing, and a wrong number of
answers, an answer out of range or an unknown questionnaire is an error that
names the patient and the path, and writes nothing."""

import json

import pytest

from interchange.exporter import iter_caseload_json
from interchange.importer import caseload_import
from patients.models import OutcomeAdministration

from .conftest import caseload_doc, patient_doc

pytestmark = pytest.mark.django_db

KOOS = {"date": "2026-06-08", "instrument": "koos_jr", "answers": [2, 2, 1, 3, 2, 2, 3], "by": "patient"}
PSFS = {"date": "2026-06-08", "instrument": "psfs", "by": "staff", "activities": [
    {"activity": "Walking to the shops", "score": 4}, {"activity": "Stairs", "score": 3},
    {"activity": "Getting out of a car", "score": 5}]}
PSFS_LATER = {**PSFS, "date": "2026-07-06", "activities": [
    {"activity": "Walking to the shops", "score": 7}, {"activity": "Stairs", "score": 6},
    {"activity": "Getting out of a car", "score": 8}]}


def _errors(*outcomes):
    result = caseload_import(caseload_doc(patient_doc(outcomes=list(outcomes))))
    assert not OutcomeAdministration.objects.exists()
    return [(e.ref, e.path, e.message) for e in result.errors]


def test_outcomes_import_scored_and_a_reimport_adds_nothing(physio):
    result = caseload_import(caseload_doc(patient_doc(outcomes=[KOOS, PSFS, PSFS_LATER])))

    assert result.ok, result.errors
    assert result.outcomes_created == 3
    scores = sorted((o.instrument.code, o.date.isoformat(), o.by, o.raw, float(o.score))
                    for o in OutcomeAdministration.objects.select_related("instrument"))
    assert scores == [("koos_jr", "2026-06-08", "patient", 15, 15.0), ("psfs", "2026-06-08", "staff", None, 4.0),
                      ("psfs", "2026-07-06", "staff", None, 7.0)]
    assert "3 questionnaires were added (0 already present)" in result.summary()
    again = caseload_import(caseload_doc(patient_doc(outcomes=[KOOS, PSFS, PSFS_LATER])))
    assert again.ok and (again.outcomes_created, again.outcomes_existing) == (0, 3)
    assert OutcomeAdministration.history.filter(history_type="+").count() == 3


def test_an_exported_course_reimports_with_identical_scores(physio, clinic):
    assert caseload_import(caseload_doc(patient_doc(outcomes=[KOOS, PSFS, PSFS_LATER]))).ok
    exported = json.loads("".join(iter_caseload_json(clinic)))["patients"][0]
    OutcomeAdministration.objects.all().delete()

    assert caseload_import(caseload_doc(patient_doc(outcomes=exported["outcomes"]))).ok
    again = json.loads("".join(iter_caseload_json(clinic)))["patients"][0]
    assert again["outcomes"] == exported["outcomes"]
    assert again["outcome_scores"] == exported["outcome_scores"]


def test_a_wrong_number_of_answers_is_an_error(physio):
    assert _errors({**KOOS, "answers": [1, 2, 3]}) == [
        ("P-0001", "outcomes[0]", "KOOS JR (knee) has 7 questions: 3 answers were given.")]


def test_an_answer_out_of_range_is_named_by_its_place(physio):
    assert _errors({**KOOS, "answers": [1, 2, 9, 1, 1, 1, 1]}) == [
        ("P-0001", "outcomes[0].answers[2]", "Question 3: the answer must be 0 to 4, not 9.")]


def test_an_unknown_questionnaire_and_who_answered_are_errors(physio):
    errors = _errors({**KOOS, "instrument": "odi", "by": "nurse"})
    assert ("P-0001", "outcomes[0].instrument",
            "'odi' is not the code of a questionnaire of this clinic") in errors
    assert any(path == "outcomes[0].by" for _, path, _ in errors)


def test_a_second_administration_on_a_day_and_other_activities_are_errors(physio):
    renamed = {**PSFS_LATER, "activities": [{"activity": "Gardening", "score": 7}, *PSFS_LATER["activities"][1:]]}
    errors = _errors(KOOS, KOOS, PSFS, renamed)
    assert ("P-0001", "outcomes[1]", "a second 'koos_jr' on 2026-06-08") in errors
    assert any(path == "outcomes[3].activities" and "same activities" in message for _, path, message in errors)
