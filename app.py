"""Pak AI CoE explorer: builds the navigation and the shared frame (release selector, status banner)."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from components import cached, frame

PAGES = Path(__file__).parent / "pages"
LOG = logging.getLogger("pakcoe.app")


def run() -> None:
    """Route to the chosen page inside the shared frame."""
    st.set_page_config(page_title="Pak AI CoE explorer", page_icon="🇵🇰", layout="wide")
    pages = [
        st.Page(PAGES / "overview.py", title="Overview", icon=":material/home:", url_path="", default=True),
        st.Page(PAGES / "map.py", title="Hub map", icon=":material/map:", url_path="map"),
        st.Page(PAGES / "phases.py", title="Phases", icon=":material/timeline:", url_path="phases"),
        st.Page(PAGES / "compare.py", title="Compare options", icon=":material/compare_arrows:", url_path="compare"),
        st.Page(PAGES / "methodology.py", title="Methodology", icon=":material/function:", url_path="methodology"),
        st.Page(PAGES / "funding.py", title="Funding", icon=":material/account_balance:", url_path="funding"),
        st.Page(PAGES / "partners.py", title="Partners & roles", icon=":material/handshake:", url_path="partners"),
        st.Page(PAGES / "data.py", title="Data", icon=":material/dataset:", url_path="data"),
    ]
    page = st.navigation(pages, position="top")
    cached.begin_run()
    reports = cached.release_reports()
    asked = frame.asked_release()
    version = frame.release_selector(reports, asked)
    frame.status_banner()
    frame.broken_releases_panel(reports, asked)
    if version is None:
        st.error(
            "No valid published data release is available, so there is nothing to show. Releases that failed validation "
            "are listed above; a draft release is shown only once it is published."
        )
        st.stop()
    frame.release_notice(reports, version)
    try:
        page.run()
    except Exception:  # a page must never show a traceback; st.stop/st.rerun are BaseExceptions and pass through
        LOG.exception("page %s failed", page.title)
        st.error("This page could not be drawn. The problem has been logged; other pages still work.", icon=":material/error:")


run()
