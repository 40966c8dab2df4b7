"""The map loads every script and stylesheet from this server: none from a CDN, and every local one exists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import folium
import pytest
from folium.plugins import FastMarkerCluster, FeatureGroupSubGroup, Fullscreen, MarkerCluster

from components import mapassets

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+?)['"]?\s*\)""")


def build_map() -> folium.Map:
    """Every feature the app's map uses: cluster, subgroup, layer control, fullscreen, circle and icon markers."""
    m = folium.Map(location=[30.0, 69.0], zoom_start=5)
    hubs = folium.FeatureGroup(name="Hubs").add_to(m)
    karachi = FeatureGroupSubGroup(hubs, name="Karachi").add_to(m)
    cluster = MarkerCluster().add_to(karachi)
    for i in range(5):
        folium.Marker([24.86 + i / 100, 67.0 + i / 100], tooltip=f"hub {i}").add_to(cluster)
    folium.CircleMarker([31.5, 74.35], radius=8, popup="Lahore").add_to(hubs)
    folium.Marker([33.7, 73.05], icon=folium.Icon(color="green", icon="info-sign")).add_to(hubs)
    folium.Marker([34.0, 71.5], icon=folium.Icon(prefix="fa", icon="school", angle=45)).add_to(hubs)
    Fullscreen().add_to(m)
    folium.LayerControl().add_to(m)
    return m


@pytest.fixture(scope="module")
def html() -> str:
    mapassets.use_local_assets()
    return build_map().get_root().render()


def served_path(url: str) -> Path:
    path = urlsplit(url).path
    assert path.startswith(mapassets.VENDOR_URL + "/"), f"{url} is not under {mapassets.VENDOR_URL}/"
    return VENDOR / path.removeprefix(mapassets.VENDOR_URL + "/")


def test_rendered_map_references_nothing_external(html):
    assert mapassets.external_refs(html) == []


def test_every_local_reference_is_a_file_made_by_make_assets(html):
    refs = mapassets.asset_refs(html)
    assert len(refs) >= 15, refs  # Leaflet, jQuery, Bootstrap, fonts, awesome-markers, rotate, cluster, fullscreen, subgroup
    missing = [ref for ref in refs if not served_path(ref).is_file()]
    assert not missing, f"not under static/vendor (run `make assets`): {missing}"


def test_every_mapped_file_exists_and_css_urls_resolve():
    """Fonts and images a served stylesheet names by a relative URL are served beside it."""
    broken = []
    for rel in mapassets.vendor_files():
        path = VENDOR / rel
        assert path.is_file(), f"{path} missing: run `make assets`"
        if path.suffix == ".css":
            for ref in CSS_URL.findall(path.read_text(encoding="utf-8")):
                if ref.startswith(("data:", "#")):
                    continue
                assert not ref.lower().startswith(("http:", "https:", "//")), f"{rel} loads {ref} from outside"
                target = (path.parent / urlsplit(ref).path).resolve()
                if not target.is_file():
                    broken.append(f"{rel}: {ref}")
    assert not broken, f"relative URLs in served CSS that point at nothing: {broken}"


def test_streamlit_folium_gets_the_same_local_links():
    """streamlit-folium builds its own js/css lists from default_js/default_css: they are local too."""
    mapassets.use_local_assets()
    for cls in (folium.Map, MarkerCluster, FastMarkerCluster, Fullscreen, FeatureGroupSubGroup):
        for _, url in [*cls.default_js, *getattr(cls, "default_css", [])]:
            assert url.startswith(mapassets.VENDOR_URL + "/"), f"{cls.__name__}: {url}"
            assert served_path(url).is_file(), url


def test_use_local_assets_is_idempotent():
    mapassets.use_local_assets()
    first = {cls: (list(cls.default_js), list(cls.default_css)) for cls in (folium.Map, MarkerCluster, Fullscreen)}
    mapassets.use_local_assets()
    assert first == {cls: (list(cls.default_js), list(cls.default_css)) for cls in (folium.Map, MarkerCluster, Fullscreen)}


def test_external_refs_finds_absolute_and_protocol_relative_urls():
    page = """<head><script src="https://cdn.example/a.js"></script><script src="/app/static/vendor/b.js"></script>
    <link rel="stylesheet" href="//cdn.example/c.css"/><link rel="stylesheet" href="HTTP://x.example/d.css">
    <script>var s = '<script src="https://in.a.string/x.js">';</script><link rel="icon" href="/favicon.png"></head>"""
    assert mapassets.external_refs(page) == ["https://cdn.example/a.js", "//cdn.example/c.css", "HTTP://x.example/d.css"]


def test_static_serving_is_enabled():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    assert (ROOT / "static" / "README.md").is_file()  # the committed placeholder beside app.py


def test_serving_config_has_no_per_session_watchers_or_post_run_gc():
    """Both cost every page load (~0.7 s server CPU; the 10 000-hub map 3.26 s -> 2.51 s); `make dev` re-enables watching."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False
    assert "--server.fileWatcherType auto" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_the_script_bundle_is_its_parts_joined_in_order():
    joined = b"".join((VENDOR / part).read_bytes() + b"\n;\n" for part in mapassets.BUNDLE_PARTS)
    assert (VENDOR / mapassets.BUNDLE).read_bytes() == joined, "run `make assets`"
    assert b"Leaflet 1.9.3" in joined[:200]


def test_bundled_swaps_only_an_in_order_subset_of_its_parts():
    parts = tuple(f"{mapassets.VENDOR_URL}/{p}" for p in mapassets.BUNDLE_PARTS)
    bundle = (f"{mapassets.VENDOR_URL}/{mapassets.BUNDLE}",)
    assert mapassets.bundled(parts) == bundle
    assert mapassets.bundled((parts[0], parts[3])) == bundle  # the Karachi view: Leaflet and the fullscreen control
    assert mapassets.bundled((parts[3], parts[0])) == (parts[3], parts[0])  # out of order: left alone
    other = f"{mapassets.VENDOR_URL}/jquery/jquery.min.js"
    assert mapassets.bundled((parts[0], other)) == (parts[0], other)
    assert mapassets.bundled(()) == ()


def test_the_hub_map_loads_one_local_script_and_no_unused_library():
    from components.foliumview import payload_of
    from components.hubmap import MapSpec
    from components.hubmap import build_map as build_hub_map
    from pakcoe import load_release

    release = load_release(ROOT / "data" / "releases" / "1.1.0")
    for view in ("national", "karachi"):
        p = payload_of(build_hub_map(MapSpec(view, release.hubs, release)))
        assert p.js_links == (f"{mapassets.VENDOR_URL}/{mapassets.BUNDLE}",)
        assert all(served_path(link).is_file() for link in p.js_links + p.css_links)
        assert not [c for c in p.css_links if re.search("bootstrap|fontawesome|awesome-markers|glyphicons", c)]
