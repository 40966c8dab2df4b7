"""Streamlit building blocks: turn pakcoe objects into widgets, charts, maps and panels."""
