"""Links pinned to a release (issue 19): ?release=X stays in the address (the newest too), an older release's one
notice counts what the newest changed on the page (pakcoe.diff over the page's registry tables) and links to the same
view in the newest and to the diff, and a link to a missing, broken or draft release offers the newest."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from apphelp import ROOT, open_first, open_page
from releasekit import copy_release

from pakcoe import i18n, list_releases, load_release, registry, validate_release
from pakcoe.diff import diff_releases
from pakcoe.semver import semver_key

LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")  # a Markdown link: [label](target)


def published(root) -> list[str]:
    """The valid published releases of a releases folder, newest first (computed, never assumed)."""
    reports = [validate_release(p) for p in list_releases(root)]
    return sorted((r.version for r in reports if r.valid and r.published), key=semver_key, reverse=True)


def older_notice(at) -> str:
    """The frame's one older-release notice of the run (fails unless there is exactly one)."""
    found = [w.value for w in at.warning if w.value.startswith(("**You are viewing release", "**آپ ریلیز"))]
    assert len(found) == 1, [w.value for w in at.warning]
    return found[0]


def links(text: str) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """label -> (path, query) of every Markdown link in `text` (the label with its Markdown escapes removed)."""
    out = {}
    for label, target in LINK.findall(text):
        parts = urlsplit(target)
        out[label.replace("\\", "")] = (parts.path, parse_qs(parts.query, keep_blank_values=True))
    return out


