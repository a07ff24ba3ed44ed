"""The exit criteria and template rows every clinic was given were created
without a history row, so a clinic admin's first edit of one showed in the
phase's history with no "from → to". Each row that has no history yet gets
its first one now, as it stands, so the next edit has something to compare
with."""

from django.db import migrations
from django.utils import timezone

REASON = "Kinetic's default programme (history started)"


def first_history_rows(apps, schema_editor):
    now = timezone.now()
    for name in ("ExitCriterion", "PhaseTemplateItem"):
        model = apps.get_model("content", name)
        history = apps.get_model("content", f"Historical{name}")
        tracked = [field.attname for field in model._meta.concrete_fields]
        have = set(history.objects.values_list("id", flat=True).distinct())
        history.objects.bulk_create([
            history(**{attname: getattr(row, attname) for attname in tracked}, history_date=now,
                    history_type="+", history_change_reason=REASON)
            for row in model.objects.exclude(pk__in=have).iterator()
        ], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("content", "0015_instrument_title_for_patients")]
    operations = [migrations.RunPython(first_history_rows, migrations.RunPython.noop)]
