"""Panels of the data page: release metadata, validation report, table browser, downloads.

The table browser shows a table as published (machine column ids, with each column's label and description in the
schema below it); everything around it (notes, summaries, headings, the picker) names tables by title and columns by
label (pakcoe.display). Release prose that names files or columns reads through components.methodology.plain.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import exports, printing
from components.escape import escape_md
from components.methodology import FirstUse, plain
from pakcoe import Release, ValidationReport
from pakcoe.display import texts
from pakcoe.provenance import provenance
from pakcoe.release import file_summary, problems_frame

CSV_HELP = (
    "The table as CSV under a few lines starting with #: the release, the export date, the source and that the proposal is a "
    "concept, not approved. Machine column ids are kept. Read it back with pandas.read_csv(file, comment='#')."
)


# The data grid's own "Download as CSV" would save a table without the metadata header: on this page every table has
# its own download (below it, and the release's published files in the zip), so the grid's button is hidden here.
HIDE_GRID_CSV = '<style>[data-testid="stElementToolbar"] button[aria-label="Download as CSV"] { display: none; }</style>'


def table_title(release: Release, name: str) -> str:
    """A table's title as the release's descriptor gives it (its resource name only if it has none)."""
    try:
        return str(release.resource(name).get("title") or name)
    except KeyError:
        return name


def metadata(release: Release) -> None:
    """Name, version, dates, licence and description of the release."""
    d = release.descriptor
    cols = st.columns(4)
    cols[0].metric("Release", release.version)
    cols[1].metric("Created", str(d.get("created", ""))[:10])
    cols[2].metric("Tables", sum(1 for r in d["resources"] if r["path"].endswith(".csv")))
    cols[3].metric("Licence", ", ".join(lic.get("name", "") for lic in d.get("licenses", [])))
    first = FirstUse(release)
    st.markdown(f"**{escape_md(d.get('title', ''))}**: {escape_md(first(plain(str(d.get('description', '')), release)))}")
    rule = d.get("allocation_rule")
    if rule:
        st.markdown(f"**Allocation rule.** {escape_md(first(plain(str(rule.get('text', '')), release)))}")


def validation_report(reports: list[ValidationReport], selected: str) -> None:
    """Status of every release (drafts included), then the per-file and per-row report of the selected one and of broken ones."""
    overview = pd.DataFrame(
        [
            {
                "Release": r.version,
                "Status": "Valid" if r.valid else "INVALID: not served",
                "Publication": "Published" if r.published else "Draft (only through a link)",
                "Problems": len(r.problems),
            }
            for r in reversed(reports)
        ]
    )
    printing.table(overview, hide_index=True)
    for r in reversed(reports):
        if r.version != selected and r.valid:
            continue
        title = f"Release {r.version}: {'valid, every check passed' if r.valid else f'{len(r.problems)} problems'}"
        with st.expander(title, expanded=not r.valid, icon=":material/fact_check:" if r.valid else ":material/error:"):
            st.markdown("**Per table**")
            printing.table(_files(r), hide_index=True)
            if r.problems:
                st.markdown("**Per row**: where each problem is (the published file, row and column, as a maintainer fixes it)")
                printing.table(problems_frame(r.problems).rename(columns=str.capitalize), hide_index=True)
            else:
                st.caption(
                    "Checked: Table Schema types and constraints, primary and foreign keys, hashes (and, once published, the "
                    "descriptor's hash in the list of published releases), hubs inside Pakistan, distinct coordinates, the hub list "
                    "equal to its map file, phase targets, funding shares, the allocation rule, capacities, one Accountable per "
                    "RACI activity, assumption bounds and provenance."
                )


def _files(report: ValidationReport) -> pd.DataFrame:
    """The per-file summary with each file named by its table's title (the descriptor itself as such)."""
    summary = file_summary(report)
    titles = {}
    if report.release is not None:
        titles = {r["name"]: str(r.get("title") or r["name"]) for r in report.release.descriptor.get("resources", [])}
    table = [titles.get(str(name), "Release description" if str(name).startswith("(") else str(name)) for name in summary["resource"]]
    out = summary.drop(columns=["resource", "path"]).assign(Table=table)
    out = out[["Table", *[c for c in out.columns if c != "Table"]]]
    return out.rename(columns=lambda c: c if c == "Table" else str(c).capitalize())


def table_csv(release: Release, name: str) -> str:
    """One table of the release as CSV with its machine column ids, under the `#` metadata header (exports.table_csv)."""
    title = table_title(release, name)
    return exports.table_csv(release.table(name), provenance(release, f"Data release {release.version}: {title}"))


