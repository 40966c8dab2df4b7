"""Rollout model: what a rollout option means quarter by quarter — hubs, learners, costs and who pays.

Why it exists: the Options and Compare pages show how the proposal unfolds under a public funding
decision (on time, delayed, not approved), a network size and a pace. This module turns a release
(hubs.csv, assumptions.csv, funding_rules.csv, …) and a `Scenario` into a `ModelResult`. It is pure
Python (numpy + pandas, never Streamlit), deterministic, and fast enough to rerun on every lever move
(`ModelInputs` holds what depends on the release only and is built once per release). This docstring
is the model's methodology: every formula the code uses is written here.

Conventions
-----------
* Money is in PKR million, nominal (no inflation, no discounting). Time is in quarters: t = 0 is the
  scenario's start_quarter and the horizon is t = 0 … T−1, T = horizon_quarters.
* A parameter is the release's central `value` in assumptions.csv unless the scenario overrides it.

1. The network (which hubs)
   Hubs are ordered by (phase_id, planned launch_quarter, hub_id in natural order: karachi-2 before
   karachi-10). An option's network is the first hub_target hubs of that order; hub_target must be at
   least the number of hubs of the first phase, so the first phase (in 1.0.0 the 12 Karachi hubs) is
   always included. A smaller network keeps the hubs hubs.csv plans first (in 1.0.0 a 60-hub network
   takes 20 Phase-3 hubs, all in Punjab, the province whose TVET hubs are scheduled first).

2. Planned schedule (pace)
   offset_h = launch_quarter_h − (earliest launch_quarter in hubs.csv), in quarters.
   s_h = ⌊offset_h / pace + ½⌋ (rounded half up): the hub is planned to open in quarter t = s_h.
   pace > 1 compresses the plan, pace < 1 stretches it; pace = 1 is hubs.csv's own timetable.

3. Who opens each hub, and when (the public funding decision)
   Decision quarter D: on_time → D = 0; delayed → D = N = delay_quarters; not_approved → never
   (D = ∞, delay_quarters is ignored). For on_time, N is taken as 0 whatever delay_quarters says.
   Private track, quarters t < D only. Capacity c = private_capacity / 4 per quarter, for everything
   the private track spends (all its sources, fees included); capacity not spent is carried to the
   next quarter. Hubs are taken in network order, none before its planned
   quarter s_h, none ahead of an earlier hub (no overtaking). In quarter t:
       A = carry + c − O          (O = quarterly opex of the hubs the private track already runs:
                                   running costs are paid first)
       the next hub h opens in t if  s_h ≤ t,  O + o_h ≤ c  and  capex_h + o_h ≤ A
       (o_h = its quarterly opex; the second condition keeps the running costs of every private-track
       hub within the yearly capacity, so a hub once opened is always paid for); then
       A ← A − capex_h − o_h, O ← O + o_h, and the next hub is tried;  carry ← A.
   Public track: every network hub the private track has not opened before D opens at s_h + N —
   the planned timetable moved N quarters later. The public track has no spending cap.
   A hub stays on the track that opened it for the whole horizon (the private track keeps running
   the hubs it opened). A hub whose opening quarter is ≥ T does not open within the horizon.

   The delay property (tested). A track's *series* is, quarter by quarter, the hubs open on that
   track (hubs_active_<track>_track) and the funding through it by source and use (the rows of
   ModelResult.funding with that `track`); it is the cost of that track's hubs split by the shares.
   With every other lever equal, a delay of N quarters:
   * shifts the public-track series by exactly N quarters: each public-track hub opens N quarters
     later than in the on-time option, and the public-track series in quarter t equals, in quarter
     t − N, the on-time series of the same hubs (zero before N, cut at the horizon);
   * leaves the private-track series unchanged: the private track opens exactly the hubs the
     private-only (not approved) option opens before D, in the same quarters, and its series equals
     the private-only series of those hubs over the whole horizon; before D the whole result
     (every column) equals the private-only result.

4. Learners
   q_h = learner_capacity_per_year_h / 4 (learners a quarter at full capacity, hubs.csv).
   Ramp-up after opening: r(k) = min(1, max(0, (k + 1) / R)), k = t − open_h, R = ramp_quarters:
   1/R of capacity in the opening quarter (k = 0), full capacity from the R-th quarter open.
   enrolled_t  = Σ_h q_h · r(t − open_h)
   certified_t = completion_rate · certification_rate · Σ_h q_h · r(t − open_h − L_h):
   learners are certified L_h quarters after they enrol, with L_h the lag of the hub's type:
   L_type = ⌊W_type / 13 + ½⌋, W_type = seat-weighted mean duration in weeks of the programmes the
   type offers (programme_offers.seats_per_year × programmes.duration_weeks); 1.0.0 gives 2, 2 and
   1 quarters (flagship, standard, TVET-embedded). Cumulative enrolled and certified are running sums.
   capacity_per_year_t = Σ learner_capacity_per_year of the hubs open in t (installed, before ramp-up).

5. Costs (by hub type, via hub_types.csv capex_param / opex_param)
   capex_h = capex_<type> · capex_multiplier, all spent in the opening quarter:
       compute = capex_h · compute_share_<type>,  infrastructure = capex_h − compute
       (compute_share_X pairs with the type's capex_param capex_X: hub_types.csv names no
       compute-share parameter).
   o_h = opex_<type> · opex_multiplier / 4 in every quarter from the opening quarter on, split
       instructors / programmes / operations in proportion to opex_share_instructors /
       opex_share_programmes / opex_share_operations (divided by their sum, so the split is whole).
   cost_t = capex_t + opex_t.

6. Funding
   The cost of use u of a hub of phase p opened by track k is paid by source s in the share
   share(k, p, u, s) of funding_rules.csv: funding_{t,k,s,u} = Σ_hubs cost_{h,t,u} · share(k, p_h, u, s).
   funding_gap_t = cost_t − Σ_s funding_{t,s}. The validator makes the shares of every (track, phase,
   use) sum to 1, so the gap is 0 unless a release has no rule for a combination the model needs.
   Public / private money: the funding of sources whose funding_sources.sector is public / private.
   Public-track / private-track money: the funding through each track (section 3).
   Note: "international" is a public-sector source that the private-track rules also draw on, so
   public money is not zero when public funding is not approved; what is zero then is the
   public-track money, and with it every public-sector source no private-track rule uses (in 1.0.0
   the federal and provincial budgets: the Government's own money).

7. Cost per certified learner
   cost_per_certified_t = cumulative cost_t / cumulative certified_t (NaN before the first
   certification). The summary divides the horizon's whole cost by the learners certified by its end.

Not modelled: phase-exit gating (phase 2 waits for phase 1's exit criteria), inflation, closures.
launch_interval_quarters (assumptions.csv) is not used: hubs.csv already gives each hub's launch
quarter, and pace is the lever that compresses or stretches that timetable.
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

from pakcoe.release import Release

DECISIONS = ("on_time", "delayed", "not_approved")
# Topics of a release's rules.csv that this model applies (section 3: the private track's pace). The track switch,
# handover, gate failure, town selection (a data rule, checked by the validator) and funding shortfall are not modelled.
APPLIED_RULE_TOPICS = ("private_pace",)
TRACKS = ("public", "private")
SECTORS = ("public", "private")
USES = ("infrastructure", "compute", "instructors", "programmes", "operations")
CAPEX_USES = USES[:2]
OPEX_USES = USES[2:]
OPEX_SHARE_PARAMS = tuple(f"opex_share_{u}" for u in OPEX_USES)
WEEKS_PER_QUARTER = 13
NOT_OPEN = -1  # open_t of a hub that does not open within the horizon
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
    "source_<source_id>": "Funding from one source (funding_sources.csv), PKR million",
    "track_public": "Funding through the public track, PKR million",
    "track_private": "Funding through the private track, PKR million",
    "sector_public": "Funding from public-sector sources, PKR million",
    "sector_private": "Funding from private-sector sources, PKR million",
    "funding_gap": "Cost not covered by any source, PKR million",
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


@dataclass(frozen=True, eq=False)
class ModelInputs:
    """Per-release constants, built once and reused by every scenario (arrays are in network order)."""

    release_id: str
    hubs: pd.DataFrame  # hub_id, name, province_id, phase_id, hub_type, launch_quarter (network order)
    province_ids: tuple[str, ...]
    phase_ids: tuple[int, ...]
    type_ids: tuple[str, ...]
    source_ids: tuple[str, ...]
    source_public: np.ndarray  # bool per source: funding_sources.sector == "public"
    province_idx: np.ndarray
    phase_idx: np.ndarray
    type_idx: np.ndarray
    capacity: np.ndarray  # learners per year per hub
    planned_offset: np.ndarray  # quarters after the earliest launch quarter
    type_capex_param: tuple[str, ...]
    type_opex_param: tuple[str, ...]
    type_lag: np.ndarray  # certification lag (quarters) per type
    min_hub_target: int  # hubs of the first phase
    shares: np.ndarray  # [track, phase, use, source]
    funding_combos: np.ndarray  # rows (track, use, source) with a non-zero share in some phase
    params: Mapping[str, tuple[float, float, float]]  # param_id -> (value, low, high)
    options: Mapping[str, Mapping[str, Any]]
    hub_columns: Mapping[str, Any]  # the static columns of ModelResult.hubs, ready for pandas
    dtypes: Mapping[str, pd.CategoricalDtype]  # track, source_id, sector, use of ModelResult.funding

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
        return cls(
            release_id=release.id,
            hubs=shown,
            province_ids=provinces,
            phase_ids=phases,
            type_ids=type_ids,
            source_ids=source_ids,
            source_public=(sources["sector"] == "public").to_numpy(bool),
            province_idx=np.array([provinces.index(p) for p in hubs["province_id"]], dtype=np.int64),
            phase_idx=np.array([phases.index(int(p)) for p in hubs["phase_id"]], dtype=np.int64),
            type_idx=np.array([type_ids.index(h) for h in hubs["hub_type"]], dtype=np.int64),
            capacity=hubs["learner_capacity_per_year"].to_numpy(float),
            planned_offset=(hubs["_q"] - hubs["_q"].min()).to_numpy(np.int64),  # _q: quarter_index(launch_quarter)
            type_capex_param=tuple(str(x) for x in types["capex_param"]),
            type_opex_param=tuple(str(x) for x in types["opex_param"]),
            type_lag=_certification_lags(t, type_ids),
            min_hub_target=int((hubs["phase_id"] == first_phase).sum()),
            shares=shares,
            funding_combos=combos,
            params=MappingProxyType(params),
            options=_options(t.get("options")),
            hub_columns=MappingProxyType({c: shown[c].array for c in shown.columns}),
            dtypes=MappingProxyType(
                {name: _categories(values) for name, values in (("track", TRACKS), ("source_id", source_ids), ("sector", SECTORS), ("use", USES))}
            ),
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


def _share_tensor(rules: pd.DataFrame, phases: tuple[int, ...], sources: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """shares[track, phase, use, source] from funding_rules.csv (0 where no rule), and the named combos."""
    shares = np.zeros((len(TRACKS), len(phases), len(USES), len(sources)))
    for r in rules.itertuples(index=False):
        if r.track in TRACKS and int(r.phase_id) in phases and r.use in USES and r.source_id in sources:
            shares[TRACKS.index(r.track), phases.index(int(r.phase_id)), USES.index(r.use), sources.index(r.source_id)] += float(r.share)
    named = shares.sum(axis=1) > 0  # [track, use, source]
    return shares, np.argwhere(named)


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

    A keyword is a Scenario field (pace=1.5, capex_multiplier=1.2, private_capacity=4000, …) or any
    other assumption's param_id (capex_flagship=300), which goes to Scenario.params.
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
    private_per_quarter: float
    horizon: int
    lag: np.ndarray


def resolve_parameters(inputs: ModelInputs, scenario: Scenario) -> Parameters:
    """Apply the scenario's overrides to the release's central values, and check the levers."""
    _check_scenario(inputs, scenario)
    over = dict(scenario.params)
    for name in _NAMED_PARAMS:
        value = getattr(scenario, name)
        if value is not None:
            over[name] = float(value)
    unknown = [p for p in over if p not in inputs.params]
    if unknown:
        raise ValueError(f"unknown assumption(s): {', '.join(unknown)}")

    def p(name: str) -> float:
        if name in over:
            return float(over[name])
        if name not in inputs.params:
            raise ValueError(f"assumptions.csv has no parameter {name!r}, which the model needs")
        return inputs.params[name][0]

    types = range(len(inputs.type_ids))
    split = np.array([p(n) for n in OPEX_SHARE_PARAMS])
    if (split < 0).any() or split.sum() <= 0:
        raise ValueError("opex shares must be non-negative and not all zero")
    compute = np.array([p(f"compute_share_{_type_suffix(inputs.type_capex_param[i])}") for i in types])
    horizon = int(p("horizon_quarters"))
    values = {
        "completion_rate": p("completion_rate"),
        "certification_rate": p("certification_rate"),
        "ramp_quarters": p("ramp_quarters"),
        "private_capacity": p("private_capacity"),
    }
    _check_ranges(values, compute, horizon)
    lag_over = scenario.certification_lag_quarters
    return Parameters(
        capex=np.array([p(inputs.type_capex_param[i]) for i in types]) * scenario.capex_multiplier,
        compute_share=compute,
        opex_per_quarter=np.array([p(inputs.type_opex_param[i]) for i in types]) * scenario.opex_multiplier / 4,
        opex_split=split / split.sum(),
        completion_rate=values["completion_rate"],
        certification_rate=values["certification_rate"],
        ramp_quarters=values["ramp_quarters"],
        private_per_quarter=values["private_capacity"] / 4,
        horizon=horizon,
        lag=inputs.type_lag if lag_over is None else np.full(len(inputs.type_ids), int(lag_over)),
    )


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
    if horizon < 1:
        raise ValueError("horizon_quarters must be at least 1")


# ---------------------------------------------------------------------------------------------------
# Step 1: schedule (docstring sections 1-3)


@dataclass(frozen=True)
class Schedule:
    """Which hubs open when and on which track; arrays in network order (ModelInputs.hubs)."""

    in_network: np.ndarray  # bool: among the first hub_target hubs
    planned_t: np.ndarray  # s_h
    open_t: np.ndarray  # opening quarter, NOT_OPEN when it does not open within the horizon
    track: np.ndarray  # 0 public, 1 private, -1 not open


def planned_quarters(inputs: ModelInputs, pace: float) -> np.ndarray:
    """s_h = round-half-up(offset_h / pace)."""
    return _round_half_up(inputs.planned_offset / pace)


def schedule_hubs(inputs: ModelInputs, scenario: Scenario, params: Parameters) -> Schedule:
    """Sections 1-3 of the docstring: the network, the planned quarters, the private then public track."""
    n = inputs.n_hubs
    horizon = params.horizon
    in_network = np.arange(n) < int(scenario.hub_target)
    planned = planned_quarters(inputs, scenario.pace)
    open_t = np.full(n, NOT_OPEN, dtype=np.int64)
    track = np.full(n, -1, dtype=np.int64)
    decision = scenario.decision_t
    capex_h = params.capex[inputs.type_idx]
    opex_h = params.opex_per_quarter[inputs.type_idx]
    k = _private_track(planned, capex_h, opex_h, int(scenario.hub_target), params.private_per_quarter, int(min(decision, horizon)), open_t)
    track[:k] = 1
    if math.isfinite(decision):
        public = np.arange(n)[k : int(scenario.hub_target)]
        when = planned[public] + scenario.effective_delay
        ok = when < horizon
        open_t[public[ok]] = when[ok]
        track[public[ok]] = 0
    return Schedule(in_network, planned, open_t, track)


def _private_track(planned: np.ndarray, capex: np.ndarray, opex: np.ndarray, target: int, per_quarter: float, until: int, open_t: np.ndarray) -> int:
    """The private track's openings in quarters 0 … until−1 (written into open_t); returns how many."""
    k, carry, running = 0, 0.0, 0.0
    planned_l, capex_l, opex_l = planned.tolist(), capex.tolist(), opex.tolist()
    for t in range(until):
        available = carry + per_quarter - running
        while k < target and planned_l[k] <= t:
            need = capex_l[k] + opex_l[k]
            if running + opex_l[k] > per_quarter + _EPS or need > available + _EPS:
                break
            open_t[k] = t
            available -= need
            running += opex_l[k]
            k += 1
        carry = available
    return k


