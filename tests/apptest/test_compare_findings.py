"""Compare page, rollout model 2: one stated horizon, headline figures equal to pakcoe.model, ranges, sensitivity, gates per
option, the gating lever in the URL, ties stated as ties, the differences-only switch, warnings, all-zero charts as sentences.

Each test names its release: 1.1.0 through the pinned folder (its default), 1.3.0 (a draft) through the checkout's own
folder and ?release=, so a newer release changes nothing they check."""

from __future__ import annotations

import pytest
from apphelp import ROOT, chart_spec, open_clean, plotly_values, static_tables, tables_opened, texts
from compare_table import key_figures

from components.escape import escape_html, escape_md
from components.rollout_detail import range_texts
from pakcoe import load_release
from pakcoe.advice import option_warnings
from pakcoe.model import comparison_horizon, quarter_index, run_model, scenario_from_option
from pakcoe.uncertainty import SAMPLES, ranges, sensitivity

PREDEFINED = ["public-on-time", "public-delayed-4q", "private-only", "fast-small"]
CUSTOM = "Custom option (your levers)"
DRAFT = "1.3.0"
RELEASE_1_3_0 = load_release(ROOT / "data" / "releases" / DRAFT)


def over_one_horizon(release, scenarios: list) -> list:
    horizon = comparison_horizon(release, scenarios)
    return [s.replace(horizon_quarters=horizon) for s in scenarios]


RANGED = ("Hubs open at the end", "Learners certified", "Total cost (PKR billion)", "Cost per certified learner (PKR thousand)")


def range_texts_shown(at) -> list[str]:
    """The ranges of the compact table, option by option, in the order of RANGED."""
    kf = key_figures(at)
    return [kf.rows[figure][i].range for i in range(len(kf.options)) for figure in RANGED]


def names(release) -> dict[str, str]:
    return dict(zip(release.table("options")["option_id"], release.table("options")["name"], strict=True))


def test_compare_shows_the_headline_numbers_of_run_model_over_the_comparison_horizon(real_releases):
    """The same release and levers give the same headline figures on the page as pakcoe.model over comparison_horizon."""
    query = {"release": DRAFT, "options": ["private-only", "custom"], "c_decision": "delayed", "c_delay": "6", "c_hubs": "70", "c_private_capacity": "2500"}
    at = open_clean("compare", query)
    release = RELEASE_1_3_0
    custom = scenario_from_option(release, "public-on-time", public_decision="delayed", delay_quarters=6, hub_target=70, private_capacity=2500.0)
    runs = over_one_horizon(release, [scenario_from_option(release, "private-only"), custom.replace(option_id="custom")])
    horizon = runs[0].horizon_quarters
    body = texts(at)
    assert f"Every option runs over the same horizon: {horizon} quarters" in body
    kf = key_figures(at)
    assert len(kf.options) == 2 and len(kf.rows) == 8
    for i, scenario in enumerate(runs):
        s = run_model(release, scenario).summary
        assert s.horizon_quarters == horizon
        column = {figure: cells[i].value for figure, cells in kf.rows.items()}
        assert column["Hubs open at the end"] == str(s.hubs_at_end)
        assert column["Whole network open from"] == (s.network_complete_quarter or "not yet")
        assert column["Learners certified"] == f"{s.learners_certified:,.0f}"
        assert column["Total cost (PKR billion)"] == f"{s.total_cost / 1000:,.2f}"
        assert column["Public-track money (PKR billion)"] == f"{s.public_track_money / 1000:,.2f}"
        assert column["Private-track money (PKR billion)"] == f"{s.private_track_money / 1000:,.2f}"
        assert column["Funding gap (PKR million)"] == f"{0.0 if s.funding_gap < 0.5 else s.funding_gap:,.0f}"
        assert column["Cost per certified learner (PKR thousand)"] == f"{s.cost_per_certified_learner * 1000:,.0f}"
    assert f"{runs[0].start_quarter}" in body and run_model(release, runs[0]).summary.last_quarter in body


