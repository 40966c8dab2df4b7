"""Coverage, nearest hub, provincial balance and spokes on small hand-made cases with known answers."""

from __future__ import annotations

import pandas as pd
import pytest
from pyproj import Geod

from pakcoe import load_release
from pakcoe.coverage import HubFilter, coverage_by_phase, nearest_hub, province_balance, spokes
from pakcoe.geo import haversine_km

# One degree of latitude is ~110.6 km here; cities on a meridian make distances easy to reason about.
CITIES = pd.DataFrame(
    {
        "city_id": ["a", "b", "c", "d", "e"],
        "name": ["A", "B", "C", "D", "E"],
        "province_id": ["SD", "SD", "PB", "PB", "PB"],
        "population_2023": [1000, 2000, 3000, 4000, None],
        "population_status": ["pbs_2023", "pbs_2023", "pbs_2023", "pbs_2023", "not_in_census_list"],
        "lat": [25.0, 25.5, 30.0, 31.0, 31.0],
        "lon": [67.0, 67.0, 70.0, 70.0, 71.0],
    }
).astype({"population_2023": "Int64"})
HUBS = pd.DataFrame(
    {
        "hub_id": ["h1", "h2", "h3"],
        "name": ["Hub one", "Hub two", "Hub three"],
        "phase_id": [1, 2, 2],
        "province_id": ["SD", "PB", "PB"],
        "hub_type": ["flagship", "standard", "tvet_embedded"],
        "host_type": ["university_campus", "industry_park", "tvet_institute"],
        "lat": [25.0, 30.0, 30.05],
        "lon": [67.0, 70.0, 70.0],
    }
)


def test_coverage_by_phase_known_answer():
    cov = coverage_by_phase(CITIES, HUBS, radius_km=60).set_index("phase")
    # phase 1: only h1 at A; B is 55.6 km away (within 60) -> 3000 of 10000
    assert cov.at[1, "population_covered"] == 3000 and cov.at[1, "hubs"] == 1
    # phases 1-2: + C (h2 on it); D is ~105 km from h3 -> not covered; E has no census population
    assert cov.at[2, "population_covered"] == 6000 and cov.at[2, "hubs"] == 3
    assert cov.at[2, "population_total"] == 10000 and cov.at[2, "share"] == pytest.approx(0.6)
    assert cov.at[2, "cities_total"] == 4
    small = coverage_by_phase(CITIES, HUBS, radius_km=50).set_index("phase")
    assert small.at[1, "population_covered"] == 1000


def test_coverage_with_no_hubs_is_zero():
    cov = coverage_by_phase(CITIES, HUBS.iloc[0:0], radius_km=100, phases=[1, 2])
    assert cov["population_covered"].tolist() == [0, 0]


def test_nearest_hub_and_distance():
    near = nearest_hub(CITIES, HUBS).set_index("city_id")
    assert near.at["a", "nearest_hub_id"] == "h1" and near.at["a", "distance_km"] == pytest.approx(0.0, abs=1e-9)
    assert near.at["d", "nearest_hub_id"] == "h3"
    assert near.at["b", "distance_km"] == pytest.approx(55.6, abs=0.2)
    assert "e" not in near.index


@pytest.mark.parametrize(
    ("p1", "p2"), [((24.86, 67.01), (35.92, 74.31)), ((25.12, 62.32), (33.72, 73.04)), ((31.55, 74.35), (31.56, 74.36)), ((24.0, 61.0), (37.0, 77.5))]
)
def test_haversine_within_half_a_percent_of_the_geodesic(p1, p2):
    _, _, geodesic_m = Geod(ellps="WGS84").inv(p1[1], p1[0], p2[1], p2[0])
    assert float(haversine_km(p1[0], p1[1], p2[0], p2[1])) == pytest.approx(geodesic_m / 1000, rel=0.005)


def test_every_city_distance_of_the_release_is_within_half_a_percent():
    r = load_release("data/releases/1.0.0")
    near = nearest_hub(r.table("cities"), r.hubs)
    hubs = r.hubs.set_index("hub_id")
    cities = r.table("cities").set_index("city_id")
    g = Geod(ellps="WGS84")
    for row in near.itertuples():
        _, _, m = g.inv(cities.at[row.city_id, "lon"], cities.at[row.city_id, "lat"], hubs.at[row.nearest_hub_id, "lon"], hubs.at[row.nearest_hub_id, "lat"])
        assert abs(row.distance_km - m / 1000) <= max(0.005 * m / 1000, 1e-6)


def test_province_balance_shares():
    provinces = pd.DataFrame({"province_id": ["SD", "PB"], "name": ["Sindh", "Punjab"], "population": [1, 3]})
    bal = province_balance(HUBS, provinces).set_index("province_id")
    assert bal.at["SD", "hub_share"] == pytest.approx(1 / 3) and bal.at["PB", "population_share"] == pytest.approx(0.75)


def test_filter_and_spokes():
    assert HubFilter(phases=(2,)).apply(HUBS)["hub_id"].tolist() == ["h2", "h3"]
    assert HubFilter(hub_types=("flagship", "standard"), provinces=("PB",)).apply(HUBS)["hub_id"].tolist() == ["h2"]
    assert HubFilter().apply(HUBS).equals(HUBS)
    links = spokes(HUBS)
    assert links["to_hub"].tolist() == ["h1", "h1"] and links["from_hub"].tolist() == ["h2", "h3"]
    assert spokes(HUBS[HUBS["hub_type"] != "flagship"]).empty
