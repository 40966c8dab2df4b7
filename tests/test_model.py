"""The rollout model (pakcoe.model) and the allocation rules (pakcoe.allocation).

Known answers on a three-hub release computed by hand, the headline figures at full scale, and
properties over random levers within the assumption bounds for all four options of release 1.0.0.
"""

from __future__ import annotations

import math
import timeit
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakcoe import headline, load_release
from pakcoe.allocation import ALLOCATION_RULES, allocate_hubs
from pakcoe.model import (
    NOT_OPEN,
    ModelInputs,
    ModelResult,
    Scenario,
    Schedule,
    evaluate,
    model_inputs,
    quarter_index,
    quarter_label,
    resolve_parameters,
    run_model,
    scenario_from_option,
)
from pakcoe.release import Release

ROOT = Path(__file__).resolve().parent.parent
OPTIONS = ("public-on-time", "public-delayed-4q", "private-only", "fast-small")
PROPERTY = settings(max_examples=40, deadline=None)


@lru_cache(maxsize=1)
def release() -> Release:
    return load_release(ROOT / "data" / "releases" / "1.0.0")


@lru_cache(maxsize=1)
def inputs() -> ModelInputs:
    return model_inputs(release())


# ---------------------------------------------------------------------------------------------------
# A three-hub release small enough to compute by hand


def tiny_release() -> Release:
    """Hubs a-1 (flagship, phase 1, 2030Q1), b-1 (TVET, phase 1, 2030Q2), b-2 (TVET, phase 2, 2030Q3)."""
    params = {
        "capex_flagship": 100,
        "capex_tvet": 20,
        "opex_flagship": 40,
        "opex_tvet": 8,
        "capacity_flagship": 400,
        "capacity_tvet": 80,
        "compute_share_flagship": 0.5,
        "compute_share_tvet": 0.25,
        "opex_share_instructors": 0.5,
        "opex_share_programmes": 0.3,
        "opex_share_operations": 0.2,
        "completion_rate": 0.5,
        "certification_rate": 0.8,
        "ramp_quarters": 2,
        "private_capacity": 240,
        "horizon_quarters": 6,
        "allocation_floor": 0,
    }
    rules = []
    for use in ("infrastructure", "compute", "instructors", "programmes", "operations"):
        rules += [("public", 1, use, "gov", 0.6), ("public", 1, use, "biz", 0.4), ("public", 2, use, "gov", 0.5), ("public", 2, use, "fees", 0.5)]
        rules += [("private", 1, use, "biz", 1.0)] + ([("private", 2, use, "biz", 1.0)] if use != "compute" else [])  # gap on purpose
    tables = {
        "provinces": pd.DataFrame({"province_id": ["A", "B"], "name": ["Aland", "Bland"], "population": [3, 1], "tvet_institutes": [1, 1]}),
        "phases": pd.DataFrame({"phase_id": [1, 2]}),
        "hub_types": pd.DataFrame(
            {
                "hub_type": ["flagship", "tvet_embedded"],
                "capex_param": ["capex_flagship", "capex_tvet"],
                "opex_param": ["opex_flagship", "opex_tvet"],
                "capacity_param": ["capacity_flagship", "capacity_tvet"],
            }
        ),
        "hubs": pd.DataFrame(
            {
                "hub_id": ["b-2", "a-1", "b-1"],  # not in network order on purpose
                "name": ["B two", "A one", "B one"],
                "province_id": ["B", "A", "B"],
                "phase_id": [2, 1, 1],
                "hub_type": ["tvet_embedded", "flagship", "tvet_embedded"],
                "learner_capacity_per_year": [80, 400, 80],
                "launch_quarter": ["2030Q3", "2030Q1", "2030Q2"],
            }
        ),
        "assumptions": pd.DataFrame({"param_id": list(params), "value": list(params.values()), "low": list(params.values()), "high": list(params.values())}),
        "funding_sources": pd.DataFrame({"source_id": ["gov", "biz", "fees"], "sector": ["public", "private", "private"]}),
        "funding_rules": pd.DataFrame(rules, columns=["track", "phase_id", "use", "source_id", "share"]),
        "programmes": pd.DataFrame({"programme_id": ["P", "Q"], "duration_weeks": [26, 13]}),
        "programme_offers": pd.DataFrame({"hub_type": ["flagship", "tvet_embedded"], "programme_id": ["P", "Q"], "seats_per_year": [400, 80]}),
        "options": pd.DataFrame(
            {
                "option_id": ["on", "late", "priv"],
                "name": ["On time", "Late", "Private"],
                "public_decision": ["on_time", "delayed", "not_approved"],
                "delay_quarters": [0, 2, 0],
                "hub_target": [3, 3, 3],
                "pace": [1.0, 1.0, 1.0],
                "start_quarter": ["2030Q1"] * 3,
            }
        ),
    }
    return Release(Path("tiny"), "0.0.1", {"name": "tiny"}, tables, {})


