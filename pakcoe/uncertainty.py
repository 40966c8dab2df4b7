"""Ranges and sensitivity: how much the rollout model's headline figures move within the assumptions' bounds.

Method (shown on the Methodology page):
* Every illustrative assumption that the model uses, directly or through a derivation, and that the scenario
  does not set itself, is drawn independently from a triangular distribution on [low, high] with its mode at
  the central value: SAMPLES draws with the fixed seed SEED, so the same release and levers always give the same
  range. Derived figures (e.g. a hub's capital cost from a comparable budget) are recomputed from the drawn
  values by their derivations; sourced facts stay fixed.
* Funding shares are recomputed from the drawn share parameters and then renormalised so that the shares of
  each track, phase and use sum to 1 again.
* All draws run through the same quarter loop at once (`pakcoe.engine`); the range of a headline figure is
  its 5th to 95th percentile.
* Sensitivity: each assumption alone at its low and at its high bound, every other at its central value; the
  assumptions are ranked by how far they move cost per certified learner (and learners certified).
Pure Python (numpy), never Streamlit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pakcoe.engine import Samples, simulate
from pakcoe.model import (
    OPEX_SHARE_PARAMS,
    ModelInputs,
    Scenario,
    effective_shares,
    effective_values,
    government_mask,
    model_inputs,
    overrides_of,
    resolve_parameters,
    scenario_setup,
)
from pakcoe.release import Release

SAMPLES = 200
SEED = 20261130
LOW, HIGH = 5, 95
HEADLINES = {
    "hubs_open": "Hubs open at the end",
    "learners_certified": "Learners certified",
    "total_cost": "Total cost (PKR million)",
    "cost_per_certified_learner": "Cost per certified learner (PKR)",
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Ranges:
    """Central value and the 5th-95th percentile range of each headline figure of one scenario."""

    central: Mapping[str, float]
    low: Mapping[str, float]
    high: Mapping[str, float]
    samples: int
    sampled: tuple[str, ...]  # the assumptions drawn


def _model_params(inputs: ModelInputs) -> set[str]:
    """The parameters the model reads directly."""
    direct = {*inputs.type_capex_param, *inputs.type_opex_param, *OPEX_SHARE_PARAMS}
    direct |= {f"compute_share_{p.removeprefix('capex_')}" for p in inputs.type_capex_param}
    direct |= {"completion_rate", "certification_rate", "ramp_quarters", "private_capacity", "capital_share_of_capacity"}
    direct |= {p for p in inputs.capacity_params if p}
    return {p for p in direct if p in inputs.params}


@dataclass(frozen=True)
class _Plan:
    """How a release's parameters hang together: derivations and the share expressions of funding_rules.csv."""

    derivations: tuple[tuple[str, str], ...]  # (param_id, expression) in an order that resolves dependencies
    share_rows: tuple[tuple[int, int, int, int, str], ...]  # (track, phase, use, source) index and its expression
    independent: tuple[str, ...]  # assumptions that may be drawn (used by the model, not derived, with a range)
    names: Mapping[str, float]  # counts computed from the release (for derivations)


_PLANS: dict[int, tuple[Release, _Plan]] = {}


def _plan(release: Release) -> _Plan:
    hit = _PLANS.get(id(release))
    if hit is not None and hit[0] is release:
        return hit[1]
    inputs = model_inputs(release)
    deriv = dict(inputs.derivations)
    # everything the model's numbers depend on: direct parameters, the share parameters, and what derivations name
    needed = _model_params(inputs) | {n for *_, e in inputs.share_exprs for n in _NAME.findall(e)}
    frontier = list(needed)
    while frontier:
        p = frontier.pop()
        for n in _NAME.findall(deriv.get(p, "")):
            if n not in needed and n in inputs.params:
                needed.add(n)
                frontier.append(n)
    a = release.assumptions
    assumption = dict(zip(a["param_id"], a["assumption"], strict=True))
    independent = tuple(
        sorted(p for p in needed if p in inputs.params and p not in deriv and bool(assumption.get(p)) and inputs.params[p][2] > inputs.params[p][1])
    )
    plan = _Plan(inputs.derivations, inputs.share_exprs, independent, inputs.counts)
    _PLANS[id(release)] = (release, plan)
    return plan


