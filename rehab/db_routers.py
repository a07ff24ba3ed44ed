"""Reads of a caseload export from a PostgreSQL read replica, when one is
configured (DATABASE_REPLICA_URL: the `replica` database).

An export reads a whole clinic, record by record: on the replica it takes
nothing from the primary's caches and locks. Only the reads made while an
export's pieces are produced go there (`replica_reads`): every page, task and
write stays on the primary, so nothing a clinician just saved is missing
from their own screens. An export may trail the primary by the replica's lag
(seconds), which is what a file taken at one moment means anyway.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router

REPLICA = "replica"
_exporting = ContextVar("kinetic_export_reads", default=False)


def replica_reads(pieces):
    """Yield `pieces` (an export's generator) with the reads made while
    producing them sent to the replica. The generator may run after the view
    has returned (a streaming response): the switch is set inside it."""
    before = _exporting.get()
    _exporting.set(True)
    try:
        yield from pieces
    finally:
        _exporting.set(before)


def read_connection(model):
    """The connection a raw SQL read of `model`'s table should use: the one
    the router picks for the ORM's reads of it."""
    return connections[router.db_for_read(model) or DEFAULT_DB_ALIAS]


class ExportReadsRouter:
    def db_for_read(self, model, **hints):
        if _exporting.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # A row read from the replica is the primary's row too.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication.
        return False if db == REPLICA else None
