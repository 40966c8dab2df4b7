"""Funding: who pays for what under a rollout option, the dual-track decision and its consequences, and where each figure comes from."""

import streamlit as st

from components import cached, deferred, frame, own_options, sections
from components import funding as fund
from pakcoe.i18n import t

release = frame.current_release()
st.title(t("Funding"))
st.markdown(
    t(
        "How the proposed hubs would be paid for: **who pays**, **through which track**, **for what**. Every amount is computed by the "
        "rollout model from illustrative cost assumptions and proposed funding shares; no source has committed any money."
    )
)
fund.terms(release)
sections.picker("funding", release)
view = fund.controls(release)
mine = fund.own(release, view)
own_options.pointer(release)
own_options.link_note([view.option_id])

st.header(t("Who pays for what"), divider="gray", anchor="flow")
sankey = cached.funding_sankey(release.version, view.option_id, view.phase, view.currency, mine)
fund.sankey_chart(release, view, sankey)
deferred.fold()  # a first visit's first run ends here, below its first screen; the rest comes in the next run

st.header(t("The dual track: what each public funding decision leads to"), divider="gray", anchor="tracks")
branches = cached.funding_branches(release.version)
fund.decision_flow(release, branches, view.currency)

st.header(t("Funding mix over time"), divider="gray", anchor="mix")
fund.mix_chart(release, view, cached.funding_mix(release.version, view.option_id, view.phase, view.currency, mine))

st.header(t("Funding gap: money missing against the plan"), divider="gray", anchor="gap")
fund.gap_chart(release, view, cached.funding_gap(release.version, view.option_id, view.phase, view.currency, mine))

st.header(t("Every figure on this page, and where it comes from"), divider="gray", anchor="figures")
fund.provenance_table(cached.funding_provenance(release.version, view, mine))
