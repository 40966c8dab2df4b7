"""Widgets and panels of the map page: view switch, filters, detail panel, coverage, hub table."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import urlstate
from components.chart import PALETTE, PATTERNS, chart_frame, style
from components.escape import escape_md
from components.hubmap import TYPE_LABELS
from pakcoe import Release
from pakcoe.coverage import HubFilter, coverage_by_phase, located_cities, nearest_hub, province_balance
from pakcoe.export import table_csv

FILTER_KEYS = ("phase", "province", "type", "host")
HOST_LABELS = {
    "tvet_institute": "TVET institute",
    "university_campus": "University campus",
    "industry_park": "Industry park",
    "public_building": "Public building",
    "private_premises": "Private premises",
}


VIEWS = ("karachi", "national")


def current_state(choices: FilterChoices) -> tuple[str, HubFilter]:
    """The view and the filters from session state (seeded from the URL on a session's first run).

    Read before the widgets are drawn so the filter popover's label can count the active filters; the widgets
    then hold these same values. (Sending the map before the controls, into a container placed above it, was
    measured twice with the 10 000-hub release and changed nothing: a run's elements reach the browser within
    ~50 ms and are drawn together, so their order does not decide when the map appears.)
    """
    urlstate.seed("view", options=list(VIEWS), default="karachi")
    for key, spec in _filter_specs(choices).items():
        urlstate.seed(key, options=spec["options"], default=[], multi=True, cast=spec.get("cast"))
    ss = st.session_state
    return ss["view"] or "karachi", HubFilter(tuple(ss["phase"]), tuple(ss["province"]), tuple(ss["type"]), tuple(ss["host"]))


def view_switch(national_hubs: int) -> str:
    """Karachi cluster or national network; in the URL as ?view=."""
    return urlstate.widget(
        st.segmented_control,
        "View",
        key="view",
        options=list(VIEWS),
        default="karachi",
        format_func={"karachi": "Karachi cluster (Phase 1)", "national": f"National network ({national_hubs:,} hubs)"}.get,
        required=True,
    )


SECTIONS = {"map": "Map and hub details", "coverage": "Coverage", "hubs": "Hub table"}


def sections() -> tuple[dict, str]:
    """Tabs under the filters: the map, coverage, the hub table. In the URL as ?section=; returns the open one's id.

    Only the open tab's content is built (st.tabs with on_change="rerun"), so the map tab does not wait for
    the charts and the data grid of the others.
    """
    urlstate.seed("section", options=list(SECTIONS), default="map")
    if "section-tab" not in st.session_state:
        st.session_state["section-tab"] = SECTIONS[st.session_state["section"]]
    tabs = st.tabs(list(SECTIONS.values()), key="section-tab", on_change="rerun")
    open_id = next((sid for sid, tab in zip(SECTIONS, tabs, strict=True) if tab.open), "map")
    st.session_state["section"] = open_id
    urlstate.publish("section", open_id, "map")
    return dict(zip(SECTIONS, tabs, strict=True)), open_id


def _clear_filters() -> None:
    for key in FILTER_KEYS:
        st.session_state[key] = []


@dataclass(frozen=True)
class FilterChoices:
    """What the filters offer for a release: names by id (computed once per release; cached by the caller)."""

    phases: dict[int, str]
    provinces: dict[str, str]
    hosts: list[str]


def filter_choices(release: Release) -> FilterChoices:
    """Phase and province names by id, and the host types the release's hubs use (pure)."""
    phases = release.table("phases")
    provinces = release.table("provinces")
    used = set(release.hubs["host_type"])
    return FilterChoices(
        {int(p): str(n) for p, n in zip(phases["phase_id"], phases["name"], strict=True)},
        {str(p): str(n) for p, n in zip(provinces["province_id"], provinces["name"], strict=True)},
        [h for h in HOST_LABELS if h in used],
    )


def _filter_specs(choices: FilterChoices) -> dict[str, dict]:
    """Each filter's URL key -> its multiselect arguments (label, options, cast, format_func, placeholder)."""
    phases, provinces = choices.phases, choices.provinces
    return {
        "phase": dict(label="Phase", options=sorted(phases), cast=int, format_func=lambda p: f"{p}: {phases.get(p, '')}", placeholder="All phases"),
        "province": dict(label="Province or territory", options=list(provinces), format_func=provinces.get, placeholder="All"),
        "type": dict(label="Hub type", options=list(TYPE_LABELS), format_func=TYPE_LABELS.get, placeholder="All types"),
        "host": dict(label="Host type", options=choices.hosts, format_func=HOST_LABELS.get, placeholder="All hosts"),
    }


def filters(choices: FilterChoices, current: HubFilter) -> None:
    """Phase, province, hub type and host type filters (URL-bound) and a clear action, in a popover.

    The popover's contents are drawn only when it is opened, so the map does not wait for their code (each
    kind of widget on the page loads its own script before the page is shown; measured ~0.5 s for the clear
    button alone with 10 000 hubs). The label says how many filters are active; the caption says which.
    """
    specs = _filter_specs(choices)
    active = sum(bool(st.session_state.get(key)) for key in FILTER_KEYS)
    label = f"Filters · {active} active" if active else "Filters"
    with st.popover(label, icon=":material/filter_alt:", help="Filter the hubs by phase, province, hub type and host type"):
        for key, spec in specs.items():
            spec = dict(spec)
            urlstate.widget(st.multiselect, spec.pop("label"), key=key, default=[], multi=True, **spec)
        _clear_button(current)


def _clear_button(hub_filter: HubFilter) -> None:
    """Clear every filter (disabled when none is active)."""
    active = any((hub_filter.phases, hub_filter.provinces, hub_filter.hub_types, hub_filter.host_types))
    st.button("Clear filters", on_click=_clear_filters, key="clear-filters", icon=":material/filter_alt_off:", help="Show every hub again", disabled=not active)


def filter_summary(choices: FilterChoices, hub_filter: HubFilter) -> str:
    """The active filters in words, e.g. 'phase 2 (Major cities); Khyber Pakhtunkhwa' (empty when none)."""
    phases, provinces = choices.phases, choices.provinces
    parts = []
    if hub_filter.phases:
        parts.append("phase " + ", ".join(f"{p} ({phases.get(p, '')})" for p in hub_filter.phases))
    if hub_filter.provinces:
        parts.append(", ".join(str(provinces.get(p, p)) for p in hub_filter.provinces))
    if hub_filter.hub_types:
        parts.append(", ".join(TYPE_LABELS.get(t, t) for t in hub_filter.hub_types).lower() + "s")
    if hub_filter.host_types:
        parts.append("hosted in: " + ", ".join(HOST_LABELS.get(h, h).lower() for h in hub_filter.host_types))
    return "; ".join(escape_md(p) for p in parts)


def view_hubs(release: Release, view: str, hub_filter: HubFilter) -> pd.DataFrame:
    """The hubs the map draws: filtered, and for the Karachi view only Karachi's hubs."""
    hubs = hub_filter.apply(release.hubs)
    return hubs[hubs["city_id"] == "karachi"] if view == "karachi" else hubs


def hub_labels(release: Release) -> dict[str, str]:
    """'Name (city)' of every hub, by hub id (pure; cached by the caller)."""
    cities = release.table("cities").set_index("city_id")["name"]
    hubs = release.hubs
    return {h: f"{n} ({cities.get(c, c)})" for h, n, c in zip(hubs["hub_id"], hubs["name"], hubs["city_id"], strict=True)}


PICKER_LIMIT = 300  # a dropdown of more hubs than this is slow to draw and useless to scroll: search first


def hub_picker(labels: dict[str, str]) -> str | None:
    """Choose a hub by name (the map's text alternative); in the URL as ?hub=.

    Up to PICKER_LIMIT hubs: one dropdown of all of them. More (a large release): a search box narrows the
    dropdown to the first PICKER_LIMIT matches, and the chosen hub always stays in it.
    """
    if len(labels) <= PICKER_LIMIT:
        return urlstate.widget(
            st.selectbox, "Hub", key="hub", options=list(labels), default=None, format_func=labels.get, placeholder="Click a hub on the map, or choose one"
        )
    urlstate.seed("hub", options=list(labels), default=None)
    query = (
        st.text_input(f"Find a hub ({len(labels):,} in this release)", key="hub-search", placeholder="Part of a name, city or hub id", max_chars=80)
        .strip()
        .lower()
    )
    chosen = st.session_state.get("hub")
    found = (h for h, label in labels.items() if not query or query in label.lower() or query in h)
    matches = list(itertools.islice(found, PICKER_LIMIT))
    if chosen in labels and chosen not in matches:
        matches.insert(0, chosen)
    value = st.selectbox(
        f"Hub ({len(matches)} shown)", matches, key="hub", format_func=labels.get, placeholder="Click a hub on the map, or choose one", persist_state="session"
    )
    urlstate.publish("hub", value, None)
    return value


SELECTION_LABELS = {
    "karachi_cluster": "Part of the Karachi demonstrator cluster",
    "major_city": "A major city or provincial capital",
    "district_round_1": "Town-selection rule, first round: the district's first hub",
    "district_round_2": "Town-selection rule, second round: one of the province's largest towns without a hub",
}


def detail_panel(release: Release, hub_id: str) -> None:
    """Every attribute of a hub, the programmes its type offers and the partners involved."""
    h = release.hubs.set_index("hub_id").loc[hub_id]
    cities = release.table("cities").set_index("city_id")
    provinces = release.table("provinces").set_index("province_id")["name"]
    phases = release.table("phases").set_index("phase_id")["name"]
    focus_labels = release.table("focus_areas").set_index("focus_area")["label"].to_dict() if "focus_areas" in release.tables else {}
    st.subheader(escape_md(h["name"]))
    st.caption(f"Status: {escape_md(h['status'])} · a concept, not an agreed site · data release {release.version}")
    attrs = pd.DataFrame(
        [
            ("Hub id", hub_id),
            ("City or town", cities.at[h["city_id"], "name"] if h["city_id"] in cities.index else h["city_id"]),
            ("District", h["district"]),
            ("Province or territory", provinces.get(h["province_id"], h["province_id"])),
            ("Phase", f"{h['phase_id']}: {phases.get(h['phase_id'], '')}"),
            ("Hub type", TYPE_LABELS.get(h["hub_type"], h["hub_type"])),
            ("Host type (no host has agreed)", HOST_LABELS.get(h["host_type"], h["host_type"])),
            ("Focus areas", ", ".join(focus_labels.get(a, a.replace("_", " ")) for a in h["focus_areas"].split(";"))),
            *([("Why here", SELECTION_LABELS.get(h["selection"], h["selection"]))] if "selection" in h.index else []),
            ("Learner places a year (illustrative)", f"{int(h['learner_capacity_per_year']):,}"),
            ("Planned launch", h["launch_quarter"]),
            ("Location precision", h["location_precision"]),
            ("Coordinates", f"{float(h['lat']):.4f}, {float(h['lon']):.4f}"),
            ("Coordinate source", h["coord_source"]),
        ],
        columns=["attribute", "value"],
    )
    st.dataframe(attrs, hide_index=True, column_config={"value": st.column_config.TextColumn(width="large")})
    offers = release.table("programme_offers")
    offers = offers[offers["hub_type"] == h["hub_type"]].merge(release.table("programmes"), on="programme_id")
    offers["NVQF (descriptive)"] = offers.apply(
        lambda r: f"L{r.nvqf_level_min}" + (f"-{r.nvqf_level_max}" if r.nvqf_level_max != r.nvqf_level_min else ""), axis=1
    )
    st.markdown("**Programmes this hub type offers** (seats a year, illustrative; nothing is accredited)")
    st.dataframe(offers[["name", "NVQF (descriptive)", "cohorts_per_year", "seats_per_year"]], hide_index=True)
    st.markdown("**Partners involved** (categories; no organisation has agreed)")
    st.dataframe(release.table("partners")[["category", "role_public_track", "role_private_track"]], hide_index=True)


def radius_slider() -> int:
    """Reach radius in km; in the URL as ?radius=."""
    return urlstate.widget(
        st.slider,
        "Reach radius (km)",
        key="radius",
        default=25,
        cast=int,
        valid=lambda v: 5 <= v <= 150 and v % 5 == 0,
        min_value=5,
        max_value=150,
        step=5,
    )


@dataclass(frozen=True)
class CoverageData:
    """Everything the coverage section shows, computed once per release, hubs and radius."""

    radius: int
    coverage: pd.DataFrame
    nearest: pd.DataFrame
    balance: pd.DataFrame
    coverage_fig: go.Figure
    balance_fig: go.Figure
    cities_missing: int


def coverage_data(release: Release, hubs: pd.DataFrame, radius: int) -> CoverageData:
    """Coverage per phase, nearest hubs and provincial balance, with their figures (pure; cached by the caller)."""
    cities = release.table("cities")
    cov = coverage_by_phase(cities, hubs, radius, phases=sorted(int(p) for p in release.table("phases")["phase_id"]))
    cov["phase"] = cov["phase"].map(lambda p: f"Phases 1–{p}" if p > 1 else "Phase 1")
    cov["share %"] = (cov["share"] * 100).round(1)
    fig = go.Figure(
        go.Bar(
            x=cov["phase"],
            y=cov["share %"],
            text=cov["share %"].map(lambda v: f"{v:.1f}%"),
            textposition="outside",  # above the bar, on white: readable over the hatching
            cliponaxis=False,
            marker_color=PALETTE[0],
            marker_pattern_shape="/",
        )
    )
    fig.update_yaxes(title="% of city population", range=[0, 108])
    bal = province_balance(hubs, release.table("provinces"))
    bal["hub_share"] = (bal["hub_share"] * 100).round(1)
    bal["population_share"] = (bal["population_share"] * 100).round(1)
    fig2 = go.Figure(
        [
            go.Bar(name="Share of hubs", x=bal["name"], y=bal["hub_share"], marker_color=PALETTE[1], marker_pattern_shape=PATTERNS[1]),
            go.Bar(name="Share of population", x=bal["name"], y=bal["population_share"], marker_color=PALETTE[2], marker_pattern_shape=PATTERNS[2]),
        ]
    )
    fig2.update_layout(barmode="group")
    fig2.update_yaxes(title="%")
    near = nearest_hub(cities, hubs)
    near["distance_km"] = near["distance_km"].round(1)
    missing = int(((cities["population_status"] == "pbs_2023") & cities["lat"].isna()).sum())
    return CoverageData(radius, cov, near, bal, style(fig), style(fig2), missing)


def population_sources(release: Release, table: pd.DataFrame) -> str:
    """The titles of the sources a table's population_source_id column cites (flagged when sources.csv calls them uncertain)."""
    titles = []
    for source_id in dict.fromkeys(table["population_source_id"].dropna()):
        row = release.source(str(source_id))
        if row is not None:
            titles.append(f"{row['title']}{' (uncertain)' if row.get('uncertain') else ''}")
    return "; ".join(titles) or "no source named"


def coverage(release: Release, data: CoverageData) -> None:
    """Population within reach for the chosen radius, per phase; nearest hub of every city; provincial balance."""
    cov = data.coverage
    counted = located_cities(release.table("cities"))
    chart_frame(
        data.coverage_fig,
        point=f"Within {data.radius} km of a hub shown: {cov['share %'].iloc[-1]:.1f}% of the census city population once all phases are open",
        units=f"% of the population of {int(cov['cities_total'].iloc[0])} census-counted cities with coordinates ({data.cities_missing} cities without offline coordinates are left out)",
        release=release,
        source=f"{population_sources(release, counted)} (cities.csv); hub locations (hubs.csv); great-circle distance",
        data=cov[["phase", "hubs", "population_covered", "population_total", "share %", "cities_covered", "cities_total"]],
        key="map-coverage",
    )
    with st.expander(f"Nearest hub and distance for every city ({len(data.nearest)} cities)"):
        st.dataframe(data.nearest, hide_index=True)
    chart_frame(
        data.balance_fig,
        point="The equity floor gives small provinces and territories more hubs than their population share",
        units="% of the hubs shown; % of population (provinces.csv)",
        release=release,
        source=f"hubs.csv; provinces.csv ({population_sources(release, release.table('provinces'))})",
        data=data.balance,
        key="map-province-balance",
    )


TABLE_ROWS = 1000  # rows shown on the page; the download always holds every filtered hub


def hub_table(release: Release, hubs: pd.DataFrame) -> None:
    """The filtered hubs with a CSV download carrying the release id (formula-safe)."""
    cols = ["hub_id", "name", "city_id", "district", "province_id", "phase_id", "hub_type", "host_type", "focus_areas"]
    cols += ["learner_capacity_per_year", "launch_quarter", "location_precision", "lat", "lon", "coord_source"]
    st.dataframe(hubs[cols].head(TABLE_ROWS), hide_index=True)
    if len(hubs) > TABLE_ROWS:
        st.caption(f"The first {TABLE_ROWS:,} of {len(hubs):,} hubs are shown; the download holds all of them.")
    st.download_button(
        f"Download these {len(hubs)} hubs (CSV)",
        data=lambda: table_csv(hubs[cols], release.id),  # built on click, not on every rerun
        file_name=f"pak-ai-coe-hubs-{release.version}.csv",
        mime="text/csv",
        key="download-hubs",
        icon=":material/download:",
    )
