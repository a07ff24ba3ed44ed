"""ImportJob moved from the rehab app to interchange: a database migrated from
the old layout keeps every job, its uploaded file and its report."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD_LAYOUT = ("rehab", "0004_importjob_upload")
BEFORE_THE_MOVE = [OLD_LAYOUT, ("interchange", None)]


@pytest.mark.django_db(transaction=True)
def test_import_jobs_survive_the_move_to_the_interchange_app():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE_THE_MOVE)
        applied = MigrationExecutor(connection).loader.applied_migrations
        assert OLD_LAYOUT in applied and ("interchange", "0001_initial") not in applied
        old = executor.loader.project_state(list(applied)).apps
        clinic = old.get_model("patients", "Clinic").objects.create(slug="oldtown", name="Old Town Physio")
        job = old.get_model("rehab", "ImportJob").objects.create(
            clinic_id=clinic.pk, filename="caseload.json", status="validated",
            upload=b'{"format": "rehab-caseload/1"}', report={"patients_total": 3}, patients_total=3,
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from interchange.models import ImportJob

    moved = ImportJob.objects.get(pk=job.pk)
    assert (moved.clinic_id, moved.filename, moved.status, bytes(moved.upload), moved.report) == (
        clinic.pk, "caseload.json", "validated", b'{"format": "rehab-caseload/1"}', {"patients_total": 3},
    )
    assert ImportJob._meta.db_table == "interchange_importjob"
    with connection.cursor() as cursor:
        assert "rehab_importjob" not in connection.introspection.table_names(cursor)
