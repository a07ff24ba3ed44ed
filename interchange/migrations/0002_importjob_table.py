# The moved ImportJob's table takes the interchange app's name (data kept:
# a rename, not a copy).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('interchange', '0001_initial'),
        ('rehab', '0005_importjob_moved_to_interchange'),
    ]

    operations = [
        migrations.AlterModelTable(name='importjob', table=None),
    ]
