"""Compare page in real Chromium: a shared link as the first request of a fresh server, lever moves, page switches, and
the compact table of the options side by side on a 390 x 844 phone."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page, expect
from releasekit import ROOT

from pakcoe import load_release, registry
from pakcoe.model import comparison_horizon, run_model, scenario_from_option

LINK = "compare?release=1.0.0&options=private-only&options=custom&options=public-delayed-4q&baseline=public-delayed-4q&c_decision=not_approved&c_private_capacity=3000&c_hubs=60"
# The first chart (hubs open): trace name -> y values, as Plotly drew them (charts below the fold are drawn lazily).
HUBS_JS = """() => { const p = document.querySelector('.st-key-chart-compare-hubs .js-plotly-plot');
  return p && p.data ? Object.fromEntries(p.data.map(t => [t.name, Array.from(t.y)])) : null; }"""
CUSTOM = "Custom option (your levers)"
NAV_LINKS = "[data-testid=stTopNavLink], [data-testid=stSidebarNavLink]"  # the navigation, top bar or sidebar
SAME_AS_ON_TIME = f"{CUSTOM}<br>(same line as Public adoption on time)"  # the custom option before a lever moves: named, not hidden
# The compact table: figure -> the options' values, left to right (the rows whose figure name is a cell of their own).
TABLE_JS = """() => Object.fromEntries(Array.from(document.querySelectorAll('table.kf tbody tr:not(.kf-figure)')).map(
  tr => [tr.querySelector('th').textContent.trim(), Array.from(tr.querySelectorAll('td .kf-v')).map(v => v.textContent.trim())]))"""


def hubs_chart(page: Page, until: str = "true") -> dict:
    """The hubs chart's series once it is drawn and `until` (a JS condition on d, the series) holds."""
    page.locator(".st-key-chart-compare-hubs").scroll_into_view_if_needed()  # charts below the fold are drawn lazily
    page.wait_for_function(f"() => {{ const d = ({HUBS_JS})(); return d !== null && ({until}); }}")
    return page.evaluate(HUBS_JS)


def key_figures(page: Page, options: int) -> dict[str, list[str]]:
    """The compact table's values (figure -> one value per option), once it is drawn for `options` options."""
    expect(page.locator(f"table.kf[data-options='{options}']")).to_have_count(1)
    return page.evaluate(TABLE_JS)


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
    values = key_figures(first, 3)
    assert len(values) == 8 and all(len(v) == 3 for v in values.values())
    assert values["Hubs open at the end"][1] == str(summary.hubs_at_end)  # the custom option is the second column
    assert values["Learners certified"][1] == f"{summary.learners_certified:,.0f}"
    assert values["Total cost (PKR billion)"][1] == f"{summary.total_cost / 1000:,.2f}"
    params = parse_qs(urlsplit(first.url).query)
    assert params["options"] == ["private-only", "custom", "public-delayed-4q"] and params["c_hubs"] == ["60"]
    # the same link in another fresh context gives exactly the same figures
    second = open_link(browser, f"{base}/{LINK}", ready)
    assert key_figures(second, 3) == values
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
    page.wait_for_function(f"() => ({TABLE_JS})()['Hubs open at the end']?.[1] === '12'")
    # to another page and back: the levers and the view come back
    page.locator(NAV_LINKS).filter(has_text="Hub map").first.click()
    ready(page)
    expect(page.get_by_role("heading", level=1, name="Hub map")).to_be_visible()
    page.locator(NAV_LINKS).filter(has_text="Compare options").first.click()
    ready(page)
    assert "c_hubs=12" in page.url and "options=custom" in page.url
    assert key_figures(page, 2)["Hubs open at the end"][1] == "12"


def test_on_a_phone_the_options_sit_side_by_side_in_a_table_that_fits(app_server: str, browser: Browser, ready):
    """390 x 844: no horizontal scrolling of the page; the compact table shows every option as a column inside the screen,
    each figure's name as a row of its own above its values, nothing cut off with an ellipsis."""
    page = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True).new_page()
    page.goto(f"{app_server}/compare?release=1.1.0")
    ready(page)
    release = load_release(ROOT / "data" / "releases" / "1.1.0")
    named = dict(zip(release.table("options")["option_id"], release.table("options")["name"], strict=True))
    names = [named[o] for o in registry.default_value(release, registry.page("compare").param("options"))]
    values = key_figures(page, 4)
    assert len(values) == 8 and all(len(v) == 4 and all(v) for v in values.values())
    layout = page.evaluate(
        """() => {
        const box = r => { const b = r.getBoundingClientRect(); return [b.left, b.right, b.width]; };
        const table = document.querySelector('table.kf');
        const shown = el => getComputedStyle(el).display !== 'none';
        return {
          page: [document.documentElement.scrollWidth, document.querySelector('[data-testid=stMain]').scrollWidth, window.innerWidth],
          table: box(table), inner: table.parentElement.scrollWidth - table.parentElement.clientWidth,
          heads: Array.from(table.querySelectorAll('thead th')).filter(shown).map(th => [th.firstChild.textContent.trim(), ...box(th)]),
          figureRows: Array.from(table.querySelectorAll('tr.kf-figure')).filter(shown).length,
          labelCells: Array.from(table.querySelectorAll('th.kf-label')).filter(shown).length,
          ellipsis: Array.from(table.querySelectorAll('th, td')).filter(c => c.textContent.trim().endsWith('…')).length,
        };
    }"""
    )
    width = layout["page"][2]
    assert layout["page"][0] <= width and layout["page"][1] <= width, layout["page"]  # no horizontal page overflow
    assert layout["table"][0] >= 0 and layout["table"][1] <= width and layout["inner"] == 0  # the table fits, no scrolling in its box
    assert [h[0] for h in layout["heads"]] == names and len(names) == 4  # every option, side by side
    assert all(left >= 0 and right <= width and w >= 60 for _, left, right, w in layout["heads"])
    assert layout["figureRows"] == 8 and layout["labelCells"] == 0  # the figures' names are rows of their own on a phone
    assert layout["ellipsis"] == 0
    page.context.close()


