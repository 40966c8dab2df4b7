"""The hub map's rendering: deterministic, no library patched, script-safe rows, every hub drawn once, the release's
phases and hub types in the legend and on the markers (a type or phase without a drawing style gets the default)."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import subprocess
from pathlib import Path

import jinja2
import pandas as pd
import pytest

from components import mapassets
from components.foliumview import payload_of
from components.hubmap import (
    CLUSTER_ICON_JS,
    DEFAULT_COLOUR,
    DEFAULT_SHAPE,
    NARROW_MAP_PX,
    OSM_ATTRIBUTION,
    MapSpec,
    build_map,
    cluster_phases,
    cluster_words,
    district_centres,
    drawn_hub_ids,
    js_json,
    marker_style,
    shape_svg,
)
from pakcoe import i18n, load_release
from pakcoe.coverage import HubFilter

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`);alert(1);(`", "</script><script>alert(1)</script>", "a\u2028b"]


@pytest.fixture(scope="module")
def release():
    return load_release(ROOT / "data" / "releases" / "1.1.0")


def rows_of(script: str) -> list[list]:
    return [r for block in re.findall(r"const rows = (\[.*?\]);\n", script) for r in json.loads(block)]


def test_the_same_map_renders_to_the_same_text(release):
    first = payload_of(build_map(MapSpec("national", release.hubs, release)))
    second = payload_of(build_map(MapSpec("national", release.hubs, release)))
    assert first.script == second.script and first.html == second.html and first.map_id == second.map_id


def test_building_and_rendering_a_map_patches_no_library(release):
    payload_of(build_map(MapSpec("national", release.hubs, release)))
    for cls in (jinja2.Environment, jinja2.Template):
        patched = [name for name, f in vars(cls).items() if callable(f) and not (getattr(f, "__module__", None) or "jinja2").startswith("jinja2")]
        assert patched == [], f"{cls.__name__} methods replaced by another module: {patched}"


@pytest.mark.parametrize("view", ["national", "karachi"])
def test_every_hub_is_drawn_once_at_its_coordinates(release, view):
    hubs = release.hubs if view == "national" else release.hubs[release.hubs["city_id"] == "karachi"]
    p = payload_of(build_map(MapSpec(view, hubs, release)))
    rows = {r[0]: r for r in rows_of(p.script)}
    assert sorted(drawn_hub_ids(p.script)) == sorted(hubs["hub_id"]) == sorted(rows)
    for h in hubs.itertuples():
        assert rows[h.hub_id][1:3] == [round(float(h.lat), 6), round(float(h.lon), 6)]
        assert rows[h.hub_id][3] == h.name  # the real names have nothing to escape
        assert marker_style(release).icon_keys[rows[h.hub_id][5]][1] == int(h.phase_id)
    attribution = re.search(r'"attribution": (".*?"),\n', p.script).group(1)
    assert json.loads(attribution) == OSM_ATTRIBUTION  # the tile layer keeps its attribution for online use


def test_hostile_names_stay_inert_text_in_the_script(release):
    hubs = release.hubs.head(len(PAYLOADS)).copy()
    hubs["name"] = PAYLOADS
    hubs["hub_id"] = [f"x-{i}" for i in range(len(PAYLOADS))]
    p = payload_of(build_map(MapSpec("national", pd.DataFrame(hubs), release)))
    block = re.search(r"const rows = (\[.*?\]);\n", p.script).group(1)
    for bad in ("<", ">", "`", "${", "\u2028"):
        assert bad not in block
    assert "</script" not in p.script.lower().replace("<\\/script", "")
    names = [r[3] for r in json.loads(block)]
    assert names[0] == "&lt;img src=x onerror=alert(1)&gt;" and names[1] == "&#36;{alert(1)}" and names[2].startswith("&#96;")


def test_js_json_is_safe_inside_a_script_element():
    text = js_json(["</script>", "a&b", "\u2028\u2029"])
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == ["</script>", "a&b", "\u2028\u2029"]


def with_tables(release, **tables: pd.DataFrame):
    """The release with some tables replaced (in memory)."""
    return dataclasses.replace(release, tables={**release.tables, **tables})


def test_legend_and_markers_name_the_releases_hub_types_and_phases(release):
    """Labels come from hub_types.csv and phases.csv; a type or phase with no drawing style of its own is still drawn
    and listed (default shape, default colour)."""
    types = pd.concat([release.table("hub_types"), pd.DataFrame([{"hub_type": "mobile_lab", "label": "Mobile lab"}])], ignore_index=True)
    types.loc[types["hub_type"] == "flagship", "label"] = "Regional flagship"
    phases = pd.concat([release.table("phases"), pd.DataFrame([{"phase_id": 4, "name": "Later towns"}])], ignore_index=True)
    hubs = release.hubs.copy()
    hubs.loc[hubs["hub_id"] == "quetta-1", ["hub_type", "phase_id"]] = ["mobile_lab", 4]
    changed = with_tables(release, hub_types=types, phases=phases, hubs=hubs)
    style = marker_style(changed)
    assert style.shape("mobile_lab") == DEFAULT_SHAPE and style.colour(4) == DEFAULT_COLOUR
    p = payload_of(build_map(MapSpec("national", hubs, changed)))
    legend = json.loads(re.search(r"div.innerHTML = (\".*?\");\n", p.script).group(1))
    assert "Regional flagship" in legend and "Flagship hub" not in legend
    assert f"{shape_svg(DEFAULT_SHAPE, '#444444', True, 14)} Mobile lab" in legend
    assert f'background:{DEFAULT_COLOUR}"></span>Phase 4: Later towns' in legend
    layers = [(json.loads(t), json.loads(r)) for t, r in re.findall(r"const labels = (\[.*?\]);\s*const rows = (\[.*?\]);\n", p.script)]
    labels, quetta = next((texts, row) for texts, rows in layers for row in rows if row[0] == "quetta-1")
    assert style.icon_keys[quetta[5]] == (DEFAULT_SHAPE, 4, False) and labels[quetta[4]].endswith("· Mobile lab · phase 4")
    assert "Phase 4: Later towns (1 hubs)" in p.script  # the layer control lists the new phase's layer


def test_the_current_releases_draw_exactly_the_styles_they_did_before(release):
    """Every type and phase of the releases has its own style: the icon list is 3 shapes x 3 colours x 2 outlines."""
    style = marker_style(release)
    assert [k[0] for k in style.icon_keys[::6]] == ["star", "square", "triangle"] and len(style.icon_keys) == 18
    assert DEFAULT_COLOUR not in json.dumps([style.colour(p) for p in style.phases])


def test_release_text_that_looks_like_template_syntax_is_drawn_as_text_never_run(release, monkeypatch):
    """folium compiles its elements' scripts as Jinja templates a second time: release text must never be template code."""
    monkeypatch.delenv("PAKCOE_PROBE", raising=False)
    run = "{{ cycler.__init__.__globals__.os.environ.__setitem__('PAKCOE_PROBE', 'ran') }}"
    phases = release.table("phases").copy()
    phases.loc[phases["phase_id"] == 1, "name"] = f"Demo {run} {{% if %}} {{# x"
    types = release.table("hub_types").replace({"label": {"Flagship hub": f"Flagship {run}"}})
    hubs = release.hubs.copy()
    hubs.loc[hubs["hub_id"] == "karachi-1", "name"] = f"Hub {run} {{{{ 6 * 7 }}}}"
    changed = with_tables(release, phases=phases, hub_types=types, hubs=hubs)
    for view, shown in (("national", hubs), ("karachi", hubs[hubs["city_id"] == "karachi"])):
        m = build_map(MapSpec(view, shown, changed))
        p = payload_of(m)
        m.get_root().render()  # the whole figure too, script part included
        assert "PAKCOE_PROBE" not in os.environ
        legend = html.unescape(json.loads(re.search(r"div.innerHTML = (\".*?\");\n", p.script).group(1)))
        assert f"Demo {run} {{% if %}} {{# x" in legend and f"Flagship {run}" in legend
        layer = json.loads(re.search(r'("Phase 1: Demo [^"]*") :', p.script).group(1))  # the layer control's label (HTML)
        assert "{" not in layer and html.unescape(layer).startswith(f"Phase 1: Demo {run} {{% if %}} {{# x (")
        assert f"Hub {run} {{{{ 6 * 7 }}}}" in [html.unescape(r[3]) for r in rows_of(p.script)]


