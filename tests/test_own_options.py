"""Options of one's own (pakcoe.own_options): the template reads back as the release's options, and every problem of
an uploaded file is named by row and field in plain words; a hostile file gives one clear problem and no options."""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path

import pytest

from pakcoe import i18n
from pakcoe.levers import levers
from pakcoe.model import model_inputs, run_model, scenario_from_option
from pakcoe.own_options import MAX_BYTES, MAX_OPTIONS, columns, is_own, own_id, parse_options, template_csv
from pakcoe.release import list_releases, load_release

ROOT = Path(__file__).resolve().parents[1] / "data" / "releases"
VERSIONS = [p.name for p in list_releases(ROOT)]


@cache
def release(version: str):
    return load_release(ROOT / version)


@cache
def newest():
    """The newest release folder of the checkout (computed, never named)."""
    return release(VERSIONS[-1])


def rows_of(rel) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(template_csv(rel))))


def as_csv(rows: list[dict[str, str]], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or list(rows[0]), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def one_problem(raw: bytes) -> str:
    found = parse_options(newest(), raw)
    assert found.options == ()
    assert len(found.problems) == 1, found.problems
    return found.problems[0].message


# ---------------------------------------------------------------------------------------------------
# The template


@pytest.mark.parametrize("version", VERSIONS)
def test_template_reads_back_as_the_release_options(version):
    rel = release(version)
    found = parse_options(rel, template_csv(rel).encode("utf-8"))
    assert found.problems == ()
    options = model_inputs(rel).options
    assert [name for name, _ in found.options] == [str(row["name"]) for row in options.values()]
    for (_, scenario), option_id in zip(found.options, options, strict=True):
        assert scenario == scenario_from_option(rel, option_id).replace(option_id=None)


def test_template_columns_are_the_option_fields_and_the_levers():
    rel = newest()
    schema = [f["name"] for f in rel.resource("options")["schema"]["fields"] if f["name"] != "option_id"]
    header = template_csv(rel).splitlines()[0].split(",")
    assert header == columns(rel)
    assert header[: len(schema)] == schema
    lever_fields = {lever.field for lever in levers(rel)}
    assert lever_fields <= set(header)
    assert "gating" in header
    assert len(rows_of(rel)) == len(model_inputs(rel).options)


def test_a_bom_is_allowed_and_a_changed_lever_changes_the_run():
    rel = newest()
    rows = rows_of(rel)[:1]
    rows[0]["name"] = "Dearer hubs"
    high = next(lever.high for lever in levers(rel) if lever.field == "capex_multiplier")
    assert high > 1
    rows[0]["capex_multiplier"] = f"{high:g}"
    found = parse_options(rel, b"\xef\xbb\xbf" + as_csv(rows))
    assert found.problems == ()
    ((name, scenario),) = found.options
    assert name == "Dearer hubs" and scenario.capex_multiplier == pytest.approx(high)
    base = scenario_from_option(rel, next(iter(model_inputs(rel).options)))
    assert run_model(rel, scenario).summary.total_cost > run_model(rel, base).summary.total_cost


def test_an_assumption_at_its_central_value_stays_the_release_value():
    rel = newest()
    lever = next(lever for lever in levers(rel) if lever.param == "completion_rate")
    rows = rows_of(rel)[:2]
    rows[0]["completion_rate"] = f"{lever.default:g}"
    rows[1]["name"] = "Better completion"
    rows[1]["completion_rate"] = f"{lever.high:g}"
    (_, central), (_, moved) = parse_options(rel, as_csv(rows)).options
    assert central.completion_rate is None
    assert moved.completion_rate == pytest.approx(lever.high)


def test_own_ids_never_collide_with_a_release_option():
    for version in VERSIONS:
        assert not any(is_own(o) for o in model_inputs(release(version)).options)
    assert is_own(own_id(0)) and own_id(0) != own_id(1)


# ---------------------------------------------------------------------------------------------------
# Hostile files: one clear problem, no options


def test_wrong_encoding():
    text = template_csv(newest()).replace("Public", "Públic", 1)
    assert "not UTF-8" in one_problem(text.encode("cp1252"))
    assert "UTF-16" in one_problem(template_csv(newest()).encode("utf-16"))


def test_binary_content():
    assert "binary" in one_problem(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_a_file_over_the_limit():
    raw = template_csv(newest()).encode("utf-8")
    raw += b"\n" * (MAX_BYTES + 1 - len(raw))
    assert len(raw) == MAX_BYTES + 1
    assert "larger than 1 MB" in one_problem(raw)


def test_one_megabyte_of_empty_lines():
    assert "empty" in one_problem(b"\n" * MAX_BYTES)
    header = template_csv(newest()).splitlines()[0].encode()
    assert "more than 100 rows" in one_problem(header + b"\n" * (MAX_BYTES - len(header)))
    assert "more than 100 rows" in one_problem(header + b"\r\n" * 5000)


def test_a_hundred_thousand_columns():
    assert "more than 200 columns" in one_problem((",".join(f"c{i}" for i in range(100_000)) + "\n").encode())


def test_a_cell_too_long_for_csv_or_a_quote_never_closed():
    assert "cannot be read as CSV" in one_problem(b'name\n"' + b"x" * 200_000 + b"\n")


def test_more_than_eight_options():
    rows = [dict(rows_of(newest())[0], name=f"Option {i}") for i in range(MAX_OPTIONS + 1)]
    assert "at most 8" in one_problem(as_csv(rows))
    assert len(parse_options(newest(), as_csv(rows[:MAX_OPTIONS])).options) == MAX_OPTIONS


def test_formula_injection_is_refused_by_row_and_field():
    rows = rows_of(newest())[:2]
    rows[1]["name"] = '=HYPERLINK("http://example.com/x","click")'
    rows[0]["description"] = "@SUM(A1:A2)"
    found = parse_options(newest(), as_csv(rows))
    assert found.options == ()
    assert {(p.row, p.field) for p in found.problems} == {(3, "name"), (2, "description")}
    assert all("formula" in p.message for p in found.problems)


def test_html_in_a_name_is_refused_and_in_a_description_kept_as_text():
    rows = rows_of(newest())[:1]
    rows[0]["name"] = "<script>alert(1)</script>"
    found = parse_options(newest(), as_csv(rows))
    assert [(p.row, p.field) for p in found.problems] == [(2, "name")]
    assert "plain text" in found.problems[0].message
    rows[0]["name"] = "Mine"
    rows[0]["description"] = "<img src=x onerror=alert(1)> <b>bold</b>"
    found = parse_options(newest(), as_csv(rows))
    assert found.problems == () and found.descriptions == ("<img src=x onerror=alert(1)> <b>bold</b>",)


# ---------------------------------------------------------------------------------------------------
# Problems named by row and field


def problems(rows, header=None) -> set[tuple[int | None, str | None]]:
    found = parse_options(newest(), as_csv(rows, header))
    assert found.options == ()
    return {(p.row, p.field) for p in found.problems}


def test_bounds_of_the_levers_and_the_options_table():
    rel = newest()
    lever = {lever.field: lever for lever in levers(rel)}
    rows = rows_of(rel)[:4]
    rows[0]["completion_rate"] = f"{lever['completion_rate'].high + 0.05:g}"
    rows[1]["capex_multiplier"] = f"{lever['capex_multiplier'].low - 0.5:g}"
    rows[2]["pace"] = "9"
    rows[3]["hub_target"] = str(model_inputs(rel).min_hub_target - 1)
    assert problems(rows) == {(2, "completion_rate"), (3, "capex_multiplier"), (4, "pace"), (5, "hub_target")}
    message = parse_options(rel, as_csv(rows)).problems[0].message
    assert "outside the allowed range" in message and f"{lever['completion_rate'].high:g}" in message


def test_enum_from_the_release_and_types():
    rows = rows_of(newest())[:3]
    rows[0]["public_decision"] = "maybe"
    rows[1]["hub_target"] = "lots"
    rows[2]["pace"] = "fast"
    rows[2]["gating"] = "perhaps"
    assert problems(rows) == {(2, "public_decision"), (3, "hub_target"), (4, "pace"), (4, "gating")}
    message = parse_options(newest(), as_csv(rows)).problems[0].message
    for decision in newest().table("options")["public_decision"].unique():
        assert decision in message


def test_unique_names_and_their_length():
    rows = rows_of(newest())[:3]
    rows[1]["name"] = rows[0]["name"].upper()
    rows[2]["name"] = "x" * 81
    found = parse_options(newest(), as_csv(rows))
    assert {(p.row, p.field) for p in found.problems} == {(3, "name"), (4, "name")}
    assert "row 2" in found.problems[0].message


def test_required_unknown_and_doubled_columns():
    rows = rows_of(newest())[:1]
    header = [c for c in rows[0] if c != "hub_target"] + ["hub_taget"]
    assert problems([dict(rows[0], hub_taget="50")], header) == {(1, "hub_target"), (1, "hub_taget")}
    raw = ("name,name\n" + "a,b\n").encode()
    assert (1, "name") in {(p.row, p.field) for p in parse_options(newest(), raw).problems}


def test_empty_required_cell_and_start_quarter():
    rows = rows_of(newest())[:2]
    rows[0]["description"] = ""
    rows[1]["start_quarter"] = "2031Q1"
    assert problems(rows) == {(2, "description"), (3, "start_quarter")}


def test_problems_read_in_urdu():
    rows = rows_of(newest())[:1]
    rows[0]["hub_target"] = "lots"
    with i18n.using("ur"):
        (problem,) = parse_options(newest(), as_csv(rows)).problems
    assert i18n.arabic_share(problem.message) > 0.5