@lru_cache(maxsize=1)
def tiny() -> ModelInputs:
    return ModelInputs.from_release(tiny_release())


def run_tiny(option_id: str, **overrides) -> ModelResult:
    return run_model(tiny(), scenario_from_option(tiny(), option_id, **overrides))


def column(result: ModelResult, name: str) -> list[float]:
    return [round(float(v), 9) for v in result.quarters[name]]


def opening(result: ModelResult) -> dict[str, tuple[int | None, str | None]]:
    h = result.hubs
    return {r.hub_id: (None if pd.isna(r.open_t) else int(r.open_t), r.track if isinstance(r.track, str) else None) for r in h.itertuples()}


def test_tiny_network_order_and_certification_lags():
    assert list(tiny().hubs["hub_id"]) == ["a-1", "b-1", "b-2"]
    # seat-weighted mean duration: flagship 26 weeks -> 2 quarters, TVET 13 weeks -> 1 quarter
    assert list(tiny().type_lag) == [2, 1]
    assert tiny().min_hub_target == 2


def test_tiny_on_time_known_answers():
    r = run_tiny("on")
    assert opening(r) == {"a-1": (0, "public"), "b-1": (1, "public"), "b-2": (2, "public")}
    assert list(r.quarters["quarter"]) == ["2030Q1", "2030Q2", "2030Q3", "2030Q4", "2031Q1", "2031Q2"]
    assert column(r, "hubs_active") == [1, 2, 3, 3, 3, 3]
    assert column(r, "capacity_per_year") == [400, 480, 560, 560, 560, 560]
    # capex in the opening quarter, compute = capex x compute share
    assert column(r, "capex") == [100, 20, 20, 0, 0, 0]
    assert column(r, "capex_compute") == [50, 5, 5, 0, 0, 0]
    assert column(r, "capex_infrastructure") == [50, 15, 15, 0, 0, 0]
    # opex / 4 a quarter from the opening quarter: a-1 10, b-1 and b-2 2 each
    assert column(r, "opex") == [10, 12, 14, 14, 14, 14]
    assert column(r, "opex_instructors") == [5, 6, 7, 7, 7, 7]
    assert column(r, "opex_operations") == [2, 2.4, 2.8, 2.8, 2.8, 2.8]
    assert column(r, "cost_cum") == [110, 142, 176, 190, 204, 218]
    # ramp R = 2: half capacity in the opening quarter. a-1 100 a quarter, b-1 and b-2 20
    assert column(r, "enrolled") == [50, 110, 130, 140, 140, 140]
    assert column(r, "enrolled_cum") == [50, 160, 290, 430, 570, 710]
    # certified = 0.5 x 0.8 x enrolment 2 quarters earlier (a-1) or 1 quarter earlier (b-1, b-2)
    assert column(r, "certified") == [0, 0, 24, 52, 56, 56]
    assert column(r, "certified_cum") == [0, 0, 24, 76, 132, 188]
    per = r.quarters["cost_per_certified"].tolist()
    assert math.isnan(per[0]) and math.isnan(per[1])
    assert per[2] == pytest.approx(176 / 24) and per[5] == pytest.approx(218 / 188)
    s = r.summary
    assert (s.hubs_at_end, s.capex, s.opex, s.total_cost, s.learners_certified) == (3, 140, 78, 218, pytest.approx(188))
    assert s.cost_per_certified_learner == pytest.approx(218 / 188)
    assert s.hubs_by_province_at_end == {"A": 1, "B": 2}
    assert s.network_complete_quarter == "2030Q3"


