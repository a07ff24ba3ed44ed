import json

import pytest
from django.core.management import call_command

from interchange import importer
from interchange.exporter import iter_caseload_json
from interchange.importer import caseload_import
from interchange.specs import COMPUTED_FIELDS
from patients.models import Entry, EntrySymptom, PainScore, Patient
from rehab import flags
from rehab.models import Flag, PhaseTransition
from rehab.phase_moves import patient_move_phase
from tests.factories import ClinicFactory, FlagFactory, PhysioFactory

from .conftest import caseload_doc, patient_doc

pytestmark = pytest.mark.django_db


def _counts():
    return (Patient.objects.count(), Entry.objects.count(), PainScore.objects.count(),
            EntrySymptom.objects.count(), PhaseTransition.objects.count())


def test_import_writes_patients_entries_pain_scores_and_history(clinic, physio):
    moved = patient_doc("P-0002", phase="rebuild", phase_history=[
        {"date": "2026-07-20", "from": "normalise", "to": "rebuild", "by": "jsmith", "reason": "criteria met"}
    ])

    result = caseload_import(caseload_doc(patient_doc("P-0001"), moved))

    assert result.written
    patient = Patient.objects.get(clinic=clinic, ref="P-0002")
    assert (patient.physio, patient.operated_side, patient.phase) == (physio, "left", "rebuild")
    assert patient.history.first().history_change_reason == importer.CHANGE_REASON
    visit = patient.entries.get(kind="visit", date="2026-06-08")
    assert visit.standing_tolerance_min == 10 and visit.glute_bridge_lumbar_substitution is True
    assert visit.notes == "First visit."
    assert sorted(visit.pain_scores.values_list("location", "context", "score")) == [
        ("anterior_hip", "rest", 3), ("lumbar_bilateral", "activity", 6)]
    transition = patient.phase_transitions.get()
    assert (transition.from_phase, transition.to_phase, transition.moved_by) == ("normalise", "rebuild", physio)
    assert _counts() == (2, 6, 8, 0, 1)


def test_programme_start_defaults_to_the_first_visit(clinic, physio):
    doc = patient_doc()
    del doc["programme_start"]

    caseload_import(caseload_doc(doc))

    assert str(Patient.objects.get().programme_start) == "2026-06-08"


def test_reimporting_the_same_file_adds_nothing(clinic, physio):
    doc = caseload_doc(patient_doc("P-0001"), patient_doc("P-0002"))
    caseload_import(doc)
    before = _counts()

    again = caseload_import(doc)

    assert _counts() == before
    assert (again.patients_created, again.patients_updated, again.entries_created) == (0, 0, 0)
    assert again.entries_existing == 6


def test_reimport_updates_the_patient_and_adds_only_new_entries(clinic, physio, colleague):
    caseload_import(caseload_doc(patient_doc()))
    changed = patient_doc(given_name="Maria", physio="akhan")
    changed["visits"].append({"date": "2026-06-22", "pain": [
        {"location": "lumbar_bilateral", "context": "activity", "score": 4}]})

    result = caseload_import(caseload_doc(changed))

    patient = Patient.objects.get()
    assert (patient.given_name, patient.physio) == ("Maria", colleague)
    assert (result.patients_updated, result.entries_created, result.entries_existing) == (1, 1, 3)
    assert patient.entries.count() == 4


def test_entries_with_the_same_date_are_told_apart_by_ref(clinic, physio):
    doc = patient_doc()
    doc["self_reports"] = [
        {"date": "2026-06-10", "ref": "morning", "pain": [], "symptoms": []},
        {"date": "2026-06-10", "ref": "evening", "pain": [], "symptoms": []},
    ]
    caseload_import(caseload_doc(doc))
    doc["self_reports"].append({"date": "2026-06-10", "ref": "night", "pain": [], "symptoms": []})

    result = caseload_import(caseload_doc(doc))

    assert result.entries_created == 1
    assert sorted(Entry.objects.filter(kind="self_report").values_list("ref", flat=True)) == [
        "evening", "morning", "night"]


def test_imported_entries_raise_their_flags(clinic, physio, django_capture_on_commit_callbacks):
    doc = patient_doc()
    doc["visits"][1]["symptoms"] = ["calf_swelling"]

    with django_capture_on_commit_callbacks(execute=True):
        caseload_import(caseload_doc(doc))

    flag = Flag.objects.get(code="dvt_signs")
    assert str(flag.entry_date) == "2026-06-15"
    assert flag.entry.patient.ref == "P-0001"


def test_an_import_reconciles_flags_in_batches_without_a_task_per_entry(clinic, physio):
    first, second = patient_doc("P-0001"), patient_doc("P-0002")
    for doc in (first, second):
        doc["self_reports"][0]["symptoms"] = ["saddle_numbness"]

    # No on-commit callbacks run here: the flags come from the batched path.
    caseload_import(caseload_doc(first, second))

    assert Flag.objects.filter(code="cauda_equina").count() == 2


