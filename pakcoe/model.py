"""Rollout model: what a rollout option means quarter by quarter — hubs, gates, learners, costs, who pays, and what is missing.

Why it exists: the Phases, Compare and Funding pages show how the proposal unfolds under a public funding
decision (on time, delayed, not approved), a network size and a pace. This module turns a release (hubs.csv,
assumptions.csv, funding_rules.csv, funding_sources.csv, milestones.csv, rules.csv, …) and a `Scenario` into a
`ModelResult`. It is pure Python (numpy + pandas, never Streamlit) and deterministic; `pakcoe.engine` runs the
quarter loop for one or many parameter samples at once. This docstring is the model's methodology: every rule
the code applies is written here, and the rules that come from the release are shown beside it.

Conventions
-----------
* Money is in PKR million, nominal (no inflation, no discounting). Time is in quarters: t = 0 is the
  scenario's start_quarter and the horizon is t = 0 … T−1 (T: the scenario's horizon, else horizon_quarters).
* A parameter is the release's central `value` in assumptions.csv unless the scenario overrides it.
* Where a release lacks a rule (releases before 1.3.0), a stated default stands in (section 9).

1. The network (which hubs)
   Hubs are ordered by (phase_id, planned launch_quarter, hub_id in natural order). The full network is
   every hub of hubs.csv. A smaller network of N hubs (N at least the first phase's hubs) keeps the first
   phase whole and shares the other places among provinces and territories by the release's allocation
   rule: largest remainder on population with the floor allocation_floor; where N is too small for that
   floor (with the first phase kept whole), the largest floor that fits applies to every unit. A unit never gets more hubs than it has in
   hubs.csv (the surplus goes to the others by the same rule). Within a unit, hubs are taken in network
   order. So no phase draws all its hubs from one province unless the allocation gives them to it.

2. Planned schedule (pace)
   offset_h = launch_quarter_h − (earliest launch_quarter in hubs.csv), in quarters.
   s_h = ⌊offset_h / pace + ½⌋: the hub is planned to open in quarter t = s_h. No hub ever opens before
   its planned quarter, on any track; a late phase gate moves a whole phase later (section 4).

3. Funding: sources, capacities and the two tracks
   Each funding source s gives at most its yearly capacity C_s (funding_sources.annual_capacity_pkr_m);
   government sources give from the decision quarter D on, the others from the start.
   Each quarter a share κ (capital_share_of_capacity) of C_s/4 goes into the source's capital account,
   which carries over, and the rest is that quarter's running budget, which does not.
   A hub of phase p opened on track k costs capex_h in its opening quarter and o_h every quarter from then
   on; source s is asked for share(k, p, use, s) of each use (funding_rules.csv). The sources a track may
   draw on form its pool (the private track: every non-government source; the public track: every
   source). The hub opens only when the pool's capital accounts together cover capex_h and the pool's
   running budgets together can carry o_h on top of the running costs they already carry: a hub once open
   is always paid for, and a hub that cannot be funded waits (the schedule slips). Who pays follows the
   shares; a source that has given all it can is covered by the other sources of the pool, in proportion
   to what they have left (the funding gap then shows the source that fell short). Hubs open in network
   order; none overtakes.
   Decision quarter D: on time → 0; delayed by N → N; not approved → never (∞).
   * Before D the private track opens hubs, at the pace its sources' capacities allow (rule "private
     pace"). The private_capacity lever sets the non-government sources' capacities together (each keeps
     its part of the total).
   * From D the public track opens the remaining hubs at their planned quarter or D, whichever is later;
     when public money cannot pay a hub but the private track can, the private track opens it (the private
     track goes on in parallel so that work is not lost).
   * Handover: handover_quarters after D, the hubs the private track opened run under the public track's
     funding rules (rule "handover"); capital already spent is not refunded.
   Government money is that of sources in the category government (federal and provincial budgets).
   International partners are their own, non-government category, never counted as public money.

4. Phase gates
   A phase's exit criteria are its milestones with exit_criterion = true. A criterion with a metric the
   model computes (hubs open, hubs of the phase open, flagships of the phase open, districts with a hub of
   the phase, provinces and territories with a hub, learners certified to date) is met in the first
   quarter its metric reaches the target; any other criterion is assumed met on its due date (not
   modelled). The gate is met in the first quarter all its criteria are met, and the next phase may open
   hubs from the following quarter: if that is later than the next phase's first planned quarter, every hub
   of the next phase moves by the difference. In a smaller network a count target is capped at what the
   network holds (all its hubs of the phase, its districts, its provinces and territories). The gating lever switches this off (gates are then only
   reported). A gate that is never met holds the next phase back for the whole horizon (rule "gate
   failure": the board would have to adopt a remedial plan, which the model does not guess).

5. Learners
   q_h = learner_capacity_per_year_h / 4 (learners a quarter at full capacity, hubs.csv).
   Ramp-up after opening: r(k) = min(1, max(0, (k + 1) / R)), k = t − open_h, R = ramp_quarters.
   enrolled_t  = Σ_h q_h · r(t − open_h)
   certified_t = completion_rate · certification_rate · Σ_h q_h · r(t − open_h − L_h), with L_h the
   certification lag of the hub's type: L = ⌊W / 13 + ½⌋, W the seat-weighted mean duration in weeks of
   the programmes the type offers. Cumulative enrolled and certified are running sums.

6. Costs (by hub type, via hub_types.csv capex_param / opex_param)
   capex_h = capex_<type> · capex_multiplier, in the opening quarter: compute = capex_h · compute_share_<type>,
   infrastructure = the rest. o_h = opex_<type> · opex_multiplier / 4 a quarter, split instructors /
   programmes / operations in proportion to opex_share_instructors / _programmes / _operations.
   cost_t = what the open hubs cost in quarter t (capex of the hubs opening + o_h of every open hub).

7. Funding gap and who pays
   The plan is the same option with no limit on any source (hubs open at their planned, gated quarters).
   funding_gap_{t,s} = max(0, plan_{t,s} − paid_{t,s}): the money missing from source s against the plan
   at the planned time; a cost that no funding rule assigns to any source is missing too. The sum over
   the horizon is the option's funding gap. Paid money never exceeds a source's income to date (capital
   carried over plus running budgets).

8. The horizon and cost per certified learner
   Options are compared over one horizon, long enough for each to reach steady state: the latest quarter
   in which any compared option opens its last hub, plus its ramp-up and certification lag, plus one year,
   never shorter than horizon_quarters (and at most 80 quarters). Cost per certified learner is the whole
   horizon's cost divided by the learners certified by its end, over that same horizon for every option.

9. Older releases
   A release without funding-source capacities has no limit on government sources; its non-government
   sources share private_capacity in proportion to their private-track shares. Without
   capital_share_of_capacity, κ = 0.3. Without handover_quarters, the handover takes 4 quarters. Without
   metrics for its milestones, every exit criterion is assumed met on its due date. Without a category,
   federal and provincial budgets are government money and "international" is international.

Not modelled: inflation, closures, remedial plans after a failed gate, the instructors, projects and
indicators of criteria without a computed metric.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from pakcoe.allocation import largest_remainder
from pakcoe.basis import evaluate_array, release_names
from pakcoe.engine import METRICS, GateSetup, Outcome, Samples, Setup, simulate
from pakcoe.release import Release

DECISIONS = ("on_time", "delayed", "not_approved")
# Topics of a release's rules.csv that this model applies (the rest are stated on the Methodology page only).
APPLIED_RULE_TOPICS = ("private_pace", "handover", "gate_failure", "funding_shortfall", "network_size")
TRACKS = ("public", "private")
SECTORS = ("public", "private")
CATEGORIES = ("government", "private_sector", "philanthropy", "international", "fees")
NON_GOVERNMENT = CATEGORIES[1:]
USES = ("infrastructure", "compute", "instructors", "programmes", "operations")
CAPEX_USES = USES[:2]
OPEX_USES = USES[2:]
OPEX_SHARE_PARAMS = tuple(f"opex_share_{u}" for u in OPEX_USES)
WEEKS_PER_QUARTER = 13
NOT_OPEN = -1  # open_t of a hub that does not open within the horizon
MAX_HORIZON = 80
DEFAULT_CAPITAL_SHARE = 0.3
DEFAULT_HANDOVER = 4
_EPS = 1e-9
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")

# Every column of ModelResult.quarters, with its unit (for tables, downloads and the Methodology page).
QUARTER_COLUMNS: dict[str, str] = {
    "t": "Quarter number from the start (0 = start_quarter)",
    "quarter": "Quarter (YYYYQn)",
    "hubs_opened": "Hubs opening in the quarter",
    "hubs_active": "Hubs open (cumulative; hubs never close)",
    "hubs_active_public_track": "Hubs open that the public track opened",
    "hubs_active_private_track": "Hubs open that the private track opened",
    "hubs_waiting": "Hubs whose planned (gated) quarter has come but whose money has not",
    "capacity_per_year": "Installed learner capacity of the open hubs, learners per year (before ramp-up)",
    "enrolled": "Learners enrolled in the quarter",
    "enrolled_cum": "Learners enrolled, cumulative",
    "certified": "Learners certified in the quarter",
    "certified_cum": "Learners certified, cumulative",
    "capex_infrastructure": "Capital cost, infrastructure, PKR million",
    "capex_compute": "Capital cost, compute, PKR million",
    "capex": "Capital cost, PKR million",
    "opex_instructors": "Operating cost, instructors, PKR million",
    "opex_programmes": "Operating cost, programme delivery, PKR million",
    "opex_operations": "Operating cost, operations, PKR million",
    "opex": "Operating cost, PKR million",
    "cost": "Capital + operating cost, PKR million",
    "cost_cum": "Capital + operating cost, cumulative, PKR million",
    "source_<source_id>": "Money paid by one source (funding_sources.csv), PKR million",
    "track_public": "Money paid through the public track's funding rules, PKR million",
    "track_private": "Money paid through the private track's funding rules, PKR million",
    "government_money": "Money from government budgets (federal and provincial), PKR million",
    "non_government_money": "Money from every other source (private sector, philanthropy, fees, international partners), PKR million",
    "international_money": "Money from international partners (non-government), PKR million",
    "funding_gap": "Money missing against the plan at the planned time, PKR million",
    "cost_per_certified": "Cumulative cost / cumulative certified learners, PKR million per learner",
}
# ---------------------------------------------------------------------------------------------------
# Quarters


def quarter_index(label: str) -> int:
    """'2027Q2' -> 2027·4 + 1: consecutive quarters have consecutive indexes."""
    m = _QUARTER.match(str(label))
    if not m:
        raise ValueError(f"not a quarter (YYYYQn): {label!r}")
    return int(m[1]) * 4 + int(m[2]) - 1


def quarter_label(index: int) -> str:
    """Inverse of quarter_index."""
    return f"{index // 4}Q{index % 4 + 1}"


@lru_cache(maxsize=64)
def quarter_axis(start: str, horizon: int) -> tuple[tuple[str, ...], pd.CategoricalDtype]:
    """Labels of the horizon's quarters and their categorical dtype (cached: pages rerun often)."""
    first = quarter_index(start)
    labels = tuple(quarter_label(first + i) for i in range(horizon))
    return labels, pd.CategoricalDtype(pd.Index(labels, dtype=object), ordered=True)


