"""The notices a run gives once (a link's value the page does not take, a release the link asked for that is not here,
uploads that are gone): at the top of the main area, and carried into the run that draws a first visit's charts.

A first visit draws its charts in a second run of the page (components/deferred.py). The notices of the first run
come from reading the address once, so that second run would not give them again and they would vanish a moment after
they appeared. So every notice of a run is written into one place made at the start of the run, above everything the
page draws, and while a run draws its charts as placeholders its notices are kept in the session and shown again, in
the same place, by the next run. A fragment's rerun (the audience window's poll) writes its notice where it is.
"""

from __future__ import annotations

import threading

import streamlit as st

from components.thirdparty import streamlit as internals

CARRY = "_pak_notices_carry"  # session state: the texts the next run shows again
ICON = ":material/info:"
_RUN = threading.local()  # this thread's run (Streamlit runs a session's script in a thread of its own): its slot and texts


def begin() -> None:
    """At the start of every run (app.py, before anything of the main area): the place of this run's notices, and the
    notices carried from the run before, shown there."""
    _RUN.slot, _RUN.box, _RUN.texts = st.empty(), None, []
    for text, icon in st.session_state.pop(CARRY, []):
        show(text, icon=icon, carried=True)  # carried on again only if this run defers too (components/deferred.py watch)


def show(text: str, icon: str = ICON, carried: bool = False) -> None:
    """A one-line notice about the link or the data (Markdown, escaped by the caller), with a Material icon.
    `carried`: one of the run before's, shown again (begin)."""
    slot = getattr(_RUN, "slot", None)
    if slot is None or internals.in_fragment():
        st.info(text, icon=icon)
        return
    if _RUN.box is None:
        _RUN.box = slot.container()
    with _RUN.box:
        st.info(text, icon=icon)
    _RUN.texts.append((text, icon))
    from components import deferred  # at call time: deferred has nothing to import from here

    if not carried and deferred.active():
        keep()


def keep() -> None:
    """Carry this run's notices into the next run (components/deferred.py: a run whose charts come in the next)."""
    st.session_state[CARRY] = list(getattr(_RUN, "texts", []))
