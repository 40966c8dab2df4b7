"""The briefing pack opened from disk in Chromium with the network cut off: every chart and every map draws, nothing
outside the file is asked for, the console stays clean, and a hostile release's texts stay text."""

from __future__ import annotations

import contextlib
import time
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route
from playwright.sync_api import Error as PlaywrightError
from test_export_pack import hostile_release, newest_with_deck

from components import export_pack
from pakcoe import load_release
from pakcoe.levers import option_names

CHARTS_DRAWN = """() => { const charts = [...document.querySelectorAll('.js-plotly-plot')];
  return charts.length > 0 && charts.every(c => c.querySelector('svg.main-svg')) ? charts.length : 0; }"""
# The map frames (srcdoc iframes): how many hub markers each drew, counting the hubs inside cluster bubbles.
MAP_HUBS = """() => [...document.querySelectorAll('iframe')].map(f => {
  const d = f.contentDocument; if (!d) return -1;
  const single = d.querySelectorAll('.leaflet-marker-icon:not(.marker-cluster)').length;
  const clustered = [...d.querySelectorAll('.marker-cluster')].reduce((n, c) => n + (parseInt(c.innerText, 10) || 0), 0);
  return single + clustered; })"""


def settle_clusters(page, expected: int, timeout_ms: int = 60_000) -> None:
    """Wait (bounded) for the cluster bubbles to settle: while the cluster layer animates, the bubbles it leaves and the
    ones it draws are both in the page and their counts add up to more than the hubs. Chromium does not run animation
    frames in a frame outside the viewport, so a map below the fold stays mid-animation until it is seen: each map is
    scrolled into view in turn. The caller then asserts the count."""
    frames = page.locator("iframe")
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        for i in range(frames.count()):
            with contextlib.suppress(PlaywrightError):
                frames.nth(i).scroll_into_view_if_needed(timeout=5_000)
                page.wait_for_timeout(300)
        if max(page.evaluate(MAP_HUBS), default=0) == int(expected):
            return


def _open_offline(browser: Browser, path: Path):
    """A page with every request refused except the file itself and data:/blob: URLs; returns (page, refused, errors)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    refused: list[str] = []
    errors: list[str] = []
    target = path.as_uri()

    def gate(route: Route) -> None:
        url = route.request.url
        if url == target or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", gate)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(target)
    return page, refused, errors


@pytest.fixture(scope="module")
def release():
    return load_release(newest_with_deck())


def test_the_pack_opens_from_disk_with_no_network_and_draws_every_chart_and_map(browser: Browser, release, tmp_path: Path):
    option = list(option_names(release))[-1]
    path = tmp_path / "pack.html"
    path.write_text(export_pack.pack_html(release, option, on=date(2026, 12, 1)), encoding="utf-8")
    page, refused, errors = _open_offline(browser, path)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    page.wait_for_function(f"() => ({MAP_HUBS})().every(n => n > 0)", timeout=60_000)
    settle_clusters(page, len(release.hubs))
    hubs = page.evaluate(MAP_HUBS)
    assert hubs and all(n > 0 for n in hubs)
    assert max(hubs) == len(release.hubs)  # the national map shows every hub
    assert page.evaluate(CHARTS_DRAWN) >= 1
    assert refused == [], f"the pack asked for {refused}"
    assert errors == []
    page.close()


def test_a_hostile_release_stays_text_in_the_opened_pack(browser: Browser, tmp_path: Path):
    root = tmp_path / "releases"
    root.mkdir()
    release, option = hostile_release(root)
    path = tmp_path / "hostile.html"
    path.write_text(export_pack.pack_html(release, option), encoding="utf-8")
    page, refused, errors = _open_offline(browser, path)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    scripts_before = page.evaluate("() => document.scripts.length")
    page.wait_for_timeout(500)
    assert not [e for e in errors if e.startswith("dialog")], errors  # no payload ran
    assert page.evaluate("() => document.scripts.length") == scripts_before
    assert "<script>alert(2)</script>" in page.inner_text("body")  # shown literally
    assert refused == []
    page.close()
