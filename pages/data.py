"""Data: the release behind every figure."""

import streamlit as st

from components import frame

release = frame.current_release()
st.title("Data")
st.write(release.id)
