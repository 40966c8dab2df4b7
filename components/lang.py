"""The language of the page: `?lang=en|ur` in the address (kept across pages and in shared links), a switch in the
sidebar, and the current language set for every script run (pakcoe.i18n)."""

from __future__ import annotations

import streamlit as st

from pakcoe import i18n

KEY = "lang"  # the widget's key and the URL parameter (never translated)


def asked() -> str:
    """The language this run is in: the switch's value, else the address's (?lang=), else English."""
    value = st.session_state.get(KEY)
    if value not in i18n.LANGS:
        value = st.query_params.get(KEY)
    return i18n.check(value)


def sync() -> str:
    """Set the current language for this script run (app.py at the start of every run; a fragment at the start of
    its own reruns, which run in a thread of their own)."""
    return i18n.set_current(asked())


def switch() -> str:
    """The sidebar's language switch, bound to ?lang= (the default, English, leaves the address without it)."""
    current = asked()
    st.session_state.setdefault(KEY, current)
    chosen = st.sidebar.segmented_control(
        i18n.t("Language"),
        list(i18n.LANGS),
        format_func=lambda code: i18n.NAMES[code],
        key=KEY,
        bind="query-params",
        required=True,
        label_visibility="collapsed",
    )
    return i18n.set_current(chosen or current)
