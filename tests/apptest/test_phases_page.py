"""Phases page: the Gantt (phases, milestones, exit criteria), hubs over time as the model says, the option in the URL."""

from __future__ import annotations

import html
import json

from apphelp import ROOT, open_clean, plotly_values, static_tables, tables_opened, texts
from streamlit.testing.v1 import AppTest

from components.escape import escape_md
from components.rollout_figures import PLANNED, milestone_rows
from pakcoe.model import run_model, scenario_from_option

PHASES = str(ROOT / "pages" / "phases.py")


def open_phases(query: dict | None = None) -> AppTest:
    """Open the phases page as the first page of the session (as a shared link does)."""
    return open_clean("phases", query)


def static_table(at: AppTest, first: str):
    """The one static table whose first column (its rows' headers, its index) is `first`."""
    found = [t for t in static_tables(at) if t.index.name == first]
    assert len(found) == 1, f"no single table of {first}"
    return found[0]


def figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def traces(fig: dict) -> dict[str, dict]:
    """name -> trace; a line identical to 'All hubs open' is named '…<br>(same line as all hubs open)': also found by its plain name."""
    out = {t["name"]: t for t in fig["data"]}
    out.update({n.removesuffix("<br>(same line as all hubs open)"): t for n, t in out.items()})
    return out


def test_gantt_shows_phases_milestones_and_exit_criteria_by_symbol_and_text(pinned_releases, release):
    at = open_phases()
    gantt, hubs = figures(at)
    t = traces(gantt)
    planned = t[PLANNED]
    assert PLANNED == "Planned (the proposal's phase plan)"  # the source in words, never a file name
    assert [y.replace("<br>", " ") for y in planned["y"]] == ["Phase 1: Karachi demonstrator", "Phase 2: Major cities", "Phase 3: TVET districts"]
    assert planned["orientation"] == "h" and planned["base"][0].startswith("2027-04-01")
    assert planned["marker"]["pattern"]["shape"] != t["This option (model: hub openings)"]["marker"]["pattern"]["shape"]
    ms = release.table("milestones")
    exits = t["Milestone with exit criterion (EXIT)"]
    others = t["Milestone"]
    assert exits["marker"]["symbol"] == "diamond" and others["marker"]["symbol"] == "circle-open"
    assert exits["text"] == ["EXIT"] * int(ms["exit_criterion"].astype(bool).sum())
    # each milestone's row is its whole title (wrapped, never cut with "…"), never its id
    row_of = {row: m for m, row in milestone_rows(ms).items()}
    assert sorted(row_of[r] for r in exits["y"]) == sorted(ms.loc[ms["exit_criterion"].astype(bool), "milestone_id"])
    assert sorted(row_of[r] for r in others["y"]) == sorted(ms.loc[~ms["exit_criterion"].astype(bool), "milestone_id"])
    titles = dict(zip(ms["milestone_id"], ms["title"], strict=True))
    for row in exits["y"] + others["y"]:
        assert html.unescape(row.replace("<br>", " ")) == titles[row_of[row]] and "…" not in row  # data text escaped for Plotly
    ids = set(ms["milestone_id"])
    assert not [y for trace in gantt["data"] for y in trace.get("y") or [] if any(i in str(y) for i in ids)]
    assert set(others["text"]) == {""}  # EXIT marks exit criteria only
    assert len(exits["y"]) + len(others["y"]) == len(ms)


def test_hubs_over_time_equal_the_model_and_the_option_is_in_the_url(pinned_releases, release):
    at = open_phases()
    assert at.button_group(key="option").value == "public-on-time"
    q = run_model(release, scenario_from_option(release, "public-on-time")).quarters
    t = traces(figures(at)[1])
    assert plotly_values(t["All hubs open"]["y"]) == q["hubs_active"].tolist()
    assert plotly_values(t["Opened by the public track"]["y"]) == q["hubs_active_public_track"].tolist()
    at.button_group(key="option").set_value("public-delayed-4q").run()
    assert not at.exception
    q = run_model(release, scenario_from_option(release, "public-delayed-4q")).quarters
    t = traces(figures(at)[1])
    assert plotly_values(t["All hubs open"]["y"]) == q["hubs_active"].tolist()
    assert plotly_values(t["Opened by the private track"]["y"]) == q["hubs_active_private_track"].tolist()
    assert max(q["hubs_active_private_track"]) > 0  # the private track runs the first four quarters
    assert at.query_params["option"] in ("public-delayed-4q", ["public-delayed-4q"])


