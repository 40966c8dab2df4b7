"""What the browser tests check on a page: the shared frame, headings, the release selector, "Page not found", the console.

A module of its own (not conftest.py), like tests/apptest/apphelp.py: tests import it by name.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from harness import choose_listed
from playwright.sync_api import Browser, Locator, Page, Request, expect

from components import frame
from pakcoe import i18n

BANNER = "Concept proposal"
# What app.py shows in place of a page whose code raised (the page's heading may be drawn above it), in either language.
_FAILED = "This page could not be drawn. The problem has been logged; other pages still work."
PAGE_FAILED = re.compile("|".join(re.escape(i18n.tl(_FAILED, lang)) for lang in ("en", "ur")))
SELECTOR = "Data release"
# Set by an init script if "Page not found" appears at any moment, even in a notice that goes away again.
WATCH_NOT_FOUND = """window.__pageNotFound = false;
new MutationObserver(() => { if (document.body && document.body.textContent.includes('Page not found')) window.__pageNotFound = true; })
  .observe(document, {subtree: true, childList: true, characterData: true});"""
# Streamlit's client asks for these under the page's own path first and gets a 404 (not a defect of this app).
PAGE_PREFIXED_STCORE = re.compile(r"^/.+/_stcore/(health|host-config)$")


def release_box(page: Page) -> Locator:
    """The sidebar's release picker: a button named after the release shown ("Data release 1.2.0") that opens the list."""
    return page.locator(f".st-key-{frame.PICKER_KEY}").get_by_role("button")


def expect_release(page: Page, version: str) -> None:
    """The release picker names `version` (its name, not its text: the button's icons are ligatures in its text)."""
    expect(release_box(page)).to_have_accessible_name(f"{SELECTOR} {version}")


def shown_release(page: Page) -> str:
    """The release the picker names."""
    name = release_box(page).locator("p").inner_text().strip()
    assert name.startswith(SELECTOR + " "), name
    return name.removeprefix(SELECTOR + " ")


def release_option(version: str) -> re.Pattern[str]:
    """A release's entry in the picker's list: the version, perhaps marked (" · newest", " · draft")."""
    return re.compile(rf"^{re.escape(version)}( · .*)?$")


def choose_release(page: Page, version: str) -> None:
    """Pick `version` in the release picker as a visitor does: open the list, click it, close the list."""
    choose_listed(page, release_box(page), SELECTOR, release_option(version))


def heading(page: Page, text: str) -> Locator:
    return page.get_by_role("heading", level=1, name=text, exact=True)


def assert_frame(page: Page, projector: bool = False) -> None:
    """The shared frame is there (banner, release selector) and Streamlit shows no exception.

    projector: a page made for a projector (Present) has its slim status line instead, and no visible sidebar."""
    if projector:
        expect(page.locator(".st-key-present-status")).to_contain_text(BANNER)
        expect(release_box(page)).to_be_hidden()
    else:
        expect(page.locator("[data-testid=stAlert]").filter(has_text=BANNER)).to_be_visible()
        expect(release_box(page)).to_be_visible()
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    expect(page.get_by_text(PAGE_FAILED)).to_have_count(0)


def watch_page_not_found(page: Page) -> None:
    """From the page's next navigation on, remember whether "Page not found" was ever shown (page_not_found_seen)."""
    page.add_init_script(WATCH_NOT_FOUND)


def page_not_found_seen(page: Page) -> bool:
    return bool(page.evaluate("window.__pageNotFound"))


def is_map_tile(url: str) -> bool:
    """A map tile from an outside tile server (there is no internet here): tile.openstreetmap.org, .../tile/..."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return host not in ("localhost", "127.0.0.1") and ("tile" in host or "/tile" in parts.path)


def is_app_media(url: str) -> bool:
    """A file the app's server holds for a session (a download, an image): /media/<hash>.<ext> on this machine."""
    parts = urlsplit(url)
    return parts.hostname in ("localhost", "127.0.0.1") and parts.path.startswith("/media/")


