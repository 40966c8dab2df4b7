"""The map in real Chromium with no internet: every script, stylesheet, font and image comes from this server.

A tiny Streamlit app (in the test's temporary folder, its static/ a link to the project's) calls
use_local_assets() and shows the map of tests/test_map_assets.py with st_folium. It runs with the project's
.streamlit/config.toml (cwd = project root), so the test also proves that static serving is switched on there.
Only map tiles may go to another host (and fail here: no internet).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from harness import MAP_IFRAME, ROOT, streamlit_server
from playwright.sync_api import Page, expect

IFR = MAP_IFRAME
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
TILE_HOST = "tile.openstreetmap.org"  # folium's default OpenStreetMap tile layer
APP = f"""
import sys
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "tests")!r}]
import streamlit as st
from streamlit_folium import st_folium
from components.mapassets import use_local_assets
from test_map_assets import build_map

use_local_assets()
st.title("Offline map")
st_folium(build_map(), returned_objects=[], height=400, key="m")
"""
# In the map's iframe: the libraries folium loads, at the versions it names.
LIBRARIES_JS = """() => ({
  leaflet: window.L && L.version,
  jquery: window.jQuery && jQuery.fn.jquery,
  bootstrap: window.bootstrap && bootstrap.Tooltip.VERSION,
  awesomeMarkers: !!(window.L && L.AwesomeMarkers && L.AwesomeMarkers.icon),
  markercluster: !!(window.L && L.markerClusterGroup),
  fullscreen: !!(window.L && L.Control.FullScreen),
  subgroup: !!(window.L && L.featureGroup.subGroup),
})"""
STYLESHEETS_JS = """() => [...document.querySelectorAll('link[rel=stylesheet]')]
  .map(l => [l.href, !!l.sheet && l.sheet.cssRules.length > 0])"""
FONTS_JS = """() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/["']/g, ''))"""


@pytest.fixture(scope="module")
def map_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The tiny map app on a real Streamlit server; yields its base URL."""
    tmp = tmp_path_factory.mktemp("map-offline")
    (tmp / "map_app.py").write_text(APP, encoding="utf-8")
    (tmp / "static").symlink_to(ROOT / "static")  # Streamlit serves static/ beside the main script
    with streamlit_server(tmp / "map_app.py") as url:
        yield url


def test_map_draws_offline_from_local_assets(map_app: str, page: Page, console, ready) -> None:
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(map_app + "/")
    ready(page)
    expect(page.get_by_role("heading", name="Offline map")).to_be_visible()

    iframe = page.locator(IFR)
    expect(iframe).to_be_visible()
    box = iframe.bounding_box()
    assert box is not None and box["height"] >= 400, f"map iframe box {box}"
    fl = page.frame_locator(IFR)
    expect(fl.locator("path.leaflet-interactive").first).to_be_visible()  # the CircleMarker
    expect(fl.locator(".leaflet-marker-icon.marker-cluster").first).to_be_visible()  # MarkerCluster
    expect(fl.locator(".awesome-marker > i")).to_have_count(2)  # the Markers with a folium Icon (awesome-markers)
    expect(fl.locator(".awesome-marker i.glyphicon-info-sign")).to_be_visible()
    expect(fl.locator(".awesome-marker i.fa-school.fa-rotate-45")).to_be_visible()
    expect(fl.locator(".leaflet-control-layers")).to_be_visible()  # LayerControl
    expect(fl.locator(".leaflet-control-zoom-fullscreen")).to_be_visible()  # Fullscreen

    frame = iframe.element_handle().content_frame()
    assert frame is not None
    libs = frame.evaluate(LIBRARIES_JS)
    assert libs == {
        "leaflet": "1.9.3",
        "jquery": "3.7.1",
        "bootstrap": "5.2.2",
        "awesomeMarkers": True,
        "markercluster": True,
        "fullscreen": True,
        "subgroup": True,
    }
    with contextlib.suppress(Exception):  # a stylesheet may still be arriving on a loaded machine (a missing one still fails below)
        frame.wait_for_function(f"() => ({STYLESHEETS_JS})().every(([, ok]) => ok)", timeout=30_000)
    sheets = frame.evaluate(STYLESHEETS_JS)
    assert len(sheets) >= 9 and all(ok for _, ok in sheets), f"stylesheets not loaded: {sheets}"
    assert all(urlsplit(href).path.startswith("/app/static/vendor/") for href, _ in sheets), sheets
    frame.wait_for_function(f"() => ({FONTS_JS})().includes('Glyphicons Halflings') && ({FONTS_JS})().includes('Font Awesome 6 Free')")

    page.wait_for_timeout(500)  # late image and font requests
    outside = sorted({u for u in requests if urlsplit(u).hostname not in LOCAL_HOSTS and not (urlsplit(u).hostname or "").endswith(TILE_HOST)})
    assert outside == [], f"requests to other hosts: {outside}"
    local_assets = [u for u in requests if "/app/static/vendor/" in u]
    for needed in ("leaflet/images/", "leaflet-awesome-markers/images/markers-soft", "glyphicons-halflings-regular", "fa-solid-900"):
        assert any(needed in u for u in local_assets), f"no request for {needed}: {local_assets}"
    assert console.defects() == []
