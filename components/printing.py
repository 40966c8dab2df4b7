"""Printing any page gives a clean document: the print stylesheet, its running head, and print copies of tables.

The frame calls print_frame on every page: in print, components/styles/print.css hides the sidebar, Streamlit's
header and every control, prints collapsed expanders not at all, and keeps charts and cards whole; every printed
page carries the concept's status and the data release in its top margin (the page margins print's "Default"
margins give; with "None" the browser leaves them out). st.dataframe draws on a canvas that
prints only the rows of its scroll window, so `table` draws it together with a plain HTML copy of every row that
only print shows (and the canvas is hidden in print).
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from components.escape import cell_text, escape_html
from pakcoe.i18n import t

STYLE = Path(__file__).parent / "styles" / "print.css"
SHEET = STYLE.read_text(encoding="utf-8")
SCREEN = (Path(__file__).parent / "styles" / "screen.css").read_text(encoding="utf-8")  # phones: see the sheet
STATUS_LINE = "Concept proposal, not approved"  # the short form of the frame's banner (English; t() gives it in the current language)
PRINT_COPY = "pakcoe-print-table"  # class of a table's print-only copy; print.css shows it only in print
WIDE = 12  # a table with more columns prints on landscape pages


def css_string(text: str) -> str:
    """`text` as a CSS string literal: every character but letters, digits, spaces and . , - _ is a CSS escape,
    so nothing in it can end the string or the style element."""
    body = "".join(c if c.isascii() and (c.isalnum() or c in " .,-_") else f"\\{ord(c):x} " for c in text)
    return f'"{body}"'


def running_head(version: str | None, draft: bool) -> str:
    """The @page rule that writes the status line and the data release in the margins of every printed page."""
    if version is None:
        release = ""
    elif draft:
        release = t("Data release {version} (draft, not published)", version=version)
    else:
        release = t("Data release {version}", version=version)
    page, rest = t("Page {n} of {total}").split("{n}", 1)  # the counters go where the template's values are
    of, after = rest.split("{total}", 1)
    return (
        "@page {"
        f" @top-left {{ content: {css_string('Pak AI CoE · ' + t('Concept proposal, not approved'))}; }}"
        f" @top-right {{ content: {css_string(release)}; }}"
        f" @bottom-right {{ content: {css_string(page)} counter(page) {css_string(of)} counter(pages) {css_string(after)}; }}"
        " }"
    )


def print_frame(version: str | None, draft: bool) -> None:
    """The print stylesheet of every page, with the running head naming the shown data release (None: none is served)
    and whether it is a draft."""
    st.html(f"<style>{SCREEN}\n{SHEET}\n{running_head(version, draft)}</style>")


def _labels(columns: list[str], column_config: dict | None) -> list[tuple[str, str]]:
    """(column, heading) of the columns st.dataframe shows: a None config hides a column, a label renames it."""
    shown = []
    for name in columns:
        config = (column_config or {}).get(name, {})
        if config is None:
            continue
        label = config.get("label") if isinstance(config, dict) else None
        shown.append((name, label or name))
    return shown


def print_copy(data: pd.DataFrame | pa.Table, hide_index: bool | None = None, column_config: dict | None = None, column_order: list[str] | None = None) -> str:
    """Every row of `data` as an escaped HTML table (the print-only copy of a st.dataframe)."""
    frame = data.to_pandas() if isinstance(data, pa.Table) else data
    if not hide_index:
        frame = frame.reset_index()
    columns = [str(c) for c in (column_order or frame.columns)]
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    shown = _labels(columns, column_config)
    head = "".join(f"<th>{escape_html(label)}</th>" for _, label in shown)
    cells = [[f"<td>{escape_html(cell_text(v))}</td>" for v in frame[name].tolist()] for name, _ in shown]
    rows = "".join(f"<tr>{''.join(row)}</tr>" for row in zip(*cells, strict=True)) if cells else ""
    wide = " wide" if len(shown) > WIDE else ""
    return f'<div class="{PRINT_COPY}{wide}"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'


# The print copies of tables that come from a cache (the same read-only frame object on every rerun): escaping every
# cell again cost more than the 50 ms budget of a warm rerun on the Data page. Keyed by the frame object (alive, the
# same object) and the arguments that change the copy.
_COPIES: dict[int, tuple[weakref.ref, dict[str, str]]] = {}
_COPIES_LOCK = threading.Lock()
_COPIES_KEPT = 256


def _copy_of(data: pd.DataFrame | pa.Table, hide_index: bool | None, column_config: dict | None, column_order: list[str] | None) -> str:
    """print_copy of `data`, made once per frame object and arguments (a table drawn from a cache is read-only)."""
    i = id(data)
    try:
        ref = weakref.ref(data, lambda _: _COPIES.pop(i, None))  # a frame gone takes its copies with it
    except TypeError:
        return print_copy(data, hide_index, column_config, column_order)
    key = repr((hide_index, column_config, column_order))
    with _COPIES_LOCK:
        hit = _COPIES.get(i)
        if hit is not None and hit[0]() is data and key in hit[1]:
            return hit[1][key]
    html = print_copy(data, hide_index, column_config, column_order)
    with _COPIES_LOCK:
        hit = _COPIES.get(i)
        if hit is None or hit[0]() is not data:
            while len(_COPIES) >= _COPIES_KEPT:
                _COPIES.pop(next(iter(_COPIES)), None)
            hit = _COPIES[i] = (ref, {})
        hit[1][key] = html
    return html


def table(data: pd.DataFrame | pa.Table, **kwargs: Any) -> None:
    """st.dataframe on screen and, for print, a copy of every row (the canvas prints only its scroll window).

    Takes st.dataframe's arguments; the copy follows hide_index, column_config (hidden columns, labels) and column_order.
    A frame is read-only once drawn: its print copy is made once per frame object."""
    st.dataframe(data, **kwargs)
    st.html(_copy_of(data, kwargs.get("hide_index"), kwargs.get("column_config"), kwargs.get("column_order")))
