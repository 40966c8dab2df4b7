"""The rollout model's simulation: quarter by quarter, for S parameter samples at once.

`pakcoe.model` documents the rules (its docstring is the methodology); this module carries them out with
numpy arrays whose first axis is the sample, so one central run (S = 1), the plan with unlimited money, 200
uncertainty samples and the one-at-a-time sensitivity runs all go through the same code.

Per quarter t:
 1. every source receives its quarterly income (government sources only from the decision quarter D): the
    capital part (kappa * capacity / 4) is added to its capital account, which carries over; the running
    part ((1 - kappa) * capacity / 4) is that quarter's running budget, which does not;
 2. the running costs of the hubs already open are paid from the running budgets (a shortfall is money
    missing: it can only arise when private-track hubs move to public funding rules at the handover);
 3. hubs open in network order (no overtaking): the next hub opens when it is eligible (its planned
    quarter, moved by any late phase gate, has come; its phase's gate is met), its track's funding rules
    can pay its capital cost from every source's capital account, and every source's running budget can
    carry its running cost on top of the running costs already carried. Before the decision quarter D the
    private track opens hubs; from D the public track does, and when public money cannot pay a hub the
    private track may still open it (work goes on);
 4. learners certified in the quarter, and the metrics of the phase gates, are updated; a gate is met
    in the first quarter every one of its criteria is met, and the next phase's hubs may open from the
    following quarter (its timetable moves by the lateness).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TRACK_PUBLIC, TRACK_PRIVATE = 0, 1
N_USES = 5  # infrastructure, compute, instructors, programmes, operations
METRICS = ("hubs_open", "phase_hubs_open", "phase_flagships_open", "districts_reached", "provinces_reached", "learners_certified")
_EPS = 1e-9


@dataclass(frozen=True)
class Setup:
    """What one scenario fixes for every sample: the network, its timetable, the decision and the gates."""

    planned: np.ndarray  # [n] planned quarter (t) of each network hub, network order
    phase: np.ndarray  # [n] phase position (0 = first phase)
    hub_type: np.ndarray  # [n] type position
    flagship: np.ndarray  # [n] bool
    province: np.ndarray  # [n] province position
    district: np.ndarray  # [n] district position (province and district together)
    learners_q: np.ndarray  # [n] learners a quarter at full capacity
    lag: np.ndarray  # [n] certification lag in quarters
    n_phases: int
    n_provinces: int
    n_districts: int
    first_planned: np.ndarray  # [n_phases] first planned quarter of each phase in the network (large if none)
    decision: float  # D: quarter public money joins (inf: never)
    handover: int  # quarters after D before private-track hubs run under the public rules
    horizon: int
    gating: bool
    gates: tuple[GateSetup, ...]  # one per phase that has a next phase


@dataclass(frozen=True)
class GateSetup:
    """The exit criteria of one phase, as arrays (criteria the model does not compute carry their due quarter)."""

    phase: int  # phase position whose exit this is
    metric: np.ndarray  # [c] index into METRICS, -1: not modelled
    target: np.ndarray  # [c]
    due: np.ndarray  # [c] due quarter (t relative to the start)


@dataclass(frozen=True)
class Samples:
    """Parameter values of S runs (first axis S)."""

    capex: np.ndarray  # [S, types] PKR million
    compute_share: np.ndarray  # [S, types]
    opex_q: np.ndarray  # [S, types] PKR million a quarter
    opex_split: np.ndarray  # [S, 3] instructors, programmes, operations (sums to 1)
    rate: np.ndarray  # [S] completion x certification
    ramp: np.ndarray  # [S] quarters to full capacity
    capacity: np.ndarray  # [S, sources] PKR million a year (inf: no limit)
    capital_share: np.ndarray  # [S] kappa
    shares: np.ndarray  # [S, 2 tracks, phases, 5 uses, sources]

    @property
    def size(self) -> int:
        return int(self.rate.shape[0])


@dataclass(frozen=True)
class Outcome:
    """What a simulation produced, per sample."""

    open_t: np.ndarray  # [S, n] opening quarter, -1 when not open within the horizon
    track: np.ndarray  # [S, n] 0 public, 1 private, -1 not open
    cost: np.ndarray  # [S, T, 2 tracks, phases, 5 uses] what the open hubs cost, by funding track in force, hub phase and use
    need: np.ndarray  # [S, T, 2 tracks, phases, 5 uses, sources] that cost as the funding rules assign it to sources
    spend: np.ndarray  # [S, T, 2, phases, 5, sources] money actually paid
    certified: np.ndarray  # [S, T] learners certified in the quarter
    enrolled: np.ndarray  # [S, T]
    waiting: np.ndarray  # [S, T] hubs eligible but not opened for want of money at the end of the quarter
    gate_met: np.ndarray  # [S, gates] quarter the gate was met, -1 never (-2: met before the start)
    criterion_met: tuple[np.ndarray, ...]  # per gate [S, c] quarter each criterion was first met, -1 never
    shift: np.ndarray  # [S, phases] quarters each phase's timetable moved because of a late gate


def simulate(setup: Setup, p: Samples, government: np.ndarray | None = None, detail: bool = True) -> Outcome:
    """Run the quarter loop for every sample at once.

    `government` marks the sources that only the public track may draw on (from the decision quarter D);
    before D the private track's pool is every other source. Feasibility is pooled: a hub opens when the
    pool's capital accounts together cover its capital cost and the pool's running budgets together carry
    the running costs; who pays follows the funding rules' shares, and when a source has given all it
    can, the other sources of the pool cover its part in proportion to what they have left.

    detail=False skips who pays (need and spend are empty, cost is the total a quarter): the schedule, the
    gates and the learners are the same, because only the pools' totals decide them.
    """
    S, n, T = p.size, len(setup.planned), setup.horizon
    n_src = p.capacity.shape[1]
    P = setup.n_phases
    rows = np.arange(S)
    gov = np.zeros(n_src, dtype=bool) if government is None else np.asarray(government, dtype=bool)
    quarterly = p.capacity / 4.0
    unlimited = np.isinf(quarterly)
    capital_income = np.where(unlimited, np.inf, p.capital_share[:, None] * np.where(unlimited, 0.0, quarterly))
    run_budget = np.where(unlimited, np.inf, quarterly - np.where(unlimited, 0.0, capital_income))
    capital = np.zeros((S, n_src))
    opened = np.zeros((S, n), dtype=bool)
    open_t = np.full((S, n), -1, dtype=np.int64)
    track = np.full((S, n), -1, dtype=np.int64)
    nxt = np.zeros(S, dtype=np.int64)
    cost = np.zeros((S, T, 2, P, N_USES)) if detail else np.zeros((S, T, 1, 1, 1))
    need = np.zeros((S, T, 2, P, N_USES, n_src)) if detail else np.zeros((0,))
    spend = np.zeros_like(need)
    run_need = np.zeros((S, 2, P, 3, n_src)) if detail else np.zeros((0,))  # running cost a quarter of the open hubs, by track, phase, opex use, source
    run_cost = np.zeros((S, 2, P, 3))  # the same before it is assigned to sources
    run_load = np.zeros(S)  # (detail=False) running cost a quarter of the open hubs
    pool_capital = np.zeros(S)  # (detail=False) the pool's capital
    inc_n, inc_g = capital_income[:, ~gov].sum(axis=1), capital_income[:, gov].sum(axis=1)
    bud_n, bud_g = run_budget[:, ~gov].sum(axis=1), run_budget[:, gov].sum(axis=1)
    certified = np.zeros((S, T))
    enrolled = np.zeros((S, T))
    waiting = np.zeros((S, T), dtype=np.int64)
    shift = np.zeros((S, setup.n_phases), dtype=np.int64)
    n_gates = len(setup.gates)
    gate_met = np.full((S, n_gates), -1, dtype=np.int64)
    crit_met = [np.full((S, len(g.metric)), -1, dtype=np.int64) for g in setup.gates]
    phase_ok = np.ones((S, setup.n_phases), dtype=bool)
    if setup.gating:
        for gi, g in enumerate(setup.gates):
            phase_ok[:, g.phase + 1] = len(g.metric) == 0
            if len(g.metric) == 0:
                gate_met[:, gi] = -2
    capex_h = p.capex[:, setup.hub_type]
    compute_h = p.compute_share[:, setup.hub_type]
    opex_h = p.opex_q[:, setup.hub_type]
    onehot_phase = np.zeros((n, setup.n_phases), dtype=bool)
    onehot_phase[np.arange(n), setup.phase] = True
    onehot_district = np.zeros((n, max(setup.n_districts, 1)), dtype=bool)
    onehot_district[np.arange(n), setup.district] = True
    onehot_province = np.zeros((n, max(setup.n_provinces, 1)), dtype=bool)
    onehot_province[np.arange(n), setup.province] = True
    handover_t = setup.decision + setup.handover
    decision = setup.decision
    split = p.opex_split  # [S, 3]
    run = _Run(
        setup,
        p,
        rows,
        gov,
        capital,
        capital_income,
        run_budget,
        run_need,
        run_cost,
        cost,
        need,
        spend,
        opened,
        open_t,
        track,
        nxt,
        shift,
        phase_ok,
        capex_h,
        compute_h,
        opex_h,
        split,
        onehot_phase,
        handover_t,
        decision,
        pool_capital,
        run_load,
    )

    for t in range(T):
        public_now = t >= decision
        trk = TRACK_PUBLIC if public_now else TRACK_PRIVATE
        if not detail:
            pool_capital += inc_n + (inc_g if public_now else 0.0)
            left_total = bud_n + (bud_g if public_now else 0.0) - run_load
            cost[:, t, 0, 0, 0] = run_load
            _open_pooled(run, t, trk, left_total)
        else:
            _quarter_detail(run, t, public_now, trk)
        # hubs eligible but still waiting for money
        due = (setup.planned[None, :] + shift[:, setup.phase] <= t) & phase_ok[:, setup.phase] & ~opened
        waiting[:, t] = due.sum(axis=1)
        # 4. learners and gates
        since = t - open_t
        ramp = p.ramp[:, None]
        r_enrol = np.where(opened & (since >= 0), np.clip((since + 1) / ramp, 0.0, 1.0), 0.0)
        enrolled[:, t] = r_enrol @ setup.learners_q
        k_cert = since - setup.lag[None, :]
        r_cert = np.where(opened & (k_cert >= 0), np.clip((k_cert + 1) / ramp, 0.0, 1.0), 0.0)
        certified[:, t] = p.rate * (r_cert @ setup.learners_q)
        if setup.gating and n_gates:
            cum = certified[:, : t + 1].sum(axis=1)
            for gi, g in enumerate(setup.gates):
                pending = gate_met[:, gi] == -1
                if not pending.any():
                    continue
                values = _metrics(g.phase, opened, onehot_phase, onehot_district, onehot_province, setup.flagship, cum, [int(m) for m in g.metric if m >= 0])
                cm = crit_met[gi]
                for c in range(len(g.metric)):
                    mi = int(g.metric[c])
                    hit = (t >= g.due[c]) if mi < 0 else (values[mi] >= g.target[c] - _EPS)
                    cm[:, c] = np.where((cm[:, c] < 0) & hit, t, cm[:, c])
                now = pending & (cm >= 0).all(axis=1)
                if now.any():
                    gate_met[now, gi] = t
                    nph = g.phase + 1
                    phase_ok[now, nph] = True
                    shift[now, nph] = np.maximum(0, t + 1 - int(setup.first_planned[nph]))
    if not setup.gating:
        # gates are still reported (when they would be met), without holding anything back
        gate_met, crit_met = _gates_after(setup, open_t, certified, onehot_phase, onehot_district, onehot_province)
    return Outcome(open_t, track, cost, need, spend, certified, enrolled, waiting, gate_met, tuple(crit_met), shift)


@dataclass
class _Run:
    """The state of one simulation that the quarter steps read and update (arrays are changed in place; nxt is replaced)."""

    setup: Setup
    p: Samples
    rows: np.ndarray
    gov: np.ndarray
    capital: np.ndarray
    capital_income: np.ndarray
    run_budget: np.ndarray
    run_need: np.ndarray
    run_cost: np.ndarray
    cost: np.ndarray
    need: np.ndarray
    spend: np.ndarray
    opened: np.ndarray
    open_t: np.ndarray
    track: np.ndarray
    nxt: np.ndarray
    shift: np.ndarray
    phase_ok: np.ndarray
    capex_h: np.ndarray
    compute_h: np.ndarray
    opex_h: np.ndarray
    split: np.ndarray
    onehot_phase: np.ndarray
    handover_t: float
    decision: float
    pool_capital: np.ndarray
    run_load: np.ndarray


def _candidates(setup, t, rows, trying, nxt, shift, phase_ok):
    """Each sample's next hub in network order (k), its phase, and whether it may open in quarter t (no overtaking:
    a sample that could not open its next hub tries no other this quarter)."""
    n = len(setup.planned)
    k = np.minimum(nxt, n - 1)
    ph = setup.phase[k]
    eligible = trying & (nxt < n) & (setup.planned[k] + shift[rows, ph] <= t) & phase_ok[rows, ph]
    return k, ph, eligible


def _open_pooled(r: _Run, t: int, trk: int, left_total: np.ndarray) -> None:
    """Openings of one quarter from the pools' totals only (detail=False)."""
    n = len(r.setup.planned)
    trying = np.ones(len(r.rows), dtype=bool)
    for _ in range(n):
        k, ph, eligible = _candidates(r.setup, t, r.rows, trying, r.nxt, r.shift, r.phase_ok)
        if not eligible.any():
            break
        cx, ox = r.capex_h[r.rows, k], r.opex_h[r.rows, k]
        fits = eligible & (r.pool_capital + _EPS >= cx) & (left_total + _EPS >= ox)
        if not fits.any():
            break
        r.pool_capital[fits] -= cx[fits]
        left_total[fits] -= ox[fits]
        r.run_load[fits] += ox[fits]
        r.cost[fits, t, 0, 0, 0] += cx[fits] + ox[fits]
        m = r.rows[fits]
        r.opened[m, k[fits]] = True
        r.open_t[m, k[fits]] = t
        r.track[m, k[fits]] = trk
        r.nxt = r.nxt + fits
        trying = fits