def _round_half_up(x: np.ndarray | float) -> np.ndarray:
    return np.floor(np.asarray(x, dtype=float) + 0.5 + _EPS).astype(np.int64)


def _natural_key(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


# ---------------------------------------------------------------------------------------------------
# Scenario


@dataclass(frozen=True)
class Scenario:
    """One model run's levers: an option's fields plus optional overrides of assumptions.

    None means "the release's central value". `params` overrides any other assumption by param_id
    (e.g. (("capex_flagship", 300.0),)); the named fields win over `params`. Hashable, so pages can
    use it as a cache key.
    """

    public_decision: str
    delay_quarters: int
    hub_target: int
    pace: float
    start_quarter: str
    option_id: str | None = None
    capex_multiplier: float = 1.0
    opex_multiplier: float = 1.0
    completion_rate: float | None = None
    certification_rate: float | None = None
    ramp_quarters: float | None = None
    private_capacity: float | None = None
    horizon_quarters: int | None = None
    certification_lag_quarters: int | None = None  # None: derived per hub type from programmes.csv
    gating: bool = True
    params: tuple[tuple[str, float], ...] = ()

    @property
    def effective_delay(self) -> int:
        """N of the docstring: delay_quarters when delayed, else 0."""
        return int(self.delay_quarters) if self.public_decision == "delayed" else 0

    @property
    def decision_t(self) -> float:
        """D: the quarter (from the start) public money joins; inf when not approved."""
        return math.inf if self.public_decision == "not_approved" else float(self.effective_delay)

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed."""
        return replace(self, **changes)


Levers = Scenario  # the pages' name for the same thing

_SCENARIO_FIELDS = {f.name for f in fields(Scenario)}
_OPTION_FIELDS = ("public_decision", "delay_quarters", "hub_target", "pace", "start_quarter")
_NAMED_PARAMS = ("completion_rate", "certification_rate", "ramp_quarters", "private_capacity", "horizon_quarters")


# ---------------------------------------------------------------------------------------------------
# What depends on the release only


@dataclass(frozen=True)
class Criterion:
    """One exit criterion as the release states it."""

    milestone_id: str
    title: str
    metric_id: str  # one of engine.METRICS, or "not_modelled"
    target: float | None
    due_quarter: str


@dataclass(frozen=True, eq=False)
class ModelInputs:
    """Per-release constants, built once and reused by every scenario (arrays are in network order)."""

    release_id: str
    hubs: pd.DataFrame  # hub_id, name, province_id, phase_id, hub_type, launch_quarter (network order)
    province_ids: tuple[str, ...]
    phase_ids: tuple[int, ...]
    type_ids: tuple[str, ...]
    source_ids: tuple[str, ...]
    source_category: tuple[str, ...]
    province_idx: np.ndarray
    phase_idx: np.ndarray
    type_idx: np.ndarray
    district_idx: np.ndarray
    n_districts: int
    flagship: np.ndarray
    capacity: np.ndarray  # learners per year per hub
    planned_offset: np.ndarray  # quarters after the earliest launch quarter
    first_launch: int  # quarter index of the earliest launch quarter
    type_capex_param: tuple[str, ...]
    type_opex_param: tuple[str, ...]
    type_lag: np.ndarray  # certification lag (quarters) per type
    min_hub_target: int  # hubs of the first phase
    province_weights: Mapping[str, float]
    shares: np.ndarray  # [track, phase, use, source]
    funding_combos: np.ndarray  # rows (track, phase, use, source) with a non-zero share
    capacity_params: tuple[str | None, ...]  # per source: the parameter its yearly capacity rests on (None: none)
    source_capacity: np.ndarray | None  # per source, yearly (None: the release states none)
    criteria: Mapping[int, tuple[Criterion, ...]]  # exit criteria per phase_id
    params: Mapping[str, tuple[float, float, float]]  # param_id -> (value, low, high)
    derivations: tuple[tuple[str, str], ...]  # (param_id, expression) in dependency order (release rules version 2)
    share_exprs: tuple[tuple[int, int, int, int, str], ...]  # (track, phase, use, source) and the derivation of its share
    counts: Mapping[str, float]  # counts computed from the release that derivations may name
    options: Mapping[str, Mapping[str, Any]]
    hub_columns: Mapping[str, Any]
    dtypes: Mapping[str, pd.CategoricalDtype]
    missing_rules: tuple[tuple[str, str], ...]  # (what the release lacks, the default that stands in)

    @classmethod
    def from_release(cls, release: Release) -> ModelInputs:
        """Read everything the model needs from a release (validated or a hand-made test release)."""
        t = release.tables
        hubs = network_order(t["hubs"])
        types = t["hub_types"].reset_index(drop=True)
        type_ids = tuple(str(x) for x in types["hub_type"])
        provinces = tuple(str(x) for x in t["provinces"]["province_id"])
        phases = tuple(sorted(int(x) for x in t["phases"]["phase_id"]))
        sources = t["funding_sources"].reset_index(drop=True)
        source_ids = tuple(str(x) for x in sources["source_id"])
        a = t["assumptions"]
        params = {str(p): (float(v), float(lo), float(hi)) for p, v, lo, hi in zip(a["param_id"], a["value"], a["low"], a["high"], strict=True)}
        shares, combos = _share_tensor(t["funding_rules"], phases, source_ids)
        first_phase = int(hubs["phase_id"].min())
        shown = hubs[["hub_id", "name", "province_id", "phase_id", "hub_type", "launch_quarter"]].copy()
        missing: list[tuple[str, str]] = []
        category = _categories_of(sources, missing)
        capacity, capacity_params = _capacities(sources, params, category, shares, missing)
        if "capital_share_of_capacity" not in params:
            missing.append(("How each source's money divides between capital and running costs", f"{DEFAULT_CAPITAL_SHARE:.0%} of it funds capital"))
        if "handover_quarters" not in params:
            missing.append(("The handover of private-track hubs on adoption", f"after {DEFAULT_HANDOVER} quarters"))
        criteria = _criteria(t.get("milestones"), missing)
        districts = [f"{p}|{d}" for p, d in zip(hubs["province_id"], hubs["district"], strict=True)]
        district_ids = {d: i for i, d in enumerate(dict.fromkeys(districts))}
        quarters = hubs["_q"].to_numpy(np.int64)
        return cls(
            release_id=release.id,
            hubs=shown,
            province_ids=provinces,
            phase_ids=phases,
            type_ids=type_ids,
            source_ids=source_ids,
            source_category=category,
            province_idx=np.array([provinces.index(p) for p in hubs["province_id"]], dtype=np.int64),
            phase_idx=np.array([phases.index(int(p)) for p in hubs["phase_id"]], dtype=np.int64),
            type_idx=np.array([type_ids.index(h) for h in hubs["hub_type"]], dtype=np.int64),
            district_idx=np.array([district_ids[d] for d in districts], dtype=np.int64),
            n_districts=len(district_ids),
            flagship=(hubs["hub_type"] == "flagship").to_numpy(bool),
            capacity=hubs["learner_capacity_per_year"].to_numpy(float),
            planned_offset=quarters - quarters.min(),
            first_launch=int(quarters.min()),
            type_capex_param=tuple(str(x) for x in types["capex_param"]),
            type_opex_param=tuple(str(x) for x in types["opex_param"]),
            type_lag=_certification_lags(t, type_ids),
            min_hub_target=int((hubs["phase_id"] == first_phase).sum()),
            province_weights=MappingProxyType({str(p): float(w) for p, w in zip(t["provinces"]["province_id"], t["provinces"]["population"], strict=True)}),
            shares=shares,
            funding_combos=combos,
            capacity_params=capacity_params,
            source_capacity=capacity,
            criteria=MappingProxyType(criteria),
            params=MappingProxyType(params),
            derivations=_ordered_derivations(a),
            share_exprs=_share_exprs(t["funding_rules"], phases, source_ids),
            counts=MappingProxyType(release_names(t)),
            options=_options(t.get("options")),
            hub_columns=MappingProxyType({c: shown[c].array for c in shown.columns}),
            dtypes=MappingProxyType(
                {
                    name: _categories(values)
                    for name, values in (
                        ("track", TRACKS),
                        ("source_id", source_ids),
                        ("category", CATEGORIES),
                        ("use", USES),
                        ("phase_id", tuple(str(p) for p in phases)),
                    )
                }
            ),
            missing_rules=tuple(missing),
        )

    @property
    def n_hubs(self) -> int:
        return len(self.hubs)


def network_order(hubs: pd.DataFrame) -> pd.DataFrame:
    """hubs.csv in network order: phase_id, launch quarter, hub_id in natural order (adds column _q)."""
    frame = hubs.copy()
    frame["_k"] = [_natural_key(h) for h in frame["hub_id"]]
    frame["_q"] = [quarter_index(q) for q in frame["launch_quarter"]]
    return frame.sort_values(["phase_id", "_q", "_k"], kind="stable").drop(columns="_k").reset_index(drop=True)


def _options(options: pd.DataFrame | None) -> Mapping[str, Mapping[str, Any]]:
    if options is None:
        return MappingProxyType({})
    rows = {str(r["option_id"]): MappingProxyType({k: r[k] for k in (*_OPTION_FIELDS, "name")}) for _, r in options.iterrows()}
    return MappingProxyType(rows)


def _categories(values: tuple[str, ...]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(pd.Index(values, dtype=object))


def _categories_of(sources: pd.DataFrame, missing: list) -> tuple[str, ...]:
    if "category" in sources.columns:
        return tuple(str(c) for c in sources["category"])
    missing.append(
        (
            "A category for each funding source",
            "federal and provincial budgets are government money; international partners are non-government money of their own kind",
        )
    )
    known = {
        "federal": "government",
        "provincial": "government",
        "international": "international",
        "philanthropy": "philanthropy",
        "fees": "fees",
        "private_sector": "private_sector",
    }
    return tuple(
        known.get(str(s), "government" if sec == "public" else "private_sector") for s, sec in zip(sources["source_id"], sources["sector"], strict=True)
    )


def _capacities(sources, params, category, shares, missing) -> tuple[np.ndarray | None, tuple[str | None, ...]]:
    if "annual_capacity_pkr_m" in sources.columns:
        basis = sources["capacity_basis"] if "capacity_basis" in sources.columns else [None] * len(sources)
        names = tuple(str(b) if isinstance(b, str) and b in params else None for b in basis)
        return sources["annual_capacity_pkr_m"].to_numpy(float), names
    missing.append(
        (
            "A yearly funding capacity for each source",
            "government budgets have no limit; the other sources share the private-track funding capacity in proportion to their private-track shares",
        )
    )
    return None, tuple(None for _ in sources["source_id"])


def _criteria(milestones: pd.DataFrame | None, missing: list) -> dict[int, tuple[Criterion, ...]]:
    out: dict[int, list[Criterion]] = {}
    if milestones is None:
        return {}
    has_metric = "metric_id" in milestones.columns
    if not has_metric:
        missing.append(("Metrics the model can compute for the exit criteria", "every exit criterion is assumed met on its due date (not modelled)"))
    for r in milestones.to_dict("records"):
        if not bool(r.get("exit_criterion")):
            continue
        metric = str(r["metric_id"]) if has_metric else "not_modelled"
        target = r.get("target_value") if has_metric else None
        target = None if target is None or (isinstance(target, float) and math.isnan(target)) else float(target)
        if metric not in METRICS or target is None:
            metric = "not_modelled"
        out.setdefault(int(r["phase_id"]), []).append(Criterion(str(r["milestone_id"]), str(r["title"]), metric, target, str(r["due_quarter"])))
    return {p: tuple(c) for p, c in out.items()}


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _ordered_derivations(a: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    """Derived parameters (assumptions.derivation), each after the parameters it names."""
    if "derivation" not in a.columns:
        return ()
    pending = {str(p): str(d) for p, d in zip(a["param_id"], a["derivation"], strict=True) if isinstance(d, str) and d.strip()}
    ordered: list[tuple[str, str]] = []
    while pending:
        ready = [p for p, e in pending.items() if not any(n in pending and n != p for n in _NAME.findall(e))] or list(pending)
        for p in sorted(ready):
            ordered.append((p, pending.pop(p)))
    return tuple(ordered)


def _share_exprs(rules: pd.DataFrame, phases: tuple[int, ...], sources: tuple[str, ...]) -> tuple[tuple[int, int, int, int, str], ...]:
    if "share_basis" not in rules.columns:
        return ()
    out = []
    for r in rules.itertuples(index=False):
        basis = getattr(r, "share_basis", None)
        if r.track in TRACKS and int(r.phase_id) in phases and r.use in USES and r.source_id in sources and isinstance(basis, str) and basis.strip():
            out.append((TRACKS.index(r.track), phases.index(int(r.phase_id)), USES.index(r.use), sources.index(r.source_id), basis))
    return tuple(out)


def effective_values(inputs: ModelInputs, over: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter's value under a scenario's overrides (numbers, or arrays of samples): the overrides, and every
    derived parameter the scenario does not set recomputed from them by its derivation (section 3 of basis)."""
    values: dict[str, Any] = {**inputs.counts, **{p: v for p, (v, _, _) in inputs.params.items()}, **over}
    if not over or not inputs.derivations:
        return values
    lows = {p: lo for p, (_, lo, _) in inputs.params.items()}
    highs = {p: hi for p, (_, _, hi) in inputs.params.items()}
    changed = set(over)
    for p, expr in inputs.derivations:
        if p in over or not (set(_NAME.findall(expr)) & changed):
            continue
        values[p] = evaluate_array(expr, values, lows, highs)
        changed.add(p)
    return values


def effective_shares(inputs: ModelInputs, values: Mapping[str, Any], over: Mapping[str, Any], size: int | None = None) -> np.ndarray:
    """The funding shares under overrides: recomputed from their derivations when a parameter they name is set,
    then renormalised per track, phase and use ([track, phase, use, source], or [size, ...] for samples)."""
    names = {n for *_, e in inputs.share_exprs for n in _NAME.findall(e)}
    if not inputs.share_exprs or not (names & set(over)):
        return inputs.shares if size is None else np.broadcast_to(inputs.shares, (size, *inputs.shares.shape)).copy()
    shape = inputs.shares.shape if size is None else (size, *inputs.shares.shape)
    shares = np.zeros(shape)
    lows = {p: lo for p, (_, lo, _) in inputs.params.items()}
    highs = {p: hi for p, (_, _, hi) in inputs.params.items()}
    for k, ph, u, src, expr in inputs.share_exprs:
        v = np.asarray(evaluate_array(expr, values, lows, highs), dtype=float)
        if size is None:
            shares[k, ph, u, src] = float(v)
        else:
            shares[:, k, ph, u, src] = np.broadcast_to(v, (size,))
    shares = np.clip(shares, 0.0, None)
    total = shares.sum(axis=-1, keepdims=True)
    return np.divide(shares, total, out=np.zeros_like(shares), where=total > 0)


def _share_tensor(rules: pd.DataFrame, phases: tuple[int, ...], sources: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """shares[track, phase, use, source] from funding_rules.csv (0 where no rule), and the non-zero combos."""
    shares = np.zeros((len(TRACKS), len(phases), len(USES), len(sources)))
    for r in rules.itertuples(index=False):
        if r.track in TRACKS and int(r.phase_id) in phases and r.use in USES and r.source_id in sources:
            shares[TRACKS.index(r.track), phases.index(int(r.phase_id)), USES.index(r.use), sources.index(r.source_id)] += float(r.share)
    return shares, np.argwhere(shares > 0)


def _certification_lags(tables: Mapping[str, pd.DataFrame], type_ids: tuple[str, ...]) -> np.ndarray:
    """L_type = round-half-up(seat-weighted mean programme duration in weeks / 13); 1 where unknown."""
    lags = np.ones(len(type_ids), dtype=np.int64)
    if "programme_offers" not in tables or "programmes" not in tables:
        return lags
    weeks = dict(zip(tables["programmes"]["programme_id"], tables["programmes"]["duration_weeks"], strict=True))
    offers = tables["programme_offers"]
    for i, hub_type in enumerate(type_ids):
        rows = offers[offers["hub_type"] == hub_type]
        seats = rows["seats_per_year"].astype(float).to_numpy()
        if seats.sum() > 0:
            mean_weeks = float(np.dot(seats, [float(weeks[p]) for p in rows["programme_id"]]) / seats.sum())
            lags[i] = int(_round_half_up(mean_weeks / WEEKS_PER_QUARTER))
    return lags


_INPUTS_CACHE: dict[int, tuple[Release, ModelInputs]] = {}  # id(release) -> (release kept alive, inputs)
_INPUTS_LOCK = threading.Lock()  # Streamlit runs sessions in threads
_INPUTS_KEPT = 8


def model_inputs(release: Release | ModelInputs) -> ModelInputs:
    """The release's ModelInputs, built on first use and then reused (a ModelInputs is returned as is)."""
    if isinstance(release, ModelInputs):
        return release
    with _INPUTS_LOCK:
        hit = _INPUTS_CACHE.get(id(release))
        if hit is not None and hit[0] is release:
            return hit[1]
        inputs = ModelInputs.from_release(release)
        while len(_INPUTS_CACHE) >= _INPUTS_KEPT:
            _INPUTS_CACHE.pop(next(iter(_INPUTS_CACHE)))
        _INPUTS_CACHE[id(release)] = (release, inputs)
        return inputs


def scenario_from_option(release: Release | ModelInputs, option_id: str, **overrides: Any) -> Scenario:
    """The Scenario of an options.csv row, with levers changed by keyword.

    A keyword is a Scenario field (pace=1.5, capex_multiplier=1.2, private_capacity=4000, gating=False, …)
    or any other assumption's param_id (capex_flagship=300), which goes to Scenario.params.
    """
    inputs = model_inputs(release)
    if option_id not in inputs.options:
        raise KeyError(f"no option {option_id!r}; options are {', '.join(inputs.options)}")
    row = inputs.options[option_id]
    base: dict[str, Any] = {
        "option_id": option_id,
        "public_decision": str(row["public_decision"]),
        "delay_quarters": int(row["delay_quarters"]),
        "hub_target": int(row["hub_target"]),
        "pace": float(row["pace"]),
        "start_quarter": str(row["start_quarter"]),
    }
    extra = dict(overrides.pop("params", ()))
    for key, value in overrides.items():
        if key in _SCENARIO_FIELDS:
            base[key] = value
        elif key in inputs.params:
            extra[key] = float(value)
        else:
            raise TypeError(f"unknown lever {key!r}: neither a Scenario field nor an assumption param_id")
    return Scenario(**base, params=tuple(sorted(extra.items())))


# ---------------------------------------------------------------------------------------------------
# The network of a scenario (docstring section 1)


def network_mask(inputs: ModelInputs, hub_target: int, floor: int | None = None) -> np.ndarray:
    """Which hubs (network order) a network of hub_target hubs keeps: the first phase whole, the rest by allocation."""
    n = inputs.n_hubs
    target = int(hub_target)
    if target >= n:
        return np.ones(n, dtype=bool)
    first = inputs.phase_idx == 0
    units = inputs.province_ids
    have = np.bincount(inputs.province_idx, minlength=len(units))
    must = np.bincount(inputs.province_idx[first], minlength=len(units))
    if floor is None:
        floor = int(inputs.params["allocation_floor"][0]) if "allocation_floor" in inputs.params else 0
    floor = feasible_floor(floor, target, must.tolist(), have.tolist())
    shares = allocate_network(
        dict(zip(units, (inputs.province_weights.get(u, 0.0) for u in units), strict=True)),
        target,
        floor,
        dict(zip(units, must.tolist(), strict=True)),
        dict(zip(units, have.tolist(), strict=True)),
    )
    keep = np.zeros(n, dtype=bool)
    taken = dict.fromkeys(units, 0)
    for i in range(n):  # network order: within a unit, hubs in their planned order (first phase first)
        u = units[inputs.province_idx[i]]
        if taken[u] < shares[u]:
            keep[i] = True
            taken[u] += 1
    return keep


def feasible_floor(floor: int, total: int, must: list[int], have: list[int]) -> int:
    """The largest floor, up to the rule's, that a network of `total` hubs can give every unit while keeping the first phase whole."""
    f = max(int(floor), 0)
    while f > 0 and sum(max(m, min(f, h)) for m, h in zip(must, have, strict=True)) > total:
        f -= 1
    return f


def allocate_network(weights: Mapping[str, float], total: int, floor: int, must: Mapping[str, int], have: Mapping[str, int]) -> dict[str, int]:
    """Largest remainder with a floor, where a unit gets at least `must` and at most `have` hubs (surplus shared again)."""
    fixed: dict[str, int] = {}
    while True:
        free = {u: w for u, w in weights.items() if u not in fixed}
        left = total - sum(fixed.values())
        if not free:
            return fixed
        f = min(floor, left // len(free)) if free else 0
        got = largest_remainder(free, left, f)
        over = {u: have[u] for u in got if got[u] > have[u]}
        under = {u: must[u] for u in got if got[u] < must[u]}
        if not over and not under:
            return {**fixed, **got}
        fixed.update(over)
        fixed.update(under)


# ---------------------------------------------------------------------------------------------------
# Parameters of one run


@dataclass(frozen=True)
class Parameters:
    """The numbers one run uses, after overrides (per-type arrays follow ModelInputs.type_ids)."""

    capex: np.ndarray
    compute_share: np.ndarray
    opex_per_quarter: np.ndarray
    opex_split: np.ndarray  # instructors, programmes, operations; sums to 1
    completion_rate: float
    certification_rate: float
    ramp_quarters: float
    private_capacity: float
    source_capacity: np.ndarray  # yearly per source (inf: no limit)
    capital_share: float
    handover: int
    allocation_floor: int
    shares: np.ndarray  # [track, phase, use, source]
    horizon: int
    lag: np.ndarray


def resolve_parameters(inputs: ModelInputs, scenario: Scenario) -> Parameters:
    """Apply the scenario's overrides to the release's central values, and check the levers."""
    _check_scenario(inputs, scenario)
    over = overrides_of(inputs, scenario)
    values = effective_values(inputs, over)

    def p(name: str) -> float:
        if name not in values or name not in inputs.params:
            raise ValueError(f"assumptions.csv has no parameter {name!r}, which the model needs")
        return float(values[name])

    def p_or(name: str, default: float) -> float:
        return float(values[name]) if name in inputs.params else default

    types = range(len(inputs.type_ids))
    split = np.array([p(n) for n in OPEX_SHARE_PARAMS])
    if (split < 0).any() or split.sum() <= 0:
        raise ValueError("opex shares must be non-negative and not all zero")
    compute = np.array([p(f"compute_share_{_type_suffix(inputs.type_capex_param[i])}") for i in types])
    horizon = int(p("horizon_quarters"))
    rates = {
        "completion_rate": p("completion_rate"),
        "certification_rate": p("certification_rate"),
        "ramp_quarters": p("ramp_quarters"),
        "private_capacity": p("private_capacity"),
    }
    _check_ranges(rates, compute, horizon)
    lag_over = scenario.certification_lag_quarters
    capacity = source_capacities(inputs, lambda name: p(name), rates["private_capacity"])
    shares = effective_shares(inputs, values, over)
    capital_share = p_or("capital_share_of_capacity", DEFAULT_CAPITAL_SHARE)
    if not 0 <= capital_share <= 1:
        raise ValueError("capital_share_of_capacity must be between 0 and 1")
    return Parameters(
        capex=np.array([p(inputs.type_capex_param[i]) for i in types]) * scenario.capex_multiplier,
        compute_share=compute,
        opex_per_quarter=np.array([p(inputs.type_opex_param[i]) for i in types]) * scenario.opex_multiplier / 4,
        opex_split=split / split.sum(),
        completion_rate=rates["completion_rate"],
        certification_rate=rates["certification_rate"],
        ramp_quarters=rates["ramp_quarters"],
        private_capacity=rates["private_capacity"],
        source_capacity=capacity,
        capital_share=capital_share,
        handover=int(round(p_or("handover_quarters", DEFAULT_HANDOVER))),
        allocation_floor=int(round(p_or("allocation_floor", 0))),
        shares=shares,
        horizon=horizon,
        lag=inputs.type_lag if lag_over is None else np.full(len(inputs.type_ids), int(lag_over)),
    )


def overrides_of(inputs: ModelInputs, scenario: Scenario) -> dict[str, float]:
    """The assumption values a scenario sets (named fields win over params); unknown names are an error."""
    over = dict(scenario.params)
    for name in _NAMED_PARAMS:
        value = getattr(scenario, name)
        if value is not None:
            over[name] = float(value)
    unknown = [p for p in over if p not in inputs.params]
    if unknown:
        raise ValueError(f"unknown assumption(s): {', '.join(unknown)}")
    return over


def source_capacities(inputs: ModelInputs, value, private_capacity: float) -> np.ndarray:
    """Yearly capacity per source (section 3): the release's, with the private_capacity lever setting the
    non-government sources together; older releases: government unlimited, the others share private_capacity."""
    non_gov = np.array([c != "government" for c in inputs.source_category])
    if inputs.source_capacity is None:
        weight = inputs.shares[TRACKS.index("private")].mean(axis=(0, 1))  # [source]
        weight = np.where(non_gov, weight, 0.0)
        total = weight.sum()
        cap = np.where(non_gov, private_capacity * weight / total if total > 0 else 0.0, np.inf)
        return cap
    cap = np.array([value(name) if name else float(c) for name, c in zip(inputs.capacity_params, inputs.source_capacity, strict=True)], dtype=float)
    stated = cap[non_gov].sum()
    if stated > 0:
        cap = np.where(non_gov, cap * private_capacity / stated, cap)
    return cap


def _type_suffix(capex_param: str) -> str:
    """compute_share_<suffix> pairs with capex_<suffix> (capex_tvet -> tvet)."""
    return capex_param.removeprefix("capex_")


def _check_scenario(inputs: ModelInputs, s: Scenario) -> None:
    if s.public_decision not in DECISIONS:
        raise ValueError(f"public_decision must be one of {', '.join(DECISIONS)}, not {s.public_decision!r}")
    if int(s.delay_quarters) < 0:
        raise ValueError("delay_quarters must not be negative")
    if not inputs.min_hub_target <= int(s.hub_target) <= inputs.n_hubs:
        raise ValueError(f"hub_target must be between {inputs.min_hub_target} (the first phase) and {inputs.n_hubs}")
    if not (math.isfinite(s.pace) and s.pace > 0):
        raise ValueError("pace must be a positive number")
    if not (s.capex_multiplier >= 0 and s.opex_multiplier >= 0):
        raise ValueError("cost multipliers must not be negative")
    if s.certification_lag_quarters is not None and int(s.certification_lag_quarters) < 0:
        raise ValueError("certification_lag_quarters must not be negative")
    quarter_index(s.start_quarter)


def _check_ranges(values: Mapping[str, float], compute: np.ndarray, horizon: int) -> None:
    for name in ("completion_rate", "certification_rate"):
        if not 0 <= values[name] <= 1:
            raise ValueError(f"{name} must be between 0 and 1")
    if not values["ramp_quarters"] > 0:
        raise ValueError("ramp_quarters must be positive")
    if not values["private_capacity"] >= 0:
        raise ValueError("private_capacity must not be negative")
    if ((compute < 0) | (compute > 1)).any():
        raise ValueError("compute shares must be between 0 and 1")
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"horizon_quarters must be between 1 and {MAX_HORIZON}")


# ---------------------------------------------------------------------------------------------------
# Step 1: the scenario's setup and its samples


def planned_quarters(inputs: ModelInputs, pace: float) -> np.ndarray:
    """s_h = round-half-up(offset_h / pace)."""
    return _round_half_up(inputs.planned_offset / pace)


def scenario_setup(inputs: ModelInputs, scenario: Scenario, params: Parameters) -> tuple[Setup, np.ndarray]:
    """The engine's Setup for a scenario, and the indexes (network order) of the network's hubs."""
    keep = network_mask(inputs, scenario.hub_target, params.allocation_floor)
    idx = np.flatnonzero(keep)
    planned_all = planned_quarters(inputs, scenario.pace)
    start = quarter_index(scenario.start_quarter)
    shift0 = inputs.first_launch - start  # hubs.csv's first launch quarter relative to the scenario's start
    planned = planned_all[idx] + max(shift0, 0)
    phase = inputs.phase_idx[idx]
    n_phases = len(inputs.phase_ids)
    first = np.full(n_phases, 10**6, dtype=np.int64)
    for ph in range(n_phases):
        sel = planned[phase == ph]
        if len(sel):
            first[ph] = int(sel.min())
    gates = []
    for pos in range(n_phases - 1):
        crit = inputs.criteria.get(inputs.phase_ids[pos], ())
        gates.append(
            GateSetup(
                phase=pos,
                metric=np.array([METRICS.index(c.metric_id) if c.metric_id in METRICS else -1 for c in crit], dtype=np.int64),
                target=np.array([reachable_target(inputs, idx, pos, c) for c in crit], dtype=float),
                due=np.array([quarter_index(c.due_quarter) - start for c in crit], dtype=np.int64),
            )
        )
    setup = Setup(
        planned=planned.astype(np.int64),
        phase=phase,
        hub_type=inputs.type_idx[idx],
        flagship=inputs.flagship[idx],
        province=inputs.province_idx[idx],
        district=inputs.district_idx[idx],
        learners_q=inputs.capacity[idx] / 4,
        lag=params.lag[inputs.type_idx[idx]],
        n_phases=n_phases,
        n_provinces=len(inputs.province_ids),
        n_districts=inputs.n_districts,
        first_planned=first,
        decision=scenario.decision_t,
        handover=params.handover,
        horizon=params.horizon,
        gating=bool(scenario.gating),
        gates=tuple(gates),
    )
    return setup, idx


def government_mask(inputs: ModelInputs) -> np.ndarray:
    """Sources only the public track draws on (category government)."""
    return np.array([c == "government" for c in inputs.source_category])


def reachable_target(inputs: ModelInputs, idx: np.ndarray, pos: int, c: Criterion) -> float:
    """A count target capped at what the scenario's network holds (section 4): a smaller network's gate asks for
    all of its hubs of the phase, not for hubs it does not have; a learners target is kept as stated."""
    if c.target is None:
        return 0.0
    phase = inputs.phase_idx[idx]
    upto = idx[phase <= pos]
    this = idx[phase == pos]
    reach = {
        "hubs_open": len(upto),
        "phase_hubs_open": len(this),
        "phase_flagships_open": int(inputs.flagship[this].sum()),
        "districts_reached": len(set(inputs.district_idx[this].tolist())),
        "provinces_reached": len(set(inputs.province_idx[upto].tolist())),
    }
    return float(min(c.target, reach[c.metric_id])) if c.metric_id in reach else float(c.target)


def central_samples(inputs: ModelInputs, params: Parameters, unlimited: bool = False) -> Samples:
    """One sample holding a run's parameters (unlimited=True: no source limits, for the plan)."""
    cap = np.full_like(params.source_capacity, np.inf) if unlimited else params.source_capacity
    return Samples(
        capex=params.capex[None, :],
        compute_share=params.compute_share[None, :],
        opex_q=params.opex_per_quarter[None, :],
        opex_split=params.opex_split[None, :],
        rate=np.array([params.completion_rate * params.certification_rate]),
        ramp=np.array([params.ramp_quarters]),
        capacity=cap[None, :],
        capital_share=np.array([params.capital_share]),
        shares=params.shares[None, ...],
    )


# ---------------------------------------------------------------------------------------------------
# Step 2: the result of a run


@dataclass(frozen=True)
class Summary:
    """Key figures of a run over its horizon (money in PKR million)."""

    hubs_at_end: int
    hubs_by_province_at_end: dict[str, int]
    hubs_in_network: int
    network_complete_quarter: str | None  # first quarter with every network hub open
    capacity_per_year_at_end: float
    learners_enrolled: float
    learners_certified: float
    capex: float
    opex: float
    total_cost: float
    government_money: float
    non_government_money: float
    international_money: float
    public_track_money: float
    private_track_money: float
    funding_gap: float
    cost_per_certified_learner: float  # NaN when nobody is certified within the horizon
    first_quarter: str
    last_quarter: str
    decision_quarter: str | None  # quarter public money joins (D); None when not approved
    horizon_quarters: int

    @property
    def public_money(self) -> float:
        """Government money (kept for older callers; international partners are not public money)."""
        return self.government_money

    @property
    def private_money(self) -> float:
        """Non-government money other than international partners."""
        return self.non_government_money - self.international_money


@dataclass(frozen=True)
class CriterionResult:
    milestone_id: str
    title: str
    metric_id: str
    target: float | None
    due_quarter: str
    modelled: bool
    met_quarter: str | None


@dataclass(frozen=True)
class GateResult:
    """When a phase's exit gate is met in a run, and how late against its due date."""

    phase_id: int
    next_phase_id: int
    due_quarter: str | None  # latest due quarter of its criteria (None: no criteria)
    met_quarter: str | None  # None: never within the horizon
    late_quarters: int | None  # met − due (negative: early); None when never met or no due date
    criteria: tuple[CriterionResult, ...]
    next_phase_shift: int  # quarters the next phase moved


@dataclass(frozen=True)
class ModelResult:
    """One run: per-quarter table, active hubs per province, funding (long), per-hub schedule, gates, summary."""

    scenario: Scenario
    release_id: str
    quarters: pd.DataFrame  # one row per quarter; columns in QUARTER_COLUMNS
    hubs_by_province: pd.DataFrame  # t, quarter, then one column of active hubs per province_id
    funding: pd.DataFrame  # t, quarter, track, phase_id, source_id, category, use, amount, planned, gap (PKR million)
    hubs: pd.DataFrame  # per hub: network order, planned / opening quarter, track, capex
    gates: tuple[GateResult, ...]
    summary: Summary
    missing_rules: tuple[tuple[str, str], ...]
    source_capacity: Mapping[str, float]  # yearly capacity per source used by the run (inf: none)


def run_model(release: Release | ModelInputs, scenario: Scenario) -> ModelResult:
    """Run one scenario over its horizon: the network, the gated schedule on the two tracks, costs, learners, money."""
    inputs = model_inputs(release)
    params = resolve_parameters(inputs, scenario)
    setup, idx = scenario_setup(inputs, scenario, params)
    gov = government_mask(inputs)
    actual = simulate(setup, central_samples(inputs, params), gov)
    plan = simulate(setup, central_samples(inputs, params, unlimited=True), gov)
    return _result(inputs, scenario, params, setup, idx, actual, plan)


def comparison_horizon(release: Release | ModelInputs, scenarios: tuple[Scenario, ...] | list[Scenario]) -> int:
    """One horizon (quarters) long enough for every scenario to reach steady state (docstring section 8).

    Each scenario is run at MAX_HORIZON; its steady quarter is its last opening plus its ramp-up and the longest
    certification lag, plus one year. The horizon is the latest of these, never shorter than the release's
    horizon_quarters and never longer than MAX_HORIZON. A scenario's own horizon_quarters is not used: the point is one
    horizon for every option compared."""
    inputs = model_inputs(release)
    horizon = int(inputs.params["horizon_quarters"][0]) if "horizon_quarters" in inputs.params else 32
    for s in scenarios:
        long = run_model(inputs, s.replace(horizon_quarters=MAX_HORIZON))
        opened = long.hubs["open_t"].dropna()
        last = int(opened.max()) if len(opened) else 0
        params = resolve_parameters(inputs, s)
        steady = last + int(math.ceil(params.ramp_quarters)) + int(params.lag.max()) + 4
        horizon = max(horizon, steady)
    return int(min(horizon, MAX_HORIZON))


def _result(inputs: ModelInputs, scenario: Scenario, params: Parameters, setup: Setup, idx: np.ndarray, out: Outcome, plan: Outcome) -> ModelResult:
    horizon = params.horizon
    labels, quarter_dtype = quarter_axis(scenario.start_quarter, horizon)
    open_t = out.open_t[0]
    track = out.track[0]
    opened = open_t >= 0
    paid = out.spend[0]  # [T, track, phase, use, src]
    planned_paid = plan.spend[0]
    by_use = out.cost[0].sum(axis=(1, 2))  # [T, use]
    by_source = paid.sum(axis=(1, 2, 3))  # [T, src]
    gap_src = np.maximum(0.0, planned_paid.sum(axis=(1, 2, 3)) - by_source)  # [T, src]
    unassigned = np.maximum(0.0, by_use.sum(axis=1) - out.need[0].sum(axis=(1, 2, 3, 4)))  # cost no funding rule assigns
    capex = by_use[:, :2].sum(axis=1)
    opex = by_use[:, 2:].sum(axis=1)
    total = capex + opex
    cum_cost = total.cumsum()
    certified = out.certified[0]
    cum_cert = certified.cumsum()
    with np.errstate(divide="ignore", invalid="ignore"):
        per_certified = np.where(cum_cert > 0, cum_cost / np.where(cum_cert > 0, cum_cert, 1), np.nan)
    when = open_t[opened]
    opened_per_q = np.bincount(when, minlength=horizon)[:horizon]
    by_track = np.zeros((2, horizon))
    for k in (0, 1):
        by_track[k] = np.bincount(when[track[opened] == k], minlength=horizon)[:horizon].cumsum()
    prov = inputs.province_idx[idx][opened]
    n_prov = len(inputs.province_ids)
    province = np.bincount(prov * horizon + when, minlength=n_prov * horizon).reshape(n_prov, horizon).cumsum(axis=1)
    capacity = np.bincount(when, weights=inputs.capacity[idx][opened], minlength=horizon)[:horizon].cumsum()
    category = np.array(inputs.source_category)
    gov = category == "government"
    intl = category == "international"
    cols: dict[str, Any] = {
        "t": np.arange(horizon),
        "quarter": labels,
        "hubs_opened": opened_per_q,
        "hubs_active": opened_per_q.cumsum(),
        "hubs_active_public_track": by_track[0],
        "hubs_active_private_track": by_track[1],
        "hubs_waiting": out.waiting[0],
        "capacity_per_year": capacity,
        "enrolled": out.enrolled[0],
        "enrolled_cum": out.enrolled[0].cumsum(),
        "certified": certified,
        "certified_cum": cum_cert,
    }
    cols.update({f"capex_{u}": by_use[:, i] for i, u in enumerate(CAPEX_USES)})
    cols["capex"] = capex
    cols.update({f"opex_{u}": by_use[:, 2 + i] for i, u in enumerate(OPEX_USES)})
    cols.update({"opex": opex, "cost": total, "cost_cum": cum_cost})
    cols.update({f"source_{s}": by_source[:, i] for i, s in enumerate(inputs.source_ids)})
    paid_track = paid.sum(axis=(2, 3, 4))  # [T, track]
    cols.update({"track_public": paid_track[:, 0], "track_private": paid_track[:, 1]})
    cols["government_money"] = by_source[:, gov].sum(axis=1)
    cols["non_government_money"] = by_source[:, ~gov].sum(axis=1)
    cols["international_money"] = by_source[:, intl].sum(axis=1)
    cols["funding_gap"] = gap_src.sum(axis=1) + unassigned
    cols["cost_per_certified"] = per_certified
    quarters = pd.DataFrame(cols)
    by_province = pd.DataFrame({"t": np.arange(horizon), "quarter": labels, **dict(zip(inputs.province_ids, province, strict=True))})
    funding = _funding_frame(inputs, quarter_dtype, paid, planned_paid)
    hubs = _hub_frame(inputs, params, setup, idx, out, scenario.start_quarter)
    gates = _gates(inputs, setup, out, labels, scenario.start_quarter)
    target = len(idx)
    complete = np.flatnonzero(cols["hubs_active"] >= target)
    cost = float(total.sum())
    cert = float(certified.sum())
    summary = Summary(
        hubs_at_end=int(cols["hubs_active"][-1]),
        hubs_by_province_at_end={p: int(province[i, -1]) for i, p in enumerate(inputs.province_ids)},
        hubs_in_network=target,
        network_complete_quarter=labels[int(complete[0])] if len(complete) else None,
        capacity_per_year_at_end=float(capacity[-1]),
        learners_enrolled=float(out.enrolled[0].sum()),
        learners_certified=cert,
        capex=float(capex.sum()),
        opex=float(opex.sum()),
        total_cost=cost,
        government_money=float(cols["government_money"].sum()),
        non_government_money=float(cols["non_government_money"].sum()),
        international_money=float(cols["international_money"].sum()),
        public_track_money=float(paid_track[:, 0].sum()),
        private_track_money=float(paid_track[:, 1].sum()),
        funding_gap=float(gap_src.sum() + unassigned.sum()),
        cost_per_certified_learner=cost / cert if cert > 0 else math.nan,
        first_quarter=labels[0],
        last_quarter=labels[-1],
        decision_quarter=None if math.isinf(scenario.decision_t) else quarter_label(quarter_index(labels[0]) + int(scenario.decision_t)),
        horizon_quarters=horizon,
    )
    capacity_map = MappingProxyType({s: float(c) for s, c in zip(inputs.source_ids, params.source_capacity, strict=True)})
    return ModelResult(scenario, inputs.release_id, quarters, by_province, funding, hubs, gates, summary, inputs.missing_rules, capacity_map)


def _funding_frame(inputs: ModelInputs, quarter_dtype: pd.CategoricalDtype, paid: np.ndarray, planned: np.ndarray) -> pd.DataFrame:
    """Long funding: every (track, phase, use, source) with a non-zero share, every quarter: paid, planned, gap."""
    used = (np.abs(paid).sum(axis=0) > 1e-12) | (np.abs(planned).sum(axis=0) > 1e-12)
    combos = np.unique(np.vstack([inputs.funding_combos, np.argwhere(used)]), axis=0)  # [track, phase, use, source]
    horizon = paid.shape[0]
    n = len(combos)
    amounts = paid[:, combos[:, 0], combos[:, 1], combos[:, 2], combos[:, 3]].T  # [combo, t]
    plan = planned[:, combos[:, 0], combos[:, 1], combos[:, 2], combos[:, 3]].T
    t = np.tile(np.arange(horizon), n)
    d = inputs.dtypes
    category_codes = np.array([CATEGORIES.index(c) for c in inputs.source_category])[combos[:, 3]]
    return pd.DataFrame(
        {
            "t": t,
            "quarter": pd.Categorical.from_codes(t, dtype=quarter_dtype),
            "track": pd.Categorical.from_codes(np.repeat(combos[:, 0], horizon), dtype=d["track"]),
            "phase_id": pd.Categorical.from_codes(np.repeat(combos[:, 1], horizon), dtype=d["phase_id"]),
            "source_id": pd.Categorical.from_codes(np.repeat(combos[:, 3], horizon), dtype=d["source_id"]),
            "category": pd.Categorical.from_codes(np.repeat(category_codes, horizon), dtype=d["category"]),
            "use": pd.Categorical.from_codes(np.repeat(combos[:, 2], horizon), dtype=d["use"]),
            "amount": amounts.reshape(-1),
            "planned": plan.reshape(-1),
            "gap": _gap_by_combo(combos, amounts, plan, paid, planned).reshape(-1),
        }
    )


def _gap_by_combo(combos: np.ndarray, amounts: np.ndarray, plan: np.ndarray, paid: np.ndarray, planned: np.ndarray) -> np.ndarray:
    """The funding gap (section 7: per source and quarter) spread over that source's rows in proportion to their shortfall."""
    short = np.maximum(0.0, plan - amounts)  # [combo, t]
    gap_ts = np.maximum(0.0, planned.sum(axis=(1, 2, 3)) - paid.sum(axis=(1, 2, 3)))  # [t, source]
    src = combos[:, 3]
    short_ts = np.zeros_like(gap_ts)
    np.add.at(short_ts.T, src, short)  # [t, source] sum of the rows' shortfalls
    ratio = np.divide(gap_ts, short_ts, out=np.zeros_like(gap_ts), where=short_ts > 0)
    return short * ratio.T[src]


def _hub_frame(inputs: ModelInputs, params: Parameters, setup: Setup, idx: np.ndarray, out: Outcome, start: str) -> pd.DataFrame:
    n = inputs.n_hubs
    in_network = np.zeros(n, dtype=bool)
    in_network[idx] = True
    planned = np.full(n, -1, dtype=np.int64)
    planned[idx] = setup.planned + out.shift[0][setup.phase]
    open_t = np.full(n, -1, dtype=np.int64)
    open_t[idx] = out.open_t[0]
    track = np.full(n, -1, dtype=np.int64)
    track[idx] = out.track[0]
    opened = open_t >= 0
    last = max(int(planned.max()) if len(idx) else 0, params.horizon) + 1
    _, quarters = quarter_axis(start, last)
    return pd.DataFrame(
        {
            **inputs.hub_columns,
            "in_network": in_network,
            "planned_t": pd.arrays.IntegerArray(np.where(planned >= 0, planned, 0), planned < 0),
            "planned_quarter": pd.Categorical.from_codes(np.where(planned >= 0, planned, -1), dtype=quarters),
            "open_t": pd.arrays.IntegerArray(np.where(opened, open_t, 0), ~opened),
            "open_quarter": pd.Categorical.from_codes(np.where(opened, open_t, -1), dtype=quarters),
            "track": pd.Categorical.from_codes(track, dtype=inputs.dtypes["track"]),
            "capex": params.capex[inputs.type_idx],
            "opex_per_quarter": params.opex_per_quarter[inputs.type_idx],
        }
    )


def _gates(inputs: ModelInputs, setup: Setup, out: Outcome, labels: tuple[str, ...], start: str) -> tuple[GateResult, ...]:
    first = quarter_index(start)
    result = []
    for gi, g in enumerate(setup.gates):
        phase_id = inputs.phase_ids[g.phase]
        crits = inputs.criteria.get(phase_id, ())
        met = int(out.gate_met[0, gi])
        rows = []
        for c_i, c in enumerate(crits):
            cm = int(out.criterion_met[gi][0, c_i])
            rows.append(
                CriterionResult(
                    c.milestone_id, c.title, c.metric_id, c.target, c.due_quarter, c.metric_id != "not_modelled", quarter_label(first + cm) if cm >= 0 else None
                )
            )
        due = max((quarter_index(c.due_quarter) for c in crits), default=None)
        met_q = None if met == -1 else (labels[0] if met == -2 else quarter_label(first + met))
        late = None if (met == -1 or due is None) else (max(met, 0) + first) - due
        result.append(
            GateResult(
                phase_id, inputs.phase_ids[g.phase + 1], None if due is None else quarter_label(due), met_q, late, tuple(rows), int(out.shift[0, g.phase + 1])
            )
        )
    return tuple(result)


__all__ = [
    "APPLIED_RULE_TOPICS",
    "CATEGORIES",
    "DECISIONS",
    "QUARTER_COLUMNS",
    "SECTORS",
    "TRACKS",
    "USES",
    "CriterionResult",
    "GateResult",
    "Levers",
    "ModelInputs",
    "ModelResult",
    "Parameters",
    "Scenario",
    "Summary",
    "allocate_network",
    "central_samples",
    "comparison_horizon",
    "model_inputs",
    "network_mask",
    "network_order",
    "overrides_of",
    "planned_quarters",
    "quarter_index",
    "quarter_axis",
    "quarter_label",
    "resolve_parameters",
    "run_model",
    "scenario_from_option",
    "scenario_setup",
    "source_capacities",
]