# ---------------------------------------------------------------------------------------------------
# Step 2: evaluate a schedule (docstring sections 4-7)


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
    public_money: float  # public-sector sources
    private_money: float  # private-sector sources
    public_track_money: float
    private_track_money: float
    funding_gap: float
    cost_per_certified_learner: float  # NaN when nobody is certified within the horizon
    first_quarter: str
    last_quarter: str
    decision_quarter: str | None  # quarter public money joins (D); None when not approved


@dataclass(frozen=True)
class ModelResult:
    """One run: per-quarter table, active hubs per province, funding (long), per-hub schedule, summary."""

    scenario: Scenario
    release_id: str
    quarters: pd.DataFrame  # one row per quarter; columns in QUARTER_COLUMNS
    hubs_by_province: pd.DataFrame  # t, quarter, then one column of active hubs per province_id
    funding: pd.DataFrame  # t, quarter, track, source_id, sector, use, amount (PKR million)
    hubs: pd.DataFrame  # per hub: network order, planned / opening quarter, track, capex
    summary: Summary


def evaluate(inputs: ModelInputs, scenario: Scenario, params: Parameters, schedule: Schedule) -> ModelResult:
    """Learners, costs and funding of a schedule (sections 4-7), as a ModelResult."""
    horizon = params.horizon
    labels, quarter_dtype = quarter_axis(scenario.start_quarter, horizon)
    open_mask = schedule.open_t >= 0
    hubs = np.flatnonzero(open_mask)
    when = schedule.open_t[hubs]
    cost = _costs(inputs, params, hubs, when, schedule.track[hubs], horizon)  # [track, phase, t, use]
    funding = np.einsum("kptu,kpus->ktus", cost, inputs.shares)  # [track, t, use, source]
    learners = _learners(inputs, params, hubs, when, horizon)
    active = _active(inputs, hubs, when, schedule.track[hubs], horizon)
    columns = _quarter_columns(inputs, labels, cost, funding, learners, active)
    quarters = pd.DataFrame(columns)
    by_province = pd.DataFrame({"t": np.arange(horizon), "quarter": labels, **dict(zip(inputs.province_ids, active["province"], strict=True))})
    long = _funding_frame(inputs, quarter_dtype, funding)
    hub_frame = _hub_frame(inputs, params, schedule, scenario.start_quarter)
    summary = _summary(inputs, scenario, columns, active, labels)
    return ModelResult(scenario, inputs.release_id, quarters, by_province, long, hub_frame, summary)


