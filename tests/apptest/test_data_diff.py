"""The Data page's "What changed between releases" section (issue 19): the previous and the newest published release by
default, any two by link (`old`, `new`), each figure computed here from pakcoe.diff, the CSV, Urdu."""

from __future__ import annotations

import io

import pandas as pd
from apphelp import folds_opened, open_first, texts
from releasekit import copy_release
from urdu import english_leaks

from pakcoe import i18n, list_releases, load_release, read_published
from pakcoe.diff import diff_frame, diff_releases
from pakcoe.semver import semver_key


def _published(root) -> list[str]:
    return sorted(read_published(root), key=semver_key)


def _summary(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith(("**From release", "**ریلیز")))


def test_by_default_it_compares_the_previous_and_the_newest_published_release(real_releases):
    old, new = _published(real_releases)[-2:]
    at = open_first("data")
    assert not at.exception
    assert at.selectbox(key="old").value == old and at.selectbox(key="new").value == new
    diff = diff_releases(load_release(real_releases / old), load_release(real_releases / new))
    summary = _summary(at)
    assert f"From release {old} to release {new}: {diff.count():,} changes in {len(diff.changed_tables())} tables" in summary
    assert f"{len(diff.moved)} hubs moved" in summary or (len(diff.moved) == 1 and "1 hub moved" in summary)
    # the option figures side by side: one row per option and figure, each option's name as the newer release gives it
    table = next(df.value for df in at.dataframe if "Option" in df.value.columns and "Difference" in df.value.columns)
    assert len(table) == len(diff.options) * 8
    names = set(load_release(real_releases / new).table("options")["name"])
    assert names <= set(table["Option"])
    # one expander per changed table, with its count
    labels = [e.label for e in at.expander]
    for d in diff.changed_tables().values():
        assert any(label.endswith(f": {d.count:,} changes" if d.count != 1 else ": 1 change") for label in labels), d.name


def test_a_link_names_the_two_releases_and_the_same_one_twice_says_so(real_releases):
    versions = [p.name for p in list_releases(real_releases)]
    first, last = min(versions, key=semver_key), max(versions, key=semver_key)
    at = open_first("data", {"old": first, "new": last})
    assert not at.exception and at.selectbox(key="old").value == first and at.selectbox(key="new").value == last
    assert str(at.query_params["old"]) in (first, str([first]))  # kept in the address (the newest, the default, is not written)
    assert f"From release {first} to release {last}" in _summary(at)
    at = open_first("data", {"old": last, "new": last})
    assert not at.exception and any("Pick two different releases" in i.value for i in at.info)


def test_a_hand_made_change_is_listed_cell_by_cell_and_in_the_csv(releases):
    copy_release(releases, "1.0.0")
    newer = copy_release(releases, "1.0.1", draft=True)
    newer.edit_cell("gaps.csv", "gap_id", "G2", "title", "A gap retitled by hand")
    newer.publish()
    at = open_first("data", {"table": "gaps"})
    assert not at.exception
    assert at.selectbox(key="old").value == "1.0.0" and at.selectbox(key="new").value == "1.0.1"
    assert "From release 1.0.0 to release 1.0.1: 1 change in 1 table.** 0 hubs moved; 0 assumptions changed" in _summary(at)
    assert not [df for df in at.dataframe if {"Before", "After", "Row"} <= set(df.value.columns)]  # each table's changes: a fold
    at = folds_opened(at)
    rows = next(df.value for df in at.dataframe if {"Before", "After", "Row"} <= set(df.value.columns))
    hit = rows[rows["After"] == "A gap retitled by hand"]
    assert len(hit) == 1 and hit["Change"].iloc[0] == "changed" and "G2" in hit["Row"].iloc[0]
    button = next(b for b in at.get("download_button") if "changes" in str(b.proto.label).lower())
    assert button is not None
    # the CSV the button offers: the # header, then every change; read back as the help says
    from components import exports
    from components.diffview import provenance

    old_r, new_r = load_release(releases / "1.0.0"), load_release(releases / "1.0.1")
    diff = diff_releases(old_r, new_r)
    text = exports.table_csv(diff_frame(diff), provenance(new_r, "what changed"))
    back = pd.read_csv(io.StringIO(text), comment="#")
    assert list(back.columns) == list(diff_frame(diff).columns)
    cell = back[back["section"] == "cell changed"]
    assert list(cell["key"]) == ["G2"] and list(cell["new"]) == ["A gap retitled by hand"]


def test_a_broken_release_cannot_be_compared_and_says_why(releases):
    copy_release(releases, "1.0.0")
    broken = copy_release(releases, "1.1.0")
    broken.edit_cell("gaps.csv", "gap_id", "G2", "response_pillar", "magic")
    at = open_first("data", {"old": "1.0.0", "new": "1.1.0"})
    assert not at.exception
    assert any("Release 1.1.0 failed validation, so it cannot be compared" in w.value for w in at.warning)


def test_the_section_in_urdu(real_releases):
    i18n.set_current("ur")
    try:
        at = open_first("data", {"lang": "ur"})
        assert not at.exception
        section = [m for m in at.markdown if m.value.startswith("**ریلیز")]
        assert section, "the Urdu summary"
        old, new = _published(real_releases)[-2:]
        assert f"ریلیز {old} سے ریلیز {new} تک" in section[0].value
        leaks = [x for x in english_leaks(at) if "changes" in x or "release" in x.lower() and "Release" in x]
        assert leaks == []
        assert "Pick two data releases" not in texts(at)
    finally:
        i18n.set_current("en")
