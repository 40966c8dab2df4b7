"""Sections of the Funding page: controls, the Sankey, the dual-track decision flow, the yearly mix, provenance.

The figures and tables are built by components.funding_figures (pure, cached by components.cached); this module
draws them in the shared chart frame.
"""

from __future__ import annotations

import streamlit as st

from components import urlstate
from components.badges import param_badge
from components.chart import ChartData, chart_frame
from components.escape import escape_md
from components.funding_figures import BranchData, FundingView, GapData, SankeyData, branches_caption, divisor, money, source_kinds_text
from pakcoe import Release
from pakcoe.model import quarter_axis
from pakcoe.registry import ALL_PHASES


def controls(release: Release) -> FundingView:
    """Option, phase and currency, each kept in the URL (fund_option, fund_phase, fund_currency)."""
    options = release.table("options").set_index("option_id")["name"]
    c = st.columns([2, 2, 1], vertical_alignment="bottom")
    with c[0]:
        option = urlstate.widget(st.selectbox, "funding", "fund_option", "Rollout option", format_func=options.get)
    with c[1]:
        phase = urlstate.widget(
            st.segmented_control,
            "funding",
            "fund_phase",
            "Phase",
            format_func=lambda p: "All phases" if p == ALL_PHASES else f"Phase {p}",
            required=True,
        )
    with c[2]:
        currency = urlstate.widget(st.segmented_control, "funding", "fund_currency", "Currency", required=True)
    usd = release.param("usd_pkr")
    start = str(release.table("options").set_index("option_id").at[option, "start_quarter"])
    horizon = int(release.param("horizon_quarters"))
    labels, _ = quarter_axis(start, horizon)
    st.markdown(
        f"Amounts are over the model horizon, {labels[0]} to {labels[-1]} ({horizon} quarters). "
        f"USD amounts use PKR {usd:,.0f} per USD {param_badge(release, 'usd_pkr')}"
    )
    return FundingView(option, None if phase in (None, ALL_PHASES) else int(phase), currency or "PKR")


def sankey_chart(release: Release, view: FundingView, built: SankeyData) -> None:
    """The Sankey in the chart frame."""
    chart_frame(
        built.figure,
        point=built.point,
        units=f"{view.currency} million, nominal, over the model horizon",
        release=release,
        source="pakcoe.model on assumptions.csv and funding_rules.csv (illustrative assumptions)",
        data=built.links,
        key="funding-sankey",
        alt="Sankey diagram: funding sources flow into the public or private track, which flow into the uses; node labels give each amount.",
        empty=None if any(v > 0 for v in built.node_totals.values()) else built.point + ".",
    )
    st.caption(f"Read left to right: who pays → through which track → for what. {source_kinds_text(release)}")


def decision_flow(release: Release, built: list[BranchData], currency: str) -> None:
    """Three cards: the public funding decision's branches, each with its consequence from the model."""
    st.markdown("**Does the Government of Pakistan adopt and fund Pak AI CoE?** Each answer leads to a different rollout:")
    d = divisor(release, currency)
    cols = st.columns(len(built))
    for i, (col, item) in enumerate(zip(cols, built)):
        b = item.branch
        with col.container(border=True, key=f"branch-{b.decision}"):
            st.markdown(f"##### {i + 1} · {escape_md(b.title)}")
            st.markdown(f":material/arrow_forward: {escape_md(b.consequence)}")
            joins = f" Public money joins in {b.decision_quarter}." if b.decision == "delayed" and b.decision_quarter else ""
            st.caption(f"Modelled as the option '{escape_md(b.option_name)}'.{joins}")
            chart_frame(
                item.figure,
                point=item.point,
                units="hubs open at the year's last modelled quarter",
                release=release,
                source=f"pakcoe.model, option '{b.option_name}'",
                data=item.table,
                key=f"branch-chart-{b.decision}",
                empty=None if b.hubs_at_end > 0 else f"No hub opens within the model horizon under '{b.option_name}'.",
            )
            st.markdown(
                f"- Government budgets: **{money(b.government_money / d, currency)}**\n"
                f"- International partners (non-government): **{money(b.international_money / d, currency)}**\n"
                f"- Private sources: **{money(b.private_money / d, currency)}**\n"
                f"- Funding gap: **{money(b.funding_gap / d, currency)}**\n"
                f"- Total cost: {money(b.total_cost / d, currency)}"
            )
            st.caption(escape_md(item.gap))
    st.caption(branches_caption([item.branch for item in built]))


def gap_chart(release: Release, view: FundingView, built: GapData) -> None:
    """The funding gap by year and source in the chart frame, or one sentence when there is none."""
    chart_frame(
        built.figure,
        point=built.point,
        units=f"{view.currency} million a year, nominal",
        release=release,
        source="pakcoe.model: each source's yearly capacity (funding sources) against the plan's spending",
        data=built.table,
        key="funding-gap",
        empty=None if built.figure is not None else built.point + ".",
    )
    if built.origin:
        st.caption(
            f"{built.origin} Each source gives at most its yearly capacity; a hub whose share cannot be paid waits until the money is there, "
            "so the schedule slips and the gap is what the plan would have spent by then."
        )


def mix_chart(release: Release, view: FundingView, built: ChartData) -> None:
    """The yearly mix in the chart frame."""
    table = built.table
    chart_frame(
        built.figure,
        point=built.point,
        units=f"{view.currency} million a year, nominal",
        release=release,
        source="pakcoe.model on assumptions.csv and funding_rules.csv (illustrative assumptions)",
        data=table,
        key="funding-mix",
        empty=None if len(table) and table.drop(columns="year").to_numpy().sum() > 0 else built.point + ".",
    )


def provenance_table(rows: list[dict[str, str]]) -> None:
    """The provenance rows as Markdown tables (badges render in them), one tab per section group; data text escaped."""
    groups = {"Sankey": "Sankey figures", "Branch": "Decision branches", "Model input": "Model inputs"}
    tabs = st.tabs([f"{label} ({sum(r['section'].startswith(g) for r in rows)})" for g, label in groups.items()])
    for tab, group in zip(tabs, groups):
        lines = ["| section | figure | value | provenance | basis |", "| --- | --- | --- | --- | --- |"]
        for r in rows:
            if r["section"].startswith(group):
                cells = (escape_md(r["section"]), escape_md(r["figure"]), escape_md(r["value"]), r["provenance"], escape_md(r["basis"]))
                lines.append("| " + " | ".join(cells) + " |")
        tab.markdown("\n".join(lines))
