"""Release 1.2.0 says what its sources support: the content errors of 1.1.0 are fixed and its figures agree with their bases."""

from __future__ import annotations

import json
from pathlib import Path

import pak_geodata
import pandas as pd
import pytest

from pakcoe import load_release
from pakcoe.basis import quarter_index
from pakcoe.model import run_model, scenario_from_option

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def release():
    return load_release(ROOT / "data" / "releases" / "1.2.0")


def params(release) -> dict[str, float]:
    return {p: release.param(p) for p in release.assumptions["param_id"]}


def test_costs_split_the_comparables_budgets_instead_of_adding_to_them(release):
    """A comparable's multi-year budget is capital plus running cost: the two derived figures add back up to it."""
    p = params(release)
    assert p["capex_flagship"] + p["ku_centre_years"] * p["opex_flagship"] == pytest.approx(p["ku_centre_budget"], abs=0.2)
    lab = p["ncai_budget"] / p["ncai_labs"]
    assert p["capex_standard"] + p["ncai_years"] * p["opex_standard"] == pytest.approx(lab, abs=0.2)
    # NIC Quetta's grant includes capital: it can only be an upper bound of a flagship's running cost
    assert p["opex_flagship"] < p["nic_quetta_grant"] / p["nic_quetta_years"]


def test_private_capacity_is_what_its_basis_says(release):
    p = params(release)
    assert p["private_capacity"] == p["cap_private_sector"] + p["cap_philanthropy"] + p["cap_international"] + p["cap_fees"]
    caps = release.table("funding_sources").set_index("source_id")["annual_capacity_pkr_m"]
    assert {s: caps[s] for s in caps.index} == {s: p[f"cap_{s}"] for s in caps.index}


def test_every_share_rests_on_share_parameters_not_one_catch_all(release):
    rules = release.table("funding_rules")
    assert rules["share_basis"].nunique() > 10
    assert not rules["share_basis"].isna().any()


def test_programmes_stay_below_degree_levels(release):
    """NVQF v2: levels 6-8 are degrees. No track of a hub claims them."""
    programmes = release.table("programmes")
    assert programmes["nvqf_level_max"].max() <= 5
    notes = " ".join(programmes["alignment_note"])
    assert "updated NVQF" in notes  # the conflicting reading is said, not hidden
    assert release.source("nvqf-updated")["uncertain"]


def test_every_karachi_hub_lies_within_karachi_as_pak_geodata_bounds_it(release):
    city = next(
        c for c in json.loads((Path(pak_geodata.__file__).parent / "data" / "cities" / "sindh.json").read_text(encoding="utf-8")) if c["id"] == "karachi"
    )
    b = city["bounds"]
    hubs = release.hubs[release.hubs["city_id"] == "karachi"]
    outside = hubs[~hubs["lat"].between(b["minLat"], b["maxLat"]) | ~hubs["lon"].between(b["minLng"], b["maxLng"])]
    assert outside.empty, outside[["hub_id", "lat", "lon"]]
    keamari = hubs.set_index("hub_id").loc["karachi-9"]
    assert keamari["location_precision"] == "district" and "site to be set" in keamari["coord_source"]


def test_ludhewala_waraich_has_its_geonames_coordinates(release):
    city = release.table("cities").set_index("city_id").loc["ludhewala-waraich"]
    assert city["geonames_id"] == 1172488 and pd.notna(city["lat"])


def test_older_city_counts_are_not_cited_as_census_2023(release):
    cities = release.table("cities")
    older = cities[cities["population_status"] == "older_count_not_pbs_2023"]
    assert len(older) and set(older["population_source_id"]) == {"ajk-gb-city-counts"}


def test_phase_three_focus_areas_are_not_invented(release):
    hubs = release.hubs
    assert set(hubs.loc[hubs["phase_id"] == 3, "focus_areas"]) == {"to_be_set"}
    used = {a for areas in hubs.loc[hubs["phase_id"] == 1, "focus_areas"] for a in areas.split(";")}
    d4 = release.table("design_elements").set_index("element_id").at["D4", "description"]
    labels = release.table("focus_areas").set_index("focus_area")["label"]
    assert all(labels[a].lower() in d4.lower() for a in used)


def test_nsis_gap_is_stated(release):
    provinces = release.table("provinces")
    total = int(release.param("nsis_institutes_total"))
    counted = int(provinces["tvet_institutes"].sum())
    assert counted < total
    note = release.source("nsis-tvet-institutes")["note"]
    assert f"{counted:,}" in note and f"{total:,}" in note and "unexplained" in note


def test_no_funding_confirmed_one_quarter_before_a_flagship_opens(release):
    m = release.table("milestones").set_index("milestone_id")
    flagships = release.hubs[release.hubs["hub_type"] == "flagship"]
    first_flagship = min(quarter_index(q) for q in flagships[flagships["phase_id"] == 1]["launch_quarter"])
    assert first_flagship - quarter_index(m.at["M01", "due_quarter"]) >= release.param("flagship_lead_quarters")


def test_the_goal_of_reaching_every_province_is_due_when_the_plan_reaches_it(release):
    m = release.table("milestones")
    reach = m[m["metric_id"] == "provinces_reached"].iloc[0]
    assert int(reach["phase_id"]) == 2 and reach["target_value"] == len(release.table("provinces"))
    assert "Phase 2" in release.table("goals").set_index("goal_id").at["N1", "how_measured"]


def test_the_planned_option_meets_phase_one_learner_exit_on_time(release):
    """An exit criterion the plan itself misses would make the plan contradict its own gates."""
    result = run_model(release, scenario_from_option(release, "public-on-time"))
    q = result.quarters.assign(quarter=lambda f: f["quarter"].astype(str)).set_index("quarter")
    m = release.table("milestones")
    for _, row in m[m["metric_id"] == "learners_certified"].iterrows():
        assert q.at[row["due_quarter"], "certified_cum"] >= row["target_value"], row["milestone_id"]


def test_rules_and_risks_the_model_and_pages_need(release):
    topics = set(release.table("rules")["topic"])
    assert {"track_switch", "handover", "gate_failure", "town_selection", "funding_shortfall", "private_pace"} <= topics
    risks = release.table("risks")
    assert len(risks) >= 6 and set(risks["likelihood"]) <= {"low", "medium", "high"}
    assert set(risks["owner_body_id"]) <= set(release.table("governance")["body_id"])


def test_every_source_has_an_address_kind_and_home_pages_say_so(release):
    s = release.table("sources")
    home = s[s["url_kind"] == "publisher_home_page"]
    assert len(home) and home["note"].str.contains("not located").all()
    assert release.source("tvetreform-demand")["url"].endswith("/governance")
