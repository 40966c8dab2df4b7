"""The release's presentation deck as a PDF (one 16:9 page a stop) and as a PowerPoint file (one slide a stop).

Each stop shows what the Present page's stage shows (components.stage_content's blocks): charts are the pages'
figures restyled for a projector and drawn by Plotly's own exporter (kaleido) as SVG, card and table stops are the
stage's HTML with its stylesheet, map stops are the hub map photographed by components.export_map. Every page carries
the stop's title and caption, optionally its speaker notes, its number, and a footer with the provenance: the
concept's status, the release and export date, the source of what it shows, how to cite the release and the
attributions (map stops add the boundary disclaimer).

One HTML document holds every page, laid out by the system Chromium: a first pass measures the room each chart and map
gets, those are drawn to fit, and the filled document is printed to PDF or, for PowerPoint, each page's visual is photographed and placed on a slide with
the texts (python-pptx), the notes in the notes pane. Nothing reaches the network (components.export_map.Chromium). No
Streamlit calls here.

The deck is in the current language (pakcoe.i18n: the app's, or the command line's --lang). In Urdu the document is
`<html lang="ur" dir="rtl">` in Noto Nastaliq Urdu (the system font, fonts-noto-core, which Chromium finds through
fontconfig: the PDF embeds it), with Nastaliq's taller lines; charts are drawn in it too (stage_figures.projector_spec);
a PowerPoint's text runs are marked Urdu (lang ur-PK), right to left, in that font.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from components import export_map, render
from components import stage_views as sv
from components.escape import escape_html
from components.stage_content import Block, Builders, Chart, Graph, Html, Map, Source, blocks, map_filter, section, with_option
from components.stage_figures import projector_spec
from pakcoe import Release, i18n, registry
from pakcoe.deck import Deck, Stop, load_deck
from pakcoe.i18n import t
from pakcoe.provenance import boundary_text, provenance, status_text

STAGE_CSS = Path(__file__).parent / "styles" / "stage.css"
# A page is laid out at the Present page's design size (1920 × 1080 CSS pixels, 1rem = 24 px, as present.css) and printed
# at two thirds onto a 16:9 sheet of 338.7 mm × 190.5 mm (1280 × 720 CSS pixels): the stage's type and charts as on a
# projector. A page is kept a pixel short of the sheet, so rounding never spills a sliver onto a page of its own.
PAGE_W, PAGE_H = 1920, 1080
PAGE_MM = (338.7, 190.5)  # the sheet, width and height in millimetres
PAGE_SIZE = tuple(f"{mm}mm" for mm in PAGE_MM)
PRINT_SCALE = 2 / 3
MAP_SCALE = 1.25  # image pixels per CSS pixel of a map on a page
EMU_PER_PX = 12192000 // PAGE_W  # PowerPoint's units per CSS pixel of a page: the slide is 13.333 in (12 192 000 EMU) wide
PT_PER_PX = 0.75 * PRINT_SCALE  # a page's CSS pixel in points on the slide, as on the printed sheet
Progress = Callable[[float, str], None]

# The print layout: a page is the stop's head, its visual (the stage's blocks), the notes, the footer.
DECK_CSS = """
@page { size: %(w)s %(h)s; margin: 0; }
html { font-size: 24px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #FFFFFF; color: #14213D; font-family: 'Source Sans Pro', 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif; }
.page { box-sizing: border-box; width: 1920px; height: 1079px; padding: 0.8rem 1.4rem 0.4rem 1.4rem; overflow: hidden; display: flex;
  flex-direction: column; gap: 0.4rem; break-after: page; page-break-after: always; }
.page:last-child { break-after: auto; page-break-after: auto; }
.head h1 { font-size: 2.1rem; line-height: 1.15; margin: 0; font-weight: 700; }
.head p { font-size: 1rem; line-height: 1.35; margin: 0.2rem 0 0 0; }
.visual { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; gap: 0.35rem; overflow: hidden; }
.visual > * { flex: 0 0 auto; }
.visual > .fill { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; gap: 0.5rem; }
.fill .stage-cards { flex: 1 1 0; min-height: 0; grid-auto-rows: minmax(0, 1fr); margin: 0; }
.fill .stage-cards + .stage-cards { flex-grow: 0.8; }
.fill .stage-cards.stage-natural { flex: 0 1 auto; grid-auto-rows: auto; }
.visual > .chart { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; gap: 0.2rem; }
.visual > .beside { flex: 1 1 0; min-height: 0; display: flex; gap: 1rem; }
.beside > .slot { flex: 3 1 0; }
.beside > .side { flex: 2 1 0; min-width: 0; }
.slot { flex: 1 1 0; min-height: 0; min-width: 0; overflow: hidden; }
.slot > svg, .slot > img { display: block; }
.notes { flex: 0 0 auto; background: #FFF6E5; border-left: 0.3rem solid #E07A1F; padding: 0.25rem 0.6rem; font-size: 0.85rem; line-height: 1.35; }
.notes p { margin: 0; }
.foot { flex: 0 0 auto; border-top: 1px solid #cfdcd6; padding-top: 0.2rem; font-size: 0.68rem; line-height: 1.35; color: #3b4a44; }
.foot p { margin: 0; }
.foot .row { display: flex; justify-content: space-between; gap: 1rem; }
.foot .status { font-weight: 700; color: #14213D; }
.foot .boundary { font-weight: 600; color: #14213D; }
html[lang="ur"] body { font-family: 'Noto Nastaliq Urdu', 'Source Sans Pro', 'DejaVu Sans', serif; }
html[dir="rtl"], html[dir="rtl"] body { direction: ltr; }  /* the document overflows to the right, so print shrinks the wide page to the sheet as in English */
html[dir="rtl"] .page { direction: rtl; }  /* each page reads right to left */
html[lang="ur"] .head h1 { font-size: 1.9rem; line-height: 1.7; }
html[lang="ur"] .head p { line-height: 1.8; margin-top: 0; }
html[lang="ur"] .notes { line-height: 1.8; padding-top: 0; padding-bottom: 0; }
html[lang="ur"] .foot { font-size: 0.62rem; line-height: 1.75; padding-top: 0; }
html[lang="ur"] .page { gap: 0.25rem; padding-top: 0.4rem; }
"""
URDU_FONT = "Noto Nastaliq Urdu"  # the system font (fonts-noto-core): PDF pages and PowerPoint runs in Urdu


@dataclass(frozen=True)
class Page:
    """One stop, ready to lay out: its place in the deck, what its stage shows, and its footer's lines."""

    stop: Stop
    position: int  # 1-based
    count: int
    blocks: tuple[Block, ...]
    lines: tuple[str, ...]  # provenance lines: status, release and date, source, cite, attributions (map: boundary first)

    @property
    def title(self) -> str:
        return self.stop.text("title")

    @property
    def caption(self) -> str:
        return self.stop.text("caption")

    @property
    def note(self) -> str:
        return self.stop.text("note")


def unavailable() -> str | None:
    """Why the deck cannot be exported here, in words (None: it can)."""
    return export_map.unavailable()


def stop_source(release: Release, resolved: registry.Resolved) -> str:
    """What a stop shows and where it comes from, in words (its footer's source line)."""
    page = resolved.page
    assert page is not None
    if page.id == "map" and section(release, "map", resolved.state) == "map":
        state = resolved.state
        return export_map.map_source(release, state["view"], map_filter(state))
    where = t(page.title)  # the page titles are app strings (pakcoe/texts/ui/core.csv)
    if page.id in registry.SECTION_PARAM:
        where += "، " if i18n.is_rtl() else ", "
        where += registry.drawn_sections(release, page.id)[section(release, page.id, resolved.state)].lower()
    return t(
        "{where} (Pak AI CoE explorer): the release's tables; rollout and funding figures are the explorer's model run on its assumptions (see Methodology)",
        where=where,
    )


def deck_pages(release: Release, deck: Deck, src: Source, on: date | None = None, progress: Progress | None = None, option: str | None = None) -> list[Page]:
    """Every stop of the deck as a Page: what its stage shows (for `option` where a stop's page takes one), and its provenance."""
    pages = []
    for i, stop in enumerate(deck.stops, start=1):
        if progress:
            progress(0.5 * (i - 1) / len(deck.stops), t("Building stop {i} of {n}: {title}", i=i, n=len(deck.stops), title=stop.text("title")))
        resolved = registry.resolve(release, stop.page, stop.params)
        if option is not None:
            resolved = with_option(resolved, option)
        shown = blocks(release, resolved, src)
        prov = provenance(release, stop_source(release, resolved), on)  # its lines in the current language
        is_map = resolved.page is not None and resolved.page.id == "map"
        pages.append(Page(stop, i, len(deck.stops), shown, prov.map_lines() if is_map else prov.lines()))
    return pages


# ---------------------------------------------------------------------------------------------------
# The HTML document


def _slot(key: str, content: dict[str, str] | None) -> str:
    return f'<div class="slot" data-slot="{key}">{(content or {}).get(key, "")}</div>'


def visual_html(page_index: int, shown: Sequence[Block], content: dict[str, str] | None) -> str:
    """A stop's blocks as HTML; each chart and map is a slot (empty when `content` has nothing for it yet)."""
    parts = []
    for j, block in enumerate(shown):
        key = f"p{page_index}b{j}"
        if isinstance(block, Html):
            parts.append(f'<div class="fill">{block.markup}</div>' if block.fill else f"<div>{block.markup}</div>")
        elif isinstance(block, Chart):
            if block.figure is None or block.empty:
                parts.append(f'<div class="chart">{sv.point_html(block.point)}{sv.line_html(block.empty or block.point, "statement")}</div>')
            else:
                parts.append(f'<div class="chart">{sv.point_html(block.point)}{_slot(key, content)}</div>')
        elif isinstance(block, Map):
            side = f'<div class="side">{block.side}</div>' if block.side else ""
            parts.append(f'<div class="beside">{_slot(key, content)}{side}</div>')
        elif isinstance(block, Graph):  # the picture needs Graphviz, which an export has not: its cards say the same
            parts.append(f"<div>{block.side}</div>")
    return "".join(parts)


def page_html(i: int, page: Page, notes: bool, content: dict[str, str] | None) -> str:
    """One stop's page: head, visual, notes (when asked), footer with the provenance and the page number."""
    lines = list(page.lines)
    boundary = f'<p class="boundary">{escape_html(lines.pop(0))}</p>' if lines[0] == boundary_text() else ""  # a map's lines: the boundary first
    status, release_line, *rest = lines
    foot = (
        f'<div class="foot">{boundary}<div class="row"><p><span class="status">{escape_html(status)}</span> · {escape_html(release_line)}</p>'
        f'<p class="number">{escape_html(t("Pak AI CoE · page {position}", position=_ltr(f"{page.position} / {page.count}")))}</p></div>'
        + "".join(f"<p>{escape_html(line)}</p>" for line in rest)
        + "</div>"
    )
    note = f'<div class="notes"><p><b>{escape_html(t("Speaker notes:"))}</b> {escape_html(page.note)}</p></div>' if notes and page.note else ""
    head = f'<div class="head"><h1>{escape_html(page.title)}</h1><p>{escape_html(page.caption)}</p></div>'
    return f'<section class="page" data-stop="{page.stop.number}">{head}<div class="visual">{visual_html(i, page.blocks, content)}</div>{note}{foot}</section>'


def document(release: Release, pages: Sequence[Page], *, notes: bool, content: dict[str, str] | None = None) -> str:
    """The whole deck as one HTML document (every text from the data escaped)."""
    style = DECK_CSS % {"w": PAGE_SIZE[0], "h": PAGE_SIZE[1]} + STAGE_CSS.read_text(encoding="utf-8")
    title = escape_html(deck_title(release))
    body = "".join(page_html(i, p, notes, content) for i, p in enumerate(pages))
    lang = i18n.current()
    return (
        f'<!DOCTYPE html><html lang="{lang}" dir="{i18n.direction(lang)}"><head><meta charset="utf-8"><title>{title}</title><style>{style}</style></head>'
        f"<body>{body}</body></html>"
    )


def deck_title(release: Release) -> str:
    """The deck's title (the PDF's and the PowerPoint's document title), in the current language."""
    return t("Pak AI CoE: presentation deck, data release {version}", version=release.version)


def _ltr(text: str) -> str:
    """Numbers such as '3 / 12' kept left to right inside Urdu text (a Unicode isolate); English as it is."""
    return f"\u2066{text}\u2069" if i18n.is_rtl() else text


# ---------------------------------------------------------------------------------------------------
# Drawing: measure, fill, print or photograph

SLOTS_JS = "() => Array.from(document.querySelectorAll('.slot')).map(s => [s.dataset.slot, Math.floor(s.clientWidth), Math.floor(s.clientHeight)])"


def _fill(browser: export_map.Chromium, release: Release, pages: Sequence[Page], notes: bool, on: date | None, progress: Progress | None) -> dict[str, str]:
    """Each chart's and map's content, drawn at the size the layout gives its slot."""
    with browser.open({"/deck.html": document(release, pages, notes=notes)}, "/deck.html", width=PAGE_W, height=PAGE_H) as tab:
        sizes = {key: (w, h) for key, w, h in tab.evaluate(SLOTS_JS)}
    content: dict[str, str] = {}
    for i, page in enumerate(pages):
        if progress:
            progress(0.5 + 0.4 * i / len(pages), t("Drawing stop {i} of {n}: {title}", i=i + 1, n=len(pages), title=page.title))
        for j, block in enumerate(page.blocks):
            key = f"p{i}b{j}"
            if key not in sizes:
                continue
            w, h = sizes[key]
            if isinstance(block, Chart) and block.figure is not None:
                svg = render.image(projector_spec(block.figure.to_dict()), "svg", max(w, 200), max(h, 120)).decode("utf-8")
                content[key] = svg[svg.index("<svg") :]  # no XML declaration inside HTML
            elif isinstance(block, Map):
                shown = export_map.MapView(block.view, block.hub_filter)
                png = export_map.shoot(browser, release, shown, width=max(w, 200), height=max(h, 150), scale=MAP_SCALE, footer=False, ring=block.ring, on=on)
                alt = escape_html(t("Map of the proposed hubs: {what}", what=export_map.map_source(release, block.view, block.hub_filter)))
                content[key] = f'<img alt="{alt}" width="{w}" height="{h}" src="data:image/png;base64,{base64.b64encode(png).decode()}">'
    return content


def _prepare(release: Release, src: Source | None, on: date | None, progress: Progress | None, option: str | None = None) -> list[Page]:
    reason = unavailable()
    if reason:
        raise RuntimeError(reason)
    deck = load_deck(release)
    if deck is None or not deck.stops:
        raise ValueError(t("Data release {version} has no presentation deck.", version=release.version))
    return deck_pages(release, deck, src or Builders(release), on, progress, option)


def deck_pdf(
    release: Release, *, notes: bool = False, src: Source | None = None, on: date | None = None, progress: Progress | None = None, option: str | None = None
) -> bytes:
    """The deck as a PDF: one 16:9 page a stop (speaker notes on each page when `notes`).

    `src`: where the pages' builders' results come from (components.cached in the app; by default they are built here)."""
    pages = _prepare(release, src, on, progress, option)
    with export_map.Chromium() as browser:
        html = document(release, pages, notes=notes, content=_fill(browser, release, pages, notes, on, progress))
        if progress:
            progress(0.92, t("Printing the PDF"))
        with browser.open({"/deck.html": html}, "/deck.html", width=PAGE_W, height=PAGE_H) as tab:
            tab.evaluate(export_map.SETTLE_JS)
            pdf = tab.pdf(
                width=PAGE_SIZE[0],
                height=PAGE_SIZE[1],
                print_background=True,
                prefer_css_page_size=True,
                margin=dict.fromkeys(("top", "right", "bottom", "left"), "0"),
            )
    if progress:
        progress(1.0, t("Done"))
    return pdf


# ---------------------------------------------------------------------------------------------------
# PowerPoint

BOXES_JS = """() => Array.from(document.querySelectorAll('.page')).map(p => {
  const o = p.getBoundingClientRect();
  const box = (sel) => { const e = p.querySelector(sel); if (!e) return null; const r = e.getBoundingClientRect();
    return [r.left - o.left, r.top - o.top, r.width, r.height, parseFloat(getComputedStyle(e).fontSize)]; };
  return {head: box('.head h1'), caption: box('.head p'), visual: box('.visual'), foot: box('.foot')};  // [x, y, w, h, font px]
})"""


def deck_pptx(release: Release, *, src: Source | None = None, on: date | None = None, progress: Progress | None = None, option: str | None = None) -> bytes:
    """The deck as PowerPoint: one 16:9 slide a stop with its title, caption, the visual as a picture, the speaker notes
    in the notes pane, and a footer with the provenance and the slide number; placed where the PDF's page has them."""
    pages = _prepare(release, src, on, progress, option)
    with export_map.Chromium() as browser:
        html = document(release, pages, notes=False, content=_fill(browser, release, pages, False, on, progress))
        with browser.open({"/deck.html": html}, "/deck.html", width=PAGE_W, height=PAGE_H) as tab:
            tab.evaluate(export_map.SETTLE_JS)
            boxes = tab.evaluate(BOXES_JS)
            pictures = []
            for i, visual in enumerate(tab.locator(".page .visual").all()):
                if progress:
                    progress(0.9 + 0.08 * i / len(pages), t("Photographing stop {i} of {n}", i=i + 1, n=len(pages)))
                pictures.append(visual.screenshot(type="png", animations="disabled"))
    data = slides(release, pages, boxes, pictures)
    if progress:
        progress(1.0, t("Done"))
    return data


LOCALE_TAGS = {"en": "en-GB", "ur": "ur-PK"}


def urdu(para: Any, run: Any) -> None:
    """Mark a PowerPoint paragraph right to left and its run as Urdu in Noto Nastaliq Urdu (python-pptx has no API for
    either: the DrawingML attributes `a:pPr/@rtl`, `a:rPr/@lang` and the complex-script font `a:cs` are set directly)."""
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.ns import qn

    para.alignment = PP_ALIGN.RIGHT
    para._p.get_or_add_pPr().set("rtl", "1")
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", LOCALE_TAGS["ur"])
    rpr.set("altLang", LOCALE_TAGS["en"])
    run.font.name = URDU_FONT  # a:latin (the digits and Latin names in the text)
    for tag in ("a:ea", "a:cs"):
        found = rpr.find(qn(tag))
        if found is None:
            found = rpr.makeelement(qn(tag), {})
            rpr.append(found)
        found.set("typeface", URDU_FONT)


def slides(release: Release, pages: Sequence[Page], boxes: Sequence[dict], pictures: Sequence[bytes]) -> bytes:
    """The .pptx file: each page's texts and picture at the places `boxes` (CSS pixels on the page) give them."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Pt

    ink, grey = RGBColor(0x14, 0x21, 0x3D), RGBColor(0x3B, 0x4A, 0x44)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(PAGE_W * EMU_PER_PX), Emu(PAGE_H * EMU_PER_PX)
    deck.core_properties.title = deck_title(release)
    deck.core_properties.subject = status_text()
    deck.core_properties.language = LOCALE_TAGS.get(i18n.current(), "en-GB")
    rtl = i18n.is_rtl()
    layout = deck.slide_layouts[5]  # "Title Only": the title is the slide's title placeholder (outline view, screen readers)

    def emu(v: float) -> Emu:
        return Emu(int(round(v * EMU_PER_PX)))

    def place(shape: Any, box: Sequence[float]) -> None:
        shape.left, shape.top, shape.width, shape.height = emu(box[0]), emu(box[1]), emu(box[2]), emu(box[3])

    def text(frame: Any, lines: Sequence[tuple[str, float, bool, Any]]) -> None:
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        for k, (words, size, bold, colour) in enumerate(lines):
            para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = words
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
            if rtl:
                urdu(para, run)

    for page, box, picture in zip(pages, boxes, pictures, strict=True):
        slide = deck.slides.add_slide(layout)
        title = slide.shapes.title
        place(title, box["head"])
        title.text_frame.clear()
        text(title.text_frame, [(page.title, box["head"][4] * PT_PER_PX, True, ink)])
        caption = slide.shapes.add_textbox(0, 0, 0, 0)
        place(caption, box["caption"])
        text(caption.text_frame, [(page.caption, box["caption"][4] * PT_PER_PX, False, ink)])
        x, y, w, h = box["visual"][:4]
        slide.shapes.add_picture(io.BytesIO(picture), emu(x), emu(y), emu(w), emu(h))
        foot = slide.shapes.add_textbox(0, 0, 0, 0)
        place(foot, box["foot"])
        lines = list(page.lines)
        small = box["foot"][4] * PT_PER_PX
        styled = [(lines.pop(0), small, True, ink)] if lines[0] == boundary_text() else []  # a map's lines: the boundary first
        slide_no = t("Pak AI CoE · slide {position}", position=_ltr(f"{page.position} / {page.count}"))
        styled.append((f"{lines[0]} · {lines[1]} · {slide_no}", small, True, ink))
        styled += [(line, small, False, grey) for line in lines[2:]]
        text(foot.text_frame, styled)
        if page.note:
            notes = slide.notes_slide.notes_text_frame
            notes.text = page.note
            if rtl:
                for para in notes.paragraphs:
                    for run in para.runs:
                        urdu(para, run)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
