"""The Present page in a real browser: stepping through the deck from the keyboard (as a clicker does), the URL, the
speaker notes, the link to the same view in the app, and an audience window following the presenter."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from browserhelp import CLS_JS, expect_release, first_load, stage_blocks
from harness import DRAWN_JS, wait_ready
from playwright.sync_api import Browser, Page, expect
from releasekit import ROOT, newest_folder

from pakcoe import load_release, registry
from pakcoe.deck import load_deck
from pakcoe.release import list_releases, read_published
from pakcoe.rooms import Rooms
from pakcoe.semver import semver_key

TITLE = ".st-key-present-head h1"
# How long a follower may take to show the presenter's stop here: that it follows is tested; how fast is measured by
# benchmarks/present_bench.py (a CI machine running two browser workers once took more than 10 s).
FOLLOW_MS = 30_000
BIG = {"width": 1920, "height": 1080}


@pytest.fixture(scope="module")
def decked():
    """The newest release folder with a deck, loaded, and its deck (named in every URL: it may be a draft)."""
    release = load_release(newest_folder())
    return release, load_deck(release)


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(DRAWN_JS, timeout=60_000)
    wait_ready(page, settle_ms=200)


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _press(page: Page, key: str, before: str) -> None:
    page.keyboard.press(key)
    page.wait_for_function("t => document.querySelector('.st-key-present-head h1')?.innerText !== t", arg=before, timeout=15_000)
    wait_ready(page, settle_ms=200)


def _at(page: Page, deck, i: int) -> None:
    """The page shows the deck's stop at position i (0-based): title, progress, the URL's stop number."""
    stop = deck.stops[i]
    expect(page.locator(TITLE)).to_have_text(stop.text("title"))
    expect(page.locator(".st-key-present-progress")).to_have_text(f"{i + 1} / {len(deck.stops)}")
    expect(page.locator(".st-key-present-head")).to_contain_text(stop.text("caption"))
    assert _query(page).get("stop", ["1"]) == [str(stop.number)]


def test_the_keyboard_steps_through_every_stop_and_the_url_follows(app_server: str, browser: Browser, decked):
    release, deck = decked
    page = browser.new_page(viewport=BIG)
    _open(page, f"{app_server}/present?release={release.version}")
    _at(page, deck, 0)
    for i in range(1, len(deck.stops)):  # → and PageDown (what a clicker sends), alternately
        _press(page, "ArrowRight" if i % 2 else "PageDown", deck.stops[i - 1].text("title"))
        _at(page, deck, i)
    page.keyboard.press("ArrowRight")  # at the end: nothing moves
    wait_ready(page, settle_ms=300)
    _at(page, deck, len(deck.stops) - 1)
    _press(page, "Home", deck.stops[-1].text("title"))
    _at(page, deck, 0)
    _press(page, "End", deck.stops[0].text("title"))
    _at(page, deck, len(deck.stops) - 1)
    _press(page, "ArrowLeft", deck.stops[-1].text("title"))
    _at(page, deck, len(deck.stops) - 2)
    _press(page, "PageUp", deck.stops[-2].text("title"))
    _at(page, deck, len(deck.stops) - 3)
    # The URL is the stop: opening it fresh shows the same stop; the buttons do what the keys do.
    url = page.url
    _open(page, url)
    _at(page, deck, len(deck.stops) - 3)
    page.get_by_role("button", name="Previous").click()
    expect(page.locator(TITLE)).to_have_text(deck.stops[-4].text("title"))
    # No sidebar, no Streamlit header or toolbar on a projector page.
    for hidden in ("[data-testid=stSidebar]", "[data-testid=stHeader]", "[data-testid=stToolbar]"):
        assert page.locator(hidden).evaluate_all("els => els.every(e => e.getBoundingClientRect().height === 0)"), hidden
    expect(page.locator(".st-key-present-status")).to_contain_text("Concept proposal, not approved")
    expect(page.locator(".st-key-present-status")).to_contain_text(f"Data release {release.version}")
    page.close()


def test_speaker_notes_are_hidden_until_asked_and_show_the_next_title(app_server: str, browser: Browser, decked):
    release, deck = decked
    page = browser.new_page(viewport=BIG)
    _open(page, f"{app_server}/present?release={release.version}&stop={deck.stops[1].number}")
    assert page.locator(".st-key-present-notes").count() == 0
    assert deck.stops[1].text("note") not in page.locator("[data-testid=stMain]").inner_text()
    page.get_by_role("button", name="Speaker notes").click()
    notes = page.locator(".st-key-present-notes")
    expect(notes).to_contain_text(deck.stops[1].text("note"))
    expect(notes).to_contain_text(f"Next: {deck.stops[2].text('title')}")
    assert _query(page)["notes"] == ["True"]
    _press(page, "ArrowRight", deck.stops[1].text("title"))  # the arrow keys still move the deck; the notes stay on
    expect(notes).to_contain_text(deck.stops[2].text("note"))
    page.keyboard.press("n")  # N hides them (and shows them)
    expect(notes).to_have_count(0)
    assert "notes" not in _query(page)
    other = browser.new_page(viewport=BIG)  # a link with notes=1 opens with the notes shown
    _open(other, f"{app_server}/present?release={release.version}&notes=1")
    expect(other.locator(".st-key-present-notes")).to_contain_text(deck.stops[0].text("note"))
    page.close()
    other.close()


def test_open_this_view_in_the_app_gives_the_same_state_on_the_normal_page(app_server: str, browser: Browser, decked):
    release, deck = decked
    stop = next(s for s in deck.stops if s.page == "map" and s.params.get("view") == [registry.NATIONAL])
    page = browser.new_page(viewport=BIG)
    _open(page, f"{app_server}/present?release={release.version}&stop={stop.number}")
    href = page.get_by_role("link", name="Open this view in the app").get_attribute("href")
    target = urlsplit(href)
    assert target.path.strip("/").split("/")[-1] == registry.page("map").url_path
    assert parse_qs(target.query) == {"release": [release.version], "view": [registry.NATIONAL]}
    app = browser.new_page(viewport=BIG)
    _open(app, f"{app_server}/{registry.page('map').url_path}?{target.query}")
    assert _query(app)["view"] == [registry.NATIONAL]  # (the release leaves the address when it is the default)
    expect_release(app, release.version)
    expect(app.locator("[data-testid=stMain] h1")).to_have_text(registry.page("map").title)
    expect(app.locator("[data-testid=stHeader]")).to_be_visible()  # the normal page, with its frame
    page.close()
    app.close()


def _audience(browser: Browser, url: str) -> tuple[Page, list[float]]:
    """An audience window in a context of its own, opened at `url`, and the times (monotonic) of every websocket frame
    it sends (its watch asks the server four times a second): for a failure's message."""
    page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    sent: list[float] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _: sent.append(time.monotonic())))
    _open(page, url)
    return page, sent


