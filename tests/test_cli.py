"""The command line: `validate` (exit 0 valid, 1 invalid with one located problem per line, 2 usage or unreadable)
and `options` (every option of a release per year over one horizon; exit 2 for a bad release or --set)."""

from __future__ import annotations

import functools
import json
import math
import re
from pathlib import Path

import pytest
from commands import ROOT, Ran, in_process, real

from pakcoe import cli
from pakcoe.model import ModelResult, comparison_horizon, run_model, scenario_from_option
from pakcoe.release import load_release, validate_release


def run(*args: str) -> Ran:
    """`python -m pakcoe ARGS...` in this process (pakcoe/__main__.py exits with cli.main's code)."""
    return in_process(cli.main, args)


def test_valid_release_exits_0():
    """The one test that runs the real command: `python -m pakcoe` from the command line to its exit code."""
    out = real("-m", "pakcoe", "validate", "data/releases/1.0.0")
    assert out.returncode == 0
    assert out.stdout == ""
    assert "valid" in out.stderr


def test_descriptor_path_is_accepted_too():
    assert run("validate", "data/releases/1.0.0/datapackage.json").returncode == 0


def test_invalid_release_exits_1_with_one_problem_per_line(draft):
    row = draft.edit_cell("milestones.csv", "milestone_id", "M03", "due_quarter", "soon")
    draft.edit_cell("gaps.csv", "gap_id", "G2", "response_pillar", "magic")
    out = run("validate", str(draft.path))
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{draft.path}/milestones.csv row {row} field due_quarter: [pattern]")
    assert lines[1].startswith(f"{draft.path}/gaps.csv row 3 field response_pillar: [enum]")
    assert "INVALID, 2 problem(s)" in out.stderr


def test_missing_folder_exits_2(tmp_path):
    out = run("validate", str(tmp_path / "nope"))
    assert out.returncode == 2
    assert "not a release folder" in out.stderr


def test_usage_error_exits_2():
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("validate").returncode == 2


# ---------------------------------------------------------------------------------------------------
# `python -m pakcoe options RELEASE [--json] [--set PARAM=VALUE ...]`

RELEASES = ROOT / "data" / "releases"
HORIZON = re.compile(r"^(\d{4}Q[1-4])-(\d{4}Q[1-4]) \((\d+) quarters\)$")


def options_json(*args: str) -> dict:
    out = run("options", *args, "--json")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return json.loads(out.stdout)  # exactly one JSON object: anything after it would fail here


@functools.cache
def central(release: str) -> dict:
    return options_json(release)


def compare_results(path: Path, **levers) -> tuple[int, list[ModelResult]]:
    """What the Compare page computes for every option of a release: the same scenarios over comparison_horizon."""
    release = load_release(path)
    scenarios = [scenario_from_option(release, o, **levers) for o in release.table("options")["option_id"]]
    horizon = comparison_horizon(release, scenarios)
    return horizon, [run_model(release, s.replace(horizon_quarters=horizon)) for s in scenarios]


def is_number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def assert_shape(data: dict, path: Path) -> None:
    release = load_release(path)
    assert isinstance(data["release"], str) and data["release"] == release.version
    assert isinstance(data["horizon"], str) and HORIZON.match(data["horizon"])
    options = release.table("options")
    assert [o["id"] for o in data["options"]] == list(options["option_id"])
    assert [o["name"] for o in data["options"]] == list(options["name"])
    provinces = set(release.table("provinces")["province_id"])
    sources = set(release.table("funding_sources")["source_id"])
    first, last, n = HORIZON.match(data["horizon"]).groups()
    for o in data["options"]:
        assert isinstance(o["id"], str) and isinstance(o["name"], str)
        years = [y["year"] for y in o["years"]]
        assert years == list(range(int(first[:4]), int(last[:4]) + 1))
        assert sum(y["quarters_modelled"] for y in o["years"]) == int(n) == data["horizon_quarters"]
        for y in o["years"]:
            assert isinstance(y["year"], int) and isinstance(y["hubs_open"], int)
            assert set(y["hubs_open_by_province"]) == provinces
            assert all(isinstance(v, int) for v in y["hubs_open_by_province"].values())
            assert sum(y["hubs_open_by_province"].values()) == y["hubs_open"]
            assert set(y["spend_by_source_pkr_m"]) == sources
            assert all(is_number(v) for v in y["spend_by_source_pkr_m"].values())
            for key in ("learners_certified_cumulative", "spend_pkr_m", "funding_gap_pkr_m"):
                assert is_number(y[key]) and y[key] >= 0
            assert sum(y["spend_by_source_pkr_m"].values()) == pytest.approx(y["spend_pkr_m"], abs=1e-4)
        assert o["gates"], "every release has phases after the first: at least one gate"
        for g in o["gates"]:
            assert isinstance(g["phase_id"], int) and isinstance(g["target"], str) and g["target"]
            assert g["met_quarter"] is None or re.match(r"^\d{4}Q[1-4]$", g["met_quarter"])
        per = o["cost_per_certified_learner_pkr"]
        assert per is None or (is_number(per) and per > 0)


