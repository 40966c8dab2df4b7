"""Methodology: every formula of the rollout model and every assumption, with its source or 'illustrative assumption'; the glossary."""

import streamlit as st

from components import cached, deferred, frame, methodology, proposal_rules, sections
from pakcoe.i18n import t

release = frame.current_release()
st.title(t("Methodology"))
st.markdown(
    t(
        "How the Phases and Compare pages turn a data release into quarter-by-quarter figures. The model is deliberately simple "
        "and fully written out here, so every number can be checked by hand. It describes a **concept proposal**: its outputs are "
        "illustrative, not forecasts."
    )
)
sections.picker("methodology", release)
first = methodology.FirstUse(release)  # abbreviations with their full name at first use on the page
st.header(t("Formulas"), divider="gray", anchor="formulas")
methodology.formulas(release, cached.methodology(release.version), first)
deferred.fold()  # a first visit's first run ends here, below its first screen; the rest comes in the next run
methodology.assumptions(release, first)
if frame.holds(release, "rules"):
    st.header(t("Rules of the dual track"), divider="gray", anchor="rules")
    proposal_rules.decision_rules(release)
st.header(t("Notes on the data and the model"), divider="gray", anchor="notes")
methodology.notes(release, cached.data_notes(release.version), first)
st.header(t("Glossary"), divider="gray", anchor="glossary")
methodology.glossary(release)
