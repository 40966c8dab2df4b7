"""Widgets and panels of the map page: view switch, filters, detail panel, coverage, hub table.

What they show is built in components.map_data (pure); this module draws it. Every text in the current language
(pakcoe.i18n); widget options stay ids, their labels come from format_func."""

from __future__ import annotations

import itertools
import logging

import pandas as pd
import streamlit as st

from components import export_map, printing, table, urlstate
from components.chart import chart_frame
from components.escape import escape_md
from components.exports import table_csv
from components.folds import folded
from components.map_data import (
    CoverageData,
    FilterChoices,
    balance_table,
    coverage_table,
    coverage_texts,
    hub_detail,
    hub_rows,
    hub_table_frame,
    nearest_table,
    population_sources,
)
from pakcoe import Release, i18n
from pakcoe.coverage import HubFilter, located_cities
from pakcoe.i18n import t
from pakcoe.provenance import provenance

FILTER_KEYS = ("phase", "province", "type", "host")
LOG = logging.getLogger(__name__)


def current_state(choices: FilterChoices) -> tuple[str, HubFilter]:
    """The view and the filters from session state (seeded from the URL on a session's first run).

    Read before the widgets are drawn so the filter popover's label can count the active filters; the widgets
    then hold these same values.
    """
    urlstate.seed("map", "view", format_func=choices.views.get)  # a bad link's notice names the view, not its id
    specs = _filter_specs(choices)
    for key in FILTER_KEYS:
        urlstate.seed("map", key, format_func=specs[key]["format_func"])
    ss = st.session_state
    return ss["view"] or choices.default_view, HubFilter(tuple(ss["phase"]), tuple(ss["province"]), tuple(ss["type"]), tuple(ss["host"]))


def view_switch(choices: FilterChoices) -> str:
    """The demonstrator city's cluster or the national network; in the URL as ?view= (the city's id, or national)."""
    return urlstate.widget(st.segmented_control, "map", "view", t("View"), format_func=choices.views.get, required=True)


SECTIONS = {"map": "Map and hub details", "coverage": "Coverage", "hubs": "Hub table"}  # ids (in the URL) -> English labels


def section_labels() -> dict[str, str]:
    """The tabs' labels in the current language, by id."""
    return {"map": t("Map and hub details"), "coverage": t("Coverage"), "hubs": t("Hub table")}


def show_table(frame: pd.DataFrame, **kwargs: object) -> None:
    """A table users read: the data grid with its print copy in English, an HTML table in Urdu (the grid's canvas has
    no Urdu font)."""
    if i18n.current() == "en":
        printing.table(frame, **kwargs)
    else:
        table.show(frame, **kwargs)


def sections() -> tuple[dict, str]:
    """Tabs under the filters: the map, coverage, the hub table. In the URL as ?section=; returns the open one's id.

    Only the open tab's content is built (st.tabs with on_change="rerun"), so the map tab does not wait for
    the charts and the data grid of the others.
    """
    names = section_labels()
    urlstate.seed("map", "section", format_func=names.get)
    if st.session_state.get("section-tab") not in names.values():  # first run, or the language changed
        st.session_state["section-tab"] = names[st.session_state["section"]]
    tabs = st.tabs(list(names.values()), key="section-tab", on_change="rerun")
    open_id = next((sid for sid, tab in zip(SECTIONS, tabs, strict=True) if tab.open), "map")
    st.session_state["section"] = open_id
    urlstate.publish("map", "section", open_id)
    return dict(zip(SECTIONS, tabs, strict=True)), open_id


def _clear_filters() -> None:
    for key in FILTER_KEYS:
        st.session_state[key] = []


def _filter_specs(choices: FilterChoices) -> dict[str, dict]:
    """Each filter's URL key -> its multiselect arguments (label, format_func, placeholder; the options are pakcoe.registry's)."""
    phases, provinces = choices.phases, choices.provinces
    return {
        "phase": dict(label=t("Phase"), format_func=lambda p: t("Phase {n}: {name}", n=p, name=phases.get(p, "")), placeholder=t("All phases")),
        "province": dict(label=t("Province or territory"), format_func=provinces.get, placeholder=t("All")),
        "type": dict(label=t("Hub type"), format_func=choices.types.get, placeholder=t("All types")),
        "host": dict(label=t("Host type"), format_func=choices.hosts.get, placeholder=t("All hosts")),
    }


