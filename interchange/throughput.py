"""What keeps a large import's Python work off its critical path.

An import is two kinds of work taking turns: Python reading and checking
patients (the database idle), and the database writing a batch (Python
waiting on the socket). `checked_ahead` checks the next patients in a thread
while the main thread waits for the database, so the two overlap; the main
thread still reads the file and does every database call (a job's upload is
read from the database, and the import's one transaction belongs to it).

`fewer_collections` stops Python's cycle collector from re-scanning the
whole process again and again: an import allocates millions of short-lived
objects (parsed values, pydantic models, rows), and each full collection
walks every object Django and the libraries hold. It cost a third of the
import's Python time on a 10,000-patient file (bench/README.md).
"""

from __future__ import annotations

import contextlib
import gc
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

# Allocations between two young-generation collections while importing
# (Python's default is 700). Garbage without cycles is freed at once anyway;
# what waits longer is only cyclic garbage, a few MB at most.
IMPORT_GC_THRESHOLD = 50_000


@contextlib.contextmanager
def fewer_collections():
    """Collect cycles rarely, and never re-scan what existed before, for the
    duration of the block; restored afterwards (the process may be a
    long-lived worker)."""
    thresholds = gc.get_threshold()
    gc.freeze()  # what the process held before the import is never garbage of it
    gc.set_threshold(max(thresholds[0], IMPORT_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def checked_ahead(items: Iterator[tuple[int, object]], check: Callable, *, ahead: int) -> Iterator:
    """check(raw, index) for each (index, raw) of `items`, in order.

    Up to `ahead` items are read from `items` (in the caller's thread) before
    their results are asked for, and checked meanwhile in one worker thread,
    in order, so a `check` that remembers what it saw (a duplicate ref) sees
    the same sequence as a loop would. `check` must not use the database.
    An exception in `check` is raised here, at its item.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-check") as pool:
        pending: deque = deque()
        try:
            for index, raw in items:
                pending.append(pool.submit(check, raw, index))
                if len(pending) > ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
