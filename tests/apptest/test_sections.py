"""The "On this page" section picker of the long pages: a link's section seeds it and stays in the URL, the default
leaves the URL clean, the picker offers exactly the sections the page draws (each header carries its id as anchor),
and a scroll script is sent only when the section is chosen or opened from a link."""

from __future__ import annotations

import re

import pytest
from apphelp import ROOT, open_clean
from streamlit.testing.v1 import AppTest

from components.escape import escape_md
from components.sections import drawn as drawn_on
from pakcoe import load_release, registry
from pakcoe.registry import SECTION_PARAM, SECTIONS
from pakcoe.release import read_published
from pakcoe.semver import semver_key

PAGES = ("overview", "compare", "funding", "partners", "methodology")
TARGET = re.compile(r'const target = "([^"]*)"')

_published = sorted(read_published(ROOT / "data" / "releases"), key=semver_key)
NEWEST, OLDEST = _published[-1], _published[0]  # the oldest lacks tables newer pages draw on, the newest has the most


def picker_options(at: AppTest, page: str) -> list[str]:
    """The section ids the picker offers, read back from its labels through the registry."""
    ids = {label: sid for sid, label in SECTIONS[page].items()}
    return [ids[label] for label in at.radio(key=SECTION_PARAM[page]).options]


def anchors(at: AppTest) -> list[str]:
    """The anchors of the page's section headers, in the order they are drawn."""
    return [h.proto.anchor for h in at.header]


def scroll_targets(at: AppTest) -> list[str]:
    """The headers the run's scroll scripts go to."""
    return [m.group(1) for e in at.get("html") if (m := TARGET.search(e.proto.body))]


def in_url(at: AppTest, key: str) -> list[str]:
    """The URL's values of a parameter (none: [])."""
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("page", PAGES)
def test_a_links_section_seeds_the_picker_stays_in_the_url_and_is_scrolled_to(real_releases, page):
    key = SECTION_PARAM[page]
    at = open_clean(page, {"release": NEWEST})
    drawn = anchors(at)
    assert picker_options(at, page) == drawn and drawn[0] == next(iter(SECTIONS[page]))
    assert at.radio(key=key).value == drawn[0] and key not in at.query_params  # the default leaves the URL clean
    assert scroll_targets(at) == []
    assert at.radio(key=key).options == [SECTIONS[page][sid] for sid in drawn]  # its labels, never ids

    last = drawn[-1]
    at = open_clean(page, {"release": NEWEST, key: last})
    assert at.radio(key=key).value == last
    assert in_url(at, key) == [last]
    assert anchors(at) == drawn
    assert scroll_targets(at) == [last]
    assert not [i.value for i in at.info if "is not valid here" in i.value]


@pytest.mark.parametrize("page", PAGES)
def test_the_picker_offers_only_the_sections_an_older_release_draws(real_releases, page):
    at = open_clean(page, {"release": OLDEST})
    assert picker_options(at, page) == anchors(at)
    assert set(anchors(at)) <= set(SECTIONS[page])


def test_a_link_to_a_section_the_release_lacks_gives_the_notice_and_the_first_section(real_releases):
    """A section the oldest published release does not draw (the test above checks that the picker offers what the
    page draws, so components.sections.drawn says which)."""
    release = load_release(real_releases / OLDEST)
    lacking = [(page, sid) for page in PAGES for sid in SECTIONS[page] if sid not in drawn_on(release, page)]
    assert lacking, "the oldest published release (never edited) lacks tables newer sections draw on"
    page, missing = lacking[0]
    key, first = SECTION_PARAM[page], next(iter(SECTIONS[page]))
    at = open_clean(page, {"release": OLDEST, key: missing})
    label = registry.page(page).param(key).label
    notice = (
        f"The link's value for “{escape_md(label)}” (“{escape_md(missing)}”) is not one this page offers; showing {escape_md(SECTIONS[page][first])} instead."
    )
    assert [i.value for i in at.info if "is not one this page offers" in i.value] == [notice]
    assert missing not in anchors(at)
    assert at.radio(key=key).value == first and in_url(at, key) == []
    assert scroll_targets(at) == []


def test_choosing_a_section_writes_the_url_and_scrolls_other_widgets_do_not(real_releases):
    key = SECTION_PARAM["partners"]
    at = open_clean("partners", {"release": NEWEST})
    drawn = anchors(at)
    at.radio(key=key).set_value(drawn[2]).run()
    assert in_url(at, key) == [drawn[2]] and scroll_targets(at) == [drawn[2]]
    at.segmented_control(key="raci_track").set_value("private").run()  # another widget: the section stays, no scroll
    assert in_url(at, key) == [drawn[2]] and in_url(at, "raci_track") == ["private"] and scroll_targets(at) == []
    at.radio(key=key).set_value(drawn[0]).run()  # back to the first: scrolled to, and the URL is clean again
    assert in_url(at, key) == [] and scroll_targets(at) == [drawn[0]]
