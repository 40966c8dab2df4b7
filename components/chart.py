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
from pakcoe import Release, i18n
from pakcoe.i18n import t

# Patterns for categorical series, so no information is carried by colour alone.
PATTERNS = ["", "/", ".", "x", "\\", "+", "-", "|"]
PALETTE = ["#0B6E4F", "#E07A1F", "#3D5A80", "#9C2C77", "#6B8F23", "#B8860B", "#5E548E", "#2A9D8F"]
PLOT_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"], "responsive": True, "scrollZoom": False}
INK = "#1F2A37"  # tick, legend and label text: dark on white (the theme's grey reads poorly on screens and phones)
PLOTLY_DEFAULT_HEIGHT = 450  # px: a figure's height when its layout sets none (Plotly's default)
MIN_PX = 12  # the smallest text on a chart (ticks, legend, bar labels)
SANS = '"Open Sans", verdana, arial, sans-serif'  # Plotly's own default family: English charts keep it
URDU_FAMILY = "Noto Nastaliq Urdu"  # the page's web font and the system font of server-rendered images (fonts-noto-core)
URDU_TOP = 28  # more room above the plot in Urdu: Nastaliq's marks rise higher than Latin letters
URDU_BOTTOM = 24  # and below it: an x-axis title's Nastaliq marks reach below the line Plotly reserves
URDU_STANDOFF = 18  # px between the x-axis tick labels and the axis title in Urdu (Plotly's default is 10 px)
# px between the y-axis tick labels and its title in Urdu: Plotly turns the title upright by its font size, but a
# Nastaliq line is about 2.5 times as tall, and its deep lower part ends up on the tick labels' side
URDU_Y_STANDOFF = 50


def csv_help() -> str:
    """The help of a chart's CSV button, in the current language."""
    return t(
        "The table with a # header: the concept's status, the data release, the date, the source and how to cite. "
        "Read it back with pandas.read_csv(path, comment='#')."
    )


def font_family(lang: str | None = None) -> str | None:
    """The font family of a chart's text in `lang` (default: the current language): in Urdu the Nastaliq face first,
    then a sans face for Latin letters and digits; None in English (Plotly's default). For figures built without
    `style`: `fig.update_layout(font_family=chart.font_family())` when it is not None."""
    return f"{URDU_FAMILY}, {SANS}" if i18n.is_rtl(lang) else None


class FrozenFigure(go.Figure):
    """A finished, read-only figure that computes its dict once: st.plotly_chart calls to_dict() on every rerun,
    which deep-copies and base64-encodes every array (~4 ms a chart); a cached figure never changes, so reuse it."""

    def to_dict(self) -> dict:
        memo = self.__dict__.get("_frozen_dict")
        if memo is None:
            memo = super().to_dict()
            self.__dict__["_frozen_dict"] = memo
        return memo


# In Urdu, the first line of every left-hand y-axis title is blank. Plotly turns a y-axis title upright and reserves
# room beyond it for a Latin capital's height (0.7 em), but Nastaliq's tall letters (ک گ ل ٹ) rise about 1.6 em above
# the line, so their tops were cut off by the chart's left edge (3-4 px on a phone, measured in Chromium). A blank
# line is the one thing Plotly's automatic margin counts (about 20 px at 15 px type).
URDU_TITLE_PAD = " <br>"


def pad_axis_titles(layout: dict) -> dict:
    """`layout` (a figure's layout as a dict; not changed) with URDU_TITLE_PAD before each left-hand y-axis title."""
    out = dict(layout)
    for key, axis in layout.items():
        if not (key.startswith("yaxis") and isinstance(axis, dict)) or axis.get("side") == "right":
            continue
        title = axis.get("title")
        text = title.get("text") if isinstance(title, dict) else None
        if isinstance(text, str) and text.strip() and not text.startswith(URDU_TITLE_PAD):
            out[key] = {**axis, "title": {**title, "text": URDU_TITLE_PAD + text}}
    return out


def for_reading(fig: go.Figure) -> go.Figure:
    """`fig` as drawn in the current language: itself in English; in Urdu a read-only copy whose y-axis titles have room
    for Nastaliq (pad_axis_titles), made once per figure object (a cached figure pays once)."""
    if not i18n.is_rtl():
        return fig
    memo = fig.__dict__.get("_for_reading")
    if memo is None:
        spec = fig.to_dict()
        memo = FrozenFigure()
        memo.__dict__["_frozen_dict"] = {**spec, "layout": pad_axis_titles(spec.get("layout", {}))}
        fig.__dict__["_for_reading"] = memo
    return memo


def drawn_height(fig: go.Figure) -> int:
    """The px height st.plotly_chart gives `fig`: its layout's height, else Plotly's default. Read from its dict, which a
    frozen or Urdu figure holds (its layout attribute may be empty)."""
    return int(fig.to_dict().get("layout", {}).get("height") or PLOTLY_DEFAULT_HEIGHT)


@dataclass(frozen=True)
class ChartData:
    """What a pure builder gives `chart_frame`: the figure, its data table (the text alternative) and the point it makes."""

    figure: go.Figure
    table: pd.DataFrame
    point: str


