"""A first visit's charts come once its first screen is drawn (components/deferred.py), in real Chromium: the first run
draws each chart as a placeholder of the chart's own height and no chart code; the page presses its hidden button
itself, one chart's fragment after another (the rest of the page does not run again); the charts then take the
placeholders' places exactly (nothing on the page moves); the session draws its charts at once from then on."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

URL = "compare?options=public-on-time&options=private-only"
SLOTS_JS = """(sel) => Array.from(document.querySelectorAll('[data-testid=stMain] ' + sel)).map((e) => {
  const r = e.getBoundingClientRect(); return [Math.round(r.top + window.scrollY), Math.round(r.height)]; })"""
IDLE_JS = """() => { const a = document.querySelector('[data-testid=stApp]');
  return !!a && a.dataset.testScriptState === 'notRunning' && a.dataset.testConnectionState === 'CONNECTED'; }"""


def fresh(browser: Browser, base: str, press: bool = True, query: str = "") -> Page:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    if not press:  # the page's script is taken as installed already: nothing presses the button
        context.add_init_script("window.__pakDeferWatch = true;")
    page = context.new_page()
    page.goto(f"{base}/{URL}{query}")
    return page


@pytest.mark.parametrize(("query", "says"), [("", "Drawing the chart…"), ("&lang=ur", "چارٹ بن رہا ہے…")], ids=["en", "ur"])
def test_the_first_run_holds_places_and_the_charts_fill_them_exactly(app_server: str, browser: Browser, ready, query: str, says: str):
    page = fresh(browser, app_server, press=False, query=query)
    page.wait_for_function(IDLE_JS, timeout=30_000)
    expect(page.locator("[data-testid=stMain] h1")).to_be_visible()
    holders = page.locator(".pak-deferred")
    expect(holders.first).to_have_text(says)
    page.wait_for_timeout(1500)  # the page stays so: nothing but the button asks for the charts
    places = page.evaluate(SLOTS_JS, ".pak-deferred")
    assert len(places) >= 4 and all(h >= 200 for _, h in places)
    assert page.locator("[data-testid=stPlotlyChart]").count() == 0
    assert not any("PlotlyChart" in u for u in page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)"))
    expect(page.locator("[data-testid=stMain] [data-testid=stSkeleton]")).to_have_count(0)  # the widgets are drawn

    while page.locator(".pak-deferred").count():  # each chart's button in turn, as the page's script presses them
        button = page.locator(".pak-deferred").first.get_attribute("data-button")
        page.evaluate("(c) => document.querySelector('.' + c + ' button').click()", button)
        page.wait_for_function("(c) => !document.querySelector(`.pak-deferred[data-button='${c}']`)", arg=button, timeout=30_000)
    ready(page)
    expect(page.locator("[data-testid=stPlotlyChart]:has(svg.main-svg)")).to_have_count(len(places))  # the chart code came
    assert page.locator(".pak-deferred").count() == 0
    charts = page.evaluate(SLOTS_JS, "[data-testid=stPlotlyChart]")
    assert sorted(charts) == sorted(places)  # each chart where its placeholder was, as tall: nothing moved
    page.context.close()


def test_the_page_asks_for_its_charts_itself_and_once_per_session(app_server: str, browser: Browser, ready):
    page = fresh(browser, app_server, query="&release=9.9.9")
    ready(page)  # waits for no placeholder left: the page pressed its buttons
    # only the charts ran again: the notice of the link's unknown release, said once in the page's run, is still there
    expect(page.locator("[data-testid=stAlert]").filter(has_text="9.9.9")).to_be_visible()
    drawn = "() => document.querySelectorAll('[data-testid=stPlotlyChart]:has(svg.main-svg)').length"
    page.wait_for_function(drawn + " >= 4", timeout=30_000)  # the chart code came, the charts drew
    # a change and another page of the same session: the charts come in the same run, never a placeholder
    seen: list[int] = []
    page.expose_function("__pakSeen", lambda n: seen.append(n))
    page.evaluate("""() => new MutationObserver(() => { const n = document.querySelectorAll('.pak-deferred').length;
      if (n) window.__pakSeen(n); }).observe(document.body, {subtree: true, childList: true})""")
    page.locator("[data-testid=stSidebarNavLink], [data-testid=stTopNavLink]").filter(has_text="Funding").first.click()
    ready(page)
    expect(page.get_by_role("heading", level=1, name="Funding")).to_be_visible()
    assert page.locator("[data-testid=stPlotlyChart]").count() >= 1
    assert seen == []
    page.context.close()
