"""Map page: hub counts as the map draws them per view and filter, URL state, click -> detail panel, downloads."""

from __future__ import annotations

import json
import re

import folium
import pytest
from apphelp import ROOT, open_first, static_tables
from streamlit.testing.v1 import AppTest

from components.foliumview import payload_of
from components.hubmap import MapSpec, build_map, drawn_hub_ids
from pakcoe import load_release


def open_map(query: dict | None = None) -> AppTest:
    """Open the map page as the first page of the session (as a shared link does)."""
    at = open_first("map", query)
    assert not at.exception
    return at


def drawn(at: AppTest) -> dict:
    """What the map component received: its script, and the hub features in it."""
    comp = at.get("component_instance")
    assert len(comp) == 1
    args = json.loads(comp[0].proto.json_args)
    return {"args": args, "hubs": drawn_hub_ids(args["script"])}


def test_karachi_view_draws_the_12_phase_one_hubs(pinned_releases):
    at = open_map()
    d = drawn(at)
    assert sorted(d["hubs"]) == sorted(f"karachi-{i}" for i in range(1, 13))
    assert "Showing 12 of 12" in at.caption[0].value
    assert d["args"]["returned_objects"] == ["last_object_clicked"]  # pan and zoom never rerun
    assert d["args"]["script"].count("L.polyline") == 10  # hub-and-spoke: 10 non-flagships to a flagship


def test_national_view_and_each_filter(pinned_releases):
    at = open_map({"view": "national"})
    assert len(drawn(at)["hubs"]) == 100 and "markerClusterGroup" in drawn(at)["args"]["script"]
    at.multiselect(key="phase").set_value([2]).run()
    assert len(drawn(at)["hubs"]) == 28 and "Showing 28 of 100" in at.caption[0].value
    at.multiselect(key="province").set_value(["KP"]).run()
    assert sorted(drawn(at)["hubs"]) == ["abbottabad-1", "dera-ismail-khan-1", "mardan-1", "peshawar-1"]
    at.multiselect(key="type").set_value(["flagship"]).run()
    assert drawn(at)["hubs"] == ["peshawar-1"]
    at.multiselect(key="host").set_value(["tvet_institute"]).run()
    assert drawn(at)["hubs"] == [] and "Showing 0 of 100" in at.caption[0].value
    at.button(key="clear-filters").click().run()
    assert len(drawn(at)["hubs"]) == 100
    assert at.query_params.get("phase") in (None, [], "")


def test_filters_and_view_are_in_the_url(pinned_releases):
    at = open_map({"view": "national", "phase": ["1", "3"], "host": "tvet_institute"})
    assert at.segmented_control(key="view").value == "national"
    assert at.multiselect(key="phase").value == [1, 3]
    hubs = load_release(ROOT / "data" / "releases" / "1.1.0").hubs
    want = hubs[hubs["phase_id"].isin([1, 3]) & (hubs["host_type"] == "tvet_institute")]
    assert sorted(drawn(at)["hubs"]) == sorted(want["hub_id"])
    at.multiselect(key="type").set_value(["tvet_embedded"]).run()
    assert at.query_params["type"] == ["tvet_embedded"] or at.query_params["type"] == "tvet_embedded"


def test_garbage_parameters_give_notices_and_defaults(pinned_releases):
    at = open_map({"view": "mars", "phase": ["9", "x"], "hub": "<img src=x>", "section": "tables"})
    notes = " ".join(i.value for i in at.info)
    for label in ("View", "Phase", "Hub"):
        assert f"The link's value for “{label}”" in notes, label
    assert notes.count("is not one this page offers") == 4
    assert at.segmented_control(key="view").value == "karachi"
    assert "showing Karachi cluster instead" in notes and "karachi instead" not in notes  # the view's label, never its id
    assert len(drawn(at)["hubs"]) == 12  # the map tab, the default, is open
    at = open_map({"section": "coverage", "radius": "7"})
    assert "The link's value for “Reach radius \\(km\\)”" in at.info[0].value and at.slider(key="radius").value == 25


def test_only_the_open_tab_is_built(pinned_releases):
    """The map tab holds no chart or table grid; coverage and the hub table build only when their tab is open."""
    at = open_map({"view": "national"})
    assert len(at.get("component_instance")) == 1 and not at.get("plotly_chart") and not at.get("download_button")
    at = open_map({"view": "national", "section": "coverage", "radius": "50"})
    assert not at.get("component_instance") and len(at.get("plotly_chart")) == 2 and at.slider(key="radius").value == 50
    assert at.query_params["section"] in ("coverage", ["coverage"])
    at = open_map({"view": "national", "section": "hubs", "phase": "2"})
    assert not at.get("component_instance") and not at.get("plotly_chart")
    assert len(at.dataframe[0].value) == 28