def _quarter_detail(r: _Run, t: int, public_now: bool, trk: int) -> None:
    """Steps 1-3 of one quarter with who pays (detail=True)."""
    S, n_src = r.capital.shape
    n = len(r.setup.planned)
    pool = np.ones(n_src, dtype=bool) if public_now else ~r.gov
    r.capital += r.capital_income if public_now else np.where(r.gov, 0.0, r.capital_income)  # government money joins at D
    if r.decision > 0 and t == int(min(r.handover_t, 10**9)) and np.isfinite(r.handover_t):
        # private-r.track hubs now run under the public r.track's funding rules
        r.run_need[:, TRACK_PUBLIC] += _retrack(r.opened & (r.track == TRACK_PRIVATE), r.opex_h, r.split, r.p.shares, r.onehot_phase)
        r.run_need[:, TRACK_PRIVATE] = 0.0
        r.run_cost[:, TRACK_PUBLIC] += r.run_cost[:, TRACK_PRIVATE]
        r.run_cost[:, TRACK_PRIVATE] = 0.0
    # 2. running costs of the hubs already open, from the pool's running budgets
    budget = np.where(pool, r.run_budget, 0.0)
    paid_run = _fill(r.run_need.reshape(S, -1, n_src), budget)
    r.need[:, t, :, :, 2:, :] = r.run_need
    r.cost[:, t, :, :, 2:] = r.run_cost
    r.spend[:, t, :, :, 2:, :] = paid_run.reshape(r.run_need.shape)
    left_run = budget - paid_run.sum(axis=1)  # running budget left this quarter, per source
    # 3. openings, in network order
    trying = np.ones(S, dtype=bool)
    for _ in range(n):
        k, ph, eligible = _candidates(r.setup, t, r.rows, trying, r.nxt, r.shift, r.phase_ok)
        if not eligible.any():
            break
        cx, cs, ox = r.capex_h[r.rows, k], r.compute_h[r.rows, k], r.opex_h[r.rows, k]
        fits = eligible & (np.where(pool, r.capital, 0.0).sum(axis=1) + _EPS >= cx) & (left_run.sum(axis=1) + _EPS >= ox)
        if not fits.any():
            break
        m = r.rows[fits]
        sh = r.p.shares[m, trk, ph[fits]]  # [m, 5, src]
        wanted_capex = np.stack([(cx[fits] * (1 - cs[fits]))[:, None] * sh[:, 0], (cx[fits] * cs[fits])[:, None] * sh[:, 1]], axis=1)  # [m, 2, src]
        paid_capex = _fill(wanted_capex, np.where(pool, r.capital[m], 0.0))
        r.capital[m] -= paid_capex.sum(axis=1)
        wanted_run = ox[fits][:, None, None] * r.split[m][:, :, None] * sh[:, 2:]  # [m, 3, src]
        paid_first = _fill(wanted_run, left_run[m])
        left_run[m] -= paid_first.sum(axis=1)
        pt = ph[fits]
        r.run_need[m, trk, pt] += wanted_run
        own_run = ox[fits][:, None] * r.split[m]  # [m, 3]
        r.run_cost[m, trk, pt] += own_run
        r.cost[m, t, trk, pt, 2:] += own_run
        r.cost[m, t, trk, pt, 0] += cx[fits] * (1 - cs[fits])
        r.cost[m, t, trk, pt, 1] += cx[fits] * cs[fits]
        r.need[m, t, trk, pt, :2] += wanted_capex
        r.spend[m, t, trk, pt, :2] += paid_capex
        r.need[m, t, trk, pt, 2:] += wanted_run
        r.spend[m, t, trk, pt, 2:] += paid_first
        r.opened[m, k[fits]] = True
        r.open_t[m, k[fits]] = t
        r.track[m, k[fits]] = trk
        r.nxt = r.nxt + fits
        trying = fits


