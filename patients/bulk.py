"""Bulk writes (the caseload importer's, and the plans it assigns): rows by
PostgreSQL COPY, each with its simple-history row written by COPY beside it.

`bulk_create_with_history` builds two model instances per row in Python and
sends both as INSERT parameters; for the rows an import has most of (entries,
pain scores, symptoms) this was most of its time. Here a row is a tuple
streamed into COPY, and its history row is the same tuple with the time, the
user, the reason and "+" (created) added: the columns simple-history writes.
Keys made by the database are taken from its sequence first (one query), so
the history rows carry them without reading anything back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.db.models.fields import AutoFieldMixin

HISTORY_OWN = ("history_date", "history_user_id", "history_change_reason", "history_type")


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def rows_copy(model, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """COPY `rows` (tuples in the order of `columns`) into `model`'s table."""
    _copy(model._meta.db_table, columns, rows)


def _copy(table: str, columns: Sequence[str], rows) -> None:
    statement = f"COPY {_quoted(table)} ({', '.join(map(_quoted, columns))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def keys_reserve(model, count: int) -> list[int]:
    """`count` values of the model's auto-incrementing key, from its sequence."""
    if not count:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [_quoted(table), column, count])
        return [key for (key,) in cursor.fetchall()]


def rows_copy_with_history(model, columns: Sequence[str], rows: Sequence[Sequence], *, at: dt.datetime,
                           user_id, reason: str | None) -> None:
    """COPY `rows` into `model`'s table and their "created" history rows into
    its history table. `columns` must include the key."""
    rows_copy(model, columns, rows)
    history = model.history.model
    wanted = [f.column for f in history._meta.concrete_fields if f.column != "history_id"]
    taken = [i for i, column in enumerate(columns) if column in wanted]
    missing = set(wanted) - {columns[i] for i in taken} - set(HISTORY_OWN)
    if missing:
        raise ValueError(f"{history.__name__} needs {sorted(missing)}, which the rows do not have")
    extra = (at, user_id, reason, "+")
    _copy(history._meta.db_table, [*(columns[i] for i in taken), *HISTORY_OWN],
          (tuple(row[i] for i in taken) + extra for row in rows))


def objects_copy_with_history(model, objects: Sequence, *, at: dt.datetime, user_id, reason: str | None) -> None:
    """COPY unsaved model instances with their history rows; an
    auto-incrementing key is reserved first and set on the instances."""
    fields = list(model._meta.concrete_fields)
    if isinstance(model._meta.pk, AutoFieldMixin):
        for obj, key in zip(objects, keys_reserve(model, len(objects)), strict=True):
            obj.pk = key
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    rows = []
    for obj in objects:
        for name in stamped:
            setattr(obj, name, at)
        rows.append(tuple(getattr(obj, f.attname) for f in fields))
        obj._state.adding, obj._state.db = False, connection.alias
    rows_copy_with_history(model, [f.column for f in fields], rows, at=at, user_id=user_id, reason=reason)
