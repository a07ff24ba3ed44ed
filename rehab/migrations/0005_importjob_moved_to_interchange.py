# ImportJob now lives in the interchange app (interchange/migrations/0001):
# only Django's state forgets it here, the table and its rows stay.

from django.db import migrations


def content_type_follows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="interchange", model="importjob").exists():
        ContentType.objects.filter(app_label="rehab", model="importjob").update(app_label="interchange")


def content_type_returns(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="interchange", model="importjob").update(app_label="rehab")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('interchange', '0001_initial'),
        ('rehab', '0004_importjob_upload'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name='ImportJob')]),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
