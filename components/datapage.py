"""Panels of the data page: release metadata, validation report, table browser, downloads.

The table browser shows a table as published (machine column ids, with each column's label and description in the
schema below it); everything around it (notes, summaries, headings, the picker) names tables by title and columns by
label (pakcoe.display). Release prose that names files or columns reads through components.methodology.plain.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import exports, printing
from components.escape import escape_html, escape_md
from components.folds import folded
from components.methodology import FirstUse, plain
from components.table import html_table
from components.table import show as show_table
from pakcoe import Release, ValidationReport, i18n
from pakcoe.display import texts
from pakcoe.problems import rule_text
from pakcoe.provenance import provenance
from pakcoe.release import file_summary, per_release, problems_frame

CSV_HELP = (
    "The table as CSV under a few lines starting with #: the release, the export date, the source and that the proposal is a "
    "concept, not approved. Machine column ids are kept. Read it back with pandas.read_csv(file, comment='#')."
)


# The data grid's own "Download as CSV" would save a table without the metadata header: on this page every table has
# its own download (below it, and the release's published files in the zip), so the grid's button is hidden here.
HIDE_GRID_CSV = '<style>[data-testid="stElementToolbar"] button[aria-label="Download as CSV"] { display: none; }</style>'


def csv_help() -> str:
    """CSV_HELP in the current language."""
    return i18n.t(
        "The table as CSV under a few lines starting with #: the release, the export date, the source and that the proposal is a "
        "concept, not approved. Machine column ids are kept. Read it back with pandas.read_csv(file, comment='#')."
    )


def titles() -> dict[str, str]:
    """The release's tables (resource names) -> their titles in the current language (the descriptor writes them in
    English; a table not listed here reads as its descriptor's title)."""
    return {
        "sources": i18n.t("Sources"),
        "provinces": i18n.t("Provinces and territories"),
        "cities": i18n.t("Cities"),
        "hub_types": i18n.t("Hub types"),
        "phases": i18n.t("Phases"),
        "hubs": i18n.t("Proposed hubs"),
        "milestones": i18n.t("Milestones"),
        "gaps": i18n.t("Structural gaps"),
        "programmes": i18n.t("Programme tracks"),
        "programme_offers": i18n.t("Programmes by hub type"),
        "partners": i18n.t("Partner categories"),
        "activities": i18n.t("Activities"),
        "roles": i18n.t("Roles (RACI)"),
        "governance": i18n.t("Governance bodies"),
        "funding_sources": i18n.t("Funding sources"),
        "funding_rules": i18n.t("Funding rules"),
        "options": i18n.t("Rollout options"),
        "assumptions": i18n.t("Assumptions"),
        "hubs-geojson": i18n.t("Proposed hubs (GeoJSON)"),
        "pakistan-outline": i18n.t("Outline of Pakistan for the inside-the-country check"),
        "hub_users": i18n.t("Who uses a hub"),
        "design_elements": i18n.t("Design of the Karachi demonstrator"),
        "goals": i18n.t("National goals"),
        "influences": i18n.t("What the design is informed by"),
        "tracks": i18n.t("Funding tracks"),
        "statements": i18n.t("What the concept is and is not yet"),
        "focus_areas": i18n.t("Focus areas"),
        "rules": i18n.t("Rules of the dual track"),
        "risks": i18n.t("Risks"),
        "decisions": i18n.t("Public funding decisions"),
        "deck": i18n.t("Presentation deck"),
        "labels": i18n.t("Display labels"),
        "glossary": i18n.t("Glossary"),
        "translations": i18n.t("Translations"),
    }


def table_title(release: Release, name: str) -> str:
    """A table's title as the release's descriptor gives it (its resource name only if it has none); in another
    language, the title in that language where the app has it."""
    try:
        title = str(release.resource(name).get("title") or name)
    except KeyError:
        title = name
    return title if i18n.current() == "en" else titles().get(name, title)


def descriptor_text(release: Release, text: object) -> str:
    """Prose of the release's descriptor (its description, the allocation rule, a table's or column's description)
    in the current language where the translations hold it, else as written."""
    return i18n.data_text(release, str(text or ""))


def printable_table(frame: pd.DataFrame, name: str, **grid: object) -> None:
    """A table users read: printable data grid in English, the HTML table in Urdu (components.table) named `name` for
    screen readers."""
    if i18n.current() == "en":
        printing.table(frame, **grid)
    else:
        show_table(frame, name=name, hide_index=bool(grid.get("hide_index", True)))


