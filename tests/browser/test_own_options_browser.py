"""Options of one's own in real Chromium: the template downloaded, changed and uploaded on Compare; the option appears
marked "yours" with figures of its own, the page says the link does not carry it, and another session does not see
it; each hostile file gives its clear message, no traceback, and the page keeps working."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browserhelp import download
from harness import choose
from playwright.sync_api import Browser, Page, expect
from releasekit import ROOT

from pakcoe import load_release
from pakcoe.display import texts
from pakcoe.levers import levers
from pakcoe.own_options import MAX_BYTES

RELEASE = "1.1.0"  # named: a release of the pinned server
URL = f"compare?release={RELEASE}&options=public-on-time&options=private-only"
TABLE_JS = """() => { const t = document.querySelector('table.kf'); if (!t) return null;
  const heads = Array.from(t.querySelectorAll('thead th[scope=col]:not(.kf-corner)')).map(th => th.childNodes[0].textContent.trim());
  const rows = Object.fromEntries(Array.from(t.querySelectorAll('tbody tr:not(.kf-figure)')).map(
    tr => [tr.querySelector('th').textContent.trim(), Array.from(tr.querySelectorAll('td .kf-v')).map(v => v.textContent.trim())]));
  return {heads, rows}; }"""
NOT_IN_LINK = "Your uploaded options are not in the link"
NAV_LINKS = "[data-testid=stTopNavLink], [data-testid=stSidebarNavLink]"


def open_compare(browser: Browser, base: str, ready) -> Page:
    """A fresh browser context (a session of its own) on the Compare page of the named release."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True).new_page()
    page.goto(f"{base}/{URL}")
    ready(page)
    expect(page.get_by_role("heading", level=1, name="Compare rollout options")).to_be_visible()
    return page


def own_panel(page: Page) -> None:
    expander = page.locator("[data-testid=stExpander]").filter(has_text="Your own options")
    if not expander.locator("[data-testid=stFileUploader]").is_visible():
        expander.get_by_text("Your own options", exact=True).click()
    expect(expander.locator("[data-testid=stFileUploader]")).to_be_visible()


def upload(page: Page, path: Path, ready) -> None:
    own_panel(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(str(path))
    ready(page)


def table(page: Page, options: int) -> dict:
    expect(page.locator(f"table.kf[data-options='{options}']")).to_have_count(1)
    return page.evaluate(TABLE_JS)


def no_traceback(page: Page) -> None:
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    assert "Traceback" not in page.content()


def test_an_uploaded_option_appears_marked_yours_with_its_own_figures(pinned_server: str, browser: Browser, ready, tmp_path: Path):
    page = open_compare(browser, pinned_server, ready)
    own_panel(page)
    template = Path(download(page, page.get_by_role("button", name="Template (CSV)")).path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(template)))
    assert [r["name"] for r in rows][:1] == ["Public adoption on time"]
    high = next(lever.high for lever in levers(load_release(ROOT / "data" / "releases" / RELEASE)) if lever.field == "capex_multiplier")
    mine = dict(rows[0], name="Dearer hubs", capex_multiplier=f"{high:g}")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerow(mine)
    path = tmp_path / "mine.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    upload(page, path, ready)
    expect(page.get_by_text("Your options are ready (1): Dearer hubs (yours).")).to_be_visible()

    choose(page, page.locator("[data-testid=stMultiSelect]").filter(has_text="Options to compare").locator("input"), "Dearer hubs (yours)")
    page.keyboard.press("Escape")
    ready(page)
    drawn = table(page, 3)
    assert drawn["heads"] == ["Public adoption on time", "Private track only", "Dearer hubs (yours)"]
    cost = drawn["rows"]["Total cost (PKR billion)"]
    assert cost[2] != cost[0] and float(cost[2].replace(",", "")) > float(cost[0].replace(",", ""))
    expect(page.get_by_text(NOT_IN_LINK)).to_be_visible()
    params = parse_qs(urlsplit(page.url).query)
    assert params["options"] == ["public-on-time", "private-only"] and not any("yours" in v for vs in params.values() for v in vs)
    link = page.get_by_role("textbox", name=re.compile("Link to this exact view")).input_value()
    assert "yours" not in link and "Dearer" not in link
    no_traceback(page)

    # the option is on Phases and Funding too, for this session (moving by the navigation: a new page load is a new session)
    for title in ("Phases", "Funding"):
        page.locator(NAV_LINKS).filter(has_text=title).first.click()
        ready(page)
        expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
        pick_option(page, "Dearer hubs (yours)")
        ready(page)
        expect(page.get_by_text(NOT_IN_LINK)).to_be_visible()
        expect(page.get_by_text("Dearer hubs (yours)").first).to_be_visible()
        assert "yours" not in page.url
        no_traceback(page)

    # back on Compare (same session), the option can be removed: the page goes back to the release's options
    page.locator(NAV_LINKS).filter(has_text="Compare options").first.click()
    ready(page)
    expect(page.get_by_text(NOT_IN_LINK)).to_be_visible()  # the session kept the chosen own option
    own_panel(page)
    page.get_by_role("button", name="Remove my options").click()
    ready(page)
    assert table(page, 2)["heads"] == ["Public adoption on time", "Private track only"]
    expect(page.get_by_text(NOT_IN_LINK)).to_have_count(0)

    # another session (a fresh context) does not see it
    other = open_compare(browser, pinned_server, ready)
    other.locator("[data-testid=stMultiSelect]").filter(has_text="Options to compare").locator("input").click()
    expect(other.get_by_role("option").first).to_be_visible()
    assert not [o for o in other.get_by_role("option").all_inner_texts() if "yours" in o]
    expect(other.get_by_text(NOT_IN_LINK)).to_have_count(0)


