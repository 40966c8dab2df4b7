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
from pathlib import Path

import streamlit as st

from components import cached, foliumview, stage_content, stage_map
from components import stage_views as sv
from components.stage_content import Block, Chart, Graph, Html, Map
from components.stage_figures import CONFIG, projector
from pakcoe import Release, registry

STYLE = Path(__file__).parent / "styles" / "stage.css"
MAP_PX = 800  # the map's nominal height: the stage's CSS gives its frame the stage's height


def draw(release: Release, resolved: registry.Resolved) -> None:
    """Draw the page state's main view, filling the stage."""
    st.html(STYLE)
    for block in stage_content.blocks(release, resolved, cached):
        _draw(release, block)


def _draw(release: Release, block: Block) -> None:
    if isinstance(block, Html):
        if block.fill:  # its grids of cards share the height the other blocks leave
            with st.container(key="stage-fill"):
                st.html(block.markup)
        else:
            st.html(block.markup)
    elif isinstance(block, Chart):
        chart(block)
    elif isinstance(block, Map):
        hub_map(release, block)
    elif isinstance(block, Graph):
        left, right = st.columns([3, 2], gap="medium")
        with left.container(key="stage-graph"):
            st.graphviz_chart(block.dot, width="stretch")
        with right:
            st.html(block.side)


def chart(block: Chart) -> None:
    """A page's figure for the projector under its point, stretched to the stage's room (`empty`: a sentence instead)."""
    with st.container(key=f"stage-chart-{block.key}", height="stretch", gap="small"):
        st.html(sv.point_html(block.point))
        if block.figure is None or block.empty:
            st.html(sv.line_html(block.empty or block.point, "statement"))
            return
        st.plotly_chart(projector(block.figure), key=f"stage-{block.key}", config=CONFIG, alt=block.alt or block.point, height="stretch", width="stretch")


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
        st.html(block.side)
