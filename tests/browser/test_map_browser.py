"""The hub map in real Chromium: markers drawn offline, click -> detail panel, hub links, CSV download, XSS payloads."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from browserhelp import download
from harness import MAP_IFRAME, choose
from playwright.sync_api import expect
from releasekit import copy_release

from components.hubmap import NARROW_MAP_PX
from pakcoe import list_releases, newest_valid, validate_release
from pakcoe.geo import hubs_geojson
from pakcoe.tableschema import read_table

ROOT = Path(__file__).resolve().parents[2]
# The release whose hubs these tests count, name and click: named in each link, so a newer release (the default
# once published) changes nothing they check. Tests that are about the default compute it instead.
RELEASE = "1.1.0"
PIN = f"release={RELEASE}"
IFR = MAP_IFRAME
PAYLOADS = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`);alert(1);(`", "</script><script>alert(1)</script>"]


def hub_icons(page):
    return page.frame_locator(IFR).locator(".hub-icon")


def framed(page) -> None:
    """Wait until the map has framed itself clear of its controls (hubmap.FitClear sets data-fitted)."""
    expect(page.frame_locator(IFR).locator(".leaflet-container[data-fitted]")).to_have_count(1)


def test_karachi_markers_are_drawn_with_no_internet(app_server, visit):
    page, log = visit(app_server + f"/map?{PIN}")
    expect(hub_icons(page)).to_have_count(12)
    frame = page.frame_locator(IFR)
    expect(frame.locator("#hub-legend")).to_contain_text("Flagship hub")
    expect(frame.locator(".leaflet-control-layers")).to_be_visible()
    expect(frame.locator(".leaflet-control-zoom-fullscreen, [class*=fullscreen]").first).to_be_visible()
    assert page.locator(IFR).bounding_box()["height"] >= 500
    assert log.defects() == []


def test_national_view_clusters_the_hundred_hubs(app_server, visit):
    """Each cluster is a ring in the phase colours with its count; its accessible name (and tooltip) gives the count
    per phase in words, which add up to the count; clusters and single hubs together are the 100 hubs."""
    page, log = visit(app_server + f"/map?view=national&{PIN}")
    frame = page.frame_locator(IFR)
    expect(frame.locator(".hub-cluster").first).to_be_visible()
    framed(page)
    labels = [frame.locator(".hub-cluster").nth(i).get_attribute("aria-label") for i in range(frame.locator(".hub-cluster").count())]
    counts = []
    for label in labels:
        m = re.fullmatch(r"(\d+) hubs?: (.+)\. Click to zoom in\.", label)
        assert m, label
        parts = [re.fullmatch(r"(\d+) in Phase (\d) \(.+\)", part) for part in m.group(2).split(", ")]
        assert all(parts) and sum(int(x.group(1)) for x in parts) == int(m.group(1)), label
        counts.append(int(m.group(1)))
    drawn = [int(t) for t in frame.locator(".hub-cluster span").all_inner_texts()]
    assert drawn == counts and sum(counts) + hub_icons(page).count() == 100
    assert frame.locator(".hub-cluster svg circle[stroke]").count() >= len(counts)  # a ring arc per phase present
    frame.locator(".hub-cluster").first.hover()
    expect(frame.locator(".leaflet-tooltip")).to_have_text(labels[0])
    assert log.defects() == []


def test_click_on_a_marker_opens_the_detail_panel_and_puts_the_hub_in_the_url(app_server, visit, ready):
    page, log = visit(app_server + f"/map?{PIN}")
    framed(page)
    hub_icons(page).nth(0).click()
    expect(page.get_by_role("heading", name="Karachi Gulshan-e-Iqbal hub")).to_be_visible()
    ready(page)
    assert "hub=karachi-1" in page.url
    expect(page.get_by_text("Programmes this hub type offers")).to_be_visible()
    assert log.defects() == []


def test_filters_popover_updates_counts_and_url_and_clear_resets(app_server, visit, ready):
    page, log = visit(app_server + f"/map?view=national&{PIN}")
    expect(page.get_by_text("Showing 100 of 100 proposed hubs")).to_be_visible()
    page.get_by_role("button", name="Filters", exact=True).click()
    expect(page.get_by_role("button", name="Clear filters")).to_be_disabled()
    choose(page, page.get_by_role("combobox", name="Phase"), "2: Major cities")
    ready(page)
    page.locator("h1").first.click()  # outside: closes the dropdown and the popover
    expect(page.get_by_role("button", name="Clear filters")).to_be_hidden()
    expect(page.get_by_text("Showing 28 of 100 proposed hubs in this view · filtered to phase 2 (Major cities) (open Filters")).to_be_visible()
    expect(page.get_by_role("button", name="Filters · 1 active")).to_be_visible()
    assert "phase=2" in page.url
    counts = [int(t) for t in page.frame_locator(IFR).locator(".hub-cluster span").all_inner_texts()]
    assert sum(counts) + hub_icons(page).count() == 28
    page.get_by_role("button", name="Filters · 1 active").click()
    page.get_by_role("button", name="Clear filters").click()
    ready(page)
    expect(page.get_by_text("Showing 100 of 100 proposed hubs")).to_be_visible()
    assert "phase=" not in page.url
    assert log.defects() == []


def test_tabs_build_coverage_and_table_on_demand_and_keep_the_section_in_the_url(app_server, visit, ready):
    page, log = visit(app_server + f"/map?view=national&{PIN}")
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(0)  # the map tab builds no chart
    page.get_by_role("tab", name="Coverage").click()
    ready(page)
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(2)
    expect(page.get_by_text("Within 25 km of the hubs shown")).to_be_visible()
    assert "section=coverage" in page.url
    page.get_by_role("tab", name="Hub table").click()
    ready(page)
    expect(page.get_by_role("button", name="Download these 100 hubs (CSV)")).to_be_visible()
    assert "section=hubs" in page.url
    page.goto(page.url)  # the link reopens the same tab
    ready(page)
    expect(page.get_by_role("tab", name="Hub table", selected=True)).to_be_visible()
    page.get_by_role("tab", name="Map and hub details").click()
    ready(page)
    expect(hub_icons(page).or_(page.frame_locator(IFR).locator(".marker-cluster")).first).to_be_visible()
    assert "section=" not in page.url
    assert log.defects() == []


def test_hub_link_as_the_first_request_opens_that_hub(start_server, pinned_root, page, ready):
    url = start_server(pinned_root)
    page.goto(url + f"/map?view=national&hub=skardu-1&{PIN}")
    ready(page)
    expect(page.get_by_role("heading", name="Skardu TVET hub")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_text("Concept proposal").first).to_be_visible()


def test_csv_download_holds_the_filtered_hubs_and_the_release(app_server, visit):
    page, _ = visit(app_server + f"/map?view=national&phase=1&section=hubs&{PIN}")
    button = page.get_by_role("button", name="Download these 12 hubs (CSV)")
    expect(button).to_be_enabled()
    text = Path(download(page, button).path()).read_text(encoding="utf-8")  # the CSV is built on the server on click
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any(RELEASE in line for line in header) and any("not approved" in line for line in header)
    rows = pd.read_csv(io.StringIO(text), comment="#", dtype=str)
    assert len(rows) == 12 and set(rows["status"]) == {"proposed"}
    assert set(rows["phase_id"]) == {"1"} and rows["lat"].iloc[0].replace(".", "").isdigit()


@pytest.fixture
def payload_releases(tmp_path: Path) -> Path:
    """A valid release whose hub, city and phase texts are script-injection payloads."""
    root = tmp_path / "releases"
    root.mkdir()
    draft = copy_release(root, RELEASE, ROOT / "data" / "releases" / RELEASE, draft=True)  # edited, then published below
    rows = draft.rows("hubs.csv")
    for row, text in zip(rows[:4], PAYLOADS, strict=True):
        row["name"] = f"Hub {text}"
        row["district"] = text
        row["coord_source"] = text
    rows[4]["name"] = '=HYPERLINK("http://x")'
    draft.write_rows("hubs.csv", rows, rehash=False)
    cities = draft.rows("cities.csv")
    next(c for c in cities if c["city_id"] == "karachi")["name"] = "Karachi </script><b>x</b> ${alert(2)}"
    draft.write_rows("cities.csv", cities, rehash=False)
    phases = draft.rows("phases.csv")
    phases[0]["name"] = "Demo `);alert(3);(` <svg onload=alert(4)>"
    draft.write_rows("phases.csv", phases, rehash=False)
    schema = next(r for r in draft.descriptor()["resources"] if r["name"] == "hubs")["schema"]
    frame = read_table("hubs.csv", (draft.path / "hubs.csv").read_bytes(), schema).frame
    draft.write_bytes("hubs.geojson", json.dumps(hubs_geojson(frame)).encode("utf-8"))  # re-hashes everything
    draft.publish()  # so the app serves it by default
    return root


def test_payload_release_opens_no_dialog_and_the_map_still_renders(start_server, page, ready, payload_releases):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    url = start_server(payload_releases)
    page.goto(url + "/map")
    ready(page)
    expect(page.get_by_text("failed validation")).to_have_count(0)  # the payload release is valid: it is served
    icons = hub_icons(page)
    expect(icons).to_have_count(12)
    framed(page)
    icons.nth(0).hover()
    tooltip = page.frame_locator(IFR).locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("<img src=x onerror=alert(1)>")  # shown as text, not run
    icons.nth(0).click()
    expect(page.get_by_role("heading", name="Hub <img src=x onerror=alert(1)>")).to_be_visible()
    ready(page)
    expect(page.frame_locator(IFR).locator("#hub-legend")).to_contain_text("<svg onload=alert(4)>")
    page.goto(url + "/map?view=national")
    ready(page)
    expect(page.frame_locator(IFR).locator(".marker-cluster, .hub-icon").first).to_be_visible()
    page.goto(url + "/data?table=hubs")
    ready(page)
    assert dialogs == []


def test_server_start_warms_the_caches_and_the_first_visit_draws_the_map(start_server, page, console, ready, tmp_path):
    """scripts/serve.py warms the caches in a background thread (streamlit_folium imported outside a script run,
    where Streamlit does not register its component): the log says what was warmed, and the first visit still
    gets the component (no 404) and draws the clusters."""
    log = tmp_path / "server.log"
    url = start_server(log_path=log)
    deadline = time.monotonic() + 90
    while "caches warmed" not in log.read_text(errors="replace"):
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.2)
    line = next(x for x in log.read_text().splitlines() if "caches warmed" in x)
    newest = newest_valid([validate_release(p) for p in list_releases(ROOT / "data" / "releases")]).version  # the default
    for step in ("validate every release", f"release {newest}: start page chart", f"release {newest}: national map", f"release {newest}: karachi map"):
        assert step in line
    assert "Traceback" not in log.read_text()
    page.goto(url + "/map?view=national")
    ready(page)
    expect(page.frame_locator(IFR).locator(".marker-cluster").first).to_be_visible()
    assert console.defects() == []


CLEAR_OF_CONTROLS = """() => {
  const controls = [...document.querySelectorAll('.leaflet-control')].map(e => e.getBoundingClientRect());
  const marks = [...document.querySelectorAll('.hub-icon, .marker-cluster')].map(e => e.getBoundingClientRect());
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return marks.length > 0 && marks.every(m => controls.every(c => !hit(m, c)));
}"""


@pytest.mark.parametrize("query", ["", "?view=national"], ids=["karachi", "national"])
def test_no_hub_starts_under_the_legend_or_a_control(app_server, visit, query):
    page, log = visit(app_server + "/map" + query)
    frame = page.locator(IFR).element_handle().content_frame()
    frame.locator(".hub-icon, .marker-cluster").first.wait_for()
    frame.wait_for_function(CLEAR_OF_CONTROLS, timeout=15_000)  # the framing measures the controls once styled
    assert frame.locator("#hub-legend").bounding_box()["height"] > 0
    assert log.defects() == []


def test_legend_stays_in_full_screen_and_folds_away(app_server, visit):
    page, log = visit(app_server + "/map")
    frame = page.locator(IFR).element_handle().content_frame()
    frame.locator(".hub-icon").first.wait_for()
    frame.locator(".leaflet-control-zoom-fullscreen").click()
    frame.wait_for_function("() => !!document.fullscreenElement && document.fullscreenElement.contains(document.querySelector('#hub-legend'))")
    expect(frame.locator("#hub-legend")).to_contain_text("Flagship hub")
    frame.locator(".leaflet-control-zoom-fullscreen").click()
    frame.wait_for_function("() => !document.fullscreenElement")
    cols = frame.locator("#hub-legend .cols")
    # the map beside the hub details is narrower than hubmap.NARROW_MAP_PX at this size: out of full screen the legend
    # folds again (its resize handler may run a moment after the exit: wait for it, do not sample it)
    expect(cols).to_be_hidden()
    frame.get_by_text("Legend", exact=True).click()
    expect(cols).to_be_visible()
    frame.get_by_text("Legend", exact=True).click()
    expect(cols).to_be_hidden()
    assert log.defects() == []


@pytest.mark.parametrize("width", [1366, 1000])
def test_legend_and_layers_fold_on_a_narrow_map_and_open_in_full_screen(app_server, browser, width):
    """The map beside the hub details is narrower than hubmap.NARROW_MAP_PX: the legend and the layer control start
    folded and no hub starts under a control; in full screen (a wide map) both open, and fold again after it."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(app_server + "/map?view=national")
        frame = page.locator(IFR).element_handle().content_frame()
        frame.locator(".leaflet-container[data-fitted]").wait_for()
        assert frame.evaluate("() => document.querySelector('.leaflet-container').clientWidth") < NARROW_MAP_PX
        assert frame.locator(".leaflet-container").get_attribute("data-fitted") == "folded-legend"
        frame.wait_for_function(CLEAR_OF_CONTROLS, timeout=15_000)
        layers, cols = frame.locator(".leaflet-control-layers"), frame.locator("#hub-legend .cols")
        expect(layers).not_to_have_class(re.compile("leaflet-control-layers-expanded"))
        expect(cols).to_be_hidden()
        frame.locator(".leaflet-control-zoom-fullscreen").click()
        frame.wait_for_function("() => !!document.fullscreenElement")
        expect(layers).to_have_class(re.compile("leaflet-control-layers-expanded"))
        expect(cols).to_be_visible()
        frame.locator(".leaflet-control-zoom-fullscreen").click()
        frame.wait_for_function("() => !document.fullscreenElement")
        expect(layers).not_to_have_class(re.compile("leaflet-control-layers-expanded"))
        expect(cols).to_be_hidden()
    finally:
        page.close()


