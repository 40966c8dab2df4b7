"""Compare page: the charts and KPIs equal pakcoe.model runs over the comparison horizon, levers move them, the URL holds
the state, bad links are safe; ranges, sensitivity, gates, ties, warnings and the differences-only switch."""

from __future__ import annotations

import re

import pytest
from apphelp import ROOT, chart_spec, folds_opened, open_clean, open_page, plotly_values, static_tables, tables_opened, texts
from compare_table import key_figures
from streamlit.testing.v1 import AppTest

from components.escape import escape_md
from pakcoe import registry
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
    """The one table (st.dataframe, or a static table whose rows' headers are its first column) with this column, as a DataFrame
    whose columns include the first."""
    at = tables_opened(at)  # the charts' data tables are built when opened
    found = [d.value for d in at.dataframe if column in d.value.columns]
    found += [t.reset_index() for t in static_tables(at) if column in t.columns or t.index.name == column]
    assert len(found) == 1, f"no single table with column {column}"
    return found[0]


def notice_of(key: str) -> str:
    """How a link's bad value for a setting starts its notice: the setting's label, never its URL key."""
    return f"The link's value for “{escape_md(registry.page('compare').param(key).label)}”"


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
        name = next(n for n in hubs if n == names[option] or n.startswith(names[option] + "<br>(same line as"))
        assert hubs[name] == q["hubs_active"].tolist()
        assert certified[name] == pytest.approx(q["certified_cum"].round(0).tolist())
    charts = at.get("plotly_chart")
    assert all(c.proto.id for c in charts)
    gap = any(r.summary.funding_gap >= 0.5 for r in runs.values())
    assert len(charts) == 5 + gap  # hubs, certified, spend, provinces, sensitivity (+ the funding gap when there is one)
    # the compact table: one column per option, the baseline's without changes, the others' with changes against it in words
    kf = key_figures(at)
    assert kf.options == [names[o] for o in PREDEFINED] and kf.baseline == 0
    assert len(kf.rows) == 8 and all(len(cells) == 4 for cells in kf.rows.values())
    base = runs["public-on-time"].summary
    delayed = runs["public-delayed-4q"].summary
    certified = kf.rows["Learners certified"]
    assert certified[0].value == f"{base.learners_certified:,.0f}" and certified[0].change == ""
    assert certified[1].change == f"{delayed.learners_certified - base.learners_certified:+,.0f} vs the baseline"
    late = quarter_index(delayed.network_complete_quarter) - quarter_index(base.network_complete_quarter)
    n = abs(late)
    assert kf.rows["Whole network open from"][1].change == (
        "same quarter as the baseline" if late == 0 else f"{n} quarter{'s' if n != 1 else ''} {'later' if late > 0 else 'earlier'} than the baseline"
    )
    assert not at.metric  # no stacked cards: the table is the view


def test_what_differs_lists_only_the_levers_that_differ(pinned_releases):
    at = open_compare({"options": ["public-on-time", "fast-small"]})
    differs = table(at, "Lever")
    assert differs["Lever"].tolist() == ["Network size (hubs)", "Pace (× planned timetable speed)"]
    assert differs.iloc[0].tolist() == ["Network size (hubs)", 100, 60]


def test_a_lever_changes_the_custom_option_as_the_model_says(pinned_releases, release):
    at = open_compare({"options": ["public-on-time", "custom"]})
    before = series(at, "compare-hubs")
    custom_name = next(n for n in before if n.startswith(CUSTOM))
    on_time = run_model(release, over_one_horizon(release, [scenario_from_option(release, "public-on-time")])[0]).quarters["hubs_active"].tolist()
    assert before[custom_name] == on_time  # the custom option starts from public adoption on time
    assert custom_name == f"{CUSTOM}<br>(same line as Public adoption on time)"  # identical lines are named, not hidden
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
    differs = table(at, "Lever")
    assert "Private-track funding capacity (PKR million a year)" in differs["Lever"].tolist()


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
    kf = key_figures(at)  # the custom option's column comes first, with changes against the delayed baseline
    assert kf.options[0] == CUSTOM and kf.baseline == 1
    assert (kf.rows["Hubs open at the end"][0].value, kf.rows["Hubs open at the end"][0].change) == ("40", "-60 vs the baseline")
    assert kf.rows["Total cost (PKR billion)"][0].value == f"{q['cost'].sum() / 1000:,.2f}"


def test_a_preset_link_reproduces_the_view_and_the_link_box_holds_it(pinned_releases):
    query = {"options": ["private-only", "custom", "fast-small"], "baseline": "fast-small", "c_hubs": "60"}
    at = open_compare(query)
    assert at.multiselect(key="options").value == ["private-only", "custom", "fast-small"]
    assert at.selectbox(key="baseline").value == "fast-small"
    assert at.slider(key="c_hubs").value == 60
    link = at.text_input(key="compare-link").value
    for part in ("release=1.1.0", "options=private-only", "options=custom", "options=fast-small", "baseline=fast-small", "c_hubs=60"):
        assert part in link
    # the same link, opened again in a new session, gives the same figures
    again = open_compare(query)
    assert figure(again, "compare-hubs")["data"] == figure(at, "compare-hubs")["data"]
    assert key_figures(again).rows == key_figures(at).rows


