"""What the rollout model's numbers must mean, checked on random levers and assumptions (hypothesis).

Strategies span every lever's full range and every assumption's full low-high bounds of release 1.3.0 (the first
release written for model 2); they are never narrowed to make a property pass.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pakcoe import load_release
from pakcoe.model import DECISIONS, feasible_floor, model_inputs, network_mask, planned_quarters, quarter_index, run_model, scenario_from_option

ROOT = Path(__file__).resolve().parent.parent
RELEASE = load_release(ROOT / "data" / "releases" / "1.3.0")
INPUTS = model_inputs(RELEASE)
BOUNDS = {p: (lo, hi) for p, (_, lo, hi) in INPUTS.params.items() if hi > lo}
# every assumption the model reads, at any value within its bounds
MODEL_PARAMS = sorted(
    p
    for p in BOUNDS
    if p.startswith(("capex_", "opex_", "compute_share_", "cap_", "opex_share_"))
    or p in ("completion_rate", "certification_rate", "ramp_quarters", "private_capacity", "capital_share_of_capacity", "handover_quarters")
)
CAPACITY_PARAMS = [p for p in INPUTS.capacity_params if p]
N = INPUTS.n_hubs
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)


@st.composite
def levers(draw) -> dict:
    """Levers and assumptions of one run (the public decision is set by each property)."""
    values = {p: draw(st.floats(*BOUNDS[p], allow_nan=False)) for p in MODEL_PARAMS}
    if "ramp_quarters" in values:
        values["ramp_quarters"] = float(round(values["ramp_quarters"]))
    if "handover_quarters" in values:
        values["handover_quarters"] = float(round(values["handover_quarters"]))
    return {
        "hub_target": draw(st.integers(INPUTS.min_hub_target, N)),
        "pace": draw(st.sampled_from([0.5, 0.75, 1.0, 1.25, 1.5, 2.0])),
        "capex_multiplier": draw(st.floats(0.5, 1.5)),
        "opex_multiplier": draw(st.floats(0.5, 1.5)),
        "gating": draw(st.booleans()),
        "params": tuple(sorted(values.items())),
    }


def run(lv: dict, decision: str, delay: int = 0, **changes):
    option = next(o for o in INPUTS.options if INPUTS.options[o]["public_decision"] == "on_time")
    merged = {**lv, **changes}
    params = dict(merged.pop("params"))
    for k in list(merged):
        if k in INPUTS.params and k not in ("hub_target",):
            params[k] = merged.pop(k)
    s = scenario_from_option(RELEASE, option, public_decision=decision, delay_quarters=delay, params=tuple(sorted(params.items())), **merged)
    return run_model(RELEASE, s)


def curves(result) -> tuple[np.ndarray, np.ndarray]:
    q = result.quarters
    return q["hubs_active"].to_numpy(), q["certified_cum"].to_numpy()


@SETTINGS
@given(levers(), st.integers(1, 16))
def test_no_decision_beats_an_earlier_one(lv, delay):
    """At every quarter: not approved <= delayed by d <= on time, in hubs open and in learners certified."""
    never, late, now = (curves(run(lv, d, delay)) for d in ("not_approved", "delayed", "on_time"))
    for a, b in ((never, late), (late, now)):
        assert (a[0] <= b[0]).all()
        assert (a[1] <= b[1] + 1e-6).all()


@SETTINGS
@given(levers(), st.integers(0, 15), st.integers(1, 8))
def test_a_larger_delay_never_opens_more_hubs(lv, delay, more):
    shorter, longer = (curves(run(lv, "delayed", d))[0] for d in (delay, delay + more))
    assert (longer <= shorter).all()


@SETTINGS
@given(levers(), st.sampled_from(["not_approved", "delayed", "on_time"]), st.floats(1.01, 3.0))
def test_more_private_capacity_never_opens_fewer_hubs(lv, decision, factor):
    params = dict(lv["params"])
    base = params.get("private_capacity", INPUTS.params["private_capacity"][0])
    more = {**lv, "params": tuple(sorted({**params, "private_capacity": base * factor}.items()))}
    assert (curves(run(more, decision, 4))[0] >= curves(run(lv, decision, 4))[0]).all()


@SETTINGS
@given(levers(), st.sampled_from(["not_approved", "delayed", "on_time"]), st.sampled_from(CAPACITY_PARAMS), st.floats(1.01, 3.0))
def test_more_of_any_funding_source_never_opens_fewer_hubs(lv, decision, source_param, factor):
    params = dict(lv["params"])
    base = params.get(source_param, INPUTS.params[source_param][0])
    more = {**lv, "params": tuple(sorted({**params, source_param: base * factor}.items()))}
    assert (curves(run(more, decision, 4))[0] >= curves(run(lv, decision, 4))[0]).all()


@SETTINGS
@given(levers(), st.sampled_from(DECISIONS), st.integers(0, 12))
def test_money_time_and_gates_mean_what_they_say(lv, decision, delay):
    result = run(lv, decision, delay)
    q, hubs = result.quarters, result.hubs
    T = len(q)
    # no source pays more than it has received to date
    for s, cap in result.source_capacity.items():
        if np.isfinite(cap):
            assert (q[f"source_{s}"].cumsum().to_numpy() <= cap / 4 * np.arange(1, T + 1) + 1e-6).all(), s
    # no hub opens before its planned quarter (hubs.csv's timetable at the scenario's pace)
    start = quarter_index(result.summary.first_quarter)
    plain = planned_quarters(INPUTS, result.scenario.pace) + (INPUTS.first_launch - start)
    opened = hubs["open_t"].notna().to_numpy()
    assert (hubs["open_t"].to_numpy(dtype=float, na_value=np.inf)[opened] >= plain[opened]).all()
    # a gate's quarter is the first quarter in which every computed criterion reaches its target
    for gate in result.gates:
        for c in gate.criteria:
            if not c.modelled or c.met_quarter is None:
                continue
            t = quarter_index(c.met_quarter) - start
            series = _metric_series(result, c.metric_id, gate.phase_id)
            target = _network_target(result, c, gate.phase_id)
            assert series[t] >= target - 1e-6
            assert t == 0 or series[t - 1] < target - 1e-6


def _metric_series(result, metric: str, phase_id: int) -> np.ndarray:
    q, hubs = result.quarters, result.hubs
    T = len(q)
    opened = hubs[hubs["open_t"].notna()]
    t = opened["open_t"].to_numpy(int)
    in_phase = (opened["phase_id"] == phase_id).to_numpy()
    if metric == "learners_certified":
        return q["certified_cum"].to_numpy()
    if metric == "hubs_open":
        return np.bincount(t, minlength=T)[:T].cumsum()
    if metric == "phase_hubs_open":
        return np.bincount(t[in_phase], minlength=T)[:T].cumsum()
    if metric == "phase_flagships_open":
        return np.bincount(t[in_phase & (opened["hub_type"] == "flagship").to_numpy()], minlength=T)[:T].cumsum()
    districts = RELEASE.hubs.set_index("hub_id")["district"]
    out = np.zeros(T)
    for k in range(T):
        now = opened[t <= k]
        if metric == "districts_reached":
            now = now[now["phase_id"] == phase_id]
            out[k] = len({(p, districts[h]) for p, h in zip(now["province_id"], now["hub_id"], strict=True)})
        else:
            out[k] = now["province_id"].nunique()
    return out


def _network_target(result, c, phase_id: int) -> float:
    """The stated target, capped at what the scenario's network holds (model docstring, section 4)."""
    net = result.hubs[result.hubs["in_network"]]
    upto, this = net[net["phase_id"] <= phase_id], net[net["phase_id"] == phase_id]
    districts = RELEASE.hubs.set_index("hub_id")["district"]
    reach = {
        "hubs_open": len(upto),
        "phase_hubs_open": len(this),
        "phase_flagships_open": int((this["hub_type"] == "flagship").sum()),
        "districts_reached": len({(p, districts[h]) for p, h in zip(this["province_id"], this["hub_id"], strict=True)}),
        "provinces_reached": upto["province_id"].nunique(),
    }
    return min(c.target, reach[c.metric_id]) if c.metric_id in reach else c.target