def run_cluster_icon(counts: dict[int, int], phases_json: str, words_json: str | None = None) -> dict:
    """The cluster icon builder (hubmap.CLUSTER_ICON_JS) run as it is in Node.js, on these counts and phases, with the
    sentences of the current language (hubmap.cluster_words) unless given."""
    words = words_json or cluster_words()
    code = f"const build = {CLUSTER_ICON_JS};\nprocess.stdout.write(JSON.stringify(build({json.dumps(counts)}, {phases_json}, {words})));"
    out = subprocess.run(["node", "-e", code], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(out.stdout)


def test_cluster_icon_gives_the_count_per_phase_in_words_and_a_ring_in_the_phase_colours(release):
    style = marker_style(release)
    icon = run_cluster_icon({"1": 4, "3": 8}, cluster_phases(style))
    assert icon["text"] == f"12 hubs: 4 in Phase 1 ({style.phases[1]}), 8 in Phase 3 ({style.phases[3]}). Click to zoom in."
    arcs = re.findall(r'<circle [^>]*stroke="(#[0-9A-F]{6})"[^>]*stroke-dasharray="([\d.]+) ([\d.]+)"', icon["html"])
    assert [colour for colour, _, _ in arcs] == [style.colour(1), style.colour(3)]  # no arc for a phase with no hub
    lengths = [float(a) for _, a, _ in arcs]
    assert lengths[1] == pytest.approx(2 * lengths[0], rel=1e-3)  # each arc as long as its phase's share
    assert sum(lengths) == pytest.approx(float(arcs[0][1]) + float(arcs[0][2]), rel=1e-3)  # together the whole ring
    assert icon["html"].endswith("</svg><span>12</span>")
    one = run_cluster_icon({"2": 1}, cluster_phases(style))
    assert one["text"] == f"1 hub: 1 in Phase 2 ({style.phases[2]}). Click to zoom in." and one["size"] <= icon["size"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cluster_icon_keeps_a_hostile_phase_name_as_text(release, payload):
    """A phase name reaches the icon's markup and its words escaped (escape_html): no element, no template string."""
    phases = release.table("phases").copy()
    phases.loc[phases["phase_id"] == 2, "name"] = payload
    style = marker_style(with_tables(release, phases=phases))
    icon = run_cluster_icon({"2": 3}, cluster_phases(style))
    assert html.unescape(icon["text"]) == f"3 hubs: 3 in Phase 2 ({payload}). Click to zoom in."
    for part in (icon["text"], icon["html"]):
        assert "<img" not in part and "<script" not in part and "${" not in part and "`" not in part


def test_the_national_map_draws_its_clusters_with_the_phase_icon_and_markers_carry_their_phase(release):
    p = payload_of(build_map(MapSpec("national", release.hubs, release)))
    assert CLUSTER_ICON_JS in p.script and ".options.iconCreateFunction = function (cluster)" in p.script
    phase_of = dict(zip(release.hubs["hub_id"], release.hubs["phase_id"], strict=True))
    assert all(row[6] == phase_of[row[0]] for row in rows_of(p.script))
    assert "phase: rows[i][6]" in p.script
    karachi = payload_of(build_map(MapSpec("karachi", release.hubs[release.hubs["city_id"] == "karachi"], release)))
    assert "iconCreateFunction" not in karachi.script  # the cluster view draws every hub, never a cluster


def test_the_cluster_view_names_its_districts_at_the_centre_of_their_hubs(release):
    """No boundaries offline: each district's name is a label at the mean of its listed hubs' coordinates, in a layer
    of its own; the national view has none. A district name is text, escaped."""
    hubs = release.hubs.copy()
    hubs.loc[hubs["hub_id"] == "karachi-8", "district"] = "<b>West</b>"
    changed = with_tables(release, hubs=hubs)
    cluster = hubs[hubs["city_id"] == "karachi"]
    p = payload_of(build_map(MapSpec("karachi", cluster, changed)))
    rows = json.loads(re.search(r"for \(const d of (\[.*?\])\) \{", p.script).group(1))
    expected = district_centres(cluster)
    assert len(rows) == len(expected) == cluster["district"].nunique()
    for row, d in zip(rows, expected.itertuples(), strict=True):
        assert html.unescape(re.sub(r"<[^>]+>", "", row[0])) == d.district
        assert (row[1], row[2]) == (round(d.lat, 6), round(d.lon, 6))
    assert any("&lt;b&gt;West&lt;/b&gt;" in row[0] for row in rows) and "<b>West" not in p.script
    assert "District names (no boundaries)" in p.script
    assert "district-label" not in payload_of(build_map(MapSpec("national", hubs, changed))).script.split("<style>")[0]


def test_the_layer_control_and_legend_fold_below_the_narrow_width(release):
    """The layer control is made folding and a wide map opens it (FoldLayers); the legend folds on a narrow map."""
    p = payload_of(build_map(MapSpec("national", release.hubs, release)))
    assert re.search(r'L\.control\.layers\([^;]*"collapsed": true', p.script, re.S)
    assert f"clientWidth >= {NARROW_MAP_PX}" in p.script and f"clientWidth < {NARROW_MAP_PX}" in p.script
    assert NARROW_MAP_PX >= 900


# --- Urdu -------------------------------------------------------------------------------------------------------------

URDU_WRAP = ['<div class="hub-rtl" dir="rtl" lang="ur">', "</div>"]


@pytest.fixture(scope="module")
def urdu(release):
    """Release 1.1.0 with its texts in Urdu (the app's fallback translations), as the caches hand it to the map."""
    return i18n.localize(release, "ur")


def build_in(lang: str, view: str, release):
    hubs = release.hubs if view == "national" else release.hubs[release.hubs["city_id"] == view]
    with i18n.using(lang):
        m = build_map(MapSpec(view, hubs, release))
        return payload_of(m), m.get_root().render()


def test_the_urdu_map_links_its_own_nastaliq_font_and_turns_only_its_texts_right_to_left(release, urdu):
    """An iframe inherits no font from the page: the Urdu map links the Nastaliq @font-face stylesheet in its own header
    (served from static/vendor, where `make assets` writes it; the PNG export serves the same path and the HTML pack
    inlines it). Right to left applies to the texts' boxes only, never to the map's container (Leaflet #7201)."""
    font = f"{mapassets.VENDOR_URL}/{mapassets.FONT_CSS}"
    for view in ("national", "karachi"):
        en, en_page = build_in("en", view, release)
        ur, ur_page = build_in("ur", view, urdu)
        assert font in ur.css_links and font not in en.css_links
        assert f'<link rel="stylesheet" href="{font}"/>' in ur_page.split("</head>")[0] and "nastaliq" not in en_page.lower()
        assert "font-family:'Noto Nastaliq Urdu'" in ur.header and "line-height:2.1" in ur.header and "hub-rtl" not in en.header
        assert not re.search(r"(leaflet-container|folium-map|html|body)[^{}]*\{[^}]*direction", ur.header + ur_page)
        assert 'dir="rtl"' not in ur.html and "<html dir" not in ur_page
    served = ROOT / "static" / "vendor" / mapassets.FONT_CSS  # written by `make assets`, beside the font files it names
    css = served.read_text(encoding="utf-8")
    assert css == mapassets.font_css(served.parent.parent)
    assert css.count("@font-face") == 4 and css.count("font-family:'Noto Nastaliq Urdu'") == 4  # arabic and latin, 400 and 700
    assert "font-weight:400;src:url(noto-nastaliq-urdu-arabic-400-normal.woff2) format('woff2');unicode-range:U+0600-06FF," in css
    assert all((served.parent / name).is_file() for name in re.findall(r"url\(([^)]+)\)", css))


def test_the_urdu_maps_tooltips_legend_layers_and_labels_are_urdu_and_escaped(urdu):
    """Hostile names in an Urdu map stay escaped text, inside Urdu sentences: the tooltips (right to left inside), the
    legend, the layer list, the district labels, the full-screen button."""
    hubs = urdu.hubs.copy()
    karachi = hubs.index[hubs["city_id"] == "karachi"][: len(PAYLOADS)]
    hubs.loc[karachi, "name"] = PAYLOADS
    hubs.loc[karachi, "district"] = PAYLOADS
    phases = urdu.table("phases").copy()
    phases.loc[phases["phase_id"] == 1, "name"] = PAYLOADS[3]
    changed = with_tables(urdu, hubs=hubs, phases=phases)
    p, page = build_in("ur", "karachi", changed)
    for bad in ("<img", "${", "`", "\u2028"):
        assert bad not in p.script
    assert "</script" not in p.script.lower().replace("<\\/script", "")
    assert json.loads(re.search(r"const wrap = (\[.*?\]);", p.script).group(1)) == URDU_WRAP
    labels = json.loads(re.search(r"const labels = (\[.*?\]);", p.script).group(1))
    assert labels and all(label.endswith("· مرحلہ 1") for label in labels), labels
    assert [r[3] for r in rows_of(p.script)][:2] == ["&lt;img src=x onerror=alert(1)&gt;", "&#36;{alert(1)}"]
    legend = json.loads(re.search(r"div.innerHTML = (\".*?\");\n", p.script).group(1))
    assert legend.startswith('<div id="hub-legend" role="region" aria-label="نقشے کی علامات" dir="rtl" lang="ur">')
    assert "<summary>علامات</summary>" in legend and "مرکزی حب سے شاخ کا ربط" in legend and "ٹھوس: محلے کی سطح کا مقام" in legend
    assert f"مرحلہ 1: {html.escape(PAYLOADS[3])}" in legend and "<script" not in legend
    layers = [json.loads(name) for name in re.findall(r'^\s*("(?:[^"\\]|\\.)*") : \w+,$', p.script, re.M)]
    assert layers[0] == "OpenStreetMap کے ٹکڑے (صرف آن لائن)"  # the layer list in Urdu, the names escaped
    assert layers[1:] == [f"مرحلہ 1: {html.escape(PAYLOADS[3])} (12 حب)", "مرکز اور شاخوں کے روابط", "ضلعوں کے نام (حدود کے بغیر)"]
    districts = json.loads(re.search(r"for \(const d of (\[.*?\])\) \{", p.script).group(1))
    assert all(' dir="rtl" lang="ur">' in d[0] for d in districts) and any("&lt;img" in d[0] for d in districts)
    titles = {k: json.loads(v) for k, v in re.findall(r'^\s*"(title|titleCancel)": ("(?:[^"\\]|\\.)*"),$', p.script, re.M)}
    assert titles == {"title": "پوری اسکرین", "titleCancel": "پوری اسکرین سے باہر"}  # the full-screen button
    assert "Phase 1" not in p.script and "Legend" not in legend


def test_the_urdu_cluster_tooltip_counts_each_phase_in_urdu_words(urdu):
    """The national Urdu map hands the cluster icon its Urdu sentences (escaped) and wraps its tooltip right to left."""
    p, _ = build_in("ur", "national", urdu)
    with i18n.using("ur"):
        words = cluster_words()
    assert f"const words = {words};" in p.script and f"const wrap = {js_json(URDU_WRAP)};" in p.script
    style = marker_style(urdu)
    icon = run_cluster_icon({"1": 4, "3": 8}, cluster_phases(style), words)
    assert icon["text"] == f"12 حب: مرحلہ 1 ({style.phases[1]}) میں 4، مرحلہ 3 ({style.phases[3]}) میں 8۔ قریب سے دیکھنے کے لیے کلک کریں۔"
    assert run_cluster_icon({"2": 1}, cluster_phases(style), words)["text"].startswith("1 حب: مرحلہ 2 (")
    for payload in PAYLOADS:  # a hostile phase name stays text in the Urdu sentence too
        phases = urdu.table("phases").copy()
        phases.loc[phases["phase_id"] == 2, "name"] = payload
        hostile = run_cluster_icon({"2": 3}, cluster_phases(marker_style(with_tables(urdu, phases=phases))), words)
        assert html.unescape(hostile["text"]) == f"3 حب: مرحلہ 2 ({payload}) میں 3۔ قریب سے دیکھنے کے لیے کلک کریں۔"
        assert "<img" not in hostile["text"] and "${" not in hostile["text"] and "`" not in hostile["text"]


def test_the_map_exports_legend_footer_and_source_follow_the_language(release, urdu):
    """The PNG export's page: in Urdu its footer (legend, boundary disclaimer, provenance) is right to left in Nastaliq
    and its source line reads Urdu; in English it is as before."""
    from components import export_map

    with i18n.using("ur"):
        page = export_map.map_page(urdu, export_map.MapView("national", HubFilter(phases=(2,))), width=800, height=600, footer=True, ring=None, on=None)
        source = export_map.map_source(urdu, "national", HubFilter(phases=(2,)))
    assert '<div id="export-foot" dir="rtl" lang="ur">' in page and "#export-foot[dir=rtl]" in page
    assert "font-family: 'Noto Nastaliq Urdu'" in page and "line-height: 2.2" in page
    assert source.startswith("قومی نیٹ ورک کے 100 مجوزہ حب میں سے 28، چھانٹی: مرحلہ 2 (") and "پاکستان کا خاکہ: Natural Earth" in source
    assert i18n.arabic_share(source) > 0.5
    english = export_map.map_page(release, export_map.MapView("national"), width=800, height=600, footer=True, ring=None, on=None)
    assert '<div id="export-foot">' in english and "Nastaliq" not in english
    assert export_map.map_source(release, "karachi", HubFilter()) == (
        "the 12 proposed hubs of the Karachi cluster (indicative locations, data release 1.1.0); outline of Pakistan: Natural Earth"
    )
