"""Exports that carry their provenance (pure: Plotly and the domain, never Streamlit; the app's buttons and the command
line both call these).

- A chart as PNG or SVG: a copy of the figure with the chart's point as its title and the provenance lines
  (pakcoe.provenance: status, release and export date, source, how to cite, attributions) drawn into the image as a
  footer, rendered by Plotly's own exporter (components.render).
- The Compare page's key figures and ranges as CSV, under a `#` metadata header; it reads back with
  `pandas.read_csv(..., comment="#")` and no cell runs as a spreadsheet formula.

Every export speaks the current language (pakcoe.i18n; the command line sets it with --lang), its provenance lines
too (pakcoe.provenance). Column ids of a CSV are never translated. An Urdu chart is drawn
in Noto Nastaliq Urdu (the system font kaleido's Chromium finds through fontconfig), its title and footer right-aligned,
each line an annotation of its own spaced for Nastaliq's tall letters (Plotly's own line spacing overlaps them).

Plotly places annotations relative to the plot area, which its automargin moves when tick labels need room. So the
margins of an export are set from an estimate of what the labels, legend and subplot titles need, generous enough
that automargin has nothing to push: the plot area is then where the footer's offsets assume it is.
"""

from __future__ import annotations

import base64
import copy
import io
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components import render
from components.chart import pad_axis_titles
from components.escape import escape_html
from components.rollout_figures import CUSTOM_LABEL, MODEL_NOTE, CompareData, custom_label, kpis, model_note
from pakcoe import i18n
from pakcoe.i18n import t
from pakcoe.model import quarter_index
from pakcoe.provenance import Provenance
from pakcoe.uncertainty import HIGH, LOW, Ranges

WIDTH, HEIGHT = 1600, 900  # CSS pixels of an exported chart (16:9; a PNG is drawn at this size)
PAD = 24  # from the image's edge to the title and the footer
GAP = 14  # between the plot's labels and the footer, and between the title and the legend
TITLE_PX = 24
FOOTER_PX = 14
LINE = 1.3  # Plotly's line height, in type sizes
TEXT_EM = 0.5  # average width of a character of prose, in type sizes: measured 0.45 in Chromium's sans; wrap with room
LABEL_EM = 0.62  # of a number's tick label (digits are wider than prose)
TEXT_LABEL_EM = 0.55  # of a text tick label (generous: a label wider than estimated moves the plot, and the footer, right)
INK = "#14213D"
FOOTER_INK = "#3B4252"
DEFAULT_FONT_PX = 12  # Plotly's own default type size
MAX_LEVEL_TICK = 0.9  # a category axis shows at most as many labels as fit level in this share of the plot's width
URDU_FONT = "Noto Nastaliq Urdu"  # the system font (fonts-noto-core) and the web font's family name
RLE, PDF = "\u202b", "\u202c"  # an Urdu line embedded right to left (SVG text is left to right): numbers in their place
LINE_UR = 2.0  # Nastaliq's line height, in type sizes: its letters reach far above and below the line
CARTESIAN = {"scatter", "scattergl", "bar", "heatmap", "histogram", "box", "violin", "contour", "waterfall", "funnel", "candlestick", "ohlc", "image"}
AXIS = re.compile(r"^([xy])axis(\d*)$")


# ---------------------------------------------------------------------------------------------------
# The export's language


def font_family(lang: str | None = None) -> str | None:
    """The font family an export draws text in: Noto Nastaliq Urdu for Urdu, None (the figure's own) for English."""
    return f"{URDU_FONT}, serif" if i18n.is_rtl(lang) else None


# ---------------------------------------------------------------------------------------------------
# Charts


def _wrap(text: str, width_px: float, size: int) -> list[str]:
    """`text` in lines that fit `width_px` at type size `size` (long words are broken rather than cut off)."""
    chars = max(20, int(width_px / (size * TEXT_EM)))
    return textwrap.wrap(" ".join(str(text).split()), chars, break_on_hyphens=False) or [""]


def _font_px(*fonts: dict | None, default: int = DEFAULT_FONT_PX) -> int:
    """The first type size set among `fonts` (the more specific first)."""
    for font in fonts:
        if isinstance(font, dict) and isinstance(font.get("size"), (int, float)):
            return int(font["size"])
    return default