def table_browser(release: Release, name: str) -> None:
    """One table as published (machine column ids, each column's label and description as its tooltip), its CSV
    download under the `#` metadata header, and its schema."""
    t = texts(release)
    st.html(HIDE_GRID_CSV)
    res = release.resource(name)
    title = str(res.get("title") or name)
    st.markdown(f"**{escape_md(title)}**: {escape_md(plain(str(res.get('description', '')), release))}")
    fields = res["schema"]["fields"]
    config = {f["name"]: st.column_config.Column(help=f"{t.column(f['name'], name)}: {f.get('description', '')}") for f in fields}
    frame = release.table(name)
    with st.container(key="table-browser"):  # the table as published: its column ids and codes are the point here
        printing.table(frame, hide_index=True, column_config=config)
    pk = res["schema"].get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else list(pk)
    key = ", ".join(t.column(k, name) for k in pk) or "none"
    st.caption(
        f"{len(frame)} rows · {len(fields)} columns · each row is identified by: {escape_md(key)} · the table shows the "
        "published column ids; hover a column's header for its label and meaning"
    )
    st.download_button(
        f"Download “{title}” (CSV)",
        data=table_csv(release, name),
        file_name=exports.file_name(release.version, title, "csv"),
        mime="text/csv",
        icon=":material/download:",
        help=CSV_HELP,
        key=f"download-table-{name}",
    )
    schema = pd.DataFrame(
        [
            {
                "Column id": f["name"],
                "Label": t.column(f["name"], name),
                "Type": f.get("type"),
                "Required": bool(f.get("constraints", {}).get("required")),
                "Rules": ", ".join(f"{k}={v}" for k, v in f.get("constraints", {}).items() if k != "required"),
                "Description": f.get("description", ""),
            }
            for f in fields
        ]
    )
    with st.expander("Schema of this table: every column's id, label, type and rules"):
        printing.table(schema, hide_index=True)


@dataclass(frozen=True)
class SourceEntry:
    """One source as the page writes it (plain text, abbreviations spelt out at their first use on the list)."""

    title: str
    details: tuple[str, ...]  # publisher, date
    link: tuple[str, str] | None  # (label, address)
    uncertain: bool
    note: str


def source_entries(release: Release) -> list[SourceEntry]:
    """Every source of the release, in order, in words: names in titles and notes as users read them."""
    t = texts(release)
    first = FirstUse(release)
    out = []
    for r in release.table("sources").itertuples(index=False):
        title = first(plain(str(r.title), release, source_ids=False))
        details = tuple(v for v in (getattr(r, "publisher", None), getattr(r, "date", None)) if isinstance(v, str) and v.strip())
        url, kind = getattr(r, "url", None), getattr(r, "url_kind", None)
        link = None
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            link = (t.value("url_kind", kind, "sources") if isinstance(kind, str) else "Address", url.replace("<", "%3C").replace(">", "%3E"))
        note = getattr(r, "note", None)
        note = first(plain(note, release)) if isinstance(note, str) and note.strip() else ""
        out.append(SourceEntry(title, details, link, getattr(r, "uncertain", False) is True, note))
    return out


def sources(release: Release) -> None:
    """Every source of the release as a list (it wraps on any screen: a grid would cut long titles); uncertain ones say
    so in words. The table itself, with its column ids, is in the table browser above."""
    entries = source_entries(release)
    lines = []
    for e in entries:
        parts = [f"**{escape_md(e.title)}**", *(escape_md(d) for d in e.details)]
        if e.link:
            parts.append(f"[{escape_md(e.link[0])}](<{e.link[1]}>)")
        if e.uncertain:
            parts.append("⚠ uncertain or conflicting")
        lines.append("- " + " · ".join(parts) + (f"  \n  {escape_md(e.note)}" if e.note else ""))
    st.markdown(f"The {len(entries)} sources of data release {escape_md(release.version)}: every sourced figure names one of them.")
    st.markdown("\n".join(lines))


def changelog(release: Release, text: str) -> None:
    """The releases' changelog (Markdown), folded: the maintainers' record of each change, down to single rows (it
    names milestones, rules and sources by their ids); files, columns and assumptions are named as this release names them."""
    st.markdown("What changed in each data release, newest first: the maintainers' record, down to single rows of the tables.")
    with st.expander("Changelog of every release (detailed: names rows by their ids)", icon=":material/history:"), st.container(height=400):
        st.markdown(FirstUse(release)(plain(text, release)))
