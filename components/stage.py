"""The stage of a presentation stop: one page state (a page and its URL parameters) drawn for a projector.

What each page's view shows is components.stage_content's blocks, built from the same cached builders as the page
itself (components.cached: ChartData, the map payload, the model runs); this module draws them, restyled for a
projector: Plotly figures through components.stage_figures.projector (18 px ticks and more, no dragging, no mode bar),
chart titles as HTML that state the point, text as the few short cards of components.stage_views. Everything fits the
stage (present.css fixes its height): charts stretch to the room left, text views show at most what fits and say what
they leave out.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import streamlit as st

from components import cached, foliumview, stage_content, stage_map
from components import stage_views as sv
from components.escape import escape_html
from components.stage_content import Block, Chart, Graph, Html, Map
from components.stage_figures import CONFIG, projector
from pakcoe import Release, registry
from pakcoe.i18n import t

STYLE = Path(__file__).parent / "styles" / "stage.css"


def phone_note() -> str:
    """Shown instead of a chart on a phone (present.css), in the current language."""
    text = t("This chart is drawn for a big screen. On a phone, “Open this view in the app” below shows it as the page draws it, with its data table.")
    return f'<p class="stage-phone-only">{escape_html(text)}</p>'


MAP_PX = 800  # the map's nominal height: the stage's CSS gives its frame the stage's height


def blocks(release: Release, resolved: registry.Resolved) -> tuple[Block, ...]:
    """What the page state's main view shows (from the pages' cached builders)."""
    return stage_content.blocks(release, resolved, cached)


def words(shown: tuple[Block, ...]) -> str:
    """The words a stop's view shows (card and table text, chart points, series and category names): what the
    stop's head spells out abbreviations for."""
    out = []
    for block in shown:
        if isinstance(block, Html):
            out.append(re.sub(r"<[^>]+>", " ", block.markup))
        elif isinstance(block, Chart):
            out.append(block.point)
            if block.figure is not None:
                spec = block.figure.to_dict()
                for trace in spec.get("data", []):
                    out += [str(trace.get(k, "")) for k in ("name", "text", "hovertext")]
                    for axis in ("x", "y"):
                        values = trace.get(axis)
                        if isinstance(values, (list, tuple)) and values and isinstance(values[0], str):
                            out += values
                    if trace.get("type") == "sankey":
                        out += [str(v) for v in trace.get("node", {}).get("label", [])]
                for key, axis in spec.get("layout", {}).items():
                    if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
                        out += [str(v) for k in ("ticktext", "categoryarray") for v in (axis.get(k) or ())]
        elif isinstance(block, Graph):
            out += [block.dot, re.sub(r"<[^>]+>", " ", block.side)]
        elif isinstance(block, Map):
            out += [str(block.ring or ""), re.sub(r"<[^>]+>", " ", str(block.side or ""))]
    return " ".join(out)


def draw(release: Release, resolved: registry.Resolved, shown: tuple[Block, ...] | None = None) -> None:
    """Draw the page state's main view, filling the stage."""
    st.html(STYLE)
    for block in blocks(release, resolved) if shown is None else shown:
        _draw(release, block)


def _draw(release: Release, block: Block) -> None:
    if isinstance(block, Html):
        if block.fill:  # its grids of cards share the height the other blocks leave
            with st.container(key="stage-fill"):
                st.html(sv.on_stage(block.markup))
        else:
            st.html(sv.on_stage(block.markup))
    elif isinstance(block, Chart):
        chart(block)
    elif isinstance(block, Map):
        hub_map(release, block)
    elif isinstance(block, Graph):
        left, right = st.columns([3, 2], gap="medium")
        with left.container(key="stage-graph"):
            st.graphviz_chart(block.dot, width="stretch")
        with right:
            st.html(sv.on_stage(block.side))


def chart(block: Chart) -> None:
    """A page's figure for the projector under its point, stretched to the stage's room (`empty`: a sentence instead)."""
    with st.container(key=f"stage-chart-{block.key}", height="stretch", gap="small"):
        st.html(sv.point_html(block.point))
        if block.figure is None or block.empty:
            st.html(sv.line_html(block.empty or block.point, "statement"))
            return
        st.plotly_chart(projector(block.figure), key=f"stage-{block.key}", config=CONFIG, alt=block.alt or block.point, height="stretch", width="stretch")
        st.html(phone_note())  # shown instead of the chart on a phone (present.css): a projector's chart does not fit one


def hub_map(release: Release, block: Map) -> None:
    """The map filling the stage (with a hub's key facts beside it, that hub ringed)."""
    payload = cached.map_payload(release.version, block.view, block.hub_filter)
    payload = dataclasses.replace(payload, header=payload.header + stage_map.map_css(block.ring))
    if block.side is None:
        with st.container(key="stage-map"):
            foliumview.show(payload, key=f"stage-map-{block.view}", height=MAP_PX, returned_objects=())
        return
    left, right = st.columns([3, 2], gap="medium")
    with left.container(key="stage-map"):
        foliumview.show(payload, key=f"stage-map-{block.view}", height=MAP_PX, returned_objects=())
    with right.container(key="stage-hub"):
        st.html(sv.on_stage(block.side))
