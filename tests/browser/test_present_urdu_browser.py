"""The Present page and its exports in Urdu, in a real browser: the keys move the deck, the status line and the bar are
in Urdu, the progress "n / N" reads left to right, "Open this view in the app" keeps the language, an audience window
follows the presenter in its own language (from its own address); the deck printed to PDF by Chromium (pypdf: one page
a stop, the release id, Urdu text, the Nastaliq font embedded), the PowerPoint built through Chromium (python-pptx), and
the briefing pack opened from disk offline (charts and maps drawn, the Nastaliq font in use, nothing fetched).
The fit of every stop at 1920×1080 and 1280×720 in Urdu: tests/browser/test_present_fit_browser.py."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from harness import wait_ready
from playwright.sync_api import Browser, expect
from pptx import Presentation
from pypdf import PdfReader
from releasekit import newest_folder
from test_export_deck_browser import off_loop
from test_export_pack_browser import CHARTS_DRAWN, MAP_HUBS, _open_offline, settle_clusters
from test_present_browser import _audience, _follows, _open, _press, _query

from components import export_deck, export_pack
from pakcoe import i18n, load_release, registry
from pakcoe.deck import load_deck

TITLE = ".st-key-present-head h1"
BIG = {"width": 1920, "height": 1080}
ON = date(2026, 12, 1)
ARABIC = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def decked():
    """The newest release with a deck, in English and in Urdu (as the page loads it: names in Urdu too), and its decks."""
    english = load_release(newest_folder())
    with i18n.using("ur"):
        urdu = i18n.localize(english, "ur")
        return english, urdu, load_deck(english), load_deck(urdu)


def test_the_keys_move_the_urdu_deck_and_everything_reads_in_urdu(app_server: str, browser: Browser, decked):
    _, urdu, _, deck = decked
    page = browser.new_page(viewport=BIG)
    _open(page, f"{app_server}/present?release={urdu.version}&lang=ur")
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["ur", "rtl"]
    n = len(deck.stops)
    expect(page.locator(TITLE)).to_have_text(deck.stops[0].text("title", "ur"))
    for i, key in ((1, "ArrowRight"), (2, "PageDown"), (1, "ArrowLeft"), (0, "PageUp"), (n - 1, "End"), (0, "Home")):
        _press(page, key, page.locator(TITLE).inner_text())
        expect(page.locator(TITLE)).to_have_text(deck.stops[i].text("title", "ur"))
        # "2 / 12": digits left to right (a Unicode isolate inside the right-to-left bar)
        assert page.locator(".st-key-present-progress").inner_text().strip("\u2066\u2069 \n") == f"{i + 1} / {n}"
        assert _query(page).get("stop", ["1"]) == [str(deck.stops[i].number)] and _query(page)["lang"] == ["ur"]
    status = page.locator(".st-key-present-status").inner_text()
    assert "تصوراتی تجویز، منظور شدہ نہیں" in status and f"ڈیٹا ریلیز {urdu.version}" in status
    assert "Concept proposal" not in status and "Data release" not in status
    bar = page.locator(".st-key-present-bar").inner_text()
    for word in ("پہلی", "پچھلی", "اگلی", "آخری", "مقرر کے نوٹس", "یہ منظر ایپ میں کھولیں", "ناظرین کی ونڈو", "ڈاؤن لوڈ"):
        assert word in bar, word
    assert "Next" not in bar and "Previous" not in bar
    assert "Nastaliq" in page.evaluate(f"() => getComputedStyle(document.querySelector('{TITLE}')).fontFamily")
    assert page.evaluate("() => document.fonts.check('24px \"Noto Nastaliq Urdu\"', 'پاکستان')")
    # "Open this view in the app" keeps the language (and the release)
    stop = next(s for s in deck.stops if s.page == "map" and s.params.get("view") == [registry.NATIONAL])
    _open(page, f"{app_server}/present?release={urdu.version}&stop={stop.number}&lang=ur")
    href = page.get_by_role("link", name="یہ منظر ایپ میں کھولیں").get_attribute("href")
    assert parse_qs(urlsplit(href).query) == {"release": [urdu.version], "view": [registry.NATIONAL], "lang": ["ur"]}
    page.close()


def test_an_audience_window_follows_in_its_own_language(app_server: str, browser: Browser, decked):
    """An Urdu presenter's room: its follower link keeps Urdu; the same room followed from an English address shows the
    presenter's stop in English."""
    _, urdu, english_deck, deck = decked
    presenter = browser.new_page(viewport=BIG)
    _open(presenter, f"{app_server}/present?release={urdu.version}&lang=ur")
    presenter.get_by_role("button", name="ناظرین کی ونڈو").click()
    wait_ready(presenter, settle_ms=200)
    code = _query(presenter)["room"][0]
    link = presenter.get_by_role("link", name=f"ناظرین کی ونڈو (کمرہ {code})").get_attribute("href")
    assert parse_qs(urlsplit(link).query) == {"release": [urdu.version], "follow": [code], "lang": ["ur"]}
    urdu_window = _audience(browser, f"{app_server}/{link}")
    english_window = _audience(browser, f"{app_server}/present?release={urdu.version}&follow={code}")
    in_urdu, in_english = urdu_window[0], english_window[0]
    for i, key in ((1, "ArrowRight"), (2, "ArrowRight"), (0, "Home")):
        presenter.keyboard.press(key)
        expect(presenter.locator(TITLE)).to_have_text(deck.stops[i].text("title", "ur"))
        _follows(urdu_window, deck.stops[i].text("title", "ur"), code)
        _follows(english_window, english_deck.stops[i].text("title", "en"), code)
    expect(in_urdu.locator(".st-key-present-status")).to_contain_text(f"کمرہ {code}")
    expect(in_english.locator(".st-key-present-status")).to_contain_text(f"Room {code}")
    assert in_urdu.locator(".st-key-present-bar").count() == 0 and in_urdu.locator(".st-key-present-notes").count() == 0
    for p in (presenter, in_urdu, in_english):
        p.close()


