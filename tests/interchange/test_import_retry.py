"""A large import interrupted by a database error is tried again by its task,
and writes everything exactly once; when every attempt fails, the job says so.

The failure is a real one: a trigger on the patients table raises a
connection-class error (SQLSTATE 08006), which psycopg and Django report as
an OperationalError, exactly as a dropped connection is.
"""

import json

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from interchange import jobs
from interchange.models import ImportJob
from interchange.tasks import import_job_run_task
from patients.models import Patient

from .conftest import caseload_doc, patient_doc

pytestmark = pytest.mark.django_db


def _running_job(clinic, clinic_admin):
    document = caseload_doc(patient_doc("P-0001"), patient_doc("P-0002"))
    return ImportJob.objects.create(
        clinic=clinic, uploaded_by=clinic_admin, filename="caseload.json", status=ImportJob.RUNNING,
        started_at=timezone.now(), upload=json.dumps(document).encode(), patients_total=2,
    )


def _database_fails_on_patient_insert(times):
    """The next `times` inserts into patients_patient fail as a lost connection
    would. Counted in a sequence, which a rollback does not undo."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE SEQUENCE test_import_failures")
        cursor.execute(f"""
            CREATE FUNCTION test_fail_import() RETURNS trigger AS $$
            BEGIN
                IF nextval('test_import_failures') <= {int(times)} THEN
                    RAISE EXCEPTION 'connection lost (test)' USING ERRCODE = '08006';
                END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql""")
        cursor.execute("""CREATE TRIGGER test_fail_import BEFORE INSERT ON patients_patient
                          FOR EACH ROW EXECUTE FUNCTION test_fail_import()""")


def test_an_interrupted_import_is_retried_and_writes_everything_once(clinic, clinic_admin, physio):
    job = _running_job(clinic, clinic_admin)
    _database_fails_on_patient_insert(times=1)

    import_job_run_task.apply(args=[str(job.pk)], throw=False)  # retries run inline

    job.refresh_from_db()
    assert job.status == ImportJob.DONE
    assert sorted(Patient.objects.filter(clinic=clinic).values_list("ref", flat=True)) == ["P-0001", "P-0002"]


def test_an_import_that_keeps_failing_ends_failed_with_nothing_written(clinic, clinic_admin, physio):
    job = _running_job(clinic, clinic_admin)
    _database_fails_on_patient_insert(times=100)

    # An attempt before the last leaves the job running, for the next one.
    with pytest.raises(OperationalError):
        jobs.import_job_run(job_id=job.pk, final_attempt=False)
    job.refresh_from_db()
    assert job.status == ImportJob.RUNNING

    # The task's last attempt gives up and says so on the job.
    import_job_run_task.apply(args=[str(job.pk)], retries=import_job_run_task.max_retries, throw=False)

    job.refresh_from_db()
    assert job.status == ImportJob.FAILED and job.report["crashed"]
    assert not Patient.objects.exists()
