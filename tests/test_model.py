"""Rollout model 2: known answers on a three-hub release computed by hand, the release's options, allocation.

The properties of what the numbers must mean (decision order, monotonicity, gates, money) are in
tests/test_model_properties.py.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pakcoe import headline, load_release
from pakcoe.allocation import ALLOCATION_RULES, allocate_hubs
from pakcoe.model import (
    ModelInputs,
    ModelResult,
    comparison_horizon,
    model_inputs,
    quarter_index,
    quarter_label,
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


def tiny_release(capacities: dict[str, float] | None = None, capital_share: float = 0.5) -> Release:
    """Hubs a-1 (flagship, phase 1, 2030Q1), b-1 (TVET, phase 1, 2030Q2), b-2 (TVET, phase 2, 2030Q3).

    Sources: gov (government) 400 a year, biz (private sector) 240, fees 80; half of each source's money
    funds capital (kept from quarter to quarter), half running costs (each quarter's own). Phase 1's gate:
    both its hubs open, due 2030Q2."""
    caps = {"gov": 400.0, "biz": 240.0, "fees": 80.0, **(capacities or {})}
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
        "private_capacity": caps["biz"] + caps["fees"],
        "horizon_quarters": 6,
        "allocation_floor": 0,
        "capital_share_of_capacity": capital_share,
        "handover_quarters": 1,
    }
    rules = []
    for use in ("infrastructure", "compute", "instructors", "programmes", "operations"):
        rules += [("public", 1, use, "gov", 0.6), ("public", 1, use, "biz", 0.4), ("public", 2, use, "gov", 0.5), ("public", 2, use, "fees", 0.5)]
        rules += [("private", 1, use, "biz", 1.0)] + ([("private", 2, use, "biz", 1.0)] if use != "compute" else [])  # no payer on purpose
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
                "district": ["B1", "A1", "B2"],
                "phase_id": [2, 1, 1],
                "hub_type": ["tvet_embedded", "flagship", "tvet_embedded"],
                "learner_capacity_per_year": [80, 400, 80],
                "launch_quarter": ["2030Q3", "2030Q1", "2030Q2"],
            }
        ),
        "assumptions": pd.DataFrame({"param_id": list(params), "value": list(params.values()), "low": list(params.values()), "high": list(params.values())}),
        "funding_sources": pd.DataFrame(
            {
                "source_id": ["gov", "biz", "fees"],
                "sector": ["public", "private", "private"],
                "category": ["government", "private_sector", "fees"],
                "annual_capacity_pkr_m": [caps["gov"], caps["biz"], caps["fees"]],
                "capacity_basis": ["", "", ""],
            }
        ),
        "funding_rules": pd.DataFrame(rules, columns=["track", "phase_id", "use", "source_id", "share"]),
        "milestones": pd.DataFrame(
            {
                "milestone_id": ["M1"],
                "phase_id": [1],
                "title": ["Both phase-1 hubs open"],
                "due_quarter": ["2030Q2"],
                "exit_criterion": [True],
                "metric_id": ["phase_hubs_open"],
                "target_value": [2.0],
            }
        ),
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


@lru_cache(maxsize=4)
def tiny(rich: bool = False) -> ModelInputs:
    """The tiny release (rich: so much money that only the timetable and gates matter)."""
    return ModelInputs.from_release(tiny_release({"gov": 1e6, "biz": 1e6, "fees": 1e6} if rich else None))


def run_tiny(option_id: str, rich: bool = False, **overrides) -> ModelResult:
    return run_model(tiny(rich), scenario_from_option(tiny(rich), option_id, **overrides))


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
    assert tiny().missing_rules == ()


def test_tiny_on_time_waits_for_capital_then_opens():
    # capital a quarter: gov 50, biz 30, fees 10 = 90 < a-1's 100 in t0; 180 in t1 -> a-1 opens, 80 left -> b-1 (20) opens;
    # b-2 is planned for t2, and phase 1's gate (both its hubs open) is met in t1, so b-2 opens in t2
    r = run_tiny("on")
    assert opening(r) == {"a-1": (1, "public"), "b-1": (1, "public"), "b-2": (2, "public")}
    assert column(r, "hubs_waiting") == [1, 0, 0, 0, 0, 0]
    assert column(r, "capex") == [0, 120, 20, 0, 0, 0]
    assert column(r, "opex") == [0, 12, 14, 14, 14, 14]
    # a-1 and b-1 pay gov 0.6, biz 0.4 (phase 1); b-2 gov 0.5, fees 0.5 (phase 2)
    assert column(r, "source_gov") == [0, 79.2, 18.2, 8.2, 8.2, 8.2]
    assert column(r, "source_biz") == [0, 52.8, 4.8, 4.8, 4.8, 4.8]
    assert column(r, "source_fees") == [0, 0, 11, 1, 1, 1]
    # the plan (no money limit) opens a-1 in t0: 110 missing then (gov 66, biz 44); later quarters pay more, never less
    assert column(r, "funding_gap") == [110, 0, 0, 0, 0, 0]
    g = r.gates[0]
    assert (g.phase_id, g.next_phase_id, g.met_quarter, g.due_quarter, g.late_quarters, g.next_phase_shift) == (1, 2, "2030Q2", "2030Q2", 0, 0)


def test_tiny_on_time_learners():
    r = run_tiny("on")
    # ramp R = 2: half capacity in the opening quarter. a-1 100 a quarter, b-1 and b-2 20
    assert column(r, "enrolled") == [0, 60, 130, 140, 140, 140]
    # certified = 0.5 x 0.8 x enrolment 2 quarters earlier (a-1) or 1 quarter earlier (b-1, b-2)
    assert column(r, "certified") == [0, 0, 4, 32, 56, 56]
    s = r.summary
    assert (s.hubs_at_end, s.capex, s.opex, s.learners_certified) == (3, 140, 68, pytest.approx(148))
    assert s.cost_per_certified_learner == pytest.approx(208 / 148)
    assert s.network_complete_quarter == "2030Q3" and s.hubs_by_province_at_end == {"A": 1, "B": 2}


def test_tiny_private_only_pools_non_government_money_and_holds_the_next_phase():
    # private pool: biz + fees, capital 40 a quarter. t2: 120 -> a-1 (100: biz 90, fees cover 10) and b-1 (20, all fees);
    # phase 1's gate is met in t2, one quarter late, so phase 2 moves one quarter: b-2 (planned t2) opens in t3
    r = run_tiny("priv")
    assert opening(r) == {"a-1": (2, "private"), "b-1": (2, "private"), "b-2": (3, "private")}
    assert column(r, "source_gov") == [0] * 6 and column(r, "government_money") == [0] * 6
    assert column(r, "source_biz")[2] == pytest.approx(90 + 10 + 2)
    assert column(r, "source_fees")[2] == pytest.approx(10 + 20)
    g = r.gates[0]
    assert (g.met_quarter, g.late_quarters, g.next_phase_shift) == ("2030Q3", 1, 1)
    # b-2's compute capital (20 x 0.25) has no private-track rule: that money is missing too
    assert column(r, "funding_gap")[3] >= 5 - 1e-9


def test_tiny_delay_takes_the_public_track_from_the_decision_quarter():
    # D = 2: nothing opens in t0-t1 (the private pool has 40, 80 < 100); government money starts in t2
    r = run_tiny("late")
    assert opening(r)["a-1"] == (2, "public")
    assert column(r, "source_gov")[:2] == [0, 0] and column(r, "source_gov")[2] > 0
    assert r.summary.decision_quarter == "2030Q3"


def test_tiny_gating_off_reports_the_gate_without_holding_back():
    held = run_tiny("priv")
    free = run_tiny("priv", gating=False)
    assert opening(free)["b-2"][0] <= opening(held)["b-2"][0]
    assert free.gates[0].met_quarter == held.gates[0].met_quarter == "2030Q3"
    assert free.gates[0].next_phase_shift == 0


def test_tiny_rich_release_follows_the_timetable():
    r = run_tiny("on", rich=True)
    assert opening(r) == {"a-1": (0, "public"), "b-1": (1, "public"), "b-2": (2, "public")}
    assert column(r, "funding_gap") == [0] * 6
    assert column(r, "capex") == [100, 20, 20, 0, 0, 0]
    assert column(r, "capex_compute") == [50, 5, 5, 0, 0, 0]
    assert column(r, "opex_instructors") == [5, 6, 7, 7, 7, 7]


def test_pace_rounds_half_up_and_target_takes_the_network_order():
    # planned 0, .5 -> 1, 1; b-2 waits for phase 1's gate (met in t1) and opens the quarter after
    assert opening(run_tiny("on", rich=True, pace=2.0)) == {"a-1": (0, "public"), "b-1": (1, "public"), "b-2": (2, "public")}
    assert opening(run_tiny("on", rich=True, pace=2.0, gating=False))["b-2"] == (1, "public")
    assert opening(run_tiny("on", rich=True, pace=0.5)) == {"a-1": (0, "public"), "b-1": (2, "public"), "b-2": (4, "public")}
    r = run_tiny("on", rich=True, hub_target=2)
    assert opening(r) == {"a-1": (0, "public"), "b-1": (1, "public"), "b-2": (None, None)}
    assert r.hubs["in_network"].tolist() == [True, True, False]


def test_start_quarter_moves_the_calendar_only():
    a, b = run_tiny("on", rich=True), run_tiny("on", rich=True, start_quarter="2029Q4")
    # starting a quarter before the first launch quarter: every hub is planned one quarter later
    assert b.quarters["quarter"].tolist()[:2] == ["2029Q4", "2030Q1"]
    assert opening(b)["a-1"] == (1, "public")
    assert a.hubs["open_quarter"].tolist() == b.hubs["open_quarter"].tolist()[:3]


def test_overrides_named_and_by_param_id():
    s = scenario_from_option(tiny(True), "on", capex_tvet=30, completion_rate=0.25, capex_multiplier=2)
    assert s.params == (("capex_tvet", 30.0),) and s.completion_rate == 0.25
    r = run_model(tiny(True), s)
    assert column(r, "capex") == [200, 60, 60, 0, 0, 0]
    assert column(r, "certified") == [0, 0, 12, 26, 28, 28]
    with pytest.raises(TypeError, match="unknown lever"):
        scenario_from_option(tiny(), "on", warp_speed=9)
    with pytest.raises(KeyError):
        scenario_from_option(tiny(), "nope")


def test_opex_shares_are_normalised():
    r = run_tiny("on", rich=True, opex_share_instructors=1.0, opex_share_programmes=0.5, opex_share_operations=0.5)
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
        ({"horizon_quarters": 200}, "horizon_quarters"),
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
# The releases: older ones run on stated defaults, 1.3.0 on its own rules


def test_older_release_says_which_rules_stand_in():
    missing = dict(inputs().missing_rules)
    assert any("capacity" in k for k in missing) and any("metric" in k.lower() for k in missing)
    result = run_model(release(), scenario_from_option(release(), "public-on-time"))
    assert result.missing_rules == inputs().missing_rules
    # every exit criterion is assumed met on its due date: the gates open on time
    assert all(g.late_quarters == 0 for g in result.gates)


def test_on_time_at_full_scale_reproduces_the_headline_figures():
    r, h = release(), headline(release())
    result = run_model(r, scenario_from_option(r, "public-on-time"))
    s = result.summary
    assert s.hubs_at_end == h.hubs_total == 100
    assert s.hubs_by_province_at_end == h.hubs_by_province
    assert s.capacity_per_year_at_end == h.learner_capacity_per_year
    assert s.capex == pytest.approx(h.capex_pkr_m.central)
    assert result.quarters["opex"].iloc[-1] * 4 == pytest.approx(h.opex_pkr_m_per_year.central, rel=1e-12)


def test_every_option_runs_and_keeps_the_karachi_demonstrator():
    r = release()
    for option_id in OPTIONS:
        result = run_model(r, scenario_from_option(r, option_id))
        network = result.hubs[result.hubs["in_network"]]
        assert len(network) == result.scenario.hub_target
        karachi = r.hubs[(r.hubs["city_id"] == "karachi") & (r.hubs["phase_id"] == 1)]["hub_id"]
        assert set(karachi) <= set(network["hub_id"])
        assert len(result.quarters) == int(r.param("horizon_quarters"))


def test_smaller_network_shares_its_places_by_the_allocation_rule():
    r = release()
    result = run_model(r, scenario_from_option(r, "fast-small"))
    network = result.hubs[result.hubs["in_network"]]
    per_province = network["province_id"].value_counts().to_dict()
    assert min(per_province.values()) >= int(r.param("allocation_floor"))
    phase3 = network[network["phase_id"] == 3]["province_id"]
    assert phase3.nunique() > 1  # no longer all from Punjab


def test_comparison_horizon_covers_every_option():
    r = load_release(ROOT / "data" / "releases" / "1.3.0")
    scenarios = [scenario_from_option(r, o) for o in r.table("options")["option_id"]]
    h = comparison_horizon(r, scenarios)
    assert h >= int(r.param("horizon_quarters"))
    for s in scenarios:
        result = run_model(r, s.replace(horizon_quarters=h))
        opened = result.hubs["open_t"].dropna()
        # every option's last opening is at least a year plus ramp-up and lag before the end
        assert opened.max() + int(r.param("ramp_quarters")) + 4 <= h
    # cost per certified learner is taken over that same horizon for every option
    assert {run_model(r, s.replace(horizon_quarters=h)).summary.horizon_quarters for s in scenarios} == {h}


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
