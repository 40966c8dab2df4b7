"""The map page's content apart from drawing it: what the view switch and filters offer, the hubs a view shows,
hub names, one hub's details, coverage figures (pure: no Streamlit calls; cached by components.cached). Every text is in
the current language (pakcoe.i18n): the caches build it with the language current and the release localized."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from components.chart import PALETTE, PATTERNS, style
from components.escape import escape_md
from pakcoe import Release, i18n, labels
from pakcoe.coverage import HubFilter, coverage_by_phase, nearest_hub, province_balance
from pakcoe.display import Texts, texts
from pakcoe.i18n import t
from pakcoe.registry import NATIONAL  # the national view's id; the cluster view's id is its city's id (?view=karachi)

# Host types' labels as the Present page's hub card reads them (components.stage_views); the map reads every coded
# value through pakcoe.display instead, so a release's own labels win there.
HOST_LABELS = {
    "tvet_institute": "TVET institute",
    "university_campus": "University campus",
    "industry_park": "Industry park",
    "public_building": "Public building",
    "private_premises": "Private premises",
}
ABBREVIATIONS = ("KP", "AJK", "GB", "ICT", "TVET", "NVQF")  # written in full at their first use in a text (Texts.first_use)
_FILE_PATH = re.compile(r"\s*[\w./\-]+\.(?:csv|json|geojson|py)\b")


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
    tx = texts(release)
    city = labels.demonstrator_city(release)
    views = {
        city: t("{city} cluster", city=escape_md(labels.city_name(release, city))),  # short: both fit side by side on a phone
        NATIONAL: t("National network"),
    }
    used = dict.fromkeys(str(h) for h in release.hubs["host_type"])
    known = [h for h in HOST_LABELS if h in used] + [h for h in used if h not in HOST_LABELS]  # a stable order
    return FilterChoices(
        views,
        {int(p): str(n) for p, n in zip(phases["phase_id"], phases["name"], strict=True)},
        {str(p): tx.province(str(p)) for p in provinces["province_id"]},
        labels.hub_types(release),
        {h: tx.value("host_type", h, "hubs") for h in known},
    )


def comma() -> str:
    """The list separator of the current language."""
    return "، " if i18n.is_rtl() else ", "


def filter_summary(choices: FilterChoices, hub_filter: HubFilter) -> str:
    """The active filters in words, Markdown-safe, e.g. 'phase 2 (Major cities); Khyber Pakhtunkhwa' (empty when none)."""
    phases, provinces = choices.phases, choices.provinces
    english = i18n.current() == "en"  # English writes the types and hosts in lower case, the types in the plural
    parts = []
    if hub_filter.phases:
        parts.append(t("phase {phases}", phases=comma().join(f"{p} ({phases.get(p, '')})" for p in hub_filter.phases)))
    if hub_filter.provinces:
        parts.append(comma().join(str(provinces.get(p, "")) for p in hub_filter.provinces if p in provinces))
    if hub_filter.hub_types:
        types = comma().join(choices.types.get(k, k) for k in hub_filter.hub_types)
        parts.append(types.lower() + "s" if english else types)
    if hub_filter.host_types:
        hosts = comma().join(choices.hosts.get(h, h) for h in hub_filter.host_types)
        parts.append(t("hosted in: {hosts}", hosts=hosts.lower() if english else hosts))
    return ("; " if english else "؛ ").join(escape_md(p) for p in parts)


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


def plain_source(text: object) -> str:
    """A free-text source note as users read it: file paths in it (an origin such as 'areas/x/y.json') left out."""
    out = _FILE_PATH.sub("", "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text))
    return re.sub(r"\(\s*;\s*", "(", re.sub(r"\s+([;,)])", r"\1", out)).strip()


_RAW_ASIDE = re.compile(r"\s*\([^()]*\b[a-z0-9]+_[a-z0-9_]+\b[^()]*\)")  # an aside naming a column, e.g. '(per-row origin in coord_source)'
_LEVEL = re.compile(r"^(low|medium|high)\b", re.IGNORECASE)
_CONFIDENCE = re.compile(r"confidence:\s*([^;()]+?(?:\([^()]*\))?)\s*(?:\)\s*)?$")


def location_source(release: Release, hub: pd.Series) -> str:
    """Where a hub's coordinates come from, in words: the source's title (hubs.coord_source_id, or the source named
    before the ':' of place_ref in releases without it) and the confidence the note gives; the note itself (without
    file paths) when no source row is found."""
    source_id = hub.get("coord_source_id")
    if source_id is None or (isinstance(source_id, float) and pd.isna(source_id)):
        source_id = str(hub.get("place_ref") or "").split(":", 1)[0]
    row = release.source(str(source_id)) if source_id else None
    note = plain_source(hub.get("coord_source"))
    if row is None:
        return note
    title = _RAW_ASIDE.sub("", str(row["title"])).strip()
    found = _CONFIDENCE.search(note)
    if not found:
        return title
    level = found.group(1).strip()
    if i18n.current() != "en":  # the level's word in Urdu; the rest of the note is cited as its source wrote it
        words = {"low": t("low"), "medium": t("medium"), "high": t("high")}
        level = _LEVEL.sub(lambda m: words[m.group(1).lower()], level, count=1)
    return t("{title}; confidence: {level}", title=title, level=level)


def expand_terms(text: str, tx: Texts, terms: tuple[str, ...] = ABBREVIATIONS) -> str:
    """`text` with the first whole-word use of each abbreviation written in full ('AJK' -> 'Azad Jammu and Kashmir
    (AJK)'), unless its full name is already there."""
    for term in terms:
        found = tx.term(term)
        if found is None or found.expansion in text:
            continue
        text = re.sub(rf"(?<![\w(]){re.escape(term)}(?![\w)])", lambda _m, f=found: f.first_use, text, count=1)
    return text


@dataclass(frozen=True)
class HubDetail:
    """Everything the detail panel shows about one hub, in words (labels, never raw names)."""

    name: str
    status: str
    attributes: pd.DataFrame  # columns attribute, value
    programmes: pd.DataFrame  # the programmes its hub type offers (labelled columns)
    partners: pd.DataFrame  # the partner categories and their roles on each track (labelled columns)


def hub_detail(release: Release, hub_id: str) -> HubDetail:
    """Every attribute of a hub, the programmes its type offers and the partners involved, labelled (pakcoe.display)."""
    tx = texts(release)
    h = release.hubs.set_index("hub_id").loc[hub_id]
    cities = release.table("cities").set_index("city_id")
    phases = release.table("phases").set_index("phase_id")["name"]
    types = labels.hub_types(release)
    # the release's own focus-area labels (focus_areas.csv) where it has them; the display texts for the others
    focus = release.table("focus_areas").set_index("focus_area")["label"].to_dict() if "focus_areas" in release.tables else {}
    english = i18n.current() == "en"
    coords = f"{float(h['lat']):.4f}, {float(h['lon']):.4f}"
    attrs = pd.DataFrame(
        [
            (t("City or town"), cities.at[h["city_id"], "name"] if h["city_id"] in cities.index else tx.value("city_id", h["city_id"], "hubs")),
            (t("District"), h["district"]),
            (t("Province or territory"), tx.province(str(h["province_id"]))),
            (t("Phase"), t("Phase {n}: {name}", n=h["phase_id"], name=phases.get(h["phase_id"], ""))),
            (t("Hub type"), types.get(h["hub_type"], tx.value("hub_type", h["hub_type"], "hubs"))),
            (t("Host type (no host has agreed)"), tx.value("host_type", h["host_type"], "hubs")),
            (t("Focus areas"), comma().join(focus.get(a) or tx.value("focus_areas", a, "hubs") for a in str(h["focus_areas"]).split(";") if a)),
            *([(t("Why here"), tx.value("selection", h["selection"], "hubs"))] if "selection" in h.index else []),
            (t("Learner places a year (illustrative)"), i18n.num(int(h["learner_capacity_per_year"]))),
            (t("Planned launch"), h["launch_quarter"] if english else i18n.quarter(str(h["launch_quarter"]))),
            (t("Location precision"), tx.value("location_precision", h["location_precision"], "hubs")),
            (t("Coordinates"), coords if english else f"\u2066{coords}\u2069"),  # latitude first, left to right in Urdu too
            (t("Where the location comes from"), location_source(release, h)),
        ],
        columns=["attribute", "value"],
    )
    offers = release.table("programme_offers")
    offers = offers[offers["hub_type"] == h["hub_type"]].merge(release.table("programmes"), on="programme_id")
    level = t("NVQF level (descriptive)")
    offers[level] = offers.apply(lambda r: f"L{r.nvqf_level_min}" + (f"-{r.nvqf_level_max}" if r.nvqf_level_max != r.nvqf_level_min else ""), axis=1)
    programmes = offers[["name", level, "cohorts_per_year", "seats_per_year"]].rename(
        columns={"name": t("Programme"), **{c: tx.column(c, "programme_offers") for c in ("cohorts_per_year", "seats_per_year")}}
    )
    partners = tx.frame(release.table("partners")[["category", "role_public_track", "role_private_track"]], "partners")
    return HubDetail(str(h["name"]), tx.value("status", h["status"], "hubs"), attrs, programmes, partners)


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


@dataclass(frozen=True)
class CoverageTexts:
    """The coverage tab's titles and notes, computed from the figures they stand over (never fixed sentences)."""

    coverage_point: str
    coverage_note: str | None  # e.g. that the bars are identical, and why
    balance_point: str
    balance_note: str | None  # which provinces the point counts
    balance_empty: str | None  # set when a province-share chart says nothing (every hub shown in one province)


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else t("{first} and {last}", first=comma().join(items[:-1]), last=items[-1])


def _pct(value: float) -> str:
    """A percentage as the charts write it (one decimal)."""
    return f"{i18n.num(value, 1)}%"


def coverage_texts(data: CoverageData) -> CoverageTexts:
    """What the coverage and province-share charts show, in words, from their own data."""
    cov, bal, radius = data.coverage, data.balance, data.radius
    shares = cov["share %"].tolist()
    hubs = cov["hubs"].tolist()
    note = None
    km = i18n.num(radius)
    if not shares or hubs[-1] == 0:
        point = t("No hub shown, so no census-city population is within {km} km of one", km=km)
    elif len(set(shares)) == 1:
        point = t("Within {km} km of the hubs shown: {share} of the census-city population, the same after every phase", km=km, share=_pct(shares[-1]))
        if len(shares) > 1:
            if len(set(hubs)) == 1:
                first = cov["phase"].iloc[0]
                note = t(
                    "The {bars} bars are identical: all {n} hubs shown open in {phase}, so later phases add none here.",
                    bars=i18n.num(len(shares)),
                    n=i18n.num(hubs[-1]),
                    phase=first,
                )
            else:
                note = t(
                    "The {bars} bars are identical: the hubs later phases add bring no further counted city within {km} km.",
                    bars=i18n.num(len(shares)),
                    km=km,
                )
    else:
        point = t(
            "Within {km} km of the hubs shown: {first} of the census-city population after {phase}, {last} once all phases shown are open",
            km=km,
            first=_pct(shares[0]),
            phase=cov["phase"].iloc[0],
            last=_pct(shares[-1]),
        )
    with_hubs = bal[bal["hubs"] > 0]
    total = int(bal["hubs"].sum())
    empty = note_bal = None
    if total == 0:
        empty = t("No hub shown, so there is no share of hubs to compare with population.")
        balance = empty
    elif len(with_hubs) == 1:
        only = str(with_hubs["name"].iloc[0])
        empty = t(
            "All {n} hubs shown are in {place}, so a comparison of each province's share of hubs and of population "
            "says nothing here; the national view shows it.",
            n=i18n.num(total),
            place=only,
        )
        balance = empty
    else:
        over = bal[bal["hub_share"] > bal["population_share"]]["name"].astype(str).tolist()
        if over and len(over) < len(bal):
            balance = t(
                "{n} of {total} provinces and territories hold a larger share of the hubs shown than of the population",
                n=i18n.num(len(over)),
                total=i18n.num(len(bal)),
            )
            note_bal = t("It is {names}.", names=_names(over)) if len(over) == 1 else t("They are {names}.", names=_names(over))
        elif over:
            balance = t("Every province and territory holds a larger share of the hubs shown than of the population")
        else:
            balance = t("No province or territory holds a larger share of the hubs shown than of the population")
    return CoverageTexts(point, note, balance, note_bal, empty)


def coverage_data(release: Release, hubs: pd.DataFrame, radius: int) -> CoverageData:
    """Coverage per phase, nearest hubs and provincial balance, with their figures."""
    tx = texts(release)
    cities = release.table("cities")
    cov = coverage_by_phase(cities, hubs, radius, phases=sorted(int(p) for p in release.table("phases")["phase_id"]))
    cov["phase"] = cov["phase"].map(lambda p: t("Phases 1–{n}", n=p) if p > 1 else t("Phase {n}", n=p))
    cov["share %"] = (cov["share"] * 100).round(1)
    fig = go.Figure(
        go.Bar(
            x=cov["phase"],
            y=cov["share %"],
            text=cov["share %"].map(_pct),
            textposition="outside",  # above the bar, on white: readable over the hatching
            cliponaxis=False,
            marker_color=PALETTE[0],
            marker_pattern_shape="/",
        )
    )
    fig.update_yaxes(title=t("% of city population"), range=[0, 108])
    bal = province_balance(hubs, release.table("provinces"))
    bal["name"] = [tx.province(str(p)) for p in bal["province_id"]]
    bal["hub_share"] = (bal["hub_share"] * 100).round(1)
    bal["population_share"] = (bal["population_share"] * 100).round(1)
    fig2 = go.Figure(
        [
            go.Bar(name=t("Share of hubs"), x=bal["name"], y=bal["hub_share"], marker_color=PALETTE[1], marker_pattern_shape=PATTERNS[1]),
            go.Bar(name=t("Share of population"), x=bal["name"], y=bal["population_share"], marker_color=PALETTE[2], marker_pattern_shape=PATTERNS[2]),
        ]
    )
    fig2.update_layout(barmode="group")
    fig2.update_yaxes(title="%")
    near = nearest_hub(cities, hubs)
    near["distance_km"] = near["distance_km"].round(1)
    missing = int(((cities["population_status"] == "pbs_2023") & cities["lat"].isna()).sum())
    return CoverageData(radius, cov, near, bal, style(fig), style(fig2), missing)


def coverage_table(data: CoverageData) -> pd.DataFrame:
    """The coverage chart's data as users read it (labelled columns)."""
    cov = data.coverage
    return pd.DataFrame(
        {
            t("Phases open"): cov["phase"],
            t("Hubs shown"): cov["hubs"],
            t("Population within reach"): cov["population_covered"],
            t("Population of the counted cities"): cov["population_total"],
            t("Share within reach (%)"): cov["share %"],
            t("Cities within reach"): cov["cities_covered"],
            t("Cities counted"): cov["cities_total"],
        }
    )


def balance_table(data: CoverageData) -> pd.DataFrame:
    """The province-share chart's data as users read it (province names, labelled columns)."""
    bal = data.balance
    return pd.DataFrame(
        {
            t("Province or territory"): bal["name"],
            t("Hubs shown"): bal["hubs"],
            t("Share of hubs (%)"): bal["hub_share"],
            t("Population"): bal["population"],
            t("Share of population (%)"): bal["population_share"],
        }
    )


def nearest_table(release: Release, data: CoverageData) -> pd.DataFrame:
    """Every counted city's nearest hub shown and its distance, as users read it (names, never ids)."""
    tx = texts(release)
    near = data.nearest
    return pd.DataFrame(
        {
            t("City"): near["name"],
            t("Province or territory"): [tx.province(str(p)) for p in near["province_id"]],
            tx.column("population_2023", "cities"): near["population_2023"],
            t("Nearest hub shown"): near["nearest_hub"],
            t("Distance (km)"): near["distance_km"],
        }
    )


HUB_COLUMNS = ["hub_id", "name", "city_id", "district", "province_id", "phase_id", "hub_type", "host_type", "focus_areas"]
HUB_COLUMNS += ["learner_capacity_per_year", "launch_quarter", "status", "location_precision", "lat", "lon", "coord_source"]


def hub_rows(hubs: pd.DataFrame) -> pd.DataFrame:
    """The hub table's columns, as the CSV download keeps them (machine column ids, codes, `status`)."""
    return hubs[[c for c in HUB_COLUMNS if c in hubs.columns]]


SCREEN_HIDDEN = ("hub_id", "status", "lat", "lon", "coord_source")  # in the download and each hub's details, not the table


def hub_table_frame(release: Release, hubs: pd.DataFrame) -> pd.DataFrame:
    """The hub table as users read it: names for ids and codes, labelled columns. Coordinates, their source and the
    status (every hub is proposed: the page says so) are left to the download and to each hub's details, so the
    table fits the page's width."""
    tx = texts(release)
    rows = hub_rows(hubs).drop(columns=[c for c in SCREEN_HIDDEN if c in hubs.columns]).copy()
    rows["phase_id"] = [t("Phase {n}", n=int(p)) for p in rows["phase_id"]]
    if i18n.current() != "en" and "launch_quarter" in rows.columns:  # English keeps the release's own "2027Q3"
        rows["launch_quarter"] = [i18n.quarter(str(q)) for q in rows["launch_quarter"]]
    rows["hub_type"] = [labels.hub_types(release).get(t, t) for t in rows["hub_type"]]
    return tx.frame(rows, "hubs", keep=("phase_id", "hub_type", "name", "district"))


def population_sources(release: Release, table: pd.DataFrame) -> str:
    """The titles of the sources a table's population_source_id column cites (flagged when sources.csv calls them uncertain)."""
    titles = []
    for source_id in dict.fromkeys(table["population_source_id"].dropna()):
        row = release.source(str(source_id))
        if row is not None:
            titles.append(t("{title} (uncertain)", title=row["title"]) if row.get("uncertain") else str(row["title"]))
    if i18n.current() != "en":  # the titles are cited as written (English): no Urdu expansion inside them
        return "؛ ".join(titles) or t("no source named")
    return expand_terms("; ".join(titles), texts(release)) or t("no source named")
