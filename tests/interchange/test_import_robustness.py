"""Files no spreadsheet should produce, but some will: each gets a clear
message naming the record (or the file), on the command line, in a dry run
and on the web, and nothing is written."""

import codecs
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from interchange.decoding import CaseloadFileError, caseload_file_parse
from interchange.importer import caseload_import
from interchange.models import ImportJob
from patients.models import Entry, Patient

from .conftest import caseload_doc, patient_doc

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000


def _json(document) -> bytes:
    return json.dumps(document).encode()


def _with_huge_score() -> bytes:
    doc = caseload_doc(patient_doc())
    doc["patients"][0]["visits"][0]["pain"][0]["score"] = "HUGE-NUMBER"
    return _json(doc).replace(b'"HUGE-NUMBER"', HUGE.encode())


def _with(path, value) -> bytes:
    doc = caseload_doc(patient_doc())
    target = doc["patients"][0]
    *parents, last = path
    for key in parents:
        target = target[key]
    target[last] = value
    return _json(doc)


# (id, file bytes, the error line the command prints, or the file-level message)
RECORD_ERRORS = [
    ("huge_number", _with_huge_score(),
     "P-0001 visits[0].pain[0].score: a number with 5,000 digits cannot be read"),
    ("nul_in_notes", _with(["visits", 0, "notes"], "Seen\x00today"),
     "P-0001 visits[0].notes: contains a NUL character (\\u0000), which cannot be stored"),
    ("surrogate_in_name", _with(["given_name"], "Ma\ud800ry"),
     "P-0001 given_name: contains a lone surrogate (\\ud800), which is not valid Unicode text"),
    ("nul_in_a_code", _with(["visits", 0, "pain", 0, "location"], "lumbar\x00"),
     "P-0001 visits[0].pain[0].location: contains a NUL character (\\u0000), which cannot be stored"),
    ("nul_in_an_ignored_export_field", _with(["flags"], [{"message": "x\x00"}]),
     "P-0001 flags[0].message: contains a NUL character (\\u0000), which cannot be stored"),
    ("nul_in_a_field_name", _with(["visits", 0, "no\x00tes"], "x"),
     "P-0001 visits[0].no\\u0000tes: the field name contains a NUL character (\\u0000), which cannot be stored"),
    ("surrogate_in_the_ref", _with(["ref"], "P-\udc00"),
     "P-\\udc00 ref: contains a lone surrogate (\\udc00), which is not valid Unicode text"),
    ("nested_below_the_format", _with(["visits", 0, "notes"], json.loads("[" * 40 + "]" * 40)),
     "P-0001 visits[0].notes" + "[0]" * 27 + ": is nested more than 32 levels deep"),
    ("nan", _json(caseload_doc(patient_doc())).replace(b'"score": 6', b'"score": NaN'),
     "P-0001 visits[0].pain[0].score: NaN (not a number JSON allows) cannot be read"),
]

BOM_DOC = _json(caseload_doc(patient_doc()))
FILE_ERRORS = [
    ("nested_beyond_reading", b"[" * 100_000 + b"]" * 100_000, "The file is nested too deeply to read"),
    ("utf16_with_bom", json.dumps(caseload_doc(patient_doc())).encode("utf-16"),
     "The file is saved as UTF-16 text; caseload files are UTF-8."),
    ("utf16_without_bom", json.dumps(caseload_doc(patient_doc())).encode("utf-16-le"),
     "The file is saved as UTF-16 text; caseload files are UTF-8."),
    ("latin1", json.dumps(caseload_doc(patient_doc(given_name="Zoë")), ensure_ascii=False).encode("latin-1"),
     "The file is not UTF-8 text: the byte 0xEB at line 1, column 103 is not valid UTF-8"),
    ("raw_nul_byte", BOM_DOC.replace(b"First visit.", b"First\x00visit."), "This is not valid JSON: Invalid control"),
    ("empty", b"", "The file is empty."),
]


def _command(path, *args):
    """(stderr lines, the CommandError message) of one run of import_caseload."""
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_caseload", str(path), *args, stderr=err)
    return err.getvalue().splitlines(), str(raised.value)


@pytest.mark.parametrize(("name", "data", "line"), RECORD_ERRORS, ids=[c[0] for c in RECORD_ERRORS])
def test_command_and_dry_run_name_the_record_and_write_nothing(physio, tmp_path, name, data, line):
    path = tmp_path / "caseload.json"
    path.write_bytes(data)

    dry_lines, dry_message = _command(path, "--dry-run")
    real_lines, real_message = _command(path)

    assert line in real_lines
    assert dry_lines == real_lines and dry_message == real_message
    assert "nothing was imported" in real_message
    assert Patient.objects.count() == 0 and Entry.objects.count() == 0


@pytest.mark.parametrize(("name", "data", "message"), FILE_ERRORS, ids=[c[0] for c in FILE_ERRORS])
def test_command_and_dry_run_give_a_file_level_message(physio, tmp_path, name, data, message):
    path = tmp_path / "caseload.json"
    path.write_bytes(data)

    for args in (("--dry-run",), ()):
        _, error = _command(path, *args)
        assert message in error and "Nothing was imported." in error
    assert Patient.objects.count() == 0


def test_a_utf8_byte_order_mark_is_ignored(physio, tmp_path, capsys):
    path = tmp_path / "caseload.json"
    path.write_bytes(codecs.BOM_UTF8 + BOM_DOC)

    call_command("import_caseload", str(path))

    assert Patient.objects.get().ref == "P-0001"