def test_options_json_shape_for_a_release_named_by_path():
    data = central("data/releases/1.3.0")
    assert_shape(data, RELEASES / "1.3.0")
    assert data["status"] == validate_release(RELEASES / "1.3.0").status
    assert data["missing_rules"] == []
    assert data["horizon"] == "2027Q3-2036Q1 (35 quarters)"  # 1.3.0's options start 2027Q3; comparison_horizon needs 35
    gate = data["options"][0]["gates"][0]
    assert "M04 All Karachi hubs open: 12" in gate["target"]
    assert "M08 Public M&E dashboard live with independent review: assumed met on the due date (not modelled)" in gate["target"]


def test_options_json_shape_for_an_older_release_named_by_version(monkeypatch):
    monkeypatch.setenv("PAKCOE_RELEASES", str(RELEASES))
    data = central("1.1.0")
    assert_shape(data, RELEASES / "1.1.0")
    assert data["status"] == "published"
    assert data["missing_rules"] and all(m["missing"] and m["default"] for m in data["missing_rules"])
    # no metrics in 1.1.0: every criterion is assumed met on its due date
    for o in data["options"]:
        for g in o["gates"]:
            assert g["target"].count("assumed met on the due date (not modelled)") == len(g["criteria"])
            assert g["met_quarter"] == g["due_quarter"]


def test_per_year_figures_are_the_models_quarters_at_each_years_end():
    data = central("data/releases/1.3.0")
    horizon, results = compare_results(RELEASES / "1.3.0")
    assert data["horizon_quarters"] == horizon
    for o, r in zip(data["options"], results, strict=True):
        q = r.quarters
        year = q["quarter"].astype(str).str[:4].astype(int)
        for y in o["years"]:
            rows = q[year == y["year"]]
            end = rows.index[-1]
            assert y["quarters_modelled"] == len(rows)
            assert y["hubs_open"] == q.loc[end, "hubs_active"]
            assert y["hubs_open_by_province"] == {p: int(r.hubs_by_province.loc[end, p]) for p in y["hubs_open_by_province"]}
            assert y["learners_certified_cumulative"] == pytest.approx(q.loc[end, "certified_cum"], abs=1e-5)
            assert y["spend_pkr_m"] == pytest.approx(rows["cost"].sum(), abs=1e-5)
            assert y["funding_gap_pkr_m"] == pytest.approx(rows["funding_gap"].sum(), abs=1e-5)
            assert y["spend_by_source_pkr_m"] == pytest.approx({s: rows[f"source_{s}"].sum() for s in y["spend_by_source_pkr_m"]}, abs=1e-5)
        assert o["years"][-1]["hubs_open"] == r.summary.hubs_at_end
        assert o["years"][-1]["learners_certified_cumulative"] == pytest.approx(r.summary.learners_certified, abs=1e-5)


def test_numbers_equal_what_the_compare_page_computes_for_the_same_release_and_levers():
    # the Compare page's private-capacity lever sets Scenario.private_capacity; --set passes the same value as a param override
    data = options_json("data/releases/1.2.0", "--set", "private_capacity=1000")
    horizon, results = compare_results(RELEASES / "1.2.0", private_capacity=1000.0)
    assert data["horizon_quarters"] == horizon
    assert data["overrides"] == {"private_capacity": 1000.0}
    for o, r in zip(data["options"], results, strict=True):
        s = r.summary
        assert o["id"] == r.scenario.option_id
        assert data["horizon"] == f"{s.first_quarter}-{s.last_quarter} ({horizon} quarters)"
        assert o["years"][-1]["hubs_open"] == s.hubs_at_end
        assert o["years"][-1]["hubs_open_by_province"] == s.hubs_by_province_at_end
        assert o["years"][-1]["learners_certified_cumulative"] == pytest.approx(s.learners_certified, abs=1e-5)
        assert sum(y["spend_pkr_m"] for y in o["years"]) == pytest.approx(s.total_cost, abs=1e-4)
        assert sum(y["funding_gap_pkr_m"] for y in o["years"]) == pytest.approx(s.funding_gap, abs=1e-4)
        assert o["cost_per_certified_learner_pkr"] == pytest.approx(s.cost_per_certified_learner * 1e6, abs=1e-4)
        assert [(g["phase_id"], g["met_quarter"]) for g in o["gates"]] == [(g.phase_id, g.met_quarter) for g in r.gates]


def by_year(option: dict, key: str) -> dict[int, float]:
    return {y["year"]: y[key] for y in option["years"]}