def test_tiny_on_time_funding_known_answers():
    r = run_tiny("on")
    # phase 1 (a-1, b-1) costs 110, 32, 12, 12, 12, 12: gov 0.6, biz 0.4; phase 2 (b-2) 0, 0, 22, 2, 2, 2: gov 0.5, fees 0.5
    assert column(r, "source_gov") == [66, 19.2, 18.2, 8.2, 8.2, 8.2]
    assert column(r, "source_biz") == [44, 12.8, 4.8, 4.8, 4.8, 4.8]
    assert column(r, "source_fees") == [0, 0, 11, 1, 1, 1]
    assert column(r, "funding_gap") == [0] * 6
    assert column(r, "sector_public") == column(r, "source_gov")
    assert r.summary.public_track_money == pytest.approx(218) and r.summary.private_track_money == 0
    f = r.funding
    row = f[(f["t"] == 2) & (f["track"] == "public") & (f["source_id"] == "fees") & (f["use"] == "compute")]
    assert row["amount"].tolist() == [pytest.approx(2.5)]  # b-2's compute capex 5 x 0.5


def test_tiny_private_only_opens_as_capacity_allows():
    # 240 a year = 60 a quarter, carried forward. t0: 60 < 100 + 10. t1: 120 -> a-1 opens, 10 left;
    # b-1 needs 20 + 2. t2: 10 + 60 - 10 = 60 -> b-1 (22) and b-2 (22) open, 16 left.
    r = run_tiny("priv")
    assert opening(r) == {"a-1": (1, "private"), "b-1": (2, "private"), "b-2": (2, "private")}
    assert column(r, "cost") == [0, 110, 54, 14, 14, 14]
    # no private-track rule pays phase-2 compute: b-2's compute capex (20 x 0.25) is the gap
    assert column(r, "funding_gap") == [0, 0, 5, 0, 0, 0]
    assert column(r, "source_biz") == [0, 110, 49, 14, 14, 14]
    assert column(r, "track_public") == [0] * 6
    assert r.summary.funding_gap == pytest.approx(5)


def test_tiny_private_capacity_too_small_for_running_costs_opens_nothing():
    r = run_tiny("priv", private_capacity=39)  # 9.75 a quarter < a-1's opex of 10
    assert r.summary.hubs_at_end == 0 and r.summary.total_cost == 0
    assert math.isnan(r.summary.cost_per_certified_learner)


def test_tiny_delayed_private_first_then_public_timetable_moved():
    # D = 2: the private track opens a-1 in t1 (as in private-only) and nothing else before D;
    # b-1 and b-2 open on the public track at their planned quarters + 2.
    r = run_tiny("late")
    assert opening(r) == {"a-1": (1, "private"), "b-1": (3, "public"), "b-2": (4, "public")}
    assert column(r, "source_gov") == [0, 0, 0, 13.2, 12.2, 2.2]
    assert column(r, "track_private") == [0, 110, 10, 10, 10, 10]
    assert column(r, "hubs_active_private_track") == [0, 1, 1, 1, 1, 1]
    assert column(r, "hubs_active_public_track") == [0, 0, 0, 1, 2, 2]


def test_tiny_long_delay_private_track_keeps_going_until_the_decision():
    r = run_tiny("late", delay_quarters=5)
    assert opening(r) == opening(run_tiny("priv"))


def test_tiny_delay_beyond_horizon_leaves_hubs_unopened():
    # no private capacity to speak of: public hubs open at 0 + 5, 1 + 5 (beyond t5), 2 + 5
    r = run_tiny("late", delay_quarters=5, private_capacity=1)
    assert opening(r) == {"a-1": (5, "public"), "b-1": (None, None), "b-2": (None, None)}
    assert r.summary.network_complete_quarter is None
    assert r.hubs["in_network"].all()