def test_the_same_errors_come_from_a_dry_run_and_a_real_run(physio):
    for _, data, _ in RECORD_ERRORS:
        document = caseload_file_parse(data=data)
        dry, real = caseload_import(document, dry_run=True), caseload_import(document)
        assert dry.errors == real.errors and real.errors and not real.written


def test_errors_can_be_stored_and_printed_whatever_the_file_held(physio, clinic, clinic_admin):
    for _, data, _ in RECORD_ERRORS:
        result = caseload_import(caseload_file_parse(data=data))
        ImportJob.objects.create(clinic=clinic, uploaded_by=clinic_admin, report=result.as_dict())
        for error in result.errors:
            str(error).encode("utf-8")


def test_a_clinic_slug_postgres_cannot_hold_is_reported_not_queried(physio):
    for slug in ("river\x00side", "river\udcffside"):
        result = caseload_import(caseload_doc(patient_doc(), clinic=slug))
        assert [e.path for e in result.errors if e.ref is None] == ["clinic"]
        assert "cannot be stored" in result.errors[0].message or "not valid Unicode" in result.errors[0].message


def test_a_huge_number_is_not_converted(physio):
    document = caseload_file_parse(data=_with_huge_score())
    assert repr(document["patients"][0]["visits"][0]["pain"][0]["score"]) == "a number with 5,000 digits"


def test_the_parser_raises_only_its_own_error():
    for _, data, message in FILE_ERRORS:
        with pytest.raises(CaseloadFileError, match=message[:20]):
            caseload_file_parse(data=data)


# The web: the upload is stored, checked in the background, and the job page
# gives the same messages.


@pytest.fixture
def admin_client(client, clinic_admin, physio):
    client.force_login(clinic_admin)
    return client


def _upload(client, data, name="caseload.json", *, run_check=True):
    with TestCase.captureOnCommitCallbacks(execute=run_check):
        return client.post(reverse("caseload_import"), {"file": SimpleUploadedFile(name, data, "application/json")})


@pytest.mark.parametrize(("name", "data", "line"), RECORD_ERRORS[:4], ids=[c[0] for c in RECORD_ERRORS[:4]])
def test_web_upload_lists_record_errors(admin_client, name, data, line):
    response = _upload(admin_client, data)

    job = ImportJob.objects.get()
    assert job.status == ImportJob.FAILED and job.upload is None
    page = admin_client.get(response.url)
    ref, path_message = line.split(" ", 1)
    path, message = path_message.split(": ", 1)
    assert page.status_code == 200
    assert {"ref": ref, "path": path, "message": message} in page.context["errors"]
    assert Patient.objects.count() == 0


@pytest.mark.parametrize(("name", "data", "message"), FILE_ERRORS, ids=[c[0] for c in FILE_ERRORS])
def test_web_upload_shows_file_level_problems(admin_client, name, data, message):
    response = _upload(admin_client, data)

    if name == "empty":  # the form itself refuses an empty file
        assert response.status_code == 200 and "The submitted file is empty." in response.content.decode()
        return
    page = admin_client.get(response.url)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert ImportJob.objects.get().status == ImportJob.FAILED


def test_upload_is_checked_in_the_background_and_the_page_waits_for_it(admin_client):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = admin_client.post(reverse("caseload_import"), {
            "file": SimpleUploadedFile("caseload.json", BOM_DOC, "application/json")})

    job = ImportJob.objects.get()
    assert job.status == ImportJob.CHECKING and bytes(job.upload) == BOM_DOC
    page = admin_client.get(response.url).content.decode()
    assert "Checking your file…" in page
    assert "js/import-status.js" in page and "<script>" not in page  # no inline script (CSP)
    status_url = reverse("caseload_import_status", args=[job.pk])
    assert admin_client.get(status_url).json()["status"] == "checking"

    for callback in callbacks:  # the broker hand-off; the eager check task runs here
        callback()

    assert admin_client.get(status_url).json()["status"] == "validated"
    assert "Confirm and import" in admin_client.get(response.url).content.decode()


def test_checking_twice_changes_nothing(admin_client):
    from interchange.jobs import import_job_check

    _upload(admin_client, BOM_DOC)
    job = ImportJob.objects.get()

    assert import_job_check(job_id=job.pk).status == ImportJob.VALIDATED
    assert ImportJob.objects.get().report == job.report


def test_an_upload_over_the_limit_is_refused_before_it_is_stored(admin_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    data = BOM_DOC + b" " * (1024 * 1024 + 200 * 1024)

    response = _upload(admin_client, data)

    assert response.status_code == 413
    assert "The file is larger than 1 MB, the limit for an upload." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_upload_just_under_the_limit_is_accepted(admin_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    data = BOM_DOC + b" " * (1024 * 1024 - len(BOM_DOC) - 10)

    response = _upload(admin_client, data)

    assert response.status_code == 302
    assert ImportJob.objects.get().status == ImportJob.VALIDATED


def test_djangos_own_request_limits_give_a_readable_page(admin_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    files = [SimpleUploadedFile(f"part{i}.json", BOM_DOC, "application/json") for i in range(3)]

    response = admin_client.post(reverse("caseload_import"), {"file": files})

    assert response.status_code == 400
    assert "The upload could not be read." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_name_postgres_cannot_hold_is_cleaned(admin_client):
    response = _upload(admin_client, BOM_DOC, name="case\x00load.json")

    assert response.status_code == 302
    assert "\x00" not in ImportJob.objects.get().filename
