"""A page's figure restyled for a projector (pure: plotly, never Streamlit; used by components.stage).

Plotly draws its type in pixels, so the stage's rem-based type cannot enlarge it: `projector` sets every text of a
figure the pages' builders made (ticks, legend, axis titles, data labels, annotations, hover) to at least a
projector's size, leaves the height to the stage (the chart stretches to fill it), and switches dragging off so a
touch on a chart never zooms or pans it. Series keep their builder's colours, dash styles, symbols and patterns.
"""

from __future__ import annotations

import copy
import re

import plotly.graph_objects as go

from components.chart import FrozenFigure, pad_axis_titles
from components.rollout_figures import MILESTONES
from pakcoe import i18n

TICK_PX = 18  # tick labels, data labels and hover text: the floor for a projector at 1920×1080
LEGEND_PX = 20  # legend entries, axis titles, subplot titles
INK = "#14213D"
URDU_FAMILY = "Noto Nastaliq Urdu, Source Sans Pro, sans-serif"  # dark text: the theme's grey ticks fade on a projector
MAX_CATEGORY_TICKS = 12  # a category x axis (quarters) labels at most this many, so 18 px labels stay level
AXIS = re.compile(r"^[xy]axis\d*$")
FILE_NOTE = re.compile(r"\s*\([^()]*\.(?:csv|json|geojson)[^()]*\)")  # "(phases.csv)": a file name in a series' name
CODE = re.compile(r"^[A-Z]+\d+[A-Za-z]?\s+·\s+")  # "M04 · ": a milestone's code before its title in a row label
# Plotly's own config for a stage chart: no mode bar, no zoom by wheel or double click (hover stays).
CONFIG = {"displayModeBar": False, "displaylogo": False, "scrollZoom": False, "doubleClick": False, "showTips": False, "responsive": True}


def _at_least(font: dict | None, size: int, colour: str | None = None) -> dict:
    """A Plotly font dict whose size is at least `size` (a larger size the builder chose is kept); `colour` if given."""
    font = dict(font or {})
    if not isinstance(font.get("size"), (int, float)) or font["size"] < size:
        font["size"] = size
    if colour:
        font["color"] = colour
    return font


def without_file_names(text: object) -> object:
    """A series' or axis's name without the file it comes from ('Planned (phases.csv)' -> 'Planned')."""
    return FILE_NOTE.sub("", text) if isinstance(text, str) else text


def projector_spec(spec: dict) -> dict:
    """A figure's dict (data and layout) restyled for a projector; `spec` is not changed."""
    out = copy.deepcopy(spec)
    layout = out.setdefault("layout", {})
    layout.pop("height", None)  # the stage gives the chart its height
    layout.pop("width", None)
    layout["autosize"] = True
    layout["dragmode"] = False
    layout["font"] = _at_least(layout.get("font"), LEGEND_PX, INK)
    if i18n.is_rtl():  # Urdu: Nastaliq for every text of the chart (the web font on the page, the system font in an export)
        layout["font"]["family"] = URDU_FAMILY
        out["layout"] = layout = pad_axis_titles(layout)  # room for Nastaliq's tall letters beside the upright y-axis titles
    layout["uniformtext"] = {"minsize": TICK_PX, "mode": "show"}  # bar labels are never shrunk below the floor
    layout["hoverlabel"] = {**layout.get("hoverlabel", {}), "font": _at_least(layout.get("hoverlabel", {}).get("font"), TICK_PX)}
    legend = layout.setdefault("legend", {})
    legend["font"] = _at_least(legend.get("font"), LEGEND_PX, INK)
    legend.setdefault("itemclick", False)  # a stray click on a projector never hides a series
    legend.setdefault("itemdoubleclick", False)
    margin = layout.setdefault("margin", {})
    margin.update({k: max(int(margin.get(k, 0) or 0), 12) for k in ("l", "r", "b")})
    if any(t.get("type") == "bar" and t.get("orientation") == "h" and t.get("textposition") == "outside" for t in out.get("data", [])):
        margin["r"] = max(margin["r"], 90)  # room for the labels beyond the longest bar
    for key, axis in list(layout.items()):
        if AXIS.match(key) and isinstance(axis, dict):
            axis["tickfont"] = _at_least(axis.get("tickfont"), TICK_PX, INK)
            axis["fixedrange"] = True
            if key.startswith("x") and axis.get("type") == "category":
                axis["nticks"] = min(int(axis.get("nticks") or MAX_CATEGORY_TICKS), MAX_CATEGORY_TICKS)
            order = axis.get("categoryarray")
            if axis.get("type") == "category" and order and any(isinstance(c, str) and CODE.match(c) for c in order):
                axis["tickvals"], axis["ticktext"] = list(order), [CODE.sub("", c) if isinstance(c, str) else c for c in order]
            title = axis.get("title")
            if isinstance(title, dict):
                title["font"] = _at_least(title.get("font"), LEGEND_PX, INK)
                if title.get("text") is not None:  # a title of only a font (the text set elsewhere) stays without one
                    title["text"] = without_file_names(title["text"])
            elif isinstance(title, str):
                axis["title"] = {"text": without_file_names(title), "font": {"size": LEGEND_PX, "color": INK}}
    for note in layout.get("annotations", []) or []:
        note["font"] = _at_least(note.get("font"), LEGEND_PX)
    for trace in out.get("data", []):
        kind = trace.get("type", "scatter")
        if "name" in trace:
            trace["name"] = without_file_names(trace["name"])
        if kind == "sankey":
            trace["textfont"] = _at_least(trace.get("textfont"), LEGEND_PX)
            node = trace.setdefault("node", {})
            node["pad"] = max(int(node.get("pad", 0) or 0), 20)
            node["thickness"] = max(int(node.get("thickness", 0) or 0), 24)
        elif "textfont" in trace or "text" in trace or "texttemplate" in trace:
            trace["textfont"] = _at_least(trace.get("textfont"), TICK_PX)
        if kind == "heatmap":
            trace["textfont"] = _at_least(trace.get("textfont"), LEGEND_PX + 2)
    return out


def projector(fig: go.Figure) -> FrozenFigure:
    """A page's figure restyled for a projector (a new figure; the builder's, possibly cached, is left as it is)."""
    frozen = FrozenFigure()
    frozen.__dict__["_frozen_dict"] = projector_spec(fig.to_dict())
    return frozen


def without_milestones(fig: go.Figure) -> go.Figure:
    """The phases Gantt with its phases, this option's openings and the exit gates only: one row per milestone is too
    many rows for a projector's type (the app's page has them all)."""
    out = go.Figure(fig)
    out.data = [t for t in out.data if t.meta != MILESTONES]
    used = {str(y) for t in out.data for y in (t.y if t.y is not None else ())}
    order = [row for row in (out.layout.yaxis.categoryarray or ()) if row in used]
    out.update_yaxes(categoryarray=order)
    return out
