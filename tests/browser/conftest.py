"""Real-browser harness: Debian Chromium, real Streamlit servers on free ports, readiness and console checks."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# The floor of the page list: the tests cover every page the running app's navigation lists, and at least these.
EXPECTED_PAGES = {"Overview": "", "Data": "data"}  # title -> url path
NAV_LINKS = "[data-testid=stTopNavLink], [data-testid=stSidebarNavLink]"
READY_JS = """() => { const a = document.querySelector('[data-testid=stApp]');
  return !!a && a.dataset.testScriptState === 'notRunning' && a.dataset.testConnectionState === 'CONNECTED'; }"""
# Streamlit's client asks for these under the page's own path first and gets a 404 (not a defect of this app).
PAGE_PREFIXED_STCORE = re.compile(r"^/.+/_stcore/(health|host-config)$")
expect.set_options(timeout=15_000)  # a loaded machine; a real failure still fails, only later


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """The Debian Chromium, headless and quiet: pytest-playwright never looks for (or downloads) its own browser."""
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": [*args, "--disable-component-update", "--disable-sync"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(releases: Path | None = None, timeout: float = 60.0, log_path: Path | None = None) -> Iterator[str]:
    """Run `scripts/serve.py` on a free port (with $PAKCOE_RELEASES = releases if given); yield its base URL.

    log_path: where the server's output goes (read it while the server runs); a temporary file if not given."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PAKCOE_RELEASES"}
    if releases is not None:
        env["PAKCOE_RELEASES"] = str(releases)
    cmd = [sys.executable, "scripts/serve.py", "--server.port", str(port), "--server.headless", "true"]
    with open(log_path, "w+b") if log_path else tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = f"http://localhost:{port}"
            _wait_healthy(url, proc, log, timeout)
            yield url
        finally:
            _stop(proc)


def _wait_healthy(url: str, proc: subprocess.Popen, log, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            if r.read().decode().strip() == "ok":
                return
        time.sleep(0.2)
    log.seek(0)
    pytest.fail(f"Streamlit server {url} not healthy (exit code {proc.poll()}); its output:\n{log.read().decode(errors='replace')}")


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


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """One server for the session, on the real data/releases; yields its base URL."""
    with streamlit_server() as url:
        yield url


@pytest.fixture
def start_server() -> Iterator[Callable[..., str]]:
    """Factory for a test's own fresh server: start_server(releases=None, log_path=None) -> base URL; all stopped
    after the test. log_path: a file that receives the server's output while it runs."""
    with contextlib.ExitStack() as stack:
        yield lambda releases=None, log_path=None: stack.enter_context(streamlit_server(releases, log_path=log_path))


def wait_ready(page: Page, timeout: float = 30_000, settle_ms: int = 400) -> None:
    """Wait until the app is connected and no script runs, and stays so for a short settle (a rerun may follow)."""
    for _ in range(20):
        page.wait_for_function(READY_JS, timeout=timeout)
        page.wait_for_timeout(settle_ms)
        if page.evaluate(READY_JS):
            return
    raise AssertionError("the app kept rerunning and never settled")


@pytest.fixture
def ready() -> Callable[..., None]:
    """wait_ready, for the tests."""
    return wait_ready


class ConsoleLog:
    """Console errors, uncaught page errors, failed requests and HTTP error responses seen by one page."""

    def __init__(self, page: Page):
        self.errors: list[tuple[str, str]] = []  # (text, resource url from the message's location)
        self.failed: list[tuple[str, str]] = []  # (url, failure)
        self.responses: list[tuple[int, str]] = []  # (status >= 400, url)
        page.on("console", lambda m: m.type == "error" and self.errors.append((m.text, m.location.get("url", ""))))
        page.on("pageerror", lambda e: self.errors.append((f"uncaught {e.name}: {e.message}", "")))
        page.on("requestfailed", lambda r: self.failed.append((r.url, r.failure or "")))
        page.on("response", lambda r: r.status >= 400 and self.responses.append((r.status, r.url)))

    def _allowed_failure(self, url: str) -> bool:
        return is_map_tile(url) and any(u == url for u, _ in self.failed)

    def _allowed_response(self, status: int, url: str) -> bool:
        return (status == 404 and bool(PAGE_PREFIXED_STCORE.match(urlsplit(url).path))) or (is_map_tile(url) and status >= 400)

    def defects(self) -> list[str]:
        """Everything seen that is not on the short list of allowed noise."""
        out = [f"request failed: {u} ({f})" for u, f in self.failed if not self._allowed_failure(u)]
        out += [f"HTTP {s}: {u}" for s, u in self.responses if not self._allowed_response(s, u)]
        for text, url in self.errors:
            # A failed load logs a generic message; its location names the resource: allow it only when that
            # resource is one of the allowed failures or responses recorded above.
            generic = text.startswith("Failed to load resource")
            if generic and url and (self._allowed_failure(url) or any(u == url and self._allowed_response(s, u) for s, u in self.responses)):
                continue
            out.append(f"console error: {text} [{url}]")
        return out


def is_map_tile(url: str) -> bool:
    """A map tile from an outside tile server (there is no internet here): tile.openstreetmap.org, .../tile/..."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return host not in ("localhost", "127.0.0.1") and ("tile" in host or "/tile" in parts.path)


@pytest.fixture
def console(page: Page) -> ConsoleLog:
    """The console collector of the test's page."""
    return ConsoleLog(page)


@pytest.fixture
def visit(context: BrowserContext) -> Callable[[str], tuple[Page, ConsoleLog]]:
    """visit(url) -> (page, console log): a new tab (the previous one closed), loaded and ready."""
    opened: list[Page] = []

    def _visit(url: str) -> tuple[Page, ConsoleLog]:
        while opened:
            opened.pop().close()
        page = context.new_page()
        opened.append(page)
        log = ConsoleLog(page)
        page.goto(url)
        wait_ready(page)
        return page, log

    return _visit


@pytest.fixture(scope="session")
def nav_pages(app_server: str, browser: Browser) -> dict[str, str]:
    """Title -> url path of every page the running app's navigation lists (top or sidebar navigation)."""
    page = browser.new_page()
    try:
        page.goto(app_server + "/")
        wait_ready(page)
        found = {}
        for link in page.locator(NAV_LINKS).all():  # links the top nav folds into its overflow menu stay in the DOM
            label = link.locator("span[label]")
            title = label.first.get_attribute("label") if label.count() else (link.text_content() or "").strip()
            found[title] = urlsplit(link.get_attribute("href")).path.strip("/")
    finally:
        page.close()
    return found


@pytest.fixture(scope="session")
def expected_pages() -> dict[str, str]:
    """Title -> url path of the pages the app must have (a floor: the navigation may list more)."""
    return dict(EXPECTED_PAGES)


@pytest.fixture(scope="session")
def site_pages(nav_pages: dict[str, str], expected_pages: dict[str, str]) -> dict[str, str]:
    """The pages to test: what the navigation lists, and the expected ones even if it does not list them."""
    return {**expected_pages, **nav_pages}