def style(fig: go.Figure, *, height: int = 380) -> go.Figure:
    """House style: readable type, no in-chart title (the frame states the point), room for labels.

    In Urdu (i18n.is_rtl()): the Nastaliq family for every text of the figure (hovers too), more room at the top for
    its taller marks, a title (if a caller sets one later) aligned to the right, the reading side; axes, numbers and
    time still run left to right (plots have no right-to-left mode)."""
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
    family = font_family()
    if family:
        fig.update_layout(
            font_family=family,
            hoverlabel_font_family=family,
            legend_font_family=family,
            title={"x": 1, "xanchor": "right"},
            margin_t=URDU_TOP,
            margin_b=URDU_BOTTOM,
        )
        # Plotly places an axis title by its font size, not its glyphs: Nastaliq's marks reach further, so more room
        # between the tick labels and the (vertical) y-axis title, and below the x-axis labels.
        fig.update_yaxes(title_standoff=URDU_Y_STANDOFF)
        fig.update_xaxes(title_standoff=URDU_STANDOFF)
    fig.update_xaxes(showgrid=False, automargin=True, fixedrange=True, tickfont={"size": 13, "color": INK})
    fig.update_yaxes(gridcolor="#E3E8E6", automargin=True, fixedrange=True, tickfont={"size": 13, "color": INK})
    return fig


def with_patterns(fig: go.Figure) -> go.Figure:
    """Give each bar series its own fill pattern as well as its colour."""
    for i, trace in enumerate(tr for tr in fig.data if tr.type == "bar"):
        trace.marker.pattern.shape = PATTERNS[i % len(PATTERNS)]
        trace.marker.pattern.fillmode = "overlay"
    return fig


TABLE_FOLD = "table-"  # + the chart's key: the name of its data table's fold (components/folds.py; its key is folds.KEY + name)


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
    level: int = 3,
) -> None:
    """Draw a Plotly figure (already styled with style()) in the shared frame, with a data-table alternative.

    `level`: the heading level of its point (3: under a page's h2 section; 4: inside a card headed h3).
    `empty`: the chart would show nothing but zeros; one sentence saying so is drawn instead of the chart and its table.
    `note`: one more sentence under the point (plain text, escaped), e.g. which lines are identical.
    Under the chart: PNG and SVG downloads of it, with its point as the title and its provenance as the footer."""
    import streamlit as st

    from components import deferred, export_buttons, exports, printing, table
    from components.folds import folded

    version, src = escape_md(release.version), escape_md(source)
    if empty is not None:
        with st.container(border=True, key=f"chart-{key}"):
            st.markdown(f"**{escape_md(empty)}**")
            st.caption(t("Data release {version} · Source: {source}", version=version, source=src))
        return
    with st.container(border=True, key=f"chart-{key}"):
        st.markdown(f"{'#' * level} {escape_md(point)}")
        if note:
            st.markdown(escape_md(note))
        fig = for_reading(fig)
        if deferred.active():  # a first visit: drawn in the next run, once the first screen is (components/deferred.py)
            deferred.placeholder(drawn_height(fig))
        else:
            st.plotly_chart(fig, key=key, config=PLOT_CONFIG, alt=alt or point)
        st.caption(t("Units: {units} · Data release {version} · Source: {source}", units=escape_md(units), version=version, source=src))
        export_buttons.chart_downloads(fig, point=point, release=release, source=source, key=key)
        # Built only when opened (a fold, components/folds.py): drawn folded, the grid still loaded its code and drew its
        # canvas on every visit. A folded expander does not print, so printing is unchanged.
        box = folded(t("Data table (text alternative)"), f"{TABLE_FOLD}{key}")
        if box is None:
            return
        with box:
            if i18n.current() == "en":
                printing.table(data, hide_index=True)
            else:  # the data grid draws Urdu letters as boxes: an HTML table in the page's font
                table.show(data, name=point, hide_index=True)
            st.download_button(
                t("Data as CSV"),
                data=csv_maker(data, release, source, point, units),
                file_name=exports.file_name(release.version, point, "csv"),
                mime="text/csv",
                key=f"csv-{key}",
                on_click="ignore",
                icon=":material/download:",
                type="tertiary",
                help=csv_help(),
            )


def csv_lines(point: str, units: str, lang: str | None = None) -> tuple[str, str]:
    """The chart's own `#` lines of its CSV (under the provenance), in `lang` (default: the current language)."""
    lang = lang or i18n.current()
    return (i18n.tl("Chart: {point}", lang, point=point), i18n.tl("Units: {units}", lang, units=units))


def csv_maker(data: pd.DataFrame, release: Release, source: str, point: str, units: str):
    """The CSV of a chart's data, made when it is downloaded (perhaps in another thread than this script run): in the
    language of this run. Its `#` metadata lines are in that language; column ids are never translated."""
    from components import exports
    from pakcoe.provenance import provenance

    lang = i18n.current()

    def make() -> str:
        with i18n.using(lang):
            return exports.table_csv(data, provenance(release, source), csv_lines(point, units, lang))

    return make
