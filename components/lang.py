"""The language of the page: `?lang=en|ur` in the address (kept across pages and in shared links), a switch near the
top of the sidebar, the current language set for every script run (pakcoe.i18n), and the page's `<html lang dir>`.

Streamlit has no API for the document's language or direction: a tiny script run in the page itself
(`st.html(..., unsafe_allow_javascript=True)`, no iframe) sets `lang` and `dir` on `<html>`, so the browser, screen
readers and the right-to-left rules of components/styles/screen.css (`html[dir="rtl"]`) know the page is Urdu.
"""

from __future__ import annotations

import json

import streamlit as st

from pakcoe import i18n
from pakcoe.registry import Param

KEY = "lang"  # the widget's key and the URL parameter (never translated)

# Sets <html lang dir> (and a class the stylesheet can use) once the element is drawn; the values are two fixed codes.
_SCRIPT = """<script>
(() => {
  const lang = __LANG__, dir = __DIR__, root = document.documentElement;
  if (root.lang !== lang) root.lang = lang;
  if (root.dir !== dir) root.dir = dir;
  root.classList.toggle("pak-rtl", dir === "rtl");
  // Fetch the Nastaliq font now, before the page's charts measure their labels with it.
  if (lang === "ur") document.fonts.load('16px "Noto Nastaliq Urdu"', "اردو");
})();
</script>"""


def asked() -> str:
    """The language this run is in: the switch's value, else the address's (?lang=), else English (a bad value too)."""
    value = st.session_state.get(KEY)
    if value not in i18n.LANGS:
        value = st.query_params.get(KEY)
    return i18n.check(value)


def sync() -> str:
    """Set the current language for this script run (app.py at the start of every run; a fragment at the start of
    its own reruns, which run in a thread of their own)."""
    return i18n.set_current(asked())


def document_script(lang: str) -> str:
    """The script that sets `<html lang dir>` for `lang` (a language code the app speaks)."""
    lang = i18n.check(lang)
    return _SCRIPT.replace("__LANG__", json.dumps(lang)).replace("__DIR__", json.dumps(i18n.direction(lang)))


PARAM = Param(KEY, "Language")  # the address's ?lang= as a setting (its label names it in a notice), beside pakcoe.registry's


def format_func(code: str) -> str:
    """A language as the switch names it, in its own script."""
    return i18n.NAMES[code]


def switch() -> str:
    """The sidebar's language switch (the first control under the navigation): each language named in its own script
    ("English | اردو"). Kept in the address as ?lang= by value (Streamlit's own binding would write the label):
    seeded from it on a session's first run, written back on every run (a page change drops plain query parameters),
    left out for English and for a bad value. Sets the page's `<html lang dir>`. Returns the language chosen."""
    bad = None
    if st.session_state.get(KEY) not in i18n.LANGS:  # a session's first run: the address's language (bad: English)
        asked_for = st.query_params.get(KEY)
        st.session_state[KEY] = i18n.check(asked_for)
        if asked_for is not None and asked_for not in i18n.LANGS:
            bad = asked_for
    chosen = st.sidebar.segmented_control(
        i18n.t("Language"),
        list(i18n.LANGS),
        format_func=format_func,
        key=KEY,
        required=True,
        help=i18n.t("English | اردو: the whole app in English or in Urdu. The address keeps the choice, so a copied link opens in it."),
    )
    lang = i18n.set_current(chosen)
    if bad is not None:  # said in the language shown, naming the setting as the switch does
        from components import urlstate  # at call time, as urlstate's own imports of the frame

        urlstate.notice(PARAM, bad, lang, format_func)
    if lang == i18n.DEFAULT:
        if KEY in st.query_params:
            del st.query_params[KEY]
    elif st.query_params.get(KEY) != lang:
        st.query_params[KEY] = lang
    with st.sidebar:
        st.html(document_script(lang), unsafe_allow_javascript=True)
    return lang
