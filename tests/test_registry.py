"""The page registry (pakcoe.registry): pages and their URL parameters as data, checked against releases without Streamlit.

What the app does with it (the navigation, every widget's URL parameter, old names) is checked by
tests/apptest/test_deep_links.py.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from pakcoe import load_release, registry
from pakcoe.levers import levers
from pakcoe.registry import PAGES, Page, Param, Range, resolve
from pakcoe.release import list_releases
from pakcoe.semver import semver_key

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "data" / "releases"


@pytest.fixture(scope="module")
def releases() -> dict:
    """Every release folder of the checkout, loaded (version -> Release), oldest first."""
    found = {p.name: load_release(p) for p in list_releases(RELEASES)}
    return dict(sorted(found.items(), key=lambda kv: semver_key(kv[0])))


@pytest.fixture(scope="module")
def r100(releases):
    return releases["1.0.0"]


@pytest.fixture(scope="module")
def r130(releases):
    return releases["1.3.0"]


# ---------------------------------------------------------------------------------------------------
# The registry itself


def test_every_page_file_is_registered_and_every_registered_file_exists():
    assert sorted(p.file for p in PAGES) == sorted(f.name for f in (ROOT / "pages").glob("*.py"))


def test_ids_url_paths_and_old_paths_name_one_page_each():
    ids = [p.id for p in PAGES]
    paths = [p.url_path for p in PAGES] + [a for p in PAGES for a in p.aliases]
    assert len(set(ids)) == len(ids) and len(set(paths)) == len(paths)
    assert [p.id for p in PAGES if p.default] == ["overview"] and registry.page("overview").url_path == ""
    assert all(p.url_path == "" for p in PAGES if p.default) and all(p.url_path for p in PAGES if not p.default)


def test_parameter_names_are_unique_across_pages():
    """A parameter's name is its widget's session key, kept across pages: two pages must never share one."""
    names = [n for p in PAGES for prm in p.params for n in (prm.name, *prm.aliases)]
    assert len(set(names)) == len(names)
    assert "release" not in names  # the frame's, on every page
    assert all(p.all_params[0] is registry.RELEASE for p in PAGES)


def test_page_lookup_by_id_url_path_and_old_path(monkeypatch):
    assert registry.page("map").title == "Hub map"
    assert registry.page("/map/").id == "map" and registry.page("").id == "overview"
    assert registry.by_url_path("/").id == "overview" and registry.by_url_path("compare").id == "compare"
    assert registry.by_url_path("nowhere") is None
    with pytest.raises(KeyError, match="'nowhere' is not a page of the app; the pages are: overview, map"):
        registry.page("nowhere")
    moved = dataclasses.replace(registry.page("map"), url_path="hubs", aliases=("map",))
    monkeypatch.setattr(registry, "PAGES", tuple(moved if p.id == "map" else p for p in PAGES))
    assert registry.by_url_path("map") is moved and registry.by_url_path("hubs") is moved and registry.page("map") is moved


def test_every_table_a_page_draws_on_is_a_resource_of_the_newest_release(releases):
    newest = list(releases.values())[-1]
    have = {r["name"] for r in newest.descriptor["resources"]}
    assert {t for p in PAGES for t in p.tables} <= have
    assert registry.tables_of(newest, registry.page("data")) == tuple(r["name"] for r in newest.descriptor["resources"])
    older = releases["1.0.0"]
    assert "focus_areas" in registry.page("map").tables and "focus_areas" not in registry.tables_of(older, registry.page("map"))


def test_the_lever_parameters_are_the_custom_options_levers(releases):
    compare = registry.page("compare")
    for release in releases.values():
        specs = levers(release)
        params = [compare.param(lever.key) for lever in specs]
        assert [p.name for p in params] == [lv.key for lv in specs]
        assert [p.label for p in params] == [lv.label for lv in specs]
        assert [p.kind == "int" for p in params] == [lv.integer for lv in specs]
        for lever, param in zip(specs, params, strict=True):
            assert registry.allowed_values(release, param) == Range(lever.low, lever.high, lever.step)
            assert registry.default_value(release, param) == lever.default


def test_every_default_is_an_allowed_value_on_every_release(releases):
    for release in releases.values():
        for page in PAGES:
            state = resolve(release, page, {}).state
            for param in page.params:
                allowed, value = registry.allowed_values(release, param), state[param.name]
                values = value if param.multi else (() if value is None else (value,))
                assert all(v in allowed for v in values) if allowed is not None else True, (release.version, page.id, param.name, value)


# ---------------------------------------------------------------------------------------------------
# resolve and check_state: what a release validator uses


def test_an_unknown_page_is_a_problem_naming_the_pages(r130):
    found = resolve(r130, "hubs-map", {"hub": "karachi-1"})
    assert found.page is None and not found.ok
    assert found.problems == ("'hubs-map' is not a page of the app; the pages are: " + ", ".join(p.id for p in PAGES),)


def test_an_unknown_parameter_is_located_on_its_page(r130):
    problems = registry.check_state(r130, "phases", {"optoin": "private-only"})
    assert problems == ["Phases (phases): 'optoin' is not a setting of this page (its settings: release, option)."]


def test_a_value_not_allowed_is_named_with_the_page_parameter_and_release(r130):
    problems = registry.check_state(r130, "map", {"radius": "27", "section": "charts", "phase": ["2", "9"]})
    assert problems == [
        "Hub map (map): 'phase' (Phase) value '9' is not allowed on data release 1.3.0: it must be one of '1', '2', '3'.",
        "Hub map (map): 'section' (Tab) value 'charts' is not allowed on data release 1.3.0: it must be one of 'map', 'coverage', 'hubs'.",
        "Hub map (map): 'radius' (Reach radius (km)) value '27' is not allowed on data release 1.3.0: it must be a whole number from 5 to 150 in steps of 5.",
    ]
    long = registry.check_state(r130, "map", {"hub": "atlantis-1"})
    assert long == [
        "Hub map (map): 'hub' (Hub) value 'atlantis-1' is not allowed on data release 1.3.0: it must be one of "
        + ", ".join(f"'{h}'" for h in r130.hubs["hub_id"][:8])
        + f" and {len(r130.hubs) - 8} more."
    ]


def test_values_are_cast_and_the_canonical_query_leaves_defaults_out(r130):
    found = resolve(r130, "compare", {"options": ["private-only", "custom"], "c_gating": "false", "c_ramp_quarters": "5", "differences": "True"})
    assert found.ok, found.problems
    assert found.state["options"] == ("private-only", "custom") and found.state["baseline"] == "private-only"  # the first option
    assert found.state["c_gating"] is False and found.state["c_ramp_quarters"] == 5 and found.state["differences"] is True
    assert found.state["c_pace"] == registry.default_value(r130, registry.page("compare").param("c_pace"))
    assert found.query == {"options": ("private-only", "custom"), "c_gating": "False", "c_ramp_quarters": "5"}
    assert resolve(r130, "map", {"phase": ["3", "1", "3"]}).state["phase"] == (3, 1)


def test_cross_parameter_and_count_rules(r130):
    assert registry.check_state(r130, "compare", {"options": ["private-only", "custom"], "baseline": "public-on-time"}) == [
        "Compare options (compare): 'baseline' (Baseline) value 'public-on-time' is not one of the chosen 'options'."
    ]
    five = [*registry.allowed_values(r130, registry.page("compare").param("options"))]
    assert len(five) > registry.MAX_OPTIONS
    assert registry.check_state(r130, "compare", {"options": five}) == [
        f"Compare options (compare): 'options' (Options to compare) takes at most {registry.MAX_OPTIONS} values; {len(five)} are given."
    ]
    assert registry.check_state(r130, "data", {"table": ["gaps", "hubs"]}) == ["Data (data): 'table' (Table) takes one value; 2 are given (gaps, hubs)."]
    assert registry.check_state(r130, "compare", {"c_pace": "fast"}) == [
        "Compare options (compare): 'c_pace' (Pace (× the planned timetable's speed)) value 'fast' is not allowed on data release 1.3.0: "
        "it must be a number from 0.5 to 2."
    ]


def test_a_link_pinning_another_release_is_checked_against_that_release_only(r130):
    assert resolve(r130, "overview", {"release": "1.3.0"}).ok
    assert registry.check_state(r130, "overview", {"release": "1.0.0"}) == [
        "Overview (overview): the link names data release '1.0.0' but is checked against release 1.3.0."
    ]


def test_allowed_values_follow_the_release(r100, r130):
    """Hub ids, and so a link's hub, belong to one release: a hub only in 1.3.0 is fine there and a problem on 1.0.0."""
    only_new = sorted(set(r130.hubs["hub_id"]) - set(r100.hubs["hub_id"]))
    only_old = sorted(set(r100.hubs["hub_id"]) - set(r130.hubs["hub_id"]))
    assert only_new and only_old
    assert resolve(r130, "map", {"hub": only_new[0]}).state["hub"] == only_new[0]
    assert registry.check_state(r100, "map", {"hub": only_new[0]}) == [
        f"Hub map (map): 'hub' (Hub) value '{only_new[0]}' is not allowed on data release 1.0.0: it must be one of "
        + ", ".join(f"'{h}'" for h in r100.hubs["hub_id"][:8])
        + f" and {len(r100.hubs) - 8} more."
    ]
    assert registry.check_state(r100, "map", {"hub": only_old[0]}) == []
    tables_100 = registry.allowed_values(r100, registry.page("data").param("table"))
    assert "rules" not in tables_100 and registry.check_state(r130, "data", {"table": "rules"}) == []


