"""Adherence in the caseload format (INTERCHANGE.md sections 2 and 4): marks
import by exercise code, bad marks are errors that write nothing, and the
export carries the marks and `adherence_28d`."""

import datetime as dt
import json

import pytest

from interchange.exporter import iter_caseload_json
from interchange.importer import caseload_import
from patients.models import AdherenceMark, Patient
from rehab.models import Flag

from .conftest import caseload_doc, patient_doc

pytestmark = pytest.mark.django_db

MARKS = [
    {"date": "2026-11-20", "exercise": "supine-hip-flexor-stretch", "status": "done"},
    {"date": "2026-11-20", "exercise": "heel-slides", "status": "too_hard"},
    {"date": "2026-11-21", "exercise": "heel-slides", "status": "hurt"},
]


def _marks():
    return sorted((m.patient.ref, m.date.isoformat(), m.exercise.code, m.status)
                  for m in AdherenceMark.objects.select_related("patient", "exercise"))


def _export(clinic, **kwargs):
    return {p["ref"]: p for p in json.loads("".join(iter_caseload_json(clinic, **kwargs)))["patients"]}


def test_marks_import_by_exercise_code_and_a_reimport_adds_nothing(physio):
    result = caseload_import(caseload_doc(patient_doc(adherence=MARKS)))
    assert result.ok, result.errors
    assert result.marks_created == 3
    assert _marks() == [
        ("P-0001", "2026-11-20", "heel-slides", "too_hard"),
        ("P-0001", "2026-11-20", "supine-hip-flexor-stretch", "done"),
        ("P-0001", "2026-11-21", "heel-slides", "hurt"),
    ]
    assert "3 adherence marks were added (0 already present)" in result.summary()

    again = caseload_import(caseload_doc(patient_doc(adherence=[*MARKS, {**MARKS[0], "date": "2026-11-22"}])))
    assert (again.marks_created, again.marks_existing) == (1, 3)
    assert len(_marks()) == 4


def test_marks_are_optional(physio):
    assert caseload_import(caseload_doc(patient_doc())).ok
    assert caseload_import(caseload_doc(patient_doc("P-0002", adherence=None))).ok
    assert not AdherenceMark.objects.exists()


def test_an_exercise_of_another_clinic_is_unknown_here(physio, other_clinic):
    other_clinic.exercises.create(name="Pool walking", instructions="Walk.", dosage="10 min")
    result = caseload_import(caseload_doc(patient_doc(adherence=[
        {"date": "2026-11-20", "exercise": "pool-walking", "status": "done"}])))
    assert [str(e) for e in result.errors] == [
        "P-0001 adherence[0].exercise: 'pool-walking' is not the code of an exercise in this clinic's library"]


@pytest.mark.parametrize(("mark", "message"), [
    ({"date": "2026-11-20", "exercise": "hip-circles", "status": "done"},
     "P-0001 adherence[1].exercise: 'hip-circles' is not the code of an exercise in this clinic's library"),
    ({"date": "2026-11-20", "exercise": "step-ups", "status": "skipped"},
     "P-0001 adherence[1].status: 'skipped' is not a known status (done, too_hard, hurt)"),
    ({"date": "2026-11-20", "exercise": "step-ups"}, "P-0001 adherence[1].status: missing"),
    ({"date": "20/11/2026", "exercise": "step-ups", "status": "done"},
     "P-0001 adherence[1].date: '20/11/2026' is not a date (YYYY-MM-DD)"),
    ({"date": "2026-05-30", "exercise": "step-ups", "status": "done"},
     "P-0001 adherence[1].date: 2026-05-30 is before the surgery (2026-06-01)"),
    ({"date": "2026-11-23", "exercise": "step-ups", "status": "done"},
     "P-0001 adherence[1].date: 2026-11-23 is after today (2026-11-22)"),
    ({"date": "2026-11-20", "exercise": "heel-slides", "status": "done", "sets": 3},
     "P-0001 adherence[1].sets: unknown field"),
    ({"date": "2026-11-20", "exercise": "supine-hip-flexor-stretch", "status": "hurt"},
     "P-0001 adherence[1]: a second mark for 'supine-hip-flexor-stretch' on 2026-11-20"),
    ("done", "P-0001 adherence[1]: an adherence mark must be an object, not text"),
])
def test_a_bad_mark_names_ref_path_and_reason_and_nothing_is_written(physio, mark, message):
    result = caseload_import(caseload_doc(patient_doc(adherence=[MARKS[0], mark])))
    assert [str(e) for e in result.errors] == [message]
    assert not result.written
    assert Patient.objects.count() == 0 and not AdherenceMark.objects.exists()


def test_adherence_not_a_list_is_an_error(physio):
    result = caseload_import(caseload_doc(patient_doc(adherence={"date": "2026-11-20"})))
    assert [str(e) for e in result.errors] == ["P-0001 adherence: must be a list, not an object"]


def test_the_export_carries_the_marks_and_adherence_28d_and_reimports(physio, clinic):
    assert caseload_import(caseload_doc(patient_doc(adherence=MARKS))).ok
    exported = _export(clinic)["P-0001"]
    assert exported["adherence"] == sorted(MARKS, key=lambda m: (m["date"], m["exercise"]))
    # Two days with exercises done of the 28 up to today (22 November).
    assert exported["adherence_28d"] == round(2 / 28, 2)
    # At an earlier date only the marks up to it count; before the plan, no figure.
    assert _export(clinic, as_of=dt.date(2026, 11, 20))["P-0001"]["adherence_28d"] == round(1 / 28, 2)
    assert _export(clinic, as_of=dt.date(2026, 6, 1))["P-0001"]["adherence_28d"] is None

    again = caseload_import({"format": "rehab-caseload/1", "clinic": clinic.slug,
                             "patients": list(_export(clinic).values())})
    assert again.ok and (again.marks_created, again.marks_existing) == (0, 3)


def test_the_exported_plateau_advice_says_when_adherence_is_low(physio, clinic):
    assert caseload_import(caseload_doc(patient_doc(adherence=MARKS))).ok
    # Activity pain 6 then 5 over 24 weeks: the import raised a plateau flag.
    stored = Flag.objects.get(patient__ref="P-0001", code="plateau_12w")
    [flag] = [f for f in _export(clinic)["P-0001"]["flags"] if f["code"] == "plateau_12w"]
    assert flag["advice"] == ("Adherence over the last 28 days is 7 % (2 of 28 days with exercises done): "
                              f"check adherence before escalating. {stored.advice}")
    assert "adherence" not in stored.advice  # worded when read, from today's figure
