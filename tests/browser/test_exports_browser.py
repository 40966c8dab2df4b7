"""Chart images and Compare's CSV carry their provenance: the footer is drawn into the image (read back from the SVG's
text and the PNG's pixels), stays inside the image and under every label; the CSV reads back with
`pandas.read_csv(comment="#")`, with `#` in a cell, and no cell runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from components import exports
from components.funding_figures import mix_data, sankey_data
from components.partners_figures import raci_data
from components.rollout_detail import sensitivity_data
from components.rollout_figures import CUSTOM_LABEL, compare_data, custom_scenario, default_option, levers, option_names, phases_data
from pakcoe import load_release
from pakcoe.model import comparison_horizon, scenario_from_option
from pakcoe.provenance import provenance
from pakcoe.release import list_releases
from pakcoe.semver import semver_key
from pakcoe.uncertainty import ranges as ranges_of

ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout (this file is in tests/browser/)
ON = date(2026, 1, 2)
LONG_SOURCE = "pakcoe.model run on this release (formulas under Methodology); " * 5 + "shares from funding_rules.csv & <b>tags</b>"
POINT = "Who pays: cumulative spend through the public and the private track, a point long enough to wrap onto a second line of the title"


@pytest.fixture(scope="module")
def release():
    """The newest release in the checkout."""
    return load_release(max(list_releases(ROOT / "data" / "releases"), key=lambda p: semver_key(p.name)))


@pytest.fixture(scope="module")
def prov(release):
    return provenance(release, LONG_SOURCE, on=ON)


@pytest.fixture(scope="module")
def compared(release):
    """Three options of the release compared as the Compare page does, and their ranges."""
    options = list(option_names(release))[:3]
    runs = tuple(scenario_from_option(release, o) for o in options)
    horizon = comparison_horizon(release, runs)
    runs = tuple(s.replace(horizon_quarters=horizon) for s in runs)
    return compare_data(release, runs, tuple(option_names(release)[o] for o in options)), tuple(ranges_of(release, s) for s in runs)


@pytest.fixture(scope="module")
def figures(release, compared):
    """The app's charts of every shape: lines, two panels, a tornado, a Gantt, a Sankey, stacked bars, a heatmap."""
    option = default_option(release)
    data, _ = compared
    return {
        "compare-hubs": data.hubs_fig,
        "compare-spend": data.spend_fig,
        "sensitivity": sensitivity_data(release, scenario_from_option(release, option), "x").figure,
        "gantt": phases_data(release, scenario_from_option(release, option), "x").gantt,
        "sankey": sankey_data(release, option, None, "PKR").figure,
        "mix": mix_data(release, option, None, "PKR").figure,
        "raci": raci_data(release, "public").figure,
    }


def svg_text(svg: bytes) -> str:
    """Every text the SVG draws, one space between pieces (a wrapped line's parts join back up)."""
    return " ".join(" ".join(t.split()) for t in ET.fromstring(svg).itertext() if t.strip())


def _num(pattern: str, tag: str) -> float:
    found = re.search(pattern, tag)
    return float(found.group(1)) if found else 0.0


