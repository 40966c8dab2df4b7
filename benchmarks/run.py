"""Speed figures of the Pak AI CoE explorer: release validation, warm page reruns, and browser load times.

Run with `make bench` (or `.venv/bin/python benchmarks/run.py`). Not a test: it prints figures, labelled
and with units, and ends with a summary table. Every page of app.py's navigation (pakcoe.registry) is
measured, so a new page is benchmarked without editing this file. What each figure means: benchmarks/README.md.
Exit code: 0 when every figure was measured, 1 when a section failed (its error is printed).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
RELEASES = ROOT / "data" / "releases"
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # pakcoe and components from the checkout; the harness from tests/
from harness import DRAWN_JS  # noqa: E402  (after the sys.path line above)

BLANK_SOURCE = 'import streamlit as st; st.title("Blank")\n'
WAIT_MS = 60_000  # bound of every browser wait
Row = tuple[str, str, str]  # figure, value, unit (+ comparison) for the summary table
FAILED: list[str] = []  # what could not be measured


class PageSpec(NamedTuple):
    """One page of app.py's navigation."""

    file: Path
    title: str
    url_path: str
    default: bool


def discover_pages(app: Path = APP) -> list[PageSpec]:
    """The pages of app.py's navigation, in order: pakcoe.registry's PAGES, which app.py builds it from."""
    from pakcoe import registry

    return [PageSpec(app.parent / "pages" / p.file, p.title, p.url_path, p.default) for p in registry.PAGES]


def timed(fn: Callable[[], object]) -> float:
    """Wall seconds of one call."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def attempt(what: str, fn: Callable[[], list[Row]]) -> list[Row]:
    """fn's rows; on an error, print it, note `what` as not measured and carry on with the next figure."""
    try:
        return fn()
    except Exception:
        FAILED.append(what)
        print(f"  FAILED ({what}):\n{traceback.format_exc()}")
        return []


def bench_validation() -> list[Row]:
    """validate_release of each release in-process (cold first call + median of 5), and the CLI as a subprocess."""
    from pakcoe import list_releases, validate_release

    rows: list[Row] = []
    print("\n== 1. Release load + validate (pakcoe.validate_release, in-process) ==")
    for rel in list_releases(RELEASES):
        cold = timed(lambda rel=rel: validate_release(rel))
        warm = statistics.median(timed(lambda rel=rel: validate_release(rel)) for _ in range(5))
        valid = validate_release(rel).valid
        print(f"  {rel.name:<10} cold first run {cold:7.3f} s   median of 5 {warm:7.3f} s   ({'valid' if valid else 'INVALID'})")
        rows += [(f"validate {rel.name} (median of 5)", f"{warm:.3f}", "s"), (f"validate {rel.name} (cold first run)", f"{cold:.3f}", "s")]
    cmd = [sys.executable, "-m", "pakcoe", "validate", "data/releases/1.0.0"]
    runs, codes = [], set()
    for _ in range(3):
        t0 = time.perf_counter()
        codes.add(subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=300).returncode)
        runs.append(time.perf_counter() - t0)
    cli = statistics.median(runs)
    print(f"  `python -m pakcoe validate data/releases/1.0.0` subprocess wall time, median of 3: {cli:.3f} s (exit codes {sorted(codes)})")
    rows.append(("CLI validate 1.0.0 (subprocess, median of 3)", f"{cli:.3f}", "s"))
    return rows


def legacy_pages_mode_off() -> None:
    """Make AppTest run pages like scripts/serve.py runs the server: inside app.py's frame.

    AppTest resets Streamlit's process-wide legacy `pages/` flag before every run; with it on, a run on a
    non-default page executes pages/<x>.py alone, without the frame, and would be measured too cheaply.
    """
    from components.thirdparty.streamlit import legacy_pages_mode_off as switch_off

    switch_off()


@contextlib.contextmanager
def compiled_once() -> Iterator[None]:
    """AppTest compiles app.py and the page again on every run (a new ScriptCache each run); the server compiles each
    script once per process and keeps the code. Within this context AppTest keeps it too, as the server does."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    saved = (app_test.ScriptCache, local_script_runner.ScriptCache)
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved


def warm_reruns(script: Path, page: Path | None = None) -> tuple[float, str]:
    """Median seconds of 5 warm `at.run()` calls (after one warm-up run on the page), and what the page showed."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    set_log_level("error")  # no "missing ScriptRunContext" noise from AppTest
    with compiled_once():
        at = AppTest.from_file(str(script), default_timeout=60)
        at.run()
        if page is not None:
            at.switch_page(str(page))
            at.run()
        times = [timed(at.run) for _ in range(5)]
    shown = f"title {at.title[0].value!r}" if at.title else "NO TITLE"
    return statistics.median(times), shown + (f", {len(at.exception)} EXCEPTION(S)" if at.exception else "")


def bench_reruns(pages: list[PageSpec], blank: Path) -> list[Row]:
    """Warm rerun script time of each page, in-process with AppTest, against a blank one-title script."""
    print("\n== 2. Warm rerun script time (AppTest, in-process, median of 5 after a warm-up run) ==")
    base, _ = warm_reruns(blank)
    print(f"  {'blank page (baseline)':<24} {base * 1000:8.1f} ms")
    rows: list[Row] = [("rerun blank page (AppTest)", f"{base * 1000:.1f}", "ms")]

    def one(p: PageSpec) -> list[Row]:
        t, shown = warm_reruns(APP, None if p.default else p.file)
        print(f"  {p.title:<24} {t * 1000:8.1f} ms   ({t / base:.1f}x blank; {shown})")
        return [(f"rerun {p.title} (AppTest)", f"{t * 1000:.1f}", f"ms ({t / base:.1f}x blank)")]

    for p in pages:
        rows += attempt(f"rerun {p.title}", lambda p=p: one(p))
    return rows