def test_a_range_beside_each_headline_figure_holds_the_central_value(pinned_releases, release):
    at = open_clean("compare")
    captions = range_texts_shown(at)
    assert len(captions) == 4 * 4 and all(captions)
    runs = over_one_horizon(release, [scenario_from_option(release, o) for o in PREDEFINED])
    for i, scenario in enumerate(runs):
        r = ranges(release, scenario)
        assert r.samples >= 200
        s = run_model(release, scenario).summary
        central = {
            "hubs_open": s.hubs_at_end,
            "learners_certified": s.learners_certified,
            "total_cost": s.total_cost,
            "cost_per_certified_learner": s.cost_per_certified_learner * 1e6,
        }
        for key, value in central.items():
            assert r.low[key] <= value + 1e-6 and value <= r.high[key] + 1e-6, (scenario.option_id, key)
        text = range_texts(r)
        assert captions[4 * i : 4 * (i + 1)] == [str(text[k]) for k in ("hubs_open", "learners_certified", "total_cost", "cost_per_certified_learner")]
    assert f"percentile of {SAMPLES} runs" in key_figures(at).html
    # a fixed seed: the same link in a new session gives the same ranges
    assert range_texts_shown(open_clean("compare")) == captions


def test_the_sensitivity_chart_and_its_table_rank_the_assumptions_for_the_baseline(pinned_releases, release):
    at = open_clean("compare", {"baseline": "private-only"})
    baseline = over_one_horizon(release, [scenario_from_option(release, o) for o in PREDEFINED])[2]
    want = sensitivity(release, baseline)
    table = next(d.value for d in tables_opened(at).dataframe if "Cost per certified learner at low bound (change, PKR)" in d.value.columns)
    assert table["Assumption"].tolist() == want["assumption"].tolist()
    assert table["Cost per certified learner at high bound (change, PKR)"].tolist() == pytest.approx(want["cost_per_learner_at_high"].round(0).tolist())
    assert table["Learners certified at low bound (change)"].tolist() == pytest.approx(want["learners_at_low"].round(0).tolist())
    spec = chart_spec(at, "compare-sensitivity")
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert {t["name"] for t in bars} == {"Assumption at its low bound", "Assumption at its high bound"}
    assert bars[0]["orientation"] == "h" and bars[0]["marker"]["pattern"]["shape"] != bars[1]["marker"]["pattern"]["shape"]
    top = want["assumption"].iloc[0]
    # the largest swing at the top of the cost panel (data text escaped for Plotly, broken into short lines for a phone)
    assert bars[0]["y"][-1].replace("<br>", " ") == escape_html(top)
    body = texts(at)
    assert f"Under “{escape_md(names(release)['private-only'])}”" in body and f"“{escape_md(top)}” moves cost per certified learner most" in body
    assert not [p for p in bars[0]["y"] if p in set(release.assumptions["param_id"])]  # names, never ids


def test_gates_per_option_say_when_each_is_met_and_how_late(real_releases):
    at = open_clean("compare", {"release": DRAFT})
    [table] = [t for t in static_tables(at) if t.index.name == "Option"]
    release = RELEASE_1_3_0
    runs = over_one_horizon(release, [scenario_from_option(release, o) for o in PREDEFINED])
    label = names(release)
    for scenario in runs:
        result = run_model(release, scenario)
        row = table.loc[label[scenario.option_id]]
        for g, cell in zip(result.gates, row.tolist(), strict=True):
            if g.met_quarter is None:
                assert cell.startswith("not met by")
            else:
                assert cell.startswith(f"met {g.met_quarter}")
                if g.late_quarters and g.late_quarters > 0:
                    assert f"{g.late_quarters} quarter" in cell and "late" in cell
    late = [g for g in run_model(release, runs[2]).gates if g.late_quarters and g.late_quarters > 0]
    assert late  # "Private track only" meets a gate late under 1.3.0: the table says so
    assert all(f"(due {g.due_quarter})" in " ".join(table.columns) for g in late)


