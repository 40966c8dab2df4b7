"""Read the Compare page's compact key-figures table (HTML drawn with st.html) back into Python, for the AppTests."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from streamlit.testing.v1 import AppTest


@dataclass(frozen=True)
class Cell:
    value: str
    range: str
    change: str


class _Reader(HTMLParser):
    """Collects the header's option names and, per body row, its figure name and cells (value, range, change spans)."""

    def __init__(self) -> None:
        super().__init__()
        self.options: list[str] = []
        self.rows: list[tuple[str, list[Cell]]] = []
        self.baseline: int | None = None
        self._where: list[str] = []  # the open elements that matter: thead, th, td, span classes
        self._text = ""
        self._cell: dict[str, str] = {}
        self._row: list[Cell] = []
        self._label = ""
        self._in_head = False
        self._skip_row = False

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row, self._label, self._skip_row = [], "", "kf-figure" in cls
        elif tag in ("th", "td"):
            self._text, self._cell = "", {}
            self._where.append(f"{tag}:{cls}")
        elif tag == "span" and self._where:
            if "kf-base" in cls and self._in_head:
                self.baseline = len(self.options)
            self._where.append(f"span:{cls}")
            self._text_before = self._text
            self._text = ""

    def handle_endtag(self, tag):
        if tag == "thead":
            self._in_head = False
        elif tag == "span" and self._where and self._where[-1].startswith("span:"):
            kind = self._where.pop().split(":", 1)[1].replace("kf-", "")
            self._cell[kind] = self._text.strip()
            self._text = self._text_before
        elif tag in ("th", "td") and self._where:
            what = self._where.pop()
            if self._in_head:
                if "kf-corner" not in what:
                    self.options.append(self._text.strip())
            elif tag == "th":
                self._label = self._text.strip()
            else:
                self._row.append(Cell(self._cell.get("v", ""), self._cell.get("r", ""), self._cell.get("d", "")))
        elif tag == "tr" and not self._in_head and not self._skip_row:
            self.rows.append((self._label, self._row))

    def handle_data(self, data):
        self._text += data


@dataclass(frozen=True)
class KeyFiguresTable:
    options: list[str]
    baseline: int | None
    rows: dict[str, list[Cell]]  # figure -> one cell per option
    html: str


def key_figures(at: AppTest) -> KeyFiguresTable:
    """The one compact key-figures table the page drew."""
    found = [h.proto.body for h in at.get("html") if 'class="kf"' in h.proto.body]
    assert len(found) == 1, f"{len(found)} key-figure tables"
    reader = _Reader()
    reader.feed(found[0])
    return KeyFiguresTable(reader.options, reader.baseline, dict(reader.rows), found[0])
