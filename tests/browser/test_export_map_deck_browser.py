"""The map image and the deck files in a real browser: the Hub map page's "Map as image (PNG)" and the Present page's
"Download" popover build their files on the server, show it meanwhile, and hand over files that open: a PNG of the
map with its footer, a PDF with a page per stop carrying the release and the status line."""

from __future__ import annotations

import io

import numpy as np
import pytest
from harness import DRAWN_JS, wait_ready
from PIL import Image
from playwright.sync_api import Browser, expect
from pypdf import PdfReader
from releasekit import newest_folder

from pakcoe import load_release
from pakcoe.deck import load_deck
from pakcoe.provenance import STATUS


@pytest.fixture(scope="module")
def decked():
    """The newest release folder with a deck, and its deck (named in every URL: it may be a draft)."""
    release = load_release(newest_folder())
    return release, load_deck(release)


def test_the_map_pages_png_download_is_the_map_with_its_footer(app_server: str, browser: Browser, decked):
    release, _ = decked
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{app_server}/map?release={release.version}&view=national&phase=2")
    page.wait_for_function(DRAWN_JS, timeout=60_000)
    wait_ready(page)
    page.get_by_role("button", name="Map as image (PNG)").click()
    save = page.locator(".st-key-export-map").get_by_role("button", name="Save the PNG")
    expect(save).to_be_visible(timeout=90_000)  # drawn in the server's own headless Chromium
    with page.expect_download(timeout=60_000) as download:
        save.click()
    assert download.value.suggested_filename == f"pak-ai-coe-map-national-{release.version}.png"
    image = Image.open(io.BytesIO(download.value.path().read_bytes()))
    assert image.format == "PNG" and image.width >= 1280 and image.height > image.width * 0.6
    pixels = np.asarray(image.convert("L"))
    assert (pixels < 250).mean() > 0.1 and (pixels < 80).sum() > 2000  # the outline of Pakistan and the markers; the footer's words
    page.close()


def test_the_present_pages_deck_pdf_download_has_a_page_per_stop(app_server: str, browser: Browser, decked):
    release, deck = decked
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{app_server}/present?release={release.version}")
    page.wait_for_function(DRAWN_JS, timeout=60_000)
    wait_ready(page)
    page.get_by_role("button", name="Download").click()
    page.get_by_role("button", name="Deck as PDF", exact=True).click()
    expect(page.get_by_role("progressbar")).to_be_visible(timeout=30_000)  # the build shows how far it got
    save = page.get_by_role("button", name="Save: deck as PDF", exact=True)
    expect(save).to_be_visible(timeout=180_000)
    with page.expect_download(timeout=60_000) as download:
        save.click()
    assert download.value.suggested_filename == f"pak-ai-coe-deck-{release.version}.pdf"
    pdf = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert len(pdf.pages) == len(deck.stops)
    for page_, stop in zip(pdf.pages, deck.stops, strict=True):
        text = " ".join(page_.extract_text().split())
        assert stop.text("title") in text and STATUS in text and f"Data release {release.version}" in text
    page.close()
