"""Display texts: every coded value and id of every release reads as words; the release's own table wins over the app's
fallback; a release's labels are checked against its tables; the glossary gives every abbreviation its full name."""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
from releasekit import ROOT, copy_release

from pakcoe import list_releases, load_release, validate_release
from pakcoe.display import LABELS, Texts, check_labels, fallback, humanize, texts

RELEASES = [p for p in list_releases(ROOT / "data" / "releases") if validate_release(p).valid]
SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")


@pytest.fixture(scope="module", params=[p.name for p in RELEASES])
def release(request):
    return load_release(ROOT / "data" / "releases" / request.param)


def test_every_coded_value_of_every_release_has_a_label_of_its_own(release):
    """No value of a labelled field is left to humanize(): a new value gets a real label (release or fallback)."""
    assert texts(release).unlabelled() == []


def test_every_column_of_every_table_has_a_header_in_words(release):
    t = texts(release)
    for name, frame in release.tables.items():
        for column in frame.columns:
            header = t.column(column, name)
            assert header and not SNAKE.fullmatch(header) and header != column, (name, column, header)


def test_an_id_reads_as_the_row_it_names(release):
    t = texts(release)
    hub = release.hubs.iloc[0]
    assert t.value("hub_id", hub["hub_id"]) == hub["name"]
    provinces = release.table("provinces")
    for pid, name in zip(provinces["province_id"], provinces["name"], strict=True):
        assert t.province(pid) == name
    options = release.table("options")
    assert t.value("option_id", options["option_id"].iloc[0]) == options["name"].iloc[0]
    assumptions = release.assumptions
    assert t.value("param_id", assumptions["param_id"].iloc[-1]) == assumptions["name"].iloc[-1]


def test_a_labelled_table_has_no_code_left_in_its_coded_columns(release):
    t = texts(release)
    shown = t.frame(release.hubs, "hubs")
    assert list(shown.columns) == [t.column(c, "hubs") for c in release.hubs.columns]
    for column in ("Host", "Focus areas", "Province or territory", "Hub type", "Status"):
        assert not shown[column].astype(str).str.fullmatch(r"[a-z0-9_;\-]+").any(), column
    names = set(release.hubs["name"])
    assert set(shown["Name"]) == names  # names and prose are left as they are


def test_a_list_of_codes_reads_as_their_labels_joined():
    release = load_release(RELEASES[-1])
    t = texts(release)
    raw = next(v for v in release.hubs["focus_areas"] if ";" in v)
    assert t.value("focus_areas", raw, "hubs") == ", ".join(t.value("focus_areas", p, "hubs") for p in raw.split(";"))


def test_the_releases_own_label_wins_over_the_apps_fallback():
    release = load_release(RELEASES[0])
    own = pd.DataFrame([{"table": "hubs", "field": "host_type", "value": "university_campus", "label_en": "On a university campus"}])
    changed = dataclasses.replace(release, tables={**release.tables, LABELS: own})
    t = Texts(changed)
    assert t.value("host_type", "university_campus", "hubs") == "On a university campus"
    assert t.value("host_type", "industry_park", "hubs") == texts(release).value("host_type", "industry_park", "hubs")  # the rest: fallback


def test_humanize_turns_a_code_no_table_labels_into_words():
    assert humanize("university_campus") == "University campus"
    assert humanize("district-round-2") == "District round 2"


def test_each_glossary_term_has_its_full_name_and_a_definition():
    t = texts(load_release(RELEASES[0]))
    terms = {g.term: g for g in t.glossary()}
    for abbreviation in ("TVET", "NVQF", "PSDP", "ADP", "RACI", "CBT&A", "KP", "AJK", "GB", "ICT"):
        entry = terms[abbreviation]
        assert entry.expansion and entry.definition and entry.expansion != abbreviation
    assert t.first_use("KP") == f"{terms['KP'].expansion} (KP)"
    assert t.first_use("not a term") == "not a term"


def test_the_app_fallback_tables_have_no_duplicate_keys():
    labels = fallback("labels")
    assert not labels.duplicated(["table", "field", "value"]).any()
    assert not fallback("glossary")["term"].duplicated().any()


def test_a_release_label_for_a_value_no_row_holds_or_a_coded_value_without_label_is_a_located_error(tmp_path):
    newest = max((p for p in RELEASES if (p / "labels.csv").exists()), key=lambda p: [int(x) for x in p.name.split(".")])
    draft = copy_release(tmp_path, newest.name, newest, draft=True)
    rows = draft.rows("labels.csv")
    i = next(i for i, r in enumerate(rows) if r["table"] == "hubs" and r["field"] == "host_type" and r["value"])
    dropped = rows[i]["value"]
    rows[i] = {**rows[i], "value": "moon_base"}
    draft.write_rows("labels.csv", rows)
    report = validate_release(draft.path)
    found = [(p.file, p.rule, p.row, p.field, p.value) for p in report.problems]
    assert ("labels.csv", "label-value", i + 2, "value", "moon_base") in found
    assert ("labels.csv", "label-missing", None, "value", dropped) in found
    assert not report.valid


def test_a_release_without_labels_has_nothing_to_check():
    release = load_release(RELEASES[0])
    assert LABELS in release.tables or check_labels(release) == []