def _values(raw: object) -> list:
    """A trace's x or y values as a list of scalars (a figure's dict holds NumPy arrays; its JSON, base64 typed arrays)."""
    if raw is None:
        return []
    if isinstance(raw, dict) and "bdata" in raw:
        return np.frombuffer(base64.b64decode(raw["bdata"]), dtype=np.dtype(raw["dtype"])).tolist()
    if isinstance(raw, np.ndarray):
        raw = raw.tolist()
    if isinstance(raw, (list, tuple)):
        return [v for v in raw if isinstance(v, (str, int, float))]  # scalars (a multi-category axis's pairs are left out)
    return [raw]


def _title_text(title: object) -> str:
    return str(title.get("text") or "") if isinstance(title, dict) else str(title or "")


def _longest(labels: list) -> int:
    """Characters in the longest line of any label (a label may have <br> line breaks)."""
    return max((len(part) for label in labels for part in str(label).split("<br>")), default=0)


def _label_px(axis: dict, values: list, size: int) -> float:
    """The width of an axis's longest tick label at type size `size` (estimated for numbers and dates)."""
    if axis.get("ticktext"):
        return _longest(axis["ticktext"]) * size * TEXT_LABEL_EM
    if axis.get("type") == "category" and axis.get("categoryarray"):
        return _longest(axis["categoryarray"]) * size * TEXT_LABEL_EM
    if axis.get("type") == "date":
        return 8 * size * LABEL_EM  # "Jan 2030"
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)]
    texts = [v for v in values if isinstance(v, str)]
    if texts and not numbers:
        return _longest(texts) * size * TEXT_LABEL_EM
    top = max((abs(v) for v in numbers), default=0.0)
    return (len(f"{top:,.0f}") + 2) * size * LABEL_EM  # a sign, a decimal or a suffix


def _drawn_axes(spec: dict) -> dict[str, tuple[dict, list]]:
    """Each cartesian axis a trace draws on ('xaxis', 'yaxis2', ...): its layout and the values on it."""
    layout = spec.get("layout", {})
    axes: dict[str, tuple[dict, list]] = {}
    for trace in spec.get("data", []):
        if trace.get("type", "scatter") not in CARTESIAN:
            continue
        for letter in ("x", "y"):
            ref = str(trace.get(f"{letter}axis") or letter)
            name = f"{letter}axis{ref[1:]}"
            axis = layout.get(name) if isinstance(layout.get(name), dict) else {}
            if axis.get("visible") is False:
                continue
            axes.setdefault(name, (axis, []))[1].extend(_values(trace.get(letter)))
    return axes


def _edge(layout: dict, axis_name: str, axis: dict) -> str | None:
    """Which side of the whole plot an axis's labels sit on ('bottom', 'top', 'left', 'right'), or None when they sit
    between subplots (an axis anchored to a subplot away from that side)."""
    letter = AXIS.match(axis_name).group(1)
    side = axis.get("side") or ("bottom" if letter == "x" else "left")
    anchor = str(axis.get("anchor") or ("y" if letter == "x" else "x"))
    if anchor == "free":
        return side
    other = layout.get(f"{anchor[0]}axis{anchor[1:]}", {}) if anchor[:1] in "xy" else {}
    domain = other.get("domain") or [0, 1]
    at_edge = domain[0] <= 0.001 if side in ("bottom", "left") else domain[1] >= 0.999
    return side if at_edge else None


def _legend_px(spec: dict, plot_width: float, base_px: int) -> tuple[float, float]:
    """(height, offset above the plot in plot heights) of a horizontal legend drawn above the plot; (0, 0) for none."""
    layout = spec.get("layout", {})
    legend = layout.get("legend") or {}
    names = [str(t.get("name") or "") for t in spec.get("data", []) if t.get("showlegend", True) is not False and t.get("type") != "sankey"]
    shown = layout.get("showlegend")
    if shown is False or not names or (shown is None and len(names) < 2):
        return 0.0, 0.0
    y = float(legend.get("y", 1.02))
    if legend.get("orientation") != "h" or y < 1 or legend.get("yanchor", "auto") not in ("bottom", "auto"):
        return 0.0, 0.0  # a legend beside or inside the plot: its own automargin handles it
    size = _font_px(legend.get("font"), default=base_px)
    rows, used = 1, 0.0
    for name in names:
        item = 40 + len(re.sub(r"<[^>]+>|&[#\w]+;", "x", name)) * size * TEXT_EM + 10
        if used and used + item > plot_width:
            rows, used = rows + 1, 0.0
        used += item
    return rows * (size * LINE + 8) + 6, y - 1


