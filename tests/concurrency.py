"""Helpers for tests where two database connections race (real PostgreSQL,
transaction=True tests): one connection holds a lock until the other waits."""

import time

from django.db import connection


def wait_for_a_lock_waiter(timeout=5.0) -> None:
    """Return once another connection of this database waits for a lock (the
    request under test has reached the row this connection holds), or after
    `timeout` seconds."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                           "AND datname = current_database()")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
