"""What a presentation stop shows, as data (no Streamlit calls): the blocks of one page state's view, in order.

components.stage draws these blocks on the Present page; components.export_deck draws the same blocks into a PDF page
or a PowerPoint slide. Each page's view is built from the pages' own builders, reached through `src`: the app passes
components.cached (its caches, keyed by the release version), an export passes `Builders(release)`, which calls the
same pure builders directly and keeps what it built for the rest of the deck. A section the release lacks falls back
to the page's first section, as the page does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import plotly.graph_objects as go

from components import stage_map
from components import stage_views as sv
from components.funding_figures import FundingView, branch_data, divisor, gap_data, mix_data, money, provenance_rows, sankey_data
from components.map_data import coverage_data, coverage_texts, view_hubs, view_total
from components.overview_figures import dual_track_dot, pillars
from components.partners_figures import governance_data, programmes_data, raci_data, risks_table
from components.rollout_detail import range_texts, sensitivity_data
from components.rollout_figures import (
    at_horizon,
    compare_data,
    custom_scenario,
    data_notes,
    kpis,
    levers,
    methodology_text,
    option_names,
    phases_data,
    scenarios,
    warning_label,
)
from components.stage_figures import without_milestones
from pakcoe import Release, registry
from pakcoe.coverage import HubFilter
from pakcoe.funding import branches, track_labels
from pakcoe.i18n import t
from pakcoe.model import APPLIED_RULE_TOPICS, comparison_horizon, run_model, scenario_from_option
from pakcoe.uncertainty import ranges

State = Mapping[str, Any]


# ---------------------------------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True)
class Html:
    """HTML built by components.stage_views (every text in it escaped there). `fill`: a block whose grids of cards
    share the height the other blocks leave."""

    markup: str
    fill: bool = False


@dataclass(frozen=True)
class Chart:
    """A page's figure (as its builder made it: the drawer restyles it for a projector) under the point it makes;
    `empty`: a sentence drawn instead of the figure."""

    figure: go.Figure | None
    point: str
    key: str
    alt: str | None = None
    empty: str | None = None


@dataclass(frozen=True)
class Map:
    """The hub map of a view and filter; `ring`: the accessible name's start of the hub to ring; `side`: HTML beside
    the map (a hub's key facts)."""

    view: str
    hub_filter: HubFilter
    ring: str | None = None
    side: str | None = None


@dataclass(frozen=True)
class Graph:
    """A Graphviz picture (DOT source) with HTML beside it."""

    dot: str
    side: str


Block = Html | Chart | Map | Graph


# ---------------------------------------------------------------------------------------------------
# Where the builders' results come from


class Source(Protocol):
    """The builders a stop's view draws on, keyed by release version (components.cached's functions have these names)."""

    def coverage(self, version: str, view: str, hub_filter: HubFilter, radius: int) -> Any: ...
    def phases(self, version: str, scenario: Any, option_name: str) -> Any: ...
    def rollout_levers(self, version: str) -> Any: ...
    def comparison_horizon(self, version: str, scenarios: tuple) -> int: ...
    def compare(self, version: str, scenarios: tuple, labels: tuple[str, ...]) -> Any: ...
    def option_ranges(self, version: str, scenarios: tuple) -> tuple: ...
    def sensitivity(self, version: str, scenario: Any, label: str) -> Any: ...
    def data_notes(self, version: str) -> tuple[str, ...]: ...
    def funding_branches(self, version: str) -> list: ...
    def funding_mix(self, version: str, option_id: str, phase: int | None, currency: str) -> Any: ...
    def funding_gap(self, version: str, option_id: str, phase: int | None, currency: str) -> Any: ...
    def funding_sankey(self, version: str, option_id: str, phase: int | None, currency: str) -> Any: ...
    def raci_figure(self, version: str, track: str) -> Any: ...
    def programmes_figure(self, version: str) -> Any: ...
    def methodology(self, version: str) -> Any: ...


@dataclass
class Builders:
    """The pages' pure builders for one release, outside the app (no Streamlit cache): what one built is kept for the
    rest of the deck (a deck shows the same model runs on several stops)."""

    release: Release
    _kept: dict[str, Any] = field(default_factory=dict, repr=False)

    def _keep(self, name: str, args: tuple, build: Callable[[], Any]) -> Any:
        key = f"{name}{args!r}"
        if key not in self._kept:
            self._kept[key] = build()
        return self._kept[key]

    def _check(self, version: str) -> Release:
        if version != self.release.version:
            raise ValueError(f"these builders are for data release {self.release.version}, not {version}")
        return self.release

    def coverage(self, version: str, view: str, hub_filter: HubFilter, radius: int) -> Any:
        r = self._check(version)
        return self._keep("coverage", (view, hub_filter, radius), lambda: coverage_data(r, view_hubs(r, view, hub_filter), radius))

    def phases(self, version: str, scenario: Any, option_name: str) -> Any:
        r = self._check(version)
        return self._keep("phases", (scenario, option_name), lambda: phases_data(r, scenario, option_name))

    def rollout_levers(self, version: str) -> Any:
        r = self._check(version)
        return self._keep("levers", (), lambda: levers(r))

    def comparison_horizon(self, version: str, scenarios: tuple) -> int:
        r = self._check(version)
        return max(self._keep("horizon", (s,), lambda s=s: comparison_horizon(r, (s,))) for s in scenarios)

    def model_run(self, version: str, scenario: Any) -> Any:
        r = self._check(version)
        return self._keep("run", (scenario,), lambda: run_model(r, scenario))

    def compare(self, version: str, scenarios: tuple, labels: tuple[str, ...]) -> Any:
        r = self._check(version)
        return self._keep("compare", (scenarios, labels), lambda: compare_data(r, scenarios, labels, tuple(self.model_run(version, s) for s in scenarios)))

    def option_ranges(self, version: str, scenarios: tuple) -> tuple:
        r = self._check(version)
        return tuple(self._keep("ranges", (s,), lambda s=s: ranges(r, s)) for s in scenarios)

    def sensitivity(self, version: str, scenario: Any, label: str) -> Any:
        r = self._check(version)
        return self._keep("sensitivity", (scenario, label), lambda: sensitivity_data(r, scenario, label))

    def data_notes(self, version: str) -> tuple[str, ...]:
        r = self._check(version)
        return self._keep("notes", (), lambda: data_notes(r))

    def funding_branches(self, version: str) -> list:
        r = self._check(version)
        return self._keep("branches", (), lambda: [branch_data(r, b) for b in branches(r)])

    def funding_mix(self, version: str, option_id: str, phase: int | None, currency: str) -> Any:
        r = self._check(version)
        return self._keep("mix", (option_id, phase, currency), lambda: mix_data(r, option_id, phase, currency))

    def funding_gap(self, version: str, option_id: str, phase: int | None, currency: str) -> Any:
        r = self._check(version)
        return self._keep("gap", (option_id, phase, currency), lambda: gap_data(r, option_id, phase, currency))

    def funding_sankey(self, version: str, option_id: str, phase: int | None, currency: str) -> Any:
        r = self._check(version)
        return self._keep("sankey", (option_id, phase, currency), lambda: sankey_data(r, option_id, phase, currency))

    def raci_figure(self, version: str, track: str) -> Any:
        r = self._check(version)
        return self._keep("raci", (track,), lambda: raci_data(r, track))

    def programmes_figure(self, version: str) -> Any:
        r = self._check(version)
        return self._keep("programmes", (), lambda: programmes_data(r))

    def methodology(self, version: str) -> Any:
        r = self._check(version)
        return self._keep("methodology", (), lambda: methodology_text(r))


# ---------------------------------------------------------------------------------------------------
# Views


def section(release: Release, page_id: str, state: State) -> str:
    """The section the state asks for, or the page's first one when the release lacks it (as the page draws it)."""
    drawn = registry.drawn_sections(release, page_id)
    wanted = state.get(registry.SECTION_PARAM[page_id])
    return wanted if wanted in drawn else next(iter(drawn))


def blocks(release: Release, resolved: registry.Resolved, src: Source) -> tuple[Block, ...]:
    """What the page state's main view shows, in order."""
    page = resolved.page
    assert page is not None
    view = VIEWS.get(page.id)
    if view is None:
        return (statement(t("This stop shows a page the stage does not draw; open it in the app.")),)
    return tuple(view(release, resolved.state, src))


def statement(text: str) -> Html:
    """One sentence in large type: what the view would show is not there."""
    return Html(sv.line_html(text, "statement"))


def fill(*markups: str) -> Html:
    """HTML blocks that fill the stage: their grids of cards share the height the other blocks leave."""
    return Html("".join(markups), fill=True)


def table_of(frame: Any, *, scale: float = 1.0) -> sv.Table:
    """A builder's small table (its columns already in words) as a stage table whose cells wrap."""
    rows = tuple(tuple(str(v) for v in r) for r in frame.itertuples(index=False))
    return sv.Table(tuple(str(c) for c in frame.columns), rows[: sv.ROWS], wrap=True, scale=scale)


def overview(release: Release, state: State, src: Source) -> list[Block]:
    """The section as a projector version: big cards, a short table or the dual-track picture."""
    part = section(release, "overview", state)
    if part == "hub-model":
        return [fill(sv.cards_html(sv.hub_users(release)), sv.cards_html(sv.hub_type_cards(release)))]
    if part == "demonstrator":
        design = sv.design(release, pillars())
        return [fill(sv.cards_html(design) if design is not None else "", sv.table_html(sv.exit_criteria(release)))]
    if part == "vision":
        goals = sv.goals(release)
        return [fill(sv.cards_html(goals) if goals is not None else "", sv.table_html(sv.phases(release)))]
    if part == "tracks":
        return [Graph(dual_track_dot(release), sv.cards_html(sv.tracks(release)))]
    if part == "influences":
        return [fill(sv.cards_html(sv.influences(release)))]
    if part == "status":
        cards, distinct = sv.status(release)
        return [fill(sv.cards_html(cards), *(sv.line_html(text) for text in distinct))]
    return [fill(sv.cards_html(dataclasses.replace(sv.gaps(release, pillars()), scale=1.4)))]


def map_filter(state: State) -> HubFilter:
    """The hub map page's filter in a page state."""
    return HubFilter(tuple(state["phase"]), tuple(state["province"]), tuple(state["type"]), tuple(state["host"]))


def hub_map(release: Release, state: State, src: Source) -> list[Block]:
    """The map (with a hub's key facts beside it), coverage, or the view's first hubs."""
    view, hub_filter = state["view"], map_filter(state)
    part = section(release, "map", state)
    if part == "coverage":
        data = src.coverage(release.version, view, hub_filter, int(state["radius"]))
        return [Chart(data.coverage_fig, coverage_texts(data).coverage_point, "coverage")]  # computed from the bars drawn
    if part == "hubs":
        return [Html(sv.table_html(sv.hub_rows(release, view_hubs(release, view, hub_filter), view_total(release, view))))]
    legend = Html(stage_map.legend(release, view))  # under the map (and the facts): they keep the column's height
    hub = state.get("hub")
    if hub:
        facts = sv.hub_facts(release, hub)
        shown = hub in set(view_hubs(release, view, hub_filter)["hub_id"])
        where = t("Ringed on the map.") if shown else t("Not among the hubs this view of the map shows.")
        side = sv.cards_html(sv.Cards((dataclasses.replace(facts, lines=(where,)),), 1, clamp=6))
        return [Map(view, hub_filter, facts.title, side), legend]
    return [Map(view, hub_filter), legend]


def phases(release: Release, state: State, src: Source) -> list[Block]:
    """The phases timeline (plan, this option's openings, milestones, exit gates) of the option."""
    option = state["option"]
    name = option_names(release)[option]
    data = src.phases(release.version, scenario_from_option(release, option), name)
    alt = t("Timeline of the phases, planned and modelled; stars mark where the model meets each exit gate (the app's page lists every milestone).")
    return [Chart(without_milestones(data.gantt), f"{name}: {data.summary_line}", "phases-gantt", alt=alt)]


def _compare_runs(release: Release, state: State, src: Source) -> tuple[tuple, tuple[str, ...], list[str]]:
    chosen = list(state["options"])
    lever_specs = src.rollout_levers(release.version)
    custom = custom_scenario(release, lever_specs, state["c_decision"], bool(state["c_gating"]), {lv.field: state[lv.key] for lv in lever_specs})
    runs, labels = scenarios(release, chosen, custom)
    return at_horizon(runs, src.comparison_horizon(release.version, runs)), labels, chosen


def compare(release: Release, state: State, src: Source) -> list[Block]:
    """Key figures with ranges (and the hubs-over-time chart), or one other section's main chart or table."""
    if len(state["options"]) < 2:
        return [statement(t("This stop compares fewer than two options; choose two to four in the app."))]
    runs, labels, chosen = _compare_runs(release, state, src)
    data = src.compare(release.version, runs, labels)
    part = section(release, "compare", state)
    base_i = chosen.index(state["baseline"]) if state.get("baseline") in chosen else 0
    if part == "differs":
        frame = data.differs if state.get("differences", True) else data.levers
        if frame.empty:
            return [statement(t("The chosen options have the same levers: their results are identical."))]
        return [Html(sv.point_html(t("What differs between these options"))), Html(sv.table_html(table_of(frame, scale=1.2)))]
    if part == "gates":
        return [Html(sv.point_html(t("When each phase gate is met under each option"))), Html(sv.table_html(table_of(data.gates, scale=1.2)))]
    if part == "warnings":
        cards = tuple(
            sv.Card(
                label,
                () if found else (t("No problems found."),),
                items=tuple(f"{warning_label(w.kind)}: {w.text}" for w in found[:3]),
            )
            for label, found in zip(data.labels, data.warnings, strict=True)
        )
        return [fill(sv.cards_html(sv.Cards(cards, min(len(cards), 2), clamp=3, scale=1.1)))]
    if part == "over-time":
        return [Chart(data.hubs_fig, t("When the hubs open under each option"), "compare-hubs")]
    if part == "sensitivity":
        built = src.sensitivity(release.version, runs[base_i], labels[base_i])
        return [Chart(built.figure, built.point, "compare-sensitivity", empty=None if built.figure is not None else built.point + ".")]
    if part == "provinces":
        return [Chart(data.province_fig, t("Hubs per province and territory at the end of the horizon"), "compare-provinces")]
    if part == "notes":
        return [fill(sv.cards_html(sv.notes(src.data_notes(release.version), sv.milestone_titles(release))))]
    option_ranges = src.option_ranges(release.version, runs)
    kpi_table = sv.kpis_html(data.labels, [kpis(r) for r in data.results], [range_texts(r) for r in option_ranges], data.last_quarter)
    return [Html(kpi_table), Chart(data.hubs_fig, t("When the hubs open under each option"), "compare-hubs")]


def _funding_view(state: State) -> FundingView:
    phase = state["fund_phase"]
    return FundingView(state["fund_option"], None if phase in (None, registry.ALL_PHASES) else int(phase), state["fund_currency"] or "PKR")


def funding(release: Release, state: State, src: Source) -> list[Block]:
    """Who pays for what (the Sankey), the dual track's branches, the yearly mix, the gap, or the Sankey's figures."""
    view = _funding_view(state)
    part = section(release, "funding", state)
    v = release.version
    if part == "tracks":
        d = divisor(release, view.currency)
        cards = []
        for i, item in enumerate(src.funding_branches(v)):
            b = item.branch
            cards.append(
                sv.Card(
                    f"{i + 1} · {b.title}",
                    (b.consequence, item.point + "."),
                    items=(
                        t("Government budgets: {amount}", amount=money(b.government_money / d, view.currency)),
                        t("Private sources: {amount}", amount=money(b.private_money / d, view.currency)),
                        t("International partners: {amount}", amount=money(b.international_money / d, view.currency)),
                        t("Funding gap: {amount}", amount=money(b.funding_gap / d, view.currency)),
                    ),
                )
            )
        point = sv.point_html(t("Does the Government of Pakistan adopt and fund Pak AI CoE? Each answer leads to a different rollout"))
        return [fill(point, sv.cards_html(sv.Cards(tuple(cards), max(len(cards), 1), clamp=4, scale=1.4, stretch=False)))]
    if part == "mix":
        built = src.funding_mix(v, view.option_id, view.phase, view.currency)
        empty = len(built.table) == 0 or built.table.drop(columns="Year").to_numpy().sum() <= 0  # the table as shown: labelled columns
        return [Chart(built.figure, built.point, "funding-mix", empty=built.point + "." if empty else None)]
    if part == "gap":
        built = src.funding_gap(v, view.option_id, view.phase, view.currency)
        return [Chart(built.figure, built.point, "funding-gap", empty=None if built.figure is not None else built.point + ".")]
    if part == "figures":
        sankey = src.funding_sankey(v, view.option_id, view.phase, view.currency)
        rows = [r for r in provenance_rows(release, view, sankey.node_totals, []) if r["section"] == "Sankey"]
        table = sv.Table((t("Figure"), t("Amount over the model horizon")), tuple((r["figure"], r["value"]) for r in rows)[: sv.ROWS], scale=1.1)
        return [Html(sv.point_html(sankey.point)), Html(sv.table_html(table))]
    sankey = src.funding_sankey(v, view.option_id, view.phase, view.currency)
    alt = t("Sankey diagram: funding sources flow into the public or private track, which flow into the uses; node labels give each amount.")
    empty = not any(x > 0 for x in sankey.node_totals.values())
    return [Chart(sankey.figure, sankey.point, "funding-sankey", alt=alt, empty=sankey.point + "." if empty else None)]


def partners(release: Release, state: State, src: Source) -> list[Block]:
    """Partner roles on the track, the RACI chart, governance, the top risks, or the programmes chart."""
    track = state["raci_track"]
    label = track_labels()[track]  # in the current language (pakcoe.funding)
    part = section(release, "partners", state)
    if part == "raci":
        built = src.raci_figure(release.version, track)
        return [
            Chart(
                built.figure, built.point, f"raci-{track}", alt=t("RACI matrix for the {track}: each cell shows the letter R, A, C or I.", track=label.lower())
            ),
            Html(sv.line_html(t("R: responsible (does the work) · A: accountable (one per activity) · C: consulted · I: informed"), "more")),
        ]
    if part == "governance":
        built = governance_data(release, track)
        cards = (
            sv.Card(t("Who decides"), items=tuple(f"{b.name}: {b.decides}" for b in built.bodies.itertuples(index=False))[:6], tag=t("proposed")),
            sv.Card(t("Who implements"), items=tuple(built.implementers)[:8], tag=t("proposed")),
            sv.Card(t("Who funds"), items=tuple(built.funders)[:8], tag=t("proposed")),
        )
        point = sv.point_html(t("Governance on the {track}", track=label.lower()))
        return [fill(point, sv.cards_html(sv.Cards(cards, 3, clamp=6, scale=1.3, stretch=False)))]
    if part == "risks":
        return [fill(sv.cards_html(sv.risk_cards(risks_table(release))))]
    if part == "programmes":
        built = src.programmes_figure(release.version)
        return [Chart(built.figure, built.point, "programmes")]
    return [fill(sv.cards_html(sv.partner_roles(release, track, label)))]


def methodology(release: Release, state: State, src: Source) -> list[Block]:
    """The model's steps, the rules of the dual track, or the notes on the data and the model."""
    part = section(release, "methodology", state)
    if part == "rules":
        return [Html(sv.table_html(sv.rules(release, APPLIED_RULE_TOPICS)))]
    if part == "notes":
        return [fill(sv.cards_html(sv.notes(src.data_notes(release.version), sv.milestone_titles(release))))]
    return [fill(sv.cards_html(sv.formulas(release, src.methodology(release.version).sections)))]


def data(release: Release, state: State, src: Source) -> list[Block]:
    """The chosen table's first rows and columns that fit, and how many there are."""
    return [Html(sv.table_html(sv.data_rows(release, state["table"])))]


VIEWS: dict[str, Callable[[Release, State, Source], list[Block]]] = {
    "overview": overview,
    "map": hub_map,
    "phases": phases,
    "compare": compare,
    "funding": funding,
    "partners": partners,
    "methodology": methodology,
    "data": data,
}


# ---------------------------------------------------------------------------------------------------
# A stop shown for one rollout option (the briefing pack, the deck exported per option)

OPTION_PARAM = {"phases": "option", "funding": "fund_option"}  # the pages whose state names one option


def compare_choice(option: str, options: tuple[str, ...]) -> tuple[str, ...]:
    """A Compare stop's options with the chosen option first (its baseline), at most registry.MAX_OPTIONS."""
    return (option, *(o for o in options if o != option))[: registry.MAX_OPTIONS]


def with_option(resolved: registry.Resolved, option: str) -> registry.Resolved:
    """The stop's page state with the chosen option: the page's option, or Compare's first option and baseline."""
    page = resolved.page
    if page is None:
        return resolved
    state = dict(resolved.state)
    if page.id in OPTION_PARAM:
        state[OPTION_PARAM[page.id]] = option
    elif page.id == "compare":
        state["options"] = compare_choice(option, tuple(state["options"]))
        state["baseline"] = option
    return dataclasses.replace(resolved, state=state)