def filters(choices: FilterChoices, current: HubFilter) -> None:
    """Phase, province, hub type and host type filters (URL-bound) and a clear action, in a popover.

    The popover's contents are drawn only when it is opened, so the map does not wait for their code (each
    kind of widget on the page loads its own script before the page is shown). The label says how many filters
    are active; the caption says which.
    """
    specs = _filter_specs(choices)
    active = sum(bool(st.session_state.get(key)) for key in FILTER_KEYS)
    label = t("Filters · {n} active", n=i18n.num(active)) if active else t("Filters")
    with st.popover(label, icon=":material/filter_alt:", help=t("Filter the hubs by phase, province, hub type and host type")):
        for key, spec in specs.items():
            spec = dict(spec)
            urlstate.widget(st.multiselect, "map", key, spec.pop("label"), **spec)
        _clear_button(current)


def _clear_button(hub_filter: HubFilter) -> None:
    """Clear every filter (disabled when none is active)."""
    active = any((hub_filter.phases, hub_filter.provinces, hub_filter.hub_types, hub_filter.host_types))
    st.button(
        t("Clear filters"), on_click=_clear_filters, key="clear-filters", icon=":material/filter_alt_off:", help=t("Show every hub again"), disabled=not active
    )


PICKER_LIMIT = 300  # a dropdown of more hubs than this is slow to draw and useless to scroll: search first


def hub_picker(labels: dict[str, str]) -> str | None:
    """Choose a hub by name (the map's text alternative); in the URL as ?hub=.

    A button naming the hub shown (or asking for one) that opens the list, as the frame's release picker does: one
    click more than a dropdown beside the map, and none of the cost of a select box on every first visit (Streamlit
    loads a widget's code on its first use, and a popover's content only once it is opened: the Hub map's first visit
    is 9 % faster so; benchmarks/README "The hub picker").
    Up to PICKER_LIMIT hubs: one dropdown of all of them. More (a large release): a search box narrows the
    dropdown to the first PICKER_LIMIT matches, and the chosen hub always stays in it.
    """
    urlstate.seed("map", "hub")  # the chosen hub (from the address on a first run) names the button
    chosen = st.session_state.get("hub")
    with st.popover(
        labels[chosen] if chosen in labels else t("Choose a hub by name"),
        icon=":material/format_list_bulleted:",
        key="hub-picker",
        width="stretch",
        help=t("Every hub of the release by name: the map's list. Clicking a hub on the map chooses it too."),
    ):
        return _hub_list(labels)


def _hub_list(labels: dict[str, str]) -> str | None:
    """The list inside the hub picker (its widgets keep their value while the popover is closed: `persist_state`)."""
    if len(labels) <= PICKER_LIMIT:
        return urlstate.widget(st.selectbox, "map", "hub", t("Hub"), format_func=labels.get, placeholder=t("Click a hub on the map, or choose one"))
    query = (
        st.text_input(
            t("Find a hub ({n} in this release)", n=i18n.num(len(labels))), key="hub-search", placeholder=t("Part of a name, city or hub id"), max_chars=80
        )
        .strip()
        .lower()
    )
    chosen = st.session_state.get("hub")
    found = (h for h, label in labels.items() if not query or query in label.lower() or query in h)
    matches = list(itertools.islice(found, PICKER_LIMIT))
    if chosen in labels and chosen not in matches:
        matches.insert(0, chosen)
    value = st.selectbox(
        t("Hub ({n} shown)", n=i18n.num(len(matches))),
        matches,
        key="hub",
        format_func=labels.get,
        placeholder=t("Click a hub on the map, or choose one"),
        persist_state="session",
    )
    urlstate.publish("map", "hub", value)
    return value


def detail_panel(release: Release, hub_id: str) -> None:
    """Every attribute of a hub, the programmes its type offers and the partners involved."""
    detail = hub_detail(release, hub_id)
    st.subheader(escape_md(detail.name))
    st.caption(t("Status: {status} · a concept, not an agreed site · data release {version}", status=escape_md(detail.status), version=release.version))
    # static tables, not a data grid: their cells wrap, so every value is read in full (a grid cuts long values off),
    # and they print as they are shown.
    table.static(detail.attributes.set_index(detail.attributes.columns[0]), name=detail.name, index=True, header=False)
    st.markdown(t("**Programmes this hub type offers** (seats a year, illustrative; nothing is accredited)"))
    table.static(detail.programmes, name=t("Programmes"))
    st.markdown(t("**Partners involved** (categories; no organisation has agreed)"))
    table.static(detail.partners, name=t("Partners involved"))


def radius_slider() -> int:
    """Reach radius in km; in the URL as ?radius=."""
    return urlstate.widget(st.slider, "map", "radius", t("Reach radius (km)"))