def pick_option(page: Page, name: str) -> None:
    """Click the rollout option `name` among the page's "Rollout option" pills (Phases, Funding), as a visitor does."""
    page.get_by_role("radiogroup", name="Rollout option").get_by_role("radio", name=name, exact=True).click()  # pills of one choice


ROW_PROBLEMS = ("formula.csv", "html.csv")


def hostile_files(header: str) -> dict[str, tuple[bytes, str]]:
    """name -> (the file's bytes, the message it must give)."""
    return {
        "latin1.csv": ((header + "\nPúblic,x\n").encode("cp1252"), "The file is not UTF-8 text."),
        "binary.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, "The file is not a text file"),
        "empty-lines.csv": (b"\n" * MAX_BYTES, "The file is empty"),
        "columns.csv": ((",".join(f"c{i}" for i in range(100_000)) + "\n").encode(), "The file has more than 200 columns"),
        "formula.csv": (
            (header + '\n"=HYPERLINK(""http://example.com"",""click"")",x,on_time,0,100,1,2027Q3,1,1,,,,,true\n').encode(),
            "Text starting with = + - or @ is refused",
        ),
        "html.csv": ((header + "\n<script>alert(1)</script>,x,on_time,0,100,1,2027Q3,1,1,,,,,true\n").encode(), "A name is plain text"),
    }


@pytest.mark.parametrize("name", ["latin1.csv", "binary.csv", "empty-lines.csv", "columns.csv", "formula.csv", "html.csv"])
def test_a_hostile_file_gives_its_message_and_the_page_keeps_working(pinned_server: str, browser: Browser, ready, tmp_path: Path, name: str):
    page = open_compare(browser, pinned_server, ready)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    header = "name,description,public_decision,delay_quarters,hub_target,pace,start_quarter,capex_multiplier,opex_multiplier,completion_rate,certification_rate,ramp_quarters,private_capacity,gating"
    raw, message = hostile_files(header)[name]
    path = tmp_path / name
    path.write_bytes(raw)
    upload(page, path, ready)
    error = page.locator("[data-testid=stAlert]").filter(has_text="The uploaded file cannot be used")
    expect(error).to_be_visible()
    if name in ROW_PROBLEMS:  # named by row and field in the problems table (a data grid: its cells are in its accessible table)
        grid = page.locator("[data-testid=stDataFrame]").filter(has_text=message)
        expect(grid).to_have_count(1)
        cells = grid.text_content() or ""
        assert "Row" in cells and "Field" in cells and "2" in cells
        assert texts(load_release(ROOT / "data" / "releases" / RELEASE)).column("name", "options") in cells  # the field's label
    else:  # the whole file: its one message in the error itself
        expect(error).to_contain_text(message)
    no_traceback(page)
    assert dialogs == []
    # the page keeps working: the options still compare, and a lever still moves the table
    assert table(page, 2)["heads"] == ["Public adoption on time", "Private track only"]
    page.locator("[data-testid=stMultiSelect]").filter(has_text="Options to compare").locator("input").click()
    assert not [o for o in page.get_by_role("option").all_inner_texts() if "yours" in o]
    page.keyboard.press("Escape")


def test_a_file_over_the_limit_is_refused_by_the_uploader(pinned_server: str, browser: Browser, ready, tmp_path: Path):
    page = open_compare(browser, pinned_server, ready)
    path = tmp_path / "big.csv"
    path.write_bytes(b"name\n" + b"x" * MAX_BYTES)
    upload(page, path, ready)
    expect(page.locator("[data-testid=stFileUploader]").get_by_text("File must be 1.0MB or smaller.")).to_be_visible()
    expect(page.get_by_text("Your options are ready")).to_have_count(0)
    no_traceback(page)
    assert table(page, 2)["heads"] == ["Public adoption on time", "Private track only"]


def test_markup_in_an_uploaded_option_is_shown_as_text(pinned_server: str, browser: Browser, ready, tmp_path: Path):
    page = open_compare(browser, pinned_server, ready)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    name = 'Mine "quoted" & *not bold* $x$'
    description = "<img src=x onerror=alert(1)><script>alert(2)</script><b>bold</b> **stars**"
    rows = list(csv.DictReader(io.StringIO(_template(page))))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerow(dict(rows[0], name=name, description=description))
    path = tmp_path / "markup.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    upload(page, path, ready)
    expect(page.get_by_text(f"Your options are ready (1): {name} (yours).")).to_be_visible()
    page.locator(NAV_LINKS).filter(has_text="Phases").first.click()
    ready(page)
    pick_option(page, f"{name} (yours)")
    ready(page)
    main = page.locator("[data-testid=stMain]")
    expect(main.get_by_text(description, exact=False).first).to_be_visible()  # the tags as text, the stars kept
    expect(main.get_by_text(f"{name} (yours).", exact=False).first).to_be_visible()
    assert main.locator("img[src=x], b:text('bold')").count() == 0
    no_traceback(page)
    assert dialogs == []


def _template(page: Page) -> str:
    own_panel(page)
    return Path(download(page, page.get_by_role("button", name="Template (CSV)")).path()).read_text(encoding="utf-8")
