# Patient.urgency: the caseload's sort key, kept by rehab.flags; rehab.0009 fills it.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0015_outcome_constraint_messages'),
    ]

    operations = [
        migrations.AddField(
            model_name='patient',
            name='urgency',
            field=models.PositiveSmallIntegerField(default=5, editable=False),
        ),
        migrations.AddIndex(
            model_name='patient',
            index=models.Index(fields=['clinic', 'urgency', 'family_name', 'given_name', 'ref'], name='patient_caseload_order'),
        ),
    ]