def coverage(release: Release, data: CoverageData) -> None:
    """Population within reach for the chosen radius, per phase; nearest hub of every city; provincial balance."""
    cov = data.coverage
    counted = located_cities(release.table("cities"))
    words = coverage_texts(data)
    chart_frame(
        data.coverage_fig,
        point=words.coverage_point,
        note=words.coverage_note,
        units=t(
            "% of the population of {n} census-counted cities with coordinates ({missing} cities without offline coordinates are left out)",
            n=i18n.num(int(cov["cities_total"].iloc[0])),
            missing=i18n.num(data.cities_missing),
        ),
        release=release,
        source=t(
            "the release's city list ({sources}); the release's hub list; great-circle distance",
            sources=population_sources(release, counted),
        ),
        data=coverage_table(data),
        key="map-coverage",
    )
    if box := folded(t("Nearest hub and distance for every city ({n} cities)", n=i18n.num(len(data.nearest))), "nearest"):
        with box:  # built once opened (components/folds.py): a first visit draws no grid for it
            show_table(nearest_table(release, data), hide_index=True)
    chart_frame(
        data.balance_fig,
        point=words.balance_point,
        note=words.balance_note,
        empty=words.balance_empty,
        units=t("% of the hubs shown; % of the population of Pakistan's provinces and territories"),
        release=release,
        source=t(
            "the release's hub list; the release's list of provinces and territories ({sources})",
            sources=population_sources(release, release.table("provinces")),
        ),
        data=balance_table(data),
        key="map-province-balance",
    )


TABLE_ROWS = 1000  # rows shown on the page; the download always holds every filtered hub


def hub_table(release: Release, hubs: pd.DataFrame) -> None:
    """The filtered hubs, labelled, with a CSV download: machine column ids, `status` kept, under `#` lines saying what the
    file is (components.exports.table_csv: release, date, "concept, not approved", source; formula-safe)."""
    lang = i18n.current()  # the file built on click (in another thread) is in the page's language
    show_table(hub_table_frame(release, hubs.head(TABLE_ROWS)), hide_index=True)
    st.caption(
        t("Every hub is proposed, none is an agreed site. Coordinates and where each location comes from are in each hub's details and in the download.")
        + (
            " " + t("The first {n} of {total} hubs are shown; the download holds all of them.", n=i18n.num(TABLE_ROWS), total=i18n.num(len(hubs)))
            if len(hubs) > TABLE_ROWS
            else ""
        )
    )
    st.download_button(
        t("Download these {n} hubs (CSV)", n=i18n.num(len(hubs))),
        # Up to a page's worth of hubs the file is built now (a few ms): a plain download. Above that it is built on
        # click (on_click="ignore": a click that reran the page revoked that file before its request was served).
        data=hubs_csv(release, hubs) if len(hubs) <= TABLE_ROWS else (lambda: hubs_csv(release, hubs, lang)),
        file_name=f"pak-ai-coe-hubs-{release.version}.csv",
        mime="text/csv",
        key="download-hubs",
        on_click="ignore",  # no rerun: a rerun would revoke a deferred file before its request is served
        icon=":material/download:",
    )


def hubs_csv(release: Release, hubs: pd.DataFrame, lang: str | None = None) -> str:
    """The hubs shown as CSV with the `#` metadata header (pakcoe.provenance) and a line saying the hubs are proposed, in
    `lang` (default: the current language); the column ids and codes are never translated."""
    with i18n.using(lang or i18n.current()):
        lines = [t("{n} hubs; every one is proposed, none is an agreed site (see the status column)", n=i18n.num(len(hubs)))]
        return table_csv(hub_rows(hubs), provenance(release, t("the release's hub list")), lines)


def map_image(release: Release, view: str, hub_filter: HubFilter) -> None:
    """ "Map as image (PNG)": the view's map with its legend, the boundary disclaimer and the release's provenance under
    it, drawn on the server when asked (a spinner meanwhile), then offered in the same run (components.export_map).
    Disabled, with the reason as its help, where this server cannot draw it."""
    reason = export_map.unavailable()
    with st.container(horizontal=True, key="export-map", gap="small", vertical_alignment="center"):
        clicked = st.button(
            t("Map as image (PNG)"),
            key="export-map-png",
            icon=":material/image:",
            type="tertiary",
            disabled=reason is not None,
            help=reason
            or t(
                "Draws this view of the map with its legend and, under it, the boundary disclaimer, the data release, "
                "today's date, the concept's status, the source and how to cite it; then offers the file."
            ),
        )
        if not clicked:
            return
        try:
            with st.spinner(t("Drawing the map as an image…")):
                png = export_map.map_png(release, view, hub_filter)
        except Exception:  # the page goes on; the log has the details
            LOG.exception("exporting the map (%s) failed", view)
            st.warning(t("The map could not be drawn as an image just now; try again."), icon=":material/error:")
            return
        st.download_button(
            t("Save the PNG"),
            png,
            file_name=f"pak-ai-coe-map-{view}-{release.version}.png",
            mime="image/png",
            key="export-map-png-file",
            on_click="ignore",
            type="primary",
            icon=":material/download:",
        )
