"""Printing Compare and Data to PDF in real Chromium gives a clean document, read back as a reader would.

Every printed page carries the concept's status and the data release; no control (selector, picker, toggle,
button, collapsed expander, navigation) prints; the whole page prints, with Compare's section headers and chart
titles and every row of the Data page's tables (counted against the release); charts and cards are never split.
The print stylesheet is components/styles/print.css (injected by components.printing on every page).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest
from harness import DRAWN_JS
from playwright.sync_api import Browser, Page
from pypdf import PdfReader
from releasekit import ROOT

from components import printing
from pakcoe import Release, list_releases, newest_valid, registry, validate_release
from pakcoe.levers import CUSTOM

STATUS = "Concept proposal, not approved"
# Input controls, and the app's chrome and element controls: none of them may print (each is display: none in
# print, or inside something that is).
INPUTS = (
    "stSelectbox",
    "stPopover",
    "stMultiSelect",
    "stSlider",
    "stCheckbox",
    "stToggle",
    "stRadio",
    "stButtonGroup",
    "stButton",
    "stDownloadButton",
    "stLinkButton",
    "stPageLink",
    "stNumberInput",
    "stTextInput",
)
CHROME = ("stSidebar", "stHeader", "stToolbar", "stTopNav", "stElementToolbar", "stTooltipIcon")
CONTROLS = INPUTS + CHROME
# The words of the page's controls as a reader sees them on screen: labels, button texts, page links, titles of
# the expanders that must not print (collapsed, or holding controls). Words that are also the page's own content
# are left out (a lever's name heads a row of the "what differs" table): those may print.
CONTROL_TEXTS_JS = """([inputs, chrome]) => {
  const words = e => {  // an element's words, without its Material icons (their text is the icon's name)
    const c = e.cloneNode(true);
    c.querySelectorAll('[data-testid=stIconMaterial], [data-testid=stExpanderIcon]').forEach(i => i.remove());
    return c.textContent.replace(/\\s+/g, ' ').trim();
  };
  const sel = ids => ids.map(id => `[data-testid="${id}"]`).join(', ');
  const unprinted = root => [...root.querySelectorAll(sel([...inputs, ...chrome]))].concat(
    [...root.querySelectorAll('[data-testid=stExpander]')].filter(e => !e.querySelector('details').open || e.querySelector(sel(inputs))));
  const controls = new Set();
  const add = e => { const t = words(e); if (t) controls.add(t); };
  document.querySelectorAll('[data-testid=stWidgetLabel], [data-testid=stMain] button, [data-testid=stSidebar] button, [data-testid=stPageLink]').forEach(add);
  unprinted(document).filter(e => e.matches('[data-testid=stExpander]')).forEach(e => add(e.querySelector('summary')));
  const main = document.querySelector('[data-testid=stMain]').cloneNode(true);
  unprinted(main).forEach(e => e.remove());
  const content = new Set([...main.querySelectorAll('p, li, td, th, h1, h2, h3, h4, h5, h6, code')].map(words));
  return [...controls].filter(t => !content.has(t));
}"""
# testid -> [elements on the page, elements still drawn] under the current media.
DRAWN_CONTROLS_JS = """(ids) => Object.fromEntries(ids.map(id => {
  const els = [...document.querySelectorAll(`[data-testid="${id}"]`)];
  return [id, [els.length, els.filter(e => e.getClientRects().length > 0).length]];
}))"""
# Everything that must not be split across pages, with its computed break-inside under print media.
UNSPLIT_JS = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart], [class*="st-key-chart-"], [data-testid=stMetric]')]
  .map(e => [e.dataset.testid || [...e.classList].find(c => c.startsWith('st-key-')), getComputedStyle(e).breakInside])"""


@pytest.fixture(scope="module")
def newest() -> Release:
    """The newest valid published release: what the app serves by default, named in every URL below."""
    return newest_valid([validate_release(p) for p in list_releases(ROOT / "data" / "releases")]).release


