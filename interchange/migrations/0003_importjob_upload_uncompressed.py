"""Store an import job's upload uncompressed (TOAST storage EXTERNAL), so the
check and the import read it in slices (interchange.jobs.upload_source): a
slice of a compressed value is decompressed from the value's start, which
would make reading a large file in slices quadratic. Changes no model state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("interchange", "0002_importjob_table")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE interchange_importjob ALTER COLUMN upload SET STORAGE EXTERNAL",
            "ALTER TABLE interchange_importjob ALTER COLUMN upload SET STORAGE EXTENDED",
        ),
    ]
