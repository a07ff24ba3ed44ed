"""Every index earns its keep: none repeats the leading columns of another, and
the sweep's clinic paging has the index it reads."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

# Each plain (non-partial) btree index of the public schema: its table, name,
# columns and operator classes in order, and whether it is unique.
INDEXES = """
SELECT t.relname, i.relname, ix.indisunique,
       array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n),
       ix.indclass::oid[]
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace s ON s.oid = t.relnamespace
JOIN pg_am am ON am.oid = i.relam
WHERE s.nspname = 'public' AND am.amname = 'btree' AND ix.indpred IS NULL AND ix.indexprs IS NULL
"""
# Kinetic's own tables; Django's many-to-many tables (user groups and
# permissions) and third-party apps keep the indexes Django gives them.
OWN_TABLES = ("content_", "patients_", "rehab_", "portal_", "interchange_")
DJANGO_TABLES = ("patients_user_groups", "patients_user_user_permissions")


def _indexes():
    with connection.cursor() as cursor:
        cursor.execute(INDEXES)
        return [row for row in cursor.fetchall() if row[0].startswith(OWN_TABLES) and row[0] not in DJANGO_TABLES]


def test_no_index_repeats_the_leading_columns_of_another():
    """A non-unique index whose columns (and operator classes) begin another
    index on the same table only costs writes: the longer one serves its
    lookups (e.g. painscore.entry_id beside the unique (entry, location, context))."""
    indexes = _indexes()
    redundant = sorted(
        (table, name, other)
        for table, name, unique, columns, classes in indexes
        for other_table, other, _, other_columns, other_classes in indexes
        if table == other_table and name != other and not unique
        and other_columns[: len(columns)] == columns and other_classes[: len(classes)] == classes
        # Two identical indexes: report the pair once.
        and (len(other_columns) > len(columns) or name > other)
    )
    assert redundant == []


def test_patients_can_be_paged_by_clinic_and_id():
    columns = {(table, tuple(cols)) for table, _, _, cols, _ in _indexes()}
    assert ("patients_patient", ("clinic_id", "id")) in columns
