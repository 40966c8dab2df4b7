"""Speed figures of the Pak AI CoE explorer: release validation, warm page reruns, and browser load times.

Run with `make bench` (or `.venv/bin/python benchmarks/run.py`). Not a test: it prints figures, labelled
and with units, and ends with a summary table. Every page listed in app.py's `st.Page(...)` calls is
measured, so a new page is benchmarked without editing this file. What each figure means: benchmarks/README.md.
Exit code: 0 when every figure was measured, 1 when a section failed (its error is printed).
"""

from __future__ import annotations

import ast
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
RELEASES = ROOT / "data" / "releases"
PORTS = range(8700, 8800)
sys.path.insert(0, str(ROOT))  # pakcoe and components import from the checkout
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync"]
CHROMIUM_ARGS += ["--disable-background-networking", "--disable-component-update"]
BLANK_SOURCE = 'import streamlit as st; st.title("Blank")\n'
# Fully drawn: script finished, connected, the page's h1 visible, no lazy element still a skeleton placeholder
# (charts and dataframes load their code on demand), every Plotly chart drawn, every map iframe sized.
# Returns the ms since navigation start (performance.now()) once drawn, else false.
DRAWN_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') return false;
  const h1 = document.querySelector('[data-testid=stMain] h1');
  if (!h1 || h1.getBoundingClientRect().height === 0 || getComputedStyle(h1).visibility === 'hidden') return false;
  if (document.querySelector('[data-testid=stApp] [data-testid=stSkeleton]')) return false;  // lazy element not loaded yet
  for (const c of document.querySelectorAll('[data-testid=stPlotlyChart]')) if (!c.querySelector('svg.main-svg')) return false;
  for (const f of document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]'))
    if (f.getBoundingClientRect().height === 0) return false;
  return performance.now();
}"""
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
    """The `st.Page(PAGES / "x.py", title=..., url_path=..., default=...)` calls of app.py, in order."""
    pages = []
    for node in ast.walk(ast.parse(app.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page" and node.args):
            continue
        target = node.args[0]  # PAGES / "x.py"
        name = target.right.value if isinstance(target, ast.BinOp) and isinstance(target.right, ast.Constant) else None
        if isinstance(name, str):
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            stem = Path(name).stem
            pages.append(PageSpec(app.parent / "pages" / name, str(kw.get("title", stem)), str(kw.get("url_path", stem)), bool(kw.get("default"))))
    return pages


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
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__
    if getattr(original, "_pakcoe_patched", False):
        return

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    init._pakcoe_patched = True
    PagesManager.__init__ = init


def warm_reruns(script: Path, page: Path | None = None) -> tuple[float, str]:
    """Median seconds of 5 warm `at.run()` calls (after one warm-up run on the page), and what the page showed."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    set_log_level("error")  # no "missing ScriptRunContext" noise from AppTest
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


def free_ports(n: int) -> list[int]:
    """n ports of 8700-8799 that nothing listens on now."""
    found = []
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == n:
            return found
    raise RuntimeError(f"fewer than {n} free ports in {PORTS.start}-{PORTS.stop - 1}")


@contextlib.contextmanager
def streamlit_server(args: list[str], port: int, log: Path, timeout: float = 90) -> Iterator[str]:
    """Start a Streamlit server in its own process group, wait until /_stcore/health says "ok", yield its URL; stop it on exit."""
    cmd = [sys.executable, *args, "--server.port", str(port), "--server.headless", "true"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not healthy(port):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"server on port {port} not healthy (exit code {proc.poll()}):\n{log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):  # the server's own process group only
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(wait)
                break


def healthy(port: int) -> bool:
    """Whether the server on `port` answers "ok" on /_stcore/health."""
    with contextlib.suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
        return r.read().decode().strip() == "ok"
    return False


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
    """Navigation-to-drawn time of each page (median of 3 after a warm-up) against a blank Streamlit page."""
    from playwright.sync_api import sync_playwright

    app_port, blank_port = free_ports(2)
    print(
        f"\n== 3. Browser: navigation start to fully drawn (headless Chromium, fresh context, median of 3 after 1 warm-up; ports {app_port}, {blank_port}) =="
    )
    with (
        streamlit_server(["scripts/serve.py"], app_port, tmp / "app.log") as app_url,
        streamlit_server(["-m", "streamlit", "run", str(blank)], blank_port, tmp / "blank.log") as blank_url,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=WAIT_MS)
        base = median_load(browser, blank_url)
        print(f"  {'page':<24} {'median':>9} {'blank':>9} {'ratio':>7}")
        rows: list[Row] = [("browser blank page", f"{base:.2f}", "s")]

        def one(p: PageSpec) -> list[Row]:
            t = median_load(browser, app_url + ("" if p.default else p.url_path))
            print(f"  {p.title:<24} {t:7.2f} s {base:7.2f} s {t / base:6.2f}x")
            return [(f"browser {p.title}", f"{t:.2f}", f"s ({t / base:.2f}x blank)")]

        for p in pages:
            rows += attempt(f"browser {p.title}", lambda p=p: one(p))
        return rows


def main() -> int:
    """Run every section, print the summary table; 0 when every figure was measured."""
    os.environ["PAKCOE_RELEASES"] = str(RELEASES)  # the app under AppTest reads the checkout's releases
    legacy_pages_mode_off()
    pages = discover_pages()
    names = ", ".join(p.title for p in pages)
    print(f"Pak AI CoE explorer benchmarks: {len(pages)} pages in app.py ({names}); {os.cpu_count()} CPUs, 1-min load average {os.getloadavg()[0]:.2f}")
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="pakcoe-bench-") as tmp_name:
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
    print(f"\n== Summary (1-min load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs: figures are noisy when it is high) ==")
    width = max(len(r[0]) for r in rows) if rows else 10
    for figure, value, unit in rows:
        print(f"  {figure:<{width}}  {value:>8} {unit}")
    if FAILED:
        print(f"  NOT MEASURED: {', '.join(FAILED)} (see the errors above)")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
