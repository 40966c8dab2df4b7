"""Streamlit's page shell keeps the sidebar's place from the first paint (components/styles/shell.css, added by
scripts/serve.py through components.thirdparty.streamlit.add_to_index_head), in real Chromium on the app's server.

Before the shell, a first load laid the main area out over the whole window and moved it 300 px right when the sidebar
arrived: the whole page jumped sideways (a layout shift of 0.22 on every page). The tests watch every animation frame
from the navigation on and check what the visitor sees: the main area's left edge and its column never move once
painted, no layout shift moves anything sideways, and the projector page and phones get Streamlit's shell as it is.
"""

from __future__ import annotations

import tomllib
import urllib.request
from pathlib import Path

import pytest
from browserhelp import CLS_JS, first_load
from playwright.sync_api import Browser

from pakcoe import registry

ROOT = Path(__file__).resolve().parents[2]
MARK = 'data-testid="stAppViewContainer"]:not(:has('  # a selector of the sheet, as it reaches the shell
# Every frame from the navigation on: the main area's and its column's left edge and width, whether the sidebar exists,
# and every layout shift's sources at least half the window wide that moved sideways (start x before and after): the
# area, not a line of Urdu text set right to left once the page's direction arrives (a small shift of its own).
WATCH_JS = """(() => {
  window.__pakFrames = []; window.__pakShifts = [];
  const frame = () => {
    const m = document.querySelector('[data-testid=stMain]'), c = document.querySelector('[data-testid=stMainBlockContainer]');
    if (m && c && c.getBoundingClientRect().width > 0) {
      const a = m.getBoundingClientRect(), b = c.getBoundingClientRect();
      window.__pakFrames.push([Math.round(a.left), Math.round(b.left), Math.round(b.width), !!document.querySelector('[data-testid=stSidebar]')]);
    }
    if (window.__pakFrames.length < 2000) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => { for (const e of list.getEntries()) for (const s of e.sources || [])
    if (Math.abs(s.previousRect.x - s.currentRect.x) >= 40 && Math.min(s.previousRect.width, s.currentRect.width) >= innerWidth / 2)
      window.__pakShifts.push([e.value, s.previousRect.x, s.currentRect.x]); }).observe({type: 'layout-shift', buffered: true});
})();"""


SCREEN_MARK = 'html[lang="ur"] body :not(svg'  # a selector of components/styles/screen.css
PRESENT_MARK = ".st-key-present-stage {"  # and of present.css
STAGE_MARK = ".stage-card p {"  # and of stage.css
FONTS = [face["url"] for face in tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]["fontFaces"]]
# The document's language, direction and preloaded fonts when the shell has been read, before Streamlit's client has
# drawn anything (no app message yet).
FIRST_JS = """(() => { document.addEventListener("DOMContentLoaded", () => {
  window.__pakFirst = {lang: document.documentElement.lang, dir: document.documentElement.dir,
    rtl: document.documentElement.classList.contains("pak-rtl"), drawn: !!document.querySelector("[data-testid=stMain] h1"),
    preload: [...document.querySelectorAll('link[rel=preload][as=font]')].map(l => l.href)}; }); })();"""


def shell(base: str, path: str) -> str:
    with urllib.request.urlopen(f"{base}/{path}", timeout=30) as r:
        assert r.status == 200
        assert "no-cache" in r.headers.get("Cache-Control", "")
        return r.read().decode("utf-8")


def test_every_page_but_the_projector_gets_the_sheet_in_its_shell(app_server: str):
    projector = [p.url_path for p in registry.PAGES if p.projector]
    assert projector, "the registry has a projector page (Present)"
    for page in registry.PAGES:
        body = shell(app_server, page.url_path)
        head = body[: body.index("</head>")]
        assert (MARK in head) != page.projector, page.url_path
        assert "BACKEND_BASE_URL:location.origin" in head, page.url_path  # every page, the projector's too
        assert "<script" in body, page.url_path  # still Streamlit's shell
        assert SCREEN_MARK in head, page.url_path  # the screen sheet, every page
        end = body[body.rindex("</div>") : body.rindex("</body>")]  # after the app's root element
        assert (PRESENT_MARK in end) == page.projector, page.url_path  # the stop's sheets, the projector page only, last
        assert (STAGE_MARK in end) == page.projector, page.url_path
        if page.projector:
            assert end.index(PRESENT_MARK) < end.index(STAGE_MARK), "stage.css after present.css, as the page draws them"


