"""Every page in real Chromium against a real server: frame, console, axe-core, deep links, bad and broken releases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browserhelp import (
    PAGE_FAILED,
    assert_frame,
    choose_release,
    expect_release,
    heading,
    page_not_found_seen,
    release_box,
    release_option,
    shown_release,
    watch_page_not_found,
)
from playwright.sync_api import Locator, Page, expect
from releasekit import ROOT, copy_release  # tests/ is put on sys.path by tests/conftest.py

from pakcoe import list_releases, newest_valid, registry, validate_release

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# axe-core findings not failed, only for markup Streamlit itself renders (never this project's):
# (rule id, fragment of the offending node's HTML) -> why. Keep it short and give each a verified reason.
AXE_EXCLUDED: dict[tuple[str, str], str] = {}


def serious_axe_violations(page: Page, within: Locator | None = None) -> list[str]:
    """axe-core on the page (or only `within`): every serious or critical finding not excluded above, one line per node."""
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run `make assets`"
    for frame in reversed(page.frames):  # axe in every frame first: the top run then takes the iframes (the map) in
        frame.add_script_tag(path=str(AXE_JS))
    result = within.evaluate_all("els => axe.run({include: els})") if within else page.evaluate("axe.run()")
    out = []
    for v in result["violations"]:
        if v["impact"] not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            if not any(rule == v["id"] and frag in node["html"] for rule, frag in AXE_EXCLUDED):
                out.append(f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}: {node['html'][:200]}")
    return out


# Headings in document order: one h1, and no heading more than one level below the one before it (Lighthouse's and
# axe's heading-order: a screen reader's list of headings has no gaps). Were: Phases h1 then h3, Funding's decision
# cards h5 between h2 and h3, Present's cards h3 under the stop's h1, Data's changelog a second h1.
HEADINGS_JS = """() => { const out = []; let prev = 0, ones = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = +h.tagName[1]; if (level === 1) ones++;
    if (level > prev + 1) out.push(h.tagName + ' after ' + (prev ? 'H' + prev : 'the start') + ': ' + h.textContent.trim().slice(0, 60));
    prev = level; }
  if (ones !== 1) out.push(ones + ' h1 headings'); return out; }"""


def heading_problems(page: Page) -> list[str]:
    return page.evaluate(HEADINGS_JS)


def table_rows(where: Locator) -> list[dict[str, str]]:
    """The rows of a st.dataframe as dicts; its grid draws on a canvas and keeps the cells in an accessible table."""
    expect(where.get_by_role("gridcell", include_hidden=True).first).to_be_attached()
    head = where.get_by_role("columnheader", include_hidden=True).all_text_contents()
    rows = where.get_by_role("row", include_hidden=True).all()
    return [dict(zip(head, r.get_by_role("gridcell", include_hidden=True).all_text_contents())) for r in rows[1:]]


def repeated_table_names(page: Page) -> list[str]:
    """Names shared by more than one of the page's HTML tables (each is a named region a screen reader lists: one
    name for two tables leaves them apart only by their order)."""
    names = page.locator(".pak-table[role=region]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    return sorted({n for n in names if names.count(n) > 1})


def test_navigation_lists_every_expected_page(nav_pages, expected_pages):
    missing = {t: p for t, p in expected_pages.items() if nav_pages.get(t) != p}
    assert not missing, f"expected pages missing from the navigation: {missing}; the navigation lists {nav_pages}"


def test_every_page_opens_with_the_frame_a_clean_console_and_no_serious_accessibility_violation(visit, app_server, site_pages, subtests):
    for title, path in site_pages.items():
        with subtests.test(page=title):
            page, log = visit(f"{app_server}/{path}")
            expect(page.get_by_role("heading", level=1).first).to_be_visible()
            shown = registry.by_url_path(path)
            assert_frame(page, projector=shown is not None and shown.projector)
            defects = log.defects()  # before axe-core runs in the page
            assert heading_problems(page) == [], f"page {title!r} (/{path})"
            assert repeated_table_names(page) == [], f"page {title!r} (/{path})"
            found = serious_axe_violations(page)
            assert defects == [], f"page {title!r} (/{path})"
            assert not found, f"axe-core on {title!r} (/{path}):\n" + "\n".join(found)


def test_every_page_in_urdu_opens_right_to_left_with_a_clean_console_and_no_serious_accessibility_violation(visit, app_server, site_pages, subtests):
    """The same checks in Urdu (?lang=ur): <html lang="ur" dir="rtl">, the frame's banner in Urdu, and axe-core's
    serious and critical findings (contrast of the Nastaliq text, names of the mirrored controls, the page's language)."""
    for title, path in site_pages.items():
        with subtests.test(page=title):
            page, log = visit(f"{app_server}/{path}?lang=ur")
            expect(page.get_by_role("heading", level=1).first).to_be_visible()
            page.wait_for_function("() => document.documentElement.lang === 'ur' && document.documentElement.dir === 'rtl'")
            shown = registry.by_url_path(path)
            if shown is None or not shown.projector:
                expect(page.locator("[data-testid=stAlert]").filter(has_text="تصوراتی تجویز، منظور شدہ نہیں").first).to_be_visible()
            expect(page.locator("[data-testid=stException]")).to_have_count(0)
            expect(page.get_by_text(PAGE_FAILED)).to_have_count(0)
            defects = log.defects()  # before axe-core runs in the page
            assert heading_problems(page) == [], f"page {title!r} (/{path}?lang=ur)"
            assert repeated_table_names(page) == [], f"page {title!r} (/{path}?lang=ur)"
            found = serious_axe_violations(page)
            assert defects == [], f"page {title!r} (/{path}?lang=ur)"
            assert not found, f"axe-core on {title!r} (/{path}?lang=ur):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("link", "title"),
    [pytest.param("/data?release=1.0.0", "Data", id="data"), pytest.param("/?release=1.0.0", "Pak AI CoE", id="overview")],
)
def test_a_deep_link_as_the_first_request_after_a_start_shows_its_page_in_the_frame(start_server, pinned_root, page: Page, console, ready, link, title):
    watch_page_not_found(page)
    page.goto(start_server(pinned_root) + link)
    ready(page)
    expect(heading(page, title)).to_be_visible()
    assert_frame(page)
    expect_release(page, "1.0.0")
    assert not page_not_found_seen(page), "'Page not found' was shown"
    assert console.defects() == []


