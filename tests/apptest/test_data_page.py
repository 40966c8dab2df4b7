"""Data page: metadata, table browser (URL-bound), validation report, sources, changelog, zip download."""

from __future__ import annotations

import re

from apphelp import folds_opened, open_page, texts
from releasekit import copy_release


def test_data_page_lists_metadata_and_the_chosen_table(pinned_releases):
    at = open_page("data", query={"table": "gaps"})
    assert not at.exception
    assert at.title[0].value == "Data"
    assert {m.label: m.value for m in at.metric}["Release"] == "1.1.0"
    assert at.selectbox(key="table").value == "gaps"
    assert len(at.dataframe[0].value) == 6
    assert "Changelog of every release (detailed: names rows by their ids)" in [e.label for e in at.expander]
    body = texts(folds_opened(at))  # the changelog is a fold: built once opened (components/folds.py)
    assert "## 1.1.0" in body or "1.1.0 (2026-11-26)" in body


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
    status = next(f for f in frames if "Status" in f.columns and "Release" in f.columns)
    assert status.set_index("Release").at["1.1.0", "Status"].startswith("INVALID")
    problems = next(f for f in frames if "Rule" in f.columns and "Message" in f.columns)
    hit = problems[(problems["File"] == "gaps.csv") & (problems["Rule"] == "enum")]
    assert int(hit["Row"].iloc[0]) == row and hit["Field"].iloc[0] == "response_pillar"


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
    status = next(d.value for d in at.dataframe if "Publication" in d.value.columns).set_index("Release")
    assert status.at["1.0.0", "Publication"] == "Published"
    assert status.at["1.1.0", "Publication"].startswith("Draft") and status.at["1.1.0", "Status"] == "Valid"


def test_every_table_downloads_as_csv_under_a_metadata_header_that_reads_back(real_releases):
    import io

    import pandas as pd

    from components.datapage import table_csv
    from pakcoe import load_release

    at = open_page("data")
    assert not at.exception
    release = load_release(real_releases / at.session_state["release"])
    assert any(b.label.startswith("Download “") for b in at.get("download_button") if hasattr(b, "label"))
    for name in release.tables:
        text = table_csv(release, name)
        head = [line for line in text.splitlines() if line.startswith("#")]
        assert any("concept" in line.lower() for line in head) and any(release.version in line for line in head), name
        back = pd.read_csv(io.StringIO(text), comment="#", dtype=str, keep_default_na=False)
        table = release.table(name)
        assert list(back.columns) == list(table.columns), name  # machine column ids kept
        assert len(back) == len(table), name


def test_the_table_picker_and_notes_name_tables_by_title(pinned_releases):
    at = open_page("data", query={"table": "programme_offers"})
    assert not at.exception
    picker = at.selectbox(key="table")
    assert picker.value == "programme_offers"
    assert "Programmes by hub type" in picker.options  # the picker shows titles
    changelog = next(e for e in at.expander if e.label.startswith("Changelog"))  # the maintainers' record, folded
    kept = {m.value for m in changelog.markdown}
    body = "\n".join(str(e.value) for kind in ("markdown", "caption", "header") for e in getattr(at.main, kind) if e.value not in kept)
    assert "Programmes by hub type" in body
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b|\.csv\b|primary key", body.replace("\\", ""))