def _costs(inputs: ModelInputs, params: Parameters, hubs: np.ndarray, when: np.ndarray, track: np.ndarray, horizon: int) -> np.ndarray:
    """cost[track, phase, t, use] in PKR million (section 5)."""
    n_phase = len(inputs.phase_ids)
    groups = len(TRACKS) * n_phase
    flat = (track * n_phase + inputs.phase_idx[hubs]) * horizon + when
    type_idx = inputs.type_idx[hubs]
    capex = params.capex[type_idx]
    compute = capex * params.compute_share[type_idx]
    size = groups * horizon
    out = np.empty((groups, horizon, len(USES)))
    out[:, :, 0] = np.bincount(flat, weights=capex - compute, minlength=size).reshape(groups, horizon)
    out[:, :, 1] = np.bincount(flat, weights=compute, minlength=size).reshape(groups, horizon)
    opex_rate = np.bincount(flat, weights=params.opex_per_quarter[type_idx], minlength=size).reshape(groups, horizon).cumsum(axis=1)
    out[:, :, 2:] = opex_rate[:, :, None] * params.opex_split
    return out.reshape(len(TRACKS), n_phase, horizon, len(USES))


def _ramp(k: np.ndarray, ramp_quarters: float) -> np.ndarray:
    """r(k) = min(1, max(0, (k + 1) / R))."""
    return np.clip((k + 1) / ramp_quarters, 0.0, 1.0)


