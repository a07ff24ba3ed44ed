# ImportJob moved here from the rehab app. Its table already exists (created
# by rehab's migrations 0002 and 0004): this migration only tells Django's
# state that the model now lives in `interchange`, keeping the old table;
# 0002 then renames the table.

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('rehab', '0004_importjob_upload'),
        ('patients', '0004_history_user_clinic'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('filename', models.CharField(blank=True, max_length=200)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('checking', 'Checking'), ('validated', 'Validated'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('upload', models.BinaryField(blank=True, null=True)),
                ('report', models.JSONField(blank=True, default=dict)),
                ('patients_total', models.PositiveIntegerField(default=0)),
                ('patients_done', models.PositiveIntegerField(default=0)),
                ('started_at', models.DateTimeField(blank=True, null=True)),
                ('finished_at', models.DateTimeField(blank=True, null=True)),
                ('clinic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='import_jobs', to='patients.clinic')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'checking', 'validated', 'running', 'done', 'failed'])), name='import_job_status_valid')],
                'db_table': 'rehab_importjob',
            },
        )]),
    ]
