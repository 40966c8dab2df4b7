"""The Data page's "What changed" section: pick two releases (default: the previous published one and the newest),
see what the newer changed table by table, the hubs moved, the assumptions changed and the effect on each predefined
option's headline figures (the current model on both), and download it all as CSV under a `#` metadata header.

Pure parts (`option_rows`, `table_rows`, `row_changes`) build labelled DataFrames from a pakcoe.diff.ReleaseDiff;
`what_changed` draws them."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from components import cached, exports, urlstate
from components.datapage import printable_table, table_title
from components.escape import escape_md
from components.folds import folded
from pakcoe import Release, ValidationReport, i18n
from pakcoe.diff import ReleaseDiff, diff_frame
from pakcoe.display import texts
from pakcoe.i18n import t
from pakcoe.provenance import provenance

ROWS_SHOWN = 200  # changed rows listed per table on the page (the CSV has every one)
MONEY = ("total_cost", "government_money", "non_government_money", "funding_gap")


def figure_labels() -> dict[str, str]:
    """Each compared option figure (pakcoe.diff.FIGURES) as users call it, in the current language."""
    return {
        "hubs_at_end": t("Hubs open at the end"),
        "network_complete_quarter": t("Quarter the whole network is open"),
        "learners_certified": t("Learners certified"),
        "total_cost": t("Total cost"),
        "government_money": t("Government money"),
        "non_government_money": t("Money from other sources"),
        "funding_gap": t("Funding gap"),
        "cost_per_certified_learner": t("Cost per certified learner"),
    }


def figure_text(figure: str, value: Any) -> str:
    """One option figure as the page writes it (money from PKR million, quarters in words, counts grouped)."""
    if value is None or (isinstance(value, float) and value != value):
        return t("none")
    if figure == "network_complete_quarter":
        return i18n.quarter(str(value))
    if figure in MONEY:
        return i18n.money_m(float(value), "PKR")
    if figure == "cost_per_certified_learner":
        return t("PKR {n} thousand", n=i18n.num(float(value) * 1000))
    return i18n.num(float(value))


def difference_text(figure: str, old: Any, new: Any) -> str:
    """new − old in the figure's unit, signed; a quarter as quarters later or earlier; blank when one side has none."""
    if old is None or new is None or any(isinstance(v, float) and v != v for v in (old, new)):
        return ""
    if figure == "network_complete_quarter":
        from pakcoe.model import quarter_index

        n = quarter_index(str(new)) - quarter_index(str(old))
        if n == 0:
            return t("same")
        return t("{n} quarters later", n=i18n.num(n)) if n > 0 else t("{n} quarters earlier", n=i18n.num(-n))
    d = float(new) - float(old)
    if abs(d) < 1e-9:
        return t("same")
    sign = "+" if d > 0 else "−"
    text = figure_text(figure, abs(d))
    if i18n.is_rtl():  # the sign and its digits read left to right as one number inside right-to-left text
        number = re.match(r"[\d.,]+", text)
        if number:
            return f"\u2066{sign}{number.group(0)}\u2069{text[number.end() :]}"
    return sign + text


