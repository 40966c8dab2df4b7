"""Folded sections whose content is built only while they are open.

Streamlit draws an expander's content in the browser whether it is open or not: a folded section still costs a first
visit the drawing of all its text and tables, and a chart in it the download and the start of the whole chart code
(1.3 MB compressed, about a second of the browser's main thread on a slow machine) for a chart nobody has opened.
Overview's folded chart was 40 % of its first visit (benchmarks/README.md).

A fold is an expander that reruns the page when it is opened or closed, and whose content the page builds only while
it is open (Streamlit's lazy expanders): a visitor who does not open it gets only its label. Opening it costs one
rerun of the page. It starts closed (or open, where the page says so) on every visit and is not part of the page's link. A closed fold prints not at all,
as a closed expander never did (components/styles/print.css).

The one spelling of a lazy fold in the app: the page sections above, each chart's data table (components/chart.py)
and the map's "Your own sites" panel (components/own_sites.py) too.

For text that a visitor reads once opened, not for controls whose values the page needs while closed (a widget not
drawn in a run loses its value).
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

KEY = "fold-"  # the session-state key of a fold is KEY + its name (True while open): tests open them all by it


def folded(label: str, name: str, *, icon: str | None = None, expanded: bool = False) -> DeltaGenerator | None:
    """An expander titled `label`, closed unless `expanded` (its first state; the visitor's choice from then on); the
    container to build its content in while it is open, else None.
    `name`: unique on the page (with KEY, the expander's key; a name that does not depend on the language keeps the
    fold's state when the language changes)."""
    box = st.expander(label, key=f"{KEY}{name}", icon=icon, expanded=expanded, on_change="rerun")
    return box if box.open else None