def metadata(release: Release) -> None:
    """Name, version, dates, licence and description of the release."""
    d = release.descriptor
    english = i18n.current() == "en"
    created = str(d.get("created", ""))[:10]
    tables = sum(1 for r in d["resources"] if r["path"].endswith(".csv"))
    cols = st.columns(4)
    cols[0].metric(i18n.t("Release"), release.version)
    cols[1].metric(i18n.t("Created"), created if english or not created else i18n.date(created))
    cols[2].metric(i18n.t("Tables"), tables if english else i18n.num(tables))
    cols[3].metric(i18n.t("Licence"), ", ".join(lic.get("name", "") for lic in d.get("licenses", [])))
    first = FirstUse(release)
    title = str(d.get("title", ""))
    if not english:
        title = i18n.data_text(release, title) if title != "Pak AI CoE: proposal data" else i18n.t("Pak AI CoE: proposal data")
    st.markdown(f"**{escape_md(title)}**: {escape_md(first(plain(descriptor_text(release, d.get('description', '')), release)))}")
    rule = d.get("allocation_rule")
    if rule:
        st.markdown(f"**{i18n.t('Allocation rule.')}** {escape_md(first(plain(descriptor_text(release, rule.get('text', '')), release)))}")


def validation_report(reports: list[ValidationReport], selected: str) -> None:
    """Status of every release (drafts included), then the per-file and per-row report of the selected one and of broken ones."""
    overview, parts = _report_parts(reports, selected)
    printable_table(overview, i18n.t("Validation report"), hide_index=True)
    for title, valid, files, problems in parts:
        box = folded(title, f"report-{title}", expanded=not valid, icon=":material/fact_check:" if valid else ":material/error:")
        if box is None:  # a valid release's report, closed: built once opened (components/folds.py)
            continue
        with box:
            st.markdown(f"**{i18n.t('Per table')}**")
            printable_table(files, f"{title} · {i18n.t('Per table')}", hide_index=True)
            if problems is not None:
                st.markdown(i18n.t("**Per row**: where each problem is (the published file, row and column, as a maintainer fixes it)"))
                printable_table(problems, f"{title} · {i18n.t('Problems')}", hide_index=True)
            else:
                st.caption(
                    i18n.t(
                        "Checked: Table Schema types and constraints, primary and foreign keys, hashes (and, once published, the "
                        "descriptor's hash in the list of published releases), hubs inside Pakistan, distinct coordinates, the hub list "
                        "equal to its map file, phase targets, funding shares, the allocation rule, capacities, one Accountable per "
                        "RACI activity, assumption bounds and provenance."
                    )
                )


ReportParts = tuple[pd.DataFrame, list[tuple[str, bool, pd.DataFrame, pd.DataFrame | None]]]
_REPORTS: dict[tuple[int, str, str], tuple[list[ValidationReport], ReportParts]] = {}
_REPORTS_LOCK = threading.Lock()


def _report_parts(reports: list[ValidationReport], selected: str) -> ReportParts:
    """report_parts, made once per (cached, read-only) list of reports, selected release and language."""
    key = (id(reports), selected, i18n.current())
    with _REPORTS_LOCK:
        hit = _REPORTS.get(key)
    if hit is not None and hit[0] is reports:
        return hit[1]
    parts = report_parts(reports, selected)
    with _REPORTS_LOCK:
        while len(_REPORTS) >= 16:
            _REPORTS.pop(next(iter(_REPORTS)))
        _REPORTS[key] = (reports, parts)
    return parts


def report_parts(reports: list[ValidationReport], selected: str) -> ReportParts:
    """The validation report's tables: every release's status, then for the selected release and each broken one its
    expander's title, whether it is valid, its per-file table and its per-row problems (None: none)."""
    overview = pd.DataFrame(
        [
            {
                i18n.t("Release"): r.version,
                i18n.t("Status"): i18n.t("Valid") if r.valid else i18n.t("INVALID: not served"),
                i18n.t("Publication"): i18n.t("Published") if r.published else i18n.t("Draft (only through a link)"),
                i18n.t("Problems"): len(r.problems),
            }
            for r in reversed(reports)
        ]
    )
    parts = []
    for r in reversed(reports):
        if r.version != selected and r.valid:
            continue
        if r.valid:
            title = i18n.t("Release {version}: valid, every check passed", version=r.version)
        else:
            title = i18n.t("Release {version}: {n} problems", version=r.version, n=i18n.num(len(r.problems)))
        problems = None
        if r.problems:
            problems = problems_frame(r.problems)
            if i18n.current() != "en":  # each rule in plain words (its id means nothing to a reader); file, row, field, value as written
                problems = problems.assign(rule=[rule_text(str(rule)) for rule in problems["rule"]])
            problems = problems.rename(columns=problem_columns())
        parts.append((title, r.valid, _files(r), problems))
    return overview, parts


