"""Funding views of the rollout model: per-phase funding, Sankey flows, yearly mix and the three decision branches.

Why it exists: the Funding page shows who pays for what under an option, for one phase or all, and what
each public funding decision leads to. Every amount here comes from `pakcoe.model` (never typed); this
module only selects and sums. It is pure Python (never Streamlit).

Per-phase funding: the model's funding frame carries each amount's phase, so one phase's funding is a
filter of the whole run (the phases add up to the run exactly; a test checks).

Kinds of money: government budgets (sources of the category government: federal PSDP and provincial ADP),
international partners (their own, non-government category, never counted as public money), and private
money (industry, philanthropy, learner fees).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pakcoe import i18n
from pakcoe.labels import decisions
from pakcoe.model import USES, ModelResult, Scenario, model_inputs, run_model, scenario_from_option
from pakcoe.release import Release

USE_LABELS = {
    "infrastructure": "Infrastructure (capital)",
    "compute": "Compute (capital)",
    "instructors": "Instructors (running)",
    "programmes": "Programme delivery (running)",
    "operations": "Operations (running)",
}
TRACK_LABELS = {"public": "Public adoption track", "private": "Private track"}
KIND_LABELS = {"government": "government budget", "international": "international partner (non-government)", "private": "private"}
# The constants above are the English (and the keys of the app's string table); what a user reads comes from the
# functions below, in the current language (or `lang`).


def use_labels(lang: str | None = None) -> dict[str, str]:
    """use id -> label, in `lang` (default: the current language)."""
    lang = lang or i18n.current()
    return {
        "infrastructure": i18n.tl("Infrastructure (capital)", lang),
        "compute": i18n.tl("Compute (capital)", lang),
        "instructors": i18n.tl("Instructors (running)", lang),
        "programmes": i18n.tl("Programme delivery (running)", lang),
        "operations": i18n.tl("Operations (running)", lang),
    }


def track_labels(lang: str | None = None) -> dict[str, str]:
    """track id -> label, in `lang` (default: the current language)."""
    lang = lang or i18n.current()
    return {"public": i18n.tl("Public adoption track", lang), "private": i18n.tl("Private track", lang)}


def kind_labels(lang: str | None = None) -> dict[str, str]:
    """kind of money -> label (inside a sentence), in `lang` (default: the current language)."""
    lang = lang or i18n.current()
    return {
        "government": i18n.tl("government budget", lang),
        "international": i18n.tl("international partner (non-government)", lang),
        "private": i18n.tl("private", lang),
    }


def source_kinds(release: Release) -> dict[str, str]:
    """source_id -> 'government' | 'international' | 'private' (see the module docstring)."""
    inputs = model_inputs(release)
    kinds = {"government": "government", "international": "international"}
    return {s: kinds.get(c, "private") for s, c in zip(inputs.source_ids, inputs.source_category, strict=True)}


def source_labels(release: Release) -> dict[str, str]:
    """source_id -> 'Name – government budget' etc., so public money is never mistaken for the Government's (the kind
    in the current language; the name as the release gives it, localized by the caller's release)."""
    kinds = source_kinds(release)
    names = release.table("funding_sources").set_index("source_id")["name"]
    labels = kind_labels()
    return {s: f"{names[s]} – {labels[k]}" for s, k in kinds.items()}


def phase_funding(release: Release, scenario: Scenario, phase: int | None = None) -> pd.DataFrame:
    """ModelResult.funding (t, quarter, track, phase_id, source_id, category, use, amount, planned, gap) for the hubs of one phase, or all (None)."""
    funding = run_model(release, scenario).funding
    if phase is None:
        return funding
    return funding[funding["phase_id"] == str(int(phase))].reset_index(drop=True)


@dataclass(frozen=True)
class SankeyFlows:
    """Nodes (sources, then tracks, then uses) and links source→track, track→use; amounts in the unit asked."""

    labels: tuple[str, ...]
    kinds: tuple[str, ...]  # 'source' | 'track' | 'use' per node
    node_ids: tuple[str, ...]
    link_source: tuple[int, ...]
    link_target: tuple[int, ...]
    link_value: tuple[float, ...]
    node_total: tuple[float, ...]

    def links(self) -> pd.DataFrame:
        """The links as a table: from, to, amount."""
        return pd.DataFrame(
            {"from": [self.labels[i] for i in self.link_source], "to": [self.labels[i] for i in self.link_target], "amount": list(self.link_value)}
        )


