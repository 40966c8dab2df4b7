"""Coverage of the census-2023 city population by hubs, nearest hubs, and provincial balance."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pakcoe.geo import haversine_km


@dataclass(frozen=True)
class HubFilter:
    """Which hubs to show; an empty tuple means 'all' for that attribute."""

    phases: tuple[int, ...] = ()
    provinces: tuple[str, ...] = ()
    hub_types: tuple[str, ...] = ()
    host_types: tuple[str, ...] = ()

    def apply(self, hubs: pd.DataFrame) -> pd.DataFrame:
        """The hubs passing every non-empty criterion, in their original order."""
        keep = np.ones(len(hubs), dtype=bool)
        for column, wanted in (("phase_id", self.phases), ("province_id", self.provinces), ("hub_type", self.hub_types), ("host_type", self.host_types)):
            if wanted:
                keep &= hubs[column].isin(wanted).to_numpy()
        return hubs[keep]


def located_cities(cities: pd.DataFrame) -> pd.DataFrame:
    """Cities with a census population and coordinates (the population coverage is measured over)."""
    return cities[cities["population_2023"].notna() & cities["lat"].notna() & cities["lon"].notna() & (cities["population_status"] == "pbs_2023")]


def distance_matrix_km(cities: pd.DataFrame, hubs: pd.DataFrame) -> np.ndarray:
    """Great-circle distance from every city (rows) to every hub (columns), in km."""
    clat = cities["lat"].to_numpy(dtype=float)[:, None]
    clon = cities["lon"].to_numpy(dtype=float)[:, None]
    hlat = hubs["lat"].to_numpy(dtype=float)[None, :]
    hlon = hubs["lon"].to_numpy(dtype=float)[None, :]
    return haversine_km(clat, clon, hlat, hlon)


def nearest_hub(cities: pd.DataFrame, hubs: pd.DataFrame) -> pd.DataFrame:
    """For every located city: the nearest hub, its name and the distance in km (blank when no hubs)."""
    cities = located_cities(cities)
    out = cities[["city_id", "name", "province_id", "population_2023"]].copy()
    if hubs.empty:
        out["nearest_hub_id"] = None
        out["nearest_hub"] = None
        out["distance_km"] = np.nan
        return out
    d = distance_matrix_km(cities, hubs)
    idx = d.argmin(axis=1)
    out["nearest_hub_id"] = hubs["hub_id"].to_numpy()[idx]
    out["nearest_hub"] = hubs["name"].to_numpy()[idx]
    out["distance_km"] = d[np.arange(len(cities)), idx]
    return out.reset_index(drop=True)


def coverage_by_phase(cities: pd.DataFrame, hubs: pd.DataFrame, radius_km: float, phases: list[int] | None = None) -> pd.DataFrame:
    """Share of the located census-2023 city population within radius_km of a hub, once each phase is complete.

    Phase p counts every hub of phases 1..p (cumulative). Columns: phase, hubs, population_covered,
    population_total, share (0..1), cities_covered, cities_total.
    """
    located = located_cities(cities)
    pop = located["population_2023"].to_numpy(dtype=float)
    total = float(pop.sum())
    phases = sorted(phases if phases is not None else hubs["phase_id"].dropna().astype(int).unique().tolist())
    d = distance_matrix_km(located, hubs) if len(hubs) else np.zeros((len(located), 0))
    hub_phase = hubs["phase_id"].to_numpy(dtype=int) if len(hubs) else np.zeros(0, dtype=int)
    rows = []
    for p in phases:
        cols = hub_phase <= p
        within = (d[:, cols] <= radius_km).any(axis=1) if cols.any() else np.zeros(len(located), dtype=bool)
        covered = float(pop[within].sum())
        rows.append(
            {
                "phase": p,
                "hubs": int(cols.sum()),
                "population_covered": int(covered),
                "population_total": int(total),
                "share": covered / total if total else 0.0,
                "cities_covered": int(within.sum()),
                "cities_total": len(located),
            }
        )
    return pd.DataFrame(rows)


def province_balance(hubs: pd.DataFrame, provinces: pd.DataFrame) -> pd.DataFrame:
    """Share of hubs vs share of population by province or territory (shares 0..1)."""
    counts = hubs["province_id"].value_counts()
    out = provinces[["province_id", "name", "population"]].copy()
    out["hubs"] = out["province_id"].map(counts).fillna(0).astype(int)
    out["hub_share"] = out["hubs"] / max(int(out["hubs"].sum()), 1)
    out["population_share"] = out["population"] / out["population"].sum()
    return out.reset_index(drop=True)


def spokes(hubs: pd.DataFrame) -> pd.DataFrame:
    """Hub-and-spoke links: every non-flagship hub to its nearest flagship among the given hubs."""
    flagships = hubs[hubs["hub_type"] == "flagship"]
    others = hubs[hubs["hub_type"] != "flagship"]
    if flagships.empty or others.empty:
        return pd.DataFrame(columns=["from_hub", "to_hub", "from_lat", "from_lon", "to_lat", "to_lon", "distance_km"])
    d = haversine_km(
        others["lat"].to_numpy(dtype=float)[:, None],
        others["lon"].to_numpy(dtype=float)[:, None],
        flagships["lat"].to_numpy(dtype=float)[None, :],
        flagships["lon"].to_numpy(dtype=float)[None, :],
    )
    idx = d.argmin(axis=1)
    f = flagships.iloc[idx]
    return pd.DataFrame(
        {
            "from_hub": others["hub_id"].to_numpy(),
            "to_hub": f["hub_id"].to_numpy(),
            "from_lat": others["lat"].to_numpy(dtype=float),
            "from_lon": others["lon"].to_numpy(dtype=float),
            "to_lat": f["lat"].to_numpy(dtype=float),
            "to_lon": f["lon"].to_numpy(dtype=float),
            "distance_km": d[np.arange(len(others)), idx],
        }
    )