def test_pace_rounds_half_up_and_target_takes_the_network_order():
    assert opening(run_tiny("on", pace=2.0)) == {"a-1": (0, "public"), "b-1": (1, "public"), "b-2": (1, "public")}  # 0, .5, 1
    assert opening(run_tiny("on", pace=0.5)) == {"a-1": (0, "public"), "b-1": (2, "public"), "b-2": (4, "public")}
    assert opening(run_tiny("on", pace=1.5)) == {"a-1": (0, "public"), "b-1": (1, "public"), "b-2": (1, "public")}  # 0, .67, 1.33
    r = run_tiny("on", hub_target=2)
    assert opening(r) == {"a-1": (0, "public"), "b-1": (1, "public"), "b-2": (None, None)}
    assert r.hubs["in_network"].tolist() == [True, True, False]


def test_start_quarter_moves_the_calendar_only():
    a, b = run_tiny("on"), run_tiny("on", start_quarter="2031Q4")
    assert b.quarters["quarter"].tolist()[:2] == ["2031Q4", "2032Q1"]
    pd.testing.assert_frame_equal(a.quarters.drop(columns="quarter"), b.quarters.drop(columns="quarter"))


def test_overrides_named_and_by_param_id():
    s = scenario_from_option(tiny(), "on", capex_tvet=30, completion_rate=0.25, capex_multiplier=2)
    assert s.params == (("capex_tvet", 30.0),) and s.completion_rate == 0.25
    r = run_model(tiny(), s)
    assert column(r, "capex") == [200, 60, 60, 0, 0, 0]
    assert column(r, "certified") == [0, 0, 12, 26, 28, 28]
    assert scenario_from_option(tiny(), "on", certification_lag_quarters=0).certification_lag_quarters == 0
    with pytest.raises(TypeError, match="unknown lever"):
        scenario_from_option(tiny(), "on", warp_speed=9)
    with pytest.raises(KeyError):
        scenario_from_option(tiny(), "nope")


def test_opex_shares_are_normalised():
    r = run_tiny("on", opex_share_instructors=1.0, opex_share_programmes=0.5, opex_share_operations=0.5)
    assert column(r, "opex_instructors") == [5, 6, 7, 7, 7, 7]
    assert column(r, "opex") == [10, 12, 14, 14, 14, 14]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"public_decision": "maybe"}, "public_decision"),
        ({"hub_target": 1}, "hub_target"),
        ({"hub_target": 4}, "hub_target"),
        ({"pace": 0.0}, "pace"),
        ({"completion_rate": 1.5}, "completion_rate"),
        ({"ramp_quarters": 0}, "ramp_quarters"),
        ({"private_capacity": -1}, "private_capacity"),
        ({"start_quarter": "2030-01"}, "quarter"),
        ({"params": (("no_such_param", 1.0),)}, "unknown assumption"),
    ],
)
def test_invalid_levers_are_refused(change, message):
    s = scenario_from_option(tiny(), "on").replace(**change)
    with pytest.raises(ValueError, match=message):
        run_model(tiny(), s)


def test_quarter_helpers_round_trip():
    assert quarter_index("2027Q2") == 2027 * 4 + 1
    assert [quarter_label(quarter_index("2027Q4") + i) for i in range(3)] == ["2027Q4", "2028Q1", "2028Q2"]


def test_scenario_is_hashable_for_caching():
    s = scenario_from_option(release(), "public-on-time", pace=1.5, capex_flagship=300)
    assert hash(s) == hash(scenario_from_option(release(), "public-on-time", capex_flagship=300, pace=1.5))


# ---------------------------------------------------------------------------------------------------
# Release 1.0.0: the headline figures at full scale, and the four options


def test_on_time_at_full_scale_reproduces_the_headline_figures():
    r, h = release(), headline(release())
    result = run_model(r, scenario_from_option(r, "public-on-time"))
    s = result.summary
    assert s.hubs_at_end == h.hubs_total == 100
    assert s.hubs_by_province_at_end == h.hubs_by_province
    assert s.capacity_per_year_at_end == h.learner_capacity_per_year
    assert s.capex == h.capex_pkr_m.central
    assert result.quarters["opex"].iloc[-1] * 4 == pytest.approx(h.opex_pkr_m_per_year.central, rel=1e-12)  # split into 3 uses and summed back
    assert s.network_complete_quarter == "2033Q4"  # the last launch_quarter in hubs.csv
    assert result.hubs_by_province.iloc[-1][list(h.hubs_by_province)].to_dict() == h.hubs_by_province
    assert result.hubs["open_quarter"].tolist() == result.hubs["launch_quarter"].tolist()  # pace 1: hubs.csv's timetable


