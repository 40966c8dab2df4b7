"""pakcoe.funding: per-phase funding adds up to the model run, Sankey and yearly totals equal the model's, the three branches."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pakcoe import load_release
from pakcoe.funding import branch, branch_option, branches, phase_funding, sankey_flows, source_kinds, source_labels, yearly_mix
from pakcoe.model import USES, run_model, scenario_from_option

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = ("public-on-time", "public-delayed-4q", "private-only", "fast-small")


@pytest.fixture(scope="module")
def release():
    return load_release(ROOT / "data" / "releases" / "1.1.0")


def _key(f: pd.DataFrame) -> pd.Series:
    return f.groupby(["t", "track", "source_id", "use"], observed=True)["amount"].sum()


@pytest.mark.parametrize("option", OPTIONS)
def test_phases_add_up_to_the_whole_run(release, option):
    scenario = scenario_from_option(release, option)
    whole = run_model(release, scenario).funding
    parts = pd.concat([phase_funding(release, scenario, p) for p in (1, 2, 3)])
    pd.testing.assert_series_equal(_key(parts).groupby(level=[0, 1, 2, 3], observed=True).sum(), _key(whole), check_exact=False, rtol=1e-9, atol=1e-9)
    assert phase_funding(release, scenario, None).equals(whole)


def test_a_phase_holds_only_its_own_hubs(release):
    scenario = scenario_from_option(release, "public-on-time")
    result = run_model(release, scenario)
    phase1 = result.hubs[result.hubs["phase_id"] == 1]
    capex = float(phase1["capex"].sum())
    f = phase_funding(release, scenario, 1)
    assert f.loc[f["use"].isin(["infrastructure", "compute"]), "amount"].sum() == pytest.approx(capex)
    # the delayed option's Phase 1 is the private track's alone until public money joins (its 12 hubs open before);
    # after the handover those hubs run under the public track's funding rules (model docstring, section 3)
    delayed = scenario_from_option(release, "public-delayed-4q")
    f = phase_funding(release, delayed, 1)
    d = int(delayed.decision_t)
    assert f.loc[(f["track"] == "public") & (f["t"] < d), "amount"].sum() == 0
    assert f.loc[f["track"] == "private", "amount"].sum() > 0
    assert run_model(release, delayed).hubs.query("phase_id == 1")["track"].eq("private").all()


@pytest.mark.parametrize("option", OPTIONS)
@pytest.mark.parametrize("divisor", [1.0, 280.0])
def test_sankey_totals_equal_the_model_totals(release, option, divisor):
    result = run_model(release, scenario_from_option(release, option))
    q = result.quarters
    flows = sankey_flows(release, result.funding, divisor)
    totals = {f"{k}:{i}": v for k, i, v in zip(flows.kinds, flows.node_ids, flows.node_total)}
    for s in release.table("funding_sources")["source_id"]:
        assert totals.get(f"source:{s}", 0.0) == pytest.approx(q[f"source_{s}"].sum() / divisor)
    for t in ("public", "private"):
        assert totals.get(f"track:{t}", 0.0) == pytest.approx(q[f"track_{t}"].sum() / divisor)
    for u in USES:
        column = f"capex_{u}" if u in ("infrastructure", "compute") else f"opex_{u}"
        assert totals.get(f"use:{u}", 0.0) == pytest.approx(q[column].sum() / divisor)
    links = np.array(flows.link_value)
    into_tracks = [v for s, v in zip(flows.link_source, links) if flows.kinds[s] == "source"]
    into_uses = [v for t, v in zip(flows.link_target, links) if flows.kinds[t] == "use"]
    assert sum(into_tracks) == pytest.approx(result.summary.total_cost / divisor)
    assert sum(into_uses) == pytest.approx(result.summary.total_cost / divisor)
    # the funding gap is the money missing against the plan at the planned time, by source
    f = result.funding
    assert (f["gap"] >= 0).all()
    by = f.groupby(["t", "source_id"], observed=True)[["planned", "amount", "gap"]].sum()
    np.testing.assert_allclose(by["gap"], (by["planned"] - by["amount"]).clip(lower=0), atol=1e-6)
    assert result.summary.funding_gap == pytest.approx(float(f["gap"].sum()), abs=1e-6)


def test_private_only_draws_no_public_track_money(release):
    flows = sankey_flows(release, run_model(release, scenario_from_option(release, "private-only")).funding)
    assert "public" not in flows.node_ids and "federal" not in flows.node_ids and "provincial" not in flows.node_ids
    assert "international" in flows.node_ids  # international partners: non-government money, on the private track too


def test_source_kinds_tell_government_from_international_and_private_money(release):
    kinds = source_kinds(release)
    assert kinds == {
        "federal": "government",
        "provincial": "government",
        "international": "international",
        "private_sector": "private",
        "philanthropy": "private",
        "fees": "private",
    }
    assert "non-government" in source_labels(release)["international"]


def test_yearly_mix_adds_up(release):
    result = run_model(release, scenario_from_option(release, "public-delayed-4q"))
    mix = yearly_mix(release, result.funding, 280.0)
    assert mix["amount"].sum() == pytest.approx(result.summary.total_cost / 280.0)
    assert mix["year"].min() == 2027 and mix["year"].max() == 2035
    per_source = mix.groupby("source_id")["amount"].sum()
    assert per_source["federal"] == pytest.approx(result.quarters["source_federal"].sum() / 280.0)


def test_three_branches_from_the_model(release):
    found = branches(release)
    assert [b.decision for b in found] == ["on_time", "delayed", "not_approved"]
    assert [b.option_id for b in found] == ["public-on-time", "public-delayed-4q", "private-only"]
    on_time, delayed, private = found
    for b in found:
        s = run_model(release, scenario_from_option(release, b.option_id)).summary
        assert b.hubs_by_year[["public track", "private track"]].iloc[-1].sum() == s.hubs_at_end
        assert b.government_money + b.international_money + b.private_money == pytest.approx(s.total_cost)
        assert b.government_money == pytest.approx(s.government_money) and b.international_money == pytest.approx(s.international_money)
    assert private.government_money == 0 and private.international_money > 0  # international partners are not public money
    assert on_time.hubs_by_year["private track"].sum() == 0
    assert delayed.decision_quarter == "2028Q2"
    first_year = delayed.hubs_by_year.iloc[0]
    assert first_year["private track"] == private.hubs_by_year.iloc[0]["private track"] and first_year["public track"] == 0
    assert branch_option(release, "no_such_decision") is None
    assert branch(release, "fast-small").hubs_at_end == 60