def _follows(follower: tuple[Page, list[float]], want: str, code: str) -> None:
    """The audience window shows `want` within FOLLOW_MS. If not, the failure says what the room holds in the store
    (did the presenter's move reach it?), what the window shows and its connection state, and how many frames it sent
    in the last 5 s (is its watch still asking?)."""
    page, sent = follower
    try:
        expect(page.locator(TITLE)).to_have_text(want, timeout=FOLLOW_MS)
    except AssertionError as e:
        now = time.monotonic()
        shows = page.locator(TITLE).all_inner_texts()
        state = page.evaluate("() => document.querySelector('[data-testid=stApp]')?.dataset.testConnectionState")
        recent = sum(1 for t in sent if now - t <= 5)
        raise AssertionError(f"room {Rooms().get(code)}; the window shows {shows} ({state}); frames sent in the last 5 s: {recent} of {len(sent)}") from e


def test_an_audience_window_follows_the_presenter(app_server: str, browser: Browser, decked):
    """The follower shows the presenter's stop within a bounded wait after each move, without notes, next title or controls."""
    release, deck = decked
    presenter = browser.new_page(viewport=BIG)
    _open(presenter, f"{app_server}/present?release={release.version}&notes=1")
    presenter.get_by_role("button", name="Audience window").click()
    wait_ready(presenter, settle_ms=200)
    code = _query(presenter)["room"][0]
    link = presenter.get_by_role("link", name=f"Audience window (room {code})").get_attribute("href")
    assert parse_qs(urlsplit(link).query) == {"release": [release.version], "follow": [code]}
    audience = _audience(browser, f"{app_server}/{link}")
    follower = audience[0]
    expect(follower.locator(TITLE)).to_have_text(deck.stops[0].text("title"))
    delays = []
    for i, key in enumerate(("ArrowRight", "ArrowRight", "End", "Home"), start=1):
        before = presenter.locator(TITLE).inner_text()
        started = time.monotonic()
        presenter.keyboard.press(key)
        want = deck.stops[{4: 0, 3: -1}.get(i, i)].text("title")
        expect(presenter.locator(TITLE)).to_have_text(want)
        _follows(audience, want, code)
        delays.append(time.monotonic() - started)
        assert before != want
    print("follower delays (s):", [round(d, 2) for d in delays])
    assert follower.locator(".st-key-present-notes").count() == 0 and follower.locator(".st-key-present-bar").count() == 0
    main = follower.locator("[data-testid=stMain]").inner_text()
    assert deck.stops[0].text("note") not in main and "Next:" not in main
    expect(follower.locator(".st-key-present-status")).to_contain_text(f"Room {code}")
    # A follower link with an unknown room says so, plainly.
    stray = browser.new_page(viewport=BIG)
    _open(stray, f"{app_server}/present?release={release.version}&follow=ZZZZZZ")
    expect(stray.locator("[data-testid=stAlert]")).to_contain_text("no presenter room with this code")
    for p in (presenter, follower, stray):
        p.close()


