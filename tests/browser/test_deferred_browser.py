"""A first visit's charts come once its first screen is drawn and a placeholder is in view (components/deferred.py), in
real Chromium: the first run draws each chart as a placeholder of the chart's own height and loads no chart code, and a
long page ends below its first screen with one placeholder for the rest; the page presses its hidden button itself, one
more run of the page, at once when a placeholder is in the first screen and only when the visitor scrolls to one when
all are below it (a page read only at its top never loads the chart code); that run draws the charts in the
placeholders' places exactly and the rest below the first screen (nothing in view moves); a notice of the link is
still there after that run (components/notices.py); the session draws at once from then on. The waits here never set
`window.__pakDrawAll` (tests/harness.py's readiness checks do, to see whole pages)."""

from __future__ import annotations

import pytest
from harness import PENDING
from playwright.sync_api import Browser, Page, expect

from components import deferred

HOLDERS = deferred.SELECTOR  # every placeholder
URL = "compare?options=public-on-time&options=private-only"
FUNDING = "funding?option=private-only"
UNFOLDED = "phases"  # a page without a fold: its first run holds every chart, each as a placeholder
VIEW_JS = """() => Array.from(document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]')).map((e) => {
  const r = e.closest('[inert]') ? new DOMRect() : e.getBoundingClientRect(); return [Math.round(r.top), Math.round(r.height)]; })
  .filter(([top, h]) => h > 0 && top < window.innerHeight)"""
SLOTS_JS = """(sel) => Array.from(document.querySelectorAll('[data-testid=stMain] ' + sel)).map((e) => {
  const r = e.getBoundingClientRect(); return [Math.round(r.top + window.scrollY), Math.round(r.height)]; })"""
IDLE_JS = """() => { const a = document.querySelector('[data-testid=stApp]');
  return !!a && a.dataset.testScriptState === 'notRunning' && a.dataset.testConnectionState === 'CONNECTED'; }"""
BUTTON = f".st-key-{deferred.KEY}"  # the hidden button's element
PRESS_JS = f"() => document.querySelector('{BUTTON} button').click()"
# idle and nothing still to come, as tests/harness.py READY_JS, but without asking the page for all of it
SETTLED_JS = """() => { const a = document.querySelector('[data-testid=stApp]');
  return !!a && a.dataset.testScriptState === 'notRunning' && a.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('__PENDING__'); }""".replace("__PENDING__", PENDING)
CODE_JS = "() => performance.getEntriesByType('resource').some((e) => e.name.includes('PlotlyChart'))"
CHARTS_JS = "() => document.querySelectorAll('[data-testid=stPlotlyChart]:has(svg.main-svg)').length"
IN_VIEW_JS = f"""(holders) => {{ const h = document.querySelector(holders);
  return h ? h.getBoundingClientRect().top < window.innerHeight : ({CHARTS_JS})() > 0; }}"""


def fresh(browser: Browser, base: str, press: bool = True, query: str = "", url: str = URL, height: int = 900) -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": height})
    if not press:  # the page's script is taken as installed already: nothing presses the button
        context.add_init_script("window.__pakDeferWatch = true;")
    page = context.new_page()
    page.goto(f"{base}/{url}{query}")
    return page


@pytest.mark.parametrize(("query", "says"), [("", "Drawing the chart…"), ("&lang=ur", "چارٹ بن رہا ہے…")], ids=["en", "ur"])
def test_the_first_run_holds_places_and_the_charts_fill_them_exactly(app_server: str, browser: Browser, ready, query: str, says: str):
    page = fresh(browser, app_server, press=False, query=query.replace("&", "?"), url=UNFOLDED)
    page.wait_for_function(IDLE_JS, timeout=30_000)
    expect(page.locator("[data-testid=stMain] h1")).to_be_visible()
    holders = page.locator(HOLDERS)
    expect(holders.first).to_have_text(says)
    page.wait_for_timeout(1500)  # the page stays so: nothing but the button asks for the charts
    places = page.evaluate(SLOTS_JS, HOLDERS)
    assert len(places) >= 2 and all(h >= 200 for _, h in places)
    expect(holders).to_have_text([says] * len(places))  # a page without a fold: every placeholder is a chart's
    assert page.locator("[data-testid=stPlotlyChart]").count() == 0
    assert not any("PlotlyChart" in u for u in page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)"))
    expect(page.locator("[data-testid=stMain] [data-testid=stSkeleton]")).to_have_count(0)  # the widgets are drawn
    expect(page.locator(BUTTON)).to_be_hidden()  # the button is there for the script only

    page.evaluate(PRESS_JS)  # as the page's script presses it
    ready(page)  # no placeholder left
    expect(page.locator("[data-testid=stPlotlyChart]:has(svg.main-svg)")).to_have_count(len(places))  # the chart code came
    charts = page.evaluate(SLOTS_JS, "[data-testid=stPlotlyChart]")
    assert sorted(charts) == sorted(places)  # each chart where its placeholder was, as tall: nothing moved
    page.context.close()


