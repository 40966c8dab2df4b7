"""What Urdu costs each page's warm rerun: every page rerun warm with AppTest (inside app.py's frame, as
benchmarks/run.py does) in English and in Urdu (?lang=ur), side by side in the same run: the two sessions' reruns
alternate (en, ur, en, ur, ...) so both see the same machine load. The figure per page is the ratio of the medians,
Urdu / English. Target: ≤ 1.2 on every page (issue 18: no page's warm rerun grows more than 20 % in Urdu).

Usage: .venv/bin/python benchmarks/i18n_bench.py   (also part of `make bench`)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]  # as when benchmarks/run.py imports it

TARGET = 1.2
RUNS = 9


def _session(page: Path | None, lang: str):
    """A warm AppTest session on `page` (None: the default page) in `lang`, opened as a shared link opens it."""
    from run import APP
    from streamlit.testing.v1 import AppTest

    from pakcoe import i18n

    at = AppTest.from_file(str(APP), default_timeout=60)
    if lang != "en":
        at.query_params["lang"] = lang
    i18n.set_current(lang)  # AppTest formats widget values in this thread before each run: in the page's language
    if page is not None:
        at.switch_page(str(page))
    at.run()
    at.run()  # warm-up
    return at


def _rerun(at, lang: str) -> float:
    from pakcoe import i18n

    i18n.set_current(lang)
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def page_figures(page: Path | None, runs: int = RUNS) -> tuple[float, float, str]:
    """(median warm rerun seconds in English, in Urdu, what the Urdu run showed) of one page, runs interleaved."""
    sessions = {lang: _session(page, lang) for lang in ("en", "ur")}
    times: dict[str, list[float]] = {"en": [], "ur": []}
    for _ in range(runs):
        for lang, at in sessions.items():
            times[lang].append(_rerun(at, lang))
    ur = sessions["ur"]
    shown = f"title {ur.title[0].value!r}" if ur.title else "no title"
    if ur.exception or sessions["en"].exception:
        shown += ", EXCEPTION"
    return statistics.median(times["en"]), statistics.median(times["ur"]), shown


def bench_i18n() -> list[tuple[str, str, str]]:
    """Rows for run.py's summary: each page's warm rerun in English and in Urdu, and their ratio."""
    from run import discover_pages, legacy_pages_mode_off
    from streamlit.logger import set_log_level

    from pakcoe import i18n

    set_log_level("error")
    legacy_pages_mode_off()
    print(f"\n== Warm rerun in English and in Urdu (AppTest, median of {RUNS}, interleaved; target: Urdu <= {TARGET}x English) ==")
    rows = []
    try:
        for p in discover_pages():
            en, ur, shown = page_figures(None if p.default else p.file)
            ratio = ur / max(en, 1e-9)
            verdict = "ok" if ratio <= TARGET else "OVER TARGET"
            print(f"  {p.title:<18} English {en * 1000:7.1f} ms   Urdu {ur * 1000:7.1f} ms   ratio {ratio:4.2f}x   {verdict}   ({shown})")
            rows.append((f"rerun {p.title}, Urdu / English", f"{ratio:.2f}", f"x ({ur * 1000:.1f} / {en * 1000:.1f} ms)"))
    finally:
        i18n.set_current("en")
    return rows


if __name__ == "__main__":
    import os

    os.environ.setdefault("PAKCOE_RELEASES", str(ROOT / "data" / "releases"))
    bench_i18n()
