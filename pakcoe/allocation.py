"""Sharing a number of hubs among provinces: largest remainder, with an optional floor per unit,
and the selectable rules (population, equity floor, TVET capacity) compared with a release's hub list."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from pakcoe.release import Release


def largest_remainder(weights: Mapping[str, float], total: int, floor: int = 0) -> dict[str, int]:
    """Share `total` among units in proportion to `weights`, each unit getting at least `floor`.

    Units whose proportional quota falls below the floor are fixed at the floor and the rest is
    shared again among the others, until no quota is below the floor; then each remaining unit gets
    the whole part of its quota and the leftover goes to the largest fractional parts (ties: larger
    weight first, then name). The result always sums to `total`.
    """
    if total < 0 or floor < 0:
        raise ValueError("total and floor must not be negative")
    units = list(weights)
    if not units:
        if total:
            raise ValueError("no units to allocate to")
        return {}
    if any(w < 0 or not math.isfinite(w) for w in weights.values()):
        raise ValueError("weights must be finite and not negative")
    if floor * len(units) > total:
        raise ValueError(f"a floor of {floor} for {len(units)} units needs {floor * len(units)} hubs; only {total} to share")

    fixed: dict[str, int] = {}
    while True:
        free = [u for u in units if u not in fixed]
        left = total - sum(fixed.values())
        weight = sum(weights[u] for u in free)
        quotas = {u: (left * weights[u] / weight if weight > 0 else left / len(free)) for u in free}
        below = [u for u in free if quotas[u] < floor]
        if not below:
            break
        for u in below:
            fixed[u] = floor
    result = dict(fixed)
    base = {u: math.floor(q) for u, q in quotas.items()}
    result.update(base)
    rest = left - sum(base.values())
    order = sorted(quotas, key=lambda u: (-(quotas[u] - base[u]), -weights[u], u))
    for u in order[:rest]:
        result[u] += 1
    return {u: result[u] for u in units}


# ---------------------------------------------------------------------------------------------------
# Selectable rules for sharing the network among provinces and territories (the Allocation lever).

ALLOCATION_RULES: dict[str, str] = {
    "population": "In proportion to population (provinces.population), largest remainder, no floor.",
    "equity_floor": (
        "In proportion to population, every province and territory getting at least the floor "
        "(default: the release's allocation_floor), largest remainder: the release's own rule."
    ),
    "tvet": "In proportion to TVET institutes (provinces.tvet_institutes), largest remainder, no floor unless one is given.",
}
_RULE_WEIGHTS = {"population": "population", "equity_floor": "population", "tvet": "tvet_institutes"}


def allocation_weights(provinces: pd.DataFrame, rule: str) -> dict[str, float]:
    """Weight of each province_id under a rule (provinces.csv order)."""
    if rule not in _RULE_WEIGHTS:
        raise ValueError(f"unknown allocation rule {rule!r}; rules are {', '.join(ALLOCATION_RULES)}")
    column = _RULE_WEIGHTS[rule]
    values = provinces[column]
    if values.isna().any():
        missing = ", ".join(str(p) for p in provinces.loc[values.isna(), "province_id"])
        raise ValueError(f"provinces.{column} is missing for {missing}")
    return {str(p): float(w) for p, w in zip(provinces["province_id"], values, strict=True)}


def allocate_hubs(release: Release, rule: str = "equity_floor", total: int | None = None, floor: int | None = None) -> pd.DataFrame:
    """Hubs per province under a rule, beside the release's own hub list.

    total defaults to the number of hubs in hubs.csv; floor defaults to the release's
    allocation_floor for "equity_floor" and to 0 otherwise (a floor given for "population" or
    "tvet" is applied too). Columns: province_id, name, weight, quota (total × weight / Σ weight,
    before any floor), hubs (largest remainder with the floor), release_hubs (hubs.csv),
    difference (hubs − release_hubs). Rows follow provinces.csv.
    """
    provinces = release.table("provinces")
    weights = allocation_weights(provinces, rule)
    total = len(release.hubs) if total is None else int(total)
    if floor is None:
        floor = int(release.param("allocation_floor")) if rule == "equity_floor" else 0
    hubs = largest_remainder(weights, total, int(floor))
    weight_sum = sum(weights.values())
    counts = release.hubs["province_id"].value_counts()
    frame = pd.DataFrame(
        {
            "province_id": list(weights),
            "name": provinces["name"].to_numpy(),
            "weight": list(weights.values()),
            "quota": [total * w / weight_sum if weight_sum > 0 else total / len(weights) for w in weights.values()],
            "hubs": [hubs[p] for p in weights],
            "release_hubs": [int(counts.get(p, 0)) for p in weights],
        }
    )
    frame["difference"] = frame["hubs"] - frame["release_hubs"]
    return frame