class ConsoleLog:
    """Console errors, uncaught page errors, failed requests and HTTP error responses seen by one page."""

    def __init__(self, page: Page):
        self.errors: list[tuple[str, str]] = []  # (text, resource url from the message's location)
        self.failed: list[tuple[str, str]] = []  # (url, failure)
        self.responses: list[tuple[int, str]] = []  # (status >= 400, url)
        self.in_flight: set[Request] = set()  # requests of the page and its frames not yet finished or failed
        page.on("request", lambda r: self.in_flight.add(r))
        page.on("requestfinished", lambda r: self.in_flight.discard(r))
        page.on("requestfailed", lambda r: self.in_flight.discard(r))
        page.on("console", lambda m: m.type == "error" and self.errors.append((m.text, m.location.get("url", ""))))
        page.on("pageerror", lambda e: self.errors.append((f"uncaught {e.name}: {e.message}", "")))
        page.on("requestfailed", lambda r: self.failed.append((r.url, r.failure or "")))
        page.on("response", lambda r: r.status >= 400 and self.responses.append((r.status, r.url)))

    def wait_quiet(self, page: Page, timeout_ms: int = 30_000, settle_ms: int = 500) -> None:
        """Wait until no request of the page or of its frames (a map frame's icons, say) has been under way for
        `settle_ms`, so that leaving the page does not abort one of its own requests (the browser would report it as
        failed, net::ERR_ABORTED). A single moment with none under way was not enough: a map frame asks for its controls'
        icons a moment after its scripts have arrived (CI once left the Hub map in that gap)."""
        deadline = time.monotonic() + timeout_ms / 1000
        quiet_since = None
        while quiet_since is None or time.monotonic() - quiet_since < settle_ms / 1000:
            assert time.monotonic() < deadline, f"requests still under way after {timeout_ms} ms: {[r.url for r in self.in_flight]}"
            if self.in_flight:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            page.wait_for_timeout(50)

    def _allowed_failure(self, url: str) -> bool:
        """A map tile (no internet here), or a media file of the app whose fetch the browser itself cancelled: a reload or
        a rerun that replaced the file aborts it (net::ERR_ABORTED), which is not a defect of the page."""
        return any(u == url and (is_map_tile(url) or (f == "net::ERR_ABORTED" and is_app_media(url))) for u, f in self.failed)

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


# The cumulative layout shift of a page from its navigation on (every shift not caused by input): window.__pakCls.
CLS_JS = """(() => { window.__pakCls = 0; new PerformanceObserver((list) => { for (const e of list.getEntries())
  if (!e.hadRecentInput) window.__pakCls += e.value; }).observe({type: 'layout-shift', buffered: true}); })();"""


def first_load(browser: Browser, ready: Callable[..., None], url: str, init_js: str, result_js: str, settle_ms: int):
    """A first load of `url` at 1366x900 in a fresh context watched by `init_js` from the navigation on: the value of
    `result_js` once the page is ready and `settle_ms` later."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(init_js)
    page = context.new_page()
    try:
        page.goto(url)
        ready(page, timeout=60_000)
        page.wait_for_timeout(settle_ms)
        return page.evaluate(result_js)
    finally:
        context.close()


# Counts the app's script runs from now on (window.__pakRuns): each time it goes from not running to running.
_RUNS_JS = """() => {
  window.__pakRuns = 0;
  const app = document.querySelector('[data-testid=stApp]');
  let was = app.dataset.testScriptState;
  new MutationObserver(() => {
    const now = app.dataset.testScriptState;
    if (now === 'running' && was !== 'running') window.__pakRuns += 1;
    was = now;
  }).observe(app, { attributes: true, attributeFilter: ['data-test-script-state'] });
}"""


def download(page: Page, button: Locator, timeout: float = 90_000):
    """Click a download button and return Playwright's download; the click must not rerun the page.

    Every download button of the app passes on_click="ignore": a click that reran the page had its own rerun draw the
    button anew, which revokes the file the click asked for (Streamlit's media file manager, `remove_deferred`), and
    on a loaded machine the request for it lost that race: no file, a five-second error beside the button. A deferred
    file is made on the server when the button is clicked: on a loaded machine that took over 30 s in CI, so the wait
    is longer than Playwright's default. When none arrives, the failure names what the page logged and any error
    Streamlit drew beside the button."""
    seen: list[str] = []

    def log(message) -> None:
        seen.append(f"console {message.type}: {message.text}")

    page.on("console", log)
    page.evaluate(_RUNS_JS)
    try:
        with page.expect_download(timeout=timeout) as info:
            button.click()
    except Exception as e:
        near = button.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]").inner_text(timeout=2_000)
        raise AssertionError(f"no download after the click; beside the button: {near!r}; the page logged: {seen}") from e
    finally:
        page.remove_listener("console", log)  # a page that downloads twice does not log into the first call's list
    assert page.evaluate("() => window.__pakRuns") == 0, "the download button's click reran the page"
    return info.value


def stage_blocks(release, stops, src=None) -> dict[int, list]:
    """What the Present page's stage draws for each stop (its blocks: map, chart, text...), by stop number. The deck's
    tests find their stops by it, not by number. src: the pages' builders to share (made here if None)."""
    from components.stage_content import Builders, blocks
    from pakcoe import registry

    src = src or Builders(release)
    return {stop.number: blocks(release, registry.resolve(release, stop.page, stop.params), src) for stop in stops}