def test_the_release_in_the_link_is_the_one_shown(pinned_releases):
    # AppTest ignores the sidebar's release box when a session's first run is a switched page, so open the
    # frame first (the browser test opens the link as the very first request of a fresh server).
    at = open_page(query={"release": "1.0.0"})
    at.switch_page(COMPARE).run()
    assert not at.exception
    assert "Data release 1\\.0\\.0" in texts(at)
    assert "release=1.0.0" in at.text_input(key="compare-link").value


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
        assert notice_of(key) in notes, key
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
    alloc = table(at, "Rule: population")
    assert alloc["The release's hub list"].sum() == 100
    for column in ("Rule: population", "Rule: equity floor (≥ 3)", "Rule: TVET-weighted"):
        assert alloc[column].sum() == 100
    assert (alloc["Rule: equity floor (≥ 3)"] >= 3).all()
    assert alloc["Faster, smaller network"].sum() == 60
    shown = texts(at)
    m06 = escape_md(release.table("milestones").set_index("milestone_id").at["M06", "title"])
    for note in ("Private capacity binds", "Where the funding gap comes from", "listed as public sector", f"Milestone “{m06}”", "Horizons", "Not modelled"):
        assert note in shown, note
    for false_under_model_2 in ("funding gap is always zero", "is a public-sector source", "phase-exit gating"):
        assert false_under_model_2 not in shown


def test_methodology_page_shows_every_formula_section_and_assumption(pinned_releases, release):
    from pakcoe import model

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(str(ROOT / "pages" / "methodology.py"))
    at.run()
    assert not at.exception
    assert at.text == []  # every formula section is a fold: built once opened (components/folds.py)
    at = folds_opened(at)
    labels = [e.label for e in at.expander]
    numbered = re.findall(r"^(\d+\. .+)$", model.__doc__, flags=re.M)
    assert len(numbered) >= 8
    from components.methodology import plain  # the page names files, columns and assumptions in words

    for section in ("Conventions", *numbered, "Not modelled"):
        assert plain(section, release) in labels, section
    code = "\n".join(c.value for c in at.text)
    names = release.assumptions.set_index("param_id")["name"]
    assert f"certifiedₜ = “{names['completion_rate']}” · “{names['certification_rate']}”" in code  # ids in words
    shown = texts(at)
    for name in names:
        assert f"**{name}**" in shown.replace("\\", ""), name  # every assumption, by name (test_methodology_page: no ids)
    assert "Illustrative assumption" in shown and "Source:" in shown  # usd_pkr is sourced


def test_the_page_names_sources_in_words_never_files_modules_or_ids(real_releases):
    """The newest release and 1.0.0: no file name, module path, option id, province or milestone code in
    what the page draws (text, the compact table, chart series and hovers, tables); abbreviations come with their full
    name at first use."""
    import json

    from pakcoe import load_release
    from pakcoe.display import texts as display_texts

    ids: set[str] = set()
    terms: set[str] = set()
    for folder in sorted(p for p in real_releases.iterdir() if p.is_dir()):
        r = load_release(folder)
        ids |= set(r.table("options")["option_id"]) | set(r.table("provinces")["province_id"]) | set(r.table("milestones")["milestone_id"])
        terms |= {t.term for t in display_texts(r).glossary()}
    ids -= terms  # an abbreviation that is also a code (ICT) is written with its full name, which names it
    for query in ({}, {"release": "1.0.0"}):
        at = tables_opened(open_clean("compare", query))
        charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
        series = [{k: t.get(k) for k in ("name", "x", "y", "text", "hovertemplate")} for c in charts for t in c["data"]]
        drawn = "\n".join(
            [texts(at), key_figures(at).html, json.dumps(series), *(t.to_csv() for t in static_tables(at)), *(d.value.to_csv() for d in at.dataframe)]
        )
        assert not re.findall(r"[\w\-]+\.(?:csv|json|py)\b", drawn), query
        assert not re.findall(r"\b(?:pakcoe|components)[./]\w+", drawn), query
        words = set(re.findall(r"[A-Za-z0-9][\w\-]*", drawn))
        assert not words & ids, (query, words & ids)
        assert escape_md("Pakistani rupee (PKR)") in texts(at)  # PKR with its full name before the money figures


def test_the_compact_table_escapes_names_and_keeps_every_option(pinned_releases):
    """A custom option's label and every option's column reach the table as text (HTML escaped), one column each."""
    at = open_compare({"options": ["fast-small", "custom", "private-only"], "baseline": "custom"})
    kf = key_figures(at)
    assert kf.options == ["Faster, smaller network", CUSTOM, "Private track only"] and kf.baseline == 1
    assert all(len(cells) == 3 and all(c.value for c in cells) for cells in kf.rows.values())
    assert all(cells[1].change == "" for cells in kf.rows.values())  # the baseline's own column states no change
    assert kf.html.count('scope="col"') == 3 + 1  # one header per option, and the figures' column


def test_the_levers_are_drawn_only_when_wanted(pinned_releases):
    """Folded, the custom option not compared and no lever in the link: no lever drawn (a first visit loads no slider
    code). Opened, the custom option added, or a lever in the link: drawn; the custom option added opens the fold."""
    from components.rollout import LEVERS_KEY

    at = open_compare()
    assert at.slider == [] and LEVERS_KEY in at.session_state and not at.session_state[LEVERS_KEY]
    for opened in (True, False):
        at.session_state[LEVERS_KEY] = opened
        at.run()
        assert not at.exception and (len(at.slider) >= 3) == opened
    at.session_state[LEVERS_KEY] = True
    at.run()
    at.slider(key="c_hubs").set_value(60).run()
    at.session_state[LEVERS_KEY] = False
    at.run()
    assert at.slider(key="c_hubs").value == 60  # moved, so in the link: drawn though folded
    at.multiselect(key="options").set_value(["public-on-time", "custom"]).run()
    assert at.session_state[LEVERS_KEY] and at.slider(key="c_hubs").value == 60  # opened by itself, the value kept
    assert len(open_compare({"c_hubs": "40"}).slider) >= 3  # a lever in a shared link