def option_rows(diff: ReleaseDiff, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Each predefined option's headline figures on both releases, side by side with the difference (`names`: each
    option's name in the page's language)."""
    labels = figure_labels()
    old, new = t("Release {version}", version=diff.old), t("Release {version}", version=diff.new)
    rows = []
    for o in diff.options.values():
        for f, (a, b) in o.figures.items():
            rows.append(
                {
                    t("Option"): (names or {}).get(o.option_id, o.name),
                    t("Figure"): labels[f],
                    old: figure_text(f, a),
                    new: figure_text(f, b),
                    t("Difference"): difference_text(f, a, b),
                }
            )
    return pd.DataFrame(rows)


def table_rows(diff: ReleaseDiff, release: Release) -> pd.DataFrame:
    """One row per changed table: its title and how many rows were added, removed and changed, and schema changes."""
    rows = [
        {
            t("Table"): table_title(release, name),
            t("Rows added"): len(d.added),
            t("Rows removed"): len(d.removed),
            t("Rows changed"): len(d.changed),
            t("Column changes"): len(d.schema),
        }
        for name, d in diff.changed_tables().items()
    ]
    return pd.DataFrame(rows)


def _row_names(release: Release, name: str) -> dict[str, str]:
    """A table's rows by key string, as users call them (its name or title column), where the table has one."""
    frame = release.tables.get(name)
    if frame is None:
        return {}
    column = next((c for c in ("name", "title", "label") if c in frame.columns), None)
    key = release.resource(name)["schema"].get("primaryKey", [])
    if column is None or not key or isinstance(key, list) and len(key) != 1:
        return {}
    key = key if isinstance(key, str) else key[0]
    return dict(zip(frame[key].astype(str), frame[column].astype(str), strict=True))


def _name(release: Release, table: str, key: str, value: str, fallback: str) -> str:
    """The `name` of row `value` of `table` in the release as localized (its language), else `fallback`."""
    frame = release.tables.get(table)
    if frame is None or "name" not in frame.columns:
        return fallback
    found = frame.loc[frame[key].astype(str) == value, "name"]
    return str(found.iloc[0]) if len(found) else fallback


def _cell(value: Any) -> str:
    if value is None:
        return t("(empty)")
    if isinstance(value, float):  # as few decimals as the value needs (at most 4)
        return i18n.num(value, next((d for d in range(5) if abs(round(value, d) - value) < 1e-9), 4))
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or t("none")
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"


def row_changes(diff: ReleaseDiff, name: str, old: Release, new: Release, limit: int | None = ROWS_SHOWN) -> pd.DataFrame:
    """Table `name`'s changes row by row: added and removed rows, each changed cell old → new, columns added or removed."""
    d = diff.tables[name]
    names = {**_row_names(old, name), **_row_names(new, name)}
    labels = texts(new)
    what, row_, column, before, after = t("Change"), t("Row"), t("Column"), t("Before"), t("After")

    def row_label(key: str) -> str:
        return f"{names[key]} ({key})" if key in names and names[key] != key else key

    rows: list[dict[str, str]] = []
    rows += [{what: t("added"), row_: row_label(k), column: "", before: "", after: ""} for k in d.added]
    rows += [{what: t("removed"), row_: row_label(k), column: "", before: "", after: ""} for k in d.removed]
    for k, cells in d.changed.items():
        for f, (a, b) in cells.items():
            rows.append({what: t("changed"), row_: row_label(k), column: labels.column(f, name), before: _cell(a), after: _cell(b)})
            if limit is not None and len(rows) >= limit:
                break
        if limit is not None and len(rows) >= limit:
            break
    schema_words = {"added": t("column added"), "removed": t("column removed"), "type": t("column type changed"), "constraints": t("column rules changed")}
    rows += [
        {
            what: schema_words[s.what],
            row_: "",
            column: labels.column(s.field, name),
            before: _cell(s.old) if s.old is not None else "",
            after: _cell(s.new) if s.new is not None else "",
        }
        for s in d.schema
    ]
    return pd.DataFrame(rows, columns=[what, row_, column, before, after])


def _label(reports: dict[str, ValidationReport], version: str) -> str:
    r = reports.get(version)
    if r is None:
        return version
    if not r.valid:
        return t("{version} (failed validation)", version=version)
    created = str(r.release.descriptor.get("created", ""))[:10] if r.release is not None else ""
    if not r.published:
        return t("{version} (draft)", version=version)
    return t("{version} (created {date})", version=version, date=i18n.date(created)) if created else version


_COMPARED: set[tuple[str, str, str]] = set()  # (releases key, old, new) of the diffs computed in this process


