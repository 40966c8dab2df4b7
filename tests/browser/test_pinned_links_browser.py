"""Links pinned to a release in Chromium (issue 19): ?release= stays in the address bar across the sidebar's page
links, the pages' own links and reloads, the newest release too; the older-release notice's "same view" link opens
the page in the newest release; picking a release in the selector pins it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from browserhelp import assert_frame, choose_release, expect_release
from playwright.sync_api import BrowserContext, Page, expect
from releasekit import ROOT

from pakcoe import list_releases, registry, validate_release
from pakcoe.semver import semver_key

SIDEBAR_LINK = "[data-testid=stSidebarNavLink]"


def published() -> list[str]:
    """The checkout's valid published releases, newest first (computed, never assumed)."""
    reports = [validate_release(p) for p in list_releases(ROOT / "data" / "releases")]
    return sorted((r.version for r in reports if r.valid and r.published), key=semver_key, reverse=True)


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def path(page: Page) -> str:
    return urlsplit(page.url).path.strip("/")


def pinned_to(version: str, url_path: str) -> re.Pattern:
    """The address of page `url_path` with release=version among its parameters."""
    return re.compile(rf"/{re.escape(url_path)}\?(.*&)?release={re.escape(version)}(&|$)")


def go_by_sidebar(page: Page, title: str, version: str, ready) -> None:
    """Click the sidebar's link to the page titled `title`; wait until its address holds release=version."""
    target = next(p for p in registry.PAGES if p.title == title)
    page.locator(SIDEBAR_LINK).filter(has_text=title).first.click()
    page.wait_for_url(pinned_to(version, target.url_path))
    ready(page)


def test_an_older_release_link_keeps_its_release_on_every_page_it_leads_to(app_server: str, context: BrowserContext, ready):
    versions = published()
    newest, older = versions[0], versions[-1]
    page = context.new_page()
    page.goto(f"{app_server}/phases?release={older}")
    ready(page)
    assert query(page)["release"] == [older]
    expect_release(page, older)
    notice = page.locator("[data-testid=stAlert]").filter(has_text=f"You are viewing release {older}")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(f"Release {newest} changed")

    go_by_sidebar(page, "Compare options", older, ready)  # the sidebar's page links
    assert path(page) == "compare" and query(page)["release"] == [older]
    expect_release(page, older)
    page.reload()
    ready(page)
    assert query(page)["release"] == [older]
    expect_release(page, older)
    go_by_sidebar(page, "Phases", older, ready)
    page.get_by_role("link", name="Compare rollout options side by side").click()  # a page's own link (st.page_link)
    page.wait_for_url(pinned_to(older, "compare"))
    ready(page)
    expect_release(page, older)
    assert_frame(page)

    go_by_sidebar(page, "Phases", older, ready)
    link = page.get_by_role("link", name=f"Open this view in release {newest}")
    expect(link).to_have_count(1)
    with context.expect_page() as opened:  # Streamlit opens a Markdown link in a new tab
        link.click()
    same = opened.value
    same.wait_for_url(pinned_to(newest, "phases"))
    ready(same)
    assert path(same) == "phases" and query(same)["release"] == [newest]
    expect_release(same, newest)
    expect(same.locator("[data-testid=stAlert]").filter(has_text="You are viewing release")).to_have_count(0)
    diff = page.get_by_role("link", name=f"What changed from release {older} to {newest}")
    href = urlsplit(diff.evaluate("a => a.href"))
    assert href.path.strip("/") == registry.page("data").url_path
    assert parse_qs(href.query) == {"release": [newest], "old": [older], "new": [newest]}


def test_a_link_pinned_to_the_newest_release_stays_pinned(app_server: str, page: Page, ready):
    newest = published()[0]
    page.goto(f"{app_server}/phases?release={newest}")
    ready(page)
    assert query(page)["release"] == [newest]  # not dropped as the default
    go_by_sidebar(page, "Funding", newest, ready)
    assert path(page) == "funding" and query(page)["release"] == [newest]
    page.reload()
    ready(page)
    assert query(page)["release"] == [newest]
    expect(page.locator("[data-testid=stAlert]").filter(has_text="You are viewing release")).to_have_count(0)


def test_without_a_release_the_address_stays_clean_until_one_is_picked(app_server: str, page: Page, ready):
    versions = published()
    newest, older = versions[0], versions[-1]
    page.goto(f"{app_server}/phases")
    ready(page)
    page.locator(SIDEBAR_LINK).filter(has_text="Methodology").first.click()
    page.wait_for_url(re.compile(r"/methodology$"))
    ready(page)
    assert "release" not in query(page)  # follows the newest, with a clean address
    choose_release(page, older)
    page.wait_for_url(pinned_to(older, "methodology"))
    ready(page)
    choose_release(page, newest)  # back to the newest: pinned to it now
    page.wait_for_url(pinned_to(newest, "methodology"))
    ready(page)
    go_by_sidebar(page, "Phases", newest, ready)
    assert query(page)["release"] == [newest]
    expect_release(page, newest)
    page.reload()
    ready(page)
    assert query(page)["release"] == [newest]
