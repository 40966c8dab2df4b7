"""The stage of a presentation stop: one page state (a page and its URL parameters) drawn for a projector.

Each page's view is drawn from the same cached builders as the page itself (components.cached: ChartData, the map
payload, the model runs), restyled for a projector: Plotly figures through components.stage_figures.projector (18 px
ticks and more, no dragging, no mode bar), chart titles as HTML that state the point, text as the few short cards of
components.stage_views. Everything fits the stage (present.css fixes its height): charts stretch to the room left,
text views show at most what fits and say what they leave out. A section the release lacks falls back to the page's
first section, as the page does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import cached, foliumview, sections, stage_map
from components import stage_views as sv
from components.funding_figures import FundingView, divisor, money, provenance_rows
from components.map_data import view_hubs, view_total
from components.overview import PILLARS
from components.overview_figures import dual_track_dot
from components.partners_figures import governance_data
from components.proposal_rules import risks_table
from components.rollout import WARNING_LABELS, at_horizon, scenarios
from components.rollout_detail import range_texts
from components.rollout_figures import custom_scenario, kpis, option_names
from components.stage_figures import CONFIG, projector, without_milestones
from pakcoe import Release, registry
from pakcoe.coverage import HubFilter
from pakcoe.funding import TRACK_LABELS
from pakcoe.model import APPLIED_RULE_TOPICS, scenario_from_option

STYLE = Path(__file__).parent / "styles" / "stage.css"
MAP_PX = 800  # the map's nominal height: the stage's CSS gives its frame the stage's height
State = Mapping[str, Any]


def draw(release: Release, resolved: registry.Resolved) -> None:
    """Draw the page state's main view, filling the stage."""
    st.html(STYLE)
    page = resolved.page
    assert page is not None
    VIEWS.get(page.id, _other)(release, resolved.state)


def section(release: Release, page_id: str, state: State) -> str:
    """The section the state asks for, or the page's first one when the release lacks it (as the page draws it)."""
    drawn = sections.drawn(release, page_id)
    wanted = state.get(registry.SECTION_PARAM[page_id])
    return wanted if wanted in drawn else next(iter(drawn))


# ---------------------------------------------------------------------------------------------------
# Drawing blocks


def _html(markup: str) -> None:
    st.html(markup)


def fill(*markups: str) -> None:
    """HTML blocks that fill the stage: their grids of cards share the height the other blocks leave."""
    with st.container(key="stage-fill"):
        _html("".join(markups))


def chart(fig: go.Figure | None, point: str, key: str, *, alt: str | None = None, empty: str | None = None) -> None:
    """A page's figure for the projector under its point, stretched to the stage's room (`empty`: a sentence instead)."""
    with st.container(key=f"stage-chart-{key}", height="stretch", gap="small"):
        _html(sv.point_html(point))
        if fig is None or empty:
            _html(sv.line_html(empty or point, "statement"))
            return
        st.plotly_chart(projector(fig), key=f"stage-{key}", config=CONFIG, alt=alt or point, height="stretch", width="stretch")


def table_of(frame: pd.DataFrame, *, scale: float = 1.0) -> sv.Table:
    """A builder's small table (its columns already in words) as a stage table whose cells wrap."""
    rows = tuple(tuple(str(v) for v in r) for r in frame.itertuples(index=False))
    return sv.Table(tuple(str(c) for c in frame.columns), rows[: sv.ROWS], wrap=True, scale=scale)


def statement(text: str) -> None:
    """One sentence in large type: what the view would show is not there."""
    _html(sv.line_html(text, "statement"))


def _other(release: Release, state: State) -> None:
    statement("This stop shows a page the stage does not draw; open it in the app.")


# ---------------------------------------------------------------------------------------------------
# Overview


