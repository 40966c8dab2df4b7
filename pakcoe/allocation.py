"""Sharing a number of hubs among provinces: largest remainder, with an optional floor per unit."""

from __future__ import annotations

import math
from collections.abc import Mapping


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