def _draws(inputs: ModelInputs, plan: _Plan, fixed: Mapping[str, float], size: int, seed: int) -> dict[str, np.ndarray]:
    """Triangular draws of every free independent assumption ([size] each); fixed ones are held."""
    rng = np.random.default_rng(seed)
    out = {}
    for p in plan.independent:
        if p in fixed:
            continue
        value, low, high = inputs.params[p]
        mode = min(max(value, low), high)
        out[p] = rng.triangular(low, mode, high, size) if high > low else np.full(size, value)
    return out


def samples_for(release: Release, scenario: Scenario, drawn: Mapping[str, np.ndarray], size: int) -> Samples:
    """The engine's Samples for `size` runs: the scenario's central parameters, with drawn assumptions replaced
    and every derived figure and funding share recomputed (shares renormalised per track, phase and use)."""
    inputs = model_inputs(release)
    over = overrides_of(inputs, scenario)
    central = resolve_parameters(inputs, scenario)
    changed = {**over, **drawn}
    values = effective_values(inputs, changed)

    def col(name: str) -> np.ndarray:
        return np.broadcast_to(np.asarray(values[name], dtype=float), (size,)).copy()

    types = range(len(inputs.type_ids))
    capex = np.stack([col(inputs.type_capex_param[i]) for i in types], axis=1) * scenario.capex_multiplier
    opex = np.stack([col(inputs.type_opex_param[i]) for i in types], axis=1) * scenario.opex_multiplier / 4
    compute = np.stack([col(f"compute_share_{inputs.type_capex_param[i].removeprefix('capex_')}") for i in types], axis=1)
    split = np.stack([col(p) for p in OPEX_SHARE_PARAMS], axis=1)
    split = split / split.sum(axis=1, keepdims=True)
    shares = effective_shares(inputs, values, changed, size)
    private = col("private_capacity")
    if inputs.source_capacity is None:
        capacity = np.broadcast_to(central.source_capacity, (size, len(inputs.source_ids))).copy()
        non_gov = ~government_mask(inputs)
        base = central.source_capacity[non_gov]
        capacity[:, non_gov] = base[None, :] * (private / max(central.private_capacity, 1e-12))[:, None]
    else:
        stated = np.stack([col(p) if p else np.full(size, float(c)) for p, c in zip(inputs.capacity_params, inputs.source_capacity, strict=True)], axis=1)
        non_gov = ~government_mask(inputs)
        stated_sum = stated[:, non_gov].sum(axis=1)
        scale = np.divide(private, stated_sum, out=np.ones_like(private), where=stated_sum > 0)  # the private-capacity lever (section 3)
        capacity = np.where(non_gov[None, :], stated * scale[:, None], stated)
    capital_share = col("capital_share_of_capacity") if "capital_share_of_capacity" in values else np.full(size, central.capital_share)
    return Samples(
        capex=capex,
        compute_share=compute,
        opex_q=opex,
        opex_split=split,
        rate=col("completion_rate") * col("certification_rate"),
        ramp=col("ramp_quarters"),
        capacity=capacity,
        capital_share=capital_share,
        shares=shares,
    )


def headline_figures(release: Release, scenario: Scenario, samples: Samples) -> dict[str, np.ndarray]:
    """Run the samples through the engine; the headline figures per sample."""
    inputs = model_inputs(release)
    params = resolve_parameters(inputs, scenario)
    setup, _ = scenario_setup(inputs, scenario, params)
    gov = government_mask(inputs)
    out = simulate(setup, _pooled(samples, gov), np.array([False, True]), detail=False)
    cost = out.cost.sum(axis=(1, 2, 3, 4))
    certified = out.certified.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(certified > 0, cost / certified * 1e6, np.nan)  # PKR per learner
    return {"hubs_open": (out.open_t >= 0).sum(axis=1).astype(float), "learners_certified": certified, "total_cost": cost, "cost_per_certified_learner": per}


