"""Phases: the rollout timeline of one option — phases, milestones and exit criteria, hubs open over time."""

import streamlit as st

from components import cached, frame, lang, own_options, rollout
from components.folds import folded
from pakcoe.i18n import t

lang.sync()  # the frame has set it already; again here so the page run on its own (AppTest's first page) speaks it too
release = frame.current_release()
st.title(t("Phases"))
st.markdown(
    t(
        "How the proposal unfolds: {n} phases, each gated by exit criteria, and the hubs a rollout option opens quarter by quarter. "
        "Dates are a **proposed plan and illustrative model output**, not an agreed timetable.",
        n=len(release.table("phases")),
    )
)
rollout.phases_terms(release)
option = rollout.option_picker(release)
own_options.pointer(release)
scenario, name, _ = rollout.phase_option(release, option)
data = cached.phases(release.version, scenario, name)
rollout.phases_view(release, data, option)
if box := folded(t("Notes on the data and the model"), "notes"):  # built once opened (components/folds.py)
    with box:
        rollout.data_notes(cached.data_notes(release.version))
st.page_link("pages/compare.py", label=t("Compare rollout options side by side"), icon=":material/compare_arrows:")