def _in_urdu(fn, *args, **kwargs):
    with i18n.using("ur"):
        return fn(*args, **kwargs)


def test_the_urdu_deck_pdf_has_a_page_a_stop_in_urdu_with_the_nastaliq_font_embedded(decked):
    """pypdf reads Nastaliq's shaped glyphs back only in part (ligatures map to their letters unevenly), so this checks
    what is reliably there: one page a stop, the release id and the page numbers, Urdu letters on every page, and
    the font embedded."""
    _, urdu, _, deck = decked
    pdf = off_loop(_in_urdu, export_deck.deck_pdf, urdu, notes=True, on=ON)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(deck.stops)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        assert urdu.version in text, number
        assert len(ARABIC.findall(text)) > 40, number  # the title, caption, notes and footer in Urdu letters
        assert f"{number} / {len(deck.stops)}" in text or f"{number}/{len(deck.stops)}" in text.replace(" ", ""), number
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")))
    assert any("NotoNastaliqUrdu" in f for f in fonts), fonts


def test_the_urdu_powerpoint_built_through_chromium_reads_back_in_urdu(decked):
    _, urdu, _, deck = decked
    data = off_loop(_in_urdu, export_deck.deck_pptx, urdu, on=ON)
    slides = list(Presentation(io.BytesIO(data)).slides)
    assert len(slides) == len(deck.stops)
    for slide, stop in zip(slides, deck.stops, strict=True):
        assert slide.shapes.title.text_frame.text == stop.text("title", "ur")
        assert stop.text("caption", "ur") in [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert slide.notes_slide.notes_text_frame.text == stop.text("note", "ur")


def test_the_urdu_pack_opens_offline_with_charts_maps_and_the_nastaliq_font(browser: Browser, decked, tmp_path: Path):
    _, urdu, _, _ = decked
    with i18n.using("ur"):
        option = list(urdu.table("options")["option_id"])[-1]
        html = export_pack.pack_html(urdu, option, on=ON)
    path = tmp_path / "pack-ur.html"
    path.write_text(html, encoding="utf-8")
    page, refused, errors = _open_offline(browser, path)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    page.wait_for_function(f"() => ({MAP_HUBS})().every(n => n > 0)", timeout=60_000)
    settle_clusters(page, len(urdu.hubs))
    assert max(page.evaluate(MAP_HUBS)) == len(urdu.hubs)
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["ur", "rtl"]
    page.evaluate("() => document.fonts.ready")
    assert page.evaluate("() => document.fonts.check('24px \"Noto Nastaliq Urdu\"', 'پاکستان')")
    assert page.evaluate("() => [...document.fonts].some(f => f.family.includes('Nastaliq') && f.status === 'loaded')")
    frame_font = page.evaluate(
        "() => { const d = document.querySelector('iframe').contentDocument; return [...d.fonts].some(f => f.family.includes('Nastaliq')); }"
    )
    assert frame_font  # the map frames share the page's faces
    assert refused == [], f"the pack asked for {refused}"
    assert errors == []
    page.screenshot(path=str(tmp_path / "pack-ur.png"))
    page.close()
