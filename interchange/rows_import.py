"""The rows an import adds beside each patient's entries (adherence marks,
questionnaire administrations): planned patient by patient against what the
database already holds, then written in bulk with their history rows.

A row is identified by a key (patient, day and what it is of); a re-import
adds only the rows whose key is new and leaves the others as they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from simple_history.utils import bulk_create_with_history

BATCH_SIZE = 2000


class RowsImport:
    """Subclasses say which `model` they write and build each row in `add`
    through `plan(key, build)`."""

    model = None

    def __init__(self, have: Iterable[tuple]):
        self.have = set(have)
        self.new: list = []
        self.existing = 0

    def plan(self, key: tuple, build) -> bool:
        """Add `build()` unless a row with `key` exists (or was planned); whether it was added."""
        if key in self.have:
            self.existing += 1
            return False
        self.have.add(key)
        self.new.append(build())
        return True

    @property
    def created(self) -> int:
        return len(self.new)

    def write(self, *, history: dict) -> None:
        if self.new:
            bulk_create_with_history(self.new, self.model, batch_size=BATCH_SIZE, **history)