def problem_columns() -> dict[str, str]:
    """The per-row problem table's columns (pakcoe.release.problems_frame) as headers in the current language. In
    English as always; in Urdu the rule column says what is wrong (validation_report shows each rule in plain words)
    and the message column is headed as the validator's own words, in English."""
    english = i18n.current() == "en"
    return {
        "file": i18n.t("File"),
        "row": i18n.t("Row"),
        "field": i18n.t("Field"),
        "rule": i18n.t("Rule") if english else i18n.t("What is wrong"),
        "value": i18n.t("Value"),
        "message": i18n.t("Message") if english else i18n.t("Details, as the validator wrote them (English)"),
    }


def file_columns() -> dict[str, str]:
    """The per-file summary's columns (pakcoe.release.file_summary) as headers in the current language."""
    return {
        "format": i18n.t("Format"),
        "rows": i18n.t("Rows"),
        "bytes": i18n.t("Bytes"),
        "problems": i18n.t("Problems"),
    }


def _files(report: ValidationReport) -> pd.DataFrame:
    """The per-file summary with each file named by its table's title (the descriptor itself as such)."""
    summary = file_summary(report)
    named = {}
    if report.release is not None:
        named = {r["name"]: table_title(report.release, r["name"]) for r in report.release.descriptor.get("resources", [])}
    table = [named.get(str(name), i18n.t("Release description") if str(name).startswith("(") else str(name)) for name in summary["resource"]]
    out = summary.drop(columns=["resource", "path"]).assign(Table=table)
    out = out[["Table", *[c for c in out.columns if c != "Table"]]]
    if i18n.current() == "en":
        return out.rename(columns=lambda c: c if c == "Table" else str(c).capitalize())
    return out.rename(columns={"Table": i18n.t("Table"), **file_columns()})


def table_csv(release: Release, name: str) -> str:
    """One table of the release as CSV with its machine column ids, under the `#` metadata header (exports.table_csv)."""
    title = table_title(release, name)
    return exports.table_csv(release.table(name), provenance(release, i18n.t("Data release {version}: {title}", version=release.version, title=title)))


# What a release's Urdu table browser and source list draw, built once per localized release (a release is read-only):
# labelling and writing a table as HTML on every rerun cost more than the English grid does.
_urdu_tables = per_release(lambda release: {})


def urdu_table_html(release: Release, name: str) -> str:
    """Table `name` as the Urdu table browser shows it: headers and codes labelled (each row's key as published), an
    escaped HTML table in the release's language. Built once per release and table."""
    built = _urdu_tables(release)
    if name not in built:
        pk = release.resource(name)["schema"].get("primaryKey", [])
        keep = [pk] if isinstance(pk, str) else list(pk)
        with i18n.using(release.lang):
            built[name] = html_table(texts(release).frame(release.table(name), name, keep=keep), name=table_title(release, name), height=480)
    return built[name]


