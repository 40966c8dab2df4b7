"""Funding and Partners pages in real Chromium: Sankey nodes and RACI cells drawn, track switch, deep links, clean console."""

from __future__ import annotations

import re

from browserhelp import assert_frame, heading, page_not_found_seen, release_box, watch_page_not_found
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
    assert log.defects() == []


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
    expect(release_box(page)).to_have_value("1.0.0")
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
