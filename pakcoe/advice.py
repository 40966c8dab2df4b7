"""Warnings for a rollout option: each problem of a model run in plain words, with the lever that would address it.

Why it exists: policy calculators such as the Global Calculator tell their users what goes wrong with a
pathway, not only what it costs. Compare shows these per option. Every number is read from the run and the
release; nothing is typed here. Pure Python (never Streamlit).
"""

from __future__ import annotations

from dataclasses import dataclass

from pakcoe import i18n
from pakcoe.i18n import t
from pakcoe.model import ModelResult, model_inputs, network_mask, quarter_index
from pakcoe.release import Release

KINDS = ("gate_late", "gate_never", "below_floor", "funding_gap", "hubs_waiting", "network_incomplete")


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the domain's word; never shadows the builtin outside this module
    """One problem of an option."""

    kind: str  # one of KINDS
    text: str  # what is wrong, in plain words, with the figures (in the current language, pakcoe.i18n)
    lever: str  # what would address it


def _quarters(n: int) -> str:
    return t("{n} quarter", n=n) if abs(n) == 1 else t("{n} quarters", n=n)


def _q(label: object) -> str:
    """A quarter as written: '2027Q3' in English (as always), in words in Urdu."""
    return str(label) if i18n.current() == "en" else i18n.quarter(str(label))


def _list(items: list[str], sep: str = "; ") -> str:
    """Items joined: '; ' or ', ' in English, the Urdu marks in Urdu."""
    if i18n.current() == "en":
        return sep.join(items)
    return ("؛ " if sep.strip() == ";" else "، ").join(items)


def option_warnings(release: Release, result: ModelResult) -> list[Warning]:
    """Every problem of one run, most serious first; an empty list when there is none."""
    out: list[Warning] = []
    phases = release.table("phases").set_index("phase_id")["name"].to_dict()
    provinces = release.table("provinces").set_index("province_id")["name"].to_dict()
    sources = release.table("funding_sources").set_index("source_id")["name"].to_dict()
    s = result.summary
    for g in result.gates:
        name = t("Phase {n} ({name})", n=g.next_phase_id, name=phases[g.next_phase_id]) if g.next_phase_id in phases else t("Phase {n}", n=g.next_phase_id)
        unmet = [c.title for c in g.criteria if c.met_quarter is None]
        if g.met_quarter is None:
            out.append(
                Warning(
                    "gate_never",
                    (
                        t(
                            "{name} never starts within the horizon: the exit gate of phase {n} is not met ({unmet} not reached).",
                            name=name,
                            n=g.phase_id,
                            unmet=_list(unmet),
                        )
                        if unmet
                        else t("{name} never starts within the horizon: the exit gate of phase {n} is not met.", name=name, n=g.phase_id)
                    ),
                    t(
                        "More funding capacity (private capacity or the public decision), a faster ramp-up or higher completion; or switch gating off to compare without gates."
                    ),
                )
            )
        elif g.late_quarters is not None and g.late_quarters > 0:
            late = [c.title for c in g.criteria if c.met_quarter and c.due_quarter and quarter_index(c.met_quarter) > quarter_index(c.due_quarter)]
            values = {"n": g.phase_id, "q": _q(g.met_quarter), "late": _quarters(g.late_quarters), "due": _q(g.due_quarter)}
            text = (
                t("The exit gate of phase {n} is met in {q}, {late} after it is due ({due}): {criteria}.", criteria=_list(late), **values)
                if late
                else t("The exit gate of phase {n} is met in {q}, {late} after it is due ({due}).", **values)
            )
            if g.next_phase_shift > 0:
                text += " " + t("{name} starts {shift} later than planned.", name=name, shift=_quarters(g.next_phase_shift))
            out.append(
                Warning(
                    "gate_late",
                    text,
                    t("An earlier public decision, more private capacity, a faster ramp-up or higher completion and certification rates."),
                )
            )
    if s.funding_gap > 0.5:
        by_source = result.funding.groupby("source_id", observed=True)["gap"].sum().sort_values(ascending=False)
        by_source = by_source[by_source > 0.05]
        first = result.funding.loc[result.funding["gap"] > 0.05, "quarter"]
        worst = str(by_source.index[0]) if len(by_source) else None
        parts = _list([f"{sources.get(k, k)} {i18n.money_m(v, 'PKR')}" for k, v in by_source.head(3).items()], ", ")
        out.append(
            Warning(
                "funding_gap",
                t(
                    "{money} is missing against the plan at the planned time, from {q} on ({parts}).",
                    money=i18n.money_m(s.funding_gap, "PKR"),
                    q=_q(first.min()) if len(first) else t("the start"),
                    parts=parts,
                ),
                t("More capacity from {source} or a slower pace or a smaller network.", source=sources.get(worst, worst))
                if worst
                else t("A slower pace or a smaller network."),
            )
        )
    q = result.quarters
    if int(q["hubs_waiting"].max()) > 0:
        peak = int(q["hubs_waiting"].idxmax())
        out.append(
            Warning(
                "hubs_waiting",
                t(
                    "Up to {n} hubs wait for money although their planned quarter has come (most in {q}).",
                    n=i18n.num(int(q["hubs_waiting"].max())),
                    q=_q(q["quarter"].iloc[peak]),
                ),
                t("More funding capacity for the track that opens them, or a slower pace."),
            )
        )
    if s.hubs_at_end < s.hubs_in_network:
        out.append(
            Warning(
                "network_incomplete",
                t(
                    "Only {n} of the network's {total} hubs are open by {q}, the end of the horizon.",
                    n=i18n.num(s.hubs_at_end),
                    total=i18n.num(s.hubs_in_network),
                    q=_q(s.last_quarter),
                ),
                t("More funding capacity, an earlier public decision, or a smaller network."),
            )
        )
    floor = int(release.param("allocation_floor")) if "allocation_floor" in set(release.assumptions["param_id"]) else 0
    if floor:
        inputs = model_inputs(release)
        keep = network_mask(inputs, result.scenario.hub_target)
        planned = {p: int((inputs.province_idx[keep] == i).sum()) for i, p in enumerate(inputs.province_ids)}
        below = [(p, n) for p, n in s.hubs_by_province_at_end.items() if n < min(floor, planned.get(p, 0))]
        if below:
            listed = _list([f"{provinces.get(p, p)} {n}" for p, n in below], ", ")
            plural = len(below) > 1 or below[0][1] != 1
            out.append(
                Warning(
                    "below_floor",
                    t(
                        "By the end of the horizon {listed} hubs open: below the floor of {floor} for every province and territory.",
                        listed=listed,
                        floor=floor,
                    )
                    if plural
                    else t(
                        "By the end of the horizon {listed} hub open: below the floor of {floor} for every province and territory.",
                        listed=listed,
                        floor=floor,
                    ),
                    t("More funding capacity or an earlier public decision, so the later phases reach every province and territory."),
                )
            )
    order = {k: i for i, k in enumerate(("gate_never", "network_incomplete", "below_floor", "funding_gap", "gate_late", "hubs_waiting"))}
    return sorted(out, key=lambda w: order[w.kind])