@pytest.mark.parametrize("query", ["", "&lang=ur"], ids=["en", "ur"])
def test_a_long_page_ends_below_its_first_screen_and_the_rest_comes_below_it(app_server: str, browser: Browser, ready, query: str):
    page = fresh(browser, app_server, press=False, query=query)
    page.wait_for_function(IDLE_JS, timeout=30_000)
    rest = page.locator(HOLDERS)
    expect(rest).to_have_count(1)
    expect(rest).to_have_text("باقی صفحہ بن رہا ہے…" if query else "Drawing the rest of the page…")
    page.wait_for_timeout(1000)  # the page stays so: nothing but the button asks for the rest
    page.evaluate("() => document.fonts.ready.then(() => true)")  # Urdu's web font laid out: nothing moves any more
    expect(page.locator("[data-testid=stMain] [data-testid=stSkeleton]")).to_have_count(0)
    # measured at one moment: the placeholder's top, and every element that starts below it (a folded expander's
    # content has a box, but is inert)
    top, below = page.evaluate(
        """(holders) => { const rest = document.querySelector(holders);
      const top = rest.getBoundingClientRect().top;
      const below = Array.from(document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]'))
        .filter((e) => !e.closest('[inert]') && !e.contains(rest) && e.getBoundingClientRect().top > top + 1)
        .map((e) => (e.firstElementChild ? e.firstElementChild.dataset.testid : '') + '@' + Math.round(e.getBoundingClientRect().top));
      return [top, below]; }""",
        HOLDERS,
    )
    assert top >= 900, f"the rest's placeholder starts at {top:.0f} px, inside the 1366x900 first screen"
    assert below == [], f"drawn below the rest's placeholder (at {top:.0f} px): {below}"
    assert page.locator("#over-time").count() == 0  # a section of the rest
    first_screen = page.evaluate(VIEW_JS)

    page.evaluate(PRESS_JS)
    ready(page)
    expect(page.locator("#over-time")).to_have_count(1)
    page.wait_for_function(CHARTS_JS + " >= 4", timeout=30_000)
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == 0
    assert page.evaluate(VIEW_JS) == first_screen  # what was in view stayed where it was, as it was
    page.context.close()


def test_a_chart_in_the_first_screen_is_drawn_at_once(app_server: str, browser: Browser):
    """On a tall screen Funding's Sankey starts in the first screen (at 1366x900 its key figures keep it just below)."""
    page = fresh(browser, app_server, url=FUNDING, height=1400)
    page.wait_for_function(IDLE_JS, timeout=30_000)
    assert page.evaluate(IN_VIEW_JS, HOLDERS)  # a placeholder in view, or the charts already drawn for it
    page.wait_for_function(SETTLED_JS, timeout=30_000)  # the page pressed its button by itself, nobody scrolled
    page.wait_for_function(CHARTS_JS + " >= 4", timeout=30_000)
    assert page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTop") == 0
    page.context.close()


