"""Overview: the proposal in one page."""

import streamlit as st

from components import cached, frame

release = frame.current_release()
h = cached.release_headline(release.version)
st.title("Pak AI CoE")
st.metric("Proposed hubs", h.hubs_total)