def table_browser(release: Release, name: str) -> None:
    """One table as published (machine column ids, each column's label and description as its tooltip), its CSV
    download under the `#` metadata header, and its schema."""
    t = texts(release)
    st.html(HIDE_GRID_CSV)
    res = release.resource(name)
    english = i18n.current() == "en"
    title = table_title(release, name)
    st.markdown(f"**{escape_md(title)}**: {escape_md(plain(descriptor_text(release, res.get('description', '')), release))}")
    fields = res["schema"]["fields"]
    frame = release.table(name)
    pk = res["schema"].get("primaryKey", [])
    pk = [pk] if isinstance(pk, str) else list(pk)
    with st.container(key="table-browser"):
        if english:  # the table as published: its column ids and codes are the point here
            config = {f["name"]: st.column_config.Column(help=f"{t.column(f['name'], name)}: {f.get('description', '')}") for f in fields}
            printing.table(frame, hide_index=True, column_config=config)
        else:  # Urdu: the HTML table (the grid cannot draw Urdu), headers and codes labelled, each row's key as published
            st.html(urdu_table_html(release, name))
    key = i18n.t(", ").join(t.column(k, name) for k in pk) or i18n.t("none")
    if english:
        st.caption(
            f"{len(frame)} rows · {len(fields)} columns · each row is identified by: {escape_md(key)} · the table shows the "
            "published column ids; hover a column's header for its label and meaning"
        )
    else:
        st.caption(
            i18n.t(
                "{rows} rows · {columns} columns · each row is identified by: {key} · the table shows the columns' labels and "
                "the codes' meanings; the published column ids are in the schema below",
                rows=i18n.num(len(frame)),
                columns=i18n.num(len(fields)),
                key=escape_md(key),
            )
        )
    st.download_button(
        i18n.t("Download “{title}” (CSV)", title=title),
        data=exports.deferred(lambda: table_csv(release, name)),
        file_name=exports.file_name(release.version, str(res.get("title") or name), "csv"),
        mime="text/csv",
        icon=":material/download:",
        help=csv_help(),
        key=f"download-table-{name}",
        on_click="ignore",  # no rerun: a rerun would revoke a deferred file before its request is served
    )
    schema = i18n.t("Schema of this table: every column's id, label, type and rules")
    if box := folded(schema, "schema"):  # built once opened (components/folds.py)
        with box:
            printable_table(_schema(release, name), schema, hide_index=True)


_schemas = per_release(lambda release: {})  # (table, language) -> its schema table (read-only)


def _schema(release: Release, name: str) -> pd.DataFrame:
    """Table `name`'s schema as the table browser shows it (every column's id, label, type, rules and description),
    made once per release, table and language."""
    built = _schemas(release)
    key = (name, i18n.current())
    if key not in built:
        built[key] = schema_frame(release, name)
    return built[key]


def schema_frame(release: Release, name: str) -> pd.DataFrame:
    """Table `name`'s schema: every column's id, label, type, rules and description, in the current language."""
    t = texts(release)
    english = i18n.current() == "en"
    fields = release.resource(name)["schema"]["fields"]
    yes, no = i18n.t("Yes"), i18n.t("No")
    return pd.DataFrame(
        [
            {
                i18n.t("Column id"): f["name"],
                i18n.t("Label"): t.column(f["name"], name),
                i18n.t("Type"): f.get("type"),
                i18n.t("Required"): bool(f.get("constraints", {}).get("required")) if english else (yes if f.get("constraints", {}).get("required") else no),
                i18n.t("Rules"): ", ".join(f"{k}={v}" for k, v in f.get("constraints", {}).items() if k != "required"),
                i18n.t("Description"): descriptor_text(release, f.get("description", "")),
            }
            for f in fields
        ]
    )


@dataclass(frozen=True)
class SourceEntry:
    """One source as the page writes it (plain text, abbreviations spelt out at their first use on the list)."""

    title: str
    details: tuple[str, ...]  # publisher, date
    link: tuple[str, str] | None  # (label, address)
    uncertain: bool
    note: str


# The release's English display texts (its tables as they are: the texts quoted in English are not translated), for
# what a page quotes in English in any language: source titles, the changelog.
english = per_release(lambda release: release if release.lang == "en" else dataclasses.replace(release, lang="en"))


def quoted(release: Release, text: str, first: FirstUse | None = None) -> str:
    """A text quoted in English (a source's title, the changelog) as an English reader reads it: names in words,
    abbreviations spelt out at their first use (`first`: the English first-use writer of the list it is in)."""
    en = english(release)
    with i18n.using("en"):
        return (first or FirstUse(en))(plain(text, en, source_ids=False))


def source_entries(release: Release) -> list[SourceEntry]:
    """Every source of the release, in order, in words: names in titles and notes as users read them (a title is
    quoted in English in every language, its abbreviations spelt out in English)."""
    t = texts(release)
    first = FirstUse(release)
    with i18n.using("en"):
        first_en = FirstUse(english(release))
    out = []
    for r in release.table("sources").itertuples(index=False):
        title = quoted(release, str(r.title), first_en)
        publisher = getattr(r, "publisher", None)
        if release.lang != "en" and isinstance(publisher, str):  # quoted in English too, abbreviations spelt out in English
            publisher = quoted(release, publisher, first_en)
        details = tuple(v for v in (publisher, _date(getattr(r, "date", None))) if isinstance(v, str) and v.strip())
        url, kind = getattr(r, "url", None), getattr(r, "url_kind", None)
        link = None
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            link = (t.value("url_kind", kind, "sources") if isinstance(kind, str) else i18n.t("Address"), url.replace("<", "%3C").replace(">", "%3E"))
        note = getattr(r, "note", None)
        note = first(plain(note, release)) if isinstance(note, str) and note.strip() else ""
        out.append(SourceEntry(title, details, link, getattr(r, "uncertain", False) is True, note))
    return out


