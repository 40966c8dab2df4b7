"""A first visit's charts come once its first screen is drawn: the first screen does not wait for chart code.

Streamlit's browser client loads the code of a chart (Plotly, 4.7 MB of script) the first time a chart arrives, and
evaluating it holds the browser's main thread for one to two seconds on a slow machine. Sent in the same run as the
page's text and widgets, the charts kept the widgets of the first screen (whose code loads on demand too) as grey
placeholders until Plotly was ready, though on most pages every chart is below the fold (benchmarks/page_bench.py).

So while a browser session has not drawn a chart yet, each chart is drawn as a placeholder of the chart's own height
(nothing moves when the chart replaces it), and the page's script (installed once per browser tab) presses one hidden
button once a placeholder is in view and the widgets in view are drawn: an ordinary rerun of the whole page, which
draws the charts. A placeholder in the first screen is pressed for at once; one below it when the visitor scrolls to
it (or opens the tab or expander holding it): a visitor who reads only the first screen never downloads or runs the
chart code (1.3 MB compressed, one to two seconds of the main thread), which is what held Lighthouse's total blocking
time on the pages whose charts are all below the fold. From then on the session draws its charts at once (the tab has
the chart code). A session that moves to another replica starts again and gets its charts by the same press.
`window.__pakDrawAll = true` asks the script to press whatever is in view, as a visitor scrolling to the end at once
would: tests/harness.py's readiness checks set it, so a test sees the whole page. So does printing: a print of a page
not scrolled through holds the placeholders (a print cannot wait for a rerun), and the next print the charts.

The long pages go further: a first run ends where the first screen surely ends (`fold`, after enough to fill a
1366x900 window), with one placeholder for the rest, and the same press draws the rest: its tables, grids and long texts
cost the browser's main thread while it draws the first screen, as the charts' code did. A run that scrolls to a
section (a link naming one, components/sections.py) draws its page whole and at once (`skip`).

One run of the page, not a fragment per chart: the press is a rerun like any widget's, so uploads and other callbacks
keep Streamlit's ordinary order. The notices a link gets once (a bad value in the address, uploads gone) would vanish
with that second run: `components/notices.py` carries them into it.

Only where a browser is there to press the button: AppTest (no request headers) and the projector page (whose stop is
its first screen) draw the charts at once.
"""

from __future__ import annotations

import threading

import streamlit as st

from components import notices
from components.escape import escape_md
from pakcoe.i18n import t

KEY = "pak-draw-charts"  # the hidden button, which the page's script presses
PLACE = "pak-deferred"  # the key of a placeholder's container is PLACE-<n> (n counts this run's placeholders)
SELECTOR = '[class*="st-key-pak-deferred-"]'  # every placeholder (tests/harness.py and the benchmarks wait until none is left)
DRAWN = "_pak_charts_drawn"  # session state: this session draws its charts at once
NOW = "_pak_defer_this_run"  # session state: this run draws its charts as placeholders
REST_PX = 480  # the height of the placeholder of a folded page's rest
MAX_WAIT_MS = 1500  # the script presses at most this long after the page went idle, widgets in view drawn or not
RETRY_MS = 4000  # a press whose placeholders are still there this long after, the app idle, is made again
POLL_MS = 50  # how often the script looks while a placeholder is on the page
IDLE_POLL_MS = 200  # and otherwise
# Presses the hidden button once the app is idle, a placeholder is in view (any part of it inside the window; one in a
# closed tab or expander has no size) and no widget in view is still a placeholder of its own (its code loading), or
# MAX_WAIT after the app went idle.
_RUN = threading.local()  # this thread's run (a session's script runs in a thread of its own): whether it deferred anything
_WATCH = """<script>
(() => {
  if (window.__pakDeferWatch) return;
  window.__pakDeferWatch = true;
  window.addEventListener('beforeprint', () => { window.__pakDrawAll = true; });  // a print: the rest too, for the next one
  let since = null, pressedAt = null;
  const inView = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.top < window.innerHeight && r.bottom > 0; };
  const pendingInView = () => Array.from(document.querySelectorAll('[data-testid=stSkeleton]')).some(inView);
  const wanted = () => window.__pakDrawAll === true || Array.from(document.querySelectorAll('__SELECTOR__')).some(inView);
  const tick = () => {
    const app = document.querySelector('[data-testid=stApp]');
    const waiting = document.querySelector('__SELECTOR__');
    const idle = app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED';
    if (!waiting || !idle) { since = null; if (!waiting) pressedAt = null; }
    else {
      const now = performance.now();
      since = since === null ? now : since;
      const button = document.querySelector('.st-key-__KEY__ button');
      const again = pressedAt === null || now - pressedAt > __RETRY__;
      if (button && again && wanted() && (!pendingInView() || now - since > __MAX_WAIT__)) {
        pressedAt = now;
        requestAnimationFrame(() => setTimeout(() => button.click(), 0));  // after the widgets' frame is painted
      }
    }
    setTimeout(tick, waiting ? __POLL__ : __IDLE_POLL__);
  };
  tick();
})();
</script>
<style>.st-key-__KEY__ { display: none !important; }</style>"""


