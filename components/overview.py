"""Sections of the Overview page, each drawn from one part of the release (the chart is built by components.overview_figures).

The page is the first stop of a visit: the headline figures, a "start here" route per user group, then the story in
short (one line per card). Details sit in expanders or on the page that needs them (partners on Partners & roles,
milestones and gates on Phases).
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from components.badges import badge, param_badge
from components.chart import ChartData, chart_frame
from components.escape import escape_md
from components.overview_figures import PILLARS
from pakcoe import Headline, Release
from pakcoe.display import texts
from pakcoe.lacks import holds

# One route per user group: (page file, label, icon, who it is for). The pages are registered in pakcoe.registry.
START_HERE = (
    ("pages/map.py", "Explore the hubs", ":material/map:", "Where each proposed hub would be, what it offers and whom it reaches."),
    ("pages/present.py", "See the story", ":material/slideshow:", "The proposal as a short presentation, one point per slide."),
    ("pages/compare.py", "Compare rollout options", ":material/compare_arrows:", "Pace, cost and reach of each rollout option, side by side."),
)
_START_CSS = """<style>
.st-key-start-here [data-testid="stPageLink"] a { padding: 0.4rem 0.2rem; }
.st-key-start-here [data-testid="stPageLink"] a p { font-size: 1.2rem; font-weight: 600; }
</style>"""
_MILESTONE = re.compile(r"\bM\d+\b")


def missing(release: Release, *tables: str) -> bool:
    """True when the release predates a table a section needs (the frame's release notice says so; no notice here)."""
    return any(not holds(release, t) for t in tables)


def prose(release: Release, text: str) -> str:
    """Data prose as users read it: a milestone id written in the text ("milestone M14") becomes its title."""
    titles = texts(release)
    return _MILESTONE.sub(lambda m: f"“{titles.value('milestone_id', m.group(0), 'milestones')}”", str(text))


def quarter(q: str) -> str:
    """'2027Q1' -> '2027 Q1'."""
    q = str(q)
    return f"{q[:4]} {q[4:]}" if re.fullmatch(r"\d{4}Q[1-4]", q) else q


def summary(release: Release, h: Headline) -> None:
    """The proposal in one paragraph (TVET and the currencies written out at first use)."""
    t = texts(release)
    st.markdown(
        f"**A proposed network of AI Centers of Excellence for Pakistan**: a {h.demonstrator_hubs}-hub demonstrator cluster in "
        f"{escape_md(h.demonstrator_city)} first, then {h.hubs_total} hubs across the major cities and {escape_md(t.first_use('TVET'))} "
        "districts. Each hub is a training, project and industry-collaboration space for learners, instructors, startups and "
        f"companies, built as a public–private effort. Costs are in {escape_md(t.first_use('PKR'))} and "
        f"{escape_md(t.first_use('USD'))} terms."
    )


def kpis(release: Release, h: Headline) -> None:
    """Headline figures, each with its provenance."""
    usd = release.param("usd_pkr")
    names = texts(release)
    c = st.columns(4)
    c[0].metric("Proposed hubs at full scale", h.hubs_total, help="Proposal design (the release's hub list)")
    c[0].caption(f"{h.demonstrator_hubs} in the {escape_md(h.demonstrator_city)} demonstrator, over {h.demonstrator_districts} districts")
    c[1].metric("Provinces and territories reached", f"{h.provinces_reached} of {len(release.table('provinces'))}")
    most = sorted(h.hubs_by_province.items(), key=lambda item: -item[1])[:3]
    c[1].caption("Most in " + ", ".join(f"{escape_md(names.province(p))} ({n})" for p, n in most))
    c[2].metric("Learner places a year at full scale", f"{h.learner_capacity_per_year:,}")
    c[2].markdown(param_badge(release, KPI_PARAMS[0]))
    c[3].metric("Capital cost at full scale", f"PKR {h.capex_pkr_m.central / 1000:,.1f} bn")
    c[3].caption(
        f"Range PKR {h.capex_pkr_m.low / 1000:,.1f}–{h.capex_pkr_m.high / 1000:,.1f} bn ≈ USD {h.capex_pkr_m.central / usd:,.0f} M at PKR {usd:,.0f}/USD"
    )
    c[3].markdown(param_badge(release, KPI_PARAMS[1]))


def start_here() -> None:
    """One large route per user group: the hubs on the map, the story as a presentation, the rollout options compared."""
    st.html(_START_CSS)
    with st.container(key="start-here"):
        st.markdown("**Start here**")
        cols = st.columns(len(START_HERE))
        for col, (page, label, icon, line) in zip(cols, START_HERE):
            with col.container(border=True):
                st.page_link(page, label=label, icon=icon, width="stretch")
                st.caption(line)


def hubs_by_phase_chart(release: Release, built: ChartData) -> None:
    """Hubs by phase and hub type, in the shared chart frame."""
    chart_frame(
        built.figure,
        point=built.point,
        units="proposed hubs",
        release=release,
        source="the release's hub list and phases (proposal design)",
        data=built.table.rename(columns={"phase": "Phase", "type": "Hub type", "hubs": "Hubs"}),
        key="overview-hubs-by-phase",
    )


def gaps(release: Release) -> None:
    """Each structural gap in one line with the design pillar that answers it; its evidence and the full response folded."""
    table = release.table("gaps")
    with st.container(border=True, key="gap-cards"):
        cols = st.columns(2)
        for i, g in enumerate(table.itertuples()):
            cols[i % 2].markdown(f"**{escape_md(g.title)}** :material/arrow_forward: *{PILLARS[g.response_pillar]}*")
    with st.expander("Each gap's evidence and the design's response"):
        for g in table.itertuples():
            st.markdown(
                f"**{escape_md(g.title)}.** {escape_md(g.description)}  \n*Evidence:* {escape_md(g.evidence)} {badge(release, g.evidence_source_id)}  \n"
                f"**{PILLARS[g.response_pillar]}:** {escape_md(g.response)}"
            )


def hub_model(release: Release) -> None:
    """Who uses a hub, and the hub types, in a line each; what each user does and how they join, folded."""
    if missing(release, "hub_users"):
        return
    users = release.table("hub_users")
    types = release.table("hub_types")
    counts = release.hubs["hub_type"].value_counts()
    st.markdown("**Who uses a hub:** " + " · ".join(escape_md(u) for u in users["user"]))
    st.markdown(
        f"**{len(types)} hub types:** "
        + " · ".join(
            f"{escape_md(t.label)} ({int(counts.get(t.hub_type, 0))} hubs, {int(release.param(t.capacity_param)):,} learner places a year each)"
            for t in types.itertuples()
        )
    )
    with st.expander("What each user does, how they join, and what each hub type is"):
        programmes = release.table("programmes").set_index("programme_id")["name"]
        for u in users.itertuples():
            tracks = ", ".join(escape_md(programmes.get(p, p)) for p in u.programmes.split(";"))
            st.markdown(f"**{escape_md(u.user)}**: {escape_md(u.what_they_do)}  \n*Tracks:* {tracks}. *How they join:* {escape_md(u.how_they_join)}")
        for t in types.itertuples():
            st.markdown(f"**{escape_md(t.label)}**: {escape_md(t.description)}")


def phase1_design(release: Release) -> None:
    """The first phase's demonstrator in one line; its design, description and exit criteria folded."""
    phases = release.table("phases").set_index("phase_id")
    first = phases.index.min()
    p = phases.loc[first]
    st.markdown(f"**{escape_md(p['scope'])}**, {quarter(p['start_quarter'])} to {quarter(p['end_quarter'])}.")
    elements = None if missing(release, "design_elements") else release.table("design_elements")
    exits = release.table("milestones")
    exits = exits[exits["exit_criterion"] & (exits["phase_id"] == first)]
    with st.expander("The design in detail, and the exit criteria before national scale-up"):
        st.markdown(escape_md(p["description"]))
        if elements is not None:
            for d in elements.itertuples():
                st.markdown(f"- **{escape_md(d.title)}** ({PILLARS[d.pillar].lower()}): {escape_md(d.description)}")
        st.markdown("**Exit criteria before national scale-up** (targets are illustrative)")
        shown = exits[["title", "metric", "target", "due_quarter"]].assign(due_quarter=[quarter(q) for q in exits["due_quarter"]])
        st.table(texts(release).frame(shown, "milestones", keep=("title", "metric", "target")), hide_index=True)  # wraps: every column shows
    st.page_link("pages/phases.py", label="Every phase, milestone and gate, on Phases", icon=":material/timeline:")


def national_goals(release: Release, built: ChartData) -> None:
    """The national vision: one card per phase; the hubs-by-phase chart and the goals folded."""
    phases = release.table("phases")
    with st.container(border=True, key="phase-cards"):
        cols = st.columns(len(phases))
        for col, p in zip(cols, phases.itertuples()):
            col.markdown(f"**Phase {p.phase_id}: {escape_md(p.name)}**  \n{escape_md(p.scope)}, {quarter(p.start_quarter)} to {quarter(p.end_quarter)}")
    st.caption("The national vision is aspirational and contingent on interest, adoption and funding from government and private partners.")
    with st.expander("Hubs by phase and hub type (chart), and the national goals"):
        hubs_by_phase_chart(release, built)
        if not missing(release, "goals"):
            st.markdown("**The national goals and how each is measured**")
            for g in release.table("goals").itertuples():
                st.markdown(f"- **{escape_md(g.goal)}**: {escape_md(prose(release, g.how_measured))}")


def informed_by(release: Release) -> None:
    """What the design learns from, each with its source and caveat (folded)."""
    if missing(release, "influences"):
        return
    table = release.table("influences")
    with st.expander(f"The {len(table)} policies, programmes and comparables it learns from, each with its source"):
        for i in table.itertuples():
            src = badge(release, i.source_id) if isinstance(i.source_id, str) else ":gray-badge[Proposal design]"
            st.markdown(f"- **{escape_md(i.name)}**: {escape_md(i.how_it_shapes_the_design)} {src}  \n  *{escape_md(i.status_note)}*")


def dual_track(release: Release) -> None:
    """The two tracks, one card each (when, who leads, partners' role); what happens when public money is late, folded."""
    if missing(release, "tracks"):
        return
    cols = st.columns(2)
    for col, t in zip(cols, release.table("tracks").itertuples()):
        with col.container(border=True):
            st.markdown(f"**{escape_md(t.name)}**: {escape_md(t.when)}  \n*Led by* {escape_md(t.who_leads)}. *Partners:* {escape_md(t.partners_role)}.")
    with st.expander("What happens if public funding is late or refused"):
        st.markdown(
            "- **Adopted and funded on time**: partners co-implement within a national framework.\n"
            "- **Public funding delayed**: the private track keeps momentum; public money joins later.\n"
            "- **Not approved**: the private track becomes the rollout, at its own pace and funding capacity."
        )
    st.page_link("pages/funding.py", label="Who pays for what on each track, on Funding", icon=":material/account_balance:")


def is_and_is_not(release: Release) -> None:
    """How the concept differs from CoE-AI and the invitation to partners; what it is and is not yet, folded (the frame's
    status notice says it is not approved)."""
    if missing(release, "statements"):
        return
    s = release.table("statements")
    for row in s[s["kind"] == "distinct_from"].itertuples():
        st.info(f"**Not the National AI Policy's CoE-AI centres.** {escape_md(row.text)} {badge(release, row.source_id)}", icon=":material/call_split:")
    for row in s[s["kind"] == "invitation"].itertuples():
        st.success(f"**An invitation to partners.** {escape_md(row.text)}", icon=":material/handshake:")
    with st.expander("What Pak AI CoE is, and what it is not yet"):
        left, right = st.columns(2)
        with left:
            st.markdown("**Pak AI CoE is**")
            st.markdown("  \n".join(f":material/check: {escape_md(row.text)}" for row in s[s["kind"] == "is"].itertuples()))
        with right:
            st.markdown("**It is not yet**")
            st.markdown("  \n".join(f":material/close: {escape_md(row.text)}" for row in s[s["kind"] == "is_not_yet"].itertuples()))
    st.page_link("pages/partners.py", label="Each partner's role on each track, on Partners & roles", icon=":material/handshake:")


KPI_PARAMS = ("capacity_standard", "capex_standard")  # the assumptions whose badges the headline figures show


def sources_used(release: Release) -> pd.DataFrame:
    """The sources this page cites (gaps' evidence, influences, statements, the headline figures' assumptions), for a
    footnote expander, with plain headers and no source ids."""
    cited: list[str] = list(release.assumptions.set_index("param_id").loc[list(KPI_PARAMS), "source_id"].dropna())
    for table, column in (("gaps", "evidence_source_id"), ("influences", "source_id"), ("statements", "source_id")):
        if holds(release, table):
            cited += list(release.table(table)[column].dropna())
    sources = release.table("sources")
    sources = sources[sources["source_id"].isin(set(cited))][["publisher", "title", "date", "uncertain"]]
    shown = sources.assign(date=sources["date"].fillna(""), uncertain=["uncertain" if u else "" for u in sources["uncertain"]])
    return texts(release).frame(shown, "sources")