def test_lever_bounds_come_from_the_release(r100, r130):
    param = registry.page("compare").param("c_private_capacity")
    for release in (r100, r130):
        bounds = registry.allowed_values(release, param)
        assert (bounds.low, bounds.high) == (release.param("private_capacity", "low"), release.param("private_capacity", "high"))
        above = f"{bounds.high + bounds.step:g}"
        assert registry.check_state(release, "compare", {"c_private_capacity": above}) != []
        assert registry.check_state(release, "compare", {"c_private_capacity": f"{bounds.high:g}"}) == []


# ---------------------------------------------------------------------------------------------------
# Old names (aliases): no page or parameter is renamed yet, so these use a registry entry made for the test


@pytest.fixture
def renamed(monkeypatch):
    """The Data page as if it had moved from /tables to /data and its `tbl` parameter had been renamed `table`."""
    data = registry.page("data")
    table = dataclasses.replace(data.param("table"), aliases=("tbl",))
    moved = dataclasses.replace(data, aliases=("tables",), params=(table,))
    monkeypatch.setattr(registry, "PAGES", tuple(moved if p.id == "data" else p for p in PAGES))
    return moved


def test_an_old_parameter_name_is_read_as_the_current_one(renamed, r130):
    found = resolve(r130, "data", {"tbl": "gaps"})
    assert found.ok and found.state["table"] == "gaps" and found.query == {"table": "gaps"}
    assert found.state == resolve(r130, "data", {"table": "gaps"}).state
    assert registry.check_state(r130, "data", {"tbl": "nope"}) == [
        "Data (data): 'tbl' (Table) value 'nope' is not allowed on data release 1.3.0: it must be one of "
        + ", ".join(f"'{t}'" for t in registry.allowed_values(r130, renamed.param("table"))[:8])
        + f" and {len(registry.allowed_values(r130, renamed.param('table'))) - 8} more."
    ]


def test_the_current_name_wins_over_an_old_one_and_the_clash_is_a_problem(renamed, r130):
    found = resolve(r130, "data", {"tbl": "gaps", "table": "sources"})
    assert found.state["table"] == "sources"
    assert found.problems == ("Data (data): 'table' is given twice, as 'tbl' and as 'table' (names it had before count as it).",)


def test_an_old_url_path_finds_the_page(renamed, r130):
    assert registry.by_url_path("tables") is renamed
    assert resolve(r130, "/tables", {"tbl": "gaps"}).page is renamed


def test_a_param_needs_a_known_kind():
    with pytest.raises(ValueError, match="kind 'list' is not one of"):
        Param("x", "X", "list")
    assert isinstance(Page("x", "X", "", "x", "x.py", ()).all_params[0], Param)


def test_the_registry_checks_links_without_streamlit():
    code = (
        "import sys; from pakcoe import load_release, registry; r = load_release('data/releases/1.0.0'); "
        "assert registry.check_state(r, 'map', {'view': 'national', 'phase': '2'}) == []; "
        "bad = [m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')]; print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
