"""Funding and Partners pages in real Chromium: Sankey nodes and RACI cells drawn, track switch, deep links, clean console."""

from __future__ import annotations

import re

from browserhelp import assert_frame, expect_release, heading, page_not_found_seen, watch_page_not_found
from playwright.sync_api import Page, expect
from releasekit import ROOT  # tests/ is put on sys.path by tests/conftest.py

from pakcoe import load_release
from pakcoe.funding import sankey_flows
from pakcoe.model import run_model, scenario_from_option

SANKEY_NODES = "[data-testid=stPlotlyChart] .sankey-node"
# The release whose nodes and cells these tests count: named in each link, so a newer release changes nothing they check.
RELEASE = "1.1.0"


def raci_cells(page: Page, track: str):
    """The letters Plotly draws in the RACI heatmap's cells for a track."""
    return page.locator(f".st-key-chart-raci-{track} g.heatmap-label")


def expected_nodes(option: str, release: str = RELEASE) -> int:
    r = load_release(ROOT / "data" / "releases" / release)
    return len(sankey_flows(r, run_model(r, scenario_from_option(r, option)).funding).labels)


def test_funding_page_draws_the_sankey_and_the_branches(visit, app_server):
    page, log = visit(f"{app_server}/funding?release={RELEASE}")
    expect(heading(page, "Funding")).to_be_visible()
    assert_frame(page)
    expect(page.locator(SANKEY_NODES)).to_have_count(expected_nodes("public-on-time"))
    expect(page.locator(SANKEY_NODES).first).to_be_visible()
    expect(page.locator(SANKEY_NODES).filter(has_text="Public adoption track")).to_have_count(1)
    for decision in ("on_time", "delayed", "not_approved"):
        bars = page.locator(f".st-key-chart-branch-chart-{decision} .barlayer .point")
        expect(bars.filter(visible=True).first).to_be_visible()
    expect(page.locator(".st-key-chart-funding-mix .barlayer .point").first).to_be_visible()
    expect(page.locator(".st-key-funding-flow-narrow")).to_be_hidden()  # the phone's lists of flows: not on a wide screen
    assert log.defects() == []


