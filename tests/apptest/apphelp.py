"""AppTest helpers: run the real app.py (router + frame) on a page; read what it drew.

A module of its own (not conftest.py): tests import it by name, and a bare `conftest` can resolve to
another folder's conftest when the whole suite runs in one process.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_page(page: str | None = None, query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """Run app.py, switch to pages/<page>.py if given, with preset query parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(str(ROOT / "pages" / f"{page}.py"))
        at.run()
    return at


def texts(at: AppTest) -> str:
    """All markdown, info, warning, error, caption and title text of the run, joined."""
    parts = []
    for kind in ("markdown", "info", "warning", "error", "success", "caption", "title", "header", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [e.label for e in at.expander]
    return "\n".join(parts)


def plotly_values(values) -> list:
    """Plotly 7 sends numeric arrays as base64 typed arrays; return plain Python numbers either way."""
    if isinstance(values, dict) and "bdata" in values:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    return list(values)


def open_first(page: str, query: dict | None = None, timeout: float = 60) -> AppTest:
    """Open pages/<page>.py as the session's FIRST page, with query parameters (as a shared link does)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.switch_page(str(ROOT / "pages" / f"{page}.py"))
    at.run()
    return at


def open_clean(page: str, query: dict | None = None) -> AppTest:
    """open_first(), asserting the page drew without an exception or an error box."""
    at = open_first(page, query)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def chart_spec(at: AppTest, key: str) -> dict:
    """The Plotly spec the chart with this key received."""
    import json

    charts = [c for c in at.get("plotly_chart") if c.proto.id and key in c.proto.id]
    assert len(charts) == 1, f"no single chart {key}"
    return json.loads(charts[0].proto.spec)


def release_notice(at: AppTest) -> tuple[str, str]:
    """The frame's one release notice: its summary (a warning) and its details (the expander folded under it; '' if none).

    Fails unless there is exactly one notice."""
    summaries = [w.value for w in at.warning if w.value.startswith(("**Data release", "**Draft release", "**You are viewing release"))]
    assert len(summaries) == 1, summaries
    details = [e for e in at.expander if e.label.startswith("What data release")]
    assert len(details) <= 1
    return summaries[0], "\n".join(m.value for e in details for m in e.markdown)


def tables_opened(at: AppTest) -> AppTest:
    """`at` rerun with every chart's data table open, as a user opening each "Data table (text alternative)" does
    (components.chart builds a table only when its expander is open)."""
    from components.chart import TABLE_FOLD
    from components.folds import KEY

    keys = [k for k in at.session_state if str(k).startswith(KEY + TABLE_FOLD) and not at.session_state[k]]
    for k in keys:
        at.session_state[k] = True
    return at.run() if keys else at


def folds_opened(at: AppTest, lang: str = "en") -> AppTest:
    """`at` rerun with every folded section open, as a user opening each one does (components.folds builds a fold's
    content only while it is open). `lang`: the page's language (AppTest formats the widgets' values with their
    format_func in the test's own thread before the run, and a page in Urdu formats them in Urdu)."""
    from components.folds import KEY
    from pakcoe import i18n

    keys = [k for k in at.session_state if str(k).startswith(KEY) and not at.session_state[k]]
    if not keys:
        return at
    for k in keys:
        at.session_state[k] = True
    i18n.set_current(lang)
    try:
        return at.run()
    finally:
        i18n.set_current("en")


class _TableReader(HTMLParser):
    """The cells of every <table> in an HTML text: per table, its column headers and its rows; a row's cells as
    (text, is a row header)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[str], list[list[tuple[str, bool]]]]] = []
        self._cell: list[str] | None = None
        self._row_header = False
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell, self._row_header = [], tag == "th" and dict(attrs).get("scope") == "row"

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell)
            if self._in_head:
                self.tables[-1][0].append(text)
            else:
                self.tables[-1][1][-1].append((text, self._row_header))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def static_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every static table the run drew (components.table.static: escaped HTML), in order, as a DataFrame of the cells'
    text as shown (a column of numbers only as numbers): a table whose rows have header cells has them as its index,
    named by the first column's header."""
    out = []
    for element in at.get("html"):
        if "pak-table" not in element.value:
            continue
        reader = _TableReader()
        reader.feed(element.value)
        for head, rows in reader.tables:
            indexed = bool(rows) and all(r and r[0][1] for r in rows)
            cells = [[text for text, _ in r] for r in rows]
            width = len(cells[0]) if cells else len(head)
            columns = head if head else list(range(width))
            frame = pd.DataFrame(cells, columns=columns)
            for c in frame.columns:  # a column of numbers only (written with grouping commas) as numbers, as st.table gave
                numbers = pd.to_numeric(frame[c].str.replace(",", "", regex=False), errors="coerce")
                if len(frame) and numbers.notna().all():
                    frame[c] = numbers
            if indexed:
                frame = frame.set_index(columns[0])
                if not head:
                    frame.index.name = None
            out.append(frame)
    return out


class _TextReader(HTMLParser):
    """The text of an HTML body as a reader sees it: no style or script contents; blocks and cells apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag in ("p", "div", "tr", "td", "th", "li", "br", "caption"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(body: str) -> str:
    """The text an st.html body shows (its style and script left out)."""
    reader = _TextReader()
    reader.feed(body)
    return "".join(reader.parts)


def html_texts(at: AppTest) -> str:
    """The text of every st.html block of the run (static tables, cards), joined."""
    return "\n".join(html_text(e.value) for e in at.get("html"))
