"""Sites of one's own on the Hub map, in real Chromium: an uploaded hub list drawn as a layer of its own and compared
with the release's plan; markup in its names shown as text in the map's tooltips and panel (no dialog); a hostile
file gives its message and nothing else, and the page keeps working."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from harness import MAP_IFRAME
from playwright.sync_api import Page, expect

from pakcoe import load_release
from pakcoe.own_sites import template_csv

ROOT = Path(__file__).resolve().parents[2]
RELEASE = "1.1.0"  # one of the pinned server's releases, named in every link
IFR = MAP_IFRAME
IMG = "<img src=x onerror=alert(1)>"
TEMPLATE_JS = "Hub `${alert(1)}` `);alert(2);(`"
PANEL = "Your own sites (this session only)"


def sites_file() -> bytes:
    """The release's Karachi hubs from the template, each moved ~1 km north (so no site hides under a hub), the first
    two named with markup."""
    rows = list(csv.DictReader(io.StringIO(template_csv(load_release(ROOT / "data" / "releases" / RELEASE)))))
    mine = [r for r in rows if r["city_id"] == "karachi"]
    for i, r in enumerate(mine):
        r["lat"] = f"{float(r['lat']) + 0.009:.6f}"
        r["hub_id"] = f"mine-{i + 1}"
    mine[0]["name"], mine[1]["name"] = IMG, TEMPLATE_JS
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(mine)
    return out.getvalue().encode("utf-8")


def upload(page: Page, name: str, data: bytes, ready) -> None:
    expander = page.locator("[data-testid=stExpander]").filter(has_text=PANEL)
    if expander.locator("details").get_attribute("open") is None:
        expander.get_by_text(PANEL).click()
    expander.locator("input[type=file]").set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    ready(page)


def own_markers(page: Page):
    return page.frame_locator(IFR).locator(".hub-icon:has(svg.own-site)")


def no_traceback(page: Page) -> None:
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)


def test_uploaded_sites_are_a_layer_of_their_own_compared_with_the_plan_and_their_markup_is_text(pinned_server, page, ready):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(pinned_server + f"/map?release={RELEASE}")
    ready(page)
    data = sites_file()
    upload(page, "my-sites.csv", data, ready)
    expect(page.get_by_text("my-sites.csv: 12 sites loaded for this session.")).to_be_visible()
    frame = page.frame_locator(IFR)
    expect(own_markers(page)).to_have_count(12)
    expect(frame.locator(".hub-icon:not(:has(svg.own-site))")).to_have_count(12)  # the release's hubs still drawn
    expect(frame.locator(".leaflet-control-layers")).to_contain_text("Your sites (12)")
    expect(frame.locator("#hub-legend")).to_contain_text("your own sites (uploaded, this session only)")
    # the names with markup: the markers' accessible names and tooltips hold them as text
    assert own_markers(page).nth(0).get_attribute("aria-label").startswith(IMG + ", Your site · ")
    assert own_markers(page).nth(1).get_attribute("aria-label").startswith(TEMPLATE_JS + ", Your site · ")
    for i, text in ((0, IMG), (1, TEMPLATE_JS)):
        own_markers(page).nth(i).hover()
        tooltip = frame.locator(".leaflet-tooltip").filter(has_text=text)  # a tooltip stays in the page once made
        expect(tooltip).to_have_count(1)
        expect(tooltip).to_contain_text("Your site")
        assert tooltip.locator("img, script").count() == 0
    # the panel: a click on a site shows its details, the name as a heading of text
    own_markers(page).nth(0).click()
    ready(page)
    expect(page.get_by_role("heading", name=IMG)).to_be_visible()
    expect(page.get_by_text("Your site, from my-sites.csv")).to_be_visible()
    # the comparison: coverage per phase and hubs per province, the plan beside yours
    expect(page.get_by_text("Your sites beside the release's plan")).to_be_visible()
    grids = page.locator("[data-testid=stExpander] [data-testid=stDataFrame]")
    expect(grids).to_have_count(2)
    heads = grids.nth(1).get_by_role("columnheader", include_hidden=True)
    expect(heads.filter(has_text="Yours: hubs")).to_have_count(1)
    expect(heads.filter(has_text="The plan: hubs")).to_have_count(1)
    expect(grids.nth(1).get_by_role("gridcell", include_hidden=True).filter(has_text="Sindh").first).to_be_attached()
    # the national view draws them too, and the page's link holds none of it
    assert "own" not in page.url and "sites" not in page.url
    page.locator("[data-testid=stButtonGroup]").get_by_text("National network").click()  # the view switch, same session
    ready(page)
    expect(own_markers(page)).to_have_count(12)
    no_traceback(page)
    assert dialogs == []


HOSTILE = {
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary content"),
    "latin-1": ("hub_id,name,city_id,phase_id,hub_type,lat,lon\nx,Café hub,lahore,1,standard,31.55,74.35\n".encode("latin-1"), "not UTF-8 text"),
    "empty lines": (b"\n" * 1_000_000, "The file is empty"),
    "columns": ((",".join(f"c{i}" for i in range(100_000)) + "\n").encode(), "100,000 columns"),
}


def test_hostile_files_get_their_message_and_nothing_else_and_the_page_keeps_working(pinned_server, page, ready, browser):
    page.goto(pinned_server + f"/map?release={RELEASE}")
    ready(page)
    for name, (data, message) in HOSTILE.items():
        upload(page, f"{name.replace(' ', '-')}.csv", data, ready)
        expect(page.locator("[data-testid=stAlert]").filter(has_text=message)).to_be_visible()
        expect(page.get_by_text("sites loaded")).to_have_count(0)
        expect(own_markers(page)).to_have_count(0)
        no_traceback(page)
    formula = sites_file().replace(IMG.encode(), b'=HYPERLINK("http://example.com")', 1)
    upload(page, "formula.csv", formula, ready)
    expect(page.get_by_text("formula.csv: 1 problem; no site was loaded.")).to_be_visible()
    cells = page.locator("[data-testid=stExpander] [data-testid=stDataFrame]").get_by_role("gridcell", include_hidden=True)
    expect(cells.filter(has_text="which a spreadsheet runs as a formula").first).to_be_attached()
    # the page keeps working: the map and its filters, then a valid file
    expect(page.frame_locator(IFR).locator(".hub-icon")).to_have_count(12)
    page.get_by_role("tab", name="Coverage").click()
    ready(page)
    expect(page.get_by_text("Within 25 km of the hubs shown")).to_be_visible()
    page.get_by_role("tab", name="Map and hub details").click()
    ready(page)
    upload(page, "good.csv", sites_file(), ready)
    expect(page.get_by_text("good.csv: 12 sites loaded for this session.")).to_be_visible()
    expect(own_markers(page)).to_have_count(12)
    no_traceback(page)
    # and another visitor's session, opened after all this, has the map and none of these sites
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        other.goto(pinned_server + f"/map?release={RELEASE}")
        ready(other)
        expect(other.frame_locator(IFR).locator(".hub-icon")).to_have_count(12)
        expect(own_markers(other)).to_have_count(0)
        no_traceback(other)
    finally:
        other.context.close()


def test_over_the_limit_is_refused_with_a_message(pinned_server, page, ready):
    page.goto(pinned_server + f"/map?release={RELEASE}")
    ready(page)
    upload(page, "big.csv", b"a" * (1024 * 1024 + 10), ready)
    expect(page.get_by_text("1.0MB or smaller", exact=False).or_(page.get_by_text("over the limit"))).to_be_visible()
    expect(page.get_by_text("sites loaded")).to_have_count(0)
    expect(own_markers(page)).to_have_count(0)
    no_traceback(page)
    expect(page.frame_locator(IFR).locator(".hub-icon")).to_have_count(12)