def test_unknown_release_in_the_url_gives_a_notice_and_the_newest_release(app_server, page: Page, console, ready):
    newest = newest_valid([validate_release(p) for p in list_releases(ROOT / "data" / "releases")]).version
    page.goto(app_server + "/?release=9.9.9")
    ready(page)
    notice = page.locator("[data-testid=stAlert]").filter(has_text="9.9.9")
    expect(notice).to_be_visible()
    expect_release(page, newest)
    assert_frame(page)
    assert console.defects() == []
    found = serious_axe_violations(page, within=notice.or_(page.get_by_test_id("stSidebar")))
    assert not found, "axe-core on the notice and the sidebar:\n" + "\n".join(found)


def test_broken_release_is_listed_and_the_last_good_one_served(tmp_path: Path, start_server, page: Page, console, ready):
    root = tmp_path / "releases"
    root.mkdir()
    copy_release(root, "1.0.0")
    line = copy_release(root, "1.1.0").edit_cell("hubs.csv", "hub_id", "karachi-1", "lat", "abc")
    page.goto(start_server(root) + "/")
    ready(page)
    panel = page.locator("[data-testid=stExpander]").filter(has_text="failed validation")
    expect(panel).to_have_count(1)
    expect(panel).to_contain_text("1.1.0")
    panel.locator("summary").click()
    problems = table_rows(panel)
    assert any(p.get("file") == "hubs.csv" and p.get("row") == str(line) for p in problems), problems
    expect_release(page, "1.0.0")
    assert_frame(page)
    assert console.defects() == []
    found = serious_axe_violations(page, within=panel.or_(page.get_by_test_id("stSidebar")))
    assert not found, "axe-core on the open broken-release panel and the sidebar:\n" + "\n".join(found)


