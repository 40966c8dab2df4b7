"""The Present page's parts: the projector frame, the stop's head, the control bar, speaker notes, audience rooms.

The stop number, the notes switch and the room codes live in the URL (parameters of the `present` page in
pakcoe.registry), so every stop is a link. A presenter's moves are written to the room store (pakcoe.rooms); an
audience window following the room polls it and redraws when the presenter moves.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from components import cached, export_deck, lang, urlstate
from components.escape import escape_md
from components.methodology import NAME, FirstUse
from components.printing import STATUS_LINE
from pakcoe import Release, i18n, registry
from pakcoe.deck import Deck, Stop
from pakcoe.display import WRITTEN_AS_USED, Term, texts
from pakcoe.i18n import t
from pakcoe.release import valid_versions
from pakcoe.rooms import Room, is_code

PAGE = "present"
STYLE = Path(__file__).parent / "styles" / "present.css"
SHELL_STYLE = Path(__file__).parent / "styles" / "projector-shell.css"  # also in a projector page's shell (scripts/serve.py)
STATUS = STATUS_LINE
LOG = logging.getLogger("pakcoe.present")
POLL_SECONDS = 0.25  # how often an audience window asks the room store whether the presenter moved


def ltr(text: str) -> str:
    """Numbers such as '3 / 12' kept left to right inside right-to-left text (a Unicode isolate); English as it is."""
    return f"\u2066{text}\u2069" if i18n.is_rtl() else text


def projector() -> None:
    """The projector's frame: no sidebar, toolbar or navigation; type that scales with the screen (in Urdu, right to
    left in Nastaliq with its taller lines: present.css's rules under html[lang="ur"], which the frame sets)."""
    st.html(SHELL_STYLE)
    st.html(STYLE)


def status_line(release: Release, position: int | None, count: int, draft: bool, room: str | None = None, terms: Sequence[Term] = ()) -> None:
    """The slim status line on every stop: the concept's status, the data release, where the deck is, and the full names
    of the abbreviations the stop's view uses (`terms`)."""
    version = escape_md(release.version)
    shown = t("Data release {version} (draft, not published)", version=version) if draft else t("Data release {version}", version=version)
    parts = [f"**{t('Concept proposal, not approved')}**", "Pak AI CoE", shown]
    if room:
        parts.append(t("Room {code}", code=escape_md(room)))
    if position is not None:
        parts.append(t("Stop {position}", position=ltr(f"{position} / {count}")))
    parts += [f"{escape_md(term.term)}: {escape_md(term.expansion)}" for term in terms]
    with st.container(key="present-status"):
        st.markdown(" · ".join(parts))


def newest_deck(release: Release) -> str | None:
    """The newest valid published release with a deck, other than `release` (None: there is none)."""
    for version in valid_versions(cached.release_reports()):
        if version != release.version and cached.deck(version) is not None:
            return version
    return None


def no_deck(release: Release) -> None:
    """What the page says on a release without a deck, offering the newest deck there is."""
    st.title(t("Present"), anchor=False)
    st.info(t("Data release {version} has no presentation deck.", version=escape_md(release.version)), icon=":material/slideshow:")
    other = newest_deck(release)
    if other:
        st.link_button(t("Present the deck of data release {version}", version=other), f"{PAGE}?{urlencode(_query(release=other))}", type="primary")
    else:
        st.caption(t("No published data release has a deck yet."))


def dropped_warning(deck: Deck) -> None:
    """A visible, compact warning in the control bar (the stop keeps its room): the stops left out of a published deck, and why."""
    if not deck.dropped:
        return
    n = len(deck.dropped)
    for d in deck.dropped:  # the data team's details (page ids, setting names) go to the log, not the screen
        LOG.warning("data release %s: deck %s", deck.version, d)
    label = t("1 stop left out") if n == 1 else t("{n} stops left out", n=n)
    with st.popover(label, icon=":material/warning:", key="present-dropped"):
        why = "; ".join(escape_md(d.plainly()) for d in deck.dropped)
        if n == 1:
            text = t(
                "1 stop of this deck is left out, since the app changed after data release {version} was published: {why}.",
                version=escape_md(deck.version),
                why=why,
            )
        else:
            text = t(
                "{n} stops of this deck are left out, since the app changed after data release {version} was published: {why}.",
                n=n,
                version=escape_md(deck.version),
                why=why,
            )
        st.warning(text, icon=":material/warning:")


