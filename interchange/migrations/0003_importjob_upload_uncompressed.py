"""Store an import job's upload uncompressed (TOAST storage EXTERNAL), so the
check and the import read it in slices (interchange.jobs.upload_source): a
slice of a compressed value is decompressed from the value's start, which
would make reading a large file in slices quadratic. Changes no model state.
PostgreSQL only: the quick start's SQLite has no such storage setting."""

from django.db import migrations


def _storage(setting):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE interchange_importjob ALTER COLUMN upload SET STORAGE {setting}")
    return run


class Migration(migrations.Migration):
    dependencies = [("interchange", "0002_importjob_table")]

    operations = [
        migrations.RunPython(_storage("EXTERNAL"), _storage("EXTENDED")),
    ]
