"""Bulk writes (the caseload importer's, and the plans it assigns): rows by
PostgreSQL COPY, and their simple-history rows made by the database from the
rows just written.

`bulk_create_with_history` builds two model instances per row in Python and
sends both as INSERT parameters; for the rows an import has most of (entries,
pain scores, symptoms) this is most of its time. Here a row is a tuple
streamed into COPY, and the history rows are one INSERT … SELECT per table:
the same columns simple-history would write (the row's fields, the time, the
user, the reason, "+" for created).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models.fields import AutoFieldMixin


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def rows_copy(model, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """COPY `rows` (tuples in the order of `columns`) into `model`'s table."""
    statement = f"COPY {_quoted(model._meta.db_table)} ({', '.join(map(_quoted, columns))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def objects_copy(model, objects: Sequence, *, now: dt.datetime) -> None:
    """COPY unsaved model instances (a key made by the database is not read
    back: give the model a UUID key, or find the rows by another column)."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    rows = []
    for obj in objects:
        for name in stamped:
            setattr(obj, name, now)
        rows.append(tuple(getattr(obj, f.attname) for f in fields))
        obj._state.adding, obj._state.db = False, connection.alias
    rows_copy(model, [f.column for f in fields], rows)


def history_of_created(model, *, where: str, params: Sequence, at: dt.datetime, user_id,
                       reason: str) -> None:
    """Write the "created" history rows of `model`'s rows matching `where`
    (SQL on the model's table, with `params`)."""
    history = model.history.model
    own = {field.column for field in model._meta.concrete_fields}
    set_by_history = {"history_date": at, "history_user_id": user_id, "history_change_reason": reason,
                      "history_type": "+"}
    columns, values, values_params = [], [], []
    for field in history._meta.concrete_fields:
        if field.column == "history_id":
            continue  # the history table's own key
        columns.append(_quoted(field.column))
        if field.column in set_by_history:
            values.append("%s")
            values_params.append(set_by_history[field.column])
        elif field.column in own:
            values.append(_quoted(field.column))
        else:
            raise ValueError(f"{history.__name__}.{field.name} has no source in {model.__name__}")
    # Names from the models' metadata, quoted; `where` is the caller's constant SQL.
    statement = (f"INSERT INTO {_quoted(history._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
                 f"SELECT {', '.join(values)} FROM {_quoted(model._meta.db_table)} WHERE {where}")
    with connection.cursor() as cursor:
        cursor.execute(statement, [*values_params, *params])
