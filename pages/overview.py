"""Overview: the proposal on one page, every figure from the selected data release."""

import streamlit as st

from components import cached, frame, overview, sections
from components.escape import escape_md

release = frame.current_release()
h = cached.release_headline(release.version)
sections.picker("overview", release)

st.title("Pak AI CoE")
st.markdown(
    f"**A proposed network of AI Centers of Excellence for Pakistan**: a {h.demonstrator_hubs}-hub demonstrator cluster in {escape_md(h.demonstrator_city)} "
    f"first, then {h.hubs_total} hubs across the major cities and TVET districts. Each hub is a training, project and "
    "industry-collaboration space for learners, instructors, startups and companies, built as a public–private effort."
)
overview.kpis(release, h)

st.header("The gaps, and the response", divider="gray", anchor="gaps")
overview.gaps(release)
overview.hubs_by_phase_chart(release, cached.overview_figure(release.version))

if frame.holds(release, "hub_users"):
    st.header("The hub model: who uses a hub, and how", divider="gray", anchor="hub-model")
    overview.hub_model(release)

st.header(f"Phase {h.demonstrator_phase}: the {escape_md(h.demonstrator_city)} demonstrator", divider="gray", anchor="demonstrator")
overview.phase1_design(release)

st.header(f"The national vision: {h.hubs_total} hubs", divider="gray", anchor="vision")
overview.national_goals(release)

if frame.holds(release, "tracks"):
    st.header("Two tracks: public adoption preferred, private track in parallel", divider="gray", anchor="tracks")
    overview.dual_track(release)

if frame.holds(release, "influences"):
    st.header("What the design is informed by", divider="gray", anchor="influences")
    overview.informed_by(release)

if frame.holds(release, "statements"):
    st.header("What Pak AI CoE is, and is not yet", divider="gray", anchor="status")
    overview.is_and_is_not(release)

with st.expander("Sources cited on this page"):
    st.dataframe(overview.sources_used(release), hide_index=True)
