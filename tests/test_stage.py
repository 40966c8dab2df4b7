"""The stage's pure parts: every figure a stop shows restyled for a projector (18 px type and more, no dragging, no
mode bar, the builder's own figure untouched, series still told apart by more than colour), and the stage's texts
(escaped, in words, short)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from releasekit import newest_folder

from components import stage_map
from components import stage_views as sv
from components.funding_figures import gap_data, mix_data, sankey_data
from components.map_data import coverage_data, hub_detail
from components.overview_figures import hubs_by_phase
from components.partners_figures import programmes_data, raci_data
from components.rollout_detail import RangeText, sensitivity_data
from components.rollout_figures import compare_data, data_notes, default_option, methodology_text, option_names, phases_data
from components.stage_figures import CONFIG, LEGEND_PX, TICK_PX, projector, projector_spec
from pakcoe import load_release
from pakcoe.display import texts
from pakcoe.model import comparison_horizon, scenario_from_option

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`);alert(1);(`", "</style><script>alert(1)</script>", '"]{}*{color:red}']
AXIS = re.compile(r"^[xy]axis\d*$")


@pytest.fixture(scope="module")
def release():
    """The newest release with a deck."""
    return load_release(newest_folder())


@pytest.fixture(scope="module")
def figures(release):
    """Every figure the stage draws, as the pages' builders make it: name -> figure."""
    option = default_option(release)
    options = list(option_names(release))[:3]
    scenarios = tuple(scenario_from_option(release, o) for o in options)
    horizon = comparison_horizon(release, scenarios)
    scenarios = tuple(s.replace(horizon_quarters=horizon) for s in scenarios)
    compared = compare_data(release, scenarios, tuple(option_names(release)[o] for o in options))
    phase = int(release.table("phases")["phase_id"].min())
    return {
        "gantt": phases_data(release, scenario_from_option(release, option), "x").gantt,
        "compare-hubs": compared.hubs_fig,
        "compare-provinces": compared.province_fig,
        "sensitivity": sensitivity_data(release, scenarios[0], "x").figure,
        "sankey": sankey_data(release, option, None, "PKR").figure,
        "sankey-phase": sankey_data(release, option, phase, "USD").figure,
        "mix": mix_data(release, option, None, "PKR").figure,
        "gap": gap_data(release, list(option_names(release))[-1], None, "PKR").figure,
        "raci": raci_data(release, "private").figure,
        "programmes": programmes_data(release).figure,
        "coverage": coverage_data(release, release.hubs, 25).coverage_fig,
        "overview": hubs_by_phase(release).figure,
    }


def fonts(spec: dict) -> dict[str, list[float]]:
    """Every font size a spec sets, by where it is."""
    layout = spec["layout"]
    out: dict[str, list[float]] = {"ticks": [], "legend": [layout["legend"]["font"]["size"]], "hover": [layout["hoverlabel"]["font"]["size"]]}
    for key, axis in layout.items():
        if AXIS.match(key):
            out["ticks"].append(axis["tickfont"]["size"])
    out["annotations"] = [a["font"]["size"] for a in layout.get("annotations", [])]
    out["labels"] = [t["textfont"]["size"] for t in spec["data"] if "textfont" in t]
    return out


def test_every_stage_figure_is_styled_for_a_projector(figures):
    for name, fig in figures.items():
        assert fig is not None, name
        spec = projector(fig).to_dict()
        layout = spec["layout"]
        assert layout["dragmode"] is False, name
        assert "height" not in layout and layout["autosize"] is True, name  # the stage gives the height
        for where, sizes in fonts(spec).items():
            assert all(s >= TICK_PX for s in sizes), (name, where, sizes)
        assert layout["legend"]["font"]["size"] >= LEGEND_PX, name
        assert layout["uniformtext"]["minsize"] >= TICK_PX, name  # bar labels are never shrunk below the floor
        assert all(layout[k]["fixedrange"] for k in layout if AXIS.match(k)), name  # no zoom on any axis
        assert not [t["name"] for t in spec["data"] if ".csv" in str(t.get("name", ""))], name


def test_the_projector_leaves_the_builders_figure_as_it_was_and_keeps_its_patterns(figures):
    for name, fig in figures.items():
        before = json.dumps(fig.to_dict(), sort_keys=True, default=str)
        after = projector(fig).to_dict()
        assert json.dumps(fig.to_dict(), sort_keys=True, default=str) == before, name
        patterns = [t.get("marker", {}).get("pattern") for t in fig.to_dict()["data"] if t.get("type") == "bar"]
        assert patterns == [t.get("marker", {}).get("pattern") for t in after["data"] if t.get("type") == "bar"], name


def test_a_stage_chart_has_no_mode_bar_and_no_zoom_by_wheel_or_double_click():
    assert CONFIG["displayModeBar"] is False and CONFIG["scrollZoom"] is False and CONFIG["doubleClick"] is False


