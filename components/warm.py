"""The warm-up at server start: what a first visitor to the start page or the hub map needs, computed before anyone asks.

scripts/serve.py calls warm() in a background thread once Streamlit's runtime (where the caches live) exists.
Without it the first visit after a start pays for every release's validation and the map's rendering (9.2 s for
the 10 000-hub map, against ~2.5 s once warm). A visitor who arrives while a value is still being computed waits
for that computation (Streamlit's per-value lock) instead of starting another.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from typing import TypeVar

from components import cached, render
from pakcoe.coverage import HubFilter
from pakcoe.labels import demonstrator_city
from pakcoe.release import valid_versions

T = TypeVar("T")
LOG = logging.getLogger(__name__)


def warm() -> list[tuple[str, float]]:
    """Warm the validation of every release folder; for the newest valid published release, the start page's headline
    and chart, and the map page's filter choices, hub names and both views' maps with no filter.

    Returns (what, seconds) for each step, for the server log."""
    done: list[tuple[str, float]] = []

    def step(what: str, fn: Callable[..., T], *args: object) -> T:
        t0 = time.perf_counter()
        value = fn(*args)
        done.append((what, time.perf_counter() - t0))
        return value

    cached.begin_run()
    reports = step("validate every release", cached.release_reports)
    versions = valid_versions(reports)
    if not versions:
        return done
    v = versions[0]
    release = next(r.release for r in reports if r.version == v)
    step(f"release {v}: start page headline", cached.release_headline, v)
    step(f"release {v}: start page chart", cached.overview_figure, v)
    step(f"release {v}: map filters", cached.filter_choices, v)
    step(f"release {v}: hub names", cached.hub_labels, v)
    for view in ("national", demonstrator_city(release)):
        step(f"release {v}: {view} map", cached.map_payload, v, view, HubFilter())
    return done


def renderer() -> str:
    """Start the image renderer (kaleido driving Chromium), so the first chart export does not wait 2-5 s for it: the
    call returns at once and the browser opens in the background.

    scripts/serve.py calls it in the warm-up thread after the caches; returns what happened, for the server log."""
    reason = render.unavailable()
    if reason:
        return f"image renderer not started: {reason}"
    try:
        render.warm()
    except Exception:  # never take the server down: the first export starts the renderer instead
        LOG.exception("starting the image renderer failed")
        return "image renderer not started (see the log above); the first export starts it"
    return "image renderer starting in the background"


def settle() -> str:
    """Keep what is alive after the warm-up (modules, the warmed caches: ~215,000 objects) out of the garbage
    collector's passes (`gc.freeze`). They live as long as the server; a full pass walked all of them, 58-96 ms during
    which no session's script runs (one interpreter lock), every time enough new objects had outlived two younger
    passes: a warm Compare rerun that met one took 119-131 ms instead of ~33 (AppTest, 60 reruns). After the freeze a
    full pass walks what the sessions made since: 0.4-8 ms. What is made later is collected as before; a frozen
    object is never freed by the collector, which the warm-up's (caches and modules, kept for the server's life) need not be.

    scripts/serve.py calls it last in the warm-up thread; returns what happened, for the server log."""
    gc.collect()  # what the warm-up left as garbage is freed first, not kept for ever
    gc.freeze()
    return f"{gc.get_freeze_count():,} objects of the warm-up kept out of the garbage collector's passes"