@pytest.mark.parametrize("url", [FUNDING, "phases"])
def test_the_timeline_and_the_sankey_wait_below_the_first_screen_under_their_summaries(app_server: str, browser: Browser, url: str):
    """Phases (a card a phase) and Funding (its key figures) open with their summary in words: at 1366x900 the chart
    starts below the first screen, so a visitor who reads only the top never loads the chart code."""
    page = fresh(browser, app_server, url=url)
    page.wait_for_function(IDLE_JS, timeout=30_000)
    expect(page.locator("[data-testid=stMain] h1")).to_be_visible()
    page.wait_for_timeout(2000)  # the script presses within 50 ms of a placeholder in view; none is
    assert page.locator(HOLDERS).first.bounding_box()["y"] >= 900
    assert not page.evaluate(CODE_JS)
    summary = page.locator(".st-key-funding-figures" if url == FUNDING else ".st-key-phase-card-1")
    assert summary.bounding_box()["y"] < 900
    page.context.close()


def test_below_the_fold_the_page_asks_when_scrolled_to_keeps_its_notices_and_defers_once_per_session(app_server: str, browser: Browser, ready):
    page = fresh(browser, app_server, query="&release=9.9.9&baseline=nothing-like-it")
    page.wait_for_function(IDLE_JS, timeout=30_000)
    expect(page.locator("[data-testid=stMain] h1")).to_be_visible()
    expect(page.locator("[data-testid=stMain] [data-testid=stSkeleton]")).to_have_count(0)  # the first screen is drawn
    page.wait_for_timeout(2000)  # the script presses within 50 ms of a placeholder in view; none is
    holders = page.locator(HOLDERS)
    expect(holders).to_have_count(1)  # the rest, below the first screen
    assert holders.bounding_box()["y"] >= 900
    assert not page.evaluate(CODE_JS)  # a visitor who reads only the first screen never loads the chart code
    holders.scroll_into_view_if_needed()  # as a visitor scrolling down
    page.wait_for_function(SETTLED_JS, timeout=30_000)  # the page pressed its button: no placeholder left
    page.wait_for_function(CHARTS_JS + " >= 4", timeout=30_000)  # the chart code came, the charts drew
    # the notices of the link, given by reading the address in the first run, are still there after the second, at the
    # top of the page (above its title)
    release = page.locator("[data-testid=stMain] [data-testid=stAlert]").filter(has_text="9.9.9")
    baseline = page.locator("[data-testid=stMain] [data-testid=stAlert]").filter(has_text="nothing-like-it")
    expect(release).to_be_visible()
    expect(baseline).to_be_visible()
    title = page.locator("[data-testid=stMain] h1").bounding_box()
    assert release.bounding_box()["y"] < title["y"] and baseline.bounding_box()["y"] < title["y"]
    # a change and another page of the same session: the charts come in the same run, never a placeholder
    seen: list[int] = []
    page.expose_function("__pakSeen", lambda n: seen.append(n))
    page.evaluate(
        """(holders) => new MutationObserver(() => { const n = document.querySelectorAll(holders).length;
      if (n) window.__pakSeen(n); }).observe(document.body, {subtree: true, childList: true})""",
        HOLDERS,
    )
    page.locator("[data-testid=stSidebarNavLink], [data-testid=stTopNavLink]").filter(has_text="Funding").first.click()
    ready(page)
    expect(page.get_by_role("heading", level=1, name="Funding")).to_be_visible()
    assert page.locator("[data-testid=stPlotlyChart]").count() >= 1
    assert seen == []
    # the notices were for the link's first run: gone after a page change
    expect(page.locator("[data-testid=stMain] [data-testid=stAlert]").filter(has_text="nothing-like-it")).to_have_count(0)
    page.context.close()


def test_a_page_without_charts_leaves_the_next_page_to_defer(app_server: str, browser: Browser, ready):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{app_server}/methodology")
    ready(page)
    assert page.locator(HOLDERS).count() == 0 and page.locator("[data-testid=stPlotlyChart]").count() == 0
    page.locator("[data-testid=stSidebarNavLink], [data-testid=stTopNavLink]").filter(has_text="Partners").first.click()
    ready(page)
    expect(page.get_by_role("heading", level=1, name="Partners")).to_be_visible()
    page.wait_for_function(CHARTS_JS + " >= 1", timeout=30_000)
    assert page.locator(HOLDERS).count() == 0
    context.close()
