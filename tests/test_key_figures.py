"""The Compare page's compact table and computed chart titles, and the Phases page's wrapped row labels (pure builders)."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.rollout import key_figures_html
from components.rollout_detail import gap_point, network_point, spend_point
from components.rollout_figures import KEY_FIGURES, key_figures, kpis, milestone_rows, release_source, wrap
from pakcoe import load_release
from pakcoe.model import comparison_horizon, quarter_index, run_model, scenario_from_option
from pakcoe.uncertainty import ranges

ROOT = Path(__file__).resolve().parent.parent
RELEASE = load_release(ROOT / "data" / "releases" / "1.1.0")
OPTIONS = ("public-on-time", "public-delayed-4q", "private-only", "fast-small")


@pytest.fixture(scope="module")
def runs():
    scenarios = [scenario_from_option(RELEASE, o) for o in OPTIONS]
    horizon = comparison_horizon(RELEASE, scenarios)
    scenarios = [s.replace(horizon_quarters=horizon) for s in scenarios]
    return scenarios, tuple(run_model(RELEASE, s) for s in scenarios)


def test_key_figures_hold_each_options_values_ranges_and_changes_in_words(runs):
    scenarios, results = runs
    labels = ("A", "B", "C", "D")
    table = key_figures(labels, results, tuple(ranges(RELEASE, s) for s in scenarios), baseline=1)
    assert table.options == labels and [label for label, _ in table.rows] == [f[1] for f in KEY_FIGURES]
    rows = dict(table.rows)
    base = kpis(results[1])
    for i, r in enumerate(results):
        k = kpis(r)
        assert rows["Hubs open at the end"][i].value == f"{k['hubs']:,.0f}"
        assert rows["Learners certified"][i].range.startswith("Range ")
        assert rows["Public-track money (PKR billion)"][i].range == ""  # not drawn by the ranges: no range shown
        if i == 1:
            assert all(cells[1].change == "" for cells in rows.values())
            continue
        diff = k["certified"] - base["certified"]
        want = "same as the baseline" if round(diff) == 0 else f"{diff:+,.0f} vs the baseline"
        assert rows["Learners certified"][i].change == want
        if k["complete"] and base["complete"]:
            late = quarter_index(k["complete"]) - quarter_index(base["complete"])
            change = rows["Whole network open from"][i].change
            assert change == "same quarter as the baseline" if late == 0 else change.startswith(f"{abs(late)} quarter")
    assert any("percentile" in n for n in table.notes)


def test_the_compact_table_html_has_one_column_per_option_and_escapes_names(runs):
    scenarios, results = runs
    labels = ("<b>A</b>", "B & C")
    table = key_figures(labels, results[:2], tuple(ranges(RELEASE, s) for s in scenarios[:2]), baseline=0)
    html = key_figures_html(table)
    assert "<b>A</b>" not in html and "&lt;b&gt;A&lt;/b&gt;" in html and "B &amp; C" in html
    assert html.count('scope="col"') == 2 + 1 and html.count('class="kf-figure"') == len(KEY_FIGURES)
    assert html.count("Baseline</span>") == 1


def test_chart_titles_follow_the_data_shown():
    assert spend_point(("A", "B"), [2.0, 1.0], [0.0, 0.0]) == "Who pays most: public track most under A (PKR 2.00 bn); private track nothing under any option"
    assert spend_point(("A", "B"), [1.0, 1.0], [3.0, 0.5]).startswith("Who pays most: public track most under A and B")
    assert gap_point(("A", "B", "C"), [5.0, 0.0, 5.0], "2036Q1") == "Largest funding gap by 2036Q1: A and C (PKR 5 million); no gap under B"


def test_network_point_names_the_first_and_the_incomplete(runs):
    _, results = runs
    labels = ("A", "B", "C", "D")
    done = {label: r.summary.network_complete_quarter for label, r in zip(labels, results, strict=True)}
    text = network_point(labels, results)
    first = min((q for q in done.values() if q), key=quarter_index)
    assert first in text
    for label, q in done.items():
        if not q:
            assert label in text.split(";", 1)[1] and "not complete" in text


def test_row_labels_wrap_whole_words_and_never_cut():
    text = "Regional flagships open in Lahore, Islamabad, Peshawar and Quetta"
    wrapped = wrap(text, 26)
    assert wrapped.replace("<br>", " ") == text and "…" not in wrapped
    assert all(len(line) <= 26 for line in wrapped.split("<br>"))
    assert wrap("M&E <live>") == "M&amp;E &lt;live&gt;"  # data text is escaped for Plotly
    rows = milestone_rows(RELEASE.table("milestones"))
    assert set(rows) == set(RELEASE.table("milestones")["milestone_id"])
    assert not [r for r in rows.values() if any(m in r for m in rows)]  # titles, never ids


def test_sources_are_named_by_their_titles_in_the_release():
    assert release_source(RELEASE, "phases", "milestones") == "the release's Phases and Milestones tables"
    assert ".csv" not in release_source(RELEASE, "funding_rules")
