"""The import reads its file as a stream, one patient at a time: the same
reports as reading the file whole, wherever its chunks happen to end; a
fixed number of queries per batch of patients; history rows for everything
it writes; and memory that does not grow with the file."""

import json
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interchange import importer
from interchange.decoding import CaseloadFileError, caseload_file_parse
from interchange.importer import caseload_import, caseload_import_source
from interchange.jobs import upload_source
from interchange.models import ImportJob
from interchange.stream import CaseloadSource, Document, caseload_events
from patients.models import AssignedPlanItem, Entry, EntrySymptom, PainScore, Patient

from .conftest import caseload_doc, patient_doc
from .test_import_robustness import FILE_ERRORS, RECORD_ERRORS

pytestmark = pytest.mark.django_db

CHUNKS = (3, 17, 1 << 20)  # bytes read at a time: cutting values, escapes and UTF-8 sequences anywhere


@pytest.mark.parametrize("chunk_bytes", CHUNKS)
def test_a_streamed_file_gives_the_errors_of_the_parsed_document(physio, chunk_bytes):
    for _, data, _ in RECORD_ERRORS:
        whole = caseload_import(caseload_file_parse(data=data))
        streamed = caseload_import_source(CaseloadSource.of_bytes(data), chunk_bytes=chunk_bytes)
        assert streamed.errors == whole.errors and streamed.errors
    assert not Patient.objects.exists()


def _file_message(data):
    with pytest.raises(CaseloadFileError) as raised:
        caseload_file_parse(data=data)
    return str(raised.value)


BROKEN = [
    # (id, file): not JSON somewhere past the first patient, on a later line
    ("missing_comma", json.dumps(caseload_doc(patient_doc("P-1"), patient_doc("P-2")), indent=1)
     .replace('"P-2",', '"P-2"').encode()),
    ("cut_short", json.dumps(caseload_doc(patient_doc("P-1"), patient_doc("P-2")), indent=1).encode()[:-40]),
    ("latin1_in_the_second_patient", json.dumps(caseload_doc(patient_doc("P-1"), patient_doc("P-2", given_name="Zoë")),
                                                indent=1, ensure_ascii=False).encode("latin-1")),
    ("extra_data", json.dumps(caseload_doc(patient_doc())).encode() + b"\n{}"),
    ("trailing_comma", json.dumps(caseload_doc(patient_doc())).replace("]}", "],}").encode()),
]


@pytest.mark.parametrize("chunk_bytes", CHUNKS)
@pytest.mark.parametrize(("name", "data"), [(n, d) for n, d, _ in FILE_ERRORS] + BROKEN,
                         ids=[c[0] for c in FILE_ERRORS] + [c[0] for c in BROKEN])
def test_a_file_level_problem_reads_the_same_in_any_chunks(physio, name, data, chunk_bytes):
    with pytest.raises(CaseloadFileError) as raised:
        caseload_import_source(CaseloadSource.of_bytes(data), chunk_bytes=chunk_bytes)

    assert str(raised.value) == _file_message(data)
    assert not Patient.objects.exists()


def test_a_file_with_the_clinic_after_the_patients_is_read_with_its_clinic(clinic, physio):
    document = caseload_doc(patient_doc("P-1"), patient_doc("P-2"))
    reordered = {"patients": document["patients"], "format": document["format"], "clinic": document["clinic"]}

    result = caseload_import_source(CaseloadSource.of_bytes(json.dumps(reordered).encode()), chunk_bytes=64)

    assert result.written, result.errors
    assert sorted(Patient.objects.filter(clinic=clinic).values_list("ref", flat=True)) == ["P-1", "P-2"]


def test_a_wrong_format_after_the_patients_writes_nothing(clinic, physio):
    document = caseload_doc(patient_doc("P-1"))
    reordered = {"clinic": "riverside", "patients": document["patients"], "format": "rehab-caseload/0"}

    result = caseload_import_source(CaseloadSource.of_bytes(json.dumps(reordered).encode()))

    assert [e.path for e in result.errors] == ["format"] and not result.written
    assert not Patient.objects.exists() and not Entry.objects.exists()