def _margins(spec: dict, title_px: float, footer_px: float, width: int, height: int) -> tuple[dict, float]:
    """The export's margins {l, r, t, b}, and the height of the band under the plot its axes' labels need."""
    layout = spec.get("layout", {})
    base = _font_px(layout.get("font"))
    need = {"left": 0.0, "right": 0.0, "top": 0.0, "bottom": 0.0}
    for name, (axis, values) in _drawn_axes(spec).items():
        edge = _edge(layout, name, axis)
        if edge is None:
            continue
        tick = _font_px(axis.get("tickfont"), default=base)
        title = axis.get("title") if isinstance(axis.get("title"), dict) else {"text": axis.get("title")}
        named = _font_px(title.get("font"), default=round(base * 1.2)) * LINE + 12 if _title_text(title) else 0  # Plotly: 1.2 × the type
        labels = 0.0
        if axis.get("showticklabels", True) is not False:
            across = _label_px(axis, values, tick)
            lines = max((str(t).count("<br>") + 1 for t in (axis.get("ticktext") or axis.get("categoryarray") or values)), default=1)
            labels = (across if edge in ("left", "right") else lines * tick * LINE) + 12
        need[edge] = max(need[edge], labels + named)
    margin = layout.get("margin") or {}
    left = max(float(margin.get("l", 0) or 0), PAD + need["left"])
    right = max(float(margin.get("r", 0) or 0), PAD + need["right"], PAD + 30)  # the last label overhangs the plot
    bottom_band = need["bottom"] + GAP
    plot_width = width - left - right
    legend_h, legend_at = _legend_px(spec, plot_width, base)
    notes_h = max(  # annotations above the plot (subplot titles); 0.6 × height: roughly a plot's height in an export
        (
            _font_px(n.get("font"), default=base) * LINE * (1 + str(n.get("text", "")).count("<br>")) + (float(n.get("y", 0)) - 1) * 0.6 * height
            for n in layout.get("annotations", []) or []
            if n.get("yref", "paper") == "paper" and float(n.get("y", 0) or 0) >= 1 and n.get("yanchor") in ("bottom", None)
        ),
        default=0.0,
    )
    top = title_px + GAP + need["top"]
    bottom = bottom_band + footer_px + PAD
    # a legend sits `legend_at` plot heights above the plot, and the plot's height depends on the top margin: solve
    # top = fixed + legend_h + legend_at × (height − top − bottom)
    top = max(top + notes_h, (top + legend_h + legend_at * (height - bottom)) / (1 + legend_at))
    return {"l": round(left), "r": round(right), "t": round(top), "b": round(bottom)}, bottom_band


def _level_ticks(spec: dict, plot_width: float) -> None:
    """Keep a category x axis's labels level: show only as many as fit side by side (Plotly would slant them)."""
    layout = spec.setdefault("layout", {})
    base = _font_px(layout.get("font"))
    for name, (axis, values) in _drawn_axes(spec).items():
        if not name.startswith("x") or axis.get("tickangle") not in (None, "auto"):
            continue
        categories = axis.get("categoryarray") or [v for v in dict.fromkeys(values) if isinstance(v, str)]
        if axis.get("type") != "category" and not (categories and all(isinstance(v, str) for v in values)):
            continue
        domain = axis.get("domain") or [0, 1]
        label_px = _label_px(axis, values, _font_px(axis.get("tickfont"), default=base)) + 16
        fit = max(2, int(plot_width * (domain[1] - domain[0]) * MAX_LEVEL_TICK / label_px))
        if len(categories) > fit:
            layout[name] = {**axis, "nticks": min(int(axis.get("nticks") or fit), fit), "tickangle": 0}


