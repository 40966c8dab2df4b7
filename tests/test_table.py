"""Static tables (components.table.static): escaped HTML, shown as written, rows' headers marked for screen readers.

They replaced st.table, which reads every cell as Markdown: a cell is text, never markup of either kind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from components.table import html_table
from pakcoe import i18n

ROOT = Path(__file__).resolve().parent.parent


def test_cells_are_shown_as_written_never_as_html_or_markdown():
    frame = pd.DataFrame({"name": ["<img src=x onerror=alert(1)>", "*not emphasis* and _this_", "[a](javascript:x)"], "hubs": [1, 2, 3]})
    out = html_table(frame)
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "<td>*not emphasis* and _this_</td>" in out and "<td>[a](javascript:x)</td>" in out  # no Markdown escapes left in view
    assert "<em>" not in out and "<a " not in out


def test_an_index_becomes_the_rows_headers_and_the_header_row_can_go():
    frame = pd.DataFrame({"Option": ["Public, on time", "Private track only"], "Gate 1": ["met 2027Q4", "not met by 2031Q4"]}).set_index("Option")
    out = html_table(frame, index=True)
    assert "<th scope='col'>Option</th><th scope='col'>Gate 1</th>" in out
    assert re.findall(r"<th scope='row'>([^<]*)</th>", out) == ["Public, on time", "Private track only"]
    assert out.count("<td>") == 2  # the other cells stay data cells
    attributes = pd.DataFrame({"attribute": ["Hub type"], "value": ["Flagship hub"]}).set_index("attribute")
    bare = html_table(attributes, index=True, header=False)
    assert "<thead>" not in bare and "<tr><th scope='row'>Hub type</th><td>Flagship hub</td></tr>" in bare


def test_a_numeric_row_header_keeps_its_number_layout():
    out = html_table(pd.DataFrame({"Hubs": [1200], "Share": ["a"]}).set_index("Hubs"), index=True)
    assert f"<th scope='row' class='num' dir='ltr'>{i18n.num(1200)}</th>" in out


def test_no_page_or_component_draws_st_table():
    """Every short table goes through components.table.static (see there why not st.table)."""
    sources = [*ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py"), ROOT / "app.py"]
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sources for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if "st.table(" in line]
    assert found == []


def test_each_table_is_named_for_screen_readers_by_its_caption_or_its_name():
    """The scroll box is a named region: a page's tables are told apart in a screen reader's list of regions."""
    frame = pd.DataFrame({"Hubs": [1]})
    labels = [re.search(r"aria-label='([^']*)'", html_table(frame, **kw)).group(1) for kw in ({"name": "Phase gates"}, {"name": "Milestones"})]
    assert labels == ["Phase gates", "Milestones"]
    assert "aria-label='The caption'" in html_table(frame, caption="The caption", name="ignored")
    hostile = html_table(frame, name="x' onfocus='alert(1)")
    assert "onfocus='alert" not in hostile and "aria-label='x&#x27; onfocus=&#x27;alert(1)'" in hostile
