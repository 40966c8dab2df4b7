"""Data page: metadata, table browser (URL-bound), validation report, sources, changelog, zip download."""

from __future__ import annotations

from apphelp import open_page, texts
from releasekit import copy_release


def test_data_page_lists_metadata_and_the_chosen_table(pinned_releases):
    at = open_page("data", query={"table": "gaps"})
    assert not at.exception
    assert at.title[0].value == "Data"
    assert {m.label: m.value for m in at.metric}["Release"] == "1.1.0"
    assert at.selectbox(key="table").value == "gaps"
    assert len(at.dataframe[0].value) == 6
    assert "## 1.1.0" in texts(at) or "1.1.0 (2026-11-26)" in texts(at)


def test_choosing_another_table_shows_it(pinned_releases):
    at = open_page("data")
    at.selectbox(key="table").set_value("assumptions").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 23
    assert "param_id" in at.dataframe[0].value.columns


def test_bad_table_parameter_falls_back_to_hubs(pinned_releases):
    at = open_page("data", query={"table": "nope"})
    assert not at.exception
    assert at.selectbox(key="table").value == "hubs"
    assert len(at.dataframe[0].value) == 100


def test_validation_report_lists_problems_per_row_of_a_broken_release(releases):
    copy_release(releases, "1.0.0")
    broken = copy_release(releases, "1.1.0")
    row = broken.edit_cell("gaps.csv", "gap_id", "G2", "response_pillar", "magic")
    at = open_page("data")
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    status = next(f for f in frames if "status" in f.columns and "release" in f.columns)
    assert status.set_index("release").at["1.1.0", "status"].startswith("INVALID")
    problems = next(f for f in frames if "rule" in f.columns and "message" in f.columns)
    hit = problems[(problems["file"] == "gaps.csv") & (problems["rule"] == "enum")]
    assert int(hit["row"].iloc[0]) == row and hit["field"].iloc[0] == "response_pillar"


def test_zip_download_holds_the_release(pinned_releases):
    import io
    import zipfile

    from components.cached import release_zip

    data = release_zip("1.1.0")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "pak-ai-coe-1.1.0/datapackage.json" in names and "pak-ai-coe-1.1.0/hubs.csv" in names
    at = open_page("data")
    assert at.get("download_button")


def test_validation_report_says_which_releases_are_published_and_which_are_drafts(releases):
    copy_release(releases, "1.0.0")
    copy_release(releases, "1.1.0", draft=True)
    at = open_page("data")
    assert not at.exception
    status = next(d.value for d in at.dataframe if "publication" in d.value.columns).set_index("release")
    assert status.at["1.0.0", "publication"] == "published"
    assert status.at["1.1.0", "publication"].startswith("draft") and status.at["1.1.0", "status"] == "valid"
