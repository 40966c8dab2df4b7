"""The Funding page's figures and tables, built from a release (pure: plotly, never Streamlit; cached by components.cached).

Amounts come from pakcoe.model through pakcoe.funding, never typed. components.funding draws what is built here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from components.badges import badge, param_badge
from components.chart import PALETTE, ChartData, style, with_patterns
from components.escape import escape_html, escape_md
from components.rollout_figures import wrap
from pakcoe import Release
from pakcoe.funding import KIND_LABELS, TRACK_LABELS, USE_LABELS, Branch, phase_funding, sankey_flows, source_kinds, source_labels, yearly_mix
from pakcoe.model import scenario_from_option

NODE_COLOURS = {"government": "#0B6E4F", "international": "#3D5A80", "private": "#E07A1F", "track": "#5E548E", "use": "#6B8F23"}
MODEL_BASIS = "Model output from the illustrative inputs listed below"
MODEL_SOURCE = "Rollout model (version 2, this app) on the release's assumptions and funding shares (illustrative assumptions)"
GAP_SOURCE = "Rollout model (version 2, this app): each funding source's yearly capacity against the plan's spending"
LEGEND_WRAP = 30  # characters per line of a legend entry: a phone shows the whole label
GAP_BASIS = "Money missing against the plan at the planned time: each source gives at most its yearly capacity (funding sources)"
GAP_ZERO = 0.5  # PKR million: below this there is no funding gap (as pakcoe.advice counts it)
INPUT_PARAMS = (
    "capex_flagship",
    "capex_standard",
    "capex_tvet",
    "opex_flagship",
    "opex_standard",
    "opex_tvet",
    "compute_share_flagship",
    "compute_share_standard",
    "compute_share_tvet",
    "opex_share_instructors",
    "opex_share_programmes",
    "opex_share_operations",
    "private_capacity",
    "capital_share_of_capacity",
    "handover_quarters",
    "horizon_quarters",
)


@dataclass(frozen=True)
class FundingView:
    """What the page's controls selected."""

    option_id: str
    phase: int | None  # None: all phases
    currency: str


@dataclass(frozen=True)
class SankeyData:
    """Sources → track → uses: the figure, the link table, the point it makes and the total of every node ('kind:id')."""

    figure: go.Figure
    links: pd.DataFrame
    point: str
    node_totals: dict[str, float]


@dataclass(frozen=True)
class GapData:
    """The funding gap by year and source: figure (None when there is no gap), table, point, and where the gap comes from."""

    figure: go.Figure | None
    table: pd.DataFrame
    point: str
    origin: str  # '' when there is no gap


@dataclass(frozen=True)
class BranchData:
    """One branch of the public funding decision: the model's summary, its hubs-by-year chart, and its funding gap's origin."""

    branch: Branch
    figure: go.Figure
    table: pd.DataFrame
    point: str
    gap: str


def divisor(release: Release, currency: str) -> float:
    """PKR million → the currency asked (USD at the usd_pkr assumption)."""
    return release.param("usd_pkr") if currency == "USD" else 1.0


def money(value: float, currency: str) -> str:
    """'PKR 5,427 M' or 'USD 19.4 M' (a float rounding residue below 0.05 shows as 0)."""
    value = 0.0 if abs(value) < 0.05 else value
    return f"{currency} {value:,.0f} M" if currency == "PKR" else f"{currency} {value:,.1f} M"


def phase_label(release: Release, phase: int | None) -> str:
    """'all phases' or 'Phase 2: Major cities'."""
    if phase is None:
        return "all phases"
    return f"Phase {phase}: {release.table('phases').set_index('phase_id').at[phase, 'name']}"


def _node_positions(kinds: tuple[str, ...], totals: tuple[float, ...]) -> tuple[list[float], list[float]]:
    """Column x (tracks at 56% so the long source labels fit) and stacked y centres per node (Plotly's fractions)."""
    column_x = {"source": 0.001, "track": 0.56, "use": 0.999}
    x, y = [], []
    for kind in column_x:
        members = [i for i, k in enumerate(kinds) if k == kind]
        height = sum(totals[i] for i in members) or 1.0
        gap = 0.04 if len(members) > 1 else 0.0
        scale = (1 - gap * (len(members) - 1)) / height
        top = 0.0
        for i in members:
            h = totals[i] * scale
            y.append(min(max(top + h / 2, 0.001), 0.999))
            x.append(column_x[kind])
            top += h + gap
    order = [i for kind in column_x for i, k in enumerate(kinds) if k == kind]
    xs, ys = [0.0] * len(kinds), [0.0] * len(kinds)
    for pos, i in enumerate(order):
        xs[i], ys[i] = x[pos], y[pos]
    return xs, ys