def test_page_switch_keeps_the_frame(app_server, page: Page, console, ready):
    page.goto(app_server + "/data")
    ready(page)
    chosen = shown_release(page)
    page.get_by_role("link", name="Overview", exact=True).click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/(\?.*)?$"))
    ready(page)
    expect(heading(page, "Pak AI CoE")).to_be_visible()
    assert_frame(page)
    expect_release(page, chosen)
    assert console.defects() == []


def test_chosen_release_survives_a_page_switch(pinned_server, page: Page, console, ready):
    page.goto(pinned_server + "/data")
    ready(page)
    expect_release(page, "1.1.0")
    choose_release(page, "1.0.0")
    page.wait_for_url(re.compile(r"/data\?release=1\.0\.0$"))
    ready(page)
    page.get_by_role("link", name="Overview", exact=True).click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/\?release=1\.0\.0$"))
    ready(page)
    expect(heading(page, "Pak AI CoE")).to_be_visible()
    expect_release(page, "1.0.0")
    assert_frame(page)
    assert console.defects() == []


def test_console_check_allows_only_the_known_noise(app_server, page: Page, console, ready):
    page.goto(app_server + "/")
    ready(page)
    page.evaluate("""async () => {
      const img = src => new Promise(done => { const i = new Image(); i.onload = i.onerror = done; i.src = src; });
      await img('https://tile.openstreetmap.org/1/1/1.png');   // allowed: a map tile, no internet here
      await fetch('/data/_stcore/host-config');                 // allowed: Streamlit's page-prefixed 404
      await img('/media/no-such-image.png');                    // a defect: a 404 of the app's own
    }""")
    found = console.defects()
    assert any("no-such-image.png" in d for d in found), found
    assert not any("tile.openstreetmap" in d or "_stcore" in d for d in found), found


def test_a_draft_release_is_reachable_only_through_its_link_and_says_so(tmp_path: Path, start_server, page: Page, console, ready):
    root = tmp_path / "releases"
    root.mkdir()
    copy_release(root, "1.0.0")
    copy_release(root, "1.1.0", ROOT / "data" / "releases" / "1.1.0", draft=True)
    base = start_server(root)
    watch_page_not_found(page)
    draft_notice = page.locator("[data-testid=stAlert]").filter(has_text="Draft release 1.1.0")
    page.goto(base + "/data?release=1.1.0")  # the link, as the first request after a start
    ready(page)
    expect(heading(page, "Data")).to_be_visible()
    expect_release(page, "1.1.0")
    expect(draft_notice).to_have_count(1)
    expect(draft_notice).to_contain_text("not published")
    expect(draft_notice).to_contain_text("may still change")
    assert_frame(page)
    found = serious_axe_violations(page, within=draft_notice.or_(page.get_by_test_id("stSidebar")))
    assert not found, "axe-core on the draft notice and the sidebar:\n" + "\n".join(found)
    page.get_by_role("link", name="Overview", exact=True).click()  # another page keeps the draft and its notice
    page.wait_for_url(re.compile(r"^https?://[^/]+/\?release=1\.1\.0$"))
    ready(page)
    expect(heading(page, "Pak AI CoE")).to_be_visible()
    expect_release(page, "1.1.0")
    expect(draft_notice).to_have_count(1)
    choose_release(page, "1.0.0")  # back to the published release: the notice goes
    ready(page)
    expect_release(page, "1.0.0")
    expect(draft_notice).to_have_count(0)
    page.goto(base + "/")  # without the link: the published release, and no way to pick the draft
    ready(page)
    expect_release(page, "1.0.0")
    expect(page.locator("[data-testid=stAlert]").filter(has_text="Draft release")).to_have_count(0)
    release_box(page).click()
    expect(page.get_by_role("radiogroup", name="Data release").get_by_role("radio", name=release_option("1.0.0"))).to_have_count(1)
    expect(page.get_by_role("radiogroup", name="Data release").get_by_role("radio", name=release_option("1.1.0"))).to_have_count(0)
    page.keyboard.press("Escape")
    assert not page_not_found_seen(page), "'Page not found' was shown"
    assert console.defects() == []