def _fill(wanted: np.ndarray, available: np.ndarray) -> np.ndarray:
    """Who pays: each source pays its wanted part as far as it can; what it cannot pay is covered by the other
    sources in proportion to what they have left. wanted [m, k, src] (k: what the money is for), available [m, src].
    The caller has checked that the pool can pay the whole."""
    total = wanted.sum(axis=1)  # [m, src]
    own = np.minimum(total, available)
    short = (total - own).sum(axis=1)  # [m]
    spare = np.where(np.isinf(available), 1e18, available - own)  # an unlimited source takes any shortfall
    spare_sum = spare.sum(axis=1)
    ratio = np.divide(np.minimum(short, spare_sum), spare_sum, out=np.zeros_like(short), where=(spare_sum > 0) & (short > 0))
    extra = spare * ratio[:, None]
    # spread each source's own payment over what it was wanted for, and the extra over the shortfall's make-up
    with np.errstate(invalid="ignore", divide="ignore"):
        own_frac = np.where(total > 0, own / np.where(total > 0, total, 1.0), 0.0)
    paid = wanted * own_frac[:, None, :]
    deficit = (wanted - paid).sum(axis=2)  # [m, k]: money still missing per purpose
    dsum = deficit.sum(axis=1, keepdims=True)
    weight = np.divide(deficit, dsum, out=np.zeros_like(deficit), where=dsum > 0)
    return paid + weight[:, :, None] * extra[:, None, :]


