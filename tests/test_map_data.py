"""The map page's content (components.map_data): views, filter choices and labels come from the release, not from code."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from components.foliumview import payload_of
from components.hubmap import MapSpec, build_map, drawn_hub_ids
from components.map_data import NATIONAL, filter_choices, filter_summary, hub_detail, view_hubs, view_total
from pakcoe import load_release
from pakcoe.coverage import HubFilter

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def release():
    return load_release(ROOT / "data" / "releases" / "1.1.0")


def with_tables(release, **tables: pd.DataFrame):
    """The release with some tables replaced (in memory)."""
    return dataclasses.replace(release, tables={**release.tables, **tables})


def test_the_views_are_the_demonstrator_citys_cluster_then_the_national_network(release):
    choices = filter_choices(release)
    assert choices.views == {"karachi": "Karachi cluster (Phase 1)", NATIONAL: "National network (100 hubs)"}
    assert choices.default_view == "karachi"
    assert choices.types == {"flagship": "Flagship hub", "standard": "Standard hub", "tvet_embedded": "TVET-embedded hub"}
    assert view_total(release, "karachi") == 12 and view_total(release, NATIONAL) == 100


def test_the_cluster_view_follows_the_city_of_the_release_not_a_name_in_code(release):
    """Karachi renamed to another id and name in cities.csv and hubs.csv: the cluster view, its label, its hubs and its
    hub-and-spoke links follow; a hub type renamed in hub_types.csv is renamed in the filters and the details."""
    cities = release.table("cities").replace({"city_id": {"karachi": "khi"}, "name": {"Karachi": "Kolachi *old*"}})
    hubs = release.hubs.replace({"city_id": {"karachi": "khi"}})
    types = release.table("hub_types").replace({"label": {"Flagship hub": "Regional flagship"}})
    changed = with_tables(release, cities=cities, hubs=hubs, hub_types=types)
    choices = filter_choices(changed)
    assert choices.views == {"khi": "Kolachi \\*old\\* cluster (Phase 1)", NATIONAL: "National network (100 hubs)"}  # Markdown-safe
    cluster = view_hubs(changed, "khi", HubFilter())
    assert len(cluster) == view_total(changed, "khi") == 12 and view_hubs(changed, "karachi", HubFilter()).empty
    p = payload_of(build_map(MapSpec("khi", cluster, changed)))
    assert sorted(drawn_hub_ids(p.script)) == sorted(cluster["hub_id"]) and p.script.count("L.polyline") == 10
    assert filter_summary(choices, HubFilter(hub_types=("flagship",))) == "regional flagships"
    attrs = hub_detail(changed, "quetta-1").attributes.set_index("attribute")["value"]
    assert attrs["Hub type"] == "Regional flagship"


def test_hub_detail_holds_every_attribute_and_the_programmes_of_its_type(release):
    detail = hub_detail(release, "karachi-8")
    attrs = detail.attributes.set_index("attribute")["value"]
    assert detail.name == "Karachi Orangi hub" and attrs["Hub id"] == "karachi-8" and attrs["Location precision"] == "town"
    offers = release.table("programme_offers")
    assert len(detail.programmes) == (offers["hub_type"] == release.hubs.set_index("hub_id").at["karachi-8", "hub_type"]).sum()
    assert list(detail.partners.columns) == ["category", "role_public_track", "role_private_track"]