def test_on_a_desktop_the_figures_are_the_first_column(app_server: str, browser: Browser, ready):
    """1280 x 720: the same table with the figures' names as its first column; the four option chips shown in full."""
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    page.goto(f"{app_server}/compare?release=1.1.0")
    ready(page)
    key_figures(page, 4)
    page.locator("[data-testid=stMultiSelectTagsContainer] [data-tag]").first.wait_for()  # the chips draw after the table on a loaded machine
    layout = page.evaluate(
        """() => {
        const table = document.querySelector('table.kf');
        const shown = el => getComputedStyle(el).display !== 'none';
        const chips = Array.from(document.querySelectorAll('[data-testid=stMultiSelectTagsContainer] [data-tag] span[title]'));
        const field = document.querySelector('[data-testid=stMultiSelectTagsContainer]').getBoundingClientRect();
        return {
          labels: Array.from(table.querySelectorAll('th.kf-label')).filter(shown).length,
          figureRows: Array.from(table.querySelectorAll('tr.kf-figure')).filter(shown).length,
          chips: chips.map(c => { const b = c.getBoundingClientRect(); return [b.left >= field.left - 1 && b.right <= field.right + 1, c.scrollWidth <= c.clientWidth + 1]; }),
        };
    }"""
    )
    assert layout["labels"] == 8 and layout["figureRows"] == 0
    assert len(layout["chips"]) == 4 and all(inside and whole for inside, whole in layout["chips"]), layout["chips"]
    page.context.close()


# Every category tick label of a chart's y axes inside the chart (none cut off at its left edge), once the fonts are in.
TICKS_INSIDE_JS = """(key) => {
  const chart = document.querySelector(`.st-key-${key} .js-plotly-plot`);
  if (!chart) return null;
  const frame = chart.getBoundingClientRect();
  const ticks = Array.from(chart.querySelectorAll('.ytick text'));
  return ticks.length ? ticks.map(t => { const b = t.getBoundingClientRect(); return [t.textContent, b.left >= frame.left - 1 && b.right <= frame.right + 1]; }) : null;
}"""


def test_in_urdu_on_a_phone_the_table_reads_right_to_left_and_no_chart_label_is_cut_off(app_server: str, browser: Browser, ready):
    """390 x 844 in Urdu: the compact table laid out right to left, inside the screen, with the English page's numbers;
    the sensitivity chart's and the Phases timeline's labels (Nastaliq, measured only once its web font is in) whole."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    english = context.new_page()
    english.goto(f"{app_server}/compare?release=1.1.0")
    ready(english)
    numbers = {k: [v.replace(",", "") for v in vals] for k, vals in key_figures(english, 4).items()}
    page = context.new_page()
    page.goto(f"{app_server}/compare?release=1.1.0&lang=ur")
    ready(page)
    urdu = key_figures(page, 4)
    assert [[v.replace(",", "") for v in vals] for vals in urdu.values()][:1] == list(numbers.values())[:1]  # hubs: the same figures
    box = page.evaluate(
        """() => { const t = document.querySelector('table.kf'), b = t.getBoundingClientRect(), box = t.closest('.kf-box');
        return [box.getAttribute('dir'), b.left, b.right, box.scrollWidth - box.clientWidth, getComputedStyle(t.querySelector('th')).textAlign]; }"""
    )
    assert box[0] == "rtl" and box[1] >= 0 and box[2] <= 390 and box[3] == 0 and box[4] == "right", box
    page.evaluate("() => document.fonts.ready")
    page.locator(".st-key-chart-compare-sensitivity").scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({TICKS_INSIDE_JS})('chart-compare-sensitivity') !== null")
    page.wait_for_timeout(1500)  # a redraw after the web font
    ticks = page.evaluate(f"() => ({TICKS_INSIDE_JS})('chart-compare-sensitivity')")
    assert ticks and all(inside for _, inside in ticks), ticks
    page.goto(f"{app_server}/phases?release=1.1.0&lang=ur")
    ready(page)
    page.evaluate("() => document.fonts.ready")
    page.locator(".st-key-chart-phases-gantt").scroll_into_view_if_needed()
    page.wait_for_function(f"() => ({TICKS_INSIDE_JS})('chart-phases-gantt') !== null")
    page.wait_for_timeout(1500)
    ticks = page.evaluate(f"() => ({TICKS_INSIDE_JS})('chart-phases-gantt')")
    assert ticks and all(inside for _, inside in ticks), ticks
    context.close()