def overview(release: Release, state: State) -> None:
    """The section as a projector version: big cards, a short table or the dual-track picture."""
    part = section(release, "overview", state)
    if part == "hub-model":
        fill(sv.cards_html(sv.hub_users(release)), sv.cards_html(sv.hub_type_cards(release)))
    elif part == "demonstrator":
        design = sv.design(release, PILLARS)
        fill(sv.cards_html(design) if design is not None else "", sv.table_html(sv.exit_criteria(release)))
    elif part == "vision":
        goals = sv.goals(release)
        fill(sv.cards_html(goals) if goals is not None else "", sv.table_html(sv.phases(release)))
    elif part == "tracks":
        left, right = st.columns([3, 2], gap="medium")
        with left.container(key="stage-graph"):
            st.graphviz_chart(dual_track_dot(release), width="stretch")
        with right:
            _html(sv.cards_html(sv.tracks(release)))
    elif part == "influences":
        fill(sv.cards_html(sv.influences(release)))
    elif part == "status":
        cards, distinct = sv.status(release)
        fill(sv.cards_html(cards), *(sv.line_html(text) for text in distinct))
    else:
        fill(sv.cards_html(dataclasses.replace(sv.gaps(release, PILLARS), scale=1.4)))


# ---------------------------------------------------------------------------------------------------
# Hub map


def hub_map(release: Release, state: State) -> None:
    """The map (with a hub's key facts beside it), coverage, or the view's first hubs."""
    view = state["view"]
    hub_filter = HubFilter(tuple(state["phase"]), tuple(state["province"]), tuple(state["type"]), tuple(state["host"]))
    part = section(release, "map", state)
    if part == "coverage":
        data = cached.coverage(release.version, view, hub_filter, int(state["radius"]))
        share = float(data.coverage["share %"].iloc[-1])
        chart(data.coverage_fig, f"Within {data.radius} km of a hub shown: {share:.1f}% of the census city population once all phases are open", "coverage")
        return
    if part == "hubs":
        _html(sv.table_html(sv.hub_rows(release, view_hubs(release, view, hub_filter), view_total(release, view))))
        return
    payload = cached.map_payload(release.version, view, hub_filter)
    hub = state.get("hub")
    if hub:
        facts = sv.hub_facts(release, hub)
        payload = dataclasses.replace(payload, header=payload.header + stage_map.map_css(facts.title))
        left, right = st.columns([3, 2], gap="medium")
        with left.container(key="stage-map"):
            foliumview.show(payload, key=f"stage-map-{view}", height=MAP_PX, returned_objects=())
        with right.container(key="stage-hub"):
            shown = hub in set(view_hubs(release, view, hub_filter)["hub_id"])
            where = "Ringed on the map." if shown else "Not among the hubs this view of the map shows."
            _html(sv.cards_html(sv.Cards((dataclasses.replace(facts, lines=(where,)),), 1, clamp=6)))
        _html(stage_map.legend(release, view))  # under both: the facts keep the column's height
        return
    payload = dataclasses.replace(payload, header=payload.header + stage_map.map_css())
    with st.container(key="stage-map"):
        foliumview.show(payload, key=f"stage-map-{view}", height=MAP_PX, returned_objects=())
    _html(stage_map.legend(release, view))


# ---------------------------------------------------------------------------------------------------
# Phases


def phases(release: Release, state: State) -> None:
    """The phases timeline (plan, this option's openings, milestones, exit gates) of the option."""
    option = state["option"]
    name = option_names(release)[option]
    data = cached.phases(release.version, scenario_from_option(release, option), name)
    alt = "Timeline of the phases, planned and modelled; stars mark where the model meets each exit gate (the app's page lists every milestone)."
    chart(without_milestones(data.gantt), f"{name}: {data.summary_line}", "phases-gantt", alt=alt)


# ---------------------------------------------------------------------------------------------------
# Compare


def _compare_runs(release: Release, state: State) -> tuple[tuple, tuple[str, ...], list[str]]:
    chosen = list(state["options"])
    levers = cached.rollout_levers(release.version)
    custom = custom_scenario(release, levers, state["c_decision"], bool(state["c_gating"]), {lv.field: state[lv.key] for lv in levers})
    runs, labels = scenarios(release, chosen, custom)
    return at_horizon(runs, cached.comparison_horizon(release.version, runs)), labels, chosen


