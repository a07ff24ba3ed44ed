"""Fill Patient.urgency (patients.0010) from the flags open and unacknowledged
now; from here on the flag services keep it (rehab.flags.patients_urgency_refresh)."""

from django.db import migrations
from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When

from content.flag_kinds import NO_FLAG_RANK, Severity


def urgency_fill(apps, schema_editor):
    Flag = apps.get_model("rehab", "Flag")
    Patient = apps.get_model("patients", "Patient")
    needing_attention = Flag.objects.filter(patient=OuterRef("pk"), closed_at__isnull=True, acknowledged_at__isnull=True)
    rank = Case(*[When(severity=severity.value, then=Value(severity.rank)) for severity in Severity],
                default=Value(NO_FLAG_RANK), output_field=IntegerField())
    most_urgent = needing_attention.annotate(rank=rank).order_by("rank").values("rank")[:1]
    Patient.objects.filter(Exists(needing_attention)).update(urgency=Subquery(most_urgent))


class Migration(migrations.Migration):

    dependencies = [
        ("rehab", "0009_clinicsweep"),
        ("patients", "0016_patient_urgency"),
    ]

    operations = [
        migrations.RunPython(urgency_fill, migrations.RunPython.noop),
    ]