def _go(number: int) -> None:
    st.session_state["stop"] = number


def current_stop(deck: Deck) -> Stop:
    """The stop the URL (or a button) asks for; a number the deck does not show gives the nearest stop before it."""
    urlstate.seed(PAGE, "stop")
    wanted = st.session_state.get("stop", 1)
    numbers = [s.number for s in deck.stops]
    chosen = max((n for n in numbers if n <= wanted), default=numbers[0])
    st.session_state["stop"] = chosen
    urlstate.publish(PAGE, "stop", chosen)
    return next(s for s in deck.stops if s.number == chosen)


def follow_stop(deck: Deck, room: Room) -> Stop:
    """The stop an audience window shows: the room's (the nearest before it when this deck leaves it out)."""
    numbers = [s.number for s in deck.stops]
    chosen = max((n for n in numbers if n <= room.stop), default=numbers[0])
    return next(s for s in deck.stops if s.number == chosen)


def spelled_out(stop: Stop, release: Release, shown: str) -> tuple[str, tuple[Term, ...]]:
    """The stop's caption with each abbreviation it uses spelled out at its first use, and the glossary terms only the
    stop's view uses (`shown`: its words): the status line spells those out, above everything that uses them."""
    first_use = FirstUse(release)
    first_use(stop.text("title"))  # a term of the title counts as used: the caption or the status line spells it out
    caption = first_use(stop.text("caption"))
    words = shown.replace(NAME, "")
    rest = tuple(
        t
        for t in texts(release).glossary()
        if t.term not in first_use.seen and t.term not in WRITTEN_AS_USED and re.search(rf"(?<![\w&]){re.escape(t.term)}(?![\w&])", words)
    )
    return caption, rest


def head(stop: Stop, caption: str | None = None) -> None:
    """The stop's title and its one-line caption (`caption`: the caption with its abbreviations spelled out)."""
    with st.container(key="present-head"):
        st.title(stop.text("title"), anchor=False)  # the deck's text in the current language (pakcoe.deck)
        st.markdown(escape_md(stop.text("caption") if caption is None else caption))


def _query(**values: str) -> dict[str, str]:
    """A link's parameters, with the page's language kept (`lang`, absent for English as the switch leaves it)."""
    return {**values, **({"lang": i18n.current()} if i18n.current() != i18n.DEFAULT else {})}


def app_link(release: Release, resolved: registry.Resolved) -> str:
    """The same view on the app's normal page, as a relative link (the release pinned, the language kept)."""
    query: dict[str, str | tuple[str, ...]] = {
        "release": release.version,
        **{k: v for k, v in resolved.query.items() if k not in ("release", "lang")},
        **({"lang": i18n.current()} if i18n.current() != i18n.DEFAULT else {}),
    }
    assert resolved.page is not None
    return f"{resolved.page.url_path}?{urlencode(query, doseq=True)}" if resolved.page.url_path else f"./?{urlencode(query, doseq=True)}"


def notes_shown() -> bool:
    """Whether the presenter asked for speaker notes (the switch in the control bar, the N key, or `notes=1` in the link).

    The switch is a button, not a toggle: a focused toggle keeps the arrow keys from moving the deck."""
    urlstate.seed(PAGE, "notes")
    shown = bool(st.session_state.get("notes"))
    urlstate.publish(PAGE, "notes", shown)
    return shown


def _toggle_notes() -> None:
    st.session_state["notes"] = not st.session_state.get("notes")


