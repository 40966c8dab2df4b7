"""Every kind of broken release is caught and located: file, row, field and rule."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from releasekit import DraftRelease

from pakcoe import ReleaseInvalid, load_release, validate_release
from pakcoe.geo import hubs_geojson
from pakcoe.tableschema import read_table


@dataclass
class Expect:
    file: str
    rule: str
    row: int | None = None
    field: str | None = None


def sync_geojson(d: DraftRelease) -> None:
    """Regenerate hubs.geojson from the (edited) hubs.csv, as the build script would."""
    res = next(r for r in d.descriptor()["resources"] if r["name"] == "hubs")
    table = read_table("hubs.csv", (d.path / "hubs.csv").read_bytes(), res["schema"])
    d.write_geojson(hubs_geojson(table.frame))


def line_of(d: DraftRelease, name: str, key_field: str, key: str) -> int:
    return next(i + 2 for i, r in enumerate(d.rows(name)) if r[key_field] == key)


def drop_column(d):
    rows = d.rows("hubs.csv")
    header = [h for h in rows[0] if h != "district"]
    d.write_rows("hubs.csv", rows, header)
    return Expect("hubs.csv", "missing-column", 1, "district")


def extra_column(d):
    rows = d.rows("gaps.csv")
    for r in rows:
        r["owner"] = "x"
    d.write_rows("gaps.csv", rows)
    return Expect("gaps.csv", "extra-column", 1, "owner")


def wrong_type(d):
    row = d.edit_cell("hubs.csv", "hub_id", "karachi-3", "learner_capacity_per_year", "lots")
    return Expect("hubs.csv", "type", row, "learner_capacity_per_year")


def required_blank(d):
    row = d.edit_cell("hubs.csv", "hub_id", "quetta-1", "name", "")
    return Expect("hubs.csv", "required", row, "name")


def duplicate_id(d):
    row = line_of(d, "hubs.csv", "hub_id", "lahore-1")
    d.edit_cell("hubs.csv", "hub_id", "lahore-1", "hub_id", "karachi-1")
    return Expect("hubs.csv", "unique", row, "hub_id")


def enum_violation(d):
    row = d.edit_cell("hubs.csv", "hub_id", "gilgit-1", "hub_type", "mega")
    return Expect("hubs.csv", "enum", row, "hub_type")


def status_not_proposed(d):
    row = d.edit_cell("hubs.csv", "hub_id", "karachi-2", "status", "approved")
    return Expect("hubs.csv", "enum", row, "status")


def pattern_violation(d):
    row = d.edit_cell("hubs.csv", "hub_id", "multan-1", "launch_quarter", "2029-Q5")
    return Expect("hubs.csv", "pattern", row, "launch_quarter")


def below_minimum(d):
    row = d.edit_cell("programmes.csv", "programme_id", "P2", "nvqf_level_min", "0")
    return Expect("programmes.csv", "minimum", row, "nvqf_level_min")


def dangling_foreign_key(d):
    row = d.edit_cell("hubs.csv", "hub_id", "sukkur-1", "city_id", "atlantis")
    return Expect("hubs.csv", "foreign-key", row, "city_id")


def dangling_source(d):
    row = d.edit_cell("gaps.csv", "gap_id", "G3", "evidence_source_id", "nowhere")
    return Expect("gaps.csv", "foreign-key", row, "evidence_source_id")


def hub_outside_pakistan(d):
    row = d.edit_cell("hubs.csv", "hub_id", "chaman-1", "lat", "31.61", rehash=False)
    d.edit_cell("hubs.csv", "hub_id", "chaman-1", "lon", "65.71")  # Kandahar, Afghanistan
    sync_geojson(d)
    return Expect("hubs.csv", "inside-pakistan", row, "lat,lon")


def geojson_disagrees(d):
    gj = d.geojson()
    k = next(i for i, f in enumerate(gj["features"]) if f["id"] == "peshawar-1")
    gj["features"][k]["geometry"]["coordinates"] = [71.6, 34.1]
    d.write_geojson(gj)
    return Expect("hubs.geojson", "csv-geojson-agree", k, "geometry")


def geojson_property_disagrees(d):
    gj = d.geojson()
    gj["features"][5]["properties"]["name"] = "Somewhere else"
    d.write_geojson(gj)
    return Expect("hubs.geojson", "csv-geojson-agree", 5, "name")


def geojson_missing_feature(d):
    gj = d.geojson()
    gj["features"] = [f for f in gj["features"] if f["id"] != "skardu-1"]
    d.write_geojson(gj)
    return Expect("hubs.geojson", "csv-geojson-agree", None, "id")


def shares_not_one(d):
    rows = d.rows("funding_rules.csv")
    i = next(i for i, r in enumerate(rows) if r["track"] == "private" and r["phase_id"] == "2" and r["use"] == "operations")
    rows[i]["share"] = "0.90"
    d.write_rows("funding_rules.csv", rows)
    return Expect("funding_rules.csv", "shares-sum", i + 2, "share")


def descriptor_not_json(d):
    d.descriptor_path.write_text('{"name": "broken", "resources": [', encoding="utf-8")
    return Expect("datapackage.json", "json", 1, None)


def geojson_not_json(d):
    d.write_bytes("hubs.geojson", b'{"type": "FeatureCollection", "features": [}')
    return Expect("hubs.geojson", "json")


def not_utf8(d):
    raw = (d.path / "sources.csv").read_bytes().replace(b"Daily Pakistan", b"Daily Pak\xe9stan")
    d.write_bytes("sources.csv", raw)
    return Expect("sources.csv", "encoding", 2)


def empty_file(d):
    d.write_bytes("programmes.csv", b"")
    return Expect("programmes.csv", "empty-file")


def edited_after_publication(d):
    d.edit_cell("assumptions.csv", "param_id", "capex_standard", "value", "125", rehash=False)
    return Expect("assumptions.csv", "hash", None, "hash")


def phase_target_mismatch(d):
    row = d.edit_cell("phases.csv", "phase_id", "1", "hub_target", "13")
    return Expect("phases.csv", "phase-target", row, "hub_target")


def allocation_rule_broken(d):
    d.edit_cell("assumptions.csv", "param_id", "allocation_floor", "value", "4")
    return Expect("hubs.csv", "allocation-rule", None, "province_id")


def shared_coordinates(d):
    first = d.rows("hubs.csv")[line_of(d, "hubs.csv", "hub_id", "lahore-1") - 2]
    row = d.edit_cell("hubs.csv", "hub_id", "lahore-2", "lat", first["lat"], rehash=False)
    d.edit_cell("hubs.csv", "hub_id", "lahore-2", "lon", first["lon"])
    sync_geojson(d)
    return Expect("hubs.csv", "distinct-coordinates", row, "lat,lon")


def two_accountable(d):
    rows = d.rows("roles.csv")
    i = next(i for i, r in enumerate(rows) if r["track"] == "public" and r["activity_id"] == "A5" and r["raci"] != "A")
    rows[i]["raci"] = "A"
    d.write_rows("roles.csv", rows)
    first = next(j for j, r in enumerate(rows) if r["track"] == "public" and r["activity_id"] == "A5")
    return Expect("roles.csv", "raci-one-accountable", first + 2, "raci")


def value_outside_bounds(d):
    row = d.edit_cell("assumptions.csv", "param_id", "completion_rate", "value", "0.95")
    return Expect("assumptions.csv", "bounds", row, "value")


def fact_without_source(d):
    row = d.edit_cell("assumptions.csv", "param_id", "usd_pkr", "source_id", "")
    return Expect("assumptions.csv", "provenance", row, "source_id")


def version_mismatch(d):
    desc = d.descriptor()
    desc["version"] = "0.9.0"
    d.write_descriptor(desc)
    return Expect("datapackage.json", "version", None, "version")


def missing_file(d):
    (d.path / "governance.csv").unlink()
    return Expect("governance.csv", "exists")


def ragged_row(d):
    raw = (d.path / "activities.csv").read_bytes().replace(b"A3,Provide and fit out hub sites,", b"A3,Provide and fit out hub sites,extra,")
    d.write_bytes("activities.csv", raw)
    return Expect("activities.csv", "row-length", 4)


def capacity_mismatch(d):
    row = d.edit_cell("hubs.csv", "hub_id", "lahore-3", "learner_capacity_per_year", "900")
    sync_geojson(d)
    return Expect("hubs.csv", "capacity", row, "learner_capacity_per_year")


def seats_not_cohorts_times_seats(d):
    rows = d.rows("programme_offers.csv")
    i = next(i for i, r in enumerate(rows) if (r["hub_type"], r["programme_id"]) == ("flagship", "P2"))
    rows[i]["seats_per_year"] = str(int(rows[i]["seats_per_year"]) + 1)
    d.write_rows("programme_offers.csv", rows)
    return Expect("programme_offers.csv", "seats", i + 2, "seats_per_year")


def city_in_wrong_province(d):
    d.edit_cell("cities.csv", "city_id", "gilgit", "province_id", "AJK")
    return Expect("hubs.csv", "city-province", line_of(d, "hubs.csv", "hub_id", "gilgit-1"), "province_id")


def path_escapes_release(d):
    desc = d.descriptor()
    desc["resources"][0]["path"] = "../../etc/passwd"
    d.write_descriptor(desc)
    return Expect("datapackage.json", "path", None, "resources[0].path")


CASES = [
    drop_column,
    extra_column,
    wrong_type,
    required_blank,
    duplicate_id,
    enum_violation,
    status_not_proposed,
    pattern_violation,
    below_minimum,
    dangling_foreign_key,
    dangling_source,
    hub_outside_pakistan,
    geojson_disagrees,
    geojson_property_disagrees,
    geojson_missing_feature,
    shares_not_one,
    descriptor_not_json,
    geojson_not_json,
    not_utf8,
    empty_file,
    edited_after_publication,
    phase_target_mismatch,
    allocation_rule_broken,
    shared_coordinates,
    two_accountable,
    value_outside_bounds,
    fact_without_source,
    version_mismatch,
    missing_file,
    ragged_row,
    capacity_mismatch,
    seats_not_cohorts_times_seats,
    city_in_wrong_province,
    path_escapes_release,
]


def test_the_fixture_starts_valid(draft):
    assert validate_release(draft.path).valid


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_malformed_release_is_located(draft, case):
    expect = case(draft)
    report = validate_release(draft.path)
    assert not report.valid
    assert report.release is None
    matches = [
        p
        for p in report.problems
        if p.file == expect.file and p.rule == expect.rule and (expect.row is None or p.row == expect.row) and (expect.field is None or p.field == expect.field)
    ]
    assert matches, f"expected {expect}, got:\n" + "\n".join(map(str, report.problems))
    text = str(matches[0])
    assert text.startswith(expect.file)
    assert f"[{expect.rule}]" in text
    if expect.row is not None:
        assert f" {expect.row}" in text
    with pytest.raises(ReleaseInvalid) as info:
        load_release(draft.path)
    assert info.value.problems == report.problems


def test_there_are_at_least_twenty_kinds_of_malformed_release():
    assert len(CASES) >= 20


def test_problem_names_file_row_field_rule_and_value(draft):
    row = draft.edit_cell("hubs.csv", "hub_id", "karachi-3", "learner_capacity_per_year", "lots")
    problem = next(p for p in validate_release(draft.path).problems if p.rule == "type")
    assert str(problem) == f"hubs.csv row {row} field learner_capacity_per_year: [type] 'lots' is not an integer (field type integer) (value: 'lots')"
    assert problem.as_dict() == {
        "file": "hubs.csv",
        "row": row,
        "field": "learner_capacity_per_year",
        "rule": "type",
        "value": "lots",
        "message": "'lots' is not an integer (field type integer)",
    }


def test_every_problem_is_reported_not_just_the_first(draft):
    draft.edit_cell("hubs.csv", "hub_id", "karachi-3", "hub_type", "mega", rehash=False)
    draft.edit_cell("gaps.csv", "gap_id", "G1", "response_pillar", "magic")
    rules = {(p.file, p.rule) for p in validate_release(draft.path).problems}
    assert {("hubs.csv", "enum"), ("gaps.csv", "enum")} <= rules


def test_descriptor_that_is_not_an_object(draft):
    draft.descriptor_path.write_text(json.dumps(["not", "a", "package"]))
    problems = validate_release(draft.path).problems
    assert [(p.file, p.rule) for p in problems] == [("datapackage.json", "descriptor")]
