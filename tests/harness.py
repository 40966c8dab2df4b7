"""The one harness that starts the app's Streamlit server and Debian's Chromium, for tests, benchmarks and screenshots.

The browser tests (tests/browser/conftest.py builds pytest fixtures on it), `benchmarks/` and
`scripts/screenshots.py` all start servers and the browser through this module, so they serve the app the
README's way (`scripts/serve.py`, as `make run` does) and drive the same Chromium with the same flags.
No pytest here: benchmarks and scripts import it too (they put ROOT/"tests" on sys.path).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the benchmarks and scripts/screenshots.py import this file by path
    sys.path.insert(0, str(ROOT))
from components import deferred, render  # noqa: E402  (after the sys.path line above)

SERVE = ROOT / "scripts" / "serve.py"
# Debian's Chromium (`apt-get install chromium`): never `playwright install`, which downloads a browser of its own.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = list(render.CHROMIUM_ARGS)  # the exports' flags: headless, nothing of its own on the network
# Connected and no script running (Streamlit's own markers on the app's root element), and nothing still to come
# (components/deferred.py: a first visit draws its charts and a long page's rest in a second run, which the page's
# script asks for when a placeholder is in view; its hidden button's element is there from the first run on, before the
# placeholders' own code has loaded). Both checks ask the page for all of it (`window.__pakDrawAll`), as a visitor
# scrolling to the end at once would: a test sees the whole page.
PENDING = f"{deferred.SELECTOR}, .st-key-{deferred.KEY}"  # a placeholder, or the hidden button: something still to come
READY_JS = """() => { window.__pakDrawAll = true; const a = document.querySelector('[data-testid=stApp]');
  return !!a && a.dataset.testScriptState === 'notRunning' && a.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('__PENDING__'); }""".replace("__PENDING__", PENDING)
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'  # the hub map's iframe (streamlit-folium's component title)

# Fully drawn: ready, the page's h1 visible, no lazy element still a skeleton placeholder (charts and dataframes
# load their code on demand), every Plotly chart drawn, every map iframe sized. Returns the ms since navigation
# start (performance.now()) once drawn, else false.
DRAWN_JS = """() => {
  window.__pakDrawAll = true;  // the whole page, as a visitor scrolling to its end at once (components/deferred.py)
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.dataset.testScriptState !== 'notRunning' || app.dataset.testConnectionState !== 'CONNECTED') return false;
  const h1 = document.querySelector('[data-testid=stMain] h1');
  if (!h1 || h1.getBoundingClientRect().height === 0 || getComputedStyle(h1).visibility === 'hidden') return false;
  if (document.querySelector('[data-testid=stApp] [data-testid=stSkeleton]')) return false;  // lazy element not loaded yet
  if (document.querySelector('__PENDING__')) return false;  // still to come (components/deferred.py)
  for (const c of document.querySelectorAll('[data-testid=stPlotlyChart]')) if (!c.querySelector('svg.main-svg')) return false;
  for (const f of document.querySelectorAll('__MAP__'))
    if (f.getBoundingClientRect().height === 0) return false;
  return performance.now();
}""".replace("__PENDING__", PENDING).replace("__MAP__", MAP_IFRAME)


class ServerError(RuntimeError):
    """The server exited or did not answer its health check in time; the message holds its output."""


def free_port() -> int:
    """A TCP port nothing listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(
    script: Path | None = None, *, releases: Path | None = None, log_path: Path | None = None, args: tuple[str, ...] = (), timeout: float = 90.0
) -> Iterator[str]:
    """Start a Streamlit server on a free port, wait until it is healthy, yield its base URL (no trailing slash).

    script: None runs the app the README's way (`scripts/serve.py`: legacy pages detection off, caches warmed at
    start); a path runs that script with `python -m streamlit run` (a blank page, a tiny test app).
    releases: the releases folder the app reads ($PAKCOE_RELEASES); None means the checkout's data/releases
    (the variable is removed from the server's environment).
    log_path: a file that receives the server's output while it runs (read it meanwhile); a temporary file if None.
    args: more `streamlit run` options.
    The working directory is the checkout, so the project's .streamlit/config.toml applies. The server runs in
    its own process group, stopped (TERM, then KILL) on exit whatever happens.
    """
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PAKCOE_RELEASES"}
    if releases is not None:
        env["PAKCOE_RELEASES"] = str(releases)
    start = [str(SERVE)] if script is None else ["-m", "streamlit", "run", str(script)]
    cmd = [sys.executable, *start, "--server.port", str(port), "--server.headless", "true", *args]
    with open(log_path, "w+b") if log_path else tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = f"http://localhost:{port}"
            _wait_healthy(url, proc, log, timeout)
            yield url
        finally:
            _stop(proc)