def control_bar(deck: Deck, stop: Stop, release: Release, resolved: registry.Resolved) -> None:
    """First / previous / progress / next / last (keys: Home, ←, PageUp, →, PageDown, End), the notes switch, the
    link to the same view in the app, the audience window."""
    numbers = [s.number for s in deck.stops]
    i = numbers.index(stop.number)
    first, last = numbers[0], numbers[-1]
    prev_n, next_n = numbers[max(i - 1, 0)], numbers[min(i + 1, len(numbers) - 1)]
    with st.container(horizontal=True, key="present-bar", vertical_alignment="center"):
        rtl = i18n.is_rtl()  # in Urdu the bar reads right to left: the arrows point the way the deck moves
        st.button(
            t("First"),
            icon=":material/last_page:" if rtl else ":material/first_page:",
            on_click=_go,
            args=(first,),
            disabled=i == 0,
            shortcut="Home",
            key="present-first",
        )
        st.button(
            t("Previous"),
            icon=":material/arrow_forward:" if rtl else ":material/arrow_back:",
            on_click=_go,
            args=(prev_n,),
            disabled=i == 0,
            shortcut="Left",
            key="present-prev",
        )
        with st.container(key="present-progress", width="content"):
            st.markdown(ltr(f"{i + 1} / {len(numbers)}"))  # "3 / 12", left to right in Urdu too
        st.button(
            t("Next"),
            icon=":material/arrow_back:" if rtl else ":material/arrow_forward:",
            on_click=_go,
            args=(next_n,),
            disabled=i == len(numbers) - 1,
            shortcut="Right",
            key="present-next",
        )
        st.button(
            t("Last"),
            icon=":material/first_page:" if rtl else ":material/last_page:",
            on_click=_go,
            args=(last,),
            disabled=i == len(numbers) - 1,
            shortcut="End",
            key="present-last",
        )
        shown = bool(st.session_state.get("notes"))
        st.button(
            t("Hide notes") if shown else t("Speaker notes"),
            icon=":material/speaker_notes_off:" if shown else ":material/speaker_notes:",
            on_click=_toggle_notes,
            shortcut="N",
            key="present-notes-switch",
        )
        st.link_button(t("Open this view in the app"), app_link(release, resolved), icon=":material/open_in_new:")
        audience_window(release, stop)
        deck_downloads(release)
        dropped_warning(deck)
    with st.container(key="present-clicker"):  # what presentation clickers send; hidden, the keys still work
        st.button(t("Previous stop"), on_click=_go, args=(prev_n,), shortcut="PageUp", key="present-pageup")
        st.button(t("Next stop"), on_click=_go, args=(next_n,), shortcut="PageDown", key="present-pagedown")


