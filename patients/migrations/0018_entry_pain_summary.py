"""Each entry's pain, summarised on its row by the database (DESIGN 3, 5).

Five columns of `patients_entry`, kept by PostgreSQL whatever writes the
pain scores (the services, the admin, COPY in an import, a shell): after
every statement that inserts, updates or deletes pain scores, one UPDATE
recomputes the entries it touched.

- `activity_pain`, `rest_pain`: the highest back/hip score on activity, at
  rest (the vocabulary's per-visit values);
- `back_hip_pain`: the highest back/hip score in any context;
- `anterior_hip_pain`: the highest anterior hip score in any context;
- `knee_thigh_pain`: the highest knee or anterior thigh score in any context.

They let the sweep's set-based evaluation (rehab.record) reduce a caseload's
visits and find the entries that can raise a red flag from the entries
alone, without a pain-score lookup per entry. They are not model fields:
Django never writes them (its INSERT and UPDATE name only its fields), so
they cannot go stale from a model saved with old values; only the SQL of
rehab/record.py reads them. PostgreSQL only: the quick start's SQLite has
no statement triggers, and the sweep there reads the whole record instead.

The location codes are the vocabulary's (content/codes.py), which are stable.
"""

from django.db import migrations

BACK_HIP = "('anterior_hip', 'buttock_si', 'lateral_hip', 'lumbar_bilateral', 'lumbar_unilateral')"
KNEE_THIGH = "('anterior_thigh', 'knee')"

SUMMARY = f"""
    max(p.score) FILTER (WHERE p.context = 'activity' AND p.location IN {BACK_HIP}) AS activity_pain,
    max(p.score) FILTER (WHERE p.context = 'rest' AND p.location IN {BACK_HIP}) AS rest_pain,
    max(p.score) FILTER (WHERE p.location IN {BACK_HIP}) AS back_hip_pain,
    max(p.score) FILTER (WHERE p.location = 'anterior_hip') AS anterior_hip_pain,
    max(p.score) FILTER (WHERE p.location IN {KNEE_THIGH}) AS knee_thigh_pain
"""

SET = """
    activity_pain = s.activity_pain, rest_pain = s.rest_pain, back_hip_pain = s.back_hip_pain,
    anterior_hip_pain = s.anterior_hip_pain, knee_thigh_pain = s.knee_thigh_pain
"""

FORWARD = f"""
ALTER TABLE patients_entry
    ADD COLUMN activity_pain smallint, ADD COLUMN rest_pain smallint, ADD COLUMN back_hip_pain smallint,
    ADD COLUMN anterior_hip_pain smallint, ADD COLUMN knee_thigh_pain smallint;

CREATE FUNCTION patients_entry_pain_refresh(ids uuid[]) RETURNS void LANGUAGE sql AS $$
    UPDATE patients_entry e SET {SET}
    FROM (SELECT i.id, {SUMMARY}
          FROM unnest(ids) AS i(id) LEFT JOIN patients_painscore p ON p.entry_id = i.id
          GROUP BY i.id) s
    WHERE e.id = s.id
      AND (e.activity_pain, e.rest_pain, e.back_hip_pain, e.anterior_hip_pain, e.knee_thigh_pain)
          IS DISTINCT FROM (s.activity_pain, s.rest_pain, s.back_hip_pain, s.anterior_hip_pain, s.knee_thigh_pain)
$$;

CREATE FUNCTION patients_painscore_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM patients_entry_pain_refresh(ARRAY(SELECT DISTINCT entry_id FROM new_scores));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM patients_entry_pain_refresh(ARRAY(SELECT DISTINCT entry_id FROM old_scores));
    ELSE
        PERFORM patients_entry_pain_refresh(
            ARRAY(SELECT entry_id FROM new_scores UNION SELECT entry_id FROM old_scores));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER painscore_inserted AFTER INSERT ON patients_painscore
    REFERENCING NEW TABLE AS new_scores FOR EACH STATEMENT EXECUTE FUNCTION patients_painscore_changed();
CREATE TRIGGER painscore_updated AFTER UPDATE ON patients_painscore
    REFERENCING OLD TABLE AS old_scores NEW TABLE AS new_scores
    FOR EACH STATEMENT EXECUTE FUNCTION patients_painscore_changed();
CREATE TRIGGER painscore_deleted AFTER DELETE ON patients_painscore
    REFERENCING OLD TABLE AS old_scores FOR EACH STATEMENT EXECUTE FUNCTION patients_painscore_changed();

UPDATE patients_entry e SET {SET}
FROM (SELECT p.entry_id AS id, {SUMMARY} FROM patients_painscore p GROUP BY p.entry_id) s
WHERE e.id = s.id;
"""

BACKWARD = """
DROP TRIGGER painscore_inserted ON patients_painscore;
DROP TRIGGER painscore_updated ON patients_painscore;
DROP TRIGGER painscore_deleted ON patients_painscore;
DROP FUNCTION patients_painscore_changed();
DROP FUNCTION patients_entry_pain_refresh(uuid[]);
ALTER TABLE patients_entry
    DROP COLUMN activity_pain, DROP COLUMN rest_pain, DROP COLUMN back_hip_pain,
    DROP COLUMN anterior_hip_pain, DROP COLUMN knee_thigh_pain;
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("patients", "0017_entry_updated_at_replaces_flags_checked_at")]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
