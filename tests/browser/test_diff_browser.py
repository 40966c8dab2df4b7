"""The Data page's "What changed between releases" in Chromium (issue 19): two releases by link, the summary as
pakcoe.diff computes it, a release picked in the page lands in the address bar, the CSV downloaded and read back."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd
from browserhelp import download
from harness import choose, wait_ready
from playwright.sync_api import expect
from releasekit import ROOT

from pakcoe import load_release, read_published
from pakcoe.diff import diff_frame, diff_releases
from pakcoe.semver import semver_key

RELEASES = ROOT / "data" / "releases"


def _published() -> list[str]:
    return sorted(read_published(RELEASES), key=semver_key)


def _summary(old: str, new: str) -> str:
    return f"From release {old} to release {new}:"


def test_two_releases_by_link_their_changes_and_the_csv(app_server, browser):
    versions = _published()
    old, new = versions[0], versions[-1]
    diff = diff_releases(load_release(RELEASES / old), load_release(RELEASES / new))
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{app_server}/data?old={old}&new={new}")
        wait_ready(page)
        summary = page.get_by_text(_summary(old, new))
        expect(summary).to_be_visible(timeout=60_000)
        assert f"{diff.count():,} changes in {len(diff.changed_tables())} tables" in summary.inner_text()
        # one folded section per changed table, each with its count
        for d in diff.changed_tables().values():
            words = f": {d.count:,} changes" if d.count != 1 else ": 1 change"
            expect(page.locator("[data-testid=stExpander] summary").filter(has_text=re.compile(re.escape(words) + "$")).first).to_be_attached()
        text = download(page, page.get_by_role("button", name="Download the changes (CSV)")).path().read_text(encoding="utf-8")
        assert text.startswith("#") and f"From release {old} to release {new}" in text
        back = pd.read_csv(io.StringIO(text), comment="#")
        assert len(back) == len(diff_frame(diff))
        assert set(back["section"]) == set(diff_frame(diff)["section"])
    finally:
        page.close()


def test_a_release_picked_on_the_page_goes_into_the_address(app_server, browser):
    versions = _published()
    if len(versions) < 3:  # the default compares the last two: pick the oldest instead (any checkout has 3+ releases)
        raise AssertionError("the checkout needs three published releases for this test")
    oldest, previous, newest = versions[0], versions[-2], versions[-1]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{app_server}/data")
        wait_ready(page)
        expect(page.get_by_text(_summary(previous, newest))).to_be_visible(timeout=60_000)
        picker = page.get_by_role("combobox", name="From release")
        choose(page, picker, re.compile("^" + re.escape(oldest) + r"\b"))
        expect(page.get_by_text(_summary(oldest, newest))).to_be_visible(timeout=60_000)
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('old') === '{oldest}'")
        assert parse_qs(urlsplit(page.url).query)["old"] == [oldest]
        page.reload()  # the address reproduces the view
        wait_ready(page)
        expect(page.get_by_text(_summary(oldest, newest))).to_be_visible(timeout=60_000)
    finally:
        page.close()