# Every selector of the sheets in force on screen now (rules of @media blocks that do not match are left out).
ACTIVE_SELECTORS_JS = """() => { const out = []; const walk = (rules) => { for (const r of rules) {
  if (r instanceof CSSMediaRule) { if (matchMedia(r.media.mediaText).matches) walk(r.cssRules); }
  else if (r instanceof CSSStyleRule) out.push(r.selectorText);
  else if (r.cssRules) walk(r.cssRules); } };
  for (const s of document.styleSheets) if (!s.disabled) { try { walk(s.cssRules); } catch (e) {} }
  return out; }"""


@pytest.mark.parametrize("path", ["", "compare", "funding?lang=ur"], ids=["overview", "compare", "funding-ur"])
def test_the_sheet_that_holds_the_sidebars_place_is_gone_once_the_sidebar_is_there(app_server: str, browser: Browser, ready, path: str):
    """shell.css and the page list's place (scripts/serve.py shell_hold) match nothing once the sidebar and its page
    list exist, but their `:has()` over the whole app was checked again whenever an element was added anywhere in it:
    each later measurement of the page waited for the whole page's style (9 ms instead of 0.3 ms on Compare, and a
    chart measures its text hundreds of times while it is drawn). The shell's script removes the sheet then: on a
    drawn page no rule of it is in force, and the sidebar and the wide column are where the sheet kept them."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{app_server}/{path}")
        ready(page, timeout=60_000)
        page.wait_for_function("() => !document.getElementById('pak-shell-hold')", timeout=5_000)
        selectors = page.evaluate(ACTIVE_SELECTORS_JS)
        assert any(SCREEN_MARK in s for s in selectors), "the screen sheet is still in force"
        held = [s for s in selectors if ":not(:has([data-testid" in s]
        assert held == [], f"rules of the holding sheet still in force: {held}"
        main = page.get_by_test_id("stMain").bounding_box()
        assert main is not None and main["x"] >= 250, f"the sidebar is on the left: the main area starts at {main}"
    finally:
        context.close()


@pytest.mark.parametrize("path", ["methodology", "phases?lang=ur", "present"])
def test_a_page_opened_at_its_own_address_connects_without_a_detour(app_server: str, browser: Browser, ready, path: str):
    """Streamlit's client asked /<page>/_stcore/health first (404), waited 100 ms and then asked the root: ~0.1 s lost
    on every page but the start page, and two errors in the console (scripts/serve.py server_base). Now: no request
    fails, nothing is asked below the page's own address, and the page's links still lead to the other pages."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    failed, under_page = [], []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: under_page.append(r.url) if f"/{path.split('?')[0]}/_stcore/" in r.url else None)
    try:
        page.goto(f"{app_server}/{path}")
        ready(page, timeout=60_000)
        assert failed == [], failed
        assert under_page == [], under_page
        assert page.evaluate("window.__streamlit.BACKEND_BASE_URL") == f"{app_server}/"
        if path == "methodology":  # the navigation still works from a page's own address
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Phases").click()
            page.wait_for_url(f"{app_server}/phases*", timeout=30_000)
            ready(page, timeout=60_000)
            assert page.locator("[data-testid=stMain] h1").first.inner_text() == "Phases"
            assert failed == [], failed
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "lang", "direction"),
    [("methodology?lang=ur", "ur", "rtl"), ("present?lang=ur", "ur", "rtl"), ("methodology?lang=xx", "en", ""), ("phases", "en", "")],
)
def test_a_page_asked_for_in_urdu_is_right_to_left_with_its_font_on_the_way_before_its_first_text(
    app_server: str, browser: Browser, ready, path: str, lang: str, direction: str
):
    """Set by the page's own script only (components/lang.py), the direction and the Nastaliq font came after the first
    text: every Urdu page's text moved and grew on a first load (a layout shift of 0.4-0.5; Present 0.8-1.3). The shell
    reads ?lang= itself (scripts/serve.py first_language): <html lang dir> before anything is drawn, the theme's font
    faces asked for at once and fetched once. Another value, or none, leaves Streamlit's shell as it is."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_init_script(FIRST_JS)
    page = context.new_page()
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if r.url.endswith(".woff2") and "nastaliq" in r.url else None)
    try:
        page.goto(f"{app_server}/{path}")
        first = page.evaluate("window.__pakFirst")
        assert first["drawn"] is False  # before the app's first message
        assert (first["lang"], first["dir"], first["rtl"]) == (lang, direction, direction == "rtl"), first
        wanted = [f"{app_server}/{url}" for url in FONTS] if lang == "ur" else []
        assert [href for href in first["preload"] if href.endswith(tuple(FONTS))] == wanted, first  # (Streamlit preloads its own sans font)
        ready(page, timeout=60_000)
        page.evaluate("document.fonts.ready")
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [lang, "rtl" if lang == "ur" else "ltr"]
        assert sorted(fetched) == sorted(wanted), fetched  # the preload is the file the page's own @font-face uses: fetched once
    finally:
        context.close()


def frames_of(browser: Browser, url: str, width: int) -> tuple[list, list]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(WATCH_JS)
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function("() => !!document.querySelector('[data-testid=stMain] h1')", timeout=60_000)
        page.wait_for_timeout(1500)
        return page.evaluate("window.__pakFrames"), page.evaluate("window.__pakShifts")
    finally:
        context.close()


@pytest.mark.parametrize("path", ["", "compare?options=public-on-time&options=private-only", "funding?lang=ur"], ids=["overview", "compare", "funding-ur"])
def test_the_main_area_never_moves_sideways_on_a_first_load(app_server: str, browser: Browser, path: str):
    frames, shifts = frames_of(browser, f"{app_server}/{path}", 1366)
    before = [f for f in frames if not f[3]]
    assert before, "the main area was painted before the sidebar arrived (the moment the sheet is for)"
    assert any(f[3] for f in frames), "the sidebar arrived"
    main_left, column_left, column_width, _ = frames[-1]
    assert main_left >= 250, f"the sidebar is on the left: the main area starts at {main_left} px"
    assert {(f[0], f[1], f[2]) for f in frames} == {(main_left, column_left, column_width)}, (
        f"the main area or its column moved: {sorted({tuple(f[:3]) for f in frames})}"
    )
    assert shifts == [], f"something moved sideways: {shifts}"


def test_a_phone_gets_the_main_area_over_the_whole_width(app_server: str, browser: Browser):
    frames, _ = frames_of(browser, f"{app_server}/", 390)
    assert frames
    assert {f[0] for f in frames} == {0}, "no place is kept for the sidebar on a phone (Streamlit starts it closed)"


@pytest.mark.parametrize("path", ["map", "phases", "funding", "partners", "methodology?lang=ur", "phases?lang=ur"])
def test_a_first_load_stays_under_the_good_layout_shift_line(app_server: str, browser: Browser, ready, path: str):
    """Cumulative layout shift of a first load below 0.1 (web.dev's "good"). Were: the hub map 0.27 (its frame sized
    late: the container keeps its height, shell.css), Phases 0.17 (chart placeholders drawn late, components/deferred.py),
    every page 0.22 more (the sideways jump); then Funding 0.06-0.07, 0.101 once in CI under load, of which 0.035-0.039
    the sidebar's controls pushed down by the page list (scripts/serve.py nav_place keeps its place). In Urdu every
    page 0.4-0.5 (its direction, its font and screen.css's Urdu rules came after its first text); now 0.001-0.03.
    Partners 0.16-0.18: its cards (one HTML element) were a 40 px placeholder until the element's code came, then grew
    to ~800 px and pushed the rest in view down (screen.css now holds a screen's height for them); now 0.01-0.03."""
    cls = first_load(browser, ready, f"{app_server}/{path}", CLS_JS, "window.__pakCls", settle_ms=1000)
    assert cls < 0.1, f"{path}: cumulative layout shift {cls:.3f}"


# Every frame from the navigation on: the stop title's size, padding and top, each time it changes.
TITLE_JS = """(() => { window.__pakTitle = []; const frame = () => {
  const h = document.querySelector('[data-testid=stMain] h1');
  if (h) { const c = getComputedStyle(h), s = [c.fontSize, c.paddingTop, Math.round(h.getBoundingClientRect().top)].join(' ');
    if (window.__pakTitle[window.__pakTitle.length - 1] !== s) window.__pakTitle.push(s); }
  if (window.__pakTitle.length < 50) requestAnimationFrame(frame); }; requestAnimationFrame(frame); })();"""


@pytest.mark.parametrize("path", ["present", "present?lang=ur"])
def test_the_stops_title_is_drawn_at_its_size_and_place_from_its_first_paint(app_server: str, browser: Browser, ready, path: str):
    """The projector page's sheets are at the end of the shell's body (scripts/serve.py), after the styles Streamlit's
    client adds to the head. In the head they lost every tie of weight to those until the page's own copy came: the
    stop's title was first drawn at Streamlit's h1 size (44 px, 20 px of padding) on a 16 px root, then shrank and
    moved up with the whole stop (a layout shift of 0.06 on every English first load)."""
    seen = first_load(browser, ready, f"{app_server}/{path}", TITLE_JS, "window.__pakTitle", settle_ms=500)
    assert seen, "no title was drawn"
    assert len(seen) == 1, f"{path}: the title changed size or place after its first paint (font size, padding, top): {seen}"
