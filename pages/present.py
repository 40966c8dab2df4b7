"""Present: the release's deck of stops, each a live view of the app, driven from the keyboard, made for a projector."""

import streamlit as st

from components import cached, frame, stage
from components import present as pr
from pakcoe import registry
from pakcoe.i18n import t

release = frame.current_release()
pr.projector()
draft = not any(r.version == release.version and r.published for r in cached.release_reports())
deck = cached.deck(release.version)
if deck is None or not deck.stops:
    pr.status_line(release, None, 0, draft)
    pr.no_deck(release)
    st.stop()

code, room = pr.followed_room()
if code is not None:  # an audience window: the room's stop, no controls, no notes
    if room is None:
        pr.status_line(release, None, len(deck.stops), draft)
        st.title(t("Audience window"), anchor=False)
        st.warning(t("There is no presenter room with this code (rooms are forgotten after a day). Ask the presenter for a new link."))
        st.stop()
    stop = pr.follow_stop(deck, room)
    show_notes = False
    pr.follow(code, room.seq)  # first: a stop that fails to draw never stops the window following the room
else:
    stop = pr.current_stop(deck)
    code = pr.room_state(release, stop)
    show_notes = pr.notes_shown()
resolved = registry.resolve(release, stop.page, stop.params)
shown = stage.blocks(release, resolved)
caption, terms = pr.spelled_out(stop, release, stage.words(shown) + (" " + stop.text("note") if show_notes else ""))
pr.status_line(release, [s.number for s in deck.stops].index(stop.number) + 1, len(deck.stops), draft, room=code, terms=terms)
if room is not None and room.release != release.version:
    st.info(t("The presenter shows data release {theirs}; this window shows {ours}.", theirs=room.release, ours=release.version), icon=":material/info:")
pr.head(stop, caption)
with st.container(key="present-stage-notes" if show_notes else "present-stage"):
    stage.draw(release, resolved, shown)
if show_notes:
    pr.notes(deck, stop)
if room is None:
    pr.control_bar(deck, stop, release, resolved)
