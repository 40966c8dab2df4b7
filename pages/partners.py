"""Partners & roles: who brings what on each track, who is responsible for what (RACI), the proposed governance, and the programmes."""

import streamlit as st

from components import cached, deferred, frame, proposal_rules, sections
from components import partners as pt
from pakcoe.i18n import t

release = frame.current_release()
st.title(t("Partners & roles"))
first = pt.first_use(release)
pt.intro(release, first)
sections.picker("partners", release)
track = pt.track_switch()

st.header(t("Partner categories and what each brings"), divider="gray", anchor="roles")
pt.partner_cards(release, track, first)
deferred.fold()  # a first visit's first run ends here, below its first screen; the rest comes in the next run

st.header(pt.raci_heading(release, first), divider="gray", anchor="raci")
pt.raci_chart(release, track, cached.raci_figure(release.version, track))

st.header(t("Governance: who decides, who implements, who funds"), divider="gray", anchor="governance")
pt.governance(release, track, first)

if frame.holds(release, "risks"):
    st.header(t("Risks and who owns them"), divider="gray", anchor="risks")
    proposal_rules.risks(release)

st.header(t("Programmes: the learning tracks"), divider="gray", anchor="programmes")
pt.programmes_chart(release, cached.programmes_figure(release.version))
