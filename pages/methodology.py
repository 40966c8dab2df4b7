"""Methodology: every formula of the rollout model and every assumption, with its source or 'illustrative assumption'."""

import streamlit as st

from components import cached, frame, proposal_rules, rollout

release = frame.current_release()
st.title("Methodology")
st.markdown(
    "How the Phases and Compare pages turn a data release into quarter-by-quarter figures. The model is deliberately simple "
    "and fully written out here, so every number can be checked by hand. It describes a **concept proposal**: its outputs are "
    "illustrative, not forecasts."
)
st.header("Formulas", divider="gray")
rollout.methodology(release, cached.methodology(release.version))
if frame.holds(release, "rules"):
    st.header("Rules of the dual track", divider="gray")
    proposal_rules.decision_rules(release)
st.header("Notes on the data and the model", divider="gray")
rollout.data_notes(cached.data_notes(release.version))
