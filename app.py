"""Pak AI CoE explorer: entry point (a minimal first page until the app shell lands)."""

from __future__ import annotations

import streamlit as st

from pakcoe import headline, list_releases, newest_valid, validate_release

st.set_page_config(page_title="Pak AI CoE explorer", layout="wide")
st.title("Pak AI CoE: a proposed network of AI Centers of Excellence")
st.warning(
    "A concept proposal: not approved, accredited, funded or adopted by any government body. NAVTTC and NVQF references describe the intended alignment only."
)
reports = [validate_release(p) for p in list_releases()]
current = newest_valid(reports)
if current is None:
    st.error("No valid data release was found.")
    st.stop()
h = headline(current.release)
st.caption(f"Data release {current.release.id}")
cols = st.columns(4)
cols[0].metric("Proposed hubs", h.hubs_total)
cols[1].metric("Phase-1 Karachi hubs", f"{h.karachi_phase1_hubs} in {h.karachi_districts} districts")
cols[2].metric("Learner capacity a year at full scale", f"{h.learner_capacity_per_year:,}")
cols[3].metric("Capital cost, PKR million (illustrative)", f"{h.capex_pkr_m.central:,.0f}", help=f"Range {h.capex_pkr_m.low:,.0f}-{h.capex_pkr_m.high:,.0f}")
for r in reports:
    if not r.valid:
        st.error(f"Release {r.version} is invalid and is not shown ({len(r.problems)} problems).")