def address(at) -> dict[str, list[str]]:
    """The address's parameters after the run, each as a list of values."""
    return {k: list(v) if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def changed_phrase(n: int, newest: str) -> str:
    if n == 0:
        return f"Release {newest} changed nothing this page draws on."
    return f"Release {newest} changed {i18n.num(n, lang='en')} {'thing' if n == 1 else 'things'} this page draws on."


@pytest.fixture(scope="module")
def real_pair():
    """(the oldest, the newest) valid published release of the checkout's data/releases, and their table diff."""
    versions = published(ROOT / "data" / "releases")
    assert len(versions) >= 2
    newest, oldest = versions[0], versions[-1]
    root = ROOT / "data" / "releases"
    return oldest, newest, diff_releases(load_release(root / oldest), load_release(root / newest), options=False)


@pytest.mark.parametrize("page", ["map", "phases", "data"])
def test_an_older_release_says_how_many_things_the_newest_changed_on_this_page(real_releases, real_pair, page):
    oldest, newest, diff = real_pair
    spec = registry.page(page)
    n = diff.count(None if spec.every_table else spec.tables)  # computed here, from the page's registry tables
    at = open_first(page, {"release": oldest})
    assert not at.exception
    summary = older_notice(at)
    created = str(load_release(real_releases / oldest).descriptor.get("created", ""))
    head = f"**You are viewing release {oldest}**" + (f" ({i18n.date(created, 'en')})." if created else ".")
    assert summary.replace("\\", "").startswith(head), summary  # the date's Markdown escapes removed
    assert changed_phrase(n, newest) in summary, (page, n, summary)
    found = links(summary)
    same_path, same_query = found[f"Open this view in release {newest}"]
    assert same_path == "" and same_query == {**address(at), "release": [newest]}  # this page, its parameters, release=Y
    diff_path, diff_query = found[f"What changed from release {oldest} to {newest}"]
    assert diff_path == registry.page("data").url_path and diff_query == {"release": [newest], "old": [oldest], "new": [newest]}
    assert at.query_params["release"] == oldest


def test_the_count_is_per_page(real_pair):
    """The pages tested above draw on different tables, so their counts are each their own (not one release total)."""
    _, _, diff = real_pair
    counts = {p: diff.count(registry.page(p).tables) for p in ("map", "phases")}
    assert registry.page("map").tables != registry.page("phases").tables
    assert diff.count(None) >= max(counts.values())
    assert len(set(counts.values()) | {diff.count(None)}) > 1, counts  # a count that ignored the page would pass all three


def test_the_same_view_link_follows_the_pages_controls(real_releases, real_pair):
    oldest, newest, _ = real_pair
    at = open_first("phases", {"release": oldest})
    options = registry.allowed_values(load_release(real_releases / oldest), registry.page("phases").param("option"))
    other = next(o for o in options if o != at.button_group(key="option").value)
    at.button_group(key="option").set_value(other).run()
    assert not at.exception
    chosen = at.query_params["option"]
    _, query = links(older_notice(at))[f"Open this view in release {newest}"]
    assert query["option"] == [chosen] and query["release"] == [newest]  # the view shown now, not the one opened


def test_a_pinned_newest_release_stays_in_the_address_and_has_no_older_notice(real_releases):
    newest = published(real_releases)[0]
    at = open_first("phases", {"release": newest})
    assert not at.exception
    assert at.radio(key="release").value == newest and at.query_params["release"] == newest
    assert not [w.value for w in at.warning if "You are viewing release" in w.value]
    at.switch_page(str(ROOT / "pages" / "compare.py")).run()  # a page change keeps it
    assert not at.exception and at.query_params["release"] == newest
    at.run()  # a rerun too
    assert at.query_params["release"] == newest


def test_without_a_release_in_the_link_the_address_stays_clean_until_one_is_picked(real_releases):
    versions = published(real_releases)
    at = open_page("phases")
    assert not at.exception and "release" not in at.query_params
    assert at.radio(key="release").value == versions[0]
    at.switch_page(str(ROOT / "pages" / "data.py")).run()
    assert "release" not in at.query_params  # follows the newest
    at.radio(key="release").set_value(versions[-1]).run()  # picked in the selector: pinned
    assert not at.exception and at.query_params["release"] == versions[-1]
    at.radio(key="release").set_value(versions[0]).run()  # back to the newest: still pinned, still in the address
    assert not at.exception and at.query_params["release"] == versions[0]
    at.switch_page(str(ROOT / "pages" / "phases.py")).run()
    assert at.query_params["release"] == versions[0] and at.radio(key="release").value == versions[0]


def test_an_address_naming_another_release_is_followed_unless_one_was_just_picked(real_releases):
    """History navigation brings back an address with the release it had: the page follows it."""
    versions = published(real_releases)
    at = open_first("phases", {"release": versions[0]})
    at.query_params["release"] = versions[-1]  # as the browser's back button restores an earlier address
    at.run()
    assert not at.exception and at.radio(key="release").value == versions[-1] and at.query_params["release"] == versions[-1]
    at.radio(key="release").set_value(versions[0]).run()  # a pick wins over the address it was made on
    assert at.radio(key="release").value == versions[0] and at.query_params["release"] == versions[0]


@pytest.mark.parametrize("asked", ["9.9.9", "broken"])
def test_a_link_to_a_missing_or_broken_release_says_so_and_offers_the_newest(releases, asked):
    copy_release(releases, "1.0.0")
    copy_release(releases, "1.1.0", ROOT / "data" / "releases" / "1.1.0")
    broken = copy_release(releases, "1.2.0")
    broken.edit_cell("hubs.csv", "hub_id", "karachi-4", "lat", "north")
    newest = published(releases)[0]
    version = "1.2.0" if asked == "broken" else asked
    at = open_first("phases", {"release": version})
    assert not at.exception
    [notice] = [i.value for i in at.info if "asked for data release" in i.value]
    assert "not a valid published release here" in notice and f"showing release {newest}" in notice
    path, query = links(notice)[f"Open this view in release {newest}"]
    assert path == "" and query == {"release": [newest]}
    assert "release" not in at.query_params  # the bad value left the address; the page shows the newest
    assert at.radio(key="release").value == newest


def test_a_draft_link_opens_the_draft_with_a_link_to_the_newest(releases):
    copy_release(releases, "1.0.0")
    copy_release(releases, "1.1.0", ROOT / "data" / "releases" / "1.1.0", draft=True)
    newest = published(releases)[0]
    at = open_first("phases", {"release": "1.1.0"})
    assert not at.exception
    [notice] = [w.value for w in at.warning if w.value.startswith("**Draft release 1.1.0.**")]
    path, query = links(notice)[f"Open this view in release {newest}"]
    assert path == "" and query == {**address(at), "release": [newest]}
    assert at.query_params["release"] == "1.1.0"


def test_the_older_release_notice_in_urdu(real_releases, real_pair, urdu_thread):
    oldest, newest, diff = real_pair
    n = diff.count(registry.page("phases").tables)
    at = open_first("phases", {"release": oldest, "lang": "ur"})
    assert not at.exception
    summary = older_notice(at)
    assert summary.startswith(f"**آپ ریلیز {oldest} دیکھ رہے ہیں**")
    if n:
        assert f"{i18n.num(n, lang='ur')} {'چیز بدلی ہے' if n == 1 else 'چیزیں بدلی ہیں'}" in summary
    found = links(summary)
    assert set(found) == {f"یہی منظر ریلیز {newest} میں کھولیں", f"ریلیز {oldest} سے {newest} تک کیا بدلا"}
    _, same = found[f"یہی منظر ریلیز {newest} میں کھولیں"]
    _, to_diff = found[f"ریلیز {oldest} سے {newest} تک کیا بدلا"]
    assert same["lang"] == ["ur"] and to_diff == {"release": [newest], "old": [oldest], "new": [newest], "lang": ["ur"]}
    words = re.findall(r"[A-Za-z]+", LINK.sub(lambda m: m.group(1), summary))  # the links' addresses are not words on screen
    assert words == [], words
    details = [e for e in at.expander if e.label.startswith(f"ڈیٹا ریلیز {oldest}")]
    for e in details:  # what the release lacks, in Urdu (kept from before)
        assert i18n.arabic_share(e.label) >= 0.5 and all(i18n.arabic_share(m.value) >= 0.5 for m in e.markdown)
