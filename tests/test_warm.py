"""components.warm.warm(): what scripts/serve.py computes at server start, before the first visitor asks."""

from __future__ import annotations

import gc
import os
import weakref

import pytest
from releasekit import copy_release

from components import cached, warm
from pakcoe.coverage import HubFilter


@pytest.fixture
def published(releases):
    """A published copy of release 1.0.0: the only release, so the one warm() prepares."""
    return copy_release(releases)


def test_warm_computes_the_start_page_and_both_map_views_of_the_newest_valid_release(published):
    steps = [what for what, seconds in warm.warm()]
    assert steps == [
        "validate every release",
        "release 1.0.0: start page headline",
        "release 1.0.0: start page chart",
        "release 1.0.0: map filters",
        "release 1.0.0: hub names",
        "release 1.0.0: national map",
        "release 1.0.0: karachi map",
    ]


def test_warm_never_prepares_a_draft(published, releases):
    copy_release(releases, "1.1.0", draft=True)
    steps = [what for what, seconds in warm.warm()]
    assert steps[1] == "release 1.0.0: start page headline"
    assert not any("1.1.0" in step for step in steps)


def test_a_visit_after_warm_is_served_from_the_cache_not_recomputed(published):
    """After warm(), hubs.csv is replaced by a same-size file with the same mtime (the cache key is unchanged)
    whose hash no longer matches: recomputing would fail validation, so the payload can only come from the cache."""
    warm.warm()
    hubs = published.path / "hubs.csv"
    before = hubs.stat()
    published.edit_cell("hubs.csv", "hub_id", "karachi-2", "name", "Karachi Sadder hub", rehash=False)
    os.utime(hubs, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert hubs.stat().st_size == before.st_size
    payload = cached.map_payload("1.0.0", "karachi", HubFilter())
    assert "Karachi Saddar hub" in payload.script and "Sadder" not in payload.script
    assert [r.valid for r in cached.release_reports()] == [True]


def test_warm_with_no_valid_release_only_validates(published):
    published.write_bytes("hubs.csv", b"not,a,hub,table\n", rehash=False)
    assert [what for what, _ in warm.warm()] == ["validate every release"]
    assert [r.valid for r in cached.release_reports()] == [False]


class _Node:
    """An object that can be in a reference cycle and be watched by a weak reference."""


def test_settle_keeps_what_is_alive_out_of_the_collector_and_frees_the_garbage_first():
    """What is alive when settle() runs is frozen (the collector's passes no longer walk it); garbage in a reference
    cycle made before is freed first, not kept for ever; what is made after it is tracked as before."""
    gc.unfreeze()
    gc.disable()  # no automatic pass frees the cycle before settle() does
    try:
        kept = [[] for _ in range(1000)]
        node = _Node()
        node.self = node
        gone = weakref.ref(node)
        del node
        assert gone() is not None
        line = warm.settle()
        assert gone() is None
        frozen = gc.get_freeze_count()
        assert frozen >= len(kept) and f"{frozen:,} objects" in line
        tracked = gc.get_objects()
        later = [[]]
        assert not any(o is kept[0] for o in tracked)
        assert any(o is later[0] for o in gc.get_objects())
    finally:
        gc.enable()
        gc.unfreeze()