def _date(value: object) -> object:
    """A source's date as the page writes it: a full ISO date in the current language's way, anything else as given."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return i18n.date(value.strip())
    return value


def sources(release: Release) -> None:
    """Every source of the release as a list (it wraps on any screen: a grid would cut long titles); uncertain ones say
    so in words. The table itself, with its column ids, is in the table browser above."""
    entries = _source_entries(release)
    lines = []
    for e in entries:
        parts = [f"**{escape_md(e.title)}**", *(escape_md(d) for d in e.details)]
        if e.link:
            parts.append(f"[{escape_md(e.link[0])}](<{e.link[1]}>)")
        if e.uncertain:
            parts.append(i18n.t("⚠ uncertain or conflicting"))
        lines.append("- " + " · ".join(parts) + (f"  \n  {escape_md(e.note)}" if e.note else ""))
    st.markdown(
        i18n.t("The {n} sources of data release {version}: every sourced figure names one of them.", n=len(entries), version=escape_md(release.version))
    )
    if i18n.current() == "en":
        st.markdown("\n".join(lines))
        return
    st.caption(i18n.t("Source titles and publishers are quoted as their sources wrote them, in English."))
    st.html(_urdu_sources(release))


def _quoted_html(text: str) -> str:
    """A text in HTML, marked English (lang, left to right) when it is mostly Latin script (a quoted title, a publisher)."""
    if i18n.arabic_share(text) < 0.5:
        return f"<span lang='en' dir='ltr'>{escape_html(text)}</span>"
    return escape_html(text)


def urdu_source_list(entries: list[SourceEntry]) -> str:
    """The sources as an HTML list for a right-to-left page: each title and publisher marked as English (quoted as
    written; screen readers read them as English), everything else in the page's language; every text escaped."""
    items = []
    for e in entries:
        parts = [f"<strong>{_quoted_html(e.title)}</strong>", *(_quoted_html(str(d)) for d in e.details)]
        if e.link:
            parts.append(f"<a href='{escape_html(e.link[1])}' target='_blank' rel='noopener'>{escape_html(e.link[0])}</a>")
        if e.uncertain:
            parts.append(escape_html(i18n.t("⚠ uncertain or conflicting")))
        note = f"<br>{escape_html(e.note)}" if e.note else ""
        items.append("<li>" + " · ".join(parts) + note + "</li>")
    return f"<ul class='pak-sources' dir='rtl'>{''.join(items)}</ul>"


_source_entries = per_release(source_entries)


def _urdu_source_html(release: Release) -> str:
    with i18n.using(release.lang):
        return urdu_source_list(_source_entries(release))


_urdu_sources = per_release(_urdu_source_html)


def under_section(markdown: str) -> str:
    """The changelog's headings two levels down: the file's own title (#) and its releases (##) become h3 and h4 under
    the page's "Changelog" section (h2), so the page has one h1 and no level skipped. Fenced code is left as it is."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (m := _HEADING.match(line)):
            line = "#" * min(6, len(m.group(1)) + 2) + line[len(m.group(1)) :]
        out.append(line)
    return "\n".join(out)


_HEADING = re.compile(r"^(#{1,6})(?=\s)")


def changelog(release: Release, text: str) -> None:
    """The releases' changelog (Markdown), folded: the maintainers' record of each change, down to single rows (it
    names milestones, rules and sources by their ids); files, columns and assumptions are named as this release names them."""
    st.markdown(i18n.t("What changed in each data release, newest first: the maintainers' record, down to single rows of the tables."))
    box = folded(i18n.t("Changelog of every release (detailed: names rows by their ids)"), "changelog", icon=":material/history:")
    if box is None:  # built once opened (components/folds.py)
        return
    with box, st.container(height=400):
        if i18n.current() == "en":
            st.markdown(FirstUse(release)(plain(under_section(text), release)))
        else:  # the maintainers' record is written in English: quoted as it is, marked as English for readers and screen readers
            st.caption(i18n.t("The changelog is the maintainers' record, quoted in English as they wrote it."))
            st.html(f"<div lang='en' dir='ltr' style='white-space: pre-wrap; font-family: sans-serif'>{escape_html(quoted(release, text))}</div>")
