"""Outcomes in the exports (INTERCHANGE.md sections 2–4): the administrations
as importable OUTCOME records and their scores in JSON, one CSV row per score,
and in FHIR a QuestionnaireResponse per administration with an Observation of
its score, plus an Observation per performance test."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from content.models import Instrument
from interchange.csv_export import iter_caseload_csv
from interchange.exporter import iter_caseload_json
from interchange.fhir import iter_caseload_fhir
from patients.outcomes import record_outcome
from tests.factories import ClinicFactory, EntryFactory, PatientFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 7)


@pytest.fixture
def course():
    """A patient with a KOOS JR and a PSFS at baseline and four weeks on, and
    two visits with performance tests."""
    clinic = ClinicFactory(slug="riverside")
    patient = PatientFactory(clinic=clinic, ref="P-7", surgery_date=START - dt.timedelta(days=14),
                             programme_start=START)
    koos = Instrument.objects.get(clinic=clinic, code="koos_jr")
    psfs = Instrument.objects.get(clinic=clinic, code="psfs")
    record_outcome(patient=patient, instrument=koos, date=START, by="staff", answers=[3, 3, 2, 3, 2, 3, 3])
    record_outcome(patient=patient, instrument=koos, date=START + dt.timedelta(days=28), by="patient",
                   answers=[1, 2, 1, 1, 1, 2, 1])
    activities = [("Walking to the shops", 3), ("Stairs", 4), ("Getting out of a car", 5)]
    record_outcome(patient=patient, instrument=psfs, date=START, by="patient", activities=activities)
    EntryFactory(patient=patient, date=START, chair_stand_30s=8, tug_s=Decimal("14.2"))
    EntryFactory(patient=patient, date=START + dt.timedelta(days=28), chair_stand_30s=11, tug_s=Decimal("11.9"))
    return clinic, patient


def test_json_export_writes_each_administration_and_its_score(course):
    clinic, _ = course
    exported = json.loads("".join(iter_caseload_json(clinic)))["patients"][0]

    assert exported["outcomes"] == [
        {"date": "2026-09-07", "instrument": "koos_jr", "by": "staff", "answers": [3, 3, 2, 3, 2, 3, 3]},
        {"date": "2026-09-07", "instrument": "psfs", "by": "patient", "activities": [
            {"activity": "Walking to the shops", "score": 3}, {"activity": "Stairs", "score": 4},
            {"activity": "Getting out of a car", "score": 5}]},
        {"date": "2026-10-05", "instrument": "koos_jr", "by": "patient", "answers": [1, 2, 1, 1, 1, 2, 1]},
    ]
    assert exported["outcome_scores"] == [
        {"date": "2026-09-07", "instrument": "koos_jr", "raw": 19, "score": 19.0},
        {"date": "2026-09-07", "instrument": "psfs", "raw": None, "score": 4.0},
        {"date": "2026-10-05", "instrument": "koos_jr", "raw": 9, "score": 9.0},
    ]
    assert exported["visits"][0]["measures"] == {"chair_stand_30s": 8, "tug_s": 14.2}


def test_csv_has_one_row_per_outcome_score_and_performance_test(course):
    clinic, _ = course
    rows = list(csv.DictReader(io.StringIO("".join(iter_caseload_csv(clinic)))))
    scores = [(r["date"], r["entry_kind"], r["measure"], r["score"], r["raw"]) for r in rows if r["measure"] != "pain"]

    assert sorted(scores) == sorted([
        ("2026-09-07", "visit", "chair_stand_30s", "8", ""),
        ("2026-09-07", "visit", "tug_s", "14.2", ""),
        ("2026-10-05", "visit", "chair_stand_30s", "11", ""),
        ("2026-10-05", "visit", "tug_s", "11.9", ""),
        ("2026-09-07", "outcome", "koos_jr", "19.0", "19"),
        ("2026-09-07", "outcome", "psfs", "4.0", ""),
        ("2026-10-05", "outcome", "koos_jr", "9.0", "9"),
    ])


def test_fhir_has_a_questionnaire_response_and_score_per_administration(course):
    clinic, patient = course
    document = json.loads("".join(iter_caseload_fhir(clinic)))
    Bundle.model_validate(document)
    resources = [e["resource"] for e in document["entry"]]
    for resource in resources:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    urls = {e["fullUrl"] for e in document["entry"]}

    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert len(responses) == 3
    koos = next(r for r in responses if r["questionnaire"] == "http://loinc.org/q/82324-5"
                and r["authored"] == "2026-09-07")
    assert [i["linkId"] for i in koos["item"]] == [
        "82325-2", "82326-0", "82327-8", "82328-6", "82329-4", "82330-2", "82331-0"]
    assert [i["answer"][0]["valueInteger"] for i in koos["item"]] == [3, 3, 2, 3, 2, 3, 3]
    psfs = next(r for r in responses if r["item"][0]["linkId"] == "activity-1")
    assert [i["text"] for i in psfs["item"]] == ["Walking to the shops", "Stairs", "Getting out of a car"]
    assert psfs["source"] == psfs["subject"]

    scores = [r for r in resources if r["resourceType"] == "Observation" and r.get("derivedFrom")]
    assert len(scores) == 3
    assert all(r["derivedFrom"][0]["reference"] in urls for r in scores)
    assert sorted(r["valueQuantity"]["value"] for r in scores) == [4.0, 9.0, 19.0]

    tests = [r for r in resources if r["resourceType"] == "Observation"
             and r["code"]["coding"][0]["code"] in ("chair_stand_30s", "tug_s")]
    assert sorted((r["code"]["coding"][0]["code"], r["valueQuantity"]["value"], r["valueQuantity"]["code"])
                  for r in tests) == [("chair_stand_30s", 8.0, "{#}"), ("chair_stand_30s", 11.0, "{#}"),
                                      ("tug_s", 11.9, "s"), ("tug_s", 14.2, "s")]


def test_fhir_score_uses_the_loinc_code_once_a_clinic_enters_the_interval_table(course):
    clinic, _ = course
    Instrument.objects.filter(clinic=clinic, code="koos_jr").update(loinc_score="82332-8")
    document = json.loads("".join(iter_caseload_fhir(clinic)))
    codes = [e["resource"]["code"]["coding"][0] for e in document["entry"]
             if e["resource"]["resourceType"] == "Observation" and e["resource"].get("derivedFrom")]

    assert sum(1 for c in codes if c == {"system": "http://loinc.org", "code": "82332-8",
                                         "display": "KOOS JR (knee) score"}) == 2