def test_a_track_that_opens_every_hub_is_labelled_as_the_same_line(pinned_releases, release):
    at = open_phases({"option": "private-only"})
    q = run_model(release, scenario_from_option(release, "private-only")).quarters
    assert q["hubs_active_private_track"].tolist() == q["hubs_active"].tolist()
    data = figures(at)[1]["data"]
    names = [t["name"] for t in data]
    assert "Opened by the private track<br>(same line as all hubs open)" in names
    assert (
        data[0]["name"] == "All hubs open"
        and data[0]["line"]["width"] > data[names.index("Opened by the private track<br>(same line as all hubs open)")]["line"]["width"]
    )


def test_a_link_opens_the_option_and_the_milestone_table_says_what_the_model_does_with_each(pinned_releases, release):
    at = open_phases({"option": "fast-small"})
    assert at.button_group(key="option").value == "fast-small"
    result = run_model(release, scenario_from_option(release, "fast-small"))
    assert plotly_values(traces(figures(at)[1])["All hubs open"]["y"]) == result.quarters["hubs_active"].tolist()
    table = static_table(at, "Milestone")
    ms = release.table("milestones")
    title = dict(zip(ms["milestone_id"], ms["title"], strict=True))
    assert len(table) == len(ms) and set(table.index) == set(ms["title"])  # titles, never ids
    assert not set(ms["milestone_id"]) & {str(v) for v in table.reset_index().to_numpy().ravel()}
    assert table.at[title["M04"], "Exit criterion?"].startswith("yes") and table.at[title["M03"], "Exit criterion?"] == "no"
    model_col = next(c for c in table.columns if c.startswith("In the model, "))
    # release 1.1.0 gives its exit criteria no metric the model computes: each is assumed met on its due date
    assert table.at[title["M06"], model_col] == "assumed met on the due date (not modelled)"
    assert table.at[title["M03"], model_col].startswith("not an exit criterion")


def test_phase_gates_show_when_each_is_met_how_late_and_the_criteria(real_releases):
    from pakcoe import load_release

    draft = load_release(ROOT / "data" / "releases" / "1.3.0")
    at = open_clean("phases", {"release": "1.3.0", "option": "private-only"})
    result = run_model(draft, scenario_from_option(draft, "private-only"))
    gates = static_table(at, "Phase gate").reset_index()
    assert len(gates) == len(result.gates)
    for g, (_, row) in zip(result.gates, gates.iterrows(), strict=True):
        assert row["Due"] == g.due_quarter
        if g.met_quarter is None:
            assert row["In the model"].startswith("not met by")
        else:
            assert row["In the model"].startswith(f"met {g.met_quarter}")
            if g.late_quarters and g.late_quarters > 0:
                assert f"{g.late_quarters} quarters late" in row["In the model"] or f"{g.late_quarters} quarter late" in row["In the model"]
    assert any(g.late_quarters and g.late_quarters > 0 for g in result.gates)  # private track only meets a gate late under 1.3.0
    criteria = static_table(at, "Exit criterion").reset_index()
    assert len(criteria) == sum(len(g.criteria) for g in result.gates)
    for g in result.gates:
        for c in g.criteria:
            row = criteria[criteria["Exit criterion"] == c.title].iloc[0]
            if c.modelled:
                assert row["In the model"].startswith(f"met {c.met_quarter}") if c.met_quarter else row["In the model"] == "not met within the horizon"
            else:
                assert row["In the model"] == "assumed met on the due date (not modelled)"
    gantt = traces(figures(at)[0])
    met = [g for g in result.gates if g.met_quarter]
    assert len(gantt["Exit gate met (model, this option)"]["y"]) == len(met)
    assert f"met {met[-1].met_quarter}" in gantt["Exit gate met (model, this option)"]["text"][-1]


