"""The one chart frame: a title that states the point, the chart, units, release, source, image downloads, and a data
table; and the house style the pure figure builders share.

The builders import this module for `style` and `ChartData` only, so Streamlit is imported by `chart_frame` itself:
the builders, and the exports and command line built on them, run without loading Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from components.escape import escape_md
from pakcoe import Release

# Patterns for categorical series, so no information is carried by colour alone.
PATTERNS = ["", "/", ".", "x", "\\", "+", "-", "|"]
PALETTE = ["#0B6E4F", "#E07A1F", "#3D5A80", "#9C2C77", "#6B8F23", "#B8860B", "#5E548E", "#2A9D8F"]
PLOT_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"], "responsive": True, "scrollZoom": False}
INK = "#1F2A37"  # tick, legend and label text: dark on white (the theme's grey reads poorly on screens and phones)
CSV_HELP = (
    "The table with a # header: the concept's status, the data release, the date, the source and how to cite. "
    "Read it back with pandas.read_csv(path, comment='#')."
)
MIN_PX = 12  # the smallest text on a chart (ticks, legend, bar labels)


@dataclass(frozen=True)
class ChartData:
    """What a pure builder gives `chart_frame`: the figure, its data table (the text alternative) and the point it makes."""

    figure: go.Figure
    table: pd.DataFrame
    point: str


def style(fig: go.Figure, *, height: int = 380) -> go.Figure:
    """House style: readable type, no in-chart title (the frame states the point), room for labels."""
    fig.update_layout(
        title=None,
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"size": 15, "color": INK},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None, "font": {"size": 14, "color": INK}},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        colorway=PALETTE,
        # a touch on a chart scrolls the page (a phone never gets trapped in a chart): no drag-to-zoom or pan
        dragmode=False,
        # a bar's label that would need shrinking below the floor is hidden (its value is in the hover and the data table)
        uniformtext={"minsize": MIN_PX, "mode": "hide"},
        hoverlabel={"font": {"size": 14}},
    )
    fig.update_xaxes(showgrid=False, automargin=True, fixedrange=True, tickfont={"size": 13, "color": INK})
    fig.update_yaxes(gridcolor="#E3E8E6", automargin=True, fixedrange=True, tickfont={"size": 13, "color": INK})
    return fig


def with_patterns(fig: go.Figure) -> go.Figure:
    """Give each bar series its own fill pattern as well as its colour."""
    for i, trace in enumerate(t for t in fig.data if t.type == "bar"):
        trace.marker.pattern.shape = PATTERNS[i % len(PATTERNS)]
        trace.marker.pattern.fillmode = "overlay"
    return fig


def chart_frame(
    fig: go.Figure | None,
    *,
    point: str,
    units: str,
    release: Release,
    source: str,
    data: pd.DataFrame,
    key: str,
    alt: str | None = None,
    empty: str | None = None,
    note: str | None = None,
) -> None:
    """Draw a Plotly figure (already styled with style()) in the shared frame, with a data-table alternative.

    `empty`: the chart would show nothing but zeros; one sentence saying so is drawn instead of the chart and its table.
    `note`: one more sentence under the point (plain text, escaped), e.g. which lines are identical.
    Under the chart: PNG and SVG downloads of it, with its point as the title and its provenance as the footer."""
    import streamlit as st

    from components import export_buttons, exports, printing
    from pakcoe.provenance import provenance

    if empty is not None:
        with st.container(border=True, key=f"chart-{key}"):
            st.markdown(f"**{escape_md(empty)}**")
            st.caption(f"Data release {escape_md(release.version)} · Source: {escape_md(source)}")
        return
    with st.container(border=True, key=f"chart-{key}"):
        st.markdown(f"### {escape_md(point)}")
        if note:
            st.markdown(escape_md(note))
        st.plotly_chart(fig, key=key, config=PLOT_CONFIG, alt=alt or point)
        st.caption(f"Units: {escape_md(units)} · Data release {escape_md(release.version)} · Source: {escape_md(source)}")
        export_buttons.chart_downloads(fig, point=point, release=release, source=source, key=key)
        with st.expander("Data table (text alternative)"):
            printing.table(data, hide_index=True)
            st.download_button(
                "Data as CSV",
                data=lambda: exports.table_csv(data, provenance(release, source), (f"Chart: {point}", f"Units: {units}")),
                file_name=exports.file_name(release.version, point, "csv"),
                mime="text/csv",
                key=f"csv-{key}",
                on_click="ignore",
                icon=":material/download:",
                type="tertiary",
                help=CSV_HELP,
            )