def popovers(node, found: list | None = None) -> dict[str, list[str]]:
    """Every popover under `node`: its button's label -> the kinds of element inside it."""
    found = [] if found is None else found
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", None) == "popover":
            found.append(child)
        popovers(child, found)
    return {p.proto.popover.label: [c.type for c in p.children.values()] for p in found}


def test_the_hub_list_opens_from_a_button_that_names_the_hub_shown(pinned_releases):
    """The hub picker is a popover (the browser draws its select box, and fetches that code, only once it is opened):
    its button asks for a hub until one is chosen, then names it, whether the hub came from the link, the list or a
    click on the map."""
    hubs = load_release(ROOT / "data" / "releases" / "1.1.0").hubs.set_index("hub_id")
    at = open_map({"view": "national"})
    assert popovers(at.main)["Choose a hub by name"] == ["selectbox"]
    assert at.selectbox(key="hub").value is None and "Click a hub on the map" in at.info[0].value
    at.selectbox(key="hub").set_value("quetta-1").run()
    label = at.selectbox(key="hub").format_func("quetta-1")
    assert "Quetta hub" in label and popovers(at.main)[label] == ["selectbox"] and "Choose a hub by name" not in popovers(at.main)
    assert at.subheader[0].value == "Quetta hub" and at.query_params["hub"] in ("quetta-1", ["quetta-1"])
    at = open_map({"view": "national", "hub": "quetta-1"})
    assert label in popovers(at.main) and at.subheader[0].value == "Quetta hub"
    at = open_map({"view": "national"})
    hub = hubs.loc["quetta-1"]
    at.session_state[drawn(at)["args"]["key"]] = {"last_object_clicked": {"lat": float(hub["lat"]), "lng": float(hub["lon"])}}
    at.run()
    assert label in popovers(at.main)


def test_click_on_a_hub_opens_its_detail_panel(pinned_releases):
    at = open_map({"view": "national"})
    key = drawn(at)["args"]["key"]
    hub = load_release(ROOT / "data" / "releases" / "1.1.0").hubs.set_index("hub_id").loc["quetta-1"]
    at.session_state[key] = {"last_object_clicked": {"lat": float(hub["lat"]), "lng": float(hub["lon"])}}
    at.run()
    assert at.selectbox(key="hub").value == "quetta-1"
    assert at.subheader[0].value == "Quetta hub"
    attrs = static_tables(at)[0].iloc[:, 0]  # a static table: its values wrap, never cut off
    assert attrs["Hub type"] == "Flagship hub" and attrs["Location precision"] == "City"
    assert "GeoNames" in attrs["Where the location comes from"]
    assert at.query_params["hub"] in ("quetta-1", ["quetta-1"])


def test_hub_link_opens_with_that_hub_selected(pinned_releases):
    at = open_map({"hub": "karachi-8"})
    assert at.subheader[0].value == "Karachi Orangi hub"
    attrs = static_tables(at)[0].iloc[:, 0]
    assert attrs["Location precision"] == "Town" and "LOW" in attrs["Where the location comes from"]
    programmes = static_tables(at)[1]
    assert "AI for trades" in set(programmes["Programme"])


def test_csv_download_carries_the_release_and_is_formula_safe(pinned_releases):
    at = open_map({"view": "national", "phase": ["1"], "section": "hubs"})
    button = [b for b in at.get("download_button") if "hubs" in b.proto.label]
    assert button and "12 hubs" in button[0].proto.label


def test_map_payload_equals_what_st_folium_would_send(pinned_releases):
    """foliumview.show() must send the same script/header/html/links as st_folium itself."""
    import streamlit_folium as sf

    release = load_release(ROOT / "data" / "releases" / "1.1.0")
    p = payload_of(build_map(MapSpec("national", release.hubs, release)))
    m = build_map(MapSpec("national", release.hubs, release))
    m.get_root().render()
    m.render()
    assert sf._get_map_string(m).count("L.marker") == p.script.count("L.marker")
    assert sf._get_html(m).replace(sf.get_full_id(m), "") == p.html.replace(p.map_id, "")
    assert isinstance(m, folium.Map) and p.size_bytes < 150_000


