"""Readable by everyone it is for, checked as drawn in Chromium on every page the navigation lists:

- no raw names in the visible text (page, sidebar and the map's frame), on the newest release and on 1.0.0: no
  snake_case name, no id value of an `*_id` column that is not a plain word (hub ids, province codes, milestone
  codes, option ids), no resource file name and no module path; an abbreviation of the glossary appears with its full
  name at or before its first use. The Data page's table browser (the release's own table) and copy-link boxes
  (machine addresses) are left out, as the issue allows;
- on a 390×844 phone: no horizontal scrolling of the page, and no two visible pieces of text drawn over each other.

Each check runs in English and in Urdu (?lang=ur: right to left, the Nastaliq font's taller lines).
"""

from __future__ import annotations

import re

import pytest
from browserhelp import BANNER, download
from harness import wait_ready
from playwright.sync_api import Browser, Page, expect
from releasekit import ROOT

from pakcoe import i18n, list_releases, load_release, registry
from pakcoe.display import WRITTEN_AS_USED, texts

OLDEST = "1.0.0"
PROJECT = "Pak AI CoE"
AS_WRITTEN = WRITTEN_AS_USED  # currency codes, written as used in prices; the glossary gives their names
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
FILE = re.compile(r"\b[\w\-]+\.(?:csv|json|geojson|py)\b")
MODULE = re.compile(r"\b(?:pakcoe|components)\.\w+")
CODE_LIKE = re.compile(r"^(?=.*[\d_\-]|[A-Z]{2,}$)(?!\d+$)[\w\-]+$")  # not a plain word: digits, '_' or '-', or capitals

# The text a user reads: the page and the sidebar (icons' ligature names, the table browser's grid and copy-link
# boxes and the Methodology page's quoted formulas taken out), then the text of each frame (the map).
VISIBLE_TEXT = """(skipTables) => {
  document.querySelectorAll('[data-testid=stApp] span').forEach(e => {
    if (getComputedStyle(e).fontFamily.includes('Material')) e.setAttribute('data-icon-ligature', '');
  });
  const clone = document.querySelector('[data-testid=stApp]').cloneNode(true);
  clone.querySelectorAll('[data-icon-ligature], [data-testid=stIconMaterial], [data-testid=stCode], [class*="st-key-formula-"], style, script, .stMarkdownBadge svg').forEach(e => e.remove());
  if (skipTables) clone.querySelectorAll('.st-key-table-browser, [data-testid=stDataFrame], .pak-table').forEach(e => e.remove());
  if (document.documentElement.lang !== 'en') clone.querySelectorAll('[lang=en]').forEach(e => e.remove());  // quoted English: QUOTED_TEXT
  clone.style.position = 'absolute'; clone.style.left = '-99999px';
  document.body.appendChild(clone);
  const text = clone.innerText;
  clone.remove();
  return text;
}"""


# What an Urdu page quotes in English (source titles and publishers, the changelog), marked lang="en": checked with
# the English rules (an abbreviation spelt out in English at its first use in the quotes).
QUOTED_TEXT = """() => document.documentElement.lang === 'en' ? '' :
  Array.from(document.querySelectorAll('[data-testid=stApp] [lang=en]')).map(e => e.innerText).join('\\n')"""


def id_values() -> set[str]:
    """Every value of an `*_id` column of every release that is not a plain word (see CODE_LIKE); a source whose
    title holds its id is named by it (a package such as pak-geodata: its name, credited as such), so not a raw id."""
    out: set[str] = set()
    named: set[str] = set()
    for path in list_releases(ROOT / "data" / "releases"):
        try:
            release = load_release(path)
        except Exception:  # an invalid release is not served
            continue
        for frame in release.tables.values():
            for column in frame.columns:
                if column.endswith("_id") or column == "province_id":
                    out |= {str(v) for v in frame[column].dropna().unique() if CODE_LIKE.match(str(v))}
        if "sources" in release.tables:
            sources = release.table("sources")
            named |= {str(i) for i, title in zip(sources["source_id"], sources["title"], strict=True) if str(i) in str(title)}
    return out - named


