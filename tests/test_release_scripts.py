"""scripts/new_release.py and scripts/publish_release.py on a temporary copy of data/ (never the checkout's).

The scripts run in the test process (their main(argv)); one test runs each of them for real."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from commands import Ran, in_process, real, script
from releasekit import ROOT, DraftRelease, copy_release

from pakcoe import list_releases, newest_valid, read_published, validate_release
from pakcoe.release import PUBLISHED, sha256_of

CHANGELOG_INTRO = "# Data releases: changelog\n\nA published release is never edited. Newest first.\n\n"
NEW_RELEASE, PUBLISH_RELEASE, BUILD_RELEASE = (script(name) for name in ("new_release", "publish_release", "build_release"))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A temporary data/ folder: releases/ with published copies of 1.0.0 and 1.1.0, and a CHANGELOG with their entries."""
    root = tmp_path / "data" / "releases"
    root.mkdir(parents=True)
    for version in ("1.0.0", "1.1.0"):
        copy_release(root, version, ROOT / "data" / "releases" / version)
    (tmp_path / "data" / "CHANGELOG.md").write_text(
        CHANGELOG_INTRO + "## 1.1.0 (2026-11-26)\n\nNarrative.\n\n## 1.0.0 (2026-11-26)\n\nFirst.\n", encoding="utf-8"
    )
    return tmp_path / "data"


def new(data: Path, *args: str, for_real: bool = False) -> Ran | subprocess.CompletedProcess:
    """scripts/new_release.py ARGS on the temporary data/ (for_real: as its own process, from the command line)."""
    argv = [*args, "--root", str(data / "releases"), "--changelog", str(data / "CHANGELOG.md")]
    return real(str(ROOT / "scripts" / "new_release.py"), *argv) if for_real else in_process(NEW_RELEASE.main, argv)


def publish(data: Path, version: str, for_real: bool = False) -> Ran | subprocess.CompletedProcess:
    """scripts/publish_release.py VERSION on the temporary data/ (for_real: as its own process, from the command line)."""
    argv = [version, "--root", str(data / "releases"), "--changelog", str(data / "CHANGELOG.md")]
    return real(str(ROOT / "scripts" / "publish_release.py"), *argv) if for_real else in_process(PUBLISH_RELEASE.main, argv)


def write_entry(data: Path, version: str, text: str = "Changed the gaps, because.") -> None:
    log = data / "CHANGELOG.md"
    log.write_text(log.read_text().replace("To be written before publishing: what changed in this release, and why.", text), encoding="utf-8")


def test_new_release_copies_the_newest_published_one_as_a_valid_draft(data):
    out = new(data, for_real=True)
    assert out.returncode == 0, out.stderr
    assert "draft release 1.2.0, copied from published release 1.1.0, rebuilt and valid" in out.stdout
    made = data / "releases" / "1.2.0"
    descriptor = json.loads((made / "datapackage.json").read_text())
    assert descriptor["version"] == "1.2.0" and descriptor["created"].startswith(date.today().isoformat()[:4])
    assert descriptor["created"] != json.loads((data / "releases" / "1.1.0" / "datapackage.json").read_text())["created"]
    for f in (ROOT / "data" / "releases" / "1.1.0").iterdir():
        if f.name != "datapackage.json":
            assert (made / f.name).read_bytes() == f.read_bytes(), f.name  # the rebuild changes no derived file
    report = validate_release(made)
    assert report.valid and report.status == "draft"
    reports = [validate_release(p) for p in list_releases(data / "releases")]
    assert newest_valid(reports).version == "1.1.0"  # the draft is not the default
    assert "1.2.0" not in read_published(data / "releases")
    log = (data / "CHANGELOG.md").read_text()
    assert log.startswith(CHANGELOG_INTRO + "## 1.2.0 (draft)\n\n")
    assert log.index("## 1.2.0 (draft)") < log.index("## 1.1.0 (2026-11-26)")


@pytest.mark.parametrize(("args", "version"), [(("--patch",), "1.1.1"), (("--major",), "2.0.0"), (("--minor",), "1.2.0"), (("1.5.0",), "1.5.0")])
def test_new_release_version_choices(data, args, version):
    out = new(data, *args)
    assert out.returncode == 0, out.stderr
    assert json.loads((data / "releases" / version / "datapackage.json").read_text())["version"] == version


