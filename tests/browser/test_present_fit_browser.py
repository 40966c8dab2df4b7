"""Every stop of the newest deck fits a 16:9 screen and is readable from the back of the room, measured as drawn.

At 1920×1080 and at 1280×720, for every stop (read from the release's deck, stepped through with the → key): nothing
scrolls (the document, the main area, the stage; the control bar inside the window), no card's text is cut at its
bottom (a long text ends in an ellipsis instead), and the rendered size of the text meets the issue's floors: body
text, the stop's title, chart titles, Plotly ticks, legends and labels, the map's own text. A text's rendered size is the height of its box as drawn divided by its font's box height per pixel of font
size (measured on a reference text of the same family), so a scaled picture or a transform counts as drawn, not as
its CSS value. Charts and the map span at least 90% of the main area's width (with the hub panel beside the map, the
two together). In English and in Urdu (?lang=ur: right to left, in Noto Nastaliq Urdu with its taller lines; the
newest deck has Urdu texts). One server, one browser; set PAKCOE_SHOTS to a folder to keep each stop's screenshot at
1920×1080.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import DRAWN_JS, wait_ready
from playwright.sync_api import Browser, Page
from releasekit import newest_folder

from pakcoe import i18n, load_release
from pakcoe.deck import load_deck

TITLE = ".st-key-present-head h1"
# The floors, in CSS pixels as drawn: body text, the stop's title, chart titles, Plotly ticks and legends, the
# charts' other texts (data labels, Sankey nodes, subplot titles: held to the ticks' floor), the map's own text.
FLOORS = {
    (1920, 1080): {"body": 24, "title": 28, "chart_title": 28, "ticks": 18, "legend": 18, "labels": 18, "map": 18},
    (1280, 720): {"body": 16, "title": 16, "chart_title": 16, "ticks": 12, "legend": 12, "labels": 12, "map": 12},
}
TOLERANCE = 0.5  # px: text boxes are laid out on a grid of a fraction of a pixel
WIDE = 0.9  # share of the main area's width a chart or the map spans

MAP_READY = """() => [...document.querySelectorAll('.st-key-present-stage iframe, .st-key-present-stage-notes iframe')].every(f => {
  const c = f.contentDocument && f.contentDocument.querySelector('.leaflet-container'); return !!(c && c.dataset.fitted); })"""

MEASURE = """() => {
  const ratios = new Map();
  const ratio = (doc, family, svg) => {  // a font's box height per pixel of font size, in this document
    const key = (svg ? 'svg|' : 'html|') + family + '|' + (doc === document);
    if (ratios.has(key)) return ratios.get(key);
    let h;
    if (svg) {
      const s = doc.createElementNS('http://www.w3.org/2000/svg', 'svg');
      s.setAttribute('width', '600'); s.setAttribute('height', '300'); s.style.cssText = 'position:absolute;left:-9999px;top:0';
      const t = doc.createElementNS('http://www.w3.org/2000/svg', 'text');
      t.setAttribute('x', '0'); t.setAttribute('y', '200'); t.style.cssText = `font-family:${family};font-size:100px`; t.textContent = 'Hxg';
      s.appendChild(t); doc.body.appendChild(s); h = t.getBBox().height; s.remove();
    } else {
      const span = doc.createElement('span');
      span.style.cssText = `position:absolute;left:-9999px;top:0;font-family:${family};font-size:100px;line-height:normal`;
      span.textContent = 'Hxg'; doc.body.appendChild(span);
      const r = doc.createRange(); r.selectNodeContents(span); h = r.getBoundingClientRect().height; span.remove();
    }
    ratios.set(key, h / 100);
    return h / 100;
  };
  const shown = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return false;
    }
    return true;
  };
  const htmlSizes = (root) => {  // rendered size of every text node under root (not inside SVG)
    const out = [];
    if (!root) return out;
    const doc = root.ownerDocument, walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el || el.closest('svg') || !shown(el)) continue;
      const r = doc.createRange(); r.selectNodeContents(n);
      const rects = [...r.getClientRects()].filter((q) => q.width > 0 && q.height > 0);
      if (!rects.length) continue;
      const family = doc.defaultView.getComputedStyle(el).fontFamily;
      out.push({size: Math.min(...rects.map((q) => q.height)) / ratio(doc, family, false), text: n.textContent.trim().slice(0, 50)});
    }
    return out;
  };
  const svgSizes = (nodes) => [...nodes].filter((t) => t.textContent.trim() && shown(t)).map((t) => {  // its box across the
    const m = t.getScreenCTM();  // baseline, scaled as drawn (a rotated label is as big as a level one)
    const size = t.getBBox().height * Math.hypot(m.a, m.b) / ratio(document, getComputedStyle(t).fontFamily, true);
    return {size, text: t.textContent.trim().slice(0, 50)};
  });
  const least = (xs) => xs.length ? xs.reduce((a, b) => (b.size < a.size ? b : a)) : null;
  const main = document.querySelector('[data-testid=stMain]');
  const stage = document.querySelector('.st-key-present-stage, .st-key-present-stage-notes');
  const head = document.querySelector('.st-key-present-head');
  const bar = document.querySelector('.st-key-present-bar');
  const frames = [...stage.querySelectorAll('iframe')];
  const charts = [...stage.querySelectorAll('[data-testid=stPlotlyChart]')];
  const mainWidth = main.getBoundingClientRect().width;
  const caption = [...head.querySelectorAll('[data-testid=stMarkdownContainer]')].filter((m) => !m.querySelector('h1'));
  return {
    document: [document.documentElement.scrollHeight, document.documentElement.clientHeight],
    main: [main.scrollHeight, main.clientHeight],
    stage: [stage.scrollHeight, stage.clientHeight, stage.scrollWidth, stage.clientWidth],
    clipped: [...stage.querySelectorAll('.stage-card')].filter((c) => c.scrollHeight > c.clientHeight + 1).map((c) => c.innerText.slice(0, 50)),
    barBottom: bar.getBoundingClientRect().bottom,
    windowHeight: window.innerHeight,
    widths: [...charts, ...frames].map((el) => (el.closest('[data-testid=stHorizontalBlock]') || el).getBoundingClientRect().width / mainWidth),
    body: least([...htmlSizes(stage), ...caption.flatMap(htmlSizes)]),
    title: least(htmlSizes(head.querySelector('h1'))),
    chart_title: least([...stage.querySelectorAll('.stage-point')].flatMap(htmlSizes)),
    ticks: least(svgSizes(stage.querySelectorAll('.xtick text, .ytick text'))),
    legend: least(svgSizes(stage.querySelectorAll('.legendtext'))),
    labels: least(svgSizes(stage.querySelectorAll('.node-label, .textpoint text, text.bartext, .annotation-text, .xtitle, .ytitle'))),
    map: least(frames.flatMap((f) => htmlSizes(f.contentDocument && f.contentDocument.querySelector('.leaflet-control-layers')))),
    charts: charts.length, frames: frames.length,
  };
}"""


@pytest.fixture(scope="module", params=["en", "ur"])
def deck(request):
    """(language, the deck of the newest release that has one, as the page loads it in that language: the release's
    names in it too). Named in every URL: it may be a draft."""
    with i18n.using(request.param):
        found = load_deck(i18n.localize(load_release(newest_folder()), request.param))
    assert found is not None and found.stops
    return request.param, found


def _settle(page: Page) -> None:
    page.wait_for_function(DRAWN_JS, timeout=60_000)
    wait_ready(page, settle_ms=250)
    page.wait_for_function(MAP_READY, timeout=30_000)


def problems_of(m: dict, floors: dict[str, int]) -> list[str]:
    """What keeps a measured stop from fitting the screen and being readable (empty: nothing)."""
    found = []
    for what in ("document", "main"):
        if m[what][0] > m[what][1] + 1:
            found.append(f"the {what} scrolls: {m[what][0]} px of content in {m[what][1]} px")
    tall, height, wide, width = m["stage"]
    if tall > height + 1 or wide > width + 1:
        found.append(f"the stage overflows: {wide}×{tall} px of content in {width}×{height} px")
    found += [f"a card's text is cut at its bottom: {text!r}" for text in m["clipped"]]
    if m["barBottom"] > m["windowHeight"] + 1:
        found.append(f"the control bar ends at {m['barBottom']:.0f} px, below the window ({m['windowHeight']} px)")
    found += [f"a chart or the map spans {w:.0%} of the main area's width" for w in m["widths"] if w < WIDE]
    for what, floor in floors.items():
        least = m[what]
        if least is not None and least["size"] < floor - TOLERANCE:
            found.append(f"{what} text drawn at {least['size']:.1f} px (< {floor}): {least['text']!r}")
    if m["body"] is None or m["title"] is None:
        found.append("no body text or no title measured")
    return found


def test_every_stop_fits_a_16_9_screen_with_type_readable_from_the_back(app_server: str, browser: Browser, deck):
    lang, deck = deck
    shots = Path(os.environ["PAKCOE_SHOTS"]) if os.environ.get("PAKCOE_SHOTS") else None
    problems: list[str] = []
    measured: dict[tuple[int, int], list[dict]] = {}
    # Each size as the audience sees it, and the smaller one as the presenter's own screen, with the speaker notes.
    passes = [(size, floors, False) for size, floors in FLOORS.items()] + [((1280, 720), FLOORS[(1280, 720)], True)]
    for (width, height), floors, notes in passes:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(
            f"{app_server}/present?release={deck.version}&stop={deck.stops[0].number}" + ("&notes=1" if notes else "") + ("&lang=ur" if lang == "ur" else "")
        )
        for i, stop in enumerate(deck.stops):
            if i:  # the → key, as a presenter steps through the deck
                page.keyboard.press("ArrowRight")
                page.wait_for_function(f"t => document.querySelector('{TITLE}')?.innerText === t", arg=stop.text("title", lang), timeout=20_000)
            _settle(page)
            m = page.evaluate(MEASURE)
            measured.setdefault((width, height, notes), []).append(m)
            if notes:
                assert page.locator(".st-key-present-notes").count() == 1
            where = f"{lang}, {width}×{height}{' with notes' if notes else ''}"
            problems += [f"{where}, stop {stop.number} ({stop.text('title', lang)}): {p}" for p in problems_of(m, floors)]
            if shots is not None and width == 1920:
                shots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(shots / f"{'' if lang == 'en' else lang + '-'}stop{stop.number:02d}.png"))
        page.close()
    assert problems == [], "\n".join(problems)
    if lang == "ur":  # drawn in Urdu: right to left, in the Nastaliq font
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{app_server}/present?release={deck.version}&stop={deck.stops[0].number}&lang=ur")
        _settle(page)
        assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["ur", "rtl"]
        assert "Nastaliq" in page.evaluate(f"() => getComputedStyle(document.querySelector('{TITLE}')).fontFamily")
        assert page.evaluate("() => document.fonts.check('24px \"Noto Nastaliq Urdu\"', 'کمیاں')")
        page.close()
    # Every kind of text was measured somewhere (a selector that finds nothing would pass every floor).
    for size, ms in measured.items():
        assert all(any(m[what] is not None for m in ms) for what in ("chart_title", "ticks", "legend", "map")), size
        assert any(m["charts"] for m in ms) and any(m["frames"] for m in ms), size
