"""Sections of the Partners & roles page: partner categories per track, the RACI heatmap, governance, programmes.

The charts are built by components.partners_figures (pure, cached by components.cached); this module draws them
and everything else straight from the release.
"""

from __future__ import annotations

import streamlit as st

from components import printing, urlstate
from components.chart import ChartData, chart_frame
from components.escape import escape_md
from components.partners_figures import governance_data
from pakcoe import Release
from pakcoe.funding import TRACK_LABELS

RACI = {"R": "Responsible (does the work)", "A": "Accountable (answers for it; one per activity)", "C": "Consulted", "I": "Informed"}
TRACK_ROLE_COLUMN = {"public": "role_public_track", "private": "role_private_track"}
NO_ACCREDITATION = (
    "**No accreditation exists today.** None of these programmes is accredited by NAVTTC or any other body. The NVQF levels "
    "show the *intended direction of alignment* only (descriptive); accreditation would have to be sought programme by programme."
)


def track_switch() -> str:
    """Public adoption or private track; in the URL as ?raci_track=."""
    return urlstate.widget(st.segmented_control, "partners", "raci_track", "Track", format_func=TRACK_LABELS.get, required=True) or "public"


def partner_cards(release: Release, track: str) -> None:
    """One card per partner category: what it brings and its role on the chosen track."""
    partners = release.table("partners")
    column = TRACK_ROLE_COLUMN[track]
    cols = st.columns(4)
    for i, p in enumerate(partners.itertuples(index=False)):
        role = getattr(p, column)
        kind = "Backbone" if "backbone" in role.lower() else "Co-implementer" if "co-implementer" in role.lower() else None
        with cols[i % 4].container(border=True, key=f"partner-{i}"):
            tag = f" :violet-badge[{kind}]" if kind else ""
            st.markdown(f"**{escape_md(p.category)}**{tag}")
            st.caption(escape_md(p.who))
            st.markdown(f"*Brings:* {escape_md(p.brings)}")
            st.markdown(f"*On this track:* {escape_md(role)}")
    with st.expander("Both tracks side by side (table)"):
        table = partners[["category", "brings", "role_public_track", "role_private_track"]]
        printing.table(
            table.rename(columns={"role_public_track": "if the Government adopts it", "role_private_track": "on the private track"}), hide_index=True
        )


def raci_chart(release: Release, track: str, built: ChartData) -> None:
    """The heatmap in the chart frame, with the key to the letters."""
    chart_frame(
        built.figure,
        point=built.point,
        units="RACI letter per activity and partner category",
        release=release,
        source="roles.csv, activities.csv, partners.csv (proposal design, proposed roles)",
        data=built.table,
        key=f"raci-{track}",
        alt=f"RACI matrix for the {TRACK_LABELS[track].lower()}: each cell shows the letter R, A, C or I.",
    )
    st.caption(" · ".join(f"**{k}** = {v}" for k, v in RACI.items()))


def governance(release: Release, track: str) -> None:
    """Who decides, who implements, who funds on the chosen track; every body marked proposed."""
    built = governance_data(release, track)
    bodies, implementers, paying = built.bodies, built.implementers, built.funders
    cols = st.columns(3)
    with cols[0].container(border=True, key="gov-decides"):
        st.markdown("**Who decides** · :orange-badge[proposed]")
        for b in bodies.itertuples(index=False):
            st.markdown(f"- **{escape_md(b.name)}** ({escape_md(b.status)}): {escape_md(b.decides)}")
    with cols[1].container(border=True, key="gov-implements"):
        st.markdown("**Who implements** · :orange-badge[proposed]")
        st.markdown("\n".join(f"- {escape_md(p)}" for p in implementers))
        st.caption("Partner categories Responsible (R) for at least one activity in the RACI above.")
    with cols[2].container(border=True, key="gov-funds"):
        st.markdown("**Who funds** · :orange-badge[proposed]")
        st.markdown("\n".join(f"- {escape_md(p)}" for p in paying))
        st.caption("Sources with a share on this track in funding_rules.csv (illustrative; nobody has committed money).")
    table = bodies[["name", "status", "decides", "members", "track"]]
    printing.table(table, hide_index=True)


def programmes_chart(release: Release, built: ChartData) -> None:
    """The programmes chart in the chart frame, after the plain statement that nothing is accredited."""
    st.warning(NO_ACCREDITATION, icon=":material/report:")
    chart_frame(
        built.figure,
        point=built.point,
        units="learner seats a year in one hub of each type",
        release=release,
        source="programmes.csv, programme_offers.csv (proposal design; NVQF levels descriptive, not accredited)",
        data=built.table,
        key="programmes",
    )