IDS = id_values()
LANGS = [pytest.param(lang, id=lang) for lang in i18n.LANGS]
BANNERS = {"en": BANNER, "ur": "تصوراتی تجویز، منظور شدہ نہیں"}  # the status banner's first words in each language
GLOSSARIES = {
    lang: {t.term: t for t in texts(i18n.localize(load_release(ROOT / "data" / "releases" / OLDEST), lang)).glossary()} for lang in i18n.LANGS
}  # each language's full names of the abbreviations
GLOSSARY = GLOSSARIES["en"]


def with_lang(url: str, lang: str) -> str:
    """`url` in `lang` (English is the address without ?lang=)."""
    return url if lang == "en" else url + ("&" if "?" in url else "?") + f"lang={lang}"


def visible_text(page: Page, skip_tables: bool) -> str:
    parts = [page.evaluate(VISIBLE_TEXT, skip_tables)]
    for frame in page.frames[1:]:
        try:
            parts.append(frame.locator("body").inner_text(timeout=5_000))
        except Exception:  # a frame that went away while reading
            continue
    return "\n".join(parts)


def raw_names(text: str, lang: str = "en") -> list[str]:
    """What in `text` is a raw name: snake_case, a code-like id, a file name, a module path; an abbreviation before
    its full name (in `lang`)."""
    glossary = GLOSSARIES[lang]
    found = [f"snake_case '{w}'" for w in sorted(set(SNAKE.findall(text)))]
    found += [f"file name '{w}'" for w in sorted(set(FILE.findall(text)))]
    found += [f"module path '{w}'" for w in sorted(set(MODULE.findall(text)))]
    tokens = set(re.findall(r"[\w\-]+", text))
    found += [f"id '{w}'" for w in sorted((tokens & IDS) - set(glossary))]
    prose = text.replace(PROJECT, "")  # the project's name is a name, not a use of the abbreviations in it
    for term, entry in glossary.items():
        if term in AS_WRITTEN:
            continue
        first = re.search(rf"(?<![\w&]){re.escape(term)}(?![\w&])", prose)
        if first and entry.expansion.lower() not in prose[: first.end() + len(entry.expansion) + 4].lower():
            found.append(f"'{term}' before its full name '{entry.expansion}'")
    return found


def open_page(browser: Browser, url: str, width: int, height: int) -> Page:
    page = browser.new_page(viewport={"width": width, "height": height}, has_touch=width < 600, is_mobile=width < 600)
    page.goto(url)
    wait_ready(page)
    page.get_by_text(BANNERS["ur" if "lang=ur" in url else "en"]).first.wait_for() if "present" not in url else None
    if "lang=ur" in url:  # the Nastaliq font's lines are taller: measure once it is drawn
        page.wait_for_function("() => document.documentElement.dir === 'rtl' && document.fonts.status === 'loaded'")
    page.wait_for_timeout(1_500)  # charts and the map draw after the script run ends
    return page


PAGES = [pytest.param(p.url_path, id=p.id) for p in registry.PAGES]  # every page of the navigation (app.py builds it from these)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("release", ["newest", OLDEST])
@pytest.mark.parametrize("path", PAGES)
def test_no_raw_names_on_any_page(app_server, browser, path, release, lang):
    query = "" if release == "newest" else f"?release={release}"
    page = open_page(browser, with_lang(f"{app_server}/{path}{query}", lang), 1366, 900)
    try:
        text = visible_text(page, skip_tables=path == "data")
        found = raw_names(text, lang)
        if lang != "en":
            found += [f"quoted in English: {f}" for f in raw_names(page.evaluate(QUOTED_TEXT), "en")]
        assert found == [], f"/{path} ({release}, {lang}): " + "; ".join(found)
    finally:
        page.close()