def test_every_option_runs_and_keeps_the_karachi_demonstrator():
    r = release()
    for option_id in OPTIONS:
        result = run_model(r, scenario_from_option(r, option_id))
        network = result.hubs[result.hubs["in_network"]]
        assert len(network) == result.scenario.hub_target
        karachi = r.hubs[(r.hubs["city_id"] == "karachi") & (r.hubs["phase_id"] == 1)]["hub_id"]
        assert set(karachi) <= set(network["hub_id"])
        assert len(result.quarters) == int(r.param("horizon_quarters"))
        assert result.summary.funding_gap == pytest.approx(0, abs=1e-6)


def test_private_only_at_low_capacity_cannot_run_the_whole_network():
    r = release()
    low = run_model(r, scenario_from_option(r, "private-only", private_capacity=r.param("private_capacity", "low")))
    # 3000 a year = 750 a quarter < the 760.5 a quarter 100 hubs cost to run
    assert low.summary.hubs_at_end < 100
    assert low.quarters["opex"].max() <= 750 + 1e-9


# ---------------------------------------------------------------------------------------------------
# Properties over random levers within the assumption bounds


def _bounds(param_id: str) -> tuple[float, float]:
    _, low, high = inputs().params[param_id]
    return low, high


def _multiplier_bounds(kind: str) -> tuple[float, float]:
    ps = [p for p in inputs().params if p.startswith(f"{kind}_") and not p.startswith(f"{kind}_share")]
    values = [inputs().params[p] for p in ps]
    return min(lo / v for v, lo, _ in values), max(hi / v for v, _, hi in values)


FREE_PARAMS = (
    "capex_flagship",
    "capex_tvet",
    "compute_share_standard",
    "opex_standard",
    "opex_share_instructors",
    "opex_share_operations",
)  # other assumptions drawn within their bounds


@st.composite
def scenarios(draw, option_ids=OPTIONS) -> Scenario:
    option_id = draw(st.sampled_from(option_ids))
    levers = {
        "pace": draw(st.floats(0.25, 4.0)),
        "hub_target": draw(st.integers(inputs().min_hub_target, inputs().n_hubs)),
        "delay_quarters": draw(st.integers(0, 20)),
        "start_quarter": draw(st.sampled_from(["2026Q1", "2027Q2", "2028Q3"])),
        "capex_multiplier": draw(st.floats(*_multiplier_bounds("capex"))),
        "opex_multiplier": draw(st.floats(*_multiplier_bounds("opex"))),
        "horizon_quarters": draw(st.integers(*map(int, _bounds("horizon_quarters")))),
    }
    for name in ("completion_rate", "certification_rate", "ramp_quarters", "private_capacity"):
        levers[name] = draw(st.floats(*_bounds(name)))
    for name in draw(st.lists(st.sampled_from(FREE_PARAMS), unique=True, max_size=3)):
        levers[name] = draw(st.floats(*_bounds(name)))
    return scenario_from_option(release(), option_id, **levers)


@PROPERTY
@given(scenarios())
def test_funding_by_source_plus_gap_equals_cost_every_quarter(scenario):
    result = run_model(release(), scenario)
    q = result.quarters
    sources = q[[f"source_{s}" for s in inputs().source_ids]].sum(axis=1)
    np.testing.assert_allclose(sources + q["funding_gap"], q["capex"] + q["opex"], atol=1e-6)
    np.testing.assert_allclose(q["track_public"] + q["track_private"], sources, atol=1e-6)
    np.testing.assert_allclose(q["sector_public"] + q["sector_private"], sources, atol=1e-6)
    by_quarter = result.funding.groupby("t", observed=True)["amount"].sum().reindex(q["t"], fill_value=0.0)
    np.testing.assert_allclose(by_quarter.to_numpy(), sources, atol=1e-6)
    assert (result.funding["amount"] >= 0).all()
    assert result.summary.funding_gap == pytest.approx(0, abs=1e-6)  # release 1.0.0 has every rule