def script() -> str:
    """The page's script, and the style that hides the button."""
    names = {"KEY": KEY, "SELECTOR": SELECTOR, "MAX_WAIT": MAX_WAIT_MS, "RETRY": RETRY_MS, "POLL": POLL_MS, "IDLE_POLL": IDLE_POLL_MS}
    out = _WATCH
    for name, value in names.items():
        out = out.replace(f"__{name}__", str(value))
    return out


def watch(enabled: bool) -> None:
    """Every run (app.py, before the page and its notices): whether this run draws its charts as placeholders.
    `enabled`: False on the projector page, which draws its charts at once (so the tab has the chart code from then on)."""
    _RUN.pending = False
    _RUN.count = 0
    if st.session_state.get(KEY) or not enabled:  # the page's script pressed the button: this run draws the charts
        st.session_state[DRAWN] = True
    now = not st.session_state.get(DRAWN) and bool(st.context.headers)  # no headers: no browser (AppTest)
    st.session_state[NOW] = now
    if now:
        notices.keep()  # the notices given so far (carried ones): shown again by the run that draws the charts


def finish() -> None:
    """Every run's end (app.py, after the page, also when it stopped early): when this run left charts or the page's
    rest for the next, the hidden button and the page's script that presses it, in the sidebar (drawing nothing)."""
    if not getattr(_RUN, "pending", False):
        return
    _RUN.pending = False
    with st.sidebar:
        st.button(t("Draw the charts"), key=KEY)
        st.html(script(), unsafe_allow_javascript=True)


def active() -> bool:
    """Whether this run draws its charts as placeholders (see the module's text)."""
    return bool(st.session_state.get(NOW, False))


def placeholder(height: int) -> None:
    """A chart's place, `height` px tall as the chart will be, saying it is being drawn."""
    _place(height, t("Drawing the chart…"))


def _place(height: int, text: str) -> None:
    """A placeholder: a container of Streamlit's own, `height` px tall, holding one caption (its key's class is
    SELECTOR's). Not markup: Streamlit loads the code of st.html and of Markdown with HTML (their sanitizer and HTML
    parser) when the first such element arrives, and it came after the text around the placeholders had been drawn, so
    they appeared a moment late and pushed what lay below them down, in view (a layout shift of 0.13 on Phases). A
    container and a caption need no code the page's text has not loaded already."""
    _RUN.pending = True
    _RUN.count = getattr(_RUN, "count", 0) + 1
    with st.container(key=f"{PLACE}-{_RUN.count}", height=int(height), border=False):
        st.caption(escape_md(text))


class Folded(Exception):  # noqa: N818 (not an error: the page's first run ends here on purpose)
    """Raised by `fold` to end a first run's page where its first screen ends; app.py goes on with the frame."""


def fold() -> None:
    """Where a long page's first run ends when it draws its charts later (see the module's text): a placeholder for
    the rest of the page, then `Folded`. Call it at the top level of a page, after enough to fill the first screen."""
    if not active():
        return
    _RUN.pending = True
    _place(REST_PX, t("Drawing the rest of the page…"))
    raise Folded


def skip() -> None:
    """This run draws its page whole and at once (it scrolls to a section): no placeholders from here on, and the
    session draws its charts at once from now (the tab gets the chart code in this run)."""
    if active():
        st.session_state[NOW] = False
        st.session_state[DRAWN] = True
        st.session_state.pop(notices.CARRY, None)  # no second run to carry this run's notices into
