"""Release rules version 2: every figure's basis is checked, and each way of breaking it is located (file, row, field, rule)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from releasekit import DraftRelease, copy_release

from pakcoe import validate_release
from pakcoe.basis import DerivationError, Names, evaluate, round_half_up

ROOT = Path(__file__).resolve().parent.parent
RELEASE_1_2_0 = ROOT / "data" / "releases" / "1.2.0"


@dataclass
class Expect:
    file: str
    rule: str
    row: int | None = None
    field: str | None = None


@pytest.fixture
def d(tmp_path) -> DraftRelease:
    """A writable copy of release 1.2.0 (the first with rules version 2), as a draft."""
    return copy_release(tmp_path, "1.2.0", RELEASE_1_2_0, draft=True)


def line(d: DraftRelease, name: str, match: dict) -> int:
    return next(i + 2 for i, r in enumerate(d.rows(name)) if all(r[k] == v for k, v in match.items()))


def basis_deleted(d):
    rows = [r for r in d.rows("assumptions.csv") if r["param_id"] != "pub_fees_share"]
    d.write_rows("assumptions.csv", rows)
    return Expect(
        "funding_rules.csv",
        "basis-missing",
        line(d, "funding_rules.csv", {"track": "public", "phase_id": "1", "use": "instructors", "source_id": "fees"}),
        "share_basis",
    )


def derivation_broken_by_a_deleted_name(d):
    rows = [r for r in d.rows("assumptions.csv") if r["param_id"] != "pub_fees_share"]
    d.write_rows("assumptions.csv", rows)
    at = line(d, "funding_rules.csv", {"track": "public", "phase_id": "1", "use": "instructors", "source_id": "private_sector"})
    return Expect("funding_rules.csv", "derivation", at, "share_basis")


def parameter_does_not_match_its_derivation(d):
    at = d.edit_cell("assumptions.csv", "param_id", "capex_flagship", "value", "150")
    return Expect("assumptions.csv", "derivation", at, "value")


def bound_does_not_match_its_derivation(d):
    at = d.edit_cell("assumptions.csv", "param_id", "private_capacity", "high", "9000")
    return Expect("assumptions.csv", "derivation", at, "high")


def share_does_not_match_its_basis(d):
    rows = d.rows("funding_rules.csv")
    for r in rows:
        if (r["track"], r["phase_id"], r["use"], r["source_id"]) == ("private", "2", "compute", "philanthropy"):
            r["share"] = "0.2"
        if (r["track"], r["phase_id"], r["use"], r["source_id"]) == ("private", "2", "compute", "private_sector"):
            r["share"] = "0.7"
    d.write_rows("funding_rules.csv", rows)
    return Expect(
        "funding_rules.csv",
        "basis-value",
        line(d, "funding_rules.csv", {"track": "private", "phase_id": "2", "use": "compute", "source_id": "philanthropy"}),
        "share",
    )


def milestone_target_without_basis(d):
    at = d.edit_cell("milestones.csv", "milestone_id", "M06", "target_basis", "")
    return Expect("milestones.csv", "basis-missing", at, "target_basis")


def numeric_column_without_basis(d):
    desc = d.descriptor()
    hubs = next(r for r in desc["resources"] if r["name"] == "hubs")
    next(f for f in hubs["schema"]["fields"] if f["name"] == "learner_capacity_per_year").pop("basis")
    d.write_descriptor(desc)
    d.rehash()
    return Expect("hubs.csv", "basis-missing", 1, "learner_capacity_per_year")


def one_basis_for_a_whole_table(d):
    rows = d.rows("programmes.csv")
    for r in rows:
        r["duration_basis"] = "nvqf-levels"
    d.write_rows("programmes.csv", rows)
    return Expect("programmes.csv", "basis-catch-all", 1, "duration_basis")


def share_bounds_that_say_nothing(d):
    at = d.edit_cell("assumptions.csv", "param_id", "pub_fees_share", "low", "0")
    d.edit_cell("assumptions.csv", "param_id", "pub_fees_share", "high", "1")
    return Expect("assumptions.csv", "bounds-empty", at, "low")


def assumption_without_range(d):
    at = d.edit_cell("assumptions.csv", "param_id", "team_size", "low", "5")
    d.edit_cell("assumptions.csv", "param_id", "team_size", "high", "5")
    return Expect("assumptions.csv", "bounds-empty", at, "low")


def source_never_cited(d):
    rows = d.rows("sources.csv")
    rows.append({**rows[0], "source_id": "orphan-source", "title": "A source nobody cites"})
    d.write_rows("sources.csv", rows)
    return Expect("sources.csv", "source-unreferenced", len(rows) + 1, "source_id")


def home_page_called_an_article(d):
    at = d.edit_cell("sources.csv", "source_id", "ncai-labs", "url_kind", "article")
    return Expect("sources.csv", "url-kind", at, "url")


def milestone_the_plan_cannot_meet(d):
    at = d.edit_cell("milestones.csv", "milestone_id", "M11", "due_quarter", "2031Q4")
    return Expect("milestones.csv", "milestone-plan", at, "due_quarter")


def second_district_hub_called_round_one(d):
    at = d.edit_cell("hubs.csv", "hub_id", "kamoke-1", "selection", "district_round_1")
    return Expect("hubs.csv", "town-selection", at, "selection")


def round_two_skips_a_larger_town(d):
    rows = d.rows("hubs.csv")
    for r in rows:
        if r["hub_id"] == "khanpur-1":
            r.update(city_id="jaranwala", district="Faisalabad", place_ref="geonames:1176106")
    d.write_rows("hubs.csv", rows)
    at = line(d, "hubs.csv", {"hub_id": "khanpur-1"})
    return Expect("hubs.csv", "town-selection", at, "city_id")


def derivation_that_is_code(d):
    at = d.edit_cell("assumptions.csv", "param_id", "capex_tvet", "derivation", "=__import__('os').getcwd()")
    return Expect("assumptions.csv", "derivation", at, "derivation")


def rule_names_an_unknown_parameter(d):
    at = d.edit_cell("rules.csv", "rule_id", "R2", "params", "handover_years")
    return Expect("rules.csv", "rule-param", at, "params")


CASES = [
    basis_deleted,
    derivation_broken_by_a_deleted_name,
    parameter_does_not_match_its_derivation,
    bound_does_not_match_its_derivation,
    share_does_not_match_its_basis,
    milestone_target_without_basis,
    numeric_column_without_basis,
    one_basis_for_a_whole_table,
    share_bounds_that_say_nothing,
    assumption_without_range,
    source_never_cited,
    home_page_called_an_article,
    milestone_the_plan_cannot_meet,
    second_district_hub_called_round_one,
    round_two_skips_a_larger_town,
    derivation_that_is_code,
    rule_names_an_unknown_parameter,
]


def test_the_fixture_starts_valid(d):
    report = validate_release(d.path)
    assert report.valid, "\n".join(map(str, report.problems))


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_broken_basis_is_located(d, case):
    expect = case(d)
    report = validate_release(d.path)
    assert not report.valid
    matches = [p for p in report.problems if (p.file, p.rule, p.row, p.field) == (expect.file, expect.rule, expect.row, expect.field)]
    assert matches, f"expected {expect}, got:\n" + "\n".join(map(str, report.problems))
    assert str(matches[0]).startswith(f"{expect.file} row {expect.row} field {expect.field}: [{expect.rule}]")


def test_a_derivation_names_what_it_rests_on_in_its_message(d):
    d.edit_cell("assumptions.csv", "param_id", "capex_flagship", "value", "150")
    problem = next(p for p in validate_release(d.path).problems if p.rule == "derivation")
    assert "round(ku_centre_budget * capital_share_of_budget, 1)" in problem.message and "128.6" in problem.message


def test_older_releases_keep_their_rules():
    """Releases published before rules version 2 stay valid unchanged: the new checks apply from 1.2.0 on."""
    for version in ("1.0.0", "1.1.0"):
        descriptor = json.loads((ROOT / "data" / "releases" / version / "datapackage.json").read_text(encoding="utf-8"))
        assert "rules_version" not in descriptor
        assert validate_release(ROOT / "data" / "releases" / version).valid


NAMES = Names({"a": 2.0, "b": 3.0}, {"a": 1.0}, {"a": 4.0})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=a * b", 6.0),
        ("a + b / 2", 3.5),
        ("=round(a / b, 2)", 0.67),
        ("low(a) + high(a)", 5.0),
        ("max(a, b) - min(a, b)", 1.0),
        ("-a", -2.0),
        ("round(2.5)", 3.0),
    ],
)
def test_evaluate(text, expected):
    assert evaluate(text, NAMES) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["c + 1", "a ** 2", "a.real", "open('x')", "low(b)", "a / 0", "[a]", "", "=", "a if b else 1", "round(a, b, 1)"])
def test_evaluate_refuses(text):
    with pytest.raises(DerivationError):
        evaluate(text, NAMES)


def test_round_half_up_is_what_people_expect():
    assert round_half_up(160.725, 1) == 160.7
    assert round_half_up(0.125, 2) == 0.13
    assert round_half_up(1374.0, -2) == 1400.0
    assert round_half_up(2598.5) == 2599.0
