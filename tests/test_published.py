"""Published releases cannot change: published.json pins each one's descriptor; anything not listed is a draft, never the default."""

from __future__ import annotations

import json

import pytest
from commands import Ran, in_process
from releasekit import ROOT, copy_release

from pakcoe import cli, list_releases, newest_valid, read_published, record_published, validate_release
from pakcoe.release import PUBLISHED, sha256_of
from pakcoe.semver import is_semver

RELEASES = ROOT / "data" / "releases"


def reports():
    return [validate_release(p) for p in list_releases()]


def test_committed_list_pins_the_committed_descriptors():
    listed = read_published(RELEASES)
    for version in ("1.0.0", "1.1.0"):
        assert listed[version] == sha256_of((RELEASES / version / "datapackage.json").read_bytes()), version
    for version in listed:
        assert (RELEASES / version / "datapackage.json").is_file(), f"published.json lists {version}, which is not in data/releases"
    data = json.loads((RELEASES / PUBLISHED).read_text(encoding="utf-8"))
    assert set(data) == {"description", "published"} and "draft" in data["description"]


def test_every_committed_published_release_validates_as_published():
    listed = read_published(RELEASES)
    for version in listed:
        report = validate_release(RELEASES / version)
        assert report.valid and report.status == "published", [str(p) for p in report.problems]


def test_a_published_release_edited_and_rehashed_is_invalid(releases):
    release = copy_release(releases, "1.0.0")
    listed = read_published(releases)["1.0.0"]
    assert validate_release(release.path).valid
    release.edit_cell("gaps.csv", "gap_id", "G2", "title", "A quietly changed title")  # rehashes every file, as a rebuild does
    report = validate_release(release.path)
    assert not report.valid and report.status == "published"
    [problem] = report.problems  # every file matches its own hash again: only the published list catches the edit
    assert (problem.file, problem.rule, problem.row, problem.field) == ("datapackage.json", "published-immutable", None, None)
    assert problem.message == f"release 1.0.0 was published with descriptor {listed}; it has been edited — make a new release instead"
    assert problem.value == sha256_of(release.descriptor_path.read_bytes())


def test_a_draft_validates_and_is_never_the_default(releases):
    copy_release(releases, "1.0.0")
    copy_release(releases, "1.1.0", draft=True)
    found = reports()
    assert [(r.version, r.valid, r.status) for r in found] == [("1.0.0", True, "published"), ("1.1.0", True, "draft")]
    assert newest_valid(found).version == "1.0.0"
    assert newest_valid(found, drafts=True).version == "1.1.0"


def test_only_drafts_means_no_default(releases):
    copy_release(releases, "1.0.0", draft=True)
    assert not (releases / PUBLISHED).exists()
    found = reports()
    assert found[0].valid and found[0].status == "draft"
    assert newest_valid(found) is None


def test_the_newest_published_release_wins_over_older_ones_and_newer_drafts(releases):
    for version in ("1.0.0", "1.2.0", "1.10.0"):
        copy_release(releases, version)
    copy_release(releases, "2.0.0", draft=True)
    assert newest_valid(reports()).version == "1.10.0"
    assert list(read_published(releases)) == ["1.0.0", "1.2.0", "1.10.0"]  # kept in semantic-version order


def test_publishing_records_the_descriptor_hash_and_refuses_a_second_time(releases):
    draft = copy_release(releases, "1.0.0", draft=True)
    draft.edit_cell("gaps.csv", "gap_id", "G2", "title", "Changed before publication")
    digest = draft.publish()
    assert digest == sha256_of(draft.descriptor_path.read_bytes()) == read_published(releases)["1.0.0"]
    assert validate_release(draft.path).status == "published" and validate_release(draft.path).valid
    with pytest.raises(ValueError, match="already published"):
        record_published(releases, "1.0.0")


def test_a_listed_release_that_is_missing_is_not_invented(releases):
    copy_release(releases, "1.0.0")
    data = json.loads((releases / PUBLISHED).read_text())
    data["published"]["1.1.0"] = "sha256:" + "0" * 64
    (releases / PUBLISHED).write_text(json.dumps(data))
    assert [r.version for r in reports()] == ["1.0.0"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'["1.0.0"]', b'{"published": {"1.0.0": "md5:abc"}}', b'{"published": {"latest": "sha256:' + b"0" * 64 + b'"}}'],
    ids=["not-json", "not-an-object", "bad-hash", "not-semver"],
)
def test_an_unreadable_published_list_makes_every_release_invalid_and_says_why(releases, content):
    release = copy_release(releases, "1.0.0")
    (releases / PUBLISHED).write_bytes(content)
    report = validate_release(release.path)
    assert not report.valid
    assert [(p.file, p.rule) for p in report.problems] == [("../published.json", "published-list")]


def test_a_folder_outside_any_root_reads_the_list_in_its_parent(tmp_path):
    outside = tmp_path / "elsewhere"  # not $PAKCOE_RELEASES, not data/releases
    outside.mkdir()
    lone = copy_release(outside, "1.0.0", draft=True)
    assert validate_release(lone.path).status == "draft" and validate_release(lone.path).valid
    lone.publish()
    assert (lone.path.parent / PUBLISHED).is_file()
    assert validate_release(lone.path).status == "published"


def test_the_published_list_is_not_a_release(releases):
    copy_release(releases, "1.0.0")
    assert (releases / PUBLISHED).is_file()
    assert [p.name for p in list_releases()] == ["1.0.0"]
    assert all(is_semver(v) for v in read_published(releases))


def run_cli(*args: str) -> Ran:
    """`python -m pakcoe ARGS...` in this process (tests/test_cli.py runs the real command once)."""
    return in_process(cli.main, args)


def test_cli_says_published_or_draft_and_a_valid_draft_exits_0(releases):
    copy_release(releases, "1.0.0")
    draft = copy_release(releases, "1.1.0", draft=True)
    out = run_cli("validate", str(releases / "1.0.0"))
    assert out.returncode == 0 and "valid; published" in out.stderr
    out = run_cli("validate", str(draft.path))
    assert out.returncode == 0 and out.stdout == "" and "valid; draft" in out.stderr
    edited = copy_release(releases, "1.2.0")
    edited.edit_cell("gaps.csv", "gap_id", "G2", "title", "Edited after publication")
    out = run_cli("validate", str(edited.path))
    assert out.returncode == 1 and "[published-immutable]" in out.stdout and "INVALID" in out.stderr