def sankey_data(release: Release, option_id: str, phase: int | None, currency: str) -> SankeyData:
    """Sources → track → uses for an option and phase."""
    funding = phase_funding(release, scenario_from_option(release, option_id), phase)
    flows = sankey_flows(release, funding, divisor(release, currency))
    kinds = source_kinds(release)
    colours = [NODE_COLOURS[kinds[i]] if k == "source" else NODE_COLOURS[k] for k, i in zip(flows.kinds, flows.node_ids)]
    names = release.table("funding_sources").set_index("source_id")["name"]
    labels = [
        f"{escape_html(names.get(i, label))}: {money(v, currency)}<br>{escape_html(KIND_LABELS[kinds[i]])}"
        if k == "source" and i in kinds
        else f"{escape_html(label)}<br>{money(v, currency)}"
        for k, i, label, v in zip(flows.kinds, flows.node_ids, flows.labels, flows.node_total)
    ]
    x, y = _node_positions(flows.kinds, flows.node_total)
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            valueformat=",.1f",
            valuesuffix=f" {currency} M",
            textfont={"color": "#14213D", "size": 13, "shadow": "none", "weight": 600},
            node={"label": labels, "color": colours, "x": x, "y": y, "pad": 14, "thickness": 18, "line": {"color": "#14213D", "width": 0.5}},
            link={"source": list(flows.link_source), "target": list(flows.link_target), "value": list(flows.link_value), "color": "rgba(20,33,61,0.12)"},
        )
    )
    style(fig, height=520)
    fig.update_layout(font={"size": 13})
    total = sum(v for k, v in zip(flows.kinds, flows.node_total) if k == "source")
    by_kind = {k: sum(v for kk, i, v in zip(flows.kinds, flows.node_ids, flows.node_total) if kk == "source" and kinds[i] == k) for k in KIND_LABELS}
    name = release.table("options").set_index("option_id").at[option_id, "name"]
    if total > 0:
        point = (
            f"{name}, {phase_label(release, phase)}: {money(total, currency)} in all; government budgets pay {by_kind['government'] / total:.0%}, "
            f"private sources {by_kind['private'] / total:.0%}, international partners {by_kind['international'] / total:.0%}"
        )
    else:
        point = f"{name}, {phase_label(release, phase)}: no hub of this phase opens within the model horizon"
    table = flows.links().rename(columns={"from": "From", "to": "To", "amount": f"Amount ({currency} million)"})
    totals = {f"{k}:{i}": v for k, i, v in zip(flows.kinds, flows.node_ids, flows.node_total)}
    return SankeyData(fig, table, point, totals)


def branch_data(release: Release, b: Branch) -> BranchData:
    """One branch's hubs open at each year's end by track, and where its funding gap comes from."""
    data = b.hubs_by_year.melt(id_vars="year", var_name="track", value_name="hubs")
    data["year"] = data["year"].astype(str)
    data["track"] = data["track"].str.capitalize()
    fig = with_patterns(
        px.bar(
            data,
            x="year",
            y="hubs",
            color="track",
            labels={"year": "", "hubs": "Hubs open", "track": "Track"},
            color_discrete_sequence=[PALETTE[0], PALETTE[1]],
        )
    )
    style(fig, height=240)
    fig.update_layout(font={"size": 12}, margin={"l": 5, "r": 5, "t": 5, "b": 5})
    done = f"All {b.hubs_at_end} hubs open by {b.network_complete_quarter}" if b.network_complete_quarter else f"{b.hubs_at_end} hubs open by the horizon's end"
    table = b.hubs_by_year.rename(columns=lambda c: str(c).capitalize())
    return BranchData(b, fig, table, done, branch_gap(release, b))


def wrap_label(text: str, width: int = LEGEND_WRAP) -> str:
    """A legend entry in lines of at most about `width` characters (Plotly's <br>), broken between words, as it was
    given (rollout_figures.wrap without escaping)."""
    return wrap(text, width, escape=False)


STAGES = (("source", "Who pays"), ("track", "Through which track"), ("use", "For what"))


def flow_summary(release: Release, totals: dict[str, float], currency: str) -> list[tuple[str, list[str]]]:
    """The Sankey's three columns as lists a phone shows whole: (stage, ['Label: PKR 1,234 M (12%)', ...]) (plain text)."""
    labels = {"source": source_labels(release), "track": TRACK_LABELS, "use": USE_LABELS}
    out = []
    for kind, stage in STAGES:
        items = [(labels[kind].get(nid, nid), v) for node, v in totals.items() for k, nid in [node.split(":", 1)] if k == kind]
        whole = sum(v for _, v in items) or 1.0
        out.append((stage, [f"{label}: {money(v, currency)} ({v / whole:.0%})" for label, v in items]))
    return out


