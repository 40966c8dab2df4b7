"""Links into the app: a page opened first with a query string runs inside the frame (as the real server does with
scripts/serve.py), and the pages, their URL parameters and the tables they draw on are what pakcoe.registry says."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest
from apphelp import ROOT, open_clean, open_first, open_page
from releasekit import newest_folder

from pakcoe import load_release, registry
from pakcoe.registry import PAGES, Range
from pakcoe.release import list_releases
from pakcoe.semver import semver_key

RELEASE = "1.3.0"  # a published release with every table but the newest ones; the tables test uses the newest folder


@pytest.mark.parametrize("page", ["map", "phases", "compare", "methodology", "funding", "partners", "data"])
def test_every_page_opened_first_has_the_frame_and_the_linked_release(real_releases, page):
    at = open_clean(page, {"release": "1.0.0"})
    assert at.radio(key="release").value == "1.0.0"
    assert "Concept proposal" in at.warning[0].value


def test_data_page_shows_the_linked_release(real_releases):
    at = open_clean("data", {"release": "1.0.0", "table": "gaps"})
    assert {m.label: m.value for m in at.metric}["Release"] == "1.0.0"
    assert at.selectbox(key="table").value == "gaps"


# ---------------------------------------------------------------------------------------------------
# The navigation and the URL parameters are the registry's


def test_the_navigation_is_the_registry(real_releases, monkeypatch):
    import streamlit

    made, navigated = {}, []
    page_class, navigation = streamlit.Page, streamlit.navigation

    def page(path, **kwargs):
        made_page = page_class(path, **kwargs)
        made[id(made_page)] = (Path(path), kwargs)
        return made_page

    def navigate(pages, **kwargs):
        navigated.append(list(pages))
        return navigation(pages, **kwargs)

    monkeypatch.setattr(streamlit, "Page", page)
    monkeypatch.setattr(streamlit, "navigation", navigate)
    open_page()
    got = [(made[id(p)][0], p.title, p.icon, p.url_path, bool(made[id(p)][1].get("default"))) for p in navigated[-1]]
    assert got == [(ROOT / "pages" / p.file, p.title, p.icon, p.url_path, p.default) for p in PAGES]


def _other_value(release, param, state: dict):
    """A value of `param` other than its default (multi: two values; among another parameter: its last value)."""
    allowed, default = registry.allowed_values(release, param), registry.default_value(release, param)
    if param.among:
        return state[param.among][-1]
    if param.kind == "bool":
        return not default
    if isinstance(allowed, Range):
        return allowed.low if allowed.low != default else allowed.high
    if param.multi:
        return tuple(allowed[-2:])
    if allowed is None:  # any text: the present page's room codes
        return "ABCDEF"
    return next(a for a in allowed if a != default)


# The parameters each run sets: a page reads some only in one tab (the map's hub in its map tab, radius in coverage).
# The present page reads `follow` (an audience window) apart from the presenter's own parameters.
TOURS = {"map": [("view", "phase", "province", "type", "host", "hub"), ("section", "radius")], "present": [("stop", "notes", "room"), ("follow",)]}


def _deck_release() -> str:
    """The newest release folder with a presentation deck (the present page's parameters need one)."""
    return newest_folder().name


def _tours() -> list[tuple[str, tuple[str, ...]]]:
    runs = []
    for page in PAGES:
        tours = TOURS.get(page.id, [tuple(p.name for p in page.params)])
        assert sorted(n for tour in tours for n in tour) == sorted(p.name for p in page.params), f"{page.id}: a parameter no run sets"
        runs += [(page.id, tour) for tour in tours]
    return runs


def _as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize(("page_id", "names"), _tours())
def test_every_registered_parameter_is_read_from_the_link_and_written_back(real_releases, page_id, names):
    """A link with a value other than the default for each parameter: the widget takes it, no notice, the URL keeps it;
    and the page writes no URL parameter the registry does not list."""
    version = _deck_release() if page_id == "present" else RELEASE
    release = load_release(real_releases / version)
    page = registry.page(page_id)
    values: dict = {}
    for name in names:
        values[name] = _other_value(release, page.param(name), values)
    query = {"release": version, **{n: registry.to_query(v) for n, v in values.items()}}
    at = open_clean(Path(page.file).stem, query)
    assert not [i.value for i in at.info if "is not valid here" in i.value]
    for name, value in values.items():
        assert at.session_state[name] == (list(value) if isinstance(value, tuple) else value), name
        assert _as_list(at.query_params[name]) == _as_list(registry.to_query(value)), name
    assert set(at.query_params) <= {p.name for p in page.all_params}


def test_the_map_tabs_are_the_section_values():
    from components import mappage

    assert tuple(mappage.SECTIONS) == registry.page("map").param("section").allowed


def test_a_parameter_the_registry_does_not_list_is_an_error(real_releases, monkeypatch):
    """A page reading an unregistered parameter fails loudly (the page's error box), so no parameter escapes the registry."""
    data = registry.page("data")
    monkeypatch.setattr(registry, "PAGES", tuple(dataclasses.replace(p, params=()) if p is data else p for p in PAGES))
    at = open_first("data", {"release": RELEASE})
    assert [e.value for e in at.error] == ["This page could not be drawn. The problem has been logged; other pages still work."]


# ---------------------------------------------------------------------------------------------------
# Old names: no parameter is renamed yet, so the test renames one in the registry


@pytest.fixture
def renamed_table(monkeypatch):
    """The Data page as if its `table` parameter had been called `tbl` before."""
    data = registry.page("data")
    params = tuple(dataclasses.replace(q, aliases=("tbl",)) if q.name == "table" else q for q in data.params)  # the others as they are
    monkeypatch.setattr(registry, "PAGES", tuple(dataclasses.replace(p, params=params) if p is data else p for p in PAGES))


def test_a_link_with_an_old_parameter_name_shows_the_same_view_under_the_new_name(real_releases, renamed_table):
    old = open_clean("data", {"release": RELEASE, "tbl": "gaps"})
    new = open_clean("data", {"release": RELEASE, "table": "gaps"})
    assert old.selectbox(key="table").value == new.selectbox(key="table").value == "gaps"
    assert [d.value.to_dict() for d in old.dataframe][:1] == [d.value.to_dict() for d in new.dataframe][:1]
    assert "tbl" not in old.query_params and _as_list(old.query_params["table"]) == ["gaps"]


def test_an_invalid_value_under_an_old_name_gives_the_notice_with_the_name_the_link_used(real_releases, renamed_table):
    at = open_clean("data", {"release": RELEASE, "tbl": "nope"})
    notices = [i.value for i in at.info if "is not one this page offers" in i.value]
    assert len(notices) == 1 and notices[0].startswith("The link's value for “Table” (“nope”) is not one this page offers; showing ")
    assert at.selectbox(key="table").value == "hubs" and "tbl" not in at.query_params and "table" not in at.query_params


# ---------------------------------------------------------------------------------------------------
# The tables each page draws on


class _Reads(dict):
    """A release's tables (or geojson) that note every table a page script reads (membership tests do not count)."""

    def __init__(self, data: dict, seen: set[str]):
        super().__init__(data)
        self.seen = seen

    def _note(self, name: str) -> None:
        frame = sys._getframe(2)
        while frame is not None:
            if Path(frame.f_code.co_filename).parent == ROOT / "pages":
                self.seen.add(name)
                return
            frame = frame.f_back

    def __getitem__(self, name):
        self._note(name)
        return super().__getitem__(name)

    def get(self, name, default=None):
        self._note(name)
        return super().get(name, default)


class _NoKeep(dict):
    """A cache that keeps nothing: every model run reads its release again."""

    def __setitem__(self, key, value) -> None:
        pass


def test_each_page_draws_on_exactly_the_tables_the_registry_lists(real_releases, monkeypatch):
    """Run every page (each tab of the map, the custom option on Compare) on the newest release folder, with cold caches,
    and note the tables its code reads: they are the registry's list (for the Data page, among the release's).

    Each page gets new release objects, as a fresh validation gives (no cache keyed by a release object carries another
    page's reads over), but each folder is validated once, not once per page: the validator is not what this checks."""
    import streamlit as st

    from components import cached
    from pakcoe import model, uncertainty
    from pakcoe.release import Release, validate_release

    newest = max((p.name for p in list_releases(real_releases)), key=semver_key)
    seen: set[str] = set()
    init = Release.__init__

    def recording_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        object.__setattr__(self, "tables", _Reads(self.tables, seen))
        object.__setattr__(self, "geojson", _Reads(self.geojson, seen))

    monkeypatch.setattr(Release, "__init__", recording_init)
    validated = {}

    def validate_once(path):
        if path not in validated:
            validated[path] = validate_release(path)
        report = validated[path]
        return dataclasses.replace(report, release=report.release and dataclasses.replace(report.release))

    monkeypatch.setattr(cached, "validate_release", validate_once)
    monkeypatch.setattr(model, "_INPUTS_CACHE", _NoKeep())
    monkeypatch.setattr(uncertainty, "_PLANS", _NoKeep())
    release = load_release(real_releases / newest)
    runs = {
        "map": [{"hub": str(release.hubs["hub_id"].iloc[0])}, {"section": "coverage"}, {"section": "hubs"}],
        "compare": [{"options": ["public-on-time", "custom"]}],
    }
    failures = []
    try:
        for page in PAGES:
            st.cache_data.clear()
            st.cache_resource.clear()
            seen.clear()
            for query in runs.get(page.id, [{}]):
                open_clean(Path(page.file).stem, {"release": newest, **query})
            listed = set(registry.tables_of(release, page))
            if (page.every_table and not seen <= listed) or (not page.every_table and seen != listed):
                failures.append(f"{page.id}: reads {sorted(seen - listed)} not listed; lists {sorted(listed - seen)} not read")
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    assert not failures, "\n".join(failures)