def compare(release: Release, state: State) -> None:
    """Key figures with ranges (and the hubs-over-time chart), or one other section's main chart or table."""
    if len(state["options"]) < 2:
        statement("This stop compares fewer than two options; choose two to four in the app.")
        return
    runs, labels, chosen = _compare_runs(release, state)
    data = cached.compare(release.version, runs, labels)
    part = section(release, "compare", state)
    base_i = chosen.index(state["baseline"]) if state.get("baseline") in chosen else 0
    if part == "differs":
        frame = data.differs if state.get("differences", True) else data.levers
        if frame.empty:
            statement("The chosen options have the same levers: their results are identical.")
        else:
            _html(sv.point_html("What differs between these options"))
            _html(sv.table_html(table_of(frame, scale=1.2)))
    elif part == "gates":
        _html(sv.point_html("When each phase gate is met under each option"))
        _html(sv.table_html(table_of(data.gates, scale=1.2)))
    elif part == "warnings":
        cards = tuple(
            sv.Card(label, () if found else ("No problems found.",), items=tuple(f"{WARNING_LABELS.get(w.kind, 'Problem')}: {w.text}" for w in found[:3]))
            for label, found in zip(data.labels, data.warnings, strict=True)
        )
        fill(sv.cards_html(sv.Cards(cards, min(len(cards), 2), clamp=3, scale=1.1)))
    elif part == "over-time":
        chart(data.hubs_fig, "When the hubs open under each option", "compare-hubs")
    elif part == "sensitivity":
        built = cached.sensitivity(release.version, runs[base_i], labels[base_i])
        chart(built.figure, built.point, "compare-sensitivity", empty=None if built.figure is not None else built.point + ".")
    elif part == "provinces":
        chart(data.province_fig, "Hubs per province and territory at the end of the horizon", "compare-provinces")
    elif part == "notes":
        fill(sv.cards_html(sv.notes(cached.data_notes(release.version), sv.milestone_titles(release))))
    else:
        ranges = cached.option_ranges(release.version, runs)
        _html(sv.kpis_html(data.labels, [kpis(r) for r in data.results], [range_texts(r) for r in ranges], data.last_quarter))
        chart(data.hubs_fig, "When the hubs open under each option", "compare-hubs")


# ---------------------------------------------------------------------------------------------------
# Funding


def _funding_view(state: State) -> FundingView:
    phase = state["fund_phase"]
    return FundingView(state["fund_option"], None if phase in (None, registry.ALL_PHASES) else int(phase), state["fund_currency"] or "PKR")


