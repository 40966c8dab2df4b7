"""Ranges and sensitivity (pakcoe.uncertainty): seeded, within the bounds, the same schedule as the detailed model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pakcoe import load_release
from pakcoe.engine import simulate
from pakcoe.model import comparison_horizon, government_mask, model_inputs, resolve_parameters, run_model, scenario_from_option, scenario_setup
from pakcoe.uncertainty import SAMPLES, _draws, _plan, _pooled, headline_figures, ranges, samples_for, sensitivity

ROOT = Path(__file__).resolve().parent.parent
RELEASE = load_release(ROOT / "data" / "releases" / "1.3.0")
OPTIONS = tuple(RELEASE.table("options")["option_id"])


@pytest.fixture(scope="module")
def horizon() -> int:
    return comparison_horizon(RELEASE, [scenario_from_option(RELEASE, o) for o in OPTIONS])


@pytest.mark.parametrize("option", OPTIONS)
def test_pooled_sources_give_the_detailed_schedule(option, horizon):
    """The fast path (two pooled sources, no attribution) opens the same hubs in the same quarters."""
    inputs = model_inputs(RELEASE)
    s = scenario_from_option(RELEASE, option, horizon_quarters=horizon)
    samples = samples_for(RELEASE, s, _draws(inputs, _plan(RELEASE), {}, 40, 11), 40)
    setup, _ = scenario_setup(inputs, s, resolve_parameters(inputs, s))
    gov = government_mask(inputs)
    detailed = simulate(setup, samples, gov)
    fast = simulate(setup, _pooled(samples, gov), np.array([False, True]), detail=False)
    np.testing.assert_array_equal(detailed.open_t, fast.open_t)
    np.testing.assert_allclose(detailed.cost.sum(axis=(1, 2, 3, 4)), fast.cost.sum(axis=(1, 2, 3, 4)), rtol=1e-12)
    np.testing.assert_allclose(detailed.certified, fast.certified)
    np.testing.assert_array_equal(detailed.gate_met, fast.gate_met)


@pytest.mark.parametrize("option", OPTIONS)
def test_ranges_are_seeded_and_hold_the_central_run(option, horizon):
    s = scenario_from_option(RELEASE, option, horizon_quarters=horizon)
    a, b = ranges(RELEASE, s), ranges(RELEASE, s)
    assert a == b and a.samples == SAMPLES >= 200
    result = run_model(RELEASE, s)
    assert a.central["hubs_open"] == result.summary.hubs_at_end
    assert a.central["learners_certified"] == pytest.approx(result.summary.learners_certified)
    assert a.central["total_cost"] == pytest.approx(result.summary.total_cost)
    assert a.central["cost_per_certified_learner"] == pytest.approx(result.summary.cost_per_certified_learner * 1e6)
    for k in a.central:
        assert a.low[k] <= a.high[k]
    assert "capital_share_of_capacity" in a.sampled and "completion_rate" in a.sampled
    assert not {"ncai_budget", "capex_flagship", "private_capacity"} & set(a.sampled)  # facts and derived figures are not drawn


def test_a_lever_set_by_the_scenario_is_not_drawn(horizon):
    s = scenario_from_option(RELEASE, "private-only", horizon_quarters=horizon, completion_rate=0.7)
    assert "completion_rate" not in ranges(RELEASE, s).sampled


def test_drawn_shares_are_renormalised():
    s = scenario_from_option(RELEASE, OPTIONS[0])
    inputs = model_inputs(RELEASE)
    samples = samples_for(RELEASE, s, _draws(inputs, _plan(RELEASE), {}, 50, 3), 50)
    totals = samples.shares.sum(axis=-1)
    named = inputs.shares.sum(axis=-1) > 0
    np.testing.assert_allclose(totals[:, named], 1.0)


def test_sensitivity_moves_each_assumption_alone(horizon):
    s = scenario_from_option(RELEASE, OPTIONS[0], horizon_quarters=horizon)
    table = sensitivity(RELEASE, s)
    assert set(table["param_id"]) == set(_plan(RELEASE).independent)
    assert (table["cost_swing"].diff().dropna() <= 1e-9).all()  # ranked
    top = table.iloc[0]
    # re-run the top assumption at its high bound by hand: the same change
    central = headline_figures(RELEASE, s, samples_for(RELEASE, s, {}, 1))
    high = headline_figures(RELEASE, s, samples_for(RELEASE, s, {top["param_id"]: np.array([top["high"]])}, 1))
    assert top["cost_per_learner_at_high"] == pytest.approx(high["cost_per_certified_learner"][0] - central["cost_per_certified_learner"][0])
    # completion: higher completion never certifies fewer learners
    row = table.set_index("param_id").loc["completion_rate"]
    assert row["learners_at_high"] >= 0 >= row["learners_at_low"]