# Every pair of the map's visible controls (zoom, full screen, layers, legend, scale, attribution) apart.
CONTROLS_APART = """() => {
  const boxes = [...document.querySelectorAll('.leaflet-control')].map(e => [e.className, e.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && r.height > 0);
  const hit = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const clashes = [];
  boxes.forEach(([na, a], i) => boxes.slice(i + 1).forEach(([nb, b]) => { if (hit(a, b)) clashes.push(na + ' / ' + nb); }));
  return {count: boxes.length, clashes: clashes, width: document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("view", ["karachi", "national"])
def test_on_a_phone_the_map_spans_the_width_and_its_controls_never_overlap(app_server, browser, view):
    """At 390x844: the map is as wide as the page's content; the view switch fits; the layer control and the legend
    start folded; zoom, full screen, layers, legend, scale and attribution never overlap, folded or opened."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(app_server + f"/map?view={view}")
        frame = page.locator(IFR).element_handle().content_frame()
        frame.locator(".leaflet-container[data-fitted]").wait_for()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        tabs, ifr = page.locator('[data-testid="stTabs"]').bounding_box(), page.locator(IFR).bounding_box()
        assert ifr["x"] <= tabs["x"] + 1 and ifr["x"] + ifr["width"] >= tabs["x"] + tabs["width"] - 1
        assert ifr["x"] >= 0 and ifr["x"] + ifr["width"] <= 390
        switch = page.locator(".st-key-view").get_by_role("radio")  # the view switch (the sidebar's language switch is a button group too)
        expect(switch).to_have_count(2)
        for i in range(switch.count()):
            box = switch.nth(i).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, switch.nth(i).inner_text()
            assert switch.nth(i).evaluate("(e) => e.scrollWidth <= e.clientWidth + 1")
        expect(frame.locator(".leaflet-control-layers")).not_to_have_class(re.compile("leaflet-control-layers-expanded"))
        expect(frame.locator("#hub-legend .cols")).to_be_hidden()
        folded = frame.evaluate(CONTROLS_APART)
        assert folded["count"] >= 5 and folded["clashes"] == [], folded
        frame.locator(".leaflet-control-layers-toggle").tap()
        expect(frame.locator(".leaflet-control-layers")).to_have_class(re.compile("leaflet-control-layers-expanded"))
        frame.locator("#hub-legend summary").tap()
        expect(frame.locator("#hub-legend .cols")).to_be_visible()
        frame.evaluate("() => document.querySelector('.leaflet-control-layers').classList.add('leaflet-control-layers-expanded')")
        opened = frame.evaluate(CONTROLS_APART)
        assert opened["clashes"] == [], opened
    finally:
        context.close()