def test_garbage_option_gives_a_notice_and_the_default(pinned_releases):
    at = open_phases({"option": "<b>bogus</b>"})
    notes = " ".join(i.value for i in at.info)
    assert "The link's value for “Rollout option”" in notes and "\\<b\\>bogus" in notes  # the setting's label, never its key
    assert at.button_group(key="option").value == "public-on-time"
    assert len(at.get("plotly_chart")) == 2


def test_the_page_names_sources_and_the_model_in_words_never_files_modules_or_ids(real_releases):
    """Newest release and 1.0.0: no file name, module path or milestone id in what the page draws (text, chart legends
    and rows, tables); abbreviations the data uses come with their full name."""
    import re

    from pakcoe import load_release

    for version in ("1.5.0", "1.0.0"):
        at = tables_opened(open_clean("phases", {"release": version}))
        shown = [{k: t.get(k) for k in ("name", "x", "y", "text", "customdata", "hovertemplate")} for f in figures(at) for t in f["data"]]
        drawn = texts(at) + json.dumps(shown) + " ".join(d.value.to_csv() for d in at.dataframe) + " ".join(t.to_csv() for t in static_tables(at))
        assert not re.findall(r"[\w\-]+\.(?:csv|json|py)\b", drawn), version
        assert not re.findall(r"\b(?:pakcoe|components)[./]\w+", drawn), version
        ids = set(load_release(ROOT / "data" / "releases" / version).table("milestones")["milestone_id"])
        assert not {w for w in re.findall(r"\b\w+\b", drawn) if w in ids}, version
        assert escape_md("Technical and Vocational Education and Training (TVET)") in texts(at)  # its full name at first use


def test_the_phase_cards_say_each_phases_plan_what_the_option_opens_and_its_gate(real_releases):
    """Above the Gantt, a card a phase in words, for every option of the newest release: the plan as the release says,
    the hubs the model opens of that phase (together, the hubs open at the horizon), the gate as the gates table says
    it, and for the last phase whether the whole network opens within the horizon."""
    from releasekit import newest_folder

    from components.rollout_detail import gate_status
    from pakcoe import load_release

    newest = load_release(newest_folder())
    phases = newest.table("phases").sort_values("phase_id")
    for option in newest.table("options")["option_id"]:
        at = open_clean("phases", {"release": newest.version, "option": option})
        assert not at.exception
        result = run_model(newest, scenario_from_option(newest, option))
        shown = texts(at).replace("\\", "").replace("\u2060", "")  # (a span of quarters is joined at its dash)
        opened = result.hubs[result.hubs["in_network"] & result.hubs["open_t"].notna()].groupby("phase_id").size()
        gates = {g.phase_id: g for g in result.gates}
        for p in phases.itertuples():
            n = int(opened.get(p.phase_id, 0))
            assert f"Phase {p.phase_id}: {p.name}" in shown
            assert f"Planned: {p.hub_target} hubs, {p.start_quarter}–{p.end_quarter}" in shown
            assert (f"This option: {n} of {p.hub_target} hubs" if n else f"This option: none of its {p.hub_target} hubs opens") in shown, option
            if p.phase_id in gates:
                assert f"Exit gate: {gate_status(gates[p.phase_id], result.summary.last_quarter, result.scenario.gating)}" in shown
        assert sum(int(v) for v in opened) == result.summary.hubs_at_end  # the cards add up to the hubs open at the horizon
        whole = result.summary.network_complete_quarter
        assert (f"The whole network is open from {whole}" if whole else f"The network is not complete by {result.summary.last_quarter}") in shown, option