def test_new_release_starts_from_the_newest_published_release_not_a_newer_draft(data):
    copy_release(data / "releases", "1.5.0", draft=True)  # a draft made from 1.0.0's content
    out = new(data, "1.6.0")
    assert out.returncode == 0, out.stderr
    names = {r["name"] for r in json.loads((data / "releases" / "1.6.0" / "datapackage.json").read_text())["resources"]}
    assert "hub_users" in names  # 1.1.0's tables, not the draft's


def test_new_release_refuses_an_existing_target_and_writes_nothing(data):
    assert new(data).returncode == 0
    log = (data / "CHANGELOG.md").read_text()
    descriptor = (data / "releases" / "1.2.0" / "datapackage.json").read_bytes()
    out = new(data, "--minor")
    assert out.returncode == 2 and "already exists" in out.stderr
    assert (data / "CHANGELOG.md").read_text() == log and (data / "releases" / "1.2.0" / "datapackage.json").read_bytes() == descriptor
    assert new(data, "1.1.0").returncode == 2 and new(data, "not-a-version").returncode == 2


def test_publish_dates_the_entry_and_pins_the_descriptor(data):
    assert new(data).returncode == 0
    out = publish(data, "1.2.0")
    assert out.returncode == 2 and "still the stub" in out.stderr  # nothing said about the release yet
    assert "1.2.0" not in read_published(data / "releases")
    write_entry(data, "1.2.0")
    out = publish(data, "1.2.0", for_real=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("published release 1.2.0: sha256:")
    made = data / "releases" / "1.2.0"
    assert read_published(data / "releases")["1.2.0"] == sha256_of((made / "datapackage.json").read_bytes())
    assert f"## 1.2.0 ({date.today().isoformat()})\n\nChanged the gaps, because." in (data / "CHANGELOG.md").read_text()
    reports = [validate_release(p) for p in list_releases(data / "releases")]
    assert newest_valid(reports).version == "1.2.0" and validate_release(made).status == "published"
    listed = json.loads((data / "releases" / PUBLISHED).read_text())["published"]
    assert list(listed) == ["1.0.0", "1.1.0", "1.2.0"]


def test_publish_refuses_to_publish_twice(data):
    assert new(data).returncode == 0
    write_entry(data, "1.2.0")
    assert publish(data, "1.2.0").returncode == 0
    before = (data / "releases" / PUBLISHED).read_bytes()
    out = publish(data, "1.2.0")
    assert out.returncode == 2 and "already published" in out.stderr
    assert (data / "releases" / PUBLISHED).read_bytes() == before
    assert publish(data, "1.1.0").returncode == 2


def test_publish_refuses_an_invalid_release_or_one_without_an_entry(data):
    assert new(data).returncode == 0
    write_entry(data, "1.2.0")
    csv = data / "releases" / "1.2.0" / "gaps.csv"
    original = csv.read_bytes()
    csv.write_bytes(original.replace(b"G2", b"G9", 1))  # hash no longer matches
    out = publish(data, "1.2.0")
    assert out.returncode == 2 and "does not validate" in out.stderr and "[hash]" in out.stderr
    csv.write_bytes(original)
    log = data / "CHANGELOG.md"
    log.write_text(log.read_text().replace("## 1.2.0 (draft)", "## Next"))
    out = publish(data, "1.2.0")
    assert out.returncode == 2 and "no '## 1.2.0' entry" in out.stderr
    assert "1.2.0" not in read_published(data / "releases")


def test_a_published_release_then_edited_and_rebuilt_is_invalid(data):
    assert new(data).returncode == 0
    write_entry(data, "1.2.0")
    assert publish(data, "1.2.0").returncode == 0
    made = DraftRelease(data / "releases" / "1.2.0")
    made.edit_cell("gaps.csv", "gap_id", "G2", "title", "Edited after publication", rehash=False)
    assert in_process(BUILD_RELEASE.main, [str(made.path)]).returncode == 0  # every hash rebuilt (tests/test_release_1_0_0.py runs the script for real)
    report = validate_release(made.path)
    assert [(p.file, p.rule) for p in report.problems] == [("datapackage.json", "published-immutable")]