def test_funding_on_a_phone_lists_the_flows_and_fits_the_screen(browser, app_server, ready):
    """At 390×844 the Sankey's labels would pile on each other: the same flows show as lists, the page never scrolls
    sideways, and the yearly charts' legends show whole inside their charts."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{app_server}/funding?release={RELEASE}")
        ready(page)
        narrow = page.locator(".st-key-funding-flow-narrow")
        expect(narrow).to_be_visible()
        expect(page.locator(".st-key-funding-flow-wide")).to_be_hidden()
        r = load_release(ROOT / "data" / "releases" / RELEASE)
        for text in ("Who pays", "Through which track", "For what", *r.table("funding_sources")["name"]):
            expect(narrow).to_contain_text(text)
        page.locator(".st-key-chart-funding-mix").scroll_into_view_if_needed()
        expect(page.locator(".st-key-chart-funding-mix .barlayer .point").first).to_be_visible()
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.querySelector('[data-testid=stMain]').scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[2] and widths[1] <= widths[2], widths
        # the key figures two to a row (one to a row, the four took most of the first screen), each whole on the screen
        boxes = page.evaluate(
            "() => [...document.querySelectorAll('.st-key-funding-figures [data-testid=stColumn]')].map(c => c.getBoundingClientRect()).map(b => [b.left, b.right, b.top])"
        )
        assert len(boxes) >= 2 and len({round(b[2]) for b in boxes}) == (len(boxes) + 1) // 2, boxes
        assert all(b[0] >= 0 and b[1] <= widths[2] for b in boxes), boxes
        for key in ("funding-mix", "branch-chart-on_time"):
            box = page.evaluate(
                f"""() => {{ const c = document.querySelector('.st-key-chart-{key} .js-plotly-plot').getBoundingClientRect();
                const l = document.querySelector('.st-key-chart-{key} .legend').getBoundingClientRect();
                return [c.left, c.right, l.left, l.right]; }}"""
            )
            assert box[0] - 1 <= box[2] and box[3] <= box[1] + 1, (key, box)  # the legend inside the chart, not cut
        assert (
            page.locator(".st-key-chart-funding-mix .legend .scrollbar").count() == 0
            or not page.locator(".st-key-chart-funding-mix .legend .scrollbar").first.is_visible()
        )  # the whole legend shows, never a scrolled part
    finally:
        context.close()


def test_currency_switch_redraws_in_usd_and_writes_the_url(visit, app_server, ready):
    page, log = visit(f"{app_server}/funding")
    page.get_by_role("radio", name="USD", exact=True).click()
    page.wait_for_url(re.compile(r"fund_currency=USD"))
    ready(page)
    expect(page.locator(SANKEY_NODES).filter(has_text="USD").first).to_be_visible()
    expect(page.locator(SANKEY_NODES).filter(has_text="PKR")).to_have_count(0)
    assert log.defects() == []


def test_partners_page_draws_the_raci_cells_and_switches_track(visit, app_server, ready):
    page, log = visit(f"{app_server}/partners?release={RELEASE}")
    expect(heading(page, "Partners & roles")).to_be_visible()
    assert_frame(page)
    cells = raci_cells(page, "public")
    expect(cells).to_have_count(64)
    expect(cells.first).to_be_visible()
    public = cells.all_text_contents()
    assert set(public) == set("RACI")
    page.get_by_role("radio", name="Private track", exact=True).click()
    page.wait_for_url(re.compile(r"raci_track=private"))
    ready(page)
    expect(raci_cells(page, "private")).to_have_count(64)
    assert raci_cells(page, "private").all_text_contents() != public
    expect(page.locator(".st-key-chart-programmes .barlayer .point").first).to_be_visible()
    expect(page.get_by_text("No accreditation exists today.")).to_be_visible()
    assert log.defects() == []


def test_deep_links_as_first_requests_after_a_start(start_server, pinned_root, page: Page, console, ready):
    watch_page_not_found(page)
    base = start_server(pinned_root)
    page.goto(base + "/funding?release=1.0.0&fund_option=private-only&fund_phase=2&fund_currency=USD")
    ready(page)
    expect(heading(page, "Funding")).to_be_visible()
    assert_frame(page)
    expect_release(page, "1.0.0")
    expect(page.locator(SANKEY_NODES).first).to_be_visible()
    expect(page.locator(SANKEY_NODES).filter(has_text="Federal")).to_have_count(0)
    expect(page.locator(SANKEY_NODES).filter(has_text="Private track")).to_have_count(1)
    expect(page.locator(SANKEY_NODES).filter(has_text="USD").first).to_be_visible()
    assert not page_not_found_seen(page), "'Page not found' was shown"
    page.goto(base + f"/partners?raci_track=private&release={RELEASE}")
    ready(page)
    expect(heading(page, "Partners & roles")).to_be_visible()
    expect(raci_cells(page, "private")).to_have_count(64)
    assert not page_not_found_seen(page), "'Page not found' was shown"
    assert console.defects() == []


# Partners & roles at a phone's size and at two desktop sizes: the RACI letters readable without overlapping headers.
RACI_NARROW, RACI_WIDE = ".st-key-raci-narrow", ".st-key-raci-wide"
# The visible text of the elements matching a selector, one box per line of text, with its text node and font size.
TEXT_BOXES = """(selector) => {
  const out = [], range = document.createRange();
  let n = 0;
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el.checkVisibility({visibilityProperty: true})) continue;
      range.selectNodeContents(node);
      n += 1;
      const size = parseFloat(getComputedStyle(el).fontSize);
      for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1)
        out.push({node: n, text: node.textContent.trim().slice(0, 30), x: r.left, y: r.top, w: r.width, h: r.height, size});
    }
  }
  return out;
}"""


def drawn_over(boxes: list[dict]) -> list[str]:
    """Pairs of boxes of different text nodes that share more than one pixel in both directions."""
    return [
        f"{a['text']!r} over {b['text']!r}"
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["node"] != b["node"]
        and min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 1
        and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > 1
    ]


def test_partners_on_a_phone_fits_and_lists_the_raci_letters_per_activity(app_server, browser, ready):
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page.goto(f"{app_server}/partners?release={RELEASE}")
        ready(page)
        narrow = page.locator(RACI_NARROW)
        expect(narrow).to_be_visible()
        expect(page.locator(RACI_WIDE)).to_be_hidden()  # eight column headers cannot sit side by side at this width
        activities = load_release(ROOT / "data" / "releases" / RELEASE).table("activities")["name"]
        for name in activities:
            expect(narrow.get_by_text(name, exact=True)).to_be_visible()
        expect(narrow.get_by_text("Accountable:", exact=True)).to_have_count(len(activities))
        boxes = page.evaluate(TEXT_BOXES, RACI_NARROW)
        assert len(boxes) > 2 * len(activities)
        assert drawn_over(boxes) == []
        assert min(b["size"] for b in boxes) >= 12
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, innerWidth, (m => m.scrollWidth - m.clientWidth)(document.querySelector('[data-testid=stMain]'))]"
        )
        assert widths[0] <= widths[1] and widths[2] <= 1, f"the page scrolls sideways: {widths}"
    finally:
        page.close()


def test_raci_headers_do_not_overlap_on_desktop_screens(app_server, browser, ready):
    for width, height in ((1280, 720), (1366, 900)):
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            page.goto(f"{app_server}/partners?release={RELEASE}")
            ready(page)
            expect(raci_cells(page, "public").first).to_be_visible()
            expect(page.locator(RACI_NARROW)).to_be_hidden()
            headers = page.evaluate(TEXT_BOXES, ".st-key-chart-raci-public .xtick text")
            assert len({b["text"] for b in headers}) >= 8, headers  # every partner category has its header
            assert drawn_over(headers) == [], f"at {width}×{height}"
            assert min(b["size"] for b in headers) >= 12
        finally:
            page.close()


# The same pages in Urdu (?lang=ur): the same nodes, cells and bars, Urdu labels, and nothing cut or scrolling sideways.
URDU = re.compile(r"[\u0600-\u06FF]")


def test_funding_in_urdu_draws_the_same_sankey_with_urdu_labels(visit, app_server):
    page, log = visit(f"{app_server}/funding?release={RELEASE}&lang=ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(SANKEY_NODES)).to_have_count(expected_nodes("public-on-time"))
    labels = page.locator(SANKEY_NODES).all_text_contents()
    assert labels and all(URDU.search(label) for label in labels), labels
    for decision in ("on_time", "delayed", "not_approved"):
        expect(page.locator(f".st-key-chart-branch-chart-{decision} .barlayer .point").filter(visible=True).first).to_be_visible()
    assert log.defects() == []


def test_funding_in_urdu_on_a_phone_lists_the_flows_and_fits_the_screen(browser, app_server, ready):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{app_server}/funding?release={RELEASE}&lang=ur")
        ready(page)
        narrow = page.locator(".st-key-funding-flow-narrow")
        expect(narrow).to_be_visible()
        for text in ("کون ادا کرتا ہے", "کس ٹریک کے ذریعے", "کس چیز کے لیے"):
            expect(narrow).to_contain_text(text)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.querySelector('[data-testid=stMain]').scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[2] and widths[1] <= widths[2], widths
        page.locator(".st-key-chart-funding-mix").scroll_into_view_if_needed()
        expect(page.locator(".st-key-chart-funding-mix .barlayer .point").first).to_be_visible()  # drawn before it is measured
        expect(page.locator(".st-key-chart-funding-mix .legend")).to_be_visible()
        box = page.evaluate(
            """() => { const c = document.querySelector('.st-key-chart-funding-mix .js-plotly-plot').getBoundingClientRect();
            const l = document.querySelector('.st-key-chart-funding-mix .legend').getBoundingClientRect();
            return [c.left, c.right, l.left, l.right]; }"""
        )
        assert box[0] - 1 <= box[2] and box[3] <= box[1] + 1, box  # the Urdu legend inside the chart, not cut
    finally:
        context.close()


def test_partners_in_urdu_keeps_the_raci_letters_and_fits(app_server, browser, ready):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(f"{app_server}/partners?release={RELEASE}&lang=ur")
        ready(page)
        cells = raci_cells(page, "public")
        expect(cells).to_have_count(64)
        assert set(cells.all_text_contents()) == set("RACI")  # the convention's letters, as written
        headers = page.evaluate(TEXT_BOXES, ".st-key-chart-raci-public .xtick text")
        assert len({b["text"] for b in headers}) >= 8 and all(URDU.search(b["text"]) for b in headers), headers
        assert drawn_over(headers) == []
    finally:
        page.close()
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    try:
        page.goto(f"{app_server}/partners?release={RELEASE}&lang=ur&raci_track=private")
        ready(page)
        narrow = page.locator(RACI_NARROW)
        expect(narrow).to_be_visible()
        activities = load_release(ROOT / "data" / "releases" / RELEASE).table("activities")
        expect(narrow.get_by_text("جواب دہ:", exact=True)).to_have_count(len(activities))
        boxes = page.evaluate(TEXT_BOXES, RACI_NARROW)
        assert drawn_over(boxes) == []
        widths = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    finally:
        page.close()
