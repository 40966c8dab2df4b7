"""Headline figures computed from a release: the numbers every page quotes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pakcoe.labels import city_name, demonstrator_city
from pakcoe.release import Release


@dataclass(frozen=True)
class Range:
    """A figure with its low / central / high values from the assumption bounds."""

    low: float
    central: float
    high: float


@dataclass(frozen=True)
class Headline:
    """Full-scale figures of the proposal in one release."""

    release_id: str
    hubs_total: int
    hubs_by_phase: dict[int, int]
    hubs_by_province: dict[str, int]
    hubs_by_type: dict[str, int]
    demonstrator_city: str  # the name of the first phase's cluster city (pakcoe.labels.demonstrator_city)
    demonstrator_phase: int  # the first phase
    demonstrator_hubs: int  # its hubs in the first phase
    demonstrator_districts: int  # the districts they are in
    provinces_reached: int
    learner_capacity_per_year: int
    capex_pkr_m: Range
    opex_pkr_m_per_year: Range


def _by_type_cost(release: Release, column: str, bound: str) -> float:
    types = release.table("hub_types").set_index("hub_type")
    counts = release.hubs["hub_type"].value_counts()
    return float(sum(release.param(types.at[t, column], bound) * int(n) for t, n in counts.items()))


def headline(release: Release) -> Headline:
    """Compute the headline figures (capex/opex ranges from each parameter's low / value / high)."""
    hubs = release.hubs
    city, first = demonstrator_city(release), int(hubs["phase_id"].min())
    demonstrator = hubs[(hubs["city_id"] == city) & (hubs["phase_id"] == first)]
    return Headline(
        release_id=release.id,
        hubs_total=len(hubs),
        hubs_by_phase={int(k): int(v) for k, v in hubs["phase_id"].value_counts().sort_index().items()},
        hubs_by_province=_ordered_counts(hubs["province_id"], release.table("provinces")["province_id"]),
        hubs_by_type={str(k): int(v) for k, v in hubs["hub_type"].value_counts().items()},
        demonstrator_city=city_name(release, city),
        demonstrator_phase=first,
        demonstrator_hubs=len(demonstrator),
        demonstrator_districts=int(demonstrator["district"].nunique()),
        provinces_reached=int(hubs["province_id"].nunique()),
        learner_capacity_per_year=int(hubs["learner_capacity_per_year"].sum()),
        capex_pkr_m=Range(*(_by_type_cost(release, "capex_param", b) for b in ("low", "value", "high"))),
        opex_pkr_m_per_year=Range(*(_by_type_cost(release, "opex_param", b) for b in ("low", "value", "high"))),
    )


def _ordered_counts(values: pd.Series, order: pd.Series) -> dict[str, int]:
    counts = values.value_counts()
    return {str(k): int(counts.get(k, 0)) for k in order}
