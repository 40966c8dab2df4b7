"""What changed between two releases (pakcoe.diff and `python -m pakcoe diff`): checked against a hand-made pair of
releases with known differences, the diff of a release with itself, and what a diff must mean both ways."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from releasekit import copy_release, newest_folder

from pakcoe import load_release, validate_release
from pakcoe.cli import main
from pakcoe.diff import FIGURES, diff_frame, diff_releases, format_diff
from pakcoe.geo import haversine_km, hubs_geojson
from pakcoe.tableschema import read_table

NEWEST = newest_folder(deck=True)
MOVE_LAT = 0.01  # the moved hub goes this far north (about 1.1 km)


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> dict:
    """Two valid releases: OLD a copy of the newest, NEW the same with these changes, each made by hand:
    one hub moved north, one assumption's value and upper bound raised, one option added, one source's title changed,
    one column added to the goals table, and one constraint added to the sources' note column."""
    root = tmp_path_factory.mktemp("releases")
    old = copy_release(root, "8.0.0", NEWEST)
    new = copy_release(root, "8.1.0", NEWEST, draft=True)
    hubs = new.rows("hubs.csv")
    hub = hubs[-1]
    before = (float(hub["lat"]), float(hub["lon"]))
    hub["lat"] = f"{before[0] + MOVE_LAT:.4f}"
    new.write_rows("hubs.csv", hubs)
    schema = next(r for r in new.descriptor()["resources"] if r["name"] == "hubs")["schema"]
    frame = read_table("hubs.csv", (new.path / "hubs.csv").read_bytes(), schema).frame
    new.write_geojson(hubs_geojson(frame))
    assumptions = new.rows("assumptions.csv")
    param = next(a for a in assumptions if float(a["high"]) > float(a["low"]) and a["param_id"] != "horizon_quarters")
    old_bounds = {k: float(param[k]) for k in ("value", "low", "high")}
    param["high"] = repr(old_bounds["high"] * 2)
    param["value"] = repr((old_bounds["value"] + old_bounds["high"]) / 2)
    new.write_rows("assumptions.csv", assumptions)
    options = new.rows("options.csv")
    extra = {**options[0], "option_id": "hand-made-option", "name": "A hand-made option"}
    new.write_rows("options.csv", [*options, extra])
    sources = new.rows("sources.csv")
    source = sources[0]
    old_note = source["title"]  # a title is quoted as its source wrote it (never translated)
    source["title"] = old_note + " (checked again)"
    new.write_rows("sources.csv", sources)
    goals = new.rows("goals.csv")
    for g in goals:
        g["reviewer"] = "policy staff"
    new.write_rows("goals.csv", goals)
    d = new.descriptor()
    goals_res = next(r for r in d["resources"] if r["name"] == "goals")
    goals_res["schema"]["fields"].append({"name": "reviewer", "type": "string", "description": "Who reviewed the goal."})
    note_field = next(f for r in d["resources"] if r["name"] == "sources" for f in r["schema"]["fields"] if f["name"] == "note")
    note_field.setdefault("constraints", {})["maxLength"] = 5000
    new.write_descriptor(d)
    new.rehash()
    for folder in (old.path, new.path):
        report = validate_release(folder)
        assert report.valid, [str(p) for p in report.problems[:5]]
    return {
        "root": root,
        "old": load_release(old.path),
        "new": load_release(new.path),
        "hub": hub["hub_id"],
        "before": before,
        "after": float(hub["lat"]),
        "param": param["param_id"],
        "old_bounds": old_bounds,
        "source": source["source_id"],
        "old_note": old_note,
        "new_note": source["title"],
    }


def test_the_hand_made_pair_gives_exactly_its_known_differences(pair):
    diff = diff_releases(pair["old"], pair["new"])
    changed = diff.changed_tables()
    assert set(changed) == {"hubs", "assumptions", "options", "sources", "goals"}
    hubs = changed["hubs"]
    assert hubs.added == () and hubs.removed == () and set(hubs.changed) == {pair["hub"]}
    assert set(hubs.changed[pair["hub"]]) == {"lat"}
    assert hubs.changed[pair["hub"]]["lat"][0] == pytest.approx(pair["before"][0])
    assert hubs.changed[pair["hub"]]["lat"][1] == pytest.approx(pair["after"])
    (moved,) = diff.moved
    expected_km = float(haversine_km(pair["before"][0], pair["before"][1], pair["after"], pair["before"][1]))
    assert moved.hub_id == pair["hub"] and moved.km == pytest.approx(expected_km) and 1.0 < moved.km < 1.2
    (assumption,) = diff.assumptions
    assert assumption.param_id == pair["param"] and assumption.old == pytest.approx(pair["old_bounds"])
    assert assumption.new["high"] == pytest.approx(pair["old_bounds"]["high"] * 2) and assumption.new["low"] == pytest.approx(pair["old_bounds"]["low"])
    assert set(changed["assumptions"].changed) == {pair["param"]} and set(changed["assumptions"].changed[pair["param"]]) == {"value", "high"}
    assert changed["options"].added == ("hand-made-option",) and changed["options"].changed == {}
    assert changed["sources"].changed == {pair["source"]: {"title": (pair["old_note"], pair["new_note"])}}
    assert [(s.field, s.what) for s in changed["sources"].schema] == [("note", "constraints")]
    assert changed["sources"].schema[0].new.get("maxLength") == 5000
    goals = changed["goals"]
    assert [(s.field, s.what) for s in goals.schema] == [("reviewer", "added")] and goals.changed == {} and goals.added == ()
    # the options: the new one only in the new release; the others computed on both
    assert diff.options["hand-made-option"].figures["hubs_at_end"][0] is None
    assert all(o.problem is None for o in diff.options.values())


