"""What keeps a large import's Python work small.

`fewer_collections` stops Python's cycle collector from re-scanning the
whole process again and again: an import allocates millions of short-lived
objects (parsed values, pydantic models, rows), each 700 allocations start a
young-generation collection, and every full collection walks every object
Django and the libraries hold. On a 10,000-patient file that was about a
quarter of the import's Python time, the engine's reconciliation after it
included (bench/README.md, "Import and export at scale").

(Checking the next batch in a thread while the database writes this one was
tried and dropped: on two shared cores an import of 3,000 patients took 15.8
and 20.4 s with the thread, 13.0 and 14.7 s without, and 23 MB more memory.)
"""

from __future__ import annotations

import contextlib
import gc

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
    # What the process held before the import is never garbage of it. A
    # process that froze objects itself (a server forking workers) keeps
    # them frozen: unfreezing would release its own too.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    gc.set_threshold(max(thresholds[0], IMPORT_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()