@PROPERTY
@given(scenarios())
def test_cumulative_outputs_never_decrease(scenario):
    result = run_model(release(), scenario)
    q = result.quarters
    cumulative = ["hubs_active", "hubs_active_public_track", "hubs_active_private_track", "capacity_per_year", "enrolled_cum", "certified_cum", "cost_cum"]
    for name in cumulative:
        assert (np.diff(q[name].to_numpy()) >= -1e-9).all(), name
    by_province = result.hubs_by_province[list(inputs().province_ids)].to_numpy()
    assert (np.diff(by_province, axis=0) >= 0).all()
    np.testing.assert_array_equal(by_province.sum(axis=1), q["hubs_active"])
    assert q["hubs_active"].iloc[-1] <= scenario.hub_target
    assert (q[["enrolled", "certified", "capex", "opex"]].to_numpy() >= 0).all()


@PROPERTY
@given(scenarios(option_ids=("private-only",)))
def test_not_approved_uses_no_public_money_after_the_decision(scenario):
    result = run_model(release(), scenario)
    # not approved: no public-track money in any quarter, so none after the decision (start + delay_quarters)
    f = result.funding
    assert (f.loc[f["track"] == "public", "amount"] == 0).all()
    # the Government's own budgets: the public-sector sources no private-track rule draws on
    private_rules = inputs().shares[1].sum(axis=(0, 1))
    government = [s for s, public, used in zip(inputs().source_ids, inputs().source_public, private_rules, strict=True) if public and used == 0]
    assert government == ["federal", "provincial"]
    assert (result.quarters[[f"source_{s}" for s in government]].to_numpy() == 0).all()
    assert (result.quarters["hubs_active_public_track"] == 0).all()
    assert result.summary.public_track_money == 0


def _restricted(result: ModelResult, keep: np.ndarray) -> Schedule:
    """The schedule of a result with only the hubs in `keep` (network order) opened."""
    open_t = result.hubs["open_t"].fillna(NOT_OPEN).to_numpy(np.int64)
    track = result.hubs["track"].cat.codes.to_numpy(np.int64)  # -1 where not open
    return Schedule(result.hubs["in_network"].to_numpy(), result.hubs["planned_t"].to_numpy(), np.where(keep, open_t, NOT_OPEN), np.where(keep, track, -1))


def _track_series(result: ModelResult, track: str) -> np.ndarray:
    """Funding through one track: rows (track, use, source) named by the rules, columns quarters."""
    f = result.funding
    horizon = len(result.quarters)
    amounts = f.loc[f["track"] == track, "amount"].to_numpy().reshape(-1, horizon)
    hubs = result.quarters[f"hubs_active_{track}_track"].to_numpy()[None, :]
    return np.vstack([amounts, hubs])


@settings(max_examples=30, deadline=None)
@given(scenarios(option_ids=("public-delayed-4q",)), st.integers(0, 12))
def test_delay_shifts_the_public_track_and_leaves_the_private_track_unchanged(base, delay):
    check_delay(base, delay)


def test_delay_property_on_the_release_option():
    base = scenario_from_option(release(), "public-delayed-4q")
    tracks = check_delay(base, base.delay_quarters)
    assert tracks == {"private": 12, "public": 88}  # the Karachi demonstrator goes ahead on private money


