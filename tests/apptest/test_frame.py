"""The shared frame: release selector (newest valid by default, in the URL), banner, broken-release panel."""

from __future__ import annotations

from apphelp import open_page, texts
from releasekit import copy_release


def test_frame_defaults_to_the_newest_valid_release(real_releases):
    at = open_page()
    assert not at.exception
    sel = at.selectbox(key="release")
    assert sel.options == ["1.1.0", "1.0.0"]
    assert sel.value == "1.1.0"
    assert "Concept proposal" in at.warning[0].value
    assert "not approved, accredited, funded or adopted" in at.warning[0].value


def test_release_comes_from_the_url(real_releases):
    at = open_page(query={"release": "1.0.0"})
    assert not at.exception
    assert at.selectbox(key="release").value == "1.0.0"
    assert "1.0.0" in texts(at)


def test_bad_release_parameter_gives_a_notice_and_the_default(real_releases):
    at = open_page(query={"release": "<script>9.9.9"})
    assert not at.exception
    assert at.selectbox(key="release").value == "1.1.0"
    notice = [i.value for i in at.info if "asked for data release" in i.value]
    assert notice and "\\<script\\>9\\.9\\.9" in notice[0]  # shown literally, escaped for Markdown


def test_broken_newer_release_is_listed_and_the_last_good_one_served(releases):
    copy_release(releases, "1.0.0")
    broken = copy_release(releases, "1.2.0")
    row = broken.edit_cell("hubs.csv", "hub_id", "karachi-4", "lat", "north")
    at = open_page()
    assert not at.exception
    assert at.selectbox(key="release").options == ["1.0.0"]
    panel = [e for e in at.expander if "1.2.0 failed validation" in e.label]
    assert panel and "Showing release 1.0.0" in panel[0].label
    problems = panel[0].dataframe[0].value
    hit = problems[(problems["file"] == "hubs.csv") & (problems["field"] == "lat")]
    assert hit["row"].tolist() == [row] and hit["rule"].tolist() == ["type"] and hit["value"].tolist() == ["north"]
    assert at.title[0].value == "Pak AI CoE"


def test_no_valid_release_at_all_says_so_without_a_traceback(releases):
    broken = copy_release(releases, "1.0.0")
    broken.write_bytes("hubs.csv", b"")
    at = open_page()
    assert not at.exception
    assert any("No valid data release" in e.value for e in at.error)
    assert any("1.0.0 failed validation" in e.label for e in at.expander)
