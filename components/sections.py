"""The "On this page" section picker of the long pages: the part of the page a link (or a presentation stop) is about.

Each section's header carries its id from pakcoe.registry's SECTIONS as its anchor (`st.header(..., anchor=id)`), so
`#risks` names it (Streamlit itself scrolls to a fragment once, on load, when the address keeps it). The picker is the
page's registered section parameter (SECTION_PARAM: `p_section` on Partners, ...; components.urlstate keeps it in the
URL by value, seeded from the link); choosing a section, or arriving on the page with a section other than the first (a
link, or back from another page), scrolls the main area to that header. Sections a release has no table for are not
drawn, so the picker does not offer them.

The scroll is a small script that `st.html(..., unsafe_allow_javascript=True)` runs in the page itself: no iframe
(components.v1.html is deprecated in Streamlit 1.67 in favour of st.iframe, which would take room), and the script
carries nothing but a registry id.
"""

from __future__ import annotations

import json

import streamlit as st

from components import deferred, urlstate
from pakcoe import Release
from pakcoe.i18n import t
from pakcoe.registry import SECTION_PARAM, drawn_sections

_PAGE = "_sections_page"  # the page whose picker ran last
_SCROLLS = "_sections_scrolls"  # how many scrolls this session asked for
LIMIT_MS, SETTLE_MS, STEP_MS = 20_000, 1_500, 100  # the scroll script's bounds (below)


# Scrolls the main area to the header with this id once it is drawn. Headers further down can appear later than the
# script runs (the page draws progressively, and charts above them can still change height), so it polls: it puts the
# header back under the top bar while it is elsewhere, and stops once the script run is over and the header has not
# moved for SETTLE_MS (also when the page ends too soon to bring it up that far), after LIMIT_MS, as soon as the
# reader scrolls, types or clicks, and when the reader leaves the page (its element is removed, or the path changes:
# until the next page is drawn, this page's header is still there). When the page was just opened from a link
# (`opened`) and the reader has already scrolled before the script runs, it leaves the page where the reader put it.
# `request` makes every script differ, so each one runs.
_SCRIPT = """<script>
(() => {
  const target = __TARGET__, opened = __OPENED__, request = __REQUEST__;
  const LIMIT_MS = __LIMIT_MS__, SETTLE_MS = __SETTLE_MS__, STEP_MS = __STEP_MS__;
  const started = Date.now(), events = ["wheel", "touchstart", "keydown", "mousedown"];
  const me = document.currentScript, path = location.pathname, main = document.querySelector("[data-testid=stMain]");
  if (opened && main && main.scrollTop > 0) return;
  let stopped = false, last = null, movedAt = started;
  const stop = () => { stopped = true; };
  events.forEach((e) => window.addEventListener(e, stop, { capture: true, passive: true }));
  const finish = () => events.forEach((e) => window.removeEventListener(e, stop, { capture: true }));
  const running = () => {
    const app = document.querySelector("[data-testid=stApp]");
    return !app || app.dataset.testScriptState !== "notRunning";
  };
  const tick = () => {
    if (stopped || Date.now() - started > LIMIT_MS || (me && !me.isConnected) || location.pathname !== path) return finish();
    const header = document.getElementById(target);
    if (header) {
      const bar = document.querySelector("[data-testid=stHeader]");
      const margin = (bar ? bar.getBoundingClientRect().bottom : 0) + 8;
      header.style.scrollMarginTop = margin + "px";
      if (Math.abs(header.getBoundingClientRect().top - margin) > 2) header.scrollIntoView({ block: "start" });
      const top = header.getBoundingClientRect().top;
      if (last === null || Math.abs(top - last) > 2) movedAt = Date.now();
      last = top;
      if (!running() && Date.now() - movedAt > SETTLE_MS) return finish();
    }
    setTimeout(tick, STEP_MS);
  };
  tick();
})();
</script>"""


def drawn(release: Release, page: str) -> dict[str, str]:
    """The sections the page draws on this release, in order: id -> short label in the current language
    (pakcoe.registry.drawn_sections)."""
    return drawn_sections(release, page, lang=None)


def picker(page: str, release: Release) -> str:
    """The sidebar's "On this page" picker of the page's sections on this release. Returns the chosen section's id.

    It scrolls to the chosen section when the address showed another one of this page's sections (the reader chose
    it; or the page was opened from the navigation, which leaves the parameter out, and the value persisted from an
    earlier visit), and when the page is opened from a link or another page on a section other than the first. It does
    not scroll on other widgets' reruns, nor when a release without the section puts the picker back on the first."""
    choices, key = drawn(release, page), SECTION_PARAM[page]
    first = next(iter(choices))
    shown = st.query_params.get(key, first)  # the section the address named before this run
    # A button that opens the list of the page's sections (a radio group), as the release picker above it: a select
    # box's code would be loaded for this alone on most pages (benchmarks/README "The release picker").
    with st.sidebar.popover(
        t("On this page"),
        icon=":material/toc:",
        key=f"{key}-picker",
        width="stretch",
        help=t("Go to a part of this page. The address bar keeps it: a copied link opens the page there."),
    ):
        value = urlstate.widget(st.radio, page, key, t("On this page"), options=list(choices), format_func=choices.get)
    before = st.session_state.get(_PAGE)
    if (value != shown and shown in choices) or (before != page and value != first):
        deferred.skip()  # the section may lie below where a first run would end: the page whole, at once
        _scroll_to(value, opened=before is None)
    st.session_state[_PAGE] = page
    return value


def _scroll_to(section: str, opened: bool) -> None:
    """Scroll the main area to the section's header (a script in the sidebar; it draws nothing).

    `opened`: the session's first picker run, so the page was just opened from a link naming the section."""
    count = st.session_state[_SCROLLS] = st.session_state.get(_SCROLLS, 0) + 1
    values = {
        "__TARGET__": json.dumps(section).replace("<", "\\u003c"),  # a registry id; never closes the script
        "__OPENED__": json.dumps(opened),
        "__REQUEST__": str(count),
        "__LIMIT_MS__": str(LIMIT_MS),
        "__SETTLE_MS__": str(SETTLE_MS),
        "__STEP_MS__": str(STEP_MS),
    }
    script = _SCRIPT
    for placeholder, value in values.items():
        script = script.replace(placeholder, value)
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)