def _wait_healthy(url: str, proc: subprocess.Popen, log: IO[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            if r.read().decode().strip() == "ok":
                return
        time.sleep(0.1)
    log.seek(0)
    raise ServerError(f"Streamlit server {url} not healthy (exit code {proc.poll()}); its output:\n{log.read().decode(errors='replace')[-4000:]}")


def _stop(proc: subprocess.Popen) -> None:
    """Terminate the server's process group (it is its own group leader), then kill it if it lingers."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def launch_chromium(playwright: Playwright, timeout: float = 60_000) -> Browser:
    """Debian's Chromium, headless, with the harness's flags (what pytest-playwright launches for the tests)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=timeout)


def wait_ready(page: Page, timeout: float = 30_000, settle_ms: int = 400) -> None:
    """Wait until the app is connected and no script runs, and stays so for a short settle (a rerun may follow)."""
    for _ in range(20):
        page.wait_for_function(READY_JS, timeout=timeout)
        page.wait_for_timeout(settle_ms)
        if page.evaluate(READY_JS):
            return
    raise AssertionError("the app kept rerunning and never settled")


def _open_and_click(page: Page, open_list, target, tries: int) -> None:
    """Open a list (`open_list()`) and click `target` (a locator) in it. A rerun that lands just after the list opened
    (a page's settling rerun, on a loaded machine) redraws the widget and closes the list: then it is closed, the app
    left to settle, and the list opened again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        wait_ready(page)
        open_list()
        try:
            target.first.wait_for(state="visible", timeout=8_000)
            target.first.click(timeout=8_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            page.keyboard.press("Escape")


def choose(page: Page, widget, option, tries: int = 3, exact: bool = False) -> None:
    """Open a select box or multiselect (`widget`, a Playwright locator) and click its option named `option` (a text,
    matched as Playwright's get_by_role does, `exact` or not, or a compiled pattern)."""

    def open_list() -> None:
        widget.scroll_into_view_if_needed()
        widget.click()

    _open_and_click(page, open_list, page.get_by_role("option", name=option, exact=exact or None), tries)


def choose_listed(page: Page, button, group: str, option, tries: int = 3) -> None:
    """Open a sidebar popover list (`button`, the locator of its button: the release picker, "On this page"), click its
    option `option` (a text matched whole, or a compiled pattern) in the radio group named `group`, and close it again
    (Escape), as a visitor does."""
    import re

    def open_list() -> None:
        if button.get_attribute("aria-expanded") != "true":
            button.click()

    pattern = option if isinstance(option, re.Pattern) else re.compile(f"^{re.escape(option)}$")
    _open_and_click(page, open_list, page.get_by_role("radiogroup", name=group).locator("label").filter(has_text=pattern), tries)
    page.keyboard.press("Escape")


REPLICAS = ROOT / "scripts" / "replicas.py"
WARM_LINE = b"pakcoe: caches warmed in"  # scripts/serve.py's line once a server's caches are warm


class Proxied:
    """`make run REPLICAS=N` started by `replicas_proxy`: HAProxy's base URL, its status page, each replica's PID."""

    def __init__(self, url: str, stats: str, pids: dict[str, int], log: Path):
        self.url, self.stats, self.pids, self.log = url, stats, pids, log

    def status(self) -> dict[str, str]:
        """Each replica's state on HAProxy's status page (its CSV): name -> "UP", "DOWN", ..."""
        with urllib.request.urlopen(f"{self.stats};csv", timeout=5) as r:
            rows = r.read().decode().splitlines()
        head = rows[0].lstrip("# ").split(",")
        out = {}
        for row in rows[1:]:
            cells = dict(zip(head, row.split(","), strict=False))
            if cells.get("pxname") == "app" and cells.get("svname") not in ("FRONTEND", "BACKEND"):
                out[cells["svname"]] = cells["status"].split(" ")[0]
        return out

    def stop_replica(self, name: str) -> None:
        """Kill one replica's process group outright (as a crash would)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pids[name], signal.SIGKILL)


@contextlib.contextmanager
def replicas_proxy(n: int = 2, *, log_path: Path | None = None, timeout: float = 180.0, warm: bool = True) -> Iterator[Proxied]:
    """N app processes behind HAProxy, started as `make run REPLICAS=N` does (scripts/replicas.py) on free ports, with a
    cookie secret of its own (nothing written in the checkout). Yields once HAProxy answers `/_stcore/health` (and,
    with `warm`, every replica said its caches are warm); stopped (TERM to the launcher, which stops its process
    groups) on exit."""
    port, stats_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k != "PAKCOE_RELEASES"}
    env["PAKCOE_COOKIE_SECRET"] = os.urandom(32).hex()
    with tempfile.TemporaryDirectory(prefix="pakcoe-proxy-") as tmp:
        log_file = log_path or Path(tmp) / "replicas.log"
        cmd = [sys.executable, str(REPLICAS), "--replicas", str(n), "--port", str(port), "--bind", "127.0.0.1"]
        cmd += ["--stats-port", str(stats_port), "--config", str(Path(tmp) / "haproxy.cfg")]
        with open(log_file, "w+b") as log:
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            pids: dict[str, int] = {}
            try:
                url = f"http://localhost:{port}"
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline and proc.poll() is None:
                    text = log_file.read_bytes()
                    ok = b"HAProxy pid" in text and (not warm or text.count(WARM_LINE) >= n)
                    if ok:
                        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                            if r.read().decode().strip() == "ok":
                                break
                    time.sleep(0.2)
                else:
                    raise ServerError(f"replicas behind HAProxy not ready (exit code {proc.poll()}); output:\n{log_file.read_text(errors='replace')[-4000:]}")
                for line in log_file.read_text(errors="replace").splitlines():
                    if line.startswith("replicas: app") and " pid " in line:
                        name, pid = line.split()[1], int(line.split(" pid ")[1].split()[0])
                        pids[name] = pid
                yield Proxied(url, f"http://127.0.0.1:{stats_port}/", pids, log_file)
            finally:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    for pid in [proc.pid, *pids.values()]:
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(pid, signal.SIGKILL)
                    proc.wait(5)