def test_the_option_figures_follow_the_changed_assumption_and_nothing_else(pair):
    """Only the changed assumption can move an option's figures: with it put back, every figure is the same."""
    diff = diff_releases(pair["old"], pair["new"])
    restored = dataclasses.replace(pair["new"], tables={**pair["new"].tables, "assumptions": pair["old"].table("assumptions")})
    again = diff_releases(pair["old"], restored)
    for option_id, effect in again.options.items():
        if option_id == "hand-made-option":
            continue
        assert effect.changed() == {}, option_id
    assert set(diff.options) == set(again.options)


def test_a_release_compared_with_itself_is_empty():
    release = load_release(NEWEST)
    diff = diff_releases(release, release)
    assert diff.empty and diff.count() == 0 and diff.moved == () and diff.assumptions == ()
    data = diff.to_json()
    assert data["tables"] == {} and data["options"] == {} and data["hubs_moved"] == [] and data["assumptions"] == []
    assert set(data["option_figures"]) == set(release.table("options")["option_id"])
    assert format_diff(diff).endswith("no differences.\n")
    assert diff_frame(diff)["section"].eq("option figure").all()  # only the side-by-side figures, each unchanged
    assert (diff_frame(diff)["difference"].fillna(0) == 0).all()


def test_a_diff_read_backwards_swaps_added_and_removed_and_old_and_new(pair):
    ahead, back = diff_releases(pair["old"], pair["new"], options=False), diff_releases(pair["new"], pair["old"], options=False)
    assert set(ahead.changed_tables()) == set(back.changed_tables())
    for name, t in ahead.changed_tables().items():
        b = back.tables[name]
        assert set(t.added) == set(b.removed) and set(t.removed) == set(b.added)
        assert {k: {f: (n, o) for f, (o, n) in cells.items()} for k, cells in t.changed.items()} == b.changed
    assert [m.km for m in ahead.moved] == pytest.approx([m.km for m in back.moved])


def test_the_command_prints_the_same_diff_as_json(pair):
    code, out, err = _cli("diff", str(pair["old"].path), str(pair["new"].path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["old"] == "8.0.0" and data["new"] == "8.1.0"
    assert data["tables"]["hubs"]["changed"][pair["hub"]]["lat"][1] == pytest.approx(pair["after"])
    assert data["tables"]["options"]["added"] == ["hand-made-option"]
    assert data["tables"]["goals"]["schema"] == [{"field": "reviewer", "change": "added", "old": None, "new": "string"}]
    assert set(data["option_figures"]) >= set(pair["old"].table("options")["option_id"])
    for figures in data["options"].values():  # only figures that changed, each [old, new]
        assert all(f in FIGURES and len(v) == 2 and v[0] != v[1] for f, v in figures.items())
    assert data == json.loads(json.dumps(diff_releases(pair["old"], pair["new"]).to_json()))


def test_the_command_prints_a_readable_diff_and_refuses_what_is_not_a_release(pair, tmp_path):
    code, out, _ = _cli("diff", str(pair["old"].path), str(pair["new"].path))
    assert code == 0
    assert out.startswith("Release 8.0.0 -> 8.1.0") and f"{pair['hub']} (" in out and " km" in out
    assert "options (by option_id): 1 added, 0 removed, 0 changed" in out and "column reviewer: added" in out
    code, out, err = _cli("diff", str(pair["old"].path), str(tmp_path / "nowhere"))
    assert code == 2 and out == "" and "no release" in err
    code, _, err = _cli("diff", str(pair["old"].path))
    assert code == 2


def test_the_csv_of_a_diff_lists_each_change_once_and_reads_back(pair):
    diff = diff_releases(pair["old"], pair["new"])
    frame = diff_frame(diff)
    cells = frame[frame["section"] == "cell changed"]
    assert len(cells) == sum(len(c) for t in diff.changed_tables().values() for c in t.changed.values())
    moved = frame[frame["section"] == "hub moved"]
    assert list(moved["key"]) == [pair["hub"]] and math.isclose(moved["difference"].iloc[0], round(diff.moved[0].km, 3))
    text = frame.to_csv(index=False)
    assert len(list(csv.DictReader(io.StringIO(text)))) == len(frame)


def test_every_published_step_of_the_checkout_diffs_without_a_problem():
    """The current model runs on every release of the checkout: each step's option figures are computed on both sides."""
    from pakcoe import list_releases
    from pakcoe.semver import semver_key

    folders = sorted(list_releases(Path(NEWEST).parent), key=lambda p: semver_key(p.name))
    loaded = [load_release(p) for p in folders]
    for old, new in zip(loaded, loaded[1:], strict=False):
        diff = diff_releases(old, new)
        assert not diff.empty, (old.version, new.version)  # a new release changes something
        assert all(o.problem is None for o in diff.options.values()), (old.version, new.version)