def _pooled(p: Samples, gov: np.ndarray) -> Samples:
    """The same samples with the sources merged into two: non-government and government. Openings depend only on
    the pools' totals (engine docstring), so this gives the same schedule, costs and learners, much faster."""
    cap = np.stack([p.capacity[:, ~gov].sum(axis=1), p.capacity[:, gov].sum(axis=1)], axis=1)
    shares = np.stack([p.shares[..., ~gov].sum(axis=-1), p.shares[..., gov].sum(axis=-1)], axis=-1)
    return Samples(p.capex, p.compute_share, p.opex_q, p.opex_split, p.rate, p.ramp, cap, p.capital_share, shares)


def ranges(release: Release, scenario: Scenario, size: int = SAMPLES, seed: int = SEED) -> Ranges:
    """5th-95th percentile of each headline figure over `size` seeded draws of the assumptions (module docstring)."""
    inputs = model_inputs(release)
    plan = _plan(release)
    over = overrides_of(inputs, scenario)
    drawn = _draws(inputs, plan, over, size, seed)
    figures = headline_figures(release, scenario, samples_for(release, scenario, drawn, size))
    central = headline_figures(release, scenario, samples_for(release, scenario, {}, 1))
    return Ranges(
        central={k: float(v[0]) for k, v in central.items()},
        low={k: float(np.nanpercentile(v, LOW)) for k, v in figures.items()},
        high={k: float(np.nanpercentile(v, HIGH)) for k, v in figures.items()},
        samples=size,
        sampled=tuple(sorted(drawn)),
    )


def sensitivity(release: Release, scenario: Scenario) -> pd.DataFrame:
    """Each free assumption alone at its low and at its high bound: the change in cost per certified learner and in
    learners certified against the central run, ranked by the larger swing of cost per learner (then learners)."""
    inputs = model_inputs(release)
    plan = _plan(release)
    over = overrides_of(inputs, scenario)
    free = [p for p in plan.independent if p not in over]
    size = 2 * len(free) + 1
    drawn: dict[str, np.ndarray] = {}
    for i, p in enumerate(free):
        value, low, high = inputs.params[p]
        column = np.full(size, value)
        column[1 + 2 * i] = low
        column[2 + 2 * i] = high
        drawn[p] = column
    figures = headline_figures(release, scenario, samples_for(release, scenario, drawn, size))
    per, cert = figures["cost_per_certified_learner"], figures["learners_certified"]
    names = release.assumptions.set_index("param_id")["name"]
    rows = []
    for i, p in enumerate(free):
        lo_i, hi_i = 1 + 2 * i, 2 + 2 * i
        rows.append(
            {
                "param_id": p,
                "assumption": str(names.get(p, p)),
                "low": inputs.params[p][1],
                "high": inputs.params[p][2],
                "cost_per_learner_at_low": float(per[lo_i] - per[0]),
                "cost_per_learner_at_high": float(per[hi_i] - per[0]),
                "learners_at_low": float(cert[lo_i] - cert[0]),
                "learners_at_high": float(cert[hi_i] - cert[0]),
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["cost_swing"] = (frame["cost_per_learner_at_high"] - frame["cost_per_learner_at_low"]).abs()
    frame["learners_swing"] = (frame["learners_at_high"] - frame["learners_at_low"]).abs()
    return frame.sort_values(["cost_swing", "learners_swing"], ascending=False, kind="stable").reset_index(drop=True)


__all__ = ["HEADLINES", "LOW", "HIGH", "SAMPLES", "SEED", "Ranges", "headline_figures", "ranges", "samples_for", "sensitivity"]