def footer_spec(fig: go.Figure | dict, prov: Provenance, point: str = "", width: int = WIDTH, height: int = HEIGHT) -> dict:
    """The figure's dict with `point` as its title and `prov.lines()` drawn under the plot, sized width × height.

    `fig` (a builder's figure, possibly cached and shared) is not changed: the dict is a deep copy."""
    spec = copy.deepcopy(fig.to_dict() if isinstance(fig, go.Figure) else fig)
    rtl = i18n.is_rtl()
    if rtl:  # room for Nastaliq's tall letters beside an upright y-axis title (a page's figure has it already)
        spec["layout"] = pad_axis_titles(spec.get("layout", {}))
    layout = spec.setdefault("layout", {})
    line = LINE_UR if rtl else LINE
    text_width = width - 2 * PAD
    title_lines = _wrap(point, text_width, TITLE_PX) if point else []
    footer_lines = [part for text in prov.lines() for part in _wrap(text, text_width, FOOTER_PX)]
    title_px = PAD + len(title_lines) * TITLE_PX * line if title_lines else PAD
    footer_px = len(footer_lines) * FOOTER_PX * line
    margin, band = _margins(spec, title_px, footer_px, width, height)
    _level_ticks(spec, width - margin["l"] - margin["r"])
    layout.update(width=width, height=height, autosize=False, margin={**margin, "pad": 0, "autoexpand": True})
    if rtl:  # Urdu: Nastaliq for every text, title and footer on the reading side, a line an annotation each
        layout["font"] = {**(layout.get("font") or {}), "family": font_family()}
        layout["title"] = {"text": ""}
        notes = [
            {
                "text": escape_html(RLE + text + PDF),
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 1,
                "xanchor": "right",
                "yanchor": "top",
                "xshift": margin["r"] - PAD,
                "yshift": margin["t"] - PAD - k * TITLE_PX * line,
                "align": "right",
                "showarrow": False,
                "font": {"size": TITLE_PX, "color": INK, "family": font_family()},
            }
            for k, text in enumerate(title_lines)
        ]
        notes += [
            {
                "text": escape_html(RLE + text + PDF),
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 0,
                "xanchor": "right",
                "yanchor": "top",
                "xshift": margin["r"] - PAD,
                "yshift": -band - k * FOOTER_PX * line,
                "align": "right",
                "showarrow": False,
                "font": {"size": FOOTER_PX, "color": FOOTER_INK, "family": font_family()},
            }
            for k, text in enumerate(footer_lines)
        ]
        layout["annotations"] = [*(layout.get("annotations") or []), *notes]
        return spec
    if title_lines:
        layout["title"] = {
            "text": "<br>".join(escape_html(line) for line in title_lines),
            "xref": "container",
            "yref": "container",
            "x": 0,
            "y": 1,
            "xanchor": "left",
            "yanchor": "top",
            "pad": {"l": PAD, "t": PAD},
            "font": {"size": TITLE_PX, "color": INK},
        }
    footer = {
        "text": "<br>".join(escape_html(line) for line in footer_lines),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "xshift": PAD - margin["l"],
        "yshift": -band,
        "align": "left",
        "showarrow": False,
        "font": {"size": FOOTER_PX, "color": FOOTER_INK},
    }
    layout["annotations"] = [*(layout.get("annotations") or []), footer]
    return spec


def with_footer(fig: go.Figure | dict, prov: Provenance, point: str = "", width: int = WIDTH, height: int = HEIGHT) -> go.Figure:
    """A copy of the figure with `point` as its title and the provenance drawn into the image under the plot."""
    return go.Figure(footer_spec(fig, prov, point, width, height))


