"""Tables users read, in either language.

`show`: English, Streamlit's data grid (sorting, its own scroll). Urdu: the grid draws on a canvas with its own font
and shows Urdu letters as boxes, so the table is HTML (the page's Nastaliq font, right to left, escaped, scrolling in
its own box).

`static`: a short table read in full (its cells wrap, nothing is cut off, it prints as shown), as escaped HTML in both
languages. Not st.table: that reads every cell as Markdown and draws each through the browser's Markdown renderer,
which on a page of a few such tables was ~0.1–0.2 s of a first visit's drawing (benchmarks/README.md), and shows a
cell's `*` or `_` as emphasis rather than as written.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import streamlit as st

from pakcoe import i18n


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return i18n.t("Yes") if value else i18n.t("No")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return i18n.num(value, 0 if float(value).is_integer() else 2)
    return str(value)


def _column(values: pd.Series) -> list[str]:
    """One column's cells as escaped HTML <td>s (numbers left to right, in the current language's grouping)."""
    if pd.api.types.is_bool_dtype(values) or values.dtype == object or isinstance(values.dtype, pd.StringDtype | pd.CategoricalDtype):
        out = []
        for v in values:
            numeric = isinstance(v, int | float) and not isinstance(v, bool) and not (isinstance(v, float) and pd.isna(v))
            text = escape(_cell(v))
            out.append(f"<td class='num' dir='ltr'>{text}</td>" if numeric else f"<td>{text}</td>")
        return out
    if pd.api.types.is_numeric_dtype(values):  # a numeric column: formatted once per distinct value
        shown: dict[object, str] = {}
        out = []
        for v in values.tolist():
            key = None if pd.isna(v) else v  # one key for every missing value (NaN is not equal to itself)
            if key not in shown:
                shown[key] = f"<td class='num' dir='ltr'>{escape(_cell(v))}</td>"
            out.append(shown[key])
        return out
    return [f"<td>{escape(_cell(v))}</td>" for v in values]


def _row_header(cell: str) -> str:
    """A <td> of _column as the row's header cell (<th scope='row'>), its class and direction kept."""
    return "<th scope='row'" + cell[len("<td") : -len("</td>")] + "</th>"


def html_table(frame: pd.DataFrame, *, caption: str = "", name: str = "", height: int | None = None, index: bool = False, header: bool = True) -> str:
    """`frame` as an escaped HTML table (numbers written in the current language, read left to right).

    name: what a screen reader calls the table's scroll box when there is no caption (each table on a page its own
    name, not one "Table" for all: a list of a page's regions tells them apart). index: the frame's index is the first column, each of its cells its row's header. header: False leaves out the
    column headers (a table of attributes and values, whose rows' headers say it all)."""
    df = frame.reset_index() if index else frame
    head = "".join(f"<th scope='col'>{escape(str(c))}</th>" for c in df.columns)
    columns = [_column(df.iloc[:, i]) for i in range(df.shape[1])]
    if index and columns:
        columns[0] = [_row_header(c) for c in columns[0]]
    rows = ["<tr>" + "".join(cells) + "</tr>" for cells in zip(*columns, strict=True)] if columns else []
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    style = f" style='max-height:{int(height)}px'" if height else ""
    # a scroll box: reachable from the keyboard (it scrolls with the arrow keys), named for screen readers
    label = escape(caption or name or i18n.t("Table"), quote=True)
    box = f"class='pak-table' dir='{i18n.direction()}' tabindex='0' role='region' aria-label='{label}'{style}"
    thead = f"<thead><tr>{head}</tr></thead>" if header else ""
    return f"<div {box}><table>{cap}{thead}<tbody>{''.join(rows)}</tbody></table></div>"


def show(frame: pd.DataFrame, *, caption: str = "", name: str = "", height: int | None = None, **grid: object) -> None:
    """Draw `frame`: the data grid in English (`grid` keyword arguments go to st.dataframe), an HTML table in Urdu.

    Column headers are whatever `frame` holds: label them (pakcoe.display) before calling. name: the Urdu table's name
    for screen readers (as `static`'s)."""
    if i18n.current() == "en":
        st.dataframe(frame, height=height if height else "auto", **grid)
        if caption:
            st.caption(caption)
        return
    st.html(html_table(frame, caption=caption, name=name, height=height, index=not grid.get("hide_index", True)))


def static(frame: pd.DataFrame, *, name: str, index: bool = False, header: bool = True, caption: str = "") -> None:
    """Draw `frame` as a table read in full, in either language: escaped HTML whose cells wrap (see the module's note).

    name: the table's name for screen readers (plain text, in the current language; usually the heading above it).
    index: show the frame's index as the first column, each cell its row's header. Cells are shown as written: pass
    plain text (no Markdown escapes)."""
    st.html(html_table(frame, caption=caption, name=name, index=index, header=header))