def source_kinds_text(release: Release) -> str:
    """Which sources are government budgets, which are international partners (non-government), as this release says."""
    kinds = source_kinds(release)
    names = release.table("funding_sources").set_index("source_id")["name"]
    government = [escape_md(names[s]) for s, k in kinds.items() if k == "government"]
    international = [escape_md(names[s]) for s, k in kinds.items() if k == "international"]
    text = f"Government budget = {', '.join(government)}." if government else "No source is a government budget in this release."
    if international:
        text += f" {', '.join(international)}: international partner money, a non-government category of its own, never counted as public money."
    return text


def branches_caption(branches: list[Branch]) -> str:
    """What the branches show about funding gaps and the private track's capacity, from the model runs themselves."""
    by = {b.decision: b for b in branches}
    if all(b.funding_gap < GAP_ZERO for b in by.values()):
        text = (
            "No branch has a funding gap: every source can pay its share of each hub at its planned quarter within its yearly "
            "capacity, so no hub waits for money."
        )
    else:
        text = (
            "A funding gap is money missing against the plan at the planned time: a source's yearly capacity cannot pay its share "
            "of a hub when it is planned, so the hub waits until the money is there and the schedule slips."
        )
    on_time, alone = by.get("on_time"), by.get("not_approved")
    if on_time is not None and alone is not None:

        def opened(b: Branch) -> tuple:
            return (b.network_complete_quarter, (b.hubs_by_year["public track"] + b.hubs_by_year["private track"]).tolist())

        if opened(on_time) == opened(alone):
            text += (
                " At its central value the private track's funding capacity (an illustrative assumption) never limits the rollout, so "
                "'not approved' opens hubs on the same timetable as 'on time', with different payers; a lower capacity would slow it (Compare page)."
            )
        else:
            text += (
                " At its central value the private track's funding capacity (an illustrative assumption) limits the rollout: 'not approved' "
                "opens hubs later than 'on time' (Compare page: raise or lower the capacity lever)."
            )
    return text


def branch_gap(release: Release, b: Branch) -> str:
    """Where one branch's funding gap comes from (its sources and first quarter), or that it has none."""
    if b.funding_gap < GAP_ZERO:
        return "No funding gap: every hub's money is there at its planned quarter."
    funding = phase_funding(release, scenario_from_option(release, b.option_id))
    return gap_origin(release, funding)


def gap_origin(release: Release, funding: pd.DataFrame) -> str:
    """'Missing from 2027Q3: Private sector PKR 394 M, Philanthropy PKR 120 M …' from a funding frame's gap column."""
    labels = release.table("funding_sources").set_index("source_id")["name"]
    by_source = funding.groupby("source_id", observed=True)["gap"].sum().sort_values(ascending=False)
    by_source = by_source[by_source > 0.05]
    first = funding.loc[funding["gap"] > 0.05, "quarter"].astype(str)
    parts = ", ".join(f"{labels.get(k, k)} {money(v, 'PKR')}" for k, v in by_source.items())
    return f"Missing from {first.min()} on: {parts}." if len(first) else "No funding gap."


def yearly_bars(data: pd.DataFrame, value: str, currency: str, *, height: int) -> go.Figure:
    """Money by year (text column `year`), stacked by `source`, patterned; the legend above the bars, each entry wrapped
    so that a phone shows it whole."""
    data = data.assign(source=[wrap_label(s) for s in data["source"]])
    fig = with_patterns(
        px.bar(
            data,
            x="year",
            y=value,
            color="source",
            labels={"year": "", value: f"{currency} million", "source": "Source"},
            color_discrete_sequence=PALETTE,
        )
    )
    style(fig, height=height)
    # horizontal: the entries flow in rows as wide as the chart; maxheight 1: the whole legend shows, never a scrolled part
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "font": {"size": 12}, "maxheight": 1, "title": {"text": ""}})
    return fig