def chart_image(fig: go.Figure | dict, fmt: str, point: str, prov: Provenance, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The chart with its title and footer as `fmt` ('png' or 'svg') bytes, width × height."""
    return render.image(footer_spec(fig, prov, point, width, height), fmt, width, height)


def chart_png(fig: go.Figure | dict, point: str, prov: Provenance, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The chart with its title and footer as a PNG of width × height pixels."""
    return chart_image(fig, "png", point, prov, width, height)


def chart_svg(fig: go.Figure | dict, point: str, prov: Provenance, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The chart with its title and footer as an SVG of width × height."""
    return chart_image(fig, "svg", point, prov, width, height)


# ---------------------------------------------------------------------------------------------------
# Compare's key figures as CSV

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
QUOTE_IF = re.compile(r'[,"#\r\n]|^\s|\s$')
RANGE_FIGURES = {  # kpis() figure -> the Ranges figure and the factor to the kpis() unit
    "hubs": ("hubs_open", 1.0),
    "certified": ("learners_certified", 1.0),
    "cost": ("total_cost", 1 / 1000),
    "per_certified": ("cost_per_certified_learner", 1 / 1000),
}
FIGURES = (  # kpis() figure, column, decimals (None: a quarter, its change in quarters)
    ("hubs", "Hubs open at the end", 0),
    ("complete", "Whole network open from", None),
    ("certified", "Learners certified", 0),
    ("cost", "Total cost (PKR billion)", 3),
    ("public_track", "Public-track money (PKR billion)", 3),
    ("private_track", "Private-track money (PKR billion)", 3),
    ("gap", "Funding gap (PKR million)", 1),
    ("per_certified", "Cost per certified learner (PKR thousand)", 1),
)


def safe_cell(value: object) -> object:
    """A cell no spreadsheet runs as a formula: text starting with = + - @ tab or CR gets a leading apostrophe,
    unless it is a plain number (negative numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value.strip()):
        return "'" + value
    return value


def _cell(value: object) -> str:
    """One CSV cell: numbers as written, text formula-safe and quoted when it holds a separator, a quote, a `#`
    (pandas' comment character) or a line break."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value)) if not float(value).is_integer() else str(int(value))
    text = str(safe_cell(str(value)))
    return '"' + text.replace('"', '""') + '"' if QUOTE_IF.search(text) else text


def _comment(text: str) -> str:
    """One `#` metadata line: on one line, and no comma-separated piece (a spreadsheet splits the line there, and
    unquotes a piece in quotes) that a spreadsheet would run as a formula."""
    pieces = re.sub(r"[\r\n\t\v\f]+", " ", str(text)).split(",")
    for i, piece in enumerate(pieces[1:], start=1):
        body = piece.lstrip(' "')
        pieces[i] = piece[: len(piece) - len(body)] + str(safe_cell(body))
    return "# " + ",".join(pieces)


def _number(value: object, decimals: int | None) -> object:
    if value is None or decimals is None:
        return value
    out = round(float(value), decimals)
    return int(out) if decimals == 0 else out


def compare_rows(data: CompareData, ranges: Sequence[Ranges], baseline: str) -> tuple[list[str], list[list[object]]]:
    """The Compare page's key figures, one row per option: each figure, its change against the baseline, and the
    5th-95th percentile range of the four uncertain ones (as the page shows them, in the page's units)."""
    base_i = data.labels.index(baseline) if baseline in data.labels else 0
    base = kpis(data.results[base_i])
    header = ["Option", "Baseline"]
    for key, column, decimals in FIGURES:
        header += [column, f"{column}: change against the baseline" + (" (quarters)" if decimals is None else "")]
        if key in RANGE_FIGURES:
            header += [f"{column}: low ({LOW}th percentile)", f"{column}: high ({HIGH}th percentile)"]
    rows = []
    for i, label in enumerate(data.labels):
        k = kpis(data.results[i])
        row: list[object] = [label, "yes" if i == base_i else "no"]
        for key, _column, decimals in FIGURES:
            value = k[key]
            if decimals is None:
                row.append(value or "not within the horizon")
                later = None
                if i != base_i and value and base[key]:
                    later = quarter_index(str(value)) - quarter_index(str(base[key]))
                row.append(later)
            else:
                row.append(_number(value, decimals))
                row.append(None if i == base_i or value is None or base[key] is None else _number(float(value) - float(base[key]), decimals))
            if key in RANGE_FIGURES:
                figure, factor = RANGE_FIGURES[key]
                low, high = ranges[i].low[figure], ranges[i].high[figure]
                row += [None if math.isnan(low) else _number(low * factor, decimals), None if math.isnan(high) else _number(high * factor, decimals)]
        rows.append(row)
    return header, rows


def compare_header(data: CompareData, ranges: Sequence[Ranges], baseline: str, prov: Provenance) -> list[str]:
    """The CSV's metadata lines: provenance, the options compared, the horizon, the ranges, the custom option's levers."""
    out = list(prov.lines())
    sep = "؛ " if i18n.is_rtl() else "; "
    out.append(
        t("Options compared: {options}", options=sep.join(t("{option} (baseline)", option=label) if label == baseline else label for label in data.labels))
    )
    out.append(
        t(
            "Horizon: every option runs {n} quarters, {first} to {last}; totals are over it",
            n=data.horizon,
            first=i18n.quarter(data.first_quarter) if i18n.is_rtl() else data.first_quarter,
            last=i18n.quarter(data.last_quarter) if i18n.is_rtl() else data.last_quarter,
        )
    )
    if ranges:
        out.append(
            t(
                "Ranges: the {low}th to {high}th percentile of {n} runs with the illustrative assumptions drawn within "
                "their low and high bounds (fixed seed); the figure itself is the central run",
                low=LOW,
                high=HIGH,
                n=ranges[0].samples,
            )
        )
    custom = next((c for c in dict.fromkeys((custom_label(), CUSTOM_LABEL)) if c in data.labels and c in data.levers.columns), None)
    if custom is not None:
        out.append(t("The custom option's levers:"))
        lever_column = data.levers.columns[0]  # the lever's name (its header is in the current language)
        out += [f"  {lever}: {value}" for lever, value in zip(data.levers[lever_column], data.levers[custom], strict=True)]
    return out


def compare_csv(data: CompareData, ranges: Sequence[Ranges], baseline: str, prov: Provenance) -> str:
    """Compare's key figures and ranges as CSV under `#` metadata lines (release, export date, options, levers, status,
    source, how to cite); read it back with `pandas.read_csv(io.StringIO(text), comment="#")`."""
    header, rows = compare_rows(data, ranges, baseline)
    out = io.StringIO()
    for line in compare_header(data, ranges, baseline, prov):
        out.write(_comment(line) + "\n")
    for row in (header, *rows):
        out.write(",".join(_cell(v) for v in row) + "\n")
    return out.getvalue()


def table_csv(frame: pd.DataFrame, prov: Provenance, lines: Sequence[str] = ()) -> str:
    """Any table as CSV under `#` metadata lines: the provenance (status "concept, not approved", release, export date,
    source, how to cite) and `lines` (e.g. the view's settings). Machine column ids stay as they are; cells are
    formula-safe and quoted when they hold a separator, a quote or a `#`. Read it back with
    `pandas.read_csv(io.StringIO(text), comment="#")`."""
    out = io.StringIO()
    for line in (*prov.lines(), *lines):  # the provenance in the current language (pakcoe.provenance), then the caller's lines
        out.write(_comment(line) + "\n")
    out.write(",".join(_cell(str(c)) for c in frame.columns) + "\n")
    for row in frame.itertuples(index=False):
        out.write(",".join(_cell(v) for v in row) + "\n")
    return out.getvalue()


def deferred(make: Callable[[], str]) -> Callable[[], str]:
    """`make` as a download button's deferred data: run only when the button is clicked (perhaps in another thread than
    this script run), in the language of this run. A page's reruns then no longer write every CSV it offers."""
    lang = i18n.current()

    def run() -> str:
        with i18n.using(lang):
            return make()

    return run


# The source line of Compare's key figures (the app's CSV button and the command line); `compare_source` in the current language
COMPARE_SOURCE = MODEL_NOTE + "; ranges: the assumptions drawn within their low and high bounds (Methodology)"


def compare_source() -> str:
    """COMPARE_SOURCE in the current language."""
    return t("{model}; ranges: the assumptions drawn within their low and high bounds (Methodology)", model=model_note())


def file_name(release: str, what: str, ext: str, on: date | None = None) -> str:
    """A download's file name: pak-ai-coe-<release>-<what>-<date>.<ext>, `what` reduced to letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")[:60] or "export"
    return f"pak-ai-coe-{release}-{slug}-{(on or date.today()).isoformat()}.{ext}"
