"""The hub map's rendering: deterministic, unchanged by the template memo, script-safe rows, every hub drawn once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from components import templatecache
from components.foliumview import payload_of
from components.hubmap import ICON_KEYS, OSM_ATTRIBUTION, MapSpec, build_map, drawn_hub_ids, js_json
from pakcoe import load_release

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


def test_the_template_memo_changes_nothing(release):
    hubs = release.hubs[release.hubs["phase_id"] == 2]
    templatecache.uninstall()
    try:
        plain = payload_of(build_map(MapSpec("national", hubs, release)))
    finally:
        templatecache.install()
    memo = payload_of(build_map(MapSpec("national", hubs, release)))
    assert plain == memo


@pytest.mark.parametrize("view", ["national", "karachi"])
def test_every_hub_is_drawn_once_at_its_coordinates(release, view):
    hubs = release.hubs if view == "national" else release.hubs[release.hubs["city_id"] == "karachi"]
    p = payload_of(build_map(MapSpec(view, hubs, release)))
    rows = {r[0]: r for r in rows_of(p.script)}
    assert sorted(drawn_hub_ids(p.script)) == sorted(hubs["hub_id"]) == sorted(rows)
    for h in hubs.itertuples():
        assert rows[h.hub_id][1:3] == [round(float(h.lat), 6), round(float(h.lon), 6)]
        assert rows[h.hub_id][3] == h.name  # the real names have nothing to escape
        assert ICON_KEYS[rows[h.hub_id][5]][1] == int(h.phase_id)
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
