"""The releases folder is configurable and ordered by semantic version; bad releases do not hide good ones."""

from __future__ import annotations

import pytest
from releasekit import copy_release

from pakcoe import list_releases, newest_valid, releases_root, validate_release
from pakcoe.semver import is_semver, semver_key


def test_env_var_sets_the_releases_root(releases):
    assert releases_root() == releases
    assert list_releases() == []


def test_default_root_is_the_checkout(monkeypatch):
    monkeypatch.delenv("PAKCOE_RELEASES", raising=False)
    assert releases_root().parts[-2:] == ("data", "releases")


def test_releases_are_ordered_by_semantic_version(releases):
    for v in ["1.10.0", "1.2.0", "2.0.0-rc.1", "1.0.0", "2.0.0", "2.0.0-rc.2"]:
        copy_release(releases, v)
    (releases / "notes").mkdir()
    (releases / "3.0.0").mkdir()  # no datapackage.json: not a release
    assert [p.name for p in list_releases()] == ["1.0.0", "1.2.0", "1.10.0", "2.0.0-rc.1", "2.0.0-rc.2", "2.0.0"]


def test_newest_valid_skips_a_broken_newer_release(releases):
    copy_release(releases, "1.0.0")
    broken = copy_release(releases, "1.1.0")
    broken.edit_cell("hubs.csv", "hub_id", "karachi-1", "lat", "x")
    reports = [validate_release(p) for p in list_releases()]
    assert [r.valid for r in reports] == [True, False]
    assert newest_valid(reports).version == "1.0.0"
    assert newest_valid([reports[1]]) is None


@pytest.mark.parametrize("text", ["1.0.0", "0.1.0", "10.20.30", "1.0.0-rc.1", "1.0.0+build.5"])
def test_semver_accepts(text):
    assert is_semver(text)


@pytest.mark.parametrize("text", ["1.0", "v1.0.0", "01.0.0", "1.0.0-", "latest", ""])
def test_semver_rejects(text):
    assert not is_semver(text)
    with pytest.raises(ValueError):
        semver_key(text)
