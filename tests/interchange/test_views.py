import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from interchange import jobs
from interchange.models import ImportJob
from patients.models import Entry, Patient
from tests.factories import ClinicAdminFactory, EntryFactory, PatientFactory, UserFactory

from .conftest import caseload_doc, patient_doc

pytestmark = pytest.mark.django_db


def _upload(client, document, name="caseload.json"):
    """Upload as a browser does; the check task runs when the upload commits, as in production."""
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("caseload_import"), {"file": SimpleUploadedFile(name, data, "application/json")})


@pytest.fixture
def admin_client(client, clinic_admin, physio):
    client.force_login(clinic_admin)
    return client


def test_clinic_admin_uploads_sees_the_summary_then_confirms(admin_client, clinic):
    response = _upload(admin_client, caseload_doc(patient_doc("P-0001"), patient_doc("P-0002")))

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("caseload_import_job", args=[job.pk])
    assert job.status == ImportJob.VALIDATED
    page = admin_client.get(response.url)
    assert "Confirm and import" in page.content.decode()
    assert page.context["job"].report["patients_created"] == 2
    assert Patient.objects.count() == 0  # nothing before confirmation

    admin_client.post(reverse("caseload_import_confirm", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportJob.DONE
    assert Patient.objects.filter(clinic=clinic).count() == 2
    assert "Imported." in admin_client.get(response.url).content.decode()


def test_confirming_twice_imports_once(admin_client):
    _upload(admin_client, caseload_doc(patient_doc()))
    job = ImportJob.objects.get()
    url = reverse("caseload_import_confirm", args=[job.pk])

    admin_client.post(url)
    admin_client.post(url)

    assert Entry.objects.count() == 3


def test_upload_with_errors_lists_them_and_writes_nothing(admin_client):
    doc = caseload_doc(patient_doc())
    doc["patients"][0]["visits"][0]["pain"][1]["score"] = 11

    response = admin_client.get(_upload(admin_client, doc).url)

    body = response.content.decode()
    assert "1 problem found. Nothing was imported." in body
    assert "visits[0].pain[1].score" in body and "11 is outside 0–10" in body
    assert "Confirm and import" not in body
    assert ImportJob.objects.get().status == ImportJob.FAILED
    assert Patient.objects.count() == 0


def test_upload_of_a_file_that_is_not_json_fails_its_check_with_a_file_level_message(admin_client):
    response = _upload(admin_client, b"not json at all")

    job = ImportJob.objects.get()
    assert job.status == ImportJob.FAILED and job.upload is None
    body = admin_client.get(response.url).content.decode()
    assert "This is not valid JSON: Expecting value at line 1, column 1." in body
    assert "(file)" in body


def test_web_import_goes_into_the_admins_clinic_whatever_the_file_says(admin_client, clinic, other_clinic):
    response = _upload(admin_client, caseload_doc(patient_doc(), clinic="hilltop"))
    job = ImportJob.objects.get()
    assert "it is imported into Riverside Physio" in admin_client.get(response.url).content.decode()

    admin_client.post(reverse("caseload_import_confirm", args=[job.pk]))

    assert Patient.objects.get().clinic == clinic


def test_large_import_runs_in_a_task_and_reports_progress(
    admin_client, clinic, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "BACKGROUND_IMPORT_PATIENTS", 1)
    _upload(admin_client, caseload_doc(patient_doc("P-0001"), patient_doc("P-0002")))
    job = ImportJob.objects.get()
    status_url = reverse("caseload_import_status", args=[job.pk])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_client.post(reverse("caseload_import_confirm", args=[job.pk]))
    running = admin_client.get(reverse("caseload_import_job", args=[job.pk]))
    assert 'http-equiv="refresh"' in running.content.decode()
    assert admin_client.get(status_url).json()["status"] == "running"
    assert Patient.objects.count() == 0

    for callback in callbacks:  # the broker hand-off; the eager task runs here
        callback()

    status = admin_client.get(status_url).json()
    assert status == {"status": "done", "patients_total": 2, "patients_done": 2, "finished": True,
                      "url": reverse("caseload_import_job", args=[job.pk])}
    assert Patient.objects.filter(clinic=clinic).count() == 2


def test_physio_may_not_import(client, physio):
    client.force_login(physio)

    assert client.get(reverse("caseload_import")).status_code == 403
    assert _upload(client, caseload_doc(patient_doc())).status_code == 403
    assert not ImportJob.objects.exists()


def test_physio_may_not_see_or_confirm_a_job_of_their_clinic(client, physio, clinic_admin, clinic):
    job = ImportJob.objects.create(clinic=clinic, uploaded_by=clinic_admin, status=ImportJob.VALIDATED,
                                   upload=json.dumps(caseload_doc(patient_doc())).encode(), patients_total=1)
    client.force_login(physio)

    assert client.get(reverse("caseload_import_job", args=[job.pk])).status_code == 403
    assert client.post(reverse("caseload_import_confirm", args=[job.pk])).status_code == 403
    assert Patient.objects.count() == 0


@pytest.mark.parametrize("name", ["caseload_import_job", "caseload_import_status", "caseload_import_confirm"])
def test_another_clinics_job_is_not_found(client, clinic, clinic_admin, outsider, other_clinic, name):
    job = ImportJob.objects.create(clinic=clinic, uploaded_by=clinic_admin, status=ImportJob.VALIDATED,
                                   upload=json.dumps(caseload_doc(patient_doc())).encode(), patients_total=1)
    for user in (outsider, ClinicAdminFactory(clinic=other_clinic)):
        client.force_login(user)
        url = reverse(name, args=[job.pk])
        response = client.post(url) if name.endswith("confirm") else client.get(url)
        assert response.status_code == 404
    assert ImportJob.objects.get().status == ImportJob.VALIDATED


def _download(client, **params):
    response = client.get(reverse("caseload_export_download"), params)
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return response, body


@pytest.mark.parametrize("role_fixture", ["physio", "clinic_admin"])
def test_staff_download_their_clinics_caseload(client, request, role_fixture, patient, other_clinic):
    PatientFactory(clinic=other_clinic, ref="H-0001")
    client.force_login(request.getfixturevalue(role_fixture))

    response, body = _download(client, format="json")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="caseload-riverside-')
    assert [p["ref"] for p in json.loads(body)["patients"]] == ["P-0001"]


def test_outsider_download_holds_only_their_own_clinic(client, patient, outsider, other_clinic):
    PatientFactory(clinic=other_clinic, ref="H-0001")
    client.force_login(outsider)

    for fmt in ("json", "csv", "fhir"):
        _, body = _download(client, format=fmt)
        assert "P-0001" not in body and patient.family_name not in body


def test_download_formats(client, physio, patient):
    client.force_login(physio)

    csv_response, csv_body = _download(client, format="csv")
    fhir_response, fhir_body = _download(client, format="fhir")

    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_body.startswith("clinic,ref,date,entry_kind,location,context,score")
    assert fhir_response["Content-Type"] == "application/fhir+json"
    assert json.loads(fhir_body)["resourceType"] == "Bundle"


def test_download_needs_a_login_and_a_clinic(client, patient):
    response = client.get(reverse("caseload_export_download"), {"format": "json"})
    assert response.status_code == 302 and "/login/" in response.url

    client.force_login(UserFactory(username="operator", clinic=None, role="", is_superuser=True))
    assert client.get(reverse("caseload_export_download"), {"format": "json"}).status_code == 404


def test_download_rejects_an_unknown_format(client, physio):
    client.force_login(physio)

    assert client.get(reverse("caseload_export_download"), {"format": "xml"}).status_code == 400


@pytest.mark.parametrize(("as_of", "message"), [
    ("9999-12-31", "Choose a day up to today"),
    ("0001-01-01", "Choose a day from 01 Jan 2000 on: check the year."),
])
def test_an_evaluation_date_outside_the_record_is_refused_in_words(client, physio, patient, as_of, message):
    client.force_login(physio)
    response, body = _download(client, format="json", as_of=as_of)
    assert response.status_code == 400 and message in body


def test_a_csv_is_named_for_the_day_it_was_made_not_an_evaluation_date_it_does_not_use(client, physio, patient):
    client.force_login(physio)
    response, _ = _download(client, format="csv", as_of="9999-12-31")  # left in the form: not refused either
    today = patient.clinic.today().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="caseload-riverside-{today}.csv"'


def test_uploading_the_csv_export_says_to_import_the_json_export(client, clinic_admin, patient):
    """The CSV export is for spreadsheets: taken for an import, the upload
    names it instead of a JSON parser's "Expecting value"."""
    EntryFactory(patient=patient)
    client.force_login(clinic_admin)
    _, csv_body = _download(client, format="csv")
    response = _upload(client, csv_body.encode(), name="caseload.csv")
    page = client.get(response.url).content.decode().replace("&#x27;", "'")
    assert "This is Kinetic's CSV export, which is for spreadsheets" in page
    assert "import the JSON export (rehab-caseload/1) instead" in page
    assert "Expecting value" not in page
