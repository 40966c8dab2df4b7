"""Charts below the first screen, drawn once the first screen is: a page's first visit does not wait for chart code.

Streamlit's browser client loads the code of a chart (Plotly, 4.7 MB of script) the first time a chart arrives, and
parsing it holds the browser's main thread for one to two seconds on a slow machine. Sent in the same run as the page's
text and widgets, the charts kept the widgets of the first screen (whose code loads on demand too) as grey placeholders
until Plotly was ready, though every chart of most pages is below the fold (benchmarks/page_bench.py: first screen).

So while a session has not drawn a chart yet, each chart is a fragment of the page holding a placeholder of the chart's
own height (nothing moves when the chart replaces it) and a hidden button. The page's script (installed once per
browser tab) presses the buttons one by one, from the top, as soon as the widgets in view are drawn: each press reruns
that fragment only, which draws its chart. The rest of the page does not run again, so a notice shown once stays. From
the first press on, the session draws its charts at once (the tab has the chart code). A session that moves to another
replica starts again: its charts come by the same presses.

Only where a browser is there to press the buttons: AppTest (no request headers) and the projector page (whose stop
is its first screen) draw the charts at once.
"""

from __future__ import annotations

import html
import re
from typing import Any

import streamlit as st

from components import lang
from pakcoe.i18n import t

KEY = "pak-draw-chart-"  # + the chart's key: its hidden button, which the page's script presses
CLASS = "pak-deferred"  # a chart's placeholder (tests/harness.py waits until none is left)
DRAWN = "_pak_charts_drawn"  # session state: a chart has been asked for (this session draws them at once from now on)
NOW = "_pak_defer_this_run"  # session state: this run defers its charts
MAX_WAIT_MS = 1500  # the script presses at most this long after the page went idle, widgets in view drawn or not
RETRY_MS = 3000  # a press whose placeholder is still there this long after, the app idle, is pressed again
POLL_MS = 50  # how often the script looks while a chart waits
IDLE_POLL_MS = 200  # and otherwise
# Presses the first placeholder's button once the app is idle and no widget in view is still a placeholder of its own
# (its code loading), then the next once that run is over, and so on down the page.
_WATCH = """<script>
(() => {
  if (window.__pakDeferWatch) return;
  window.__pakDeferWatch = true;
  let since = null, pressed = null, pressedAt = 0;
  const pendingInView = () => Array.from(document.querySelectorAll('[data-testid=stSkeleton]')).some((s) => {
    const r = s.getBoundingClientRect();
    return r.height > 0 && r.top < window.innerHeight && r.bottom > 0;
  });
  const tick = () => {
    const app = document.querySelector('[data-testid=stApp]');
    const next = document.querySelector('.__CLASS__');
    const idle = app && app.dataset.testScriptState === 'notRunning' && app.dataset.testConnectionState === 'CONNECTED';
    if (!next) { since = null; pressed = null; }
    else if (idle) {
      since = since === null ? performance.now() : since;
      const again = next.dataset.button !== pressed || performance.now() - pressedAt > __RETRY__;
      const button = document.querySelector('.' + next.dataset.button + ' button');
      if (button && again && (!pendingInView() || performance.now() - since > __MAX_WAIT__)) {
        pressed = next.dataset.button;
        pressedAt = performance.now();
        requestAnimationFrame(() => setTimeout(() => button.click(), 0));  // after the widgets' frame is painted
      }
    }
    setTimeout(tick, next ? __POLL__ : __IDLE_POLL__);
  };
  tick();
})();
</script>
<style>[class*="st-key-__KEY__"] { display: none !important; }</style>"""


def script() -> str:
    """The page's script, and the style that hides the buttons."""
    names = {"KEY": KEY, "CLASS": CLASS, "MAX_WAIT": MAX_WAIT_MS, "RETRY": RETRY_MS, "POLL": POLL_MS, "IDLE_POLL": IDLE_POLL_MS}
    out = _WATCH
    for name, value in names.items():
        out = out.replace(f"__{name}__", str(value))
    return out


def watch(enabled: bool) -> None:
    """Every run (app.py, before the page): decide whether this run defers its charts and, if it does, put the page's
    script in the sidebar. `enabled`: False on the projector page."""
    now = enabled and not st.session_state.get(DRAWN) and bool(st.context.headers)  # no headers: no browser (AppTest)
    st.session_state[NOW] = now
    if now:
        st.sidebar.html(script(), unsafe_allow_javascript=True)


def active() -> bool:
    """Whether this run draws its charts as `chart`'s fragments (see the module's text)."""
    return bool(st.session_state.get(NOW, False))


def css_class(key: str) -> str:
    """The class Streamlit gives the element of widget key `key` (characters other than letters, digits, - and _ as -)."""
    return "st-key-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def placeholder(height: int, button: str) -> None:
    """A chart's place, `height` px tall as the chart will be, saying it is being drawn; `button`: its button's key."""
    text = html.escape(t("Drawing the chart…"))
    st.html(
        f'<div class="{CLASS}" data-button="{html.escape(css_class(button))}" role="status" style="height:{int(height)}px;'
        f'display:flex;align-items:center;justify-content:center;color:#5B6572;font-size:0.9rem">{text}</div>'
    )


@st.fragment
def chart(fig: Any, key: str, height: int, **plotly: Any) -> None:
    """A chart of a deferring run: its placeholder and hidden button; once pressed (this fragment's rerun), the chart,
    drawn by st.plotly_chart(fig, key=key, **plotly)."""
    lang.sync()  # a fragment's rerun runs in a thread of its own
    button = KEY + key
    if st.button(t("Draw the chart"), key=button):
        st.session_state[DRAWN] = True
        st.plotly_chart(fig, key=key, **plotly)
    else:
        placeholder(height, button)