def test_the_timeline_shows_milestone_titles_without_their_codes(figures, release):
    axis = projector(figures["gantt"]).to_dict()["layout"]["yaxis"]
    codes = set(release.table("milestones")["milestone_id"].astype(str))
    rows = axis.get("ticktext") or axis["categoryarray"]  # the rows as drawn (the builder writes titles only)
    assert not [t for t in rows if any(re.search(rf"\b{re.escape(c)}\b", t) for c in codes)]
    shown = {html.unescape(t.replace("<br>", " ")) for t in rows}
    assert set(release.table("milestones")["title"]) <= shown  # every milestone by its whole title (wrapped, never cut)


def test_projector_fonts_only_grow_and_file_names_leave_series_names():
    spec = {
        "data": [{"type": "bar", "name": "Planned (phases.csv)", "text": ["1"], "textfont": {"size": 30}}],
        "layout": {"height": 300, "xaxis": {"title": "Quarter (hubs.csv)", "tickfont": {"size": 9}}, "legend": {"font": {"size": 40}}},
    }
    out = projector_spec(spec)
    assert out["data"][0]["name"] == "Planned" and out["data"][0]["textfont"]["size"] == 30
    assert out["layout"]["xaxis"]["tickfont"]["size"] == TICK_PX and out["layout"]["xaxis"]["title"]["text"] == "Quarter"
    assert out["layout"]["legend"]["font"]["size"] == 40 and "height" not in out["layout"]
    assert spec["layout"]["height"] == 300 and spec["data"][0]["name"] == "Planned (phases.csv)"  # the input is not changed


# ---------------------------------------------------------------------------------------------------
# Texts


def test_cards_and_tables_escape_every_text():
    for payload in PAYLOADS:
        cards = sv.cards_html(sv.Cards((sv.Card(payload, (payload,), payload, (payload,)),), 1, payload))
        table = sv.table_html(sv.Table((payload,), ((payload,),), payload))
        figures = {key: 1.0 for key, *_ in sv.KPI_ROWS} | {"complete": payload}
        spread = {key: RangeText(payload, payload) for _, _, key, _ in sv.KPI_ROWS if key}
        kpis = sv.kpis_html((payload,), [figures], [spread], payload)
        for markup in (cards, table, kpis, sv.point_html(payload), sv.line_html(payload)):
            assert "<script" not in markup and "<img" not in markup and "${" not in markup and "`" not in markup
            assert html.escape(payload, quote=True).replace("$", "&#36;").replace("`", "&#96;") in markup


def test_the_hub_facts_are_the_map_pages_own_and_a_hub_is_named_not_coded(release):
    hub = str(release.hubs["hub_id"].iloc[0])
    labels = list(hub_detail(release, hub).attributes["attribute"])
    assert [f for f in sv.HUB_FACTS if f not in labels] == []  # a renamed attribute on the map page fails here
    card = sv.hub_facts(release, hub)
    assert card.title == str(release.hubs["name"].iloc[0])
    assert len(card.items) == len(sv.HUB_FACTS) and not [i for i in card.items if hub in i]


def test_a_ringed_hub_name_cannot_leave_its_css_string():
    for payload in PAYLOADS:
        css = stage_map.map_css(payload)
        assert css.count("<") == 2 and css.startswith("<style>") and css.count("</style>") == 1 and css.endswith("</style>")
        selector = re.search(r'aria-label\^="([^"]*)"', css)
        assert selector is not None and re.fullmatch(r"[\w \\]*", selector.group(1))


def test_the_map_legend_keeps_its_shapes_as_images(release):
    markup = stage_map.legend(release, "national")
    assert "<svg" not in markup and markup.count('src="data:image/svg+xml;base64,') >= len(release.table("hub_types"))


def test_the_model_steps_and_notes_name_no_file_column_or_code(release):
    steps = sv.steps(methodology_text(release).sections)
    assert steps and not [s for s in steps if "_" in s or ".csv" in s or re.match(r"\d", s)]
    titles = sv.milestone_titles(release)
    notes = sv.notes(data_notes(release), titles)
    shown = " ".join(c.title + " ".join(c.lines) for c in notes.cards)
    assert not [code for code in titles if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", shown)]
    assert sv.notes(("**Milestone X9** (Its title) targets 5 by 2030Q1; the model gives 3.",), {"X9": "Its title"}).cards[0] == sv.Card(
        "Milestone: Its title", ("targets 5 by 2030Q1; the model gives 3.",)
    )


def test_a_data_table_shows_its_first_rows_the_columns_that_fit_and_how_many_there_are(release):
    table = sv.data_rows(release, "hubs")
    frame = release.table("hubs")
    assert len(table.rows) == min(len(frame), sv.ROWS) and 0 < len(table.header) <= len(frame.columns)
    # headers are the release's display texts (labels.csv: "Hub", not the id's humanized "Hub id")
    assert not [h for h in table.header if "_" in h] and table.header[0] == texts(release).column(frame.columns[0], "hubs")
    assert f"{len(frame):,} rows" in table.note and f"{len(frame.columns)} columns" in table.note


def test_markdown_from_a_builder_becomes_plain_text():
    assert sv.plain(r"**Horizons.** Phases \(32 quarters\) and *Compare*") == "Horizons. Phases (32 quarters) and Compare"
    assert sv.humanize("learner_capacity_per_year") == "Learner capacity per year"
