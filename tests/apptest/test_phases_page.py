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
    """name -> trace; a line identical to 'All hubs open' is named '… (same line as all hubs open)': also found by its plain name."""
    out = {t["name"]: t for t in fig["data"]}
    out.update({n.removesuffix(" (same line as all hubs open)"): t for n, t in out.items()})
    return out


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


def test_a_track_that_opens_every_hub_is_labelled_as_the_same_line(pinned_releases, release):
    at = open_phases({"option": "private-only"})
    q = run_model(release, scenario_from_option(release, "private-only")).quarters
    assert q["hubs_active_private_track"].tolist() == q["hubs_active"].tolist()
    data = figures(at)[1]["data"]
    names = [t["name"] for t in data]
    assert "Opened by the private track (same line as all hubs open)" in names
    assert (
        data[0]["name"] == "All hubs open"
        and data[0]["line"]["width"] > data[names.index("Opened by the private track (same line as all hubs open)")]["line"]["width"]
    )


def test_a_link_opens_the_option_and_the_milestone_table_says_what_the_model_does_with_each(pinned_releases, release):
    at = open_phases({"option": "fast-small"})
    assert at.selectbox(key="option").value == "fast-small"
    result = run_model(release, scenario_from_option(release, "fast-small"))
    assert plotly_values(traces(figures(at)[1])["All hubs open"]["y"]) == result.quarters["hubs_active"].tolist()
    table = next(d.value for d in at.dataframe if "milestone" in d.value.columns).set_index("milestone")
    assert len(table) == len(release.table("milestones"))
    assert table.at["M04", "exit criterion"].startswith("EXIT CRITERION") and table.at["M03", "exit criterion"].startswith("milestone")
    model_col = next(c for c in table.columns if c.startswith("in the model, "))
    # release 1.1.0 gives its exit criteria no metric the model computes: each is assumed met on its due date
    assert table.at["M06", model_col] == "assumed met on the due date (not modelled)"
    assert table.at["M03", model_col].startswith("not an exit criterion")


def test_phase_gates_show_when_each_is_met_how_late_and_the_criteria(real_releases):
    from pakcoe import load_release

    draft = load_release(ROOT / "data" / "releases" / "1.3.0")
    at = open_clean("phases", {"release": "1.3.0", "option": "private-only"})
    result = run_model(draft, scenario_from_option(draft, "private-only"))
    [gates] = [t.value for t in at.table]
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
    criteria = next(d.value for d in at.dataframe if "Exit criterion" in d.value.columns)
    assert len(criteria) == sum(len(g.criteria) for g in result.gates)
    for g in result.gates:
        for c in g.criteria:
            row = criteria[criteria["Exit criterion"] == f"{c.milestone_id} · {c.title}"].iloc[0]
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
    assert f"The link's '{escape_md('option')}' value" in notes and "\\<b\\>bogus" in notes
    assert at.selectbox(key="option").value == "public-on-time"
    assert len(at.get("plotly_chart")) == 2