def test_an_error_in_a_later_batch_rolls_back_the_batches_written(clinic, physio, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    patients = [patient_doc(f"P-{i}") for i in range(5)]
    patients[4]["visits"][0]["pain"][0]["score"] = 11

    result = caseload_import_source(CaseloadSource.of_bytes(json.dumps(caseload_doc(*patients)).encode()))

    assert [(e.ref, e.path) for e in result.errors] == [("P-4", "visits[0].pain[0].score")]
    assert not Patient.objects.exists() and not Entry.objects.exists() and not PainScore.objects.exists()


def _import_queries(refs, monkeypatch):
    document = caseload_doc(*[patient_doc(ref) for ref in refs])
    with CaptureQueriesContext(connection) as queries:
        result = caseload_import_source(CaseloadSource.of_bytes(json.dumps(document).encode()))
    assert result.written
    return len(queries)


def test_the_import_makes_a_fixed_number_of_queries_per_batch(clinic, physio, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 2)
    # The flags are reconciled after the import by the engine's batched path,
    # whose own queries are the engine's concern: counted here is the import.
    monkeypatch.setattr(importer.flags, "patients_reconcile_by_id", lambda ids: None)

    one = _import_queries(["A-1", "A-2"], monkeypatch)
    two = _import_queries(["B-1", "B-2", "B-3", "B-4"], monkeypatch)
    four = _import_queries([f"C-{i}" for i in range(8)], monkeypatch)

    per_batch = two - one
    assert four - two == 2 * per_batch
    assert per_batch <= 14


def test_everything_imported_has_its_history_row(clinic, physio, clinic_admin):
    doc = patient_doc()
    doc["visits"][1]["symptoms"] = ["calf_swelling"]

    caseload_import_source(CaseloadSource.of_bytes(json.dumps(caseload_doc(doc)).encode()), by=clinic_admin)

    for model in (Patient, Entry, PainScore, EntrySymptom, AssignedPlanItem):
        rows = model.objects.all()
        assert rows.exists(), model
        history = model.history.model.objects.all()
        assert sorted(str(r.pk) for r in rows) == sorted(str(h.id) for h in history), model
        assert {(h.history_type, h.history_change_reason, h.history_user_id) for h in history} == {
            ("+", importer.CHANGE_REASON, clinic_admin.pk)}, model
    entry = Entry.objects.get(kind="visit", date="2026-06-08")
    recorded = Entry.history.get(id=entry.pk)
    assert (recorded.notes, recorded.standing_tolerance_min, recorded.glute_bridge_lumbar_substitution) == (
        "First visit.", 10, True)


def _caseload_file(path, patients):
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"format": "rehab-caseload/1", "clinic": "riverside", "patients": [\n')
        for i in range(patients):
            out.write(("" if i == 0 else ",\n") + json.dumps(patient_doc(f"P-{i:05d}")))
        out.write("\n]}\n")


def _peak_reading(path) -> tuple[int, int]:
    tracemalloc.start()
    count = sum(1 for _ in caseload_events(CaseloadSource.of_path(path), Document(), chunk_bytes=64 * 1024))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, peak


def test_reading_a_file_takes_the_same_memory_whatever_its_size(tmp_path):
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    _caseload_file(small, 200)
    _caseload_file(large, 4000)  # 20 times the patients, about 6 MB

    small_count, small_peak = _peak_reading(small)
    large_count, large_peak = _peak_reading(large)

    assert (small_count, large_count) == (200, 4000)
    assert large_peak < 1.5 * small_peak
    assert large_peak < large.stat().st_size / 10


def test_a_stored_upload_is_read_back_in_slices(clinic, clinic_admin):
    data = json.dumps(caseload_doc(patient_doc())).encode()
    job = ImportJob.objects.create(clinic=clinic, uploaded_by=clinic_admin, status=ImportJob.CHECKING, upload=data)

    with upload_source(job.pk).open() as stream:
        pieces = iter(lambda: stream.read(100), b"")
        assert b"".join(pieces) == data


def test_a_large_upload_is_stored_as_sent_without_being_read_whole(client, clinic_admin, physio, settings):
    """Over FILE_UPLOAD_MAX_MEMORY_SIZE Django keeps the upload in a temporary
    file; it is copied into the job a chunk at a time, byte for byte."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import TestCase
    from django.urls import reverse

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    data = json.dumps(caseload_doc(*[patient_doc(f"P-{i}") for i in range(20)]), indent=1).encode()
    client.force_login(clinic_admin)

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("caseload_import"),
                               {"file": SimpleUploadedFile("caseload.json", data, "application/json")})

    job = ImportJob.objects.get()
    assert response.status_code == 302 and len(data) > 1024
    assert bytes(job.upload) == data
    assert job.status == ImportJob.VALIDATED and job.patients_total == 20
    assert job.report["patients_created"] == 20 and job.report["errors"] == []
    assert job.uploaded_by == clinic_admin and job.clinic == clinic_admin.clinic


def test_a_job_row_written_by_copy_keeps_every_character_of_its_file_name(clinic_admin, django_capture_on_commit_callbacks):
    from interchange import jobs

    with django_capture_on_commit_callbacks(execute=False):
        job = jobs.import_job_create(user=clinic_admin, filename="C:\\exports\\Zoë's caseload.json", upload=b"{}")

    stored = ImportJob.objects.get(pk=job.pk)
    assert stored.filename == "C:\\exports\\Zoë's caseload.json"
    assert (bytes(stored.upload), stored.status, stored.report) == (b"{}", ImportJob.CHECKING, {})


def test_a_large_import_refreshes_the_planner_statistics_before_the_flags(clinic, physio, monkeypatch):
    monkeypatch.setattr(importer, "ANALYZE_AFTER_ENTRIES", 3)

    with CaptureQueriesContext(connection) as queries:
        result = caseload_import_source(CaseloadSource.of_bytes(json.dumps(caseload_doc(patient_doc())).encode()))

    assert result.written
    analyzed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    assert analyzed == ["ANALYZE " + ", ".join(f'"{model._meta.db_table}"' for model in importer.ANALYZED)]
