"""At most a few script runs at once in one server process; the others wait their turn, first come first served.

Streamlit runs each session's script in a thread of its own, and Python runs one thread at a time (the GIL), switching
every few milliseconds. With many visitors at once, every run then advances a little at a time and they all end
together at the end of the busy period: each visitor waits for everybody's work, and visitors who all waited the same
time come back together (benchmarks/load_bench.py: 25 sessions, p50 1.2 s at half a core's load, one run ~56 ms).
Taken in turn, the first run ends after its own work, the next after two, and so on.

`PAKCOE_RUN_SLOTS=N` sets the number (default 2). A value that is not a whole number of at least 1 would stop the app
(not a number) or make every run wait forever (0): such a value is logged as a warning and the default used instead.

Only whole-page runs (app.py's `run`) take a slot. A fragment's rerun (the audience window on Present polls its room
every 0.25 s) runs outside the slots on purpose: it is short, and waiting behind page runs would delay the follower.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator

LOG = logging.getLogger("pakcoe.runslots")
ENV = "PAKCOE_RUN_SLOTS"
DEFAULT = 2


def slots_from(value: str | None) -> int:
    """The number of run slots `value` (the environment variable's text, None when unset) asks for; the default, with a
    warning in the log, when it is not a whole number of at least 1."""
    if value is None or not value.strip():
        return DEFAULT
    try:
        slots = int(value.strip())
    except ValueError:
        slots = 0
    if slots < 1:
        LOG.warning("%s=%r is not a whole number of at least 1: %d script runs at once instead", ENV, value, DEFAULT)
        return DEFAULT
    return slots


SLOTS = slots_from(os.environ.get(ENV))
_SLOTS = threading.BoundedSemaphore(SLOTS)


@contextlib.contextmanager
def slot() -> Iterator[None]:
    """Hold one of the process's run slots for the duration (waits for one to be free)."""
    _SLOTS.acquire()
    try:
        yield
    finally:
        _SLOTS.release()
