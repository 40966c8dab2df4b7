"""The map page's content apart from drawing it: what the view switch and filters offer, the hubs a view shows,
hub names, one hub's details, coverage figures (pure: no Streamlit calls; cached by components.cached)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from components.chart import PALETTE, PATTERNS, style
from components.escape import escape_md
from pakcoe import Release, labels
from pakcoe.coverage import HubFilter, coverage_by_phase, nearest_hub, province_balance
from pakcoe.registry import NATIONAL  # the national view's id; the cluster view's id is its city's id (?view=karachi)

# Host types and selection reasons have no table in a release yet: their labels stand here until they do.
HOST_LABELS = {
    "tvet_institute": "TVET institute",
    "university_campus": "University campus",
    "industry_park": "Industry park",
    "public_building": "Public building",
    "private_premises": "Private premises",
}
SELECTION_LABELS = {
    "karachi_cluster": "Part of the Karachi demonstrator cluster",
    "major_city": "A major city or provincial capital",
    "district_round_1": "Town-selection rule, first round: the district's first hub",
    "district_round_2": "Town-selection rule, second round: one of the province's largest towns without a hub",
}


@dataclass(frozen=True)
class FilterChoices:
    """What the view switch and the filters offer for a release: names by id (computed once per release)."""

    views: dict[str, str]  # view id -> label (Markdown-safe): the demonstrator city's cluster first, then NATIONAL
    phases: dict[int, str]
    provinces: dict[str, str]
    types: dict[str, str]  # hub types, from hub_types.csv
    hosts: dict[str, str]  # the host types the release's hubs use

    @property
    def default_view(self) -> str:
        """The cluster view: the one a link without ?view= opens."""
        return next(iter(self.views))


def filter_choices(release: Release) -> FilterChoices:
    """The views, and the phases, provinces, hub types and host types to filter by, with their names."""
    phases = release.table("phases")
    provinces = release.table("provinces")
    city = labels.demonstrator_city(release)
    first_phase = int(release.hubs["phase_id"].min())
    views = {
        city: f"{escape_md(labels.city_name(release, city))} cluster (Phase {first_phase})",
        NATIONAL: f"National network ({len(release.hubs):,} hubs)",
    }
    used = set(release.hubs["host_type"])
    return FilterChoices(
        views,
        {int(p): str(n) for p, n in zip(phases["phase_id"], phases["name"], strict=True)},
        {str(p): str(n) for p, n in zip(provinces["province_id"], provinces["name"], strict=True)},
        labels.hub_types(release),
        {h: label for h, label in HOST_LABELS.items() if h in used},
    )


def filter_summary(choices: FilterChoices, hub_filter: HubFilter) -> str:
    """The active filters in words, Markdown-safe, e.g. 'phase 2 (Major cities); Khyber Pakhtunkhwa' (empty when none)."""
    phases, provinces = choices.phases, choices.provinces
    parts = []
    if hub_filter.phases:
        parts.append("phase " + ", ".join(f"{p} ({phases.get(p, '')})" for p in hub_filter.phases))
    if hub_filter.provinces:
        parts.append(", ".join(str(provinces.get(p, p)) for p in hub_filter.provinces))
    if hub_filter.hub_types:
        parts.append(", ".join(choices.types.get(t, t) for t in hub_filter.hub_types).lower() + "s")
    if hub_filter.host_types:
        parts.append("hosted in: " + ", ".join(HOST_LABELS.get(h, h).lower() for h in hub_filter.host_types))
    return "; ".join(escape_md(p) for p in parts)


def _in_view(hubs: pd.DataFrame, view: str) -> pd.DataFrame:
    return hubs if view == NATIONAL else hubs[hubs["city_id"] == view]


def view_hubs(release: Release, view: str, hub_filter: HubFilter) -> pd.DataFrame:
    """The hubs the map draws: filtered, and for a cluster view only its city's hubs."""
    return _in_view(hub_filter.apply(release.hubs), view)


def view_total(release: Release, view: str) -> int:
    """How many hubs the view holds before filtering."""
    return len(_in_view(release.hubs, view))


def hub_labels(release: Release) -> dict[str, str]:
    """'Name (city)' of every hub, by hub id."""
    cities = release.table("cities").set_index("city_id")["name"]
    hubs = release.hubs
    return {h: f"{n} ({cities.get(c, c)})" for h, n, c in zip(hubs["hub_id"], hubs["name"], hubs["city_id"], strict=True)}


@dataclass(frozen=True)
class HubDetail:
    """Everything the detail panel shows about one hub."""

    name: str
    status: str
    attributes: pd.DataFrame  # columns attribute, value
    programmes: pd.DataFrame  # the programmes its hub type offers
    partners: pd.DataFrame  # the partner categories and their roles on each track


def hub_detail(release: Release, hub_id: str) -> HubDetail:
    """Every attribute of a hub, the programmes its type offers and the partners involved."""
    h = release.hubs.set_index("hub_id").loc[hub_id]
    cities = release.table("cities").set_index("city_id")
    provinces = release.table("provinces").set_index("province_id")["name"]
    phases = release.table("phases").set_index("phase_id")["name"]
    types = labels.hub_types(release)
    focus_labels = release.table("focus_areas").set_index("focus_area")["label"].to_dict() if "focus_areas" in release.tables else {}
    attrs = pd.DataFrame(
        [
            ("Hub id", hub_id),
            ("City or town", cities.at[h["city_id"], "name"] if h["city_id"] in cities.index else h["city_id"]),
            ("District", h["district"]),
            ("Province or territory", provinces.get(h["province_id"], h["province_id"])),
            ("Phase", f"{h['phase_id']}: {phases.get(h['phase_id'], '')}"),
            ("Hub type", types.get(h["hub_type"], h["hub_type"])),
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
    offers = release.table("programme_offers")
    offers = offers[offers["hub_type"] == h["hub_type"]].merge(release.table("programmes"), on="programme_id")
    offers["NVQF (descriptive)"] = offers.apply(
        lambda r: f"L{r.nvqf_level_min}" + (f"-{r.nvqf_level_max}" if r.nvqf_level_max != r.nvqf_level_min else ""), axis=1
    )
    programmes = offers[["name", "NVQF (descriptive)", "cohorts_per_year", "seats_per_year"]]
    partners = release.table("partners")[["category", "role_public_track", "role_private_track"]]
    return HubDetail(str(h["name"]), str(h["status"]), attrs, programmes, partners)


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
    """Coverage per phase, nearest hubs and provincial balance, with their figures."""
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