def test_the_gating_lever_is_in_the_url_and_switches_gates_off(real_releases):
    query = {"release": DRAFT, "options": ["private-only", "custom"], "c_decision": "not_approved"}
    at = open_clean("compare", query)
    assert at.toggle(key="c_gating").value is True and "c_gating" not in at.query_params
    at.toggle(key="c_gating").set_value(False).run()
    assert not at.exception
    assert at.query_params["c_gating"] in ("False", ["False"])
    release = RELEASE_1_3_0
    custom = scenario_from_option(release, "public-on-time", public_decision="not_approved", gating=False).replace(option_id="custom")
    runs = over_one_horizon(release, [scenario_from_option(release, "private-only"), custom])
    want = run_model(release, runs[1])
    hubs = {t["name"]: t for t in chart_spec(at, "compare-hubs")["data"]}
    assert plotly_values(hubs[CUSTOM]["y"]) == want.quarters["hubs_active"].tolist()
    [table] = [t for t in static_tables(at) if t.index.name == "Option"]
    assert all("(gating off: reported only)" in cell for cell in table.loc[CUSTOM])
    assert not any("gating off" in cell for cell in table.loc[names(release)["private-only"]])
    differs = next(t.reset_index() for t in static_tables(at) if t.index.name == "Lever")
    assert differs.set_index("Lever").at["Phase gates hold the next phase back", CUSTOM] == "no (gates only reported)"
    # the link with the lever off opens with it off
    again = open_clean("compare", {**query, "c_gating": "false"})
    assert again.toggle(key="c_gating").value is False
    assert plotly_values({t["name"]: t for t in chart_spec(again, "compare-hubs")["data"]}[CUSTOM]["y"]) == want.quarters["hubs_active"].tolist()
    bad = open_clean("compare", {**query, "c_gating": "maybe"})
    assert any("The link's value for “Phase gates hold the next phase back”" in i.value for i in bad.info) and bad.toggle(key="c_gating").value is True


def test_ties_are_stated_as_ties_and_never_a_winner(pinned_releases, release):
    # in release 1.1.0, "delayed 4 quarters" and "private track only" come out the same on every headline figure
    at = open_clean("compare", {"options": ["public-delayed-4q", "private-only"]})
    a, b = (names(release)[o] for o in ("public-delayed-4q", "private-only"))
    runs = over_one_horizon(release, [scenario_from_option(release, o) for o in ("public-delayed-4q", "private-only")])
    sa, sb = (run_model(release, s).summary for s in runs)
    assert round(sa.learners_certified) == round(sb.learners_certified)
    ties = next(m.value for m in at.markdown if m.value.startswith("**Ties.**"))
    assert "Both options are equal on" in ties and f"learners certified \\({sa.learners_certified:,.0f}\\)" in ties
    headings = [m.value for m in at.markdown if m.value.startswith("### ")]
    certified = next(h for h in headings if "learners certified by" in h)
    assert certified.startswith("### Both options are equal on learners certified by") and "Most learners" not in certified
    # the change against the baseline says a tie in words
    assert key_figures(at).rows["Learners certified"][1].change == "same as the baseline"
    # identical lines are labelled, and the one underneath is drawn wide so both stay visible
    hubs = chart_spec(at, "compare-hubs")["data"]
    assert [t["name"] for t in hubs] == [a, f"{b}<br>(same line as {a})"]
    assert hubs[0]["line"]["width"] > hubs[1]["line"]["width"]
    assert escape_md(f"Identical lines: {a} and {b}") in texts(at)


def test_the_what_differs_table_has_a_differences_only_switch(pinned_releases):
    at = open_clean("compare", {"options": ["public-on-time", "fast-small"]})
    assert at.toggle(key="differences").value is True
    only = next(t.reset_index() for t in static_tables(at) if t.index.name == "Lever")
    assert only["Lever"].tolist() == ["Network size (hubs)", "Pace (× planned timetable speed)"]
    at.toggle(key="differences").set_value(False).run()
    assert not at.exception and at.query_params["differences"] in ("False", ["False"])
    every = next(t.reset_index() for t in static_tables(at) if t.index.name == "Lever")
    assert len(every) > len(only) and "Same for every option?" in every.columns
    marked = every.set_index("Lever")["Same for every option?"]
    assert marked["Network size (hubs)"] == "differs" and marked["Start quarter"] == "same"
    assert set(marked) == {"same", "differs"}  # said in words, not by colour