def what_changed(release: Release, reports: list[ValidationReport]) -> None:
    """The section: two release pickers (kept in the URL as `old` and `new`), then the changes."""
    by_version = {r.version: r for r in reports}
    st.markdown(
        t(
            "Pick two data releases to see what the second changed: rows added, removed and changed in each table, hubs "
            "moved, assumptions changed, and what that does to each option's headline figures (computed with the app's "
            "current model on both releases)."
        )
    )
    left, right = st.columns(2)
    with left:
        old = urlstate.widget(st.selectbox, "data", "old", t("From release"), format_func=lambda v: _label(by_version, v))
    with right:
        new = urlstate.widget(st.selectbox, "data", "new", t("To release"), format_func=lambda v: _label(by_version, v))
    if old == new:
        st.info(t("Pick two different releases to see what changed."), icon=":material/info:")
        return
    broken = [v for v in (old, new) if v not in by_version or not by_version[v].valid]
    if broken:
        st.warning(t("Release {version} failed validation, so it cannot be compared (its problems are in the validation report above).", version=broken[0]))
        return
    seen = (cached.releases_key(), old, new)
    if seen in _COMPARED:  # computed before in this process: cached, so no spinner (each one starts a thread)
        diff = cached.release_diff(old, new)
    else:
        with st.spinner(t("Comparing the releases and running the model on both…")):
            diff = cached.release_diff(old, new)
        _COMPARED.add(seen)
    older, newer = by_version[old].release, by_version[new].release
    older, newer = i18n.localize(older), i18n.localize(newer)
    if diff.empty:
        st.success(t("Releases {old} and {new} hold the same data: nothing changed.", old=old, new=new), icon=":material/check:")
        return
    view = _view_of(diff, older, newer)
    st.markdown(view.summary)
    st.download_button(
        t("Download the changes (CSV)"),
        data=exports.deferred(lambda: _changes_csv(diff, newer, old, new)),
        file_name=exports.file_name(new, f"changes since {old}", "csv"),
        mime="text/csv",
        icon=":material/download:",
        key="download-diff",
        on_click="ignore",  # no rerun: a rerun would revoke a deferred file before its request is served
    )
    heading = t("Effect on each option's headline figures")
    st.subheader(heading)
    st.caption(t("Both columns are computed with the app's current model, so the difference comes from the data alone."))
    printable_table(view.options, heading, hide_index=True)
    if view.moved is not None:
        st.subheader(t("Hubs moved"))
        printable_table(view.moved, t("Hubs moved"), hide_index=True)
    if view.assumptions is not None:
        st.subheader(t("Assumptions changed"))
        printable_table(view.assumptions, t("Assumptions changed"), hide_index=True)
    st.subheader(t("Table by table"))
    printable_table(view.tables, t("Table by table"), hide_index=True)
    for i, (label, status, changes, caption) in enumerate(view.per_table):
        box = folded(label, f"diff-table-{i}")  # built once opened (components/folds.py)
        if box is None:
            continue
        with box:
            if status:
                st.markdown(status)
            printable_table(changes, label, hide_index=True)
            if caption:
                st.caption(caption)


def _changes_csv(diff: ReleaseDiff, newer: Release, old: str, new: str) -> str:
    """Every change as CSV under the `#` metadata header (made when the button is clicked: exports.deferred)."""
    return exports.table_csv(
        diff_frame(diff),
        provenance(newer, t("What changed from data release {old} to {new}", old=old, new=new)),
        (t("From release {old} to release {new}", old=old, new=new),),
    )


@dataclass(frozen=True)
class DiffView:
    """What the section draws for one diff, in one language: the summary line, the tables, and each changed table's
    expander (its label, whether it is new or gone, its rows, the caption when rows are left out)."""

    summary: str
    options: pd.DataFrame
    moved: pd.DataFrame | None
    assumptions: pd.DataFrame | None
    tables: pd.DataFrame
    per_table: tuple[tuple[str, str, pd.DataFrame, str], ...]


