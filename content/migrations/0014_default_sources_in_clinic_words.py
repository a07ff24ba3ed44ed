"""The default sources of the meaningful and detectable changes named a
design document ("Kinetic default (DESIGN.md §9)"), which clinicians read on
the questionnaire form and the clinic's outcomes page: they now say what
they are, in the clinic's words. Only a text no clinic has changed is
rewritten."""

from django.db import migrations

REWORDED = {
    "Minimal detectable change 2 stands: Kinetic default (DESIGN.md §9); replace with the value your clinic uses "
    "and cite its source.":
        "2 stands: Kinetic's starting value. Replace it with the value your clinic uses and cite its source.",
    "Minimal detectable change 1.1 s: Kinetic default (DESIGN.md §9); replace with the value your clinic uses "
    "and cite its source.":
        "1.1 s: Kinetic's starting value. Replace it with the value your clinic uses and cite its source.",
}
PSFS = ("Kinetic default (DESIGN.md §9): 2 points on the mean score.",
        "2 points on the mean score: Kinetic's starting value. Replace it with the value your clinic uses and "
        "cite its source.")


def reword(apps, schema_editor):
    detectable = apps.get_model("content", "MinimalDetectableChange")
    for old, new in REWORDED.items():
        detectable.objects.filter(source=old).update(source=new)
    instrument = apps.get_model("content", "Instrument")
    instrument.objects.filter(meaningful_change_source=PSFS[0]).update(meaningful_change_source=PSFS[1])


class Migration(migrations.Migration):
    dependencies = [("content", "0013_hip_extension")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
