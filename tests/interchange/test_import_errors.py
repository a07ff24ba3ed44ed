"""Every error class of INTERCHANGE.md section 3 names the ref, the path and
the reason, all errors come out in one run, and nothing is written."""

import json

import pytest
from django.core.management import CommandError, call_command

from interchange.importer import caseload_import
from patients.models import Entry, Patient
from rehab.models import PhaseTransition

from .conftest import caseload_doc, patient_doc


def _set(path, value):
    def mutate(doc):
        target = doc["patients"][0]
        *parents, last = path
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value
    return mutate


CASES = [
    ("unknown_location", _set(["visits", 0, "pain", 0, "location"], "shoulder"),
     "P-0001 visits[0].pain[0].location: 'shoulder' is not a known location code"),
    ("unknown_context", _set(["visits", 0, "pain", 1, "context"], "morning"),
     "P-0001 visits[0].pain[1].context: 'morning' is not a known context code"),
    ("unknown_symptom", _set(["visits", 1, "symptoms"], ["calf_cramp"]),
     "P-0001 visits[1].symptoms[0]: 'calf_cramp' is not a known symptom code"),
    ("unknown_measure", _set(["visits", 0, "measures", "sit_to_stand"], 5),
     "P-0001 visits[0].measures.sit_to_stand: 'sit_to_stand' is not a known measure code"),
    ("unknown_phase", _set(["phase"], "strengthen"), "P-0001 phase: 'strengthen' is not a known phase code"),
    ("score_above_10", _set(["visits", 0, "pain", 1, "score"], 11),
     "P-0001 visits[0].pain[1].score: 11 is outside 0–10"),
    ("score_negative", _set(["self_reports", 0, "pain", 0, "score"], -1),
     "P-0001 self_reports[0].pain[0].score: -1 is outside 0–10"),
    ("score_fraction", _set(["visits", 1, "pain", 0, "score"], 4.5),
     "P-0001 visits[1].pain[0].score: 4.5 is not a whole number (0–10)"),
    ("score_text", _set(["visits", 1, "pain", 0, "score"], "5"),
     "P-0001 visits[1].pain[0].score: '5' is not a whole number (0–10)"),
    ("unparseable_date", _set(["visits", 1, "date"], "2026-13-01"),
     "P-0001 visits[1].date: '2026-13-01' is not a date (YYYY-MM-DD)"),
    ("date_in_other_format", _set(["date_of_birth"], "02/03/1954"),
     "P-0001 date_of_birth: '02/03/1954' is not a date (YYYY-MM-DD)"),
    ("entry_before_surgery", _set(["visits", 0, "date"], "2026-05-30"),
     "P-0001 visits[0].date: 2026-05-30 is before the surgery (2026-06-01)"),
    ("entry_after_today", _set(["self_reports", 0, "date"], "2026-11-23"),
     "P-0001 self_reports[0].date: 2026-11-23 is after today (2026-11-22)"),
    ("unknown_physio", _set(["physio"], "nobody"), "P-0001 physio: 'nobody' is not a physiotherapist of this clinic"),
    ("missing_given_name", _set(["given_name"], KeyError), "P-0001 given_name: missing"),
    ("missing_surgery_side", _set(["surgery", "side"], KeyError), "P-0001 surgery.side: missing"),
    ("missing_entry_date", _set(["visits", 0, "date"], KeyError), "P-0001 visits[0].date: missing"),
    ("visits_not_a_list", _set(["visits"], {"date": "2026-06-08"}), "P-0001 visits: must be a list, not an object"),
    ("name_not_text", _set(["family_name"], 42), "P-0001 family_name: must be text, not a number"),
    ("measure_not_a_number", _set(["visits", 0, "measures", "standing_tolerance_min"], "ten"),
     "P-0001 visits[0].measures.standing_tolerance_min: 'ten' is not a whole number of minutes"),
    ("yes_no_measure_not_bool", _set(["visits", 0, "measures", "glute_bridge_lumbar_substitution"], "yes"),
     "P-0001 visits[0].measures.glute_bridge_lumbar_substitution: 'yes' must be true or false"),
    ("self_report_with_measures", _set(["self_reports", 0, "measures"], {"standing_tolerance_min": 5}),
     "P-0001 self_reports[0].measures: unknown field"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "mutate", "message"), CASES, ids=[c[0] for c in CASES])
