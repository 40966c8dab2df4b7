"""Overview: the proposal on one page, every figure from the selected data release; a "start here" route per user group."""

import streamlit as st

from components import cached, deferred, frame, overview, sections
from components.escape import escape_md
from components.folds import folded
from components.table import static as static_table
from pakcoe.i18n import t

release = frame.current_release()
h = cached.release_headline(release.version)
sections.picker("overview", release)

st.title("Pak AI CoE")
overview.summary(release, h)
overview.kpis(release, h)
overview.start_here()

st.header(t("The gaps, and the response"), anchor="gaps")
overview.gaps(release)
deferred.fold()  # a first visit's first run ends here, below its first screen; the rest comes in the next run

if frame.holds(release, "hub_users"):
    st.header(t("The hub model: who uses a hub, and how"), anchor="hub-model")
    overview.hub_model(release)

st.header(t("Phase {n}: the {city} demonstrator", n=h.demonstrator_phase, city=escape_md(h.demonstrator_city)), anchor="demonstrator")
overview.phase1_design(release)

st.header(t("The national vision: {n} hubs", n=h.hubs_total), anchor="vision")
overview.national_goals(release, cached.overview_figure(release.version))

if frame.holds(release, "tracks"):
    st.header(t("Two tracks: public preferred, private in parallel"), anchor="tracks")
    overview.dual_track(release)

if frame.holds(release, "influences"):
    st.header(t("What the design is informed by"), anchor="influences")
    overview.informed_by(release)

if frame.holds(release, "statements"):
    st.header(t("What Pak AI CoE is, and is not yet"), anchor="status")
    overview.is_and_is_not(release)

if box := folded(t("Sources cited on this page"), "sources"):
    with box:
        sources = overview.sources_used(release)
        if release.lang != "en":
            st.caption(t("Source titles and publishers are quoted as their sources wrote them, in English."))
        static_table(sources, name=t("Sources cited on this page"))