def sankey_flows(release: Release, funding: pd.DataFrame, divisor: float = 1.0) -> SankeyFlows:
    """Sources → track → uses from a funding frame; zero flows and unused nodes dropped; amounts / divisor."""
    f = funding.assign(amount=funding["amount"] / divisor)
    f = f[f["amount"] > 1e-9]
    by_st = f.groupby(["source_id", "track"], observed=True)["amount"].sum()
    by_tu = f.groupby(["track", "use"], observed=True)["amount"].sum()
    labels = source_labels(release)
    tracks, uses = track_labels(), use_labels()
    order_sources = [s for s in release.table("funding_sources")["source_id"] if s in set(f["source_id"])]
    order_tracks = [t for t in TRACK_LABELS if t in set(f["track"])]
    order_uses = [u for u in USES if u in set(f["use"])]
    ids = [("source", s) for s in order_sources] + [("track", t) for t in order_tracks] + [("use", u) for u in order_uses]
    index = {node: i for i, node in enumerate(ids)}
    src, tgt, val = [], [], []
    for (s, t), v in by_st.items():
        src.append(index[("source", s)]), tgt.append(index[("track", t)]), val.append(float(v))
    for (t, u), v in by_tu.items():
        src.append(index[("track", t)]), tgt.append(index[("use", u)]), val.append(float(v))
    totals = np.zeros(len(ids))
    for i, j, v in zip(src, tgt, val):
        if ids[i][0] == "source":
            totals[i] += v  # a source's total: what flows out of it
        totals[j] += v  # a track's or use's total: what flows into it
    names = {"source": labels, "track": tracks, "use": uses}
    return SankeyFlows(
        labels=tuple(names[k][v] for k, v in ids),
        kinds=tuple(k for k, _ in ids),
        node_ids=tuple(v for _, v in ids),
        link_source=tuple(src),
        link_target=tuple(tgt),
        link_value=tuple(val),
        node_total=tuple(float(x) for x in totals),
    )


def yearly_mix(release: Release, funding: pd.DataFrame, divisor: float = 1.0) -> pd.DataFrame:
    """Funding by calendar year and source (long: year, source_id, source, amount); amounts / divisor."""
    f = funding.assign(year=funding["quarter"].astype(str).str[:4].astype(int), amount=funding["amount"] / divisor)
    mix = f.groupby(["year", "source_id"], observed=True, as_index=False)["amount"].sum()
    order = list(release.table("funding_sources")["source_id"])
    mix = mix[mix["source_id"].isin(order)]
    mix["source"] = mix["source_id"].map(source_labels(release))
    mix["_o"] = mix["source_id"].map(order.index)
    return mix.sort_values(["year", "_o"]).drop(columns="_o").reset_index(drop=True)[["year", "source_id", "source", "amount"]]


@dataclass(frozen=True)
class Branch:
    """One branch of the dual-track decision, with its consequences from the model."""

    decision: str
    option_id: str
    option_name: str
    title: str
    consequence: str
    hubs_by_year: pd.DataFrame  # year, public track, private track (hubs open at the year's last modelled quarter)
    hubs_at_end: int
    network_complete_quarter: str | None
    decision_quarter: str | None
    total_cost: float
    government_money: float
    international_money: float
    private_money: float
    funding_gap: float


def branch_option(release: Release, decision: str) -> str | None:
    """The first option of options.csv with this public decision (None if the release has none)."""
    options = release.table("options")
    rows = options[options["public_decision"] == decision]
    return None if rows.empty else str(rows["option_id"].iloc[0])


def branch(release: Release, option_id: str) -> Branch:
    """Run one option and summarise it as a branch of the decision flow (money in PKR million)."""
    result: ModelResult = run_model(release, scenario_from_option(release, option_id))
    q = result.quarters
    years = q.assign(year=q["quarter"].str[:4].astype(int)).groupby("year").last()
    hubs = pd.DataFrame(
        {
            "year": years.index.astype(int),
            "public track": years["hubs_active_public_track"].astype(int).to_numpy(),
            "private track": years["hubs_active_private_track"].astype(int).to_numpy(),
        }
    )
    kinds = source_kinds(release)
    by_source = result.funding.groupby("source_id", observed=True)["amount"].sum()
    money = {k: float(sum(v for s, v in by_source.items() if kinds.get(s) == k)) for k in KIND_LABELS}
    s = result.summary
    decision = result.scenario.public_decision
    said = decisions(release)[decision]
    name = release.table("options").set_index("option_id").at[option_id, "name"]
    return Branch(
        decision=decision,
        option_id=option_id,
        option_name=str(name),
        title=said.label,
        consequence=said.consequence,
        hubs_by_year=hubs,
        hubs_at_end=s.hubs_at_end,
        network_complete_quarter=s.network_complete_quarter,
        decision_quarter=s.decision_quarter,
        total_cost=s.total_cost,
        government_money=money["government"],
        international_money=money["international"],
        private_money=money["private"],
        funding_gap=s.funding_gap,
    )


def branches(release: Release) -> list[Branch]:
    """One branch per public funding decision (in the release's order), each from the first option of that decision."""
    out = []
    for decision in decisions(release):
        option = branch_option(release, decision)
        if option is not None:
            out.append(branch(release, option))
    return out


__all__ = [
    "KIND_LABELS",
    "TRACK_LABELS",
    "USE_LABELS",
    "Branch",
    "SankeyFlows",
    "branch",
    "branch_option",
    "branches",
    "kind_labels",
    "phase_funding",
    "sankey_flows",
    "source_kinds",
    "source_labels",
    "track_labels",
    "use_labels",
    "yearly_mix",
]