def test_each_error_names_ref_path_and_reason_and_writes_nothing(physio, name, mutate, message):
    doc = caseload_doc(patient_doc())
    mutate(doc)

    result = caseload_import(doc)

    assert message in [str(e) for e in result.errors]
    assert not result.written
    assert Patient.objects.count() == 0
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_ref_in_the_file_is_an_error(physio):
    result = caseload_import(caseload_doc(patient_doc("P-0001"), patient_doc("P-0002"), patient_doc("P-0001")))

    assert [str(e) for e in result.errors] == ["P-0001 ref: duplicate ref: patients[0] has the same ref"]
    assert Patient.objects.count() == 0


@pytest.mark.django_db
def test_unknown_clinic_is_an_error(physio):
    result = caseload_import(caseload_doc(patient_doc(), clinic="nowhere"))

    assert "clinic: no clinic with the slug 'nowhere'" in [str(e) for e in result.errors]
    assert Patient.objects.count() == 0


@pytest.mark.django_db
def test_wrong_format_string_is_an_error(physio):
    doc = caseload_doc(patient_doc())
    doc["format"] = "rehab-caseload/2"

    result = caseload_import(doc)

    assert [str(e) for e in result.errors] == [
        "format: 'rehab-caseload/2' is not a supported format; expected 'rehab-caseload/1'"
    ]
    assert Patient.objects.count() == 0


@pytest.mark.django_db
def test_a_patient_without_ref_is_named_by_its_position(physio):
    doc = caseload_doc(patient_doc("P-0001"), patient_doc("P-0002"))
    del doc["patients"][1]["ref"]

    result = caseload_import(doc)

    assert [str(e) for e in result.errors] == ["patients[1] ref: missing"]


@pytest.mark.django_db
def test_all_errors_are_reported_in_one_run_and_the_valid_patients_are_not_written(physio):
    first, second, third = patient_doc("P-0001"), patient_doc("P-0002"), patient_doc("P-0003")
    first["visits"][0]["pain"][0]["score"] = 12
    first["physio"] = "ghost"
    third["self_reports"][0]["symptoms"] = ["headache"]

    result = caseload_import(caseload_doc(first, second, third))

    assert {str(e) for e in result.errors} == {
        "P-0001 physio: 'ghost' is not a physiotherapist of this clinic",
        "P-0001 visits[0].pain[0].score: 12 is outside 0–10",
        "P-0003 self_reports[0].symptoms[0]: 'headache' is not a known symptom code",
    }
    assert Patient.objects.count() == 0


@pytest.mark.django_db
def test_command_lists_every_error_exits_non_zero_and_writes_nothing(physio, tmp_path, capsys):
    doc = caseload_doc(patient_doc())
    doc["patients"][0]["visits"][0]["pain"][1]["score"] = 11
    doc["patients"][0]["phase"] = "fast"
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(doc))

    with pytest.raises(CommandError, match="2 errors; nothing was imported"):
        call_command("import_caseload", str(path))

    err = capsys.readouterr().err
    assert "P-0001 visits[0].pain[1].score: 11 is outside 0–10" in err
    assert "P-0001 phase: 'fast' is not a known phase code" in err
    assert Patient.objects.count() == 0


@pytest.mark.django_db
def test_command_rejects_a_file_that_is_not_json(physio, tmp_path):
    path = tmp_path / "caseload.json"
    path.write_text("ref,name\nP-1,Mary\n")

    with pytest.raises(CommandError, match="is not valid JSON"):
        call_command("import_caseload", str(path))


@pytest.mark.django_db
def test_dry_run_reports_what_would_be_created_and_writes_nothing(physio, tmp_path, capsys):
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(caseload_doc(patient_doc("P-0001"), patient_doc("P-0002"))))

    call_command("import_caseload", str(path), "--dry-run")

    out = capsys.readouterr().out
    assert "Dry run, nothing written" in out
    assert "2 patients: 2 would be created, 0 would be updated" in out
    assert "6 entries would be added" in out
    assert Patient.objects.count() == 0
    assert PhaseTransition.objects.count() == 0