def gap_data(release: Release, option_id: str, phase: int | None, currency: str) -> GapData:
    """The funding gap by year and source (patterned bars)."""
    funding = phase_funding(release, scenario_from_option(release, option_id), phase)
    d = divisor(release, currency)
    f = funding.assign(year=funding["quarter"].astype(str).str[:4].astype(int), gap=funding["gap"] / d)
    gap = f.groupby(["year", "source_id"], observed=True, as_index=False)["gap"].sum()
    gap = gap[gap.groupby("source_id")["gap"].transform("sum") > 0.05 / d]
    labels = source_labels(release)
    gap = gap.assign(source=gap["source_id"].map(labels))
    name = release.table("options").set_index("option_id").at[option_id, "name"]
    table = gap.pivot_table(index="year", columns="source", values="gap", aggfunc="sum", fill_value=0.0).reset_index() if len(gap) else pd.DataFrame()
    table.columns.name = None
    table = table.rename(columns={"year": "Year"})
    total = float(funding["gap"].sum())
    if total < GAP_ZERO:
        return GapData(
            None, table, f"No funding gap under “{name}”, {phase_label(release, phase)}: every source pays its share of each hub when it is planned", ""
        )
    fig = yearly_bars(gap.assign(year=gap["year"].astype(str)), "gap", currency, height=360)
    point = f"{name}, {phase_label(release, phase)}: {money(total / d, currency)} is missing against the plan at the planned time"
    return GapData(fig, table, point, gap_origin(release, funding))


def mix_data(release: Release, option_id: str, phase: int | None, currency: str) -> ChartData:
    """Funding by year, stacked by source (patterned bars)."""
    funding = phase_funding(release, scenario_from_option(release, option_id), phase)
    mix = yearly_mix(release, funding, divisor(release, currency))
    mix = mix[mix.groupby("source_id")["amount"].transform("sum") > 1e-9]
    data = mix.assign(year=mix["year"].astype(str))
    fig = yearly_bars(data, "amount", currency, height=440)
    yearly = mix.groupby("year")["amount"].sum()
    name = release.table("options").set_index("option_id").at[option_id, "name"]
    if yearly.sum() > 0:
        point = f"{name}, {phase_label(release, phase)}: spending peaks in {int(yearly.idxmax())} at {money(float(yearly.max()), currency)}"
    else:
        point = f"{name}, {phase_label(release, phase)}: no spending within the model horizon"
    table = mix.pivot_table(index="year", columns="source", values="amount", aggfunc="sum", fill_value=0.0).reset_index()
    table.columns.name = None
    table = table.rename(columns={"year": "Year"})
    return ChartData(fig, table, point)


def _row(section: str, figure: str, value: str, provenance: str, basis: str) -> dict[str, str]:
    return {"section": section, "figure": figure, "value": value, "provenance": provenance, "basis": basis}


def provenance_rows(release: Release, view: FundingView, totals: dict[str, float], built: list[BranchData]) -> list[dict[str, str]]:
    """Every figure of the page with its provenance badge (markdown) and basis."""
    model = badge(release, None)
    labels = {
        "source": source_labels(release),
        "track": TRACK_LABELS,
        "use": USE_LABELS,
    }
    rows = []
    for node, v in totals.items():
        kind, nid = node.split(":", 1)
        stage = dict(STAGES)[kind]
        rows.append(_row("Sankey", f"{stage}: {labels[kind].get(nid, nid)}", money(v, view.currency), model, MODEL_BASIS))
    d = divisor(release, view.currency)
    for b in (item.branch for item in built):
        for what, v in (("government budgets", b.government_money), ("international partners", b.international_money), ("private sources", b.private_money)):
            rows.append(_row(f"Branch: {b.title}", f"Paid by {what}", money(v / d, view.currency), model, MODEL_BASIS))
        rows.append(_row(f"Branch: {b.title}", "Funding gap", money(b.funding_gap / d, view.currency), model, GAP_BASIS))
        rows.append(_row(f"Branch: {b.title}", "Network complete", str(b.network_complete_quarter or "not within the horizon"), model, MODEL_BASIS))
    a = release.assumptions.set_index("param_id")
    for p in ("usd_pkr", *INPUT_PARAMS):
        if p in a.index:
            rows.append(_row("Model input", str(a.at[p, "name"]), f"{a.at[p, 'value']:,g} {a.at[p, 'unit']}", param_badge(release, p), str(a.at[p, "basis"])))
    sources = release.table("funding_sources")
    if "annual_capacity_pkr_m" in sources.columns:
        basis = sources["capacity_basis"] if "capacity_basis" in sources.columns else [None] * len(sources)
        for name, cap, b in zip(sources["name"], sources["annual_capacity_pkr_m"], basis, strict=True):
            badge_md = param_badge(release, b) if isinstance(b, str) and b in a.index else model
            why = str(a.at[b, "basis"]) if isinstance(b, str) and b in a.index else "Funding sources table"
            rows.append(_row("Model input", f"Yearly capacity: {name}", f"PKR {cap:,.0f} M a year", badge_md, why))
    rows.append(
        _row(
            "Model input",
            "Funding shares by track, phase and use",
            f"{len(release.table('funding_rules'))} shares (the release's funding rules)",
            model,
            "Proposal design; no partner has committed any share",
        )
    )
    return rows
