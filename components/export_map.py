"""The hub map as a PNG image, with its legend, the boundary disclaimer and the release's provenance drawn under it.

The map is the app's own (components.hubmap.build_map: the same outline, markers, clusters and hub-and-spoke links),
rendered as a whole HTML page and photographed in the system Chromium through Playwright. Nothing reaches the
network: the page and the Leaflet files (static/vendor, filled by `make assets`) are served from this process under
a made-up origin, and every other request (map tiles above all) is refused, so the outline of Pakistan is the base
layer. `Chromium` is one headless browser for a whole export (the deck photographs several maps and prints once).
No Streamlit calls here: the command line uses this module too. Texts are in the current language (pakcoe.i18n); an
Urdu map's legend and footer read right to left in Noto Nastaliq Urdu (the map links the font, served from static/vendor).
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from components import mapassets, render
from components.escape import escape_html
from components.hubmap import OSM_TILES, PAKISTAN_BOUNDS, URDU_FONT, MapSpec, build_map, legend_html, marker_style, rtl_attrs
from components.map_data import filter_choices, filter_summary, view_hubs, view_total
from components.stage_map import map_css
from pakcoe import Release, i18n, labels
from pakcoe.coverage import HubFilter
from pakcoe.i18n import t
from pakcoe.provenance import provenance
from pakcoe.registry import NATIONAL

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
ORIGIN = "http://export.invalid"  # never resolved: every request to it is answered from this process
CHROMIUM_ARGS = render.CHROMIUM_ARGS
WIDTH, HEIGHT, SCALE = 1280, 800, 1.5  # the map's size in CSS pixels and the image's pixels per CSS pixel
NO_FILTER = HubFilter()
NO_TILE = "data:,"  # the tile layer's address in an export: an empty image, never a request
# The export's own style: no map controls (they do nothing on paper), no tiles (never offline), and the footer.
EXPORT_CSS = """
html, body { width: %(w)spx !important; height: auto !important; margin: 0; background: #FFFFFF; }
.folium-map { position: relative !important; width: %(w)spx !important; height: %(h)spx !important; left: 0 !important; top: 0 !important; }
.leaflet-control-zoom, .leaflet-control-layers, .leaflet-control-fullscreen, .leaflet-control-attribution { display: none !important; }
.leaflet-tile-pane { display: none !important; }
.leaflet-container { background: #FFFFFF; }
%(legend)s
#export-foot { box-sizing: border-box; width: %(w)spx; padding: 10px 18px 14px 18px; border-top: 1px solid #8A8A8A;
  font: 13px/1.4 'Source Sans Pro', 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif; color: #14213D; }
#export-foot #hub-legend { border: 0; padding: 0 0 6px 0; background: none; max-width: none; font-size: 14px; }
#export-foot #hub-legend summary { display: none; }
#export-foot p { margin: 0; }
#export-foot .boundary { font-weight: 600; margin: 4px 0 2px 0; }
#export-foot .status { font-weight: 700; }
"""
# An Urdu footer: right to left, in Nastaliq, with the line height its tall letters need (its legend too).
RTL_FOOT_CSS = f"""
#export-foot[dir=rtl], #export-foot[dir=rtl] #hub-legend {{ font-family: {URDU_FONT}; line-height: 2.2; text-align: right; }}
#export-foot[dir=rtl] .boundary, #export-foot[dir=rtl] .status {{ font-weight: 400; }}
"""
IN_MAP_LEGEND = ".leaflet-control #hub-legend { display: none !important; }"  # drawn under the map instead
# Drawn: framed, every marker or cluster placed, no zoom animation running, fonts loaded.
DRAWN_JS = """(expected) => {
  const box = document.querySelector('.folium-map');
  if (!box || !box.dataset.fitted) return false;
  if (box.querySelector('.leaflet-zoom-anim, .leaflet-cluster-anim')) return false;
  const marks = box.querySelectorAll('.hub-icon, .marker-cluster').length;
  return expected ? marks > 0 : true;
}"""
SETTLE_JS = "() => document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))"


def unavailable() -> str | None:
    """Why the map cannot be exported here, in words (None: it can)."""
    reason = render.unavailable()
    if reason:
        return reason
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Map and deck export need the Playwright package on the server, which is not installed here (`make run` installs it)."
    missing = [p for p in mapassets.BUNDLE_PARTS if not (VENDOR / p).exists()]
    if missing:
        return "Map export needs the map's script files in static/vendor, which are missing here (`make run` installs them)."
    return None


# ---------------------------------------------------------------------------------------------------
# One browser, no network


class Chromium:
    """A headless system Chromium whose pages reach nothing but the files given to `open` and static/vendor.

    Use as a context manager (`with Chromium() as browser:`); the browser is closed at the end."""

    def __init__(self) -> None:
        self._pw: Any = None
        self.browser: Any = None

    def __enter__(self) -> Chromium:
        reason = unavailable()
        if reason:
            raise RuntimeError(reason)
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(executable_path=render.chromium(), args=list(CHROMIUM_ARGS))
        except Exception:
            self._pw.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.browser is not None:
                self.browser.close()
        finally:
            self._pw.stop()

    @contextmanager
    def open(self, files: Mapping[str, str | bytes], path: str, *, width: int, height: int, scale: float = 1.0) -> Iterator[Any]:
        """A page showing files[path] at width × height CSS pixels (`scale` image pixels each); closed after use.

        `files`: path -> content served under ORIGIN; /app/static/vendor/… is served from static/vendor; any other
        request (another host, a missing file) is refused."""
        context = self.browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=scale)
        serve_offline(context, files)
        page = context.new_page()
        try:
            page.goto(ORIGIN + path, wait_until="load")
            yield page
        finally:
            context.close()


def serve_offline(context: Any, files: Mapping[str, str | bytes]) -> None:
    """Answer every request of a Playwright browser context as an export's page gets it: `files` (path -> content) under
    ORIGIN, static/vendor under /app/static/vendor/, nothing else."""
    context.route("**/*", lambda route: _answer(route, files))


def _answer(route: Any, files: Mapping[str, str | bytes]) -> None:
    """Serve a request from `files` or static/vendor; refuse everything else."""
    url = route.request.url
    if not url.startswith(ORIGIN + "/"):
        route.abort("blockedbyclient")
        return
    path = url[len(ORIGIN) :].split("?", 1)[0].split("#", 1)[0]
    body: str | bytes | None = files.get(path)
    if body is None and path.startswith(mapassets.VENDOR_URL + "/"):
        file = (VENDOR / path[len(mapassets.VENDOR_URL) + 1 :]).resolve()
        if file.is_relative_to(VENDOR) and file.is_file():
            body = file.read_bytes()
    if body is None:
        route.abort("blockedbyclient")
        return
    kind = mimetypes.guess_type(path)[0] or ("text/html" if path.endswith("/") else "application/octet-stream")
    route.fulfill(status=200, body=body, content_type=kind + ("; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else ""))


# ---------------------------------------------------------------------------------------------------
# The map


@dataclass(frozen=True)
class MapView:
    """What a map export shows: the view (NATIONAL or the demonstrator city's id) and the filter."""

    view: str
    hub_filter: HubFilter = NO_FILTER


def map_source(release: Release, view: str, hub_filter: HubFilter) -> str:
    """The map's source line in words: which hubs of which view, filtered how, and the outline."""
    hubs, total = len(view_hubs(release, view, hub_filter)), view_total(release, view)
    where = t("the national network") if view == NATIONAL else t("the {city} cluster", city=labels.city_name(release, view))
    summary = re.sub(r"\\(.)", r"\1", filter_summary(filter_choices(release), hub_filter))  # the page's Markdown-safe words, as plain text
    if summary:
        shown = t("{n} of the {total} proposed hubs of {where}, filtered to {summary}", n=i18n.num(hubs), total=i18n.num(total), where=where, summary=summary)
    else:
        shown = t("the {total} proposed hubs of {where}", total=i18n.num(total), where=where)
    return t("{shown} (indicative locations, data release {version}); outline of Pakistan: Natural Earth", shown=shown, version=release.version)


def _bounds(release: Release, view: str, hub_filter: HubFilter) -> list[list[float]]:
    """The area the map frames, as components.hubmap.build_map frames it."""
    hubs = view_hubs(release, view, hub_filter)
    if view == NATIONAL or not len(hubs):
        return PAKISTAN_BOUNDS
    lat, lon = hubs["lat"].astype(float), hubs["lon"].astype(float)
    return [[lat.min() - 0.02, lon.min() - 0.02], [lat.max() + 0.02, lon.max() + 0.02]]


def footer_html(release: Release, view: str, lines: tuple[str, ...]) -> str:
    """The legend, then the boundary disclaimer and the provenance lines (every text escaped)."""
    legend = legend_html(marker_style(release), view)
    boundary, status, *rest = lines
    parts = [f'<p class="boundary">{escape_html(boundary)}</p>', f'<p class="status">{escape_html(status)}</p>']
    parts += [f"<p>{escape_html(line)}</p>" for line in rest]
    return f'<div id="export-foot"{rtl_attrs()}>{legend}{"".join(parts)}</div>'


def map_page(release: Release, shown: MapView, *, width: int, height: int, footer: bool, ring: str | None, on: date | None) -> str:
    """The map as one HTML page at width × height CSS pixels, with the footer under it when `footer`."""
    hubs = view_hubs(release, shown.view, shown.hub_filter)
    page = build_map(MapSpec(shown.view, hubs, release)).get_root().render()
    page = page.replace(json.dumps(OSM_TILES), json.dumps(NO_TILE))  # no tiles offline: none is even asked for
    style = EXPORT_CSS % {"w": width, "h": height, "legend": IN_MAP_LEGEND if footer else ""} + (RTL_FOOT_CSS if i18n.is_rtl() else "")
    head = f"<style>{style}</style>" + ("" if footer else map_css(ring))  # without the footer: the stage's map style
    page = page.replace("</head>", head + "</head>", 1)
    if footer:
        lines = provenance(release, map_source(release, shown.view, shown.hub_filter), on).map_lines()
        page = page.replace("</body>", footer_html(release, shown.view, lines) + "</body>", 1)
    return page


def shoot(browser: Chromium, release: Release, shown: MapView, *, width: int = WIDTH, height: int = HEIGHT, scale: float = SCALE,
          footer: bool = True, ring: str | None = None, on: date | None = None) -> bytes:  # fmt: skip
    """The map as PNG bytes, photographed in `browser` (the footer under it when `footer`; `ring`: a hub to ring)."""
    html = map_page(release, shown, width=width, height=height, footer=footer, ring=ring, on=on)
    expected = len(view_hubs(release, shown.view, shown.hub_filter)) > 0
    with browser.open({"/map.html": html}, "/map.html", width=width, height=height, scale=scale) as page:
        page.wait_for_function(DRAWN_JS, arg=expected, timeout=60_000)
        name = re.search(r'class="folium-map" id="([A-Za-z0-9_]+)"', html)
        if name:  # frame the hubs again without the room kept for the in-map legend and controls (not drawn here)
            page.evaluate(
                "([n, b]) => window[n].fitBounds(b, {padding: [24, 24], animate: false})", [name.group(1), _bounds(release, shown.view, shown.hub_filter)]
            )
            page.wait_for_function(DRAWN_JS, arg=expected, timeout=60_000)
        page.evaluate(SETTLE_JS)
        return page.screenshot(type="png", full_page=True)


def map_png(release: Release, view: str, hub_filter: HubFilter = NO_FILTER, *, width: int = WIDTH, height: int = HEIGHT, scale: float = SCALE,
            on: date | None = None) -> bytes:  # fmt: skip
    """The hub map of a view and filter as a PNG: the map (width × height CSS pixels, `scale` image pixels each), then
    its legend, the boundary disclaimer, the concept's status, release and export date, source, how to cite, and the
    attributions. One browser for this call."""
    with Chromium() as browser:
        return shoot(browser, release, MapView(view, hub_filter), width=width, height=height, scale=scale, on=on)
