"""Compare page in real Chromium: a shared link as the first request of a fresh server, lever moves, page switches."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page, expect
from releasekit import ROOT

from pakcoe import load_release
from pakcoe.model import comparison_horizon, run_model, scenario_from_option

LINK = "compare?release=1.0.0&options=private-only&options=custom&options=public-delayed-4q&baseline=public-delayed-4q&c_decision=not_approved&c_private_capacity=3000&c_hubs=60"
# The first chart (hubs open): trace name -> y values, as Plotly drew them (charts below the fold are drawn lazily).
HUBS_JS = """() => { const p = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');
  return p && p.data ? Object.fromEntries(p.data.map(t => [t.name, Array.from(t.y)])) : null; }"""
CUSTOM = "Custom option (your levers)"
SAME_AS_ON_TIME = f"{CUSTOM} (same line as Public adoption on time)"  # the custom option before a lever moves: named, not hidden


def hubs_chart(page: Page, until: str = "true") -> dict:
    """The hubs chart's series once it is drawn and `until` (a JS condition on d, the series) holds."""
    page.wait_for_function(f"() => {{ const d = ({HUBS_JS})(); return d !== null && ({until}); }}")
    return page.evaluate(HUBS_JS)


def kpis(page: Page, count: int) -> list[str]:
    """Every KPI value on the page, in order (columns left to right, top to bottom), once `count` are drawn."""
    expect(page.locator("[data-testid=stMetricValue]")).to_have_count(count)
    return [t.strip() for t in page.locator("[data-testid=stMetricValue]").all_inner_texts()]


def open_link(browser: Browser, url: str, ready) -> Page:
    """A fresh browser context (no cookies, no session), the link, ready."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(url)
    ready(page)
    expect(page.get_by_role("heading", level=1, name="Compare rollout options")).to_be_visible()
    return page


def test_a_shared_link_is_the_first_request_of_a_fresh_server_and_shows_the_same_kpis(start_server, pinned_root, browser: Browser, ready):
    base = start_server(pinned_root)
    first = open_link(browser, f"{base}/{LINK}", ready)
    assert "Page not found" not in first.content()
    expect(first.locator("[data-testid=stAlert]").filter(has_text="Concept proposal")).to_be_visible()
    expect(first.locator("[data-testid=stCaptionContainer]").filter(has_text="Data release 1.0.0").first).to_be_visible()
    # the custom option's column equals the model run of the link's levers on release 1.0.0, over the comparison horizon
    release = load_release(ROOT / "data" / "releases" / "1.0.0")
    scenario = scenario_from_option(release, "public-on-time", public_decision="not_approved", private_capacity=3000.0, hub_target=60)
    others = [scenario_from_option(release, o) for o in ("private-only", "public-delayed-4q")]
    horizon = comparison_horizon(release, [others[0], scenario, others[1]])
    summary = run_model(release, scenario.replace(horizon_quarters=horizon)).summary
    expect(first.get_by_text(f"Every option runs over the same horizon: {horizon} quarters")).to_be_visible()
    values = kpis(first, 3 * 8)
    assert len(values) == 3 * 8
    custom = values[8:16]
    assert custom[0] == str(summary.hubs_at_end)
    assert custom[2] == f"{summary.learners_certified:,.0f}"
    assert custom[3] == f"{summary.total_cost / 1000:,.2f}"
    params = parse_qs(urlsplit(first.url).query)
    assert params["options"] == ["private-only", "custom", "public-delayed-4q"] and params["c_hubs"] == ["60"]
    # the same link in another fresh context gives exactly the same figures
    second = open_link(browser, f"{base}/{LINK}", ready)
    assert kpis(second, 3 * 8) == values
    assert hubs_chart(second) == hubs_chart(first)


def test_moving_a_lever_changes_the_chart_and_survives_a_page_switch(app_server: str, browser: Browser, ready):
    page = open_link(browser, f"{app_server}/compare?release=1.1.0&options=public-on-time&options=custom", ready)
    # release 1.1.0, named: the custom option starts as public adoption on time: all 100 hubs by the end (the chart may be redrawn
    # once after the first paint while the session's widgets settle, so wait for the settled figure)
    before = hubs_chart(page, f"d['{SAME_AS_ON_TIME}'] && d['{SAME_AS_ON_TIME}'].at(-1) === 100")
    assert before[SAME_AS_ON_TIME] == before["Public adoption on time"]
    slider = page.locator("[data-testid=stSlider]").filter(has_text="Network size (hubs)").get_by_role("slider")
    slider.focus()
    slider.press("Home")  # the smallest network: the first phase's 12 hubs
    page.wait_for_function("() => location.search.includes('c_hubs=12')")
    ready(page)
    after = hubs_chart(page, f"d['{CUSTOM}'] && d['{CUSTOM}'].at(-1) === 12")
    assert max(after[CUSTOM]) == 12
    assert after["Public adoption on time"] == before["Public adoption on time"]
    assert kpis(page, 2 * 8)[8] == "12"
    # to another page and back: the levers and the view come back
    page.locator("[data-testid=stTopNavLink]").filter(has_text="Hub map").first.click()
    ready(page)
    expect(page.get_by_role("heading", level=1, name="Hub map")).to_be_visible()
    page.locator("[data-testid=stTopNavLink]").filter(has_text="Compare options").first.click()
    ready(page)
    assert "c_hubs=12" in page.url and "options=custom" in page.url
    assert kpis(page, 2 * 8)[8] == "12"