def load_seconds(browser: Browser, url: str) -> float:
    """Seconds from navigation start to fully drawn, in a fresh browser context; a rerun right after restarts the wait."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        deadline = time.monotonic() + WAIT_MS / 1000  # one bound for the whole load, reruns included
        page.goto(url, wait_until="commit", timeout=WAIT_MS)
        while (left_ms := (deadline - time.monotonic()) * 1000) > 0:
            drawn_ms = page.wait_for_function(DRAWN_JS, polling=25, timeout=left_ms).json_value()
            page.wait_for_timeout(300)  # settle: a rerun that starts now means the page was not final yet
            if page.evaluate(DRAWN_JS):
                return drawn_ms / 1000
        raise RuntimeError(f"{url} not drawn and settled within {WAIT_MS / 1000:.0f} s")
    finally:
        context.close()


def median_load(browser: Browser, url: str) -> float:
    """Median of 3 load_seconds after one warm-up load."""
    load_seconds(browser, url)
    return statistics.median(load_seconds(browser, url) for _ in range(3))


def bench_browser(pages: list[PageSpec], blank: Path, tmp: Path) -> list[Row]:
    """Each page's full draw against its reference page and its first screen against a blank page (benchmarks/page_bench.py)."""
    import page_bench

    return _with_failures(page_bench.bench_pages(pages, blank, tmp))


def _with_failures(result: tuple[list[Row], list[str]]) -> list[Row]:
    """A section's rows; what it could not measure is noted as not measured."""
    rows, failed = result
    FAILED.extend(failed)
    return rows


def main() -> int:
    """Run every section, print the summary table; 0 when every figure was measured."""
    os.environ["PAKCOE_RELEASES"] = str(RELEASES)  # the app under AppTest reads the checkout's releases
    legacy_pages_mode_off()
    pages = discover_pages()
    names = ", ".join(p.title for p in pages)
    print(f"Pak AI CoE explorer benchmarks: {len(pages)} pages in app.py ({names}); {os.cpu_count()} CPUs, 1-min load average {os.getloadavg()[0]:.2f}")
    rows: list[Row] = []
    # every AppTest figure of every section: scripts compiled once, as the server keeps them (compiled_once)
    with tempfile.TemporaryDirectory(prefix="pakcoe-bench-") as tmp_name, compiled_once():
        tmp = Path(tmp_name)
        blank = tmp / "blank.py"
        blank.write_text(BLANK_SOURCE, encoding="utf-8")
        rows += attempt("validation", bench_validation)
        rows += attempt("warm reruns", lambda: bench_reruns(pages, blank))
        rows += attempt("browser", lambda: bench_browser(pages, blank, tmp))
        import map_bench

        rows += attempt("map HTML size", map_bench.bench_map_size)
        rows += attempt("map filter rerun", map_bench.bench_map_filter_rerun)
        rows += attempt("10 000-hub map", lambda: map_bench.bench_big_map(tmp))
        rows += attempt("compare rerun", map_bench.bench_compare_rerun)
        import model_bench

        rows += attempt("model ranges", model_bench.bench_model)
        import present_bench

        rows += attempt("presenter mode", present_bench.run)
        import export_bench

        rows += attempt("exports", export_bench.run)
        import i18n_bench

        rows += attempt("English and Urdu reruns", i18n_bench.bench_i18n)
        import diff_bench

        rows += attempt("release diff", lambda: diff_bench.bench_diff(tmp))
        import load_bench  # each load starts a server of its own (as `make run`), so neither sees the other's sessions

        rows += attempt("load 25 sessions", lambda: load_bench.bench_rows(25))
        rows += attempt("load 50 sessions", lambda: load_bench.bench_rows(50))
        rows += attempt("load: one process vs 2 replicas behind HAProxy", lambda: load_bench.compare_rows(50, 2))
        import network_bench  # weak connections: bytes per page and a throttled first visit, through HAProxy and directly

        rows += attempt("weak connections", network_bench.run)
        import lighthouse_bench  # directly (an app and a blank page of its own) and through HAProxy (`make run REPLICAS=1`)
        from harness import replicas_proxy

        runs = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))  # a page's median run: one run's blocking time varies 2-4x

        def lighthouse() -> list[Row]:
            if os.environ.get("BENCH_PROXY_URL"):  # a running deployment to measure instead of a proxy started here
                return _with_failures(lighthouse_bench.bench([("proxy", os.environ["BENCH_PROXY_URL"])], runs=runs))
            with replicas_proxy(1) as proxied:
                return _with_failures(lighthouse_bench.bench([("through HAProxy", proxied.url)], runs=runs))

        rows += attempt("lighthouse", lighthouse)
        import labels_bench  # last: it wraps pakcoe.display's lookups with timers

        rows += attempt("display-text lookups", labels_bench.bench_labels)
    print(f"\n== Summary (1-min load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs: figures are noisy when it is high) ==")
    width = max(len(r[0]) for r in rows) if rows else 10
    for figure, value, unit in rows:
        print(f"  {figure:<{width}}  {value:>8} {unit}")
    if FAILED:
        print(f"  NOT MEASURED: {', '.join(FAILED)} (see the errors above)")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
