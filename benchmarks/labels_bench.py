"""What the display-text lookups (pakcoe.display) cost each page's warm rerun, measured in the same runs.

Every public lookup of `pakcoe.display` (texts(), and Texts' column / value / values / frame / province / term /
glossary / first_use) is wrapped with a timer that counts only the outermost call, then each page is rerun warm with
AppTest (median of 5 after a warm-up, inside app.py's frame, as benchmarks/run.py does). The figure per page is the
growth the lookups cause: lookup time / (rerun time - lookup time). Target: ≤ 20 % on every page (issue 17).

Usage: .venv/bin/python benchmarks/labels_bench.py   (also part of `make bench`)
"""

from __future__ import annotations

import functools
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]  # as when benchmarks/run.py imports it

TARGET = 0.20
WRAPPED = ("column", "value", "values", "frame", "province", "term", "glossary", "first_use")
SPENT = {"seconds": 0.0, "depth": 0}


def _timed(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        outer = SPENT["depth"] == 0
        SPENT["depth"] += 1
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT["depth"] -= 1
            if outer:
                SPENT["seconds"] += time.perf_counter() - t0

    return wrapper


def instrument() -> None:
    """Time every lookup of pakcoe.display (the module's texts() and the Texts methods), outermost calls only."""
    from pakcoe import display

    for name in WRAPPED:
        setattr(display.Texts, name, _timed(getattr(display.Texts, name)))
    display.texts = _timed(display.texts)


def page_figures(page: Path | None, runs: int = 5) -> tuple[float, float]:
    """(median warm rerun seconds, median seconds of display lookups in those reruns) of one page."""
    from run import APP, legacy_pages_mode_off
    from streamlit.testing.v1 import AppTest

    legacy_pages_mode_off()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if page is not None:
        at.switch_page(str(page))
        at.run()
    at.run()  # warm-up
    totals, lookups = [], []
    for _ in range(runs):
        SPENT["seconds"] = 0.0
        t0 = time.perf_counter()
        at.run()
        totals.append(time.perf_counter() - t0)
        lookups.append(SPENT["seconds"])
    return statistics.median(totals), statistics.median(lookups)


def bench_labels() -> list[tuple[str, str, str]]:
    """Rows for run.py's summary: each page's lookup time and the growth it causes."""
    from run import discover_pages
    from streamlit.logger import set_log_level

    set_log_level("error")
    instrument()
    print("\n== Display-text lookups in each page's warm rerun (AppTest, median of 5; target: growth <= 20 %) ==")
    rows = []
    for p in discover_pages():
        total, spent = page_figures(None if p.default else p.file)
        growth = spent / max(total - spent, 1e-9)
        verdict = "ok" if growth <= TARGET else "OVER TARGET"
        print(f"  {p.title:<24} rerun {total * 1000:7.1f} ms   lookups {spent * 1000:6.2f} ms   growth {growth * 100:5.1f} %   {verdict}")
        rows.append((f"display lookups, {p.title} rerun", f"{growth * 100:.1f}", f"% of the rerun without them ({spent * 1000:.2f} of {total * 1000:.1f} ms)"))
    return rows


if __name__ == "__main__":
    bench_labels()
