"""Real-browser fixtures, built on tests/harness.py: Debian Chromium, real Streamlit servers, readiness, console checks.

Servers: `app_server` (one for the session, the checkout's data/releases), `pinned_server` (one per module, a
temporary releases folder holding copies of 1.0.0 and 1.1.0) and `start_server` (a test's own fresh server: for
the first request after a start, or a releases folder the test changes). Every test in this folder is marked
`browser` (`make check` leaves them out).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browserhelp import ConsoleLog
from harness import CHROMIUM, CHROMIUM_ARGS, streamlit_server, wait_ready  # tests/ is put on sys.path by tests/conftest.py
from playwright.sync_api import Browser, BrowserContext, Page, expect
from releasekit import ROOT, copy_release

# The floor of the page list: the tests cover every page the running app's navigation lists, and at least these.
EXPECTED_PAGES = {"Overview": "", "Data": "data"}  # title -> url path
NAV_LINKS = "[data-testid=stTopNavLink], [data-testid=stSidebarNavLink]"
PINNED = ("1.0.0", "1.1.0")  # the releases of pinned_root; the last is its default
expect.set_options(timeout=30_000)  # a loaded machine (CI runs 246 browser tests on 2 cores); a real failure still fails, only later


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of this folder `browser`, so `pytest -m "not browser"` runs all but these."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """The Debian Chromium, headless and quiet: pytest-playwright never looks for (or downloads) its own browser."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: every test opens its server's full address. pytest-playwright 0.10.0's own `base_url` (used when
    pytest-base-url is not installed) is a session fixture written as an instance method, which pytest 9.2 warns is
    deprecated (PytestRemovedIn10Warning) and pytest 10 will refuse; this one takes its place."""
    return None


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """One server for the session, on the real data/releases; yields its base URL."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="session")
def pinned_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Byte-identical published copies of the checkout's releases 1.0.0 and 1.1.0 (1.1.0 the default), made once per
    session and never changed: tests that name their release use it, so a newer release in data/releases changes
    nothing they see, and a server on it warms up faster than on every release."""
    root = tmp_path_factory.mktemp("pinned") / "releases"
    root.mkdir()
    for version in PINNED:
        copy_release(root, version, ROOT / "data" / "releases" / version)
    return root


@pytest.fixture(scope="module")
def pinned_server(pinned_root: Path) -> Iterator[str]:
    """One server per test module on pinned_root, for the tests that only read it; yields its base URL."""
    with streamlit_server(releases=pinned_root) as url:
        yield url


@pytest.fixture
def start_server() -> Iterator[Callable[..., str]]:
    """Factory for a test's own fresh server: start_server(releases=None, log_path=None) -> base URL; all stopped
    after the test. log_path: a file that receives the server's output while it runs."""
    with contextlib.ExitStack() as stack:
        yield lambda releases=None, log_path=None: stack.enter_context(streamlit_server(releases=releases, log_path=log_path))


@pytest.fixture
def ready() -> Callable[..., None]:
    """wait_ready, for the tests."""
    return wait_ready


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