def test_clinic_option_overrides_the_document(clinic, physio, tmp_path):
    other = ClinicFactory(slug="lakeside")
    PhysioFactory(clinic=other, username="lphysio")
    path = tmp_path / "caseload.json"
    path.write_text(json.dumps(caseload_doc(patient_doc(physio="lphysio"))))

    call_command("import_caseload", str(path), "--clinic", "lakeside")

    assert Patient.objects.get().clinic == other


def test_a_physio_of_another_clinic_is_unknown(clinic, physio, outsider):
    result = caseload_import(caseload_doc(patient_doc(physio="outsider")))

    assert [str(e) for e in result.errors] == [
        "P-0001 physio: 'outsider' is not a physiotherapist of this clinic"]


def test_new_patients_start_with_their_phase_template_as_plan(clinic, physio):
    caseload_import(caseload_doc(patient_doc("P-0001"), patient_doc("P-0002", phase="discharged")))
    normalise = Patient.objects.get(ref="P-0001")
    template = list(clinic.phases.get(code="normalise").template_items.values_list("exercise__name", flat=True))
    assert list(normalise.plan_items.values_list("exercise__name", flat=True)) == template
    assert not Patient.objects.get(ref="P-0002").plan_items.exists()
    assert normalise.plan_items.first().history.first().history_change_reason



def test_an_import_that_discharges_a_patient_closes_their_progress_flags_as_a_discharge(clinic, physio):
    caseload_import(caseload_doc(patient_doc("P-0001", phase="integrate")))
    patient = Patient.objects.get(ref="P-0001")
    plateau = (Flag.objects.filter(patient=patient, code="plateau_12w", closed_at=None).first()
               or FlagFactory(patient=patient, code="plateau_12w", severity="review", entry=None))
    caseload_import(caseload_doc(patient_doc("P-0001", phase="discharged")))
    plateau.refresh_from_db()
    assert (plateau.closed_at is not None, plateau.closed_reason) == (True, flags.DISCHARGED)


def test_the_email_travels_with_the_patient_and_is_checked(clinic, physio):
    """INTERCHANGE 2: `email` is optional, where the portal link can be sent."""
    result = caseload_import(caseload_doc(patient_doc("P-0001", email="mary.lee@example.org"),
                                          patient_doc("P-0002")))
    assert result.ok, result.errors
    assert Patient.objects.get(ref="P-0001").email == "mary.lee@example.org"
    assert Patient.objects.get(ref="P-0002").email == ""
    # A file without the field leaves the stored address as it is.
    caseload_import(caseload_doc(patient_doc("P-0001")))
    assert Patient.objects.get(ref="P-0001").email == "mary.lee@example.org"
    # The export carries it (and an import reads it, as above).
    exported = json.loads("".join(iter_caseload_json(clinic)))
    mary = next(p for p in exported["patients"] if p["ref"] == "P-0001")
    assert mary["email"] == "mary.lee@example.org"
    assert "email" not in next(p for p in exported["patients"] if p["ref"] == "P-0002")


def test_an_email_that_is_not_an_address_is_a_row_problem(clinic, physio):
    result = caseload_import(caseload_doc(patient_doc("P-0001", email="mary at home")))
    assert [str(e) for e in result.errors] == ["P-0001 email: 'mary at home' is not an email address"]
    assert not Patient.objects.exists()


def test_an_older_file_does_not_undo_a_later_phase_move(clinic, physio):
    """Exported, then the patient moved on in Kinetic, then the older file
    imported: the patient stays where the move took them, and the preview
    says so, instead of going back with no move recorded."""
    caseload_import(caseload_doc(patient_doc("P-0001", phase="normalise")))
    old_file = json.loads("".join(iter_caseload_json(clinic)))
    patient = Patient.objects.get(ref="P-0001")
    patient_move_phase(patient=patient, to_phase="rebuild", expected_from="normalise", reason="Criteria met",
                       by=physio)
    patients = [{k: v for k, v in p.items() if k not in COMPUTED_FIELDS} for p in old_file["patients"]]

    result = caseload_import({**old_file, "patients": patients})

    assert result.ok, result.errors
    patient.refresh_from_db()
    assert patient.phase == "rebuild"
    [kept] = result.phases_kept
    assert kept.startswith("P-0001: kept Rebuild (moved ") and kept.endswith("the file says Normalise")
    assert PhaseTransition.objects.filter(patient=patient).count() == 1


def test_a_newer_file_moves_the_patient_with_its_phase_move(clinic, physio):
    caseload_import(caseload_doc(patient_doc("P-0001", phase="normalise")))
    moved = patient_doc("P-0001", phase="rebuild", phase_history=[
        {"date": "2026-09-20", "from": "normalise", "to": "rebuild", "by": "jsmith", "reason": "criteria met"}])
    result = caseload_import(caseload_doc(moved))
    assert result.ok and not result.phases_kept
    assert Patient.objects.get(ref="P-0001").phase == "rebuild"