def _retrack(moving: np.ndarray, opex_h: np.ndarray, split: np.ndarray, shares: np.ndarray, onehot_phase: np.ndarray) -> np.ndarray:
    """Running cost a quarter of the moving hubs under the public track's rules: [S, phases, 3, src]."""
    w = np.where(moving, opex_h, 0.0) @ onehot_phase  # [S, phases]: running cost of the moving hubs by phase
    return np.einsum("ap,au,apuc->apuc", w, split, shares[:, TRACK_PUBLIC, :, 2:, :])


def _metrics(
    phase: int,
    opened: np.ndarray,
    onehot_phase: np.ndarray,
    onehot_district: np.ndarray,
    onehot_province: np.ndarray,
    flagship: np.ndarray,
    cum: np.ndarray,
    wanted=None,
) -> dict[int, np.ndarray]:
    """The gate metrics (index into METRICS) of one phase's gate, computed only where `wanted` asks for them."""
    wanted = set(range(len(METRICS))) if wanted is None else set(wanted)
    in_phase = opened & onehot_phase[:, phase][None, :]
    out: dict[int, np.ndarray] = {}
    if 0 in wanted:
        out[0] = opened.sum(axis=1).astype(float)
    if 1 in wanted:
        out[1] = in_phase.sum(axis=1).astype(float)
    if 2 in wanted:
        out[2] = (in_phase & flagship[None, :]).sum(axis=1).astype(float)
    if 3 in wanted:
        out[3] = ((in_phase.astype(np.float32) @ onehot_district.astype(np.float32)) > 0).sum(axis=1).astype(float)
    if 4 in wanted:
        out[4] = ((opened.astype(np.float32) @ onehot_province.astype(np.float32)) > 0).sum(axis=1).astype(float)
    if 5 in wanted:
        out[5] = cum
    return out


def _gates_after(setup: Setup, open_t: np.ndarray, certified: np.ndarray, onehot_phase, onehot_district, onehot_province):
    """When each gate's criteria are met on a schedule already made (gating off): same metrics, same rule."""
    S, T = certified.shape
    gate_met = np.full((S, len(setup.gates)), -1, dtype=np.int64)
    crit = [np.full((S, len(g.metric)), -1, dtype=np.int64) for g in setup.gates]
    cum = certified.cumsum(axis=1)
    for t in range(T):
        opened = (open_t >= 0) & (open_t <= t)
        for gi, g in enumerate(setup.gates):
            if len(g.metric) == 0:
                gate_met[:, gi] = -2
                continue
            values = _metrics(g.phase, opened, onehot_phase, onehot_district, onehot_province, setup.flagship, cum[:, t])
            cm = crit[gi]
            for c in range(len(g.metric)):
                m = int(g.metric[c])
                hit = (t >= g.due[c]) if m < 0 else (values[m] >= g.target[c] - _EPS)
                cm[:, c] = np.where((cm[:, c] < 0) & hit, t, cm[:, c])
            now = (gate_met[:, gi] == -1) & (cm >= 0).all(axis=1)
            gate_met[now, gi] = t
    return gate_met, crit
