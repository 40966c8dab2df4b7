"""Release 1.0.0 holds the proposal's content at the promised depth, and stays exactly as published."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pakcoe import headline, largest_remainder, list_releases, load_release, read_published

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "data" / "releases"
PUBLISHED = [RELEASES / version for version in read_published(RELEASES)]  # data/releases/published.json (drafts are not)


@pytest.fixture(scope="module")
def release():
    return load_release(RELEASES / "1.0.0")


@pytest.mark.parametrize("path", PUBLISHED, ids=[p.name for p in PUBLISHED])
def test_published_release_files_match_their_recorded_hashes(path):
    descriptor = json.loads((path / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        raw = (path / res["path"]).read_bytes()
        assert res["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest(), f"{path.name}/{res['path']} was edited after publication"
        assert res["bytes"] == len(raw)
    listed = {r["path"] for r in descriptor["resources"]} | {"datapackage.json"}
    assert {p.name for p in path.iterdir()} == listed, "a release folder holds only its described files"


def test_every_published_release_is_in_the_changelog():
    changelog = (ROOT / "data" / "CHANGELOG.md").read_text(encoding="utf-8")
    for path in PUBLISHED:
        assert f"## {path.name}" in changelog


def test_rebuilding_derived_parts_changes_nothing():
    """Coordinates, GeoJSON, outline and hashes regenerate byte for byte from the sourced places."""
    out = subprocess.run([sys.executable, "scripts/build_release.py", "data/releases/1.0.0", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "0 differ" in out.stdout


def test_hubs(release):
    hubs = release.hubs
    assert len(hubs) == 100
    assert set(hubs["status"]) == {"proposed"}
    karachi = hubs[hubs["phase_id"] == 1]
    assert len(karachi) == 12 and set(karachi["city_id"]) == {"karachi"}
    assert set(karachi["district"]) == {"South", "East", "Central", "West", "Keamari", "Korangi", "Malir"}
    assert set(hubs["province_id"]) == {"PB", "SD", "KP", "BA", "ICT", "AJK", "GB"}
    assert hubs[["lat", "lon"]].drop_duplicates().shape[0] == 100
    assert set(hubs["hub_type"]) == {"flagship", "standard", "tvet_embedded"}
    assert set(hubs["location_precision"]) >= {"neighbourhood", "town", "city"}
    low = hubs[hubs["coord_source"].str.contains("LOW", regex=False)]
    assert not low.empty and set(low["location_precision"]) <= {"town", "district"}


def test_no_real_institution_is_named_as_a_host(release):
    names = " ".join(release.hubs["name"]).lower()
    for word in ("university", "institute", "college", "ned ", "iba", "nust", "fast", "habib", "navttc"):
        assert word not in names


def test_allocation_rule_is_stated_and_holds(release):
    rule = release.descriptor["allocation_rule"]
    assert rule["karachi_counts_toward_sindh"] is True and "floor" in rule["text"]
    provinces = release.table("provinces")
    expected = largest_remainder(dict(zip(provinces["province_id"], provinces["population"])), 100, int(release.param("allocation_floor")))
    assert expected == {"PB": 49, "SD": 21, "KP": 15, "BA": 6, "ICT": 3, "AJK": 3, "GB": 3}
    assert release.hubs["province_id"].value_counts().to_dict() == expected


def test_content_depth(release):
    t = release.tables
    assert len(t["gaps"]) >= 6
    assert len(t["phases"]) >= 3
    assert len(t["milestones"]) >= 12 and t["milestones"]["exit_criterion"].sum() >= 4
    assert len(t["programmes"]) >= 6
    levels = set()
    for lo, hi in zip(t["programmes"]["nvqf_level_min"], t["programmes"]["nvqf_level_max"]):
        levels |= set(range(int(lo), int(hi) + 1))
    assert len(levels) >= 4
    assert len(t["partners"]) >= 7
    assert len(t["activities"]) >= 8
    assert set(t["roles"]["track"]) == {"public", "private"}
    assert len(t["roles"]) == 2 * len(t["activities"]) * len(t["partners"])
    assert len(t["funding_sources"]) >= 5
    assert len(t["assumptions"]) >= 15
    assert len(t["sources"]) >= 10
    assert len(t["governance"]) >= 4 and set(t["governance"]["status"]) == {"proposed"}
    options = t["options"].set_index("option_id")
    assert len(options) >= 4
    assert options.at["public-on-time", "public_decision"] == "on_time"
    assert (options.at["public-delayed-4q", "public_decision"], options.at["public-delayed-4q", "delay_quarters"]) == ("delayed", 4)
    assert options.at["private-only", "public_decision"] == "not_approved"
    assert options.at["fast-small", "hub_target"] < 100 and options.at["fast-small", "pace"] > 1


def test_every_number_is_sourced_or_labelled(release):
    a = release.assumptions
    sources = set(release.table("sources")["source_id"])
    for _, row in a.iterrows():
        if row["assumption"]:
            assert len(row["basis"]) >= 10
        else:
            assert row["source_id"] in sources
    assert a.set_index("param_id").at["usd_pkr", "value"] == 280
    cities = release.table("cities")
    census = cities[cities["population_status"] == "pbs_2023"]
    assert len(census) >= 120 and census["population_2023"].notna().all()
    assert cities.set_index("city_id").at["karachi", "population_2023"] == 18868021
    not_pbs = cities[cities["population_status"] == "older_count_not_pbs_2023"]
    assert set(not_pbs["province_id"]) == {"AJK", "GB"}


def test_headline_figures(release):
    h = headline(release)
    assert h.hubs_total == 100
    assert h.hubs_by_phase == {1: 12, 2: 28, 3: 60}
    assert (h.demonstrator_city, h.demonstrator_hubs, h.demonstrator_districts, h.provinces_reached) == ("Karachi", 12, 7, 7)
    assert h.hubs_by_type == {"flagship": 6, "standard": 30, "tvet_embedded": 64}
    # 6 x 1190 + 30 x 810 + 64 x 480 learners a year
    assert h.learner_capacity_per_year == 6 * 1190 + 30 * 810 + 64 * 480
    # capex: 6 flagships, 30 standard, 64 TVET-embedded at low / central / high (PKR million)
    assert (h.capex_pkr_m.low, h.capex_pkr_m.central, h.capex_pkr_m.high) == (
        6 * 240 + 30 * 80 + 64 * 25,
        6 * 320 + 30 * 122 + 64 * 40,
        6 * 450 + 30 * 150 + 64 * 60,
    )
    assert h.capex_pkr_m.low < h.capex_pkr_m.central < h.capex_pkr_m.high
    assert sum(h.hubs_by_province.values()) == 100


def test_the_checkout_lists_its_releases():
    assert [p.name for p in list_releases(RELEASES)][:1] == ["1.0.0"]
