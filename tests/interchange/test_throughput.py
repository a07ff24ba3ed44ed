"""The import's relaxed cycle collection is the import's alone: the process
(a long-lived worker) gets its collector back as it was."""

import gc

import pytest

from interchange.throughput import IMPORT_GC_THRESHOLD, fewer_collections


def test_collector_is_restored_after_an_import():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] >= IMPORT_GC_THRESHOLD
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_collector_is_restored_when_the_import_fails():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("the database went away")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_objects_the_process_froze_itself_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with fewer_collections():
            pass
        # Not unfrozen (0) and not frozen again (more). A frozen object the
        # process lets go of leaves the count, so it may have fallen by a few.
        assert 0 < gc.get_freeze_count() <= frozen
        assert gc.get_freeze_count() > frozen * 0.99
    finally:
        gc.unfreeze()
