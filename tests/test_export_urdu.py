"""Every export in Urdu, opened and read back: the chart SVG (its footer and title in Urdu, drawn in Noto Nastaliq
Urdu), the CSV metadata header (Urdu `#` lines, column ids untranslated, pandas reads it back), the PowerPoint's slides
(python-pptx: Urdu title, caption, notes and footer; runs marked Urdu, right to left, in the Nastaliq font), the HTML
briefing pack (lang="ur" dir="rtl", its texts in Urdu, the font inlined once, within 6 MB) and the command line's
--lang. The deck's PDF (printed by Chromium) and the pack opened offline are read in
tests/browser/test_present_urdu_browser.py."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn
from releasekit import newest_folder

from components import export_deck, export_pack, exports
from components.funding_figures import mix_data
from components.rollout_figures import at_horizon, compare_data, scenarios
from components.stage_content import Builders
from pakcoe import i18n, load_release
from pakcoe.deck import load_deck
from pakcoe.model import comparison_horizon, scenario_from_option
from pakcoe.provenance import provenance
from pakcoe.uncertainty import ranges

ON = date(2026, 12, 1)
ARABIC = re.compile(r"[\u0600-\u06FF]")
LIMIT = 6_000_000  # bytes: the pack's 6 MB, in Urdu too


def urdu(text: str) -> bool:
    """Mostly Arabic script (names and acronyms kept as written set aside)."""
    return i18n.arabic_share(text) >= 0.5


@pytest.fixture(scope="module")
def english():
    """The newest release with a deck (1.7.0 on: its deck has Urdu texts)."""
    return load_release(newest_folder())


@pytest.fixture(scope="module")
def release(english):
    """The same release with its texts in Urdu, as the app and the command line give it to an Urdu export."""
    return i18n.localize(english, "ur")


def test_a_chart_svg_has_its_title_and_footer_in_urdu_drawn_in_nastaliq(release):
    with i18n.using("ur"):
        option = release.table("options")["option_id"].iloc[0]
        built = mix_data(release, option, None, "PKR")
        prov = provenance(release, exports.compare_source(), ON)
        svg = exports.chart_svg(built.figure, built.point, prov).decode("utf-8")
        lines = prov.lines()
    texts = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)]
    shown = " ".join(texts).replace("&amp;", "&")
    assert urdu(built.point) and urdu(lines[0]) and urdu(lines[1])
    for line in lines:  # every provenance line, wrapped over one or more SVG texts, in Urdu where it is not a citation
        words = [w for w in line.split() if ARABIC.search(w)][:4]
        assert all(w in shown for w in words), line
    assert release.version in shown and "2026" in shown and "دسمبر" in shown  # the export date in Urdu (i18n.date)
    assert "Nastaliq" in svg  # the figure's font family: kaleido's Chromium draws Urdu in it (checked by eye too)
    assert "Concept proposal" not in shown and "Data release" not in shown


def test_a_chart_png_is_drawn_and_the_same_size_as_in_english(release, english):
    with i18n.using("ur"):
        built = mix_data(release, release.table("options")["option_id"].iloc[0], None, "PKR")
        png = exports.chart_png(built.figure, built.point, provenance(release, "ماڈل", ON))
    image = Image.open(io.BytesIO(png))
    assert image.size == (exports.WIDTH, exports.HEIGHT)
    # the footer's band (bottom right, where Urdu lines end) holds ink: the lines were drawn, not left blank boxes
    band = image.convert("L").crop((exports.WIDTH // 2, exports.HEIGHT - 150, exports.WIDTH - 20, exports.HEIGHT - 20))
    assert band.getextrema()[0] < 120  # its darkest pixel


def test_the_compare_csv_header_is_urdu_and_reads_back_with_the_same_column_ids(release, english):
    def csv_of(rel):
        chosen = list(rel.table("options")["option_id"])[:2]
        runs, labels = scenarios(rel, chosen, scenario_from_option(rel, chosen[0]))
        runs = at_horizon(runs, comparison_horizon(rel, runs))
        data = compare_data(rel, runs, labels)
        return exports.compare_csv(data, [ranges(rel, s) for s in runs], labels[0], provenance(rel, exports.compare_source(), ON))

    with i18n.using("ur"):
        text = csv_of(release)
    english_text = csv_of(english)
    meta = [line for line in text.splitlines() if line.startswith("#")]
    assert meta and all(urdu(line) for line in meta[:3]), meta[:3]  # status, release and date, source
    assert any("موازنہ کیے گئے اختیارات" in line for line in meta) and any("مدت" in line for line in meta)
    frame, frame_en = pd.read_csv(io.StringIO(text), comment="#"), pd.read_csv(io.StringIO(english_text), comment="#")
    assert list(frame.columns) == list(frame_en.columns)  # column ids are never translated
    assert len(frame) == len(frame_en) == 2
    assert frame[frame.columns[2]].tolist() == frame_en[frame_en.columns[2]].tolist()  # the same figures


def test_a_table_csv_header_is_urdu_and_its_column_ids_are_not(release):
    table = pd.DataFrame({"hub_id": ["karachi-1", "=cmd"], "learner_capacity_per_year": [480, 960]})
    with i18n.using("ur"):
        text = exports.table_csv(table, provenance(release, "حب کی فہرست", ON))
    meta = [line for line in text.splitlines() if line.startswith("#")]
    assert len(meta) == 5 and all(urdu(line) for line in meta[:3])
    back = pd.read_csv(io.StringIO(text), comment="#")
    assert list(back.columns) == ["hub_id", "learner_capacity_per_year"] and back["hub_id"].tolist() == ["karachi-1", "'=cmd"]


def test_the_powerpoint_slides_are_urdu_right_to_left_in_nastaliq(release):
    """The slides as export_deck.slides writes them (the layout boxes and pictures a Chromium pass would measure are
    given here; tests/browser/test_present_urdu_browser.py builds the whole file through Chromium)."""
    with i18n.using("ur"):
        deck = load_deck(release)
        pages = export_deck.deck_pages(release, deck, Builders(release), ON)
        box = {"head": [30, 20, 1800, 80, 50], "caption": [30, 110, 1800, 40, 24], "visual": [30, 160, 1860, 800], "foot": [30, 970, 1860, 100, 16]}
        picture = io.BytesIO()
        Image.new("RGB", (186, 80), "white").save(picture, "PNG")
        data = export_deck.slides(release, pages, [box] * len(pages), [picture.getvalue()] * len(pages))
    deck_file = Presentation(io.BytesIO(data))
    slides = list(deck_file.slides)
    assert len(slides) == len(deck.stops)
    assert deck_file.core_properties.language == "ur-PK" and urdu(deck_file.core_properties.title)
    for slide, stop in zip(slides, deck.stops, strict=True):
        title = slide.shapes.title.text_frame.text
        assert title == stop.text("title", "ur") and urdu(title)
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert stop.text("caption", "ur") in texts
        footer = next(t for t in texts if release.version in t)
        assert "تصوراتی تجویز" in footer and "سلائیڈ" in footer
        assert slide.notes_slide.notes_text_frame.text == stop.text("note", "ur") and urdu(stop.text("note", "ur"))
        run = slide.shapes.title.text_frame.paragraphs[0].runs[0]._r
        rpr = run.find(qn("a:rPr"))
        assert rpr.get("lang") == "ur-PK"
        assert run.getparent().find(qn("a:pPr")).get("rtl") == "1"
        assert {rpr.find(qn(f"a:{tag}")).get("typeface") for tag in ("latin", "cs")} == {"Noto Nastaliq Urdu"}


@pytest.fixture(scope="module")
def pack(release):
    with i18n.using("ur"):
        option = release.table("options")["option_id"].iloc[-1]
        return export_pack.pack_html(release, option, on=ON)


def test_the_pack_is_urdu_right_to_left_with_its_font_inlined_once(pack, release):
    assert pack.startswith('<!DOCTYPE html><html lang="ur" dir="rtl">')
    assert len(re.findall(r"@font-face\s*\{\s*font-family:\s*'Noto Nastaliq Urdu'", pack)) >= 2  # the faces (400 and 700), in the page's one style element
    assert pack.count("data:font/woff2;base64,") == 2  # inlined once: the map frames copy the page's faces
    assert 'id="pack-font"' in pack
    with i18n.using("ur"):
        deck = load_deck(release)
        title = i18n.t("Pak AI CoE briefing pack")
    body = re.sub(r"<script\b.*?</script>|<style\b.*?</style>", " ", pack, flags=re.S)
    assert title in body and "تصوراتی تجویز" in body and "ڈیٹا ریلیز" in body and "دستبرداری" in body
    for stop in deck.stops:
        assert export_pack.esc(stop.text("title", "ur")) in body
    assert "Briefing pack" not in body and "Key tables" not in body and "Disclaimers" not in body
    headers = [html.unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", body, flags=re.S)]
    assert headers and [h for h in headers if i18n.arabic_share(h) < 0.5] == []  # every table's headers in Urdu


def test_the_urdu_pack_stays_within_six_megabytes(pack):
    assert len(pack.encode("utf-8")) <= LIMIT, f"{len(pack.encode('utf-8')):,} bytes"


def test_the_command_line_writes_urdu_exports_with_lang_ur(tmp_path: Path, english, monkeypatch):
    """scripts/export.py --lang ur: the CSV's header in Urdu, its file name says so; the default stays English."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import export as cli

    monkeypatch.setenv("PAKCOE_RELEASES", str(Path(english.path).parent))
    options = list(english.table("options")["option_id"])[:2]
    out_ur, out_en = tmp_path / "ur.csv", tmp_path / "en.csv"
    assert cli.main(["compare", "--release", english.version, "--lang", "ur", "--options", *options, "-o", str(out_ur)]) == 0
    assert cli.main(["compare", "--release", english.version, "--options", *options, "-o", str(out_en)]) == 0
    ur, en = out_ur.read_text(encoding="utf-8"), out_en.read_text(encoding="utf-8")
    assert urdu(ur.splitlines()[0]) and ur.splitlines()[0] != en.splitlines()[0] and not urdu(en.splitlines()[0])
    assert list(pd.read_csv(out_ur, comment="#").columns) == list(pd.read_csv(out_en, comment="#").columns)
    parser = cli.parser()
    assert parser.parse_args(["compare", "--options", "a", "b"]).lang == "en"
    with pytest.raises(SystemExit):
        parser.parse_args(["compare", "--lang", "fr", "--options", "a", "b"])
