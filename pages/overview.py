"""Overview: the proposal on one page, every figure from the selected data release; a "start here" route per user group."""

import streamlit as st

from components import cached, frame, overview, sections
from components.escape import escape_md

release = frame.current_release()
h = cached.release_headline(release.version)
sections.picker("overview", release)

st.title("Pak AI CoE")
overview.summary(release, h)
overview.kpis(release, h)
overview.start_here()

st.header("The gaps, and the response", anchor="gaps")
overview.gaps(release)

if frame.holds(release, "hub_users"):
    st.header("The hub model: who uses a hub, and how", anchor="hub-model")
    overview.hub_model(release)

st.header(f"Phase {h.demonstrator_phase}: the {escape_md(h.demonstrator_city)} demonstrator", anchor="demonstrator")
overview.phase1_design(release)

st.header(f"The national vision: {h.hubs_total} hubs", anchor="vision")
overview.national_goals(release, cached.overview_figure(release.version))

if frame.holds(release, "tracks"):
    st.header("Two tracks: public preferred, private in parallel", anchor="tracks")
    overview.dual_track(release)

if frame.holds(release, "influences"):
    st.header("What the design is informed by", anchor="influences")
    overview.informed_by(release)

if frame.holds(release, "statements"):
    st.header("What Pak AI CoE is, and is not yet", anchor="status")
    overview.is_and_is_not(release)

with st.expander("Sources cited on this page"):
    st.table(overview.sources_used(release), hide_index=True)