def _learners(inputs: ModelInputs, params: Parameters, hubs: np.ndarray, when: np.ndarray, horizon: int) -> dict[str, np.ndarray]:
    """Enrolled and certified learners per quarter, and installed capacity (section 4)."""
    per_quarter = inputs.capacity[hubs] / 4
    since = np.arange(horizon)[None, :] - when[:, None]
    enrolled = per_quarter @ _ramp(since, params.ramp_quarters)
    lag = params.lag[inputs.type_idx[hubs]]
    rate = params.completion_rate * params.certification_rate
    certified = rate * (per_quarter @ _ramp(since - lag[:, None], params.ramp_quarters))
    capacity = np.bincount(when, weights=inputs.capacity[hubs], minlength=horizon).cumsum()
    return {"enrolled": enrolled, "certified": certified, "capacity": capacity}


def _active(inputs: ModelInputs, hubs: np.ndarray, when: np.ndarray, track: np.ndarray, horizon: int) -> dict[str, np.ndarray]:
    """Hubs opened and open per quarter, in total, per track and per province."""
    n_prov = len(inputs.province_ids)
    opened = np.bincount(when, minlength=horizon)
    by_track = np.bincount(track * horizon + when, minlength=len(TRACKS) * horizon).reshape(len(TRACKS), horizon).cumsum(axis=1)
    province = np.bincount(inputs.province_idx[hubs] * horizon + when, minlength=n_prov * horizon).reshape(n_prov, horizon).cumsum(axis=1)
    return {"opened": opened, "active": opened.cumsum(), "track": by_track, "province": province}


