"""The deck as PDF and PowerPoint and the map as PNG carry their provenance: each file is built for real (system
Chromium, kaleido) and read back: the PDF's pages and text (pypdf), the slides' titles, captions, notes, pictures and
footers (python-pptx), the map image's pixels; texts from the data are escaped, and the browser reaches no network."""

from __future__ import annotations

import io
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from browserhelp import stage_blocks
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from releasekit import newest_folder

from components import export_deck, export_map, mapassets
from components import stage_views as sv
from components.escape import escape_html
from components.export_map import MapView
from components.map_data import filter_choices
from components.stage_content import Builders, Html, Map
from components.stage_figures import projector_spec
from pakcoe import load_release
from pakcoe.coverage import HubFilter
from pakcoe.deck import Stop, load_deck
from pakcoe.provenance import BOUNDARY, STATUS, provenance
from pakcoe.registry import NATIONAL

ROOT = Path(__file__).resolve().parent.parent.parent  # the checkout (this file is in tests/browser/)
ON = date(2026, 1, 2)
PAYLOADS = ["<img src=x onerror=alert(1)>", "</style><script>alert(1)</script>", '"><svg onload=alert(1)>', "${alert(1)}`"]


def off_loop(fn, *args, **kwargs):
    """fn(*args, **kwargs) in a thread of its own: the exports drive Chromium with Playwright's sync API, which refuses
    to run where an asyncio loop runs (pytest-playwright's, in this folder's test processes); the app and the command
    line call them from plain threads."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def flat(text: str) -> str:
    """Text with every run of white space as one space (a PDF's lines break where the layout wraps)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def release():
    """The newest release with a deck."""
    return load_release(newest_folder())


@pytest.fixture(scope="module")
def deck(release):
    return load_deck(release)


@pytest.fixture(scope="module")
def src(release):
    """The pages' builders for the release, shared by the three files (as the app's caches are)."""
    return Builders(release)


@pytest.fixture(scope="module")
def pdf(release, src) -> PdfReader:
    return PdfReader(io.BytesIO(off_loop(export_deck.deck_pdf, release, src=src, on=ON)))


@pytest.fixture(scope="module")
def pdf_notes(release, src) -> PdfReader:
    return PdfReader(io.BytesIO(off_loop(export_deck.deck_pdf, release, notes=True, src=src, on=ON)))


@pytest.fixture(scope="module")
def pptx(release, src):
    return Presentation(io.BytesIO(off_loop(export_deck.deck_pptx, release, src=src, on=ON)))


@pytest.fixture(scope="module")
def shown(release, deck, src) -> dict[int, list]:
    """What the stage draws for each stop, by number."""
    return stage_blocks(release, deck.stops, src)


def is_map_stop(shown: dict[int, list], stop: Stop) -> bool:
    return any(isinstance(b, Map) for b in shown[stop.number])


def test_the_pdf_has_one_16_9_page_per_stop_each_with_its_title_release_date_status_and_citation(pdf, deck, release, shown):
    assert len(pdf.pages) == len(deck.stops)
    cite = provenance(release, "x", ON).cite
    release_line = provenance(release, "x", ON).lines()[1]  # "Data release X · exported D" ("(draft, not published)" for a draft)
    for i, (page, stop) in enumerate(zip(pdf.pages, deck.stops, strict=True), start=1):
        box = page.mediabox
        assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
        text = flat(page.extract_text())
        assert stop.text("title") in text, i
        assert flat(stop.text("caption")) in text, i
        assert release_line in text, i
        assert STATUS in text, i
        assert f"Cite: {cite}" in text and "Attributions: " in text and "Source: " in text, i
        assert f"page {i} / {len(deck.stops)}" in text, i
        assert "Speaker notes" not in text, i
        assert (BOUNDARY in text) == is_map_stop(shown, stop), i  # map stops carry the boundary disclaimer


def test_the_pdf_with_notes_holds_every_stops_note_on_its_page(pdf_notes, deck):
    assert len(pdf_notes.pages) == len(deck.stops)
    for i, (page, stop) in enumerate(zip(pdf_notes.pages, deck.stops, strict=True), start=1):
        text = flat(page.extract_text())
        assert stop.text("title") in text and STATUS in text, i
        assert flat(stop.text("note")) in text, i


def test_the_charts_are_vector_text_in_the_pdf(pdf, deck, shown):
    """A chart stop's page holds the chart's own words as text (kaleido's SVG inlined), not only a picture."""
    for page, stop in zip(pdf.pages, deck.stops, strict=True):
        for block in shown[stop.number]:
            figure = getattr(block, "figure", None)
            if figure is None:
                continue
            spec = projector_spec(figure.to_dict())
            names = [t["name"] for t in spec["data"] if t.get("name") and t.get("showlegend") is not False]
            if names and spec["layout"].get("showlegend") is not False:
                assert any(flat(n) in flat(page.extract_text()) for n in names), stop.text("title")


def test_the_powerpoint_has_a_slide_per_stop_with_title_caption_picture_notes_and_footer(pptx, deck, release, shown):
    assert len(pptx.slides) == len(deck.stops)
    assert abs(pptx.slide_width / pptx.slide_height - 16 / 9) < 0.01
    cite = provenance(release, "x", ON).cite
    for i, (slide, stop) in enumerate(zip(pptx.slides, deck.stops, strict=True), start=1):
        assert slide.shapes.title.text == stop.text("title"), i
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame and s != slide.shapes.title]
        assert stop.text("caption") in texts, i
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1, i
        picture = Image.open(io.BytesIO(pictures[0].image.blob))
        assert picture.width >= 1200 and 0.25 < picture.height / picture.width < 0.6, i
        assert np.asarray(picture.convert("L")).std() > 10, i  # something is drawn on it
        assert pictures[0].left + pictures[0].width <= pptx.slide_width and pictures[0].top + pictures[0].height <= pptx.slide_height
        foot = next(t for t in texts if STATUS in t)
        assert provenance(release, "x", ON).lines()[1] in foot and f"slide {i} / {len(deck.stops)}" in foot, i
        assert f"Cite: {cite}" in foot and "Attributions: " in foot and "Source: " in foot, i
        assert (BOUNDARY in foot) == is_map_stop(shown, stop), i
        assert slide.notes_slide.notes_text_frame.text == stop.text("note"), i
    assert pptx.core_properties.title.endswith(release.version)