def test_set_moves_the_result_in_the_expected_direction():
    release = load_release(RELEASES / "1.3.0")
    low = release.param("private_capacity", "low")
    base = {o["id"]: o for o in central("data/releases/1.3.0")["options"]}
    less = {o["id"]: o for o in options_json("data/releases/1.3.0", "--set", f"private_capacity={low}")["options"]}
    not_approved = release.table("options").query("public_decision == 'not_approved'")["option_id"].tolist()
    assert not_approved
    for option in not_approved:
        b, lo = base[option], less[option]
        common = by_year(b, "hubs_open").keys() & by_year(lo, "hubs_open").keys()
        assert all(by_year(lo, "hubs_open")[y] <= by_year(b, "hubs_open")[y] for y in common)
        assert all(by_year(lo, "learners_certified_cumulative")[y] <= by_year(b, "learners_certified_cumulative")[y] + 1e-6 for y in common)
        assert lo["hubs_at_end"] < b["hubs_at_end"]  # the private track's money binds: fewer hubs
    # a lower certification rate certifies fewer learners in every option and year (it can delay a learners gate,
    # and with it the horizon, so spend is not compared)
    fewer = {o["id"]: o for o in options_json("data/releases/1.3.0", "--set", "certification_rate=0.65")["options"]}
    for option, b in base.items():
        f = fewer[option]
        assert all(
            f_y <= b_y + 1e-6
            for f_y, b_y in zip(by_year(f, "learners_certified_cumulative").values(), by_year(b, "learners_certified_cumulative").values(), strict=True)
        )
        assert f["years"][-1]["learners_certified_cumulative"] < b["years"][-1]["learners_certified_cumulative"]


def test_an_override_of_an_input_to_a_derivation_moves_what_is_derived_from_it():
    """tvet_fitout_factor feeds capex_tvet's derivation: a larger factor makes every option cost more."""
    data = options_json("data/releases/1.3.0", "--set", "tvet_fitout_factor=0.8")
    base = central("data/releases/1.3.0")
    assert not data["notes"]
    for new, old in zip(data["options"], base["options"], strict=True):
        assert sum(y["spend_pkr_m"] for y in new["years"]) > sum(y["spend_pkr_m"] for y in old["years"])


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("no_such_param=1", ["unknown parameter", "no_such_param"]),
        ("completion_rate=lots", ["completion_rate", "'lots' is not a number", "[0.6, 0.85]"]),
        ("completion_rate=0.95", ["completion_rate", "0.95", "outside the bounds", "[0.6, 0.85]"]),
        ("completion_rate=0.5", ["completion_rate", "0.5", "outside the bounds", "[0.6, 0.85]"]),
        ("completion_rate", ["expected PARAM=VALUE"]),
    ],
)
def test_a_bad_set_exits_2_with_a_clear_message(setting, expected):
    out = run("options", "data/releases/1.3.0", "--json", "--set", setting)
    assert out.returncode == 2
    assert out.stdout == ""
    assert "Traceback" not in out.stderr
    for text in expected:
        assert text in out.stderr


def test_a_missing_release_exits_2(tmp_path):
    for release in (str(tmp_path / "nope"), "9.9.9"):
        out = run("options", release)
        assert out.returncode == 2
        assert out.stdout == ""
        assert "no release" in out.stderr and release in out.stderr
        assert "Traceback" not in out.stderr


def test_an_invalid_release_exits_2_naming_file_and_rule(draft):
    row = draft.edit_cell("milestones.csv", "milestone_id", "M03", "due_quarter", "soon")
    out = run("options", str(draft.path), "--json")
    assert out.returncode == 2
    assert out.stdout == ""
    assert f"milestones.csv row {row} field due_quarter: [pattern]" in out.stderr
    assert "invalid release" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_version_is_looked_up_under_the_releases_root(draft):
    data = options_json(draft.path.name)  # $PAKCOE_RELEASES is the test's own folder, holding only this draft
    assert data["release"] == draft.path.name
    assert data["status"] == "draft"


def test_plain_output_names_every_option_and_the_horizon():
    out = run("options", "data/releases/1.3.0")
    assert out.returncode == 0, out.stderr
    data = central("data/releases/1.3.0")
    assert f"Horizon: {data['horizon']}" in out.stdout
    for o in data["options"]:
        assert f"{o['id']}: {o['name']}" in out.stdout
    assert "Cost per certified learner: PKR" in out.stdout
    assert "Phase 1: met" in out.stdout
    assert "assumed met on the due date (not modelled)" in out.stdout
    header = "year  quarters  hubs open  learners certified (cum.)  spend PKR M  funding gap PKR M"
    assert out.stdout.count(header) == len(data["options"])


def test_options_with_lang_ur_names_the_options_in_urdu_and_keeps_every_key_and_figure(capsys):
    """`--lang ur`: the release's texts (the options' names) in Urdu; JSON keys, ids and numbers as in English."""
    from pakcoe.cli import main
    from pakcoe.i18n import arabic_share

    assert main(["options", "data/releases/1.6.0", "--json"]) == 0
    english = json.loads(capsys.readouterr().out)
    assert main(["options", "data/releases/1.6.0", "--json", "--lang", "ur"]) == 0
    urdu = json.loads(capsys.readouterr().out)
    assert set(urdu) == set(english)
    assert [o["id"] for o in urdu["options"]] == [o["id"] for o in english["options"]]
    assert all(arabic_share(o["name"]) > 0.5 for o in urdu["options"])
    assert [o["years"] for o in urdu["options"]] == [o["years"] for o in english["options"]]
    assert main(["options", "data/releases/1.6.0", "--lang", "fr"]) == 2
