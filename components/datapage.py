"""Panels of the data page: release metadata, validation report, table browser, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import printing
from components.escape import escape_md
from pakcoe import Release, ValidationReport
from pakcoe.release import file_summary, problems_frame


def metadata(release: Release) -> None:
    """Name, version, dates, licence and description of the release."""
    d = release.descriptor
    cols = st.columns(4)
    cols[0].metric("Release", release.version)
    cols[1].metric("Created", str(d.get("created", ""))[:10])
    cols[2].metric("Tables", sum(1 for r in d["resources"] if r["path"].endswith(".csv")))
    cols[3].metric("Licence", ", ".join(lic.get("name", "") for lic in d.get("licenses", [])))
    st.markdown(f"**{escape_md(d.get('title', ''))}**: {escape_md(d.get('description', ''))}")
    rule = d.get("allocation_rule")
    if rule:
        st.markdown(f"**Allocation rule.** {escape_md(rule.get('text', ''))}")


def validation_report(reports: list[ValidationReport], selected: str) -> None:
    """Status of every release (drafts included), then the per-file and per-row report of the selected one and of broken ones."""
    overview = pd.DataFrame(
        [
            {
                "release": r.version,
                "status": "valid" if r.valid else "INVALID: not served",
                "publication": "published" if r.published else "draft: not published, shown only through a link",
                "problems": len(r.problems),
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
            st.markdown("**Per file**")
            printing.table(file_summary(r), hide_index=True)
            if r.problems:
                st.markdown("**Per row** (file, row, field, rule, value)")
                printing.table(problems_frame(r.problems), hide_index=True)
            else:
                st.caption(
                    "Checked: Table Schema types and constraints, primary and foreign keys, hashes (and, once published, the descriptor's hash in published.json), hubs inside Pakistan, "
                    "distinct coordinates, hubs.csv = hubs.geojson, phase targets, funding shares, the allocation rule, "
                    "capacities, one Accountable per RACI activity, assumption bounds and provenance."
                )


def table_browser(release: Release, name: str) -> None:
    """One table with the schema's description of every column as its tooltip."""
    res = release.resource(name)
    st.markdown(f"**{escape_md(res.get('title', name))}**: {escape_md(res.get('description', ''))}")
    fields = res["schema"]["fields"]
    config = {f["name"]: st.column_config.Column(help=f.get("description", "")) for f in fields}
    frame = release.table(name)
    printing.table(frame, hide_index=True, column_config=config)
    pk = res["schema"].get("primaryKey", [])
    st.caption(f"{len(frame)} rows · {len(fields)} columns · primary key: {', '.join(pk) or 'none'} · file {res['path']}")
    schema = pd.DataFrame(
        [
            {
                "column": f["name"],
                "type": f.get("type"),
                "required": bool(f.get("constraints", {}).get("required")),
                "rules": ", ".join(f"{k}={v}" for k, v in f.get("constraints", {}).items() if k != "required"),
                "description": f.get("description", ""),
            }
            for f in fields
        ]
    )
    with st.expander("Schema of this table"):
        printing.table(schema, hide_index=True)


def sources(release: Release) -> None:
    """Every source of the release; uncertain ones say so in words."""
    s = release.table("sources").copy()
    s["uncertain"] = s["uncertain"].map({True: "⚠ uncertain or conflicting", False: ""})
    printing.table(s, hide_index=True, column_config={"url": st.column_config.LinkColumn("url")})