_VIEWS: dict[tuple[int, str], tuple[tuple[ReleaseDiff, Release, Release], DiffView]] = {}
_VIEWS_LOCK = threading.Lock()
_VIEWS_KEPT = 16


def _view_of(diff: ReleaseDiff, older: Release, newer: Release) -> DiffView:
    """diff_view, made once per (cached, read-only) diff, pair of releases and language: building its labelled tables
    again on every rerun cost more than the page's 50 ms budget."""
    key = (id(diff), i18n.current())
    with _VIEWS_LOCK:
        hit = _VIEWS.get(key)
    if hit is not None and hit[0][0] is diff and hit[0][1] is older and hit[0][2] is newer:
        return hit[1]
    view = diff_view(diff, older, newer)
    with _VIEWS_LOCK:
        while len(_VIEWS) >= _VIEWS_KEPT:
            _VIEWS.pop(next(iter(_VIEWS)))
        _VIEWS[key] = ((diff, older, newer), view)
    return view


def diff_view(diff: ReleaseDiff, older: Release, newer: Release) -> DiffView:
    """What the section draws for `diff` from `older` to `newer` (both localized), in the current language."""
    old, new = diff.old, diff.new
    tables = diff.changed_tables()
    changes = t("1 change") if diff.count() == 1 else t("{n} changes", n=i18n.num(diff.count()))
    in_tables = t("in 1 table") if len(tables) == 1 else t("in {n} tables", n=i18n.num(len(tables)))
    moved = t("1 hub moved") if len(diff.moved) == 1 else t("{n} hubs moved", n=i18n.num(len(diff.moved)))
    assumed = (
        t("1 assumption changed its value or bounds")
        if len(diff.assumptions) == 1
        else t("{n} assumptions changed their value or bounds", n=i18n.num(len(diff.assumptions)))
    )
    summary = t(
        "**From release {old} to release {new}: {changes} {tables}.** {moved}; {assumptions}.",
        old=old,
        new=new,
        changes=changes,
        tables=in_tables,
        moved=moved,
        assumptions=assumed,
    )
    options = option_rows(diff, {o: _name(newer, "options", "option_id", o, e.name) for o, e in diff.options.items()})
    moved_rows = None
    if diff.moved:
        moved_rows = pd.DataFrame(
            [{t("Hub"): _name(newer, "hubs", "hub_id", m.hub_id, m.name), t("Distance moved (km)"): round(m.km, 2)} for m in diff.moved[:ROWS_SHOWN]]
        )
    assumption_rows = None
    if diff.assumptions:
        assumption_rows = pd.DataFrame(
            [
                {
                    t("Assumption"): _name(newer, "assumptions", "param_id", a.param_id, a.name),
                    t("Unit"): a.unit,
                    t("Before: value (low to high)"): f"{_cell(a.old['value'])} ({_cell(a.old['low'])} – {_cell(a.old['high'])})",
                    t("After: value (low to high)"): f"{_cell(a.new['value'])} ({_cell(a.new['low'])} – {_cell(a.new['high'])})",
                }
                for a in diff.assumptions
            ]
        )
    per_table = []
    for name, d in tables.items():
        title = table_title(newer if name in newer.tables else older, name)
        label = t("{table}: 1 change", table=title) if d.count == 1 else t("{table}: {n} changes", table=title, n=i18n.num(d.count))
        status = ""
        if d.status != "both":
            status = escape_md(t("This table is new in release {new}.", new=new) if d.status == "added" else t("This table is not in release {new}.", new=new))
        rows = row_changes(diff, name, older, newer)
        caption = ""
        if d.count > len(rows):
            caption = t("The first {shown} of {n} changes; the CSV above has every one.", shown=i18n.num(len(rows)), n=i18n.num(d.count))
        per_table.append((label, status, rows, caption))
    return DiffView(summary, options, moved_rows, assumption_rows, table_rows(diff, newer), tuple(per_table))