def _quarter_columns(inputs: ModelInputs, labels: tuple[str, ...], cost: np.ndarray, funding: np.ndarray, learners: dict, active: dict) -> dict[str, Any]:
    """The columns of ModelResult.quarters (QUARTER_COLUMNS), as arrays."""
    by_use = cost.sum(axis=(0, 1))  # [t, use]
    by_source = funding.sum(axis=(0, 2))  # [t, source]
    capex = by_use[:, :2].sum(axis=1)
    opex = by_use[:, 2:].sum(axis=1)
    total = capex + opex
    cum_cost = total.cumsum()
    cum_cert = learners["certified"].cumsum()
    with np.errstate(divide="ignore", invalid="ignore"):
        per_certified = np.where(cum_cert > 0, cum_cost / np.where(cum_cert > 0, cum_cert, 1), np.nan)
    cols: dict[str, Any] = {
        "t": np.arange(len(labels)),
        "quarter": labels,
        "hubs_opened": active["opened"],
        "hubs_active": active["active"],
        "hubs_active_public_track": active["track"][0],
        "hubs_active_private_track": active["track"][1],
        "capacity_per_year": learners["capacity"],
        "enrolled": learners["enrolled"],
        "enrolled_cum": learners["enrolled"].cumsum(),
        "certified": learners["certified"],
        "certified_cum": cum_cert,
    }
    cols.update({f"capex_{u}": by_use[:, i] for i, u in enumerate(CAPEX_USES)})
    cols["capex"] = capex
    cols.update({f"opex_{u}": by_use[:, 2 + i] for i, u in enumerate(OPEX_USES)})
    cols.update({"opex": opex, "cost": total, "cost_cum": cum_cost})
    cols.update({f"source_{s}": by_source[:, i] for i, s in enumerate(inputs.source_ids)})
    by_track = funding.sum(axis=(2, 3))
    cols.update({"track_public": by_track[0], "track_private": by_track[1]})
    cols["sector_public"] = by_source[:, inputs.source_public].sum(axis=1)
    cols["sector_private"] = by_source[:, ~inputs.source_public].sum(axis=1)
    cols["funding_gap"] = total - by_source.sum(axis=1)
    cols["cost_per_certified"] = per_certified
    return cols


