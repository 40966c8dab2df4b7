"""Serve the map's scripts and stylesheets from this server, never from a CDN.

folium and streamlit-folium load Leaflet, jQuery, Bootstrap, Font Awesome, awesome-markers and each
plugin's files from CDNs; without internet the map iframe stays blank. `make assets` copies the same
files, at the versions folium names, from the npm packages pinned in package.json into
static/vendor/, which Streamlit serves at /app/static/vendor/ (`[server] enableStaticServing = true`).

use_local_assets() points folium's asset lists (folium.Map's and every plugin's `default_js` /
`default_css`, which streamlit-folium reads too) at those copies. external_refs() lists what a rendered
map still loads from elsewhere: a test keeps that list empty. Map tiles are not scripts or stylesheets
and stay external: markers, shapes and controls work without them.

streamlit-folium also adds d3 from a CDN whenever a branca colormap is on the map: draw legends
another way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import folium
import folium.plugins  # noqa: F401  (defines the plugin classes whose asset lists are rewritten)
from folium.elements import JSCSSMixin

VENDOR_URL = "/app/static/vendor"  # where Streamlit serves static/vendor/

# folium 0.20's CDN URL -> the copy under static/vendor/ (made by `make assets`). npm package and version:
_LOCAL: dict[str, str] = {
    # leaflet 1.9.3
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet/leaflet.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet/leaflet.css",
    # jquery 3.7.1
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    # bootstrap 5.2.2
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": "bootstrap/js/bootstrap.bundle.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.css",
    # Bootstrap 3's glyphicons alone (folium.Icon's default prefix): @neos21/bootstrap3-glyphicons 1.0.7, the
    # glyphicon rules and fonts of Bootstrap 3.3.7 (npm has no Bootstrap 3.0.0; full Bootstrap 3 would fight 5.2.2)
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": "bootstrap3-glyphicons/css/bootstrap3-glyphicons.min.css",
    # @fortawesome/fontawesome-free 6.2.0
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": "fontawesome-free/css/all.min.css",
    # Leaflet.awesome-markers 2.0.2: npm drmonty-leaflet-awesome-markers 2.0.2 (npm's leaflet.awesome-markers has no 2.0.2)
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": "leaflet-awesome-markers/leaflet.awesome-markers.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": "leaflet-awesome-markers/leaflet.awesome-markers.css",
    # folium's own file, from the sdist of the installed folium on PyPI (its wheel does not ship it)
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": "folium/leaflet.awesome.rotate.css",
    # leaflet.markercluster 1.1.0 (MarkerCluster, FastMarkerCluster)
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": "leaflet.markercluster/leaflet.markercluster.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": "leaflet.markercluster/MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": "leaflet.markercluster/MarkerCluster.Default.css",
    # leaflet.fullscreen 3.0.0 (Fullscreen): the CDN minifies Control.FullScreen.js on the fly; npm ships only the source
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "leaflet.fullscreen/Control.FullScreen.js",
    "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    # leaflet.featuregroup.subgroup 1.0.2 (FeatureGroupSubGroup)
    "https://unpkg.com/leaflet.featuregroup.subgroup@1.0.2/dist/leaflet.featuregroup.subgroup.js": "leaflet.featuregroup.subgroup/leaflet.featuregroup.subgroup.js",
}


# The hub map's scripts, joined in this order into one file by `make assets` (each file unchanged, then "\n;\n"):
# streamlit-folium loads a map's scripts one after another, each waiting for the last, so one file saves three
# round trips before the first marker. bundled() swaps the list for the joined file only when it holds the
# whole list in the same order.
BUNDLE_PARTS = (
    "leaflet/leaflet.js",
    "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet.featuregroup.subgroup/leaflet.featuregroup.subgroup.js",
    "leaflet.fullscreen/Control.FullScreen.js",
)
BUNDLE = "bundle/hubmap-scripts.js"


def bundled(js_links: tuple[str, ...]) -> tuple[str, ...]:
    """The joined script file instead of `js_links` when they are a subsequence of BUNDLE_PARTS; else unchanged.

    Loading a part the map does not use (e.g. the cluster plugin for the Karachi view) is harmless: each part
    only defines Leaflet classes.
    """
    parts = [f"{VENDOR_URL}/{p}" for p in BUNDLE_PARTS]
    if not js_links or any(link not in parts for link in js_links):
        return js_links
    order = [parts.index(link) for link in js_links]
    return (f"{VENDOR_URL}/{BUNDLE}",) if order == sorted(order) else js_links


# The Urdu map's font: Noto Nastaliq Urdu (npm @fontsource/noto-nastaliq-urdu, whose files `make assets` copies), declared
# in a stylesheet of its own beside the font files, which `make assets` writes (write_font_css). A map's iframe inherits
# no font from the page, so an Urdu map links this file in its own header (components.hubmap.UrduFont). Its URLs are
# relative to the file, so the same link works on the app's server, in the PNG export (static/vendor served as
# /app/static/vendor) and in the offline HTML pack (which inlines the stylesheet and its fonts as data: URIs).
FONT_FAMILY = "Noto Nastaliq Urdu"
FONT_DIR = "noto-nastaliq-urdu"
FONT_CSS = f"{FONT_DIR}/map-font.css"
FONTSOURCE = Path(__file__).resolve().parent.parent / "node_modules" / "@fontsource" / "noto-nastaliq-urdu"
_FONT_FILE = re.compile(r"noto-nastaliq-urdu-(?P<face>[a-z-]+-\d+)-normal\.woff2")


def font_css(vendor_dir: Path, fontsource: Path = FONTSOURCE) -> str:
    """@font-face rules for every font file copied to vendor_dir/FONT_DIR (each subset and weight `make assets` copies),
    with the weight the npm package's stylesheet of that face gives (`<subset>-<weight>.css`) and its subset's unicode
    range (the package's unicode.json); URLs relative to FONT_DIR, woff2 only."""
    ranges = json.loads((fontsource / "unicode.json").read_text(encoding="utf-8"))
    rules = []
    for font in sorted((vendor_dir / FONT_DIR).glob("*.woff2")):
        found = _FONT_FILE.fullmatch(font.name)
        if not found:
            continue
        face = found.group("face")
        weight = re.search(r"font-weight:\s*(\d+)", (fontsource / f"{face}.css").read_text(encoding="utf-8"))
        subset = face.rsplit("-", 1)[0]
        if weight is None or subset not in ranges:
            raise ValueError(f"@fontsource/noto-nastaliq-urdu names no weight or unicode range for {face}")
        rules.append(
            f"@font-face{{font-family:'{FONT_FAMILY}';font-style:normal;font-display:swap;font-weight:{weight.group(1)};"
            f"src:url({font.name}) format('woff2');unicode-range:{ranges[subset]}}}\n"
        )
    return "".join(rules)


def write_font_css(vendor_dir: Path, fontsource: Path = FONTSOURCE) -> Path:
    """Write FONT_CSS under vendor_dir (beside the font files `make assets` copies); returns its path."""
    out = vendor_dir / FONT_CSS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(font_css(vendor_dir, fontsource), encoding="utf-8")
    return out


def local_url(url: str) -> str:
    """The locally served URL for one of folium's CDN URLs; any other URL unchanged."""
    rel = _LOCAL.get(url)
    return url if rel is None else f"{VENDOR_URL}/{rel}"


def vendor_files() -> list[PurePosixPath]:
    """Every file use_local_assets() points at, relative to static/vendor/ (fonts and images their CSS names excluded)."""
    return sorted({PurePosixPath(rel) for rel in _LOCAL.values()})


def _asset_classes() -> Iterator[type]:
    """folium.Map and every plugin class (every JSCSSMixin subclass folium defines), each once."""
    seen: set[type] = set()
    todo: list[type] = [JSCSSMixin]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
                yield sub


def use_local_assets() -> None:
    """Point folium's (and so streamlit-folium's) script and stylesheet lists at the local copies.

    Rewrites `default_js` / `default_css` wherever a class defines them (subclasses that inherit them, such as
    FastMarkerCluster, follow). URLs with no local copy are left as they are, for external_refs() to report.
    Idempotent: a rewritten URL is local and is never rewritten again.
    """
    for cls in _asset_classes():
        for attr in ("default_js", "default_css"):
            assets = vars(cls).get(attr)
            if assets:
                setattr(cls, attr, [(name, local_url(url)) for name, url in assets])


class _RefParser(HTMLParser):
    """Collects <script src> and <link href> values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"script": "src", "link": "href"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.refs.append(value.strip())


def asset_refs(html: str) -> list[str]:
    """Every <script src> and <link href> in the HTML, in document order."""
    parser = _RefParser()
    parser.feed(html)
    parser.close()
    return parser.refs


def external_refs(html: str) -> list[str]:
    """The <script src> / <link href> values that point outside this server (http://, https:// or //)."""
    return [ref for ref in asset_refs(html) if ref.lower().startswith(("http://", "https://", "//"))]


def write_bundle(vendor_dir: Path) -> Path:
    """Join BUNDLE_PARTS (copied by `make assets`) into vendor_dir/BUNDLE; returns its path."""
    out = vendor_dir / BUNDLE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(b"".join((vendor_dir / part).read_bytes() + b"\n;\n" for part in BUNDLE_PARTS))
    return out


if __name__ == "__main__":  # `python -m components.mapassets bundle`, run by `make assets` (the script bundle and the font's stylesheet)
    import sys

    if sys.argv[1:] != ["bundle"]:
        raise SystemExit("usage: python -m components.mapassets bundle")
    vendor = Path(__file__).resolve().parent.parent / "static" / "vendor"
    print(write_bundle(vendor))
    print(write_font_css(vendor))
