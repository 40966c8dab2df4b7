"""Phases page: the Gantt (phases, milestones, exit criteria), hubs over time as the model says, the option in the URL."""

from __future__ import annotations

import json

from apphelp import ROOT, open_clean, plotly_values
from streamlit.testing.v1 import AppTest

from components.escape import escape_md
from pakcoe.model import run_model, scenario_from_option

PHASES = str(ROOT / "pages" / "phases.py")


def open_phases(query: dict | None = None) -> AppTest:
    """Open the phases page as the first page of the session (as a shared link does)."""
    return open_clean("phases", query)


def figures(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def traces(fig: dict) -> dict[str, dict]:
    return {t["name"]: t for t in fig["data"]}


def test_gantt_shows_phases_milestones_and_exit_criteria_by_symbol_and_text(pinned_releases, release):
    at = open_phases()
    gantt, hubs = figures(at)
    t = traces(gantt)
    assert t["Planned (phases.csv)"]["y"] == ["Phase 1: Karachi demonstrator", "Phase 2: Major cities", "Phase 3: TVET districts"]
    assert t["Planned (phases.csv)"]["orientation"] == "h" and t["Planned (phases.csv)"]["base"][0].startswith("2027-04-01")
    assert t["Planned (phases.csv)"]["marker"]["pattern"]["shape"] != t["This option (model: hub openings)"]["marker"]["pattern"]["shape"]
    ms = release.table("milestones")
    exits = t["Milestone with exit criterion (EXIT)"]
    others = t["Milestone"]
    assert exits["marker"]["symbol"] == "diamond" and others["marker"]["symbol"] == "circle-open"
    assert exits["text"] == ["EXIT"] * int(ms["exit_criterion"].astype(bool).sum())
    assert sorted(r.split(" · ")[0] for r in exits["y"]) == sorted(ms.loc[ms["exit_criterion"].astype(bool), "milestone_id"])
    assert sorted(r.split(" · ")[0] for r in others["y"]) == sorted(ms.loc[~ms["exit_criterion"].astype(bool), "milestone_id"])
    assert set(others["text"]) == {""}  # EXIT marks exit criteria only
    assert len(exits["y"]) + len(others["y"]) == len(ms)


def test_hubs_over_time_equal_the_model_and_the_option_is_in_the_url(pinned_releases, release):
    at = open_phases()
    assert at.selectbox(key="option").value == "public-on-time"
    q = run_model(release, scenario_from_option(release, "public-on-time")).quarters
    t = traces(figures(at)[1])
    assert plotly_values(t["All hubs open"]["y"]) == q["hubs_active"].tolist()
    assert plotly_values(t["Opened by the public track"]["y"]) == q["hubs_active_public_track"].tolist()
    at.selectbox(key="option").set_value("public-delayed-4q").run()
    assert not at.exception
    q = run_model(release, scenario_from_option(release, "public-delayed-4q")).quarters
    t = traces(figures(at)[1])
    assert plotly_values(t["All hubs open"]["y"]) == q["hubs_active"].tolist()
    assert plotly_values(t["Opened by the private track"]["y"]) == q["hubs_active_private_track"].tolist()
    assert max(q["hubs_active_private_track"]) > 0  # the private track runs the first four quarters
    assert at.query_params["option"] in ("public-delayed-4q", ["public-delayed-4q"])


def test_a_link_opens_the_option_and_the_milestone_table_checks_what_the_model_can(pinned_releases, release):
    at = open_phases({"option": "fast-small"})
    assert at.selectbox(key="option").value == "fast-small"
    q = run_model(release, scenario_from_option(release, "fast-small")).quarters
    assert plotly_values(traces(figures(at)[1])["All hubs open"]["y"]) == q["hubs_active"].tolist()
    table = next(d.value for d in at.dataframe if "milestone" in d.value.columns).set_index("milestone")
    assert len(table) == len(release.table("milestones"))
    assert table.at["M04", "exit criterion"].startswith("EXIT CRITERION") and table.at["M03", "exit criterion"].startswith("milestone")
    model_col = next(c for c in table.columns if c.startswith("model, "))
    m06 = float(q.set_index("quarter").at["2028Q4", "certified_cum"])
    assert table.at["M06", model_col] == f"{m06:,.0f} learners certified" and table.at["M06", "met in the model"].startswith("NO")
    assert table.at["M12", "met in the model"] == "NO (below target)"  # a 60-hub network never reaches 100
    assert table.at["M07", model_col] == "not modelled"


def test_garbage_option_gives_a_notice_and_the_default(pinned_releases):
    at = open_phases({"option": "<b>bogus</b>"})
    notes = " ".join(i.value for i in at.info)
    assert f"The link's '{escape_md('option')}' value" in notes and "\\<b\\>bogus" in notes
    assert at.selectbox(key="option").value == "public-on-time"
    assert len(at.get("plotly_chart")) == 2
