"""Bulk writes (the caseload importer's, and the plans it assigns): rows by
PostgreSQL COPY, each with its simple-history row written by COPY beside it.

`bulk_create_with_history` builds two model instances per row in Python and
sends both as INSERT parameters; for the rows an import has most of (entries,
pain scores, symptoms) this was most of its time. Here a row is a tuple
streamed into COPY, and its history row is the same tuple with the time, the
user, the reason and "+" (created) added: the columns simple-history writes.
A row whose key the database makes (a pain score, a symptom, a plan item)
has its history row made by the database too, from the rows just written.
"""

from __future__ import annotations

import datetime as dt
import operator
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
    # psycopg's own cursor: its errors are made Django's (a lost connection
    # an OperationalError the import's task retries), as Django's cursor does.
    with connection.wrap_database_errors, connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _key_floor(model) -> int:
    """A value below every key the model's sequence gives from now on."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))",
                       [_quoted(model._meta.db_table), model._meta.pk.column])
        return cursor.fetchone()[0]


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
    # A tuple of the taken values, made in C (a history row has every column
    # of its model: always more than one).
    pick = operator.itemgetter(*taken)
    _copy(history._meta.db_table, [*(columns[i] for i in taken), *HISTORY_OWN], (pick(row) + extra for row in rows))


def rows_copy_keyed_by_database(model, columns: Sequence[str], rows: Sequence[Sequence], *, of: tuple[str, list],
                                at: dt.datetime, user_id, reason: str | None) -> None:
    """COPY rows whose key the database gives (`columns` without it), then
    their history rows by INSERT … SELECT: the rows with a key between the
    sequence's values before and after the COPY (an index range, however
    large the table) and `of` = (column, values) theirs, which leaves out
    another writer's rows of the same moment. Taking the keys first instead
    costs a nextval() call per row."""
    floor = _key_floor(model)
    rows_copy(model, columns, rows)
    ceiling = _key_floor(model)
    pk = _quoted(model._meta.pk.column)
    column, values = of
    _history_insert_select(model, where=f"{pk} > %s AND {pk} < %s AND {_quoted(column)} = ANY(%s)",
                           params=[floor, ceiling, values], at=at, user_id=user_id, reason=reason)


def _history_insert_select(model, *, where: str, params: Sequence, at: dt.datetime, user_id, reason) -> None:
    history = model.history.model
    own = {field.column for field in model._meta.concrete_fields}
    set_here = dict(zip(HISTORY_OWN, (at, user_id, reason, "+"), strict=True))
    columns, values, values_params = [], [], []
    for field in history._meta.concrete_fields:
        if field.column == "history_id":
            continue
        columns.append(_quoted(field.column))
        if field.column in set_here:
            values.append("%s")
            values_params.append(set_here[field.column])
        elif field.column in own:
            values.append(_quoted(field.column))
        else:
            raise ValueError(f"{history.__name__}.{field.name} has no source in {model.__name__}")
    # Names from the models' metadata, quoted; `where` is this module's own SQL.
    statement = (f"INSERT INTO {_quoted(history._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
                 f"SELECT {', '.join(values)} FROM {_quoted(model._meta.db_table)} WHERE {where}")
    with connection.cursor() as cursor:
        cursor.execute(statement, [*values_params, *params])


def objects_copy_with_history(model, objects: Sequence, *, at: dt.datetime, user_id, reason: str | None,
                              of: tuple[str, list] | None = None) -> None:
    """COPY unsaved model instances with their history rows. For a model
    whose key the database gives, `of` says which rows are these (see
    rows_copy_keyed_by_database); their keys are not read back."""
    keyed_by_database = isinstance(model._meta.pk, AutoFieldMixin)
    fields = [f for f in model._meta.concrete_fields if not (keyed_by_database and f.primary_key)]
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    rows = []
    for obj in objects:
        for name in stamped:
            setattr(obj, name, at)
        rows.append(tuple(getattr(obj, f.attname) for f in fields))
        obj._state.adding, obj._state.db = False, connection.alias
    columns = [f.column for f in fields]
    if keyed_by_database:
        rows_copy_keyed_by_database(model, columns, rows, of=of, at=at, user_id=user_id, reason=reason)
    else:
        rows_copy_with_history(model, columns, rows, at=at, user_id=user_id, reason=reason)


def statistics_refresh(*models) -> None:
    """ANALYZE the models' tables now (PostgreSQL), after a bulk write made
    the planner's statistics describe tables much smaller than they are."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
