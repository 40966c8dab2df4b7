"""Warnings for a rollout option: each problem of a model run in plain words, with the lever that would address it.

Why it exists: policy calculators such as the Global Calculator tell their users what goes wrong with a
pathway, not only what it costs. Compare shows these per option. Every number is read from the run and the
release; nothing is typed here. Pure Python (never Streamlit).
"""

from __future__ import annotations

from dataclasses import dataclass

from pakcoe.model import ModelResult, model_inputs, network_mask
from pakcoe.release import Release

KINDS = ("gate_late", "gate_never", "below_floor", "funding_gap", "hubs_waiting", "network_incomplete")


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the domain's word; never shadows the builtin outside this module
    """One problem of an option."""

    kind: str  # one of KINDS
    text: str  # what is wrong, in plain words, with the figures
    lever: str  # what would address it


def _quarters(n: int) -> str:
    return f"{n} quarter{'s' if abs(n) != 1 else ''}"


def option_warnings(release: Release, result: ModelResult) -> list[Warning]:
    """Every problem of one run, most serious first; an empty list when there is none."""
    out: list[Warning] = []
    phases = release.table("phases").set_index("phase_id")["name"].to_dict()
    provinces = release.table("provinces").set_index("province_id")["name"].to_dict()
    sources = release.table("funding_sources").set_index("source_id")["name"].to_dict()
    s = result.summary
    for g in result.gates:
        name = f"Phase {g.next_phase_id} ({phases[g.next_phase_id]})" if g.next_phase_id in phases else f"Phase {g.next_phase_id}"
        unmet = [c.title for c in g.criteria if c.met_quarter is None]
        if g.met_quarter is None:
            out.append(
                Warning(
                    "gate_never",
                    f"{name} never starts within the horizon: the exit gate of phase {g.phase_id} is not met"
                    + (f" ({'; '.join(unmet)} not reached)" if unmet else "")
                    + ".",
                    "More funding capacity (private capacity or the public decision), a faster ramp-up or higher completion; or switch gating off to compare without gates.",
                )
            )
        elif g.late_quarters is not None and g.late_quarters > 0:
            late = [c.title for c in g.criteria if c.met_quarter and c.due_quarter and c.met_quarter > c.due_quarter]
            out.append(
                Warning(
                    "gate_late",
                    f"The exit gate of phase {g.phase_id} is met in {g.met_quarter}, {_quarters(g.late_quarters)} after it is due ({g.due_quarter})"
                    + (f": {'; '.join(late)}" if late else "")
                    + "."
                    + f" {name} starts {_quarters(g.next_phase_shift)} later than planned." * (g.next_phase_shift > 0),
                    "An earlier public decision, more private capacity, a faster ramp-up or higher completion and certification rates.",
                )
            )
    if s.funding_gap > 0.5:
        by_source = result.funding.groupby("source_id", observed=True)["gap"].sum().sort_values(ascending=False)
        by_source = by_source[by_source > 0.05]
        first = result.funding.loc[result.funding["gap"] > 0.05, "quarter"]
        worst = str(by_source.index[0]) if len(by_source) else None
        parts = ", ".join(f"{sources.get(k, k)} PKR {v:,.0f} M" for k, v in by_source.head(3).items())
        out.append(
            Warning(
                "funding_gap",
                f"PKR {s.funding_gap:,.0f} M is missing against the plan at the planned time, from {str(first.min()) if len(first) else 'the start'} on ({parts}).",
                f"More capacity from {sources.get(worst, worst)}" * bool(worst) + (" or " if worst else "") + "a slower pace or a smaller network.",
            )
        )
    q = result.quarters
    if int(q["hubs_waiting"].max()) > 0:
        peak = int(q["hubs_waiting"].idxmax())
        out.append(
            Warning(
                "hubs_waiting",
                f"Up to {int(q['hubs_waiting'].max())} hubs wait for money although their planned quarter has come (most in {q['quarter'].iloc[peak]}).",
                "More funding capacity for the track that opens them, or a slower pace.",
            )
        )
    if s.hubs_at_end < s.hubs_in_network:
        out.append(
            Warning(
                "network_incomplete",
                f"Only {s.hubs_at_end} of the network's {s.hubs_in_network} hubs are open by {s.last_quarter}, the end of the horizon.",
                "More funding capacity, an earlier public decision, or a smaller network.",
            )
        )
    floor = int(release.param("allocation_floor")) if "allocation_floor" in set(release.assumptions["param_id"]) else 0
    if floor:
        inputs = model_inputs(release)
        keep = network_mask(inputs, result.scenario.hub_target)
        planned = {p: int((inputs.province_idx[keep] == i).sum()) for i, p in enumerate(inputs.province_ids)}
        below = [(p, n) for p, n in s.hubs_by_province_at_end.items() if n < min(floor, planned.get(p, 0))]
        if below:
            listed = ", ".join(f"{provinces.get(p, p)} {n}" for p, n in below)
            out.append(
                Warning(
                    "below_floor",
                    f"By the end of the horizon {listed} hub{'s' if len(below) > 1 or below[0][1] != 1 else ''} open: below the floor of {floor} for every province and territory.",
                    "More funding capacity or an earlier public decision, so the later phases reach every province and territory.",
                )
            )
    order = {k: i for i, k in enumerate(("gate_never", "network_incomplete", "below_floor", "funding_gap", "gate_late", "hubs_waiting"))}
    return sorted(out, key=lambda w: order[w.kind])