# Text smaller than 12 px, and text cut with an ellipsis (a box narrower than its text, ending in "…"), on the page.
SMALL_OR_CUT = """() => {
  const small = [], cut = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim(), el = node.parentElement;
    if (!text || !el || el.closest('style, script, noscript, [data-testid=stIconMaterial], [data-testid=stSkipToContent]')) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 12) small.push(`${size}px '${text.slice(0, 40)}'`);
  }
  document.querySelectorAll('[data-testid=stApp] *').forEach(el => {
    const s = getComputedStyle(el);
    if (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.textContent.trim() && el.checkVisibility())
      cut.push(`'${el.textContent.trim().slice(0, 50)}'`);
  });
  return {small: [...new Set(small)], cut: [...new Set(cut)]};
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", [(1366, 900), (1280, 720)], ids=["1366x900", "1280x720"])
@pytest.mark.parametrize("path", PAGES)
def test_on_a_desktop_no_text_is_under_12_px_or_cut_off(app_server, browser, path, size, lang):
    page = open_page(browser, with_lang(f"{app_server}/{path}", lang), *size)
    try:
        found = page.evaluate(SMALL_OR_CUT)
        assert found == {"small": [], "cut": []}, f"/{path} at {size} ({lang})"
    finally:
        page.close()


def test_the_pages_checked_are_the_navigations(site_pages):
    """PAGES (the registry's) are the pages the running app's navigation lists."""
    assert sorted(site_pages.values()) == sorted(p.values[0] for p in PAGES)


# Every piece of text on the page as a box (one per text node, from a Range): the visible ones, in page coordinates.
TEXT_BOXES = """() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('[data-testid=stSidebar], [data-testid=stIconMaterial], style, script, noscript')) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    let clipped = false;  // inside a box of a pixel or less that hides its overflow (a skip link, a screen-reader text)
    for (let a = el; a && a !== document.body && !clipped; a = a.parentElement) {
      const box = a.getBoundingClientRect();
      clipped = (box.width <= 1 || box.height <= 1) && getComputedStyle(a).overflow !== 'visible';
    }
    if (clipped) continue;
    // the boxes that clip it inside the page's scroll area (a table's scroll box): only what they show is drawn
    const clips = [];
    for (let a = el; a && !['stMain', 'stSidebar'].includes(a.dataset.testid) && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') clips.push(a.getBoundingClientRect());
    }
    range.selectNodeContents(node);
    for (const raw of range.getClientRects()) {
      let [l, t, r, b] = [raw.left, raw.top, raw.right, raw.bottom];
      for (const c of clips) { l = Math.max(l, c.left); t = Math.max(t, c.top); r = Math.min(r, c.right); b = Math.min(b, c.bottom); }
      if (r - l < 2 || b - t < 2 || r <= 0) continue;
      out.push({text: text.slice(0, 40), x: l + scrollX, y: t + scrollY, w: r - l, h: b - t});
    }
  }
  return out;
}"""
WIDTHS = """() => ({doc: document.documentElement.scrollWidth, win: innerWidth,
  main: (m => m.scrollWidth - m.clientWidth)(document.querySelector('[data-testid=stMain]'))})"""


def overlaps(boxes: list[dict]) -> list[str]:
    """Pairs of text boxes drawn over each other (more than a third of the smaller one covered)."""
    out = []
    boxes = sorted(boxes, key=lambda b: b["y"])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if b["y"] >= a["y"] + a["h"]:
                break
            w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if w > 0 and h > 0 and w * h > min(a["w"] * a["h"], b["w"] * b["h"]) / 3:
                out.append(f"'{a['text']}' over '{b['text']}' at ({a['x']:.0f}, {a['y']:.0f})")
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_fits_a_phone_with_no_text_drawn_over_other_text(app_server, browser, path, lang):
    page = open_page(browser, with_lang(f"{app_server}/{path}", lang), 390, 844)
    try:
        widths = page.evaluate(WIDTHS)
        assert widths["doc"] <= widths["win"] and widths["main"] <= 1, f"/{path} ({lang}) scrolls sideways on a phone: {widths}"
        found = overlaps(page.evaluate(TEXT_BOXES))
        assert found == [], f"/{path} ({lang}): text drawn over text on a phone:\n" + "\n".join(found[:10])
    finally:
        page.close()


def test_the_checks_find_what_they_look_for():
    """The raw-name and overlap checks catch what they are for (so a pass above means something)."""
    some_id = sorted(IDS)[0]
    assert raw_names("Planned (phases.csv) by pakcoe.model, start_quarter") == [
        "snake_case 'start_quarter'",
        "file name 'phases.csv'",
        "module path 'pakcoe.model'",
    ]
    assert raw_names(f"the hub {some_id} opens") == [f"id '{some_id}'"]
    assert raw_names("KP 15, then Khyber Pakhtunkhwa") == ["'KP' before its full name 'Khyber Pakhtunkhwa'"]
    assert raw_names("Khyber Pakhtunkhwa (KP): 15 hubs; KP again") == []
    a, b = {"text": "a", "x": 0, "y": 0, "w": 30, "h": 10}, {"text": "b", "x": 10, "y": 2, "w": 30, "h": 10}
    assert overlaps([a, b]) and not overlaps([a, {**b, "x": 40}])
    assert (ROOT / "data" / "releases" / OLDEST).is_dir()


def test_a_charts_data_downloads_as_csv_under_its_metadata_header(app_server, browser):
    """The data grid's own CSV button is hidden (it would drop the header); the chart frame's own CSV carries it."""
    import io
    from pathlib import Path

    import pandas as pd

    from pakcoe.provenance import STATUS

    page = open_page(browser, f"{app_server}/phases", 1366, 900)
    try:
        chart = page.locator("[class*='st-key-chart-']").first
        chart.get_by_text("Data table (text alternative)").click()
        button = chart.get_by_role("button", name="Data as CSV")
        expect(button).to_be_enabled()
        text = Path(download(page, button).path()).read_text(encoding="utf-8")  # the CSV is made on the click
        header = [line for line in text.splitlines() if line.startswith("#")]
        assert header[0] == f"# {STATUS}" and header[1].startswith("# Data release ") and any(h.startswith("# Chart: ") for h in header)
        table = pd.read_csv(io.StringIO(text), comment="#")
        assert len(table) > 0 and len(table.columns) > 1
        chart.get_by_test_id("stDataFrame").hover()
        assert page.get_by_role("button", name="Download as CSV").count() == 0 or not page.get_by_role("button", name="Download as CSV").first.is_visible()
    finally:
        page.close()


def test_the_size_and_cut_checks_find_small_and_cut_text(browser):
    """SMALL_OR_CUT reports text under 12 px and text cut with an ellipsis (so its passes above mean something)."""
    page = browser.new_page(viewport={"width": 800, "height": 600})
    try:
        page.set_content(
            '<div data-testid="stApp"><p style="font-size:11px">tiny print</p><p style="font-size:14px">fine print</p>'
            '<div style="width:60px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis">a value too long for its box</div>'
            '<div style="width:600px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis">fits</div></div>'
        )
        assert page.evaluate(SMALL_OR_CUT) == {"small": ["11px 'tiny print'"], "cut": ["'a value too long for its box'"]}
    finally:
        page.close()


@pytest.mark.parametrize("path", ["phases", "compare"])
def test_on_a_phone_a_swipe_on_a_chart_scrolls_the_page(app_server, browser, path):
    """A finger that starts on a chart and moves up scrolls the page (charts neither zoom nor pan: chart.style)."""
    page = open_page(browser, f"{app_server}/{path}", 390, 844)
    try:
        main = "document.querySelector('[data-testid=stMain]')"
        chart = page.locator("[data-testid=stPlotlyChart] .nsewdrag").first
        chart.scroll_into_view_if_needed()
        page.evaluate(f"() => {{ {main}.scrollTop += 200; }}")  # the chart's drag area in the window's middle
        # on a loaded machine charts above may still be drawing: swipe once the page's height and position hold still
        page.wait_for_function(
            f"() => {{ const k = {main}.scrollHeight + ':' + {main}.scrollTop; const same = window.__settled === k; window.__settled = k; return same; }}",
            polling=400,
        )
        box = chart.bounding_box()
        x, y = box["x"] + box["width"] / 2, max(min(box["y"] + box["height"] / 2, 600), 250)
        before = page.evaluate(f"() => {main}.scrollTop")
        room = page.evaluate(f"() => {main}.scrollHeight - {main}.clientHeight")
        up = before < room / 2  # swipe towards the side with room to scroll (the page may end just below the chart)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for step in range(1, 11):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + (-30 if up else 30) * step}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(500)
        after = page.evaluate(f"() => {main}.scrollTop")
        moved = after - before if up else before - after
        assert moved > 100, f"/{path}: a swipe on a chart moved the page from {before} to {after}"
    finally:
        page.close()