def check_delay(base: Scenario, delay: int) -> dict[str, int]:
    """The delay property of the model docstring (section 3); returns the hubs opened per track."""
    r, inp = release(), inputs()
    delayed = run_model(r, base.replace(delay_quarters=delay))
    on_time = run_model(r, base.replace(public_decision="on_time"))
    private_only = run_model(r, base.replace(public_decision="not_approved"))
    horizon = len(delayed.quarters)
    dh, oh, ph = delayed.hubs, on_time.hubs, private_only.hubs
    private = (dh["track"] == "private").to_numpy()
    public = (dh["track"] == "public").to_numpy()

    # private track: the hubs private-only opens before the decision, in the same quarters
    before = (ph["open_t"].fillna(horizon) < delay).to_numpy()
    np.testing.assert_array_equal(private, before)
    assert (dh["open_t"][private] == ph["open_t"][private]).all()
    # public track: every other network hub, N quarters after its on-time quarter (if within the horizon)
    moved = oh["open_t"].fillna(horizon).to_numpy() + delay
    expected_public = dh["in_network"].to_numpy() & ~private & (moved < horizon)
    np.testing.assert_array_equal(public, expected_public)
    np.testing.assert_array_equal(dh["open_t"][public].to_numpy(), moved[public])

    params = resolve_parameters(inp, base)
    # public-track series = on-time series of the same hubs, N quarters later
    on_same = evaluate(inp, on_time.scenario, params, _restricted(on_time, public))
    got, want = _track_series(delayed, "public"), _track_series(on_same, "public")
    np.testing.assert_allclose(got[:, :delay], 0, atol=1e-9)
    np.testing.assert_allclose(got[:, delay:], want[:, : horizon - delay], atol=1e-9)
    # private-track series = private-only series of the same hubs, over the whole horizon
    private_same = evaluate(inp, private_only.scenario, params, _restricted(private_only, private))
    np.testing.assert_allclose(_track_series(delayed, "private"), _track_series(private_same, "private"), atol=1e-9)
    # before the decision everything equals private-only
    cut = min(delay, horizon)
    pd.testing.assert_frame_equal(delayed.quarters.iloc[:cut], private_only.quarters.iloc[:cut])
    return {"private": int(private.sum()), "public": int(public.sum())}


# ---------------------------------------------------------------------------------------------------
# Allocation rules


def test_equity_floor_reproduces_the_release_hub_list():
    frame = allocate_hubs(release(), "equity_floor")
    assert (frame["difference"] == 0).all()
    assert dict(zip(frame["province_id"], frame["hubs"], strict=True)) == headline(release()).hubs_by_province


def test_population_without_floor_known_answer():
    # quotas 51.74 22.57 16.55 6.04 0.96 1.64 0.51: whole parts 96, the 4 left go to ICT .96, PB .74, AJK .64, SD .57
    frame = allocate_hubs(release(), "population").set_index("province_id")
    assert frame["hubs"].to_dict() == {"PB": 52, "SD": 23, "KP": 16, "BA": 6, "ICT": 1, "AJK": 2, "GB": 0}
    assert frame.loc["GB", "difference"] == -3


def test_tvet_weighted_known_answer():
    # 3558 institutes; quotas 46.99 17.43 19.28 4.19 3.32 3.63 5.17: whole parts 97, the 3 left go to PB .99, AJK .63, SD .43
    frame = allocate_hubs(release(), "tvet").set_index("province_id")
    assert frame["hubs"].to_dict() == {"PB": 47, "SD": 18, "KP": 19, "BA": 4, "ICT": 3, "AJK": 4, "GB": 5}
    assert frame["difference"].to_dict() == {"PB": -2, "SD": -3, "KP": 4, "BA": -2, "ICT": 0, "AJK": 1, "GB": 2}


def test_unknown_allocation_rule_is_refused():
    with pytest.raises(ValueError, match="unknown allocation rule"):
        allocate_hubs(release(), "alphabetical")


@PROPERTY
@given(st.sampled_from(sorted(ALLOCATION_RULES)), st.integers(0, 300), st.integers(0, 5))
def test_allocations_total_the_request_and_respect_floors(rule, total, floor):
    units = len(release().table("provinces"))
    if floor * units > total:
        with pytest.raises(ValueError):
            allocate_hubs(release(), rule, total, floor)
        return
    frame = allocate_hubs(release(), rule, total, floor)
    assert frame["hubs"].sum() == total
    assert (frame["hubs"] >= floor).all()
    assert (frame["difference"] == frame["hubs"] - frame["release_hubs"]).all()
    assert frame["release_hubs"].sum() == len(release().hubs)


# ---------------------------------------------------------------------------------------------------
# Speed: the Compare page reruns the four options on every lever move


def test_four_options_rerun_within_50_ms():
    r = release()
    model_inputs(r)

    def rerun():
        for option_id in OPTIONS:
            run_model(r, scenario_from_option(r, option_id, pace=1.2, private_capacity=5000))

    best = min(timeit.repeat(rerun, number=1, repeat=10))
    assert best < 0.050, f"four options took {best * 1000:.1f} ms"
