"""The offline briefing pack (components.export_pack): one file that fetches nothing, carries its provenance, shows the
chosen option, escapes every text from the data, and stays within 6 MB. tests/browser/test_export_pack_browser.py
opens it in Chromium with the network cut off."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from releasekit import ROOT, copy_release, newest_folder

from components import export_pack, stage_content
from components.escape import escape_html
from components.hubmap import js_json
from components.rollout_figures import option_names
from pakcoe import Release, load_release
from pakcoe.provenance import BOUNDARY
from pakcoe.registry import MAX_OPTIONS

ON = date(2026, 11, 30)
LIMIT = 6_000_000  # bytes: the 6 MB
HOSTILE = "<script>alert(1)</script> ${x} `tick` </script>"
# Attributes a browser fetches by itself (anchors and the like wait for a click); CSS url() and @import are checked apart.
FETCHED = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "base": ("href",),
}
CHART_SCRIPT = re.compile(r"<script>\s*window\.PLOTLYENV.*?</script>", re.S)  # a chart's Plotly.newPlot call (plotly.io.to_html)
CSS_REF = re.compile(r"url\(\s*['\"]?([^'\")]*)|@import\s+['\"]([^'\"]+)")


def newest_with_deck() -> Path:
    return newest_folder()


class Document(HTMLParser):
    """What a document makes the browser fetch (tag, attribute, value), its CSS, its links, its JSON scripts and the
    types of its scripts."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.fetched: list[tuple[str, str, str]] = []
        self.css: list[str] = []
        self.links: list[str] = []
        self.json: dict[str, str] = {}
        self.script_types: list[str] = []
        self._in: tuple[str, str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.fetched += [(tag, a, values[a]) for a in FETCHED.get(tag, ()) if a in values]
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.fetched.append((tag, "content", values.get("content", "")))
        if "style" in values:
            self.css.append(values["style"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        if tag == "script":
            self.script_types.append(values.get("type", ""))
            self._in = ("json", values.get("id", "")) if values.get("type") == "application/json" else None
        elif tag == "style":
            self._in = ("style", "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in and self._in[0] == "style":
            self.css.append(data)
        elif self._in and self._in[0] == "json":
            self.json[self._in[1]] = self.json.get(self._in[1], "") + data


def map_pages(doc: Document) -> list[str]:
    """Each map frame's document, as the pack's script writes it into the frame (its page around the shared files)."""
    assets = json.loads(doc.json["pack-map-assets"])
    shared = f"<style>{assets['css']}</style><script>{assets['js']}</script>"
    return [before + shared + after for key, text in sorted(doc.json.items()) if key.endswith("-doc") for before, after in [json.loads(text)]]


def fetched_refs(html: str) -> list[str]:
    """Every address the document (and each map frame's document) makes the browser fetch by itself."""
    doc = Document(html)
    refs = [value for _, _, value in doc.fetched]
    refs += [a or b for css in doc.css for a, b in CSS_REF.findall(css)]
    for page in map_pages(doc) if "pack-map-assets" in doc.json else []:
        refs += fetched_refs(page)
    return refs


@pytest.fixture(scope="module")
def release():
    return load_release(newest_with_deck())


@pytest.fixture(scope="module")
def option(release) -> str:
    """An option other than the one the pages start from: the pack must show it, not the default."""
    return list(option_names(release))[-1]


@pytest.fixture(scope="module")
def pack(release, option) -> str:
    steps: list[tuple[float, str]] = []
    html = export_pack.pack_html(release, option, on=ON, progress=lambda done, what: steps.append((done, what)))
    assert [d for d, _ in steps] == sorted(d for d, _ in steps) and steps[-1][0] == 1.0  # progress only moves forward, to the end
    return html


def hostile_release(root: Path) -> tuple[Release, str]:
    """A copy (under `root`) of the newest release with a deck, with script, template and backtick payloads in an
    option's, a hub's and a source's names and a stop's title; returns (release, the option with the payload)."""
    folder = newest_with_deck()
    copy = copy_release(root, folder.name, folder, draft=True)
    option = copy.rows("options.csv")[0]["option_id"]
    hub = copy.rows("hubs.csv")[0]["hub_id"]
    renamed = {copy.rows("options.csv")[0]["name"]: "Option " + HOSTILE, copy.rows("hubs.csv")[0]["name"]: "Hub " + HOSTILE}
    copy.edit_cell("options.csv", "option_id", option, "name", "Option " + HOSTILE, rehash=False)
    copy.edit_cell("hubs.csv", "hub_id", hub, "name", "Hub " + HOSTILE, rehash=False)
    if (copy.path / "translations.csv").exists():  # a release with its own Urdu (1.7.0 on): the renamed texts' translations follow, payload too
        rows = copy.rows("translations.csv")
        for r in rows:
            if r["text_en"] in renamed:
                r["text_ur"] = "یہ ایک آزمائشی نام ہے جس میں خطرناک متن شامل ہے " + HOSTILE
                r["text_en"] = renamed[r["text_en"]]
        copy.write_rows("translations.csv", rows, rehash=False)
    copy.edit_cell("sources.csv", "source_id", copy.rows("sources.csv")[0]["source_id"], "title", "Source " + HOSTILE, rehash=False)
    copy.edit_cell("deck.csv", "stop", "1", "title_en", "Stop <script>alert(2)</script> `tick`", rehash=False)
    shapes = copy.geojson()
    for feature in shapes["features"]:
        if feature["properties"]["hub_id"] == hub:
            feature["properties"]["name"] = "Hub " + HOSTILE
    copy.write_geojson(shapes)  # re-hashes every file
    return load_release(copy.path), option


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "releases"
    root.mkdir()
    return hostile_release(root)


def test_the_pack_fetches_nothing_a_browser_would_load_by_itself(pack):
    refs = fetched_refs(pack)
    assert refs, "the parser found none of the pack's inlined images"  # the map's stylesheet images, as data: URIs
    assert [r for r in refs if not r.startswith(("data:", "#"))] == []
    doc = Document(pack)
    assert set(doc.script_types) <= {"", "application/json"}
    assert all(link.startswith(("#", "https://", "http://")) for link in doc.links)
    assert any(link.startswith("http") for link in doc.links)  # the sources' addresses are links, never loaded


def test_the_pack_holds_one_plotly_js_and_one_copy_of_leaflet_for_every_map(pack, release):
    assert pack.count("plotly.js v") == 1
    doc = Document(pack)
    pages = map_pages(doc)
    deck_maps = len(re.findall(r'<iframe id="pack-map-\d+"', pack))
    assert len(pages) == deck_maps >= 2
    assert len(re.findall(r"Leaflet \d+\.\d+\.\d+, a JS library for interactive maps", pack)) == 1  # Leaflet's banner: one copy for every frame
    assert all("L.map(" in page for page in pages)


def test_every_provenance_line_is_on_the_pack_and_every_map_carries_the_boundary_disclaimer(pack, release, option):
    for line in export_pack.pack_provenance(release, option, ON).lines():
        assert escape_html(line) in pack, line
    assert ON.isoformat() in pack and escape_html(release.version) in pack
    notes = re.findall(r'<figcaption class="pack-map-note">(.*?)</figcaption>', pack)
    assert len(notes) == len(re.findall(r'<iframe id="pack-map-', pack))
    assert all(escape_html(BOUNDARY) in note for note in notes)


def test_the_pack_shows_the_chosen_option_on_the_stops_that_take_one(pack, release, option):
    name = escape_html(option_names(release)[option])
    assert f'<p class="pack-option">{name}</p>' in pack
    points = re.findall(r'<p class="pack-point" id="pack-chart-\d+-point">(.*?)</p>', pack)
    assert any(p.startswith(f"{name}:") for p in points), points  # the phases timeline
    assert any(p.startswith(name) and "PKR" in p for p in points), points  # the funding Sankey
    kpis = re.search(r'<table class="stage-table stage-kpis"><thead><tr><th scope="col">[^<]*</th><th scope="col">(.*?)</th>', pack)
    assert kpis and kpis.group(1) == name  # Compare: the option first


def test_every_chart_has_a_text_alternative(pack):
    charts = re.findall(r'<figure class="pack-chart".*?</figure>', pack, re.S)
    assert len(charts) == len(re.findall(r'class="plotly-graph-div"', pack)) >= 4
    for chart in charts:
        assert "<details><summary>Data table (text alternative)</summary>" in chart or '<p class="pack-more">' in chart


def test_the_pack_stays_within_six_megabytes(pack):
    assert len(pack.encode("utf-8")) <= LIMIT


def test_every_text_from_the_data_is_escaped(hostile):
    release, option = hostile
    html = export_pack.pack_html(release, option, on=ON)
    assert "alert(" in html  # the payloads are there ...
    assert "<script>alert" not in html.lower() and "alert(1)</script>" not in html and "alert(2)</script>" not in html  # ... never as markup
    assert escape_html("Option " + HOSTILE) in html and escape_html("Source " + HOSTILE) in html
    assert escape_html("Stop <script>alert(2)</script> `tick`") in html
    # Raw, the template and backtick payloads are only in the charts' JSON strings (inert there: Plotly escapes < > /)
    outside_charts = CHART_SCRIPT.sub("", html.replace(export_pack.plotly_js(), ""))  # (plotly.js itself uses both)
    assert "${x}" not in outside_charts and "`tick`" not in outside_charts
    doc = Document(html)
    assert set(doc.script_types) <= {"", "application/json"}
    for page in map_pages(doc):
        assert "<script>alert" not in page.lower() and "`tick`" not in page
    assert any(js_json(escape_html("Hub " + HOSTILE))[1:-1] in page for page in map_pages(doc))  # the map's rows: escaped, script-safe JSON


def test_compare_puts_the_option_first_and_keeps_at_most_the_pages_limit():
    assert stage_content.compare_choice("b", ("a", "b", "c")) == ("b", "a", "c")
    assert stage_content.compare_choice("z", ("a", "b", "c", "d")) == ("z", "a", "b", "c")[:MAX_OPTIONS]
    assert stage_content.compare_choice("a", ("a",)) == ("a",)


def test_a_release_without_a_deck_or_an_unknown_option_says_why(release):
    without = load_release(newest_folder(deck=False))
    assert "no presentation deck" in export_pack.unavailable(without)
    with pytest.raises(export_pack.PackError, match="no presentation deck"):
        export_pack.pack_html(without, next(iter(option_names(without))), on=ON)
    with pytest.raises(export_pack.PackError, match="not a rollout option"):
        export_pack.pack_html(release, "no-such-option", on=ON)


def test_missing_map_files_are_named_with_the_command_that_installs_them(release, monkeypatch, tmp_path):
    assert export_pack.unavailable(release) is None
    monkeypatch.setattr(export_pack, "VENDOR", tmp_path)
    assert "make assets" in export_pack.unavailable(release)
    with pytest.raises(export_pack.PackError, match="make assets"):
        export_pack.vendor_path("/app/static/vendor/leaflet/leaflet.js")


def test_the_pack_module_loads_no_streamlit():
    import subprocess
    import sys

    code = "import sys, components.export_pack; bad = [m for m in sys.modules if m.split('.')[0] == 'streamlit']; print(bad); sys.exit(1 if bad else 0)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_phases_page_builds_the_pack_of_its_option_on_request(monkeypatch, release, option):
    """AppTest: the button builds the pack of the page's option and offers it; on a release without a deck it is off."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PAKCOE_RELEASES", str(ROOT / "data" / "releases"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params.update({"release": release.version, "option": option})
    at.switch_page(str(ROOT / "pages" / "phases.py"))
    at.run()
    assert not at.exception
    button = at.button(key="briefing-pack")
    packs = lambda: [b for b in at.get("download_button") if b.proto.label.startswith("Save the briefing pack")]  # noqa: E731
    assert not button.disabled and not packs()
    assert f"“{option_names(release)[option]}”" in button.help  # the page's option (from the address)
    button.click().run()
    assert not at.exception
    [offer] = packs()
    assert offer.proto.label.startswith("Save the briefing pack (") and offer.proto.label.endswith(" MB)")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["release"] = newest_folder(deck=False).name
    at.run()  # the frame's release selector takes the release from the address on the first run
    at.switch_page(str(ROOT / "pages" / "phases.py"))
    at.run()
    assert at.button(key="briefing-pack").disabled and "no presentation deck" in at.button(key="briefing-pack").help