def test_a_release_without_a_deck_says_so_and_offers_the_newest_deck(app_server: str, browser: Browser):
    folders = list_releases(ROOT / "data" / "releases")
    bare = newest_folder(deck=False)
    published = set(read_published(ROOT / "data" / "releases"))
    offered = [p.name for p in sorted(folders, key=lambda p: semver_key(p.name), reverse=True) if (p / "deck.csv").exists() and p.name in published]
    page = browser.new_page(viewport=BIG)
    _open(page, f"{app_server}/present?release={bare.name}")
    expect(page.locator("[data-testid=stAlert]").first).to_contain_text(f"Data release {bare.name} has no presentation deck")
    if offered:
        link = page.get_by_role("link", name=f"Present the deck of data release {offered[0]}")
        assert parse_qs(urlsplit(link.get_attribute("href")).query) == {"release": [offered[0]]}
    else:
        expect(page.locator("[data-testid=stMain]")).to_contain_text("No published data release has a deck yet")
    page.close()


@pytest.fixture(scope="module")
def first_stops(decked) -> dict[str, int]:
    """The deck's first stop, its first stop showing the map, and its first with text above a chart (by what the stage
    draws for each stop): number by kind."""
    from components.stage_content import Chart, Html, Map

    release, deck = decked
    found = {"first": deck.stops[0].number}
    for number, shown in stage_blocks(release, deck.stops).items():
        kinds = [type(b) for b in shown]
        if Map in kinds:
            found.setdefault("map", number)
        if Html in kinds and Chart in kinds and kinds.index(Html) < kinds.index(Chart):
            found.setdefault("text above a chart", number)
    return found


@pytest.mark.parametrize(("kind", "lang"), [("first", "en"), ("map", "en"), ("map", "ur"), ("text above a chart", "en")])
def test_a_stop_opened_at_its_address_draws_without_moving(app_server: str, browser: Browser, ready, decked, first_stops, kind: str, lang: str):
    """A presenter opens a stop's link (or reloads it) and nothing on the screen moves while it is drawn: cumulative
    layout shift under 0.02. Were: the first stop 0.06 (its sheets lost to Streamlit's own styles until the page's copy
    came: the title shrank and the stop moved up), then 0.013-0.018 (the control bar's buttons sliding along it as their
    placeholders became buttons); a map stop 0.25-0.49 (Streamlit's 800 px placeholder above the map's frame, taken
    away), in Urdu 0.5 (the frame drawn 300 px wide at the right, then jumping left); a stop with text above a chart
    0.13 (the text's one-line placeholders, then the text pushing the chart down). components/styles/present.css and
    stage.css; the stop's sheets are in the page shell (scripts/serve.py)."""
    release, _ = decked
    stops = first_stops
    assert kind in stops, f"the newest deck has no stop of this kind: {kind}"
    url = f"{app_server}/present?release={release.version}&stop={stops[kind]}&lang={lang}"
    cls = first_load(browser, ready, url, CLS_JS, "window.__pakCls", settle_ms=1500)
    assert cls < 0.02, f"stop {stops[kind]} ({kind}, {lang}): cumulative layout shift {cls:.3f}"