def _funding_frame(inputs: ModelInputs, quarter_dtype: pd.CategoricalDtype, funding: np.ndarray) -> pd.DataFrame:
    """Long funding: every (track, use, source) with a non-zero share in some phase, every quarter."""
    combos = inputs.funding_combos
    horizon = funding.shape[1]
    n = len(combos)
    amounts = funding[combos[:, 0], :, combos[:, 1], combos[:, 2]]  # [combo, t]
    t = np.tile(np.arange(horizon), n)
    sector = np.where(inputs.source_public[combos[:, 2]], 0, 1)
    d = inputs.dtypes
    return pd.DataFrame(
        {
            "t": t,
            "quarter": pd.Categorical.from_codes(t, dtype=quarter_dtype),
            "track": pd.Categorical.from_codes(np.repeat(combos[:, 0], horizon), dtype=d["track"]),
            "source_id": pd.Categorical.from_codes(np.repeat(combos[:, 2], horizon), dtype=d["source_id"]),
            "sector": pd.Categorical.from_codes(np.repeat(sector, horizon), dtype=d["sector"]),
            "use": pd.Categorical.from_codes(np.repeat(combos[:, 1], horizon), dtype=d["use"]),
            "amount": amounts.reshape(-1),
        }
    )


def _hub_frame(inputs: ModelInputs, params: Parameters, schedule: Schedule, start: str) -> pd.DataFrame:
    opened = schedule.open_t >= 0
    _, quarters = quarter_axis(start, max(int(schedule.planned_t.max()), params.horizon) + 1)
    return pd.DataFrame(
        {
            **inputs.hub_columns,
            "in_network": schedule.in_network,
            "planned_t": schedule.planned_t,
            "planned_quarter": pd.Categorical.from_codes(schedule.planned_t, dtype=quarters),
            "open_t": pd.arrays.IntegerArray(np.where(opened, schedule.open_t, 0), ~opened),
            "open_quarter": pd.Categorical.from_codes(np.where(opened, schedule.open_t, -1), dtype=quarters),
            "track": pd.Categorical.from_codes(schedule.track, dtype=inputs.dtypes["track"]),
            "capex": params.capex[inputs.type_idx],
            "opex_per_quarter": params.opex_per_quarter[inputs.type_idx],
        }
    )


