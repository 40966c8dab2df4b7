"""Compare page: the charts and KPIs equal pakcoe.model runs over the comparison horizon, levers move them, the URL holds
the state, bad links are safe; ranges, sensitivity, gates, ties, warnings and the differences-only switch."""

from __future__ import annotations

import re

import pytest
from apphelp import ROOT, chart_spec, open_clean, open_page, plotly_values, texts
from streamlit.testing.v1 import AppTest

from components.escape import escape_md
from pakcoe.model import comparison_horizon, quarter_index, run_model, scenario_from_option

COMPARE = str(ROOT / "pages" / "compare.py")
PREDEFINED = ["public-on-time", "public-delayed-4q", "private-only", "fast-small"]
CUSTOM = "Custom option (your levers)"


def open_compare(query: dict | None = None) -> AppTest:
    """Open the compare page as the first page of the session (as a shared link does)."""
    return open_clean("compare", query)


figure = chart_spec


def series(at: AppTest, key: str) -> dict[str, list]:
    """trace name -> y values of a chart (the first trace of each name)."""
    out: dict[str, list] = {}
    for trace in figure(at, key)["data"]:
        out.setdefault(trace["name"], plotly_values(trace["y"]))
    return out


def table(at: AppTest, column: str):
    """The DataFrame of the one st.dataframe with this column (AppTest does not expose a dataframe's key)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, f"no single table with column {column}"
    return found[0]


def metrics(at: AppTest) -> list[tuple[str, str, str]]:
    return [(m.label, m.value, m.proto.delta) for m in at.metric]


def over_one_horizon(release, scenarios: list) -> list:
    """The scenarios as Compare runs them: over pakcoe.model.comparison_horizon."""
    horizon = comparison_horizon(release, scenarios)
    return [s.replace(horizon_quarters=horizon) for s in scenarios]


def predefined_runs(release, options=PREDEFINED) -> dict:
    """option_id -> the model run Compare shows for it, with these options chosen."""
    scenarios = over_one_horizon(release, [scenario_from_option(release, o) for o in options])
    return {o: run_model(release, s) for o, s in zip(options, scenarios, strict=True)}


def test_default_view_compares_the_four_options_as_the_model_says(pinned_releases, release):
    at = open_compare()
    assert at.multiselect(key="options").value == PREDEFINED
    assert at.selectbox(key="baseline").value == "public-on-time"
    names = {o: n for o, n in zip(release.table("options")["option_id"], release.table("options")["name"], strict=True)}
    hubs = series(at, "compare-hubs")
    certified = series(at, "compare-certified")
    runs = predefined_runs(release)
    for option in PREDEFINED:
        q = runs[option].quarters
        name = next(n for n in hubs if n == names[option] or n.startswith(names[option] + " (same line as"))
        assert hubs[name] == q["hubs_active"].tolist()
        assert certified[name] == pytest.approx(q["certified_cum"].round(0).tolist())
    charts = at.get("plotly_chart")
    assert all(c.proto.id for c in charts)
    gap = any(r.summary.funding_gap >= 0.5 for r in runs.values())
    assert len(charts) == 5 + gap  # hubs, certified, spend, provinces, sensitivity (+ the funding gap when there is one)
    # KPIs: one column per option, the baseline without deltas, the others with deltas against it
    values = metrics(at)
    assert len(values) == 4 * 8
    base = runs["public-on-time"].summary
    delayed = runs["public-delayed-4q"].summary
    assert values[2] == ("Learners certified", f"{base.learners_certified:,.0f}", "")
    assert values[8 + 2][2] == f"{delayed.learners_certified - base.learners_certified:+,.0f}"
    late = quarter_index(delayed.network_complete_quarter) - quarter_index(base.network_complete_quarter)
    assert values[8 + 1][2] == ("±0" if late == 0 else f"{late:+d} quarters")


def test_what_differs_lists_only_the_levers_that_differ(pinned_releases):
    at = open_compare({"options": ["public-on-time", "fast-small"]})
    differs = table(at, "lever")
    assert differs["lever"].tolist() == ["Network size (hubs)", "Pace (× planned timetable speed)"]
    assert differs.iloc[0].tolist() == ["Network size (hubs)", "100", "60"]


def test_a_lever_changes_the_custom_option_as_the_model_says(pinned_releases, release):
    at = open_compare({"options": ["public-on-time", "custom"]})
    before = series(at, "compare-hubs")
    custom_name = next(n for n in before if n.startswith(CUSTOM))
    on_time = run_model(release, over_one_horizon(release, [scenario_from_option(release, "public-on-time")])[0]).quarters["hubs_active"].tolist()
    assert before[custom_name] == on_time  # the custom option starts from public adoption on time
    assert custom_name == f"{CUSTOM} (same line as Public adoption on time)"  # identical lines are named, not hidden
    at.segmented_control(key="c_decision").set_value("not_approved").run()
    at.slider(key="c_private_capacity").set_value(3000.0).run()
    assert not at.exception
    levers = scenario_from_option(release, "public-on-time", public_decision="not_approved", private_capacity=3000.0).replace(option_id="custom")
    want = run_model(release, over_one_horizon(release, [scenario_from_option(release, "public-on-time"), levers])[1])
    custom = series(at, "compare-hubs")[CUSTOM]
    assert custom == want.quarters["hubs_active"].tolist() and custom != on_time  # a binding private capacity slows the rollout
    spend = figure(at, "compare-spend")["data"]
    private = [plotly_values(t["y"]) for t in spend if t["name"] == CUSTOM][1]
    assert private[-1] == pytest.approx(round(want.quarters["track_private"].sum() / 1000, 3), abs=1e-3)
    assert at.query_params["c_private_capacity"] in ("3000.0", ["3000.0"])
    assert at.query_params["c_decision"] in ("not_approved", ["not_approved"])
    differs = table(at, "lever")
    assert "Private-track funding capacity (PKR million a year)" in differs["lever"].tolist()


def test_every_lever_reaches_the_model(pinned_releases, release):
    query = {
        "options": ["custom", "public-delayed-4q"],
        "baseline": "public-delayed-4q",
        "c_decision": "delayed",
        "c_delay": "6",
        "c_hubs": "40",
        "c_pace": "1.5",
        "c_capex": "1.1",
        "c_opex": "0.9",
        "c_completion_rate": "0.7",
        "c_certification_rate": "0.85",
        "c_ramp_quarters": "2",
        "c_private_capacity": "4000",
    }
    at = open_compare(query)
    want = scenario_from_option(
        release,
        "public-on-time",
        public_decision="delayed",
        delay_quarters=6,
        hub_target=40,
        pace=1.5,
        capex_multiplier=1.1,
        opex_multiplier=0.9,
        completion_rate=0.7,
        certification_rate=0.85,
        ramp_quarters=2.0,
        private_capacity=4000.0,
    ).replace(option_id="custom")
    q = run_model(release, over_one_horizon(release, [want, scenario_from_option(release, "public-delayed-4q")])[0]).quarters
    assert series(at, "compare-hubs")[CUSTOM] == q["hubs_active"].tolist()
    assert series(at, "compare-certified")[CUSTOM] == pytest.approx(q["certified_cum"].round(0).tolist())
    assert at.selectbox(key="baseline").value == "public-delayed-4q"
    head = metrics(at)[:8]  # the custom option's column comes first, with deltas against the delayed baseline
    assert head[0] == ("Hubs open at the end", "40", "-60")
    assert head[3][1] == f"{q['cost'].sum() / 1000:,.2f}"


def test_a_preset_link_reproduces_the_view_and_the_link_box_holds_it(pinned_releases):
    query = {"options": ["private-only", "custom", "fast-small"], "baseline": "fast-small", "c_hubs": "60"}
    at = open_compare(query)
    assert at.multiselect(key="options").value == ["private-only", "custom", "fast-small"]
    assert at.selectbox(key="baseline").value == "fast-small"
    assert at.slider(key="c_hubs").value == 60
    link = at.code[0].value
    for part in ("release=1.1.0", "options=private-only", "options=custom", "options=fast-small", "baseline=fast-small", "c_hubs=60"):
        assert part in link
    # the same link, opened again in a new session, gives the same figures
    again = open_compare(query)
    assert figure(again, "compare-hubs")["data"] == figure(at, "compare-hubs")["data"]
    assert metrics(again) == metrics(at)


def test_the_release_in_the_link_is_the_one_shown(pinned_releases):
    # AppTest ignores the sidebar's release box when a session's first run is a switched page, so open the
    # frame first (the browser test opens the link as the very first request of a fresh server).
    at = open_page(query={"release": "1.0.0"})
    at.switch_page(COMPARE).run()
    assert not at.exception
    assert "Data release 1\\.0\\.0" in texts(at)
    assert "release=1.0.0" in at.code[0].value


def test_state_survives_switching_pages_and_coming_back(pinned_releases):
    at = open_compare({"options": ["public-on-time", "custom"]})
    at.slider(key="c_hubs").set_value(70).run()
    at.switch_page(str(ROOT / "pages" / "map.py")).run()
    assert not at.exception
    at.switch_page(COMPARE).run()
    assert not at.exception
    assert at.multiselect(key="options").value == ["public-on-time", "custom"]
    assert at.slider(key="c_hubs").value == 70
    assert series(at, "compare-hubs")[CUSTOM][-1] == 70


def test_garbage_parameters_give_notices_and_defaults(pinned_releases):
    query = {
        "options": ["nope", "<img src=x onerror=alert(1)>"],
        "baseline": "zzz",
        "c_decision": "maybe",
        "c_pace": "fast",
        "c_hubs": "5000",
        "c_private_capacity": "-1",
        "c_ramp_quarters": "nan",
    }
    at = open_compare(query)
    notes = " ".join(i.value for i in at.info)
    for key in ("options", "c_decision", "c_pace", "c_hubs", "c_private_capacity", "c_ramp_quarters"):
        assert f"The link's '{escape_md(key)}' value" in notes, key
    assert "\\<img" in notes and not re.search(r"(?<!\\)<img", notes)  # shown literally, escaped for Markdown
    assert at.multiselect(key="options").value == PREDEFINED
    assert at.selectbox(key="baseline").value == "public-on-time"
    assert at.slider(key="c_hubs").value == 100 and at.slider(key="c_pace").value == 1.0
    assert len(at.get("plotly_chart")) >= 5


def test_too_many_or_too_few_options(pinned_releases):
    at = open_compare({"options": [*PREDEFINED, "custom"]})
    assert at.multiselect(key="options").value == PREDEFINED
    assert any("at most 4" in i.value for i in at.info)
    at = open_compare({"options": ["fast-small"]})
    assert any("at least two" in w.value for w in at.warning)
    assert not at.get("plotly_chart")
    at.multiselect(key="options").set_value(["fast-small", "private-only"]).run()
    assert len(at.get("plotly_chart")) >= 5 and at.selectbox(key="baseline").value == "fast-small"


def test_removing_the_baseline_falls_back_to_the_first_option(pinned_releases):
    at = open_compare({"baseline": "private-only"})
    assert at.selectbox(key="baseline").value == "private-only"
    at.multiselect(key="options").set_value(["fast-small", "public-on-time"]).run()
    assert not at.exception
    assert at.selectbox(key="baseline").value == "fast-small"


def test_allocation_rules_table_and_data_notes(pinned_releases, release):
    at = open_compare()
    alloc = table(at, "rule: population")
    assert alloc["hubs.csv (the release's list)"].sum() == 100
    for column in ("rule: population", "rule: equity floor (≥ 3)", "rule: TVET-weighted"):
        assert alloc[column].sum() == 100
    assert (alloc["rule: equity floor (≥ 3)"] >= 3).all()
    assert alloc["Faster, smaller network"].sum() == 60
    shown = texts(at)
    for note in ("Private capacity binds", "Where the funding gap comes from", "listed as public sector", "Milestone M06", "Horizons", "Not modelled"):
        assert note in shown, note
    for false_under_model_2 in ("funding gap is always zero", "is a public-sector source", "phase-exit gating"):
        assert false_under_model_2 not in shown


def test_methodology_page_shows_every_formula_section_and_assumption(pinned_releases, release):
    from pakcoe import model

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(str(ROOT / "pages" / "methodology.py"))
    at.run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    numbered = re.findall(r"^(\d+\. .+)$", model.__doc__, flags=re.M)
    assert len(numbered) >= 8
    for section in ("Conventions", *numbered, "Not modelled"):
        assert section in labels, section
    code = "\n".join(c.value for c in at.code)
    assert "certified_t = completion_rate · certification_rate" in code
    shown = texts(at)
    for param_id in release.assumptions["param_id"]:
        assert f"(`{param_id}`)" in shown, param_id
    assert "Illustrative assumption" in shown and "Source:" in shown  # usd_pkr is sourced