def funding(release: Release, state: State) -> None:
    """Who pays for what (the Sankey), the dual track's branches, the yearly mix, the gap, or the Sankey's figures."""
    view = _funding_view(state)
    part = section(release, "funding", state)
    v = release.version
    if part == "tracks":
        d = divisor(release, view.currency)
        cards = []
        for i, item in enumerate(cached.funding_branches(v)):
            b = item.branch
            cards.append(
                sv.Card(
                    f"{i + 1} · {b.title}",
                    (b.consequence, item.point + "."),
                    items=(
                        f"Government budgets: {money(b.government_money / d, view.currency)}",
                        f"Private sources: {money(b.private_money / d, view.currency)}",
                        f"International partners: {money(b.international_money / d, view.currency)}",
                        f"Funding gap: {money(b.funding_gap / d, view.currency)}",
                    ),
                )
            )
        point = sv.point_html("Does the Government of Pakistan adopt and fund Pak AI CoE? Each answer leads to a different rollout")
        fill(point, sv.cards_html(sv.Cards(tuple(cards), max(len(cards), 1), clamp=4, scale=1.4, stretch=False)))
    elif part == "mix":
        built = cached.funding_mix(v, view.option_id, view.phase, view.currency)
        empty = len(built.table) == 0 or built.table.drop(columns="year").to_numpy().sum() <= 0
        chart(built.figure, built.point, "funding-mix", empty=built.point + "." if empty else None)
    elif part == "gap":
        built = cached.funding_gap(v, view.option_id, view.phase, view.currency)
        chart(built.figure, built.point, "funding-gap", empty=None if built.figure is not None else built.point + ".")
    elif part == "figures":
        sankey = cached.funding_sankey(v, view.option_id, view.phase, view.currency)
        rows = [r for r in provenance_rows(release, view, sankey.node_totals, []) if r["section"] == "Sankey"]
        _html(sv.point_html(sankey.point))
        _html(sv.table_html(sv.Table(("Figure", "Amount over the model horizon"), tuple((r["figure"], r["value"]) for r in rows)[: sv.ROWS], scale=1.1)))
    else:
        sankey = cached.funding_sankey(v, view.option_id, view.phase, view.currency)
        alt = "Sankey diagram: funding sources flow into the public or private track, which flow into the uses; node labels give each amount."
        empty = not any(x > 0 for x in sankey.node_totals.values())
        chart(sankey.figure, sankey.point, "funding-sankey", alt=alt, empty=sankey.point + "." if empty else None)


# ---------------------------------------------------------------------------------------------------
# Partners & roles


def partners(release: Release, state: State) -> None:
    """Partner roles on the track, the RACI chart, governance, the top risks, or the programmes chart."""
    track = state["raci_track"]
    label = TRACK_LABELS[track]
    part = section(release, "partners", state)
    if part == "raci":
        built = cached.raci_figure(release.version, track)
        chart(built.figure, built.point, f"raci-{track}", alt=f"RACI matrix for the {label.lower()}: each cell shows the letter R, A, C or I.")
        _html(sv.line_html("R: responsible (does the work) · A: accountable (one per activity) · C: consulted · I: informed", "more"))
    elif part == "governance":
        built = governance_data(release, track)
        cards = (
            sv.Card("Who decides", items=tuple(f"{b.name}: {b.decides}" for b in built.bodies.itertuples(index=False))[:6], tag="proposed"),
            sv.Card("Who implements", items=tuple(built.implementers)[:8], tag="proposed"),
            sv.Card("Who funds", items=tuple(built.funders)[:8], tag="proposed"),
        )
        fill(sv.point_html(f"Governance on the {label.lower()}"), sv.cards_html(sv.Cards(cards, 3, clamp=6, scale=1.3, stretch=False)))
    elif part == "risks":
        fill(sv.cards_html(sv.risk_cards(risks_table(release))))
    elif part == "programmes":
        built = cached.programmes_figure(release.version)
        chart(built.figure, built.point, "programmes")
    else:
        fill(sv.cards_html(sv.partner_roles(release, track, label)))


# ---------------------------------------------------------------------------------------------------
# Methodology and data


def methodology(release: Release, state: State) -> None:
    """The model's steps, the rules of the dual track, or the notes on the data and the model."""
    part = section(release, "methodology", state)
    if part == "rules":
        _html(sv.table_html(sv.rules(release, APPLIED_RULE_TOPICS)))
    elif part == "notes":
        fill(sv.cards_html(sv.notes(cached.data_notes(release.version), sv.milestone_titles(release))))
    else:
        fill(sv.cards_html(sv.formulas(release, cached.methodology(release.version).sections)))


def data(release: Release, state: State) -> None:
    """The chosen table's first rows and columns that fit, and how many there are."""
    _html(sv.table_html(sv.data_rows(release, state["table"])))


VIEWS: dict[str, Callable[[Release, State], None]] = {
    "overview": overview,
    "map": hub_map,
    "phases": phases,
    "compare": compare,
    "funding": funding,
    "partners": partners,
    "methodology": methodology,
    "data": data,
}