def test_each_option_has_its_warnings_in_plain_words_or_no_problems_found(real_releases):
    at = open_clean("compare", {"release": DRAFT})
    release = RELEASE_1_3_0
    runs = over_one_horizon(release, [scenario_from_option(release, o) for o in PREDEFINED])
    shown = "\n".join(m.value for m in at.markdown)
    found_none = 0
    for scenario in runs:
        warnings = option_warnings(release, run_model(release, scenario))
        for w in warnings:
            assert escape_md(w.text) in shown and escape_md(w.lever) in shown, w.kind
        found_none += not warnings
    assert found_none >= 1 and shown.count("No problems found.") == found_none
    assert not any(kind in shown for kind in ("gate\\_late", "funding\\_gap", "hubs\\_waiting"))  # kinds appear as words, never as ids


def test_a_chart_of_zeros_is_one_sentence(real_releases):
    # under release 1.3.0 public adoption on time has no funding gap; the custom option starts with the same levers
    at = open_clean("compare", {"release": DRAFT, "options": ["public-on-time", "custom"]})
    assert not [c for c in at.get("plotly_chart") if "compare-gap" in c.proto.id]
    assert any(m.value.startswith("**No option has a funding gap by") for m in at.markdown)
    # with a gap, the chart is back
    gap = open_clean("compare", {"release": DRAFT, "options": ["public-on-time", "private-only"]})
    assert [c for c in gap.get("plotly_chart") if "compare-gap" in c.proto.id]


def test_the_horizon_fits_the_slowest_option_shown(real_releases):
    release = RELEASE_1_3_0
    slow = {"release": DRAFT, "options": ["public-on-time", "custom"], "c_pace": "0.5"}
    at = open_clean("compare", slow)
    custom = scenario_from_option(release, "public-on-time", pace=0.5).replace(option_id="custom")
    horizon = comparison_horizon(release, [scenario_from_option(release, "public-on-time"), custom])
    assert horizon > int(release.param("horizon_quarters"))
    assert f"the same horizon: {horizon} quarters" in texts(at)
    last = run_model(release, custom.replace(horizon_quarters=horizon)).summary.last_quarter
    assert quarter_index(last) - quarter_index(custom.start_quarter) == horizon - 1


def test_identical_bars_and_lines_are_said_to_be_identical_and_titles_follow_the_data(pinned_releases, release):
    # in release 1.1.0, "delayed 4 quarters" and "private track only" end with the same hubs in every province
    at = open_clean("compare", {"options": ["public-delayed-4q", "private-only", "fast-small"]})
    a, b, c = (names(release)[o] for o in ("public-delayed-4q", "private-only", "fast-small"))
    bars = {t["name"]: t["y"] for t in chart_spec(at, "compare-provinces")["data"]}
    assert plotly_values(bars[a]) == plotly_values(bars[b]) != plotly_values(bars[c])
    body = texts(at)
    assert escape_md(f"Identical bars: {a} and {b} (the same hubs in every province and territory).") in body
    lines = [line for line in body.splitlines() if line.startswith(escape_md("Identical lines: "))]
    assert lines and all(line.startswith(escape_md(f"Identical lines: {a} and {b} (")) for line in lines)  # never the third option
    # the hubs chart's title is computed from the runs shown: who opens the whole network first
    runs = over_one_horizon(release, [scenario_from_option(release, o) for o in ("public-delayed-4q", "private-only", "fast-small")])
    done = {label: run_model(release, s).summary.network_complete_quarter for label, s in zip((a, b, c), runs, strict=True)}
    first = min((q for q in done.values() if q), key=quarter_index)
    headings = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert any(first in h and "whole network" in h for h in headings), headings
    # options whose bars differ: no note
    other = open_clean("compare", {"options": ["public-on-time", "fast-small"]})
    assert "Identical bars" not in texts(other)
