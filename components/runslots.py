"""At most a few script runs at once in one server process; the others wait their turn, first come first served.

Streamlit runs each session's script in a thread of its own, and Python runs one thread at a time (the GIL), switching
every few milliseconds. With many visitors at once, every run then advances a little at a time and they all end
together at the end of the busy period: each visitor waits for everybody's work, and visitors who all waited the same
time come back together (benchmarks/load_bench.py: 25 sessions, p50 1.2 s at half a core's load, one run ~56 ms).
Taken in turn, the first run ends after its own work, the next after two, and so on.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

SLOTS = int(os.environ.get("PAKCOE_RUN_SLOTS", "2"))
_SLOTS = threading.BoundedSemaphore(SLOTS)


@contextlib.contextmanager
def slot() -> Iterator[None]:
    """Hold one of the process's run slots for the duration (waits for one to be free)."""
    _SLOTS.acquire()
    try:
        yield
    finally:
        _SLOTS.release()
