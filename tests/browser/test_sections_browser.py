"""The "On this page" section picker in real Chromium: a link's section is scrolled to once the page is drawn, and
choosing another section scrolls there and writes the URL."""

from __future__ import annotations

import re

from browserhelp import assert_frame
from harness import choose_listed
from playwright.sync_api import Page, expect
from releasekit import ROOT  # tests/ is put on sys.path by tests/conftest.py

from pakcoe import load_release
from pakcoe.lacks import holds
from pakcoe.registry import SECTION_PARAM, SECTIONS
from pakcoe.release import read_published
from pakcoe.semver import semver_key

PAGE, SECTION, OTHER = "partners", "risks", "governance"
KEY = SECTION_PARAM[PAGE]
WAIT_MS = 20_000  # the page draws progressively; the header must be in place within this

# The whole header is visible below Streamlit's top bar (not hidden under it, not below the fold).
HEADER_SHOWN = """(id) => {
  const header = document.getElementById(id);
  if (!header) return false;
  const bar = document.querySelector("[data-testid=stHeader]");
  const box = header.getBoundingClientRect(), top = bar ? bar.getBoundingClientRect().bottom : 0;
  return box.top >= top - 1 && box.bottom <= window.innerHeight;
}"""


def release_with(table: str) -> str:
    """A published release that has the table (the oldest such: read from the releases, not assumed)."""
    for version in sorted(read_published(ROOT / "data" / "releases"), key=semver_key):
        if holds(load_release(ROOT / "data" / "releases" / version), table):
            return version
    raise AssertionError(f"no published release has the {table} table")


def header_shown(page: Page, section: str) -> bool:
    return bool(page.evaluate(HEADER_SHOWN, section))


def test_a_link_to_a_section_opens_the_page_there(visit, app_server, ready):
    version = release_with("risks")
    page, log = visit(f"{app_server}/{PAGE}?release={version}")
    assert_frame(page)
    expect(page.locator(f"#{SECTION}")).to_be_attached()
    assert not header_shown(page, SECTION)  # without the parameter the page opens at its top, the section far below

    page, log = visit(f"{app_server}/{PAGE}?release={version}&{KEY}={SECTION}")
    page.wait_for_function(HEADER_SHOWN, arg=SECTION, timeout=WAIT_MS)
    expect(page.get_by_role("heading", level=2, name="Risks and who owns them")).to_be_in_viewport()
    page.get_by_role("button", name="On this page").click()  # the list shows the section the link named
    expect(page.get_by_role("radiogroup", name="On this page").get_by_role("radio", name=SECTIONS[PAGE][SECTION], exact=True)).to_be_checked()
    page.keyboard.press("Escape")
    ready(page)
    page.wait_for_timeout(2_000)  # charts above may still settle: the header stays in place
    assert header_shown(page, SECTION)
    assert re.search(rf"[?&]{KEY}={SECTION}(&|$)", page.url)
    assert log.defects() == []


def test_choosing_a_section_scrolls_there_and_writes_the_url(visit, app_server, ready):
    version = release_with("risks")
    page, log = visit(f"{app_server}/{PAGE}?release={version}")
    assert not header_shown(page, OTHER)
    choose_listed(page, page.get_by_role("button", name="On this page"), "On this page", SECTIONS[PAGE][OTHER])
    page.wait_for_url(re.compile(rf"[?&]{KEY}={OTHER}(&|$)"), timeout=WAIT_MS)
    page.wait_for_function(HEADER_SHOWN, arg=OTHER, timeout=WAIT_MS)
    ready(page)
    assert header_shown(page, OTHER)

    choose_listed(page, page.get_by_role("button", name="On this page"), "On this page", SECTIONS[PAGE][SECTION])
    page.wait_for_url(re.compile(rf"[?&]{KEY}={SECTION}(&|$)"), timeout=WAIT_MS)
    page.wait_for_function(HEADER_SHOWN, arg=SECTION, timeout=WAIT_MS)
    assert not header_shown(page, OTHER)
    assert log.defects() == []


def test_a_reader_who_scrolls_before_the_script_runs_is_not_pulled_back(page: Page, app_server, ready):
    """The scroll script's code is held back until the reader has scrolled the freshly opened page: it leaves the page
    where the reader put it (the test above shows it scrolls when the reader has not)."""
    version = release_with("risks")
    held = []
    page.route("**/static/js/Html.*.js", lambda route: held.append(route))
    page.goto(f"{app_server}/{PAGE}?release={version}&{KEY}={SECTION}")
    expect(page.locator(f"#{SECTION}")).to_be_attached()
    assert held, "the page did not ask for the script's code"
    page.locator("[data-testid=stMain]").hover()
    page.mouse.wheel(0, 400)
    page.wait_for_function("() => document.querySelector('[data-testid=stMain]').scrollTop > 0")
    for route in held:
        route.continue_()
    expect(page.locator("[data-testid=stSidebar] [data-testid=stHtml]")).to_have_count(
        3
    )  # the page-language script, the scroll script and the reconnection watch (components/uploadmark.py)
    ready(page)
    page.wait_for_timeout(1_500)  # time enough for a wrong scroll: the script polls every 0.1 s
    assert not header_shown(page, SECTION)
    assert re.search(rf"[?&]{KEY}={SECTION}(&|$)", page.url)  # the link's section is still the picker's