@pytest.fixture
def drawn(browser: Browser) -> Iterator:
    """drawn(url) -> a page of its own (1400×1000, a desktop window), loaded, settled and fully drawn."""
    contexts = []

    def _open(url: str) -> Page:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function(DRAWN_JS, timeout=60_000)
        page.wait_for_timeout(500)  # a rerun that starts now means the page was not final yet
        page.wait_for_function(DRAWN_JS, timeout=60_000)
        return page

    yield _open
    for context in contexts:
        context.close()


def flat(text: str) -> str:
    """Text without ligatures (PDF text gives ﬀ for ff) and without any whitespace: a cell or title wrapped over
    lines in the PDF reads the same as on screen."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def printed(page: Page, out: Path) -> list[str]:
    """Print the page to an A4 PDF as Chromium's print does (print media, CSS page margins); the text of each page."""
    page.pdf(path=str(out), format="A4")
    return [unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(out).pages]


def assert_every_page_has_the_status_line_and_release(pages: list[str], version: str) -> None:
    missing = [i + 1 for i, text in enumerate(pages) if STATUS not in text or f"Data release {version}" not in text]
    assert not missing, f"printed pages without the status line and 'Data release {version}': {missing} of {len(pages)}"
    bare = [i + 1 for i, text in enumerate(pages) if len(flat(text)) < len(flat(STATUS + version)) + 40]
    assert not bare, f"pages with nothing but the running head: {bare} of {len(pages)}"


def assert_no_control_text(pages: list[str], labels: list[str]) -> None:
    """No control's words print: no printed line is one of them, and none of three words or more appears at all
    (shorter ones, like "Data release", are also ordinary words of captions)."""
    lines = {" ".join(line.split()) for text in pages for line in text.splitlines()}
    whole = flat(" ".join(pages))
    found = [t for t in labels if t in lines or (len(t.split()) >= 3 and flat(t) in whole)]
    assert not found, f"control texts in the printed document: {found}"


def assert_controls_hidden_in_print(page: Page, expected: set[str]) -> None:
    """Under print media every control and the app's chrome take no room; `expected` must be on the page (so the check
    bites), and on screen they are drawn."""
    screen = page.evaluate(DRAWN_CONTROLS_JS, list(CONTROLS))
    assert expected <= {k for k, (n, _) in screen.items() if n}, f"controls expected on the page: {expected}; found {screen}"
    page.emulate_media(media="print")
    try:
        drawn = {k: shown for k, (_, shown) in page.evaluate(DRAWN_CONTROLS_JS, list(CONTROLS)).items() if shown}
        assert drawn == {}, f"controls still drawn in print (testid: how many): {drawn}"
        assert page.locator("[data-testid=stExpander] details:not([open])").evaluate_all("els => els.filter(e => e.getClientRects().length).length") == 0
        unsplit = page.evaluate(UNSPLIT_JS)
        assert unsplit and all(v == "avoid" for _, v in unsplit), f"charts, chart frames and metrics that may split: {[u for u in unsplit if u[1] != 'avoid']}"
    finally:
        page.emulate_media(media="null")  # no emulation: page.pdf prints with print media


def assert_rows_printed(whole: str, table: pd.DataFrame, what: str) -> None:
    """Every row of `table` is in the printed text: its first two cells, in order (wrapped cells read the same)."""
    keys = [flat(f"{a}{b}") for a, b in zip(table.iloc[:, 0], table.iloc[:, 1], strict=True)]
    missing = [k for k in keys if k not in whole]
    assert not missing, f"{len(missing)} of {len(keys)} rows of {what} not printed, e.g. {missing[:3]}"