def test_first_click_on_a_hub_selects_it_when_the_map_reaches_below_the_window(app_server, browser, ready):
    """Leaflet focused the map on mousedown and the browser scrolled the page to show all of it, so the mouseup
    landed elsewhere and the first click selected nothing (at 900 px high, the map's foot is below the window)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(app_server + f"/map?{PIN}")
        ready(page)
        framed(page)
        scrolled = "() => document.querySelector('[data-testid=stMain]').scrollTop"
        # set the case up from the map's own place, not a marker's (a marker read while the map settles can be stale):
        # the map's top 480 px from the window's top, so its foot (560 px lower) is below the 900 px window
        top = page.locator(IFR).bounding_box()["y"]
        page.evaluate("(d) => { document.querySelector('[data-testid=stMain]').scrollTop += d; }", top - 480)
        expect(page.locator(IFR)).to_be_in_viewport()
        box = page.locator(IFR).bounding_box()
        assert box["y"] + box["height"] > 900, "the map's foot must reach below the window: the case this test is about"
        # a marker wholly inside the window
        inside = [i for i in range(hub_icons(page).count()) if (b := hub_icons(page).nth(i).bounding_box())["y"] > 0 and b["y"] + b["height"] < 880]
        assert inside, "a hub marker must show inside the window"
        icon = hub_icons(page).nth(inside[0])
        name = icon.get_attribute("aria-label").split(", ")[0]
        before = page.evaluate(scrolled)
        icon.click()
        expect(page.get_by_role("heading", name=name)).to_be_visible()
        assert page.evaluate(scrolled) == before
    finally:
        page.close()


def test_the_hub_list_costs_a_first_visit_nothing_and_chooses_a_hub(app_server, visit):
    """The hub picker is a button that opens the list: a first visit fetches no select box code (Streamlit loads a
    widget's code on its first use, and a popover's content once it is opened); opened, the list chooses a hub, whose
    details show, whose name the button then carries, and which the address keeps."""
    page, log = visit(app_server + f"/map?{PIN}")
    framed(page)
    fetched = "() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()).filter((n) => n.startsWith('Selectbox.'))"
    assert page.evaluate(fetched) == []
    button = page.get_by_role("button", name="Choose a hub by name")
    expect(button).to_be_visible()
    button.click()
    name = pd.read_csv(ROOT / "data" / "releases" / RELEASE / "hubs.csv", dtype=str).set_index("hub_id").loc["karachi-2", "name"]
    choose(page, page.locator("[data-testid=stPopoverBody] [data-testid=stSelectbox]"), re.compile(f"^{re.escape(name)}"))
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=re.compile(f"^{re.escape(name)}"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]hub=karachi-2(&|$)"))
    assert page.evaluate(fetched) != []  # the code came when the list was opened
    assert log.defects() == []