@pytest.fixture(scope="module")
def map_png(release) -> Image.Image:
    city = next(iter(filter_choices(release).views))
    return Image.open(io.BytesIO(off_loop(export_map.map_png, release, city, on=ON, width=900, height=600, scale=1.5)))


def test_the_map_image_is_the_map_then_its_legend_and_provenance(map_png):
    assert map_png.format == "PNG" and map_png.width == 1350
    pixels = np.asarray(map_png.convert("RGB")).astype(int)
    drawn, under = pixels[:900], pixels[900:]  # the map (600 CSS px at 1.5), then the footer
    assert under.shape[0] > 150  # legend and six lines of provenance
    not_white = (np.abs(drawn - 255).sum(axis=2) > 12).mean()  # the outline is filled a pale sand over white
    assert not_white > 0.2  # the outline of Pakistan fills the map area (no tiles offline)
    green = (np.abs(drawn - np.array([0x0B, 0x6E, 0x4F])).sum(axis=2) < 60).sum()
    assert green > 200  # the first phase's markers and links, in their colour
    dark_text = (under.sum(axis=2) < 200).sum()
    assert dark_text > 2000  # the legend's and footer's words


def test_the_map_page_draws_the_legend_the_disclaimer_and_the_provenance_escaped(release):
    html = export_map.map_page(release, MapView(NATIONAL, HubFilter(phases=(2,))), width=800, height=500, footer=True, ring=None, on=ON)
    foot = html[html.index('<div id="export-foot">') :]
    for line in provenance(release, export_map.map_source(release, NATIONAL, HubFilter(phases=(2,))), ON).map_lines():
        assert escape_html(line) in foot
    assert "filtered to phase 2" in foot and 'id="hub-legend"' in foot
    assert not [ref for ref in mapassets.asset_refs(html) if not ref.startswith("/app/static/vendor/")]
    assert "tile.openstreetmap.org" not in html  # no tile is even asked for


def test_the_export_browser_reaches_nothing_but_its_own_files():
    probe = """async () => {
      const get = (u) => fetch(u).then(r => r.ok ? 'ok' : 'refused', () => 'refused');
      return [await get('https://example.org/'), await get('https://tile.openstreetmap.org/5/22/13.png'),
              await get('/elsewhere.js'), await get('/app/static/vendor/leaflet/leaflet.js'), await get('/app/static/vendor/../../../pyproject.toml')];
    }"""

    def fetch_all() -> list[str]:
        with export_map.Chromium() as browser, browser.open({"/p.html": "<!DOCTYPE html><p>probe</p>"}, "/p.html", width=400, height=300) as page:
            return page.evaluate(probe)

    assert off_loop(fetch_all) == ["refused", "refused", "refused", "ok", "refused"]


class Tags(HTMLParser):
    """The element names and event-handler attributes of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.add(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def hostile_page(payload: str) -> export_deck.Page:
    stop = Stop(1, "overview", {}, {"en": payload + " title"}, {"en": payload + " caption"}, {"en": payload + " note"}, 2)
    lines = (BOUNDARY, STATUS, "Data release x · exported y", f"Source: {payload} source", f"Cite: {payload}", "Attributions: none")
    return export_deck.Page(stop, 1, 1, (Html(sv.line_html(payload)), Html(sv.cards_html(sv.Cards((sv.Card(payload, (payload,)),), 1)), fill=True)), lines)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_text_from_the_data_is_escaped_in_the_deck_document(release, payload):
    html = export_deck.document(release, [hostile_page(payload)], notes=True)
    assert payload not in html
    tags = Tags()
    tags.feed(html)
    assert not tags.found & {"script", "img", "svg"} and not tags.handlers  # the document has none of its own: none came in
    for kind in ("title", "caption", "note", "source"):
        assert escape_html(f"{payload} {kind}") in html


def test_the_export_modules_load_no_streamlit():
    code = "import sys, components.export_deck, components.export_map; sys.exit(1 if [m for m in sys.modules if m.split('.')[0] == 'streamlit'] else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True).returncode == 0