@SETTINGS
@given(st.integers(INPUTS.min_hub_target, N))
def test_every_network_size_keeps_the_floor_where_it_can(size):
    keep = network_mask(INPUTS, size)
    assert keep.sum() == size and keep[INPUTS.phase_idx == 0].all()
    counts = np.bincount(INPUTS.province_idx[keep], minlength=len(INPUTS.province_ids))
    have = np.bincount(INPUTS.province_idx, minlength=len(INPUTS.province_ids))
    must = np.bincount(INPUTS.province_idx[INPUTS.phase_idx == 0], minlength=len(INPUTS.province_ids))
    floor = feasible_floor(int(RELEASE.param("allocation_floor")), size, must.tolist(), have.tolist())
    assert floor == int(RELEASE.param("allocation_floor")) or size < sum(max(m, min(floor + 1, h)) for m, h in zip(must, have, strict=True))
    assert (counts >= np.minimum(floor, have)).all()
    # no later phase takes all its hubs from one province unless the network is the whole plan for it
    for ph in range(1, len(INPUTS.phase_ids)):
        chosen = INPUTS.province_idx[keep & (INPUTS.phase_idx == ph)]
        if len(chosen) > 3:
            assert len(set(chosen.tolist())) > 1


def test_the_release_options_keep_the_dual_track_order():
    """The predefined options, as Compare shows them: private only <= delayed <= on time, and the private capacity binds."""
    opts = {INPUTS.options[o]["public_decision"]: o for o in INPUTS.options if INPUTS.options[o]["hub_target"] == N}
    res = {d: run_model(RELEASE, scenario_from_option(RELEASE, o)) for d, o in opts.items()}
    never, late, now = (res[d].quarters["hubs_active"].to_numpy() for d in ("not_approved", "delayed", "on_time"))
    assert (never <= late).all() and (late <= now).all()
    assert res["not_approved"].summary.hubs_at_end < res["on_time"].summary.hubs_at_end
    lower = scenario_from_option(RELEASE, opts["not_approved"], private_capacity=INPUTS.params["private_capacity"][1])
    assert run_model(RELEASE, lower).summary.hubs_at_end < res["not_approved"].summary.hubs_at_end


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0", "1.2.0"])
def test_older_releases_run_with_stated_defaults(version):
    release = load_release(ROOT / "data" / "releases" / version)
    for option in release.table("options")["option_id"]:
        result = run_model(release, scenario_from_option(release, option))
        assert result.summary.hubs_at_end > 0
    assert result.missing_rules or version == "1.2.0"