def test_printing_compare_gives_a_clean_document_with_every_section_and_chart(app_server: str, drawn, newest: Release, tmp_path: Path):
    # the default options and the custom one: its levers' expander is open (a control panel, which must not print)
    options = registry.default_value(newest, registry.page("compare").param("options"))[: registry.MAX_OPTIONS - 1] + (CUSTOM,)
    page = drawn(f"{app_server}/compare?{urlencode([('release', newest.version)] + [('options', o) for o in options])}")
    assert page.locator("[data-testid=stExpander] details[open]").filter(has_text="Custom option: levers").count() == 1
    sections = [" ".join(t.split()) for t in page.locator("[data-testid=stMain] h2").all_inner_texts()]
    charts = [" ".join(t.split()) for t in page.locator('[class*="st-key-chart-"] h3').all_inner_texts()]
    labels = page.evaluate(CONTROL_TEXTS_JS, [list(INPUTS), list(CHROME)])
    picker = f"Data release {newest.version}"  # the release picker's button names the release, as the printed status line does
    assert {picker, "Custom option: levers"} <= set(labels), f"the release picker and the levers expander are on screen: {labels}"
    labels.remove(picker)  # printed as content (the status line on every page), never as the control
    assert len(sections) >= 5 and len(charts) >= 5, (sections, charts)
    assert_controls_hidden_in_print(page, {"stSidebar", "stPopover", "stSelectbox", "stMultiSelect", "stSlider", "stCheckbox"})

    pages = printed(page, tmp_path / "compare.pdf")
    assert_every_page_has_the_status_line_and_release(pages, newest.version)
    assert_no_control_text(pages, labels)
    whole = flat(" ".join(pages))
    assert [s for s in sections if flat(s) not in whole] == [], "section headers missing from the print"
    assert [c for c in charts if flat(c) not in whole] == [], "chart titles missing from the print"
    # No section of Compare runs over two pages: more pages than that means elements stranded on pages of their own.
    assert 2 <= len(pages) <= 2 * len(sections), f"{len(pages)} pages for {len(sections)} sections"


def test_printing_data_gives_every_row_of_its_tables(app_server: str, drawn, newest: Release, tmp_path: Path):
    page = drawn(f"{app_server}/data?release={newest.version}")
    name = registry.default_value(newest, registry.page("data").param("table"))  # the table the page browses first
    labels = page.evaluate(CONTROL_TEXTS_JS, [list(INPUTS), list(CHROME)])
    assert f"Download release {newest.version} as published (zip)" in labels, labels
    labels.remove(f"Data release {newest.version}")  # the release picker's name: printed as content (the status line)
    # the table picker is there ("Table" is also a column header of the page's tables, so it is content, not only a label)
    assert page.get_by_role("combobox", name="Table", exact=True).count() == 1
    assert_controls_hidden_in_print(page, {"stSidebar", "stSelectbox", "stDownloadButton"})
    # st.dataframe draws only its scroll window: the print copy holds every row, shown in print only
    copies = page.locator(f".{printing.PRINT_COPY}")
    assert copies.first.evaluate("e => e.getClientRects().length") == 0, "the print copy of a table shows on screen"
    page.emulate_media(media="print")
    rows = copies.first.locator("tbody tr").evaluate_all("rs => rs.filter(r => r.getClientRects().length).length")
    assert page.locator("[data-testid=stMain] [data-testid=stDataFrame]").evaluate_all("els => els.filter(e => e.getClientRects().length).length") == 0
    page.emulate_media(media="null")  # no emulation: page.pdf prints with print media
    assert rows == len(newest.table(name))

    pages = printed(page, tmp_path / "data.pdf")
    assert_every_page_has_the_status_line_and_release(pages, newest.version)
    assert_no_control_text(pages, labels)
    whole = flat(" ".join(pages))
    assert_rows_printed(whole, newest.table(name), f"the browsed table '{name}'")
    # the sources are a list (it wraps), each title as the page writes it (abbreviations spelt out at first use)
    from components.datapage import source_entries

    titles = [e.title for e in source_entries(newest)]
    assert len(titles) == len(newest.table("sources"))
    missing = [t for t in titles if flat(t) not in whole]
    assert not missing, f"{len(missing)} sources not printed, e.g. {missing[:3]}"


def test_a_print_copy_keeps_every_text_literal():
    """Text reaching the print copy or the running head is escaped: markup, JS template syntax and quotes stay text."""
    payloads = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`x`", 'a "quote" & </style>']
    html = printing.print_copy(pd.DataFrame({"col <b>": payloads}), hide_index=True)
    assert "<img" not in html and "</style>" not in html and "${" not in html and "`" not in html and "<b>" not in html
    literal = printing.css_string('1.0.0"; } body { display: none } </style>')
    assert literal.count('"') == 2 and not set(literal) & set("<>;{}"), literal
