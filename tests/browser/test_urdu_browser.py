"""The app in Urdu, in real Chromium: the language switch and ?lang=ur (across pages, reloads and shared links), the
page's <html lang dir>, the Nastaliq web font (served locally, used for Urdu text, nothing fetched from outside), an
Urdu table right to left in that font, and no Urdu text cut off at its top or bottom (Nastaliq's marks rise and fall
far beyond Latin letters)."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from harness import wait_ready
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from pakcoe import registry

BANNER_UR = "تصوراتی تجویز، منظور شدہ نہیں"
BANNER_EN = "Concept proposal"
FAMILY = "Noto Nastaliq Urdu"
SWITCH = "[data-testid=stSidebar] [data-testid=stButtonGroup]"
NAV_LINKS = "[data-testid=stSidebarNavLink]"
ARABIC = r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]"

# Urdu text (a text node with Arabic letters) drawn beyond the box of an ancestor that clips its overflow (hidden or
# clip) inside the nearest scroll box, up or down: the marks above or below the line are cut off (a text box is the
# font's ascent and descent, which hold Nastaliq's marks). Returns one line per cut text.
CLIPPED_JS = """(arabic) => {
  const re = new RegExp(arabic), out = [], range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, text = node.textContent.trim();
    if (!text || !re.test(text) || !el || el.closest('style, script, noscript, [data-testid=stSkipToContent]')) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 1 && r.height > 1);
    if (!rects.length) continue;
    const top = Math.min(...rects.map(r => r.top)), bottom = Math.max(...rects.map(r => r.bottom));
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll'].includes(s.overflowY)) break;  // a scroll box (the main area, a table's): scrolled into view
      if (!['hidden', 'clip'].includes(s.overflowY)) continue;
      const box = a.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) break;  // a screen-reader-only text
      const cut = Math.max(box.top - top, bottom - box.bottom);
      if (cut > 2) { out.push(`'${text.slice(0, 40)}' cut by ${cut.toFixed(0)} px in <${a.tagName.toLowerCase()} ${a.dataset.testid || a.className.toString().slice(0, 40)}>`); break; }
    }
  }
  return [...new Set(out)];
}"""


# A chart's upright y-axis title: Plotly leaves room beyond it for a Latin capital, Nastaliq's tall letters rise about
# twice as far, and the chart's own box cuts what goes beyond its left edge. To see the ink the box hides, the title is
# moved SHIFT px into the chart and the strip at the chart's left edge is read from a screenshot: the first column with
# ink is where the title's ink begins (less than SHIFT: that many px were cut off).
SHIFT = 24
CHARTS = "[...document.querySelectorAll('.js-plotly-plot')].filter(g => g.checkVisibility() && g.querySelector('.g-ytitle text'))"


def cut_axis_titles(page: Page) -> list[str]:
    """One line per chart whose y-axis title is cut off at the chart's left edge (Nastaliq's tall letters)."""
    out = []
    for i in range(page.evaluate(f"{CHARTS}.length")):
        chart = f"{CHARTS}[{i}]"
        for _ in range(3):  # the title itself in view; again if the page moved under it (a late rerun, a chart drawn above)
            page.evaluate(f"{chart}.querySelector('.g-ytitle text').scrollIntoView({{block: 'center'}})")
            page.wait_for_timeout(150)
            left, top, bottom, text = page.evaluate(
                f"""() => {{ const g = {chart}, t = g.querySelector('.g-ytitle text'), s = g.querySelector('.main-svg').getBoundingClientRect(),
                     b = t.getBoundingClientRect(); return [s.left, Math.max(0, b.top - 10), Math.min(innerHeight, b.bottom + 10), t.textContent]; }}"""
            )
            if bottom - top > 0:
                break
        assert bottom - top > 0, f"the y-axis title '{text[:40]}' could not be brought into view to be read"
        page.evaluate(f"{chart}.querySelector('.g-ytitle').style.transform = 'translateX({SHIFT}px)'")
        try:
            png = page.screenshot(clip={"x": left, "y": top, "width": SHIFT + 10, "height": bottom - top})
        finally:
            page.evaluate(f"{chart}.querySelector('.g-ytitle').style.transform = ''")
        strip = Image.open(io.BytesIO(png)).convert("L")
        ink = next((x for x in range(strip.width) if strip.crop((x, 0, x + 1, strip.height)).getextrema()[0] < 235), strip.width)
        if ink < SHIFT - 1:
            out.append(f"y-axis title '{text[:40]}' cut by {SHIFT - ink} px at the chart's left edge")
    return out


def open_page(browser: Browser, url: str, width: int = 1366, height: int = 900) -> tuple[Page, list[str]]:
    """A new page at `url`, ready, with the list of every request it made (filled as it goes)."""
    page = browser.new_page(viewport={"width": width, "height": height})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    wait_ready(page)
    return page, requests


def document_lang(page: Page) -> tuple[str, str]:
    return tuple(page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]"))


def lang_param(page: Page) -> list[str]:
    return parse_qs(urlsplit(page.url).query).get("lang", [])


def expect_urdu(page: Page) -> None:
    expect(page.locator("[data-testid=stAlert]").filter(has_text=BANNER_UR).first).to_be_visible()
    page.wait_for_function("() => document.documentElement.lang === 'ur' && document.documentElement.dir === 'rtl'")


def test_the_switch_turns_the_page_to_urdu_and_back(app_server, browser):
    page, _ = open_page(browser, f"{app_server}/phases")
    try:
        assert document_lang(page) == ("en", "ltr") and lang_param(page) == []
        switch = page.locator(SWITCH)
        expect(switch).to_contain_text("English")
        expect(switch).to_contain_text("اردو")
        assert switch.bounding_box()["y"] < 900, "the switch is not on the sidebar's first screen"
        switch.get_by_role("radio", name="اردو").click()
        expect_urdu(page)
        wait_ready(page)
        assert lang_param(page) == ["ur"]
        expect(page.get_by_role("heading", level=1)).to_have_text("مراحل")
        assert page.title() == "Pak AI CoE ایکسپلورر"
        page.locator(SWITCH).get_by_role("radio", name="English").click()
        expect(page.locator("[data-testid=stAlert]").filter(has_text=BANNER_EN).first).to_be_visible()
        page.wait_for_function("() => document.documentElement.lang === 'en' && document.documentElement.dir === 'ltr'")
        wait_ready(page)
        assert lang_param(page) == [] and page.title() == "Pak AI CoE explorer"
    finally:
        page.close()


def test_urdu_survives_a_page_change_a_reload_and_a_shared_link(app_server, browser):
    page, _ = open_page(browser, f"{app_server}/data?lang=ur")
    try:
        expect_urdu(page)
        page.locator(NAV_LINKS).filter(has_text="مراحل").click()
        page.wait_for_url("**/phases**")
        wait_ready(page)
        expect_urdu(page)
        assert lang_param(page) == ["ur"], page.url
        page.reload()
        wait_ready(page)
        expect_urdu(page)
        assert lang_param(page) == ["ur"], page.url
    finally:
        page.close()
    page, _ = open_page(browser, f"{app_server}/phases?lang=nonsense")  # a bad value reads as English and leaves
    try:
        expect(page.locator("[data-testid=stAlert]").filter(has_text=BANNER_EN).first).to_be_visible()
        page.wait_for_function("() => document.documentElement.dir !== ''")  # the page-language script has run
        assert document_lang(page) == ("en", "ltr") and lang_param(page) == []
    finally:
        page.close()


def test_the_nastaliq_font_is_served_here_and_used_for_urdu_text(app_server, browser):
    page, requests = open_page(browser, f"{app_server}/data?lang=ur")
    try:
        expect_urdu(page)
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        assert page.evaluate(f"() => document.fonts.check('16px \"{FAMILY}\"', 'اردو')")
        faces = page.evaluate(f"() => [...document.fonts].filter(f => f.family.replaceAll('\"', '') === '{FAMILY}').map(f => f.status)")
        assert "loaded" in faces, faces
        family = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stMain] [data-testid=stMarkdownContainer] p')).fontFamily")
        assert family.replace('"', "").startswith(FAMILY), family
        fonts = [u for u in requests if "nastaliq" in u]
        assert fonts and all(urlsplit(u).hostname in ("localhost", "127.0.0.1") for u in fonts), fonts
        outside = [u for u in requests if urlsplit(u).hostname not in ("localhost", "127.0.0.1") and not u.startswith("data:")]
        assert outside == [], outside  # offline: nothing leaves this machine
        line = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMain] p')).lineHeight) / parseFloat(getComputedStyle(document.querySelector('[data-testid=stMain] p')).fontSize)"
        )
        assert 2.0 <= line <= 2.2, line
    finally:
        page.close()
    page, _ = open_page(browser, f"{app_server}/data")  # English: the theme's sans font, Nastaliq not first
    try:
        family = page.evaluate("() => getComputedStyle(document.querySelector('[data-testid=stMain] p')).fontFamily")
        assert not family.replace('"', "").startswith(FAMILY), family
    finally:
        page.close()


def test_an_urdu_table_is_right_to_left_in_the_nastaliq_font(app_server, browser):
    page, _ = open_page(browser, f"{app_server}/phases?lang=ur")
    try:
        expect_urdu(page)
        chart = page.locator("[class*='st-key-chart-']").first
        chart.locator("[data-testid=stExpander] summary").click()
        table = chart.locator(".pak-table")
        expect(table).to_be_visible()
        assert table.get_attribute("dir") == "rtl"
        look = table.evaluate(
            """t => { const th = t.querySelector('th'), td = t.querySelector('td:not(.num)'), num = t.querySelector('td.num');
              const s = e => e && getComputedStyle(e);
              return {dir: s(t).direction, th: s(th).fontFamily, td: td && s(td).fontFamily, thAlign: s(th).textAlign,
                      numDir: num && s(num).direction, numAlign: num && s(num).textAlign, border: s(th).borderBottomWidth,
                      right: th.getBoundingClientRect().right, tableRight: t.getBoundingClientRect().right}; }"""
        )
        assert look["dir"] == "rtl" and look["th"].replace('"', "").startswith(FAMILY), look
        assert look["td"] is None or look["td"].replace('"', "").startswith(FAMILY), look
        assert look["thAlign"] in ("start", "right") and abs(look["right"] - look["tableRight"]) < 3, look  # the first column on the right
        assert look["numDir"] in (None, "ltr") and look["numAlign"] in (None, "right"), look
        assert look["border"] != "0px"
    finally:
        page.close()


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", [pytest.param(p.url_path, id=p.id) for p in registry.PAGES])
def test_no_urdu_text_is_cut_off_at_its_top_or_bottom(app_server, browser, path, size):
    page, _ = open_page(browser, f"{app_server}/{path}?lang=ur", *size)
    try:
        page.wait_for_function("() => document.documentElement.lang === 'ur'")
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        page.wait_for_timeout(1_000)  # charts and the map draw after the script run
        cut = page.evaluate(CLIPPED_JS, ARABIC) + cut_axis_titles(page)
        assert cut == [], f"/{path} in Urdu at {size}:\n" + "\n".join(cut)
    finally:
        page.close()


def test_the_axis_title_check_finds_a_cut_title(browser):
    """cut_axis_titles reports an upright Nastaliq title whose tall letters reach beyond the chart's left edge, and not
    one with room (so its passes above mean something)."""
    page = browser.new_page()
    chart = (
        '<div class="js-plotly-plot" style="margin:40px"><svg class="main-svg" width="200" height="200"><g class="g-ytitle">'
        '<text x="{x}" y="100" transform="rotate(-90 {x} 100)" text-anchor="middle" style="font: 15px \'Noto Nastaliq Urdu\'">کھلے حبز</text>'
        "</g></svg></div>"
    )
    try:
        page.set_content(chart.format(x=6) + chart.format(x=40))
        page.evaluate("document.fonts.ready")
        found = cut_axis_titles(page)
        assert len(found) == 1 and "cut by" in found[0], found
    finally:
        page.close()


def test_the_clipping_check_finds_cut_text(browser):
    """CLIPPED_JS reports Nastaliq cut by a box too short for it (so its passes above mean something)."""
    page = browser.new_page()
    try:
        page.set_content(
            '<div style="height:14px;overflow:hidden;font-size:24px;line-height:1">پاکستان</div>'
            '<div style="overflow:hidden;font-size:16px;line-height:2.2">پاکستان کے صوبے</div>'
        )
        found = page.evaluate(CLIPPED_JS, ARABIC)
        assert len(found) == 1 and found[0].startswith("'پاکستان' cut by"), found
    finally:
        page.close()