def test_a_large_release_gets_a_searchable_hub_picker(tmp_path, monkeypatch):
    """More hubs than PICKER_LIMIT: a search box narrows the dropdown; a hub= link still opens its hub."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic_release import generate

    from components.map_data import hub_labels
    from components.mappage import PICKER_LIMIT

    generate(tmp_path, 600, version="9.0.0")
    monkeypatch.setenv("PAKCOE_RELEASES", str(tmp_path))
    release = load_release(tmp_path / "9.0.0")
    labels = hub_labels(release)
    at = open_map({"view": "national"})
    assert [o.content for o in at.segmented_control(key="view").proto.options][1] == "National network"
    assert "Showing 600 of 600" in at.caption[0].value
    assert len(drawn(at)["hubs"]) == 600
    assert at.selectbox(key="hub").options == list(labels.values())[:PICKER_LIMIT]
    target = release.hubs.iloc[-1]
    at.text_input(key="hub-search").input(str(target["hub_id"])).run()
    assert at.selectbox(key="hub").options == [labels[h] for h in labels if target["hub_id"] in h or target["hub_id"] in labels[h].lower()]
    at.selectbox(key="hub").set_value(target["hub_id"]).run()
    assert at.query_params["hub"] in (target["hub_id"], [target["hub_id"]])
    assert at.subheader[0].value == target["name"]
    at = open_map({"view": "national", "hub": str(target["hub_id"])})
    assert at.subheader[0].value == target["name"] and at.selectbox(key="hub").value == target["hub_id"]


# --- Urdu (?lang=ur) ---------------------------------------------------------------------------------------------------


def urdu_leaks(at: AppTest) -> list[str]:
    """The page's texts that read as English (tests/apptest/urdu.py), citations of the shown release (the newest valid
    one) set aside, as written and as Markdown shows them (escaped)."""
    from urdu import _clean, cited_texts, english_leaks

    from components.escape import escape_md
    from pakcoe import list_releases, newest_valid, validate_release
    from pakcoe.i18n import CITED

    release = newest_valid([validate_release(p) for p in list_releases(ROOT / "data" / "releases")]).release
    raw = {
        str(v)
        for name, fields in CITED.items()
        if name in release.tables
        for f in fields
        if f in release.tables[name]
        for v in release.tables[name][f].dropna()
    }
    return english_leaks(at, allow=cited_texts(release) | {_clean(escape_md(v)).strip() for v in raw})


URDU_VIEWS = [
    {},
    {"view": "national", "phase": "2", "hub": "quetta-1"},
    {"section": "coverage"},
    {"view": "national", "section": "coverage", "radius": "50"},
    {"view": "national", "section": "hubs", "province": "KP"},
]


@pytest.mark.parametrize("query", URDU_VIEWS, ids=["karachi-map", "national-hub", "karachi-coverage", "national-coverage", "national-hubs"])
def test_the_map_page_reads_urdu(query):
    at = open_map({"lang": "ur", **query})
    assert urdu_leaks(at) == []


def test_the_urdu_map_page_draws_the_urdu_map_and_its_hub_in_urdu():
    """The map component receives the Urdu map (its own font, Urdu tooltips); a hub's details read Urdu; widget options
    stay ids (the URL keeps them), their labels Urdu."""
    at = open_map({"lang": "ur", "view": "national", "hub": "quetta-1", "phase": "2"})
    args = drawn(at)["args"]
    assert any(link.endswith("noto-nastaliq-urdu/map-font.css") for link in args["css_links"])
    assert "قریب سے دیکھنے کے لیے کلک کریں" in json.loads(re.search(r"const words = (\{.*?\});", args["script"]).group(1))["many"]
    assert at.multiselect(key="phase").value == [2] and at.segmented_control(key="view").value == "national"
    assert any(c.value.startswith("اس منظر میں 100 مجوزہ حب میں سے 28 دکھائے جا رہے ہیں") for c in at.caption)
    attrs = static_tables(at)[0].iloc[:, 0]
    assert "مرحلہ" in attrs.index and attrs["مرحلہ"].startswith("مرحلہ 2")
    assert [t.label for t in at.tabs] == ["نقشہ اور حب کی تفصیل", "رسائی", "حب کی جدول"]
    assert at.query_params["hub"] in ("quetta-1", ["quetta-1"])


def test_the_urdu_hub_table_is_an_html_table_and_its_download_stays_machine_readable():
    at = open_map({"lang": "ur", "view": "national", "section": "hubs", "phase": "1"})
    assert not at.dataframe  # the data grid's canvas has no Urdu font: an HTML table instead
    tables = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<div class='pak-table'")]
    assert len(tables) == 1 and "dir='rtl'" in tables[0] and "مرحلہ 1" in tables[0]
    button = at.get("download_button")[0]
    assert button.proto.label == "یہ 12 حب ڈاؤن لوڈ کریں (CSV)"