def geometry(svg: str) -> dict:
    """Where Plotly drew things (px): the plots, the x labels' and titles' baselines, the title, legend and footer."""
    plots = [
        tuple(map(float, m))
        for m in re.findall(r'class="axesclip" id="clip\w+?x\d*y\d*"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)
    ]
    labels = []
    for tag in re.findall(r'<g class="x\d*tick"><text[^>]*>', svg) + re.findall(r'<text class="x\d*title"[^>]*>', svg):
        labels.append(_num(r' y="([-\d.]+)"', tag) + _num(r'transform="translate\([-\d.]+,([-\d.]+)\)', tag))
    notes = re.findall(
        r'<g class="cursor-pointer" transform="translate\(([-\d.]+),([-\d.]+)\)"><rect class="bg" x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"', svg
    )
    legend = re.search(r'<g class="legend"[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"><rect class="bg"[^>]*width="([\d.]+)" height="([\d.]+)"', svg)
    title = re.search(r'<text class="gtitle"[^>]* y="([\d.]+)"[^>]*>(.*?)</text>', svg)
    title_lines = (title.group(2).count('class="line"') or 1) if title else 0
    return {
        "plots": plots,
        "labels": labels,
        "footer": tuple(map(float, notes[-1])),  # the footer is the last annotation
        "legend": tuple(map(float, legend.groups())) if legend else None,
        "title_bottom": float(title.group(1)) + title_lines * exports.TITLE_PX * exports.LINE if title else 0.0,
    }


def test_with_footer_gives_a_titled_copy_and_leaves_the_builders_figure_alone(figures, prov):
    for name, fig in figures.items():
        before = json.dumps(fig.to_dict(), sort_keys=True, default=str)
        out = exports.with_footer(fig, prov, POINT).to_dict()
        assert json.dumps(fig.to_dict(), sort_keys=True, default=str) == before, name
        assert out["layout"]["title"]["text"].replace("<br>", " ") == POINT, name
        footer = out["layout"]["annotations"][-1]["text"].replace("<br>", " ")
        assert "Data release" in footer and "exported 2026-01-02" in footer and "&lt;b&gt;tags&lt;/b&gt;" in footer, name  # data text escaped
        assert (out["layout"]["width"], out["layout"]["height"]) == (exports.WIDTH, exports.HEIGHT), name


def test_the_svg_draws_every_provenance_line_and_the_point(figures, prov):
    for name in ("sankey", "compare-hubs"):
        text = svg_text(exports.chart_svg(figures[name], POINT, prov))
        for line in (*prov.lines(), POINT):
            assert " ".join(line.split()) in text, (name, line)
    assert prov.release in prov.lines()[1] and prov.status in prov.lines() and prov.attributions


def test_the_footer_stays_inside_the_image_and_under_every_label(figures, prov):
    for name, fig in figures.items():
        g = geometry(exports.chart_svg(fig, POINT, prov).decode())
        x, y, w, h = g["footer"]
        assert x >= 0 and x + w <= exports.WIDTH and y + h <= exports.HEIGHT, (name, g["footer"])  # nothing cut off
        assert all(y >= baseline + 2 for baseline in g["labels"]), (name, y, max(g["labels"]))  # under the x labels and titles
        if g["plots"]:
            assert y >= max(py + ph for _, py, _, ph in g["plots"]), name
            assert g["title_bottom"] <= min(py for _, py, _, _ in g["plots"]), name
        if g["legend"]:
            assert g["title_bottom"] <= g["legend"][1] + 4, (name, g["title_bottom"], g["legend"])  # the title never covers the legend


def test_the_png_has_the_export_size_and_a_drawn_footer(figures, prov):
    png = exports.chart_png(figures["sankey"], POINT, prov)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (exports.WIDTH, exports.HEIGHT)
    pixels = np.asarray(image.convert("L"))
    footer_rows = pixels[exports.HEIGHT - 110 : exports.HEIGHT - exports.PAD]
    assert (footer_rows < 128).sum() > 2000  # dark text in the bottom strip
    assert (pixels[:, :4] > 250).all()  # and a white edge: nothing drawn off the side


# ---------------------------------------------------------------------------------------------------
# Compare's CSV


@pytest.fixture(scope="module")
def custom_runs(release):
    """Two options and the custom one (capital cost lever at its top) over one horizon, as the Compare page runs them,
    and their ranges."""
    options = list(option_names(release))[:2]
    specs = levers(release)
    custom = custom_scenario(release, specs, "on_time", True, {s.field: (s.high if s.field == "capex_multiplier" else s.default) for s in specs})
    runs = (*(scenario_from_option(release, o) for o in options), custom)
    horizon = comparison_horizon(release, runs)
    runs = tuple(s.replace(horizon_quarters=horizon) for s in runs)
    return runs, tuple(ranges_of(release, s) for s in runs)


def custom_compare(release, custom_runs, labels: tuple[str, str, str]):
    """The Compare page's data of the custom runs under these labels, and their ranges."""
    runs, spread = custom_runs
    return compare_data(release, runs, labels), spread


def comment_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


def test_the_csv_reads_back_with_its_header_and_a_hash_in_a_label(release, custom_runs):
    labels = ("Option #1, the first", "Option B", CUSTOM_LABEL)
    data, spread = custom_compare(release, custom_runs, labels)
    text = exports.compare_csv(data, spread, labels[1], provenance(release, "the model", on=ON))
    frame = pd.read_csv(io.StringIO(text), comment="#")
    assert frame["Option"].tolist() == list(labels)  # the '#' and the comma survive: the cell is quoted
    assert frame["Baseline"].tolist() == ["no", "yes", "no"]
    assert pd.api.types.is_integer_dtype(frame["Hubs open at the end"]) and pd.api.types.is_float_dtype(frame["Total cost (PKR billion)"])
    assert frame["Learners certified"].tolist() == [round(r.summary.learners_certified) for r in data.results]
    low, high = frame["Learners certified: low (5th percentile)"], frame["Learners certified: high (95th percentile)"]
    assert (low <= high).all() and low.tolist() == [round(r.low["learners_certified"]) for r in spread]
    assert frame["Total cost (PKR billion): change against the baseline"].isna().tolist() == [False, True, False]
    header = "\n".join(comment_lines(text))
    for line in provenance(release, "the model", on=ON).lines():
        assert line.split(",")[0] in header
    assert "exported 2026-01-02" in header and "Options compared: Option #1, the first; Option B (baseline)" in header
    capex = next(s for s in levers(release) if s.field == "capex_multiplier")
    assert f"Capital cost multiplier: {capex.high:g}" in header  # the custom option's levers, in words with values
    assert text.index("# Concept proposal") < text.index("Option,Baseline")  # the metadata comes first


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 more", "'+1 more"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-3", "-3"),
        ("+4.5e2", "+4.5e2"),
        ("a=b", "a=b"),
        (-7, -7),
    ],
)
def test_a_formula_cell_is_neutralised_and_a_number_is_not(cell, safe):
    assert exports.safe_cell(cell) == safe


def test_no_cell_of_the_csv_runs_as_a_formula_in_a_spreadsheet(release, custom_runs):
    labels = ('=HYPERLINK("http://evil")', '@SUM(1), "=cmd|x"', CUSTOM_LABEL)
    data, spread = custom_compare(release, custom_runs, labels)
    text = exports.compare_csv(data, spread, labels[0], provenance(release, "model, =1+1", on=ON))
    frame = pd.read_csv(io.StringIO(text), comment="#")
    assert frame["Option"].tolist()[:2] == ['\'=HYPERLINK("http://evil")', '\'@SUM(1), "=cmd|x"']
    changes = frame["Total cost (PKR billion): change against the baseline"].dropna()
    assert pd.api.types.is_float_dtype(changes) and (changes != 0).all()  # changes, negative ones too, stay numbers
    for row in csv.reader(io.StringIO(text)):  # as a spreadsheet splits every line, the metadata lines too
        assert not [cell for cell in row if cell.lstrip(" ").startswith(exports.FORMULA_START) and not exports.PLAIN_NUMBER.match(cell.strip())], row


def test_exports_load_no_streamlit():
    """The command line imports the exports without the app: nothing they load imports Streamlit."""
    code = "import sys, components.exports; sys.exit(1 if [m for m in sys.modules if m.split('.')[0] == 'streamlit'] else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
