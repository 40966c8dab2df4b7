"""Folded sections are built only while open (components/folds.py), in real Chromium: a first visit of the Overview,
read to its end, loads no chart code for the chart in its closed fold and draws none of the folds' texts; opening the
fold draws its chart; closing it again removes its content. The Compare page's levers: no slider until their fold is
opened."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

CODE_JS = "() => performance.getEntriesByType('resource').some((e) => e.name.includes('PlotlyChart'))"
CHART = "Hubs by phase and hub type (chart), and the national goals"


def test_a_closed_fold_costs_a_first_visit_nothing_and_opens_on_demand(app_server: str, browser: Browser, ready):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{app_server}/")
        ready(page)  # the whole page, as a visitor scrolling to its end at once
        assert not page.evaluate(CODE_JS)  # no chart code fetched
        fold = page.locator("[data-testid=stExpander]").filter(has=page.get_by_text(CHART, exact=True))
        expect(fold).to_have_count(1)
        assert fold.locator("[data-testid=stPlotlyChart], [data-testid=stMarkdown]").count() == 0  # its content not built
        gaps = page.locator("[data-testid=stExpander]").filter(has=page.get_by_text("Each gap's evidence and the design's response", exact=True))
        assert "Evidence:" not in gaps.inner_text()
        fold.locator("summary").first.click()
        expect(fold.locator("[data-testid=stPlotlyChart] svg.main-svg").first).to_be_visible(timeout=30_000)
        assert page.evaluate(CODE_JS)
        ready(page)
        fold.locator("summary").first.click()
        ready(page)
        expect(fold.locator("[data-testid=stPlotlyChart]")).to_have_count(0)
    finally:
        context.close()


def test_the_levers_come_when_their_fold_is_opened(app_server: str, browser: Browser, ready):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{app_server}/compare")
        ready(page)
        expect(page.locator("[data-testid=stSlider]")).to_have_count(0)
        page.get_by_text("Custom option: levers", exact=True).click()
        expect(page.locator("[data-testid=stSlider]").first).to_be_visible(timeout=30_000)
        assert page.locator("[data-testid=stSlider]").count() >= 3
    finally:
        context.close()