# The deck's files: kind -> (label, MIME type, file name ending); the labels through `deck_labels` (current language)
DECK_FILES = {
    "pdf": ("Deck as PDF", "application/pdf", ".pdf"),
    "pdf-notes": ("Deck as PDF with speaker notes", "application/pdf", "-notes.pdf"),
    "pptx": ("Deck as PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}


def deck_labels() -> dict[str, tuple[str, str]]:
    """kind -> (button label, save label) in the current language."""
    return {
        "pdf": (t("Deck as PDF"), t("Save: deck as PDF")),
        "pdf-notes": (t("Deck as PDF with speaker notes"), t("Save: deck as PDF with speaker notes")),
        "pptx": (t("Deck as PowerPoint"), t("Save: deck as PowerPoint")),
    }


def _build_deck(release: Release, kind: str, label: str) -> bytes:
    """One of the deck's files, built from the app's caches under a progress bar."""
    bar = st.progress(0.0, text=t("{label}: starting", label=label))

    def progress(done: float, what: str) -> None:
        bar.progress(min(max(done, 0.0), 1.0), text=f"{label}: {what}")  # `what`: export_deck's steps, in the current language

    try:
        if kind == "pptx":
            return export_deck.deck_pptx(release, src=cached, progress=progress)
        return export_deck.deck_pdf(release, notes=kind == "pdf-notes", src=cached, progress=progress)
    finally:
        bar.empty()


def deck_downloads(release: Release) -> None:
    """The control bar's "Download" popover: the whole deck as PDF (with or without the speaker notes) or as PowerPoint,
    each stop as the stage shows it, with the provenance on every page (components.export_deck). A file is built when
    asked, its progress shown, and kept for this session until the release files or the date change; disabled, with the
    reason as its help, where this server cannot build it."""
    reason = export_deck.unavailable()
    stamp = (cached.releases_key(), release.version, date.today().isoformat(), i18n.current())
    labels = deck_labels()
    with st.popover(t("Download"), icon=":material/download:", key="present-download"):
        st.caption(t("The whole deck, a page a stop, with the data release, today's date, the concept's status, the sources and how to cite it."))
        for kind, (_label, mime, ending) in DECK_FILES.items():
            label, save = labels[kind]
            kept = st.session_state.get(f"present-file-{kind}")
            if not (kept and kept[0] == stamp):
                if not st.button(label, key=f"present-build-{kind}", icon=":material/description:", disabled=reason is not None, help=reason):
                    continue
                try:
                    data = _build_deck(release, kind, label)
                except Exception:  # the page goes on; the log has the details
                    LOG.exception("exporting the deck of data release %s as %s failed", release.version, kind)
                    st.warning(t("{what} could not be built just now; try again.", what=label), icon=":material/error:")
                    continue
                kept = st.session_state[f"present-file-{kind}"] = (stamp, data)
            st.download_button(
                save,
                kept[1],
                file_name=f"pak-ai-coe-deck-{release.version}{'' if i18n.current() == i18n.DEFAULT else '-' + i18n.current()}{ending}",
                mime=mime,
                key=f"present-save-{kind}",
                on_click="ignore",
                type="primary",
                icon=":material/download:",
            )


def _open_room(release: Release, stop: int) -> None:
    st.session_state["room"] = cached.rooms().open(release.version, stop).code


def audience_window(release: Release, stop: Stop) -> None:
    """The presenter's room: opened on demand; its follower link shows the same stop in another window."""
    code = st.session_state.get("room")
    if not is_code(code):
        st.button(t("Audience window"), icon=":material/cast:", on_click=_open_room, args=(release, stop.number), key="present-open-room")
        return
    link = f"{PAGE}?{urlencode(_query(release=release.version, follow=code))}"
    st.link_button(t("Audience window (room {code})", code=code), link, icon=":material/cast:")


def room_state(release: Release, stop: Stop) -> str | None:
    """Seed the presenter's room from the URL, write the shown stop to it, keep its code in the URL."""
    urlstate.seed(PAGE, "room")
    code = st.session_state.get("room")
    if code is None:
        return None
    if not is_code(code):  # the notice names the setting; no audience window follows this deck
        urlstate.notice(urlstate.param(PAGE, "room"), code, None)
        st.session_state["room"] = None
        urlstate.publish(PAGE, "room", None)
        return None
    cached.rooms().move(code, release.version, stop.number)
    urlstate.publish(PAGE, "room", code)
    return code


def followed_room() -> tuple[str | None, Room | None]:
    """(the room code an audience window follows, its state): (None, None) for a presenter's window."""
    urlstate.seed(PAGE, "follow")
    code = st.session_state.get("follow")
    if code is not None and not is_code(code):  # not a room code at all: the presenter's window, with a notice
        urlstate.notice(urlstate.param(PAGE, "follow"), code, None)
        st.session_state["follow"] = code = None
    urlstate.publish(PAGE, "follow", code)
    if code is None:
        return None, None
    return code, cached.rooms().get(code) if is_code(code) else None


def notes(deck: Deck, stop: Stop) -> None:
    """The speaker notes and the next stop's title (the presenter's window only)."""
    numbers = [s.number for s in deck.stops]
    i = numbers.index(stop.number)
    upcoming = deck.stops[i + 1].text("title") if i + 1 < len(numbers) else t("the end of the deck")
    with st.container(key="present-notes"):  # the next title first: a long note may scroll, the next title never does
        st.markdown(f"**{t('Next:')}** {escape_md(upcoming)}")
        st.markdown(f"**{t('Notes:')}** {escape_md(stop.text('note'))}")


def follow(code: str, seq: int) -> None:
    """An audience window's watch, called before anything of the stop is drawn (so a stop that fails to draw leaves the
    window following), in a container the projector's stylesheet hides (it draws nothing; hidden, it takes no gap)."""
    with st.container(key="present-watch"):
        watch(code, seq)


@st.fragment(run_every=POLL_SECONDS)
def watch(code: str, seq: int) -> None:
    """An audience window's watch: redraw the page as soon as the room's presenter moves (a fragment's reruns run in a
    thread of their own: the language first)."""
    lang.sync()
    room = cached.rooms().get(code)
    if room is not None and room.seq != seq:
        st.rerun(scope="app")
