"""Sections of the overview page, each drawn from one part of the release (the chart is built by components.overview_figures)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import printing
from components.badges import badge, param_badge
from components.chart import ChartData, chart_frame
from components.escape import escape_md
from components.overview_figures import PILLARS, dual_track_dot
from pakcoe import Headline, Release
from pakcoe.lacks import holds


def missing(release: Release, *tables: str) -> bool:
    """True when the release predates a table a section needs (the frame's release notice says so; no notice here)."""
    return any(not holds(release, t) for t in tables)


def kpis(release: Release, h: Headline) -> None:
    """Headline figures, each with its provenance."""
    usd = release.param("usd_pkr")
    c = st.columns(4)
    c[0].metric("Proposed hubs at full scale", h.hubs_total, help="Proposal design (hubs.csv)")
    c[0].caption(f"{h.demonstrator_hubs} in the {escape_md(h.demonstrator_city)} demonstrator, over {h.demonstrator_districts} districts")
    c[1].metric("Provinces and territories reached", f"{h.provinces_reached} of {len(release.table('provinces'))}")
    c[1].caption(" · ".join(f"{p} {n}" for p, n in h.hubs_by_province.items()))
    c[2].metric("Learner places a year at full scale", f"{h.learner_capacity_per_year:,}")
    c[2].markdown(param_badge(release, "capacity_standard"))
    c[3].metric("Capital cost at full scale", f"PKR {h.capex_pkr_m.central / 1000:,.1f} bn")
    c[3].caption(
        f"Range PKR {h.capex_pkr_m.low / 1000:,.1f}–{h.capex_pkr_m.high / 1000:,.1f} bn ≈ USD {h.capex_pkr_m.central / usd:,.0f} M at PKR {usd:,.0f}/USD"
    )
    c[3].markdown(param_badge(release, "capex_standard"))


def hubs_by_phase_chart(release: Release, built: ChartData) -> None:
    """Hubs by phase and hub type, in the shared chart frame."""
    chart_frame(
        built.figure,
        point=built.point,
        units="proposed hubs",
        release=release,
        source="hubs.csv, phases.csv (proposal design)",
        data=built.table,
        key="overview-hubs-by-phase",
    )


def gaps(release: Release) -> None:
    """Each structural gap, its evidence and the design's response."""
    cols = st.columns(2)
    for i, g in enumerate(release.table("gaps").itertuples()):
        with cols[i % 2].container(border=True):
            st.markdown(f"**{escape_md(g.title)}**")
            st.markdown(escape_md(g.description))
            st.markdown(f"*Evidence:* {escape_md(g.evidence)} {badge(release, g.evidence_source_id)}")
            st.markdown(f":material/arrow_forward: **{PILLARS[g.response_pillar]}:** {escape_md(g.response)}")


def hub_model(release: Release) -> None:
    """Who uses a hub and how; the three hub types."""
    if missing(release, "hub_users"):
        return
    programmes = release.table("programmes").set_index("programme_id")["name"]
    cols = st.columns(len(release.table("hub_users")))
    for col, u in zip(cols, release.table("hub_users").itertuples()):
        with col.container(border=True):
            st.markdown(f"**{escape_md(u.user)}**")
            st.markdown(escape_md(u.what_they_do))
            tracks = ", ".join(escape_md(programmes.get(p, p)) for p in u.programmes.split(";"))
            st.caption(f"Tracks: {tracks}")
            st.caption(f"How they join: {escape_md(u.how_they_join)}")
    types = release.table("hub_types").copy()
    types["learner places a year"] = [int(release.param(p)) for p in types["capacity_param"]]
    types["hubs"] = types["hub_type"].map(release.hubs["hub_type"].value_counts()).fillna(0).astype(int)
    printing.table(types[["label", "description", "hubs", "learner places a year"]], hide_index=True)


def phase1_design(release: Release) -> None:
    """The first phase's demonstrator: its design and its exit criteria."""
    if not missing(release, "design_elements"):
        cols = st.columns(2)
        for i, d in enumerate(release.table("design_elements").itertuples()):
            cols[i % 2].markdown(f":material/check_circle: **{escape_md(d.title)}** ({PILLARS[d.pillar].lower()}): {escape_md(d.description)}")
    exits = release.table("milestones")
    exits = exits[exits["exit_criterion"] & (exits["phase_id"] == release.table("phases")["phase_id"].min())]
    st.markdown("**Exit criteria before national scale-up** (targets are illustrative)")
    printing.table(exits[["title", "metric", "target", "due_quarter"]].rename(columns={"due_quarter": "due"}), hide_index=True)


def national_goals(release: Release) -> None:
    """The national vision: goals and the phases."""
    if not missing(release, "goals"):
        for g in release.table("goals").itertuples():
            st.markdown(f"- **{escape_md(g.goal)}**: {escape_md(g.how_measured)}")
    phases = release.table("phases")[["phase_id", "name", "scope", "start_quarter", "end_quarter", "hub_target"]]
    printing.table(phases.rename(columns={"phase_id": "phase", "hub_target": "hubs"}), hide_index=True)
    st.caption("The national vision is aspirational and contingent on interest, adoption and funding from government and private partners.")


def informed_by(release: Release) -> None:
    """What the design learns from, each with its source and caveat."""
    if missing(release, "influences"):
        return
    for i in release.table("influences").itertuples():
        src = badge(release, i.source_id) if isinstance(i.source_id, str) else ":gray-badge[Proposal design]"
        st.markdown(f"- **{escape_md(i.name)}**: {escape_md(i.how_it_shapes_the_design)} {src}  \n  *{escape_md(i.status_note)}*")


def dual_track(release: Release) -> None:
    """The dual track in one picture, with its text alternative."""
    if missing(release, "tracks"):
        return
    t = release.table("tracks").set_index("track")
    dot = dual_track_dot(release)
    left, right = st.columns([3, 2])
    left.graphviz_chart(dot, width="stretch")
    with right:
        st.markdown("**The same picture in words**")
        st.markdown(
            "- **Adopted and funded on time**: partners co-implement within a national framework.\n"
            "- **Public funding delayed**: the private track keeps momentum; public money joins later.\n"
            "- **Not approved**: the private track becomes the rollout, at its own pace and funding capacity."
        )
    printing.table(t.reset_index()[["name", "when", "who_leads", "partners_role"]], hide_index=True)


def is_and_is_not(release: Release) -> None:
    """What the concept is, what it is not yet, how it differs from CoE-AI, and the invitation."""
    if missing(release, "statements"):
        return
    s = release.table("statements")
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown("**Pak AI CoE is**")
        for row in s[s["kind"] == "is"].itertuples():
            st.markdown(f":material/check: {escape_md(row.text)}")
    with right.container(border=True):
        st.markdown("**It is not yet**")
        for row in s[s["kind"] == "is_not_yet"].itertuples():
            st.markdown(f":material/close: {escape_md(row.text)}")
    for row in s[s["kind"] == "distinct_from"].itertuples():
        st.info(f"**Not the National AI Policy's CoE-AI centres.** {escape_md(row.text)} {badge(release, row.source_id)}", icon=":material/call_split:")
    for row in s[s["kind"] == "invitation"].itertuples():
        st.success(f"**An invitation to partners.** {escape_md(row.text)}", icon=":material/handshake:")
    partners = release.table("partners")[["category", "brings", "role_public_track", "role_private_track"]]
    printing.table(partners.rename(columns={"role_public_track": "if the Government adopts it", "role_private_track": "on the private track"}), hide_index=True)


def sources_used(release: Release) -> pd.DataFrame:
    """Sources table for a footnote expander."""
    return release.table("sources")[["source_id", "publisher", "title", "date", "uncertain"]]
