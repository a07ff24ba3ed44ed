"""An index on the flag changes a person made (an acknowledgement, an edit
in the admin), by date: the sweep's plan asks for those made since the last
sweep (rehab.sweeps.CHANGED_SQL), among the many rows the engine writes with
no user. A partial index on simple-history's table, which its model's Meta
does not let us declare; plain SQL that PostgreSQL and SQLite both accept.
Changes no model state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("rehab", "0010_patient_urgency_from_open_flags")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX historicalflag_by_a_person ON rehab_historicalflag (history_date)"
            " WHERE history_user_id IS NOT NULL",
            "DROP INDEX historicalflag_by_a_person",
        ),
    ]