def _summary(inputs: ModelInputs, scenario: Scenario, q: Mapping[str, Any], active: dict, labels: tuple[str, ...]) -> Summary:
    def total(column: str) -> float:
        return float(np.sum(q[column]))

    cost = total("cost")
    certified = total("certified")
    target = int(scenario.hub_target)
    complete = np.flatnonzero(active["active"] >= target)
    return Summary(
        hubs_at_end=int(active["active"][-1]),
        hubs_by_province_at_end={p: int(active["province"][i, -1]) for i, p in enumerate(inputs.province_ids)},
        hubs_in_network=target,
        network_complete_quarter=labels[int(complete[0])] if len(complete) else None,
        capacity_per_year_at_end=float(q["capacity_per_year"][-1]),
        learners_enrolled=total("enrolled"),
        learners_certified=certified,
        capex=total("capex"),
        opex=total("opex"),
        total_cost=cost,
        public_money=total("sector_public"),
        private_money=total("sector_private"),
        public_track_money=total("track_public"),
        private_track_money=total("track_private"),
        funding_gap=total("funding_gap"),
        cost_per_certified_learner=cost / certified if certified > 0 else math.nan,
        first_quarter=labels[0],
        last_quarter=labels[-1],
        decision_quarter=None if math.isinf(scenario.decision_t) else quarter_label(quarter_index(labels[0]) + int(scenario.decision_t)),
    )


# ---------------------------------------------------------------------------------------------------
# Entry point


def run_model(release: Release | ModelInputs, scenario: Scenario) -> ModelResult:
    """Run one scenario over the horizon: schedule the hubs, then cost, staff and fund them."""
    inputs = model_inputs(release)
    params = resolve_parameters(inputs, scenario)
    return evaluate(inputs, scenario, params, schedule_hubs(inputs, scenario, params))


__all__ = [
    "DECISIONS",
    "QUARTER_COLUMNS",
    "SECTORS",
    "TRACKS",
    "USES",
    "Levers",
    "ModelInputs",
    "ModelResult",
    "Parameters",
    "Scenario",
    "Schedule",
    "Summary",
    "evaluate",
    "model_inputs",
    "network_order",
    "planned_quarters",
    "quarter_index",
    "quarter_axis",
    "quarter_label",
    "resolve_parameters",
    "run_model",
    "scenario_from_option",
    "schedule_hubs",
]
