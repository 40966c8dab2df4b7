"""Start the Streamlit server the way `make run` serves the app.

1. Streamlit's legacy `pages/` folder detection is switched off. Streamlit treats a `pages/` folder beside
   the entry point as a legacy multipage app until the first session has run `st.navigation` (a
   process-wide flag). A shared deep link that is the first request after a start would then run a page
   file without the frame, or show "Page not found". Switching it off before the server starts
   (components.thirdparty.streamlit) gives the first session the same behaviour as every later one.
2. The caches are warmed in a background thread as soon as the runtime exists (components.warm):
   the first visitor after a start then does not wait for every release's validation and the map's
   rendering. The server accepts connections meanwhile; a visitor who comes early waits only for what is
   still being computed. The log says what was warmed and how long it took. What the warm-up made is then kept
   out of the garbage collector's passes (gc.freeze: a full pass over it stalled every session for 58-96 ms).
3. Streamlit's page shell gets the app's sheets in its head: components/styles/shell.css keeps the sidebar's place and
   the wide column from the first paint (not on the projector page, which gets projector-shell.css, present.css and
   stage.css at the end of its body instead), so the page does not jump sideways when they arrive; screen.css styles
   the text as the frame will; and a page asked for in Urdu (?lang=ur) is right to left, with its font on the way,
   before its first text.

Usage: python scripts/serve.py [streamlit run options...]
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_THREAD = "pakcoe-warm"
LOG = logging.getLogger("pakcoe.serve")


class _NoContextWarning(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warning for the warm-up thread only (it has no session by design)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.threadName == WARM_THREAD and "missing ScriptRunContext" in record.getMessage())


def warm_when_ready(timeout: float = 60.0) -> None:
    """Wait for Streamlit's runtime (its cache storage lives there), then warm the app's caches; log the outcome."""
    from streamlit import runtime

    deadline = time.monotonic() + timeout
    while not runtime.exists():
        if time.monotonic() > deadline:
            return
        time.sleep(0.05)
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_NoContextWarning())
    t0 = time.perf_counter()
    try:
        sys.path.insert(0, str(ROOT))
        from components import warm

        steps = warm.warm()
    except Exception:  # never take the server down: a session computes what is missing, and shows any error itself
        LOG.exception("warming the caches failed; the first visit computes them instead")
        return
    detail = "; ".join(f"{what} {s:.2f} s" for what, s in steps)
    print(f"pakcoe: caches warmed in {time.perf_counter() - t0:.2f} s ({detail})", flush=True)
    print(f"pakcoe: {warm.renderer()}", flush=True)  # after the caches: the first export then does not start it
    print(f"pakcoe: {warm.settle()}", flush=True)  # last: what the warm-up made is long-lived


def shell_additions() -> None:
    """Streamlit's page shell with where the server is (`server_base`), the page's language (`first_language`) and the
    app's screen sheet (components/styles/screen.css) with components/styles/shell.css, or on the projector pages (no
    sidebar) screen.css, and projector-shell.css, present.css and stage.css at the end of the body; see the module's
    text. The frame and the Present page still draw their sheets (a server started otherwise has none in its shell); in
    the shell they hold from the first paint: drawn by the page only, they came a moment after the text they style
    (Streamlit loads the code of its HTML element on first use), and the text moved.

    Why the projector's sheets go at the end of the body: Streamlit's own styles (emotion's) are added to the head
    after the shell's, so they win a tie of weight against a sheet in the head until the page's copy arrives (in the
    body, later in the document). A stop's title was laid out at Streamlit's h1 size and padding, its status line with
    Streamlit's margins, and the root size (on which the stop's whole layout rests) was Streamlit's 16 px: on the first
    paint the stop moved up and shrank, a layout shift of 0.06 on every English first load. At the end of the body
    they come after all of those; in the order the page draws them (projector-shell, present, stage: stage.css's fitted
    card text wins its ties with present.css's text sizes), after screen.css and the print sheet as on the page.
    (Preloading the frame's widget code here too was tried: Lighthouse's first contentful paint came 0.35 s later, the
    preloads competing with Streamlit's own scripts for a weak connection; not kept.)"""
    from components.thirdparty.streamlit import add_to_index_head
    from pakcoe import registry

    styles = ROOT / "components" / "styles"
    screen = (styles / "screen.css").read_text(encoding="utf-8")
    hold = shell_hold((styles / "shell.css").read_text(encoding="utf-8") + nav_place(len(registry.PAGES)))
    projectors = {p.url_path for p in registry.PAGES if p.projector}
    stop_css = "".join((styles / name).read_text(encoding="utf-8") for name in PROJECTOR_SHEETS)
    add_to_index_head(
        lambda path: server_base() + first_language() + ("" if path in projectors else hold) + f"<style>{screen}</style>",
        body=lambda path: f"<style>{stop_css}</style>" if path in projectors else "",
    )


PROJECTOR_SHEETS = ("projector-shell.css", "present.css", "stage.css")  # in the order the Present page draws them
HOLD_ID = "pak-shell-hold"  # the id of the shell's sheet that holds places until the sidebar and its page list exist


def shell_hold(css: str) -> str:
    """The sheet that keeps the sidebar's and the page list's places until they exist (shell.css and `nav_place`), and
    the script that removes it then: its rules match nothing from that moment, and a `:has()` over the whole app made
    every element added anywhere cost a check of the whole page's style (components/styles/shell.css says how much).
    The script looks every 50 ms and stops once it has removed the sheet."""
    return (
        f'<style id="{HOLD_ID}">{css}</style>'
        "<script>(()=>{const q=(s)=>document.querySelector(s),t=setInterval(()=>{"
        'if(!q("[data-testid=stSidebar]")||!q("[data-testid=stSidebarNav]"))return;'
        f'clearInterval(t);const h=document.getElementById("{HOLD_ID}");if(h)h.remove();}},50);}})();</script>'
    )


def server_base() -> str:
    """Tells Streamlit's browser client where the server is, so a page opened at its own address (/phases) connects
    at once. Without it, the client first asks /phases/_stcore/health (404: the server is at the root), waits 100 ms
    and asks /_stcore/health: every page but the start page lost ~0.1 s before its websocket opened, and the two 404s
    were errors in the browser's console. `window.__streamlit.BACKEND_BASE_URL` is Streamlit's own setting for this
    (its client reads it once, before it connects); the base is the server's `server.baseUrlPath` on this origin."""
    from streamlit import config

    base = json.dumps("/" + str(config.get_option("server.baseUrlPath") or "").strip("/")).replace("<", "\\u003c")  # stays inside the script
    return f"<script>window.__streamlit=Object.assign({{}},window.__streamlit,{{BACKEND_BASE_URL:location.origin+{base}}});</script>"


def first_language() -> str:
    """The page's language and direction from the first paint, and its font on the way. A page in Urdu (?lang=ur) was
    laid out left to right in Streamlit's sans font, then turned right to left by the page's own script
    (components/lang.py) once the app's first message had come, and redrawn again when the Nastaliq font arrived
    (fetched only once Urdu text was on the screen): its text moved and grew, a layout shift of 0.4-0.5 on every Urdu
    page's first load (Present ~1.3). The shell reads ?lang= itself, sets `<html lang dir>` (the same attributes and
    class the page's script sets), and for a language the theme's own font faces are declared for (Urdu; English
    uses Streamlit's built-in font) asks for those faces at once (`rel=preload`, at the address Streamlit's own
    @font-face rule uses), so they usually arrive before the first text. A bad or missing value changes nothing."""
    from streamlit import config

    from pakcoe import i18n

    dirs = {lang: i18n.direction(lang) for lang in i18n.LANGS}
    faces = [str(face["url"]).lstrip("/") for face in (config.get_option("theme.fontFaces") or []) if "://" not in str(face.get("url", ""))]
    fonts = {lang: faces for lang in i18n.LANGS if lang != i18n.DEFAULT}
    data = json.dumps({"dirs": dirs, "fonts": fonts}).replace("<", "\\u003c")
    return (
        "<script>(()=>{const d=" + data + ',l=new URLSearchParams(location.search).get("lang"),r=document.documentElement;'
        'if(!Object.hasOwn(d.dirs,l))return;r.lang=l;r.dir=d.dirs[l];r.classList.toggle("pak-rtl",d.dirs[l]==="rtl");'
        "const b=window.__streamlit&&window.__streamlit.BACKEND_BASE_URL||location.origin;"
        'for(const u of d.fonts[l]||[]){const k=document.createElement("link");k.rel="preload";k.as="font";'
        'k.type="font/woff2";k.crossOrigin="anonymous";k.href=b.replace(/\\/$/,"")+"/"+u;document.head.appendChild(k);}})();</script>'
    )


# Streamlit's page list in the sidebar, as drawn at 1366x900 (Streamlit 1.67): 37 px and a row per page, 32 px in
# English and 44 px in Urdu (its taller script). Measured in Chromium (9 pages: 325 and 433 px).
NAV_PX, NAV_ROW_PX, NAV_ROW_UR_PX = 37, 32, 44


def nav_place(pages: int) -> str:
    """The sidebar's own controls keep the page list's place until it arrives: it came a moment after them and pushed
    them down 325 px (a layout shift of 0.035-0.039 on every first load, of Funding's 0.06-0.07). The rule stops
    holding the moment the list exists; in Urdu (html lang="ur", set by the page's script) the rows are taller."""
    sel = '[data-testid="stSidebarContent"]:not(:has([data-testid="stSidebarNav"])) [data-testid="stSidebarUserContent"]'
    return (
        f"\n@media (min-width: 768px) {{ {sel} {{ margin-top: {NAV_PX + pages * NAV_ROW_PX}px; }} "
        f'html[lang="ur"] {sel} {{ margin-top: {NAV_PX + pages * NAV_ROW_UR_PX}px; }} }}\n'
    )


def main(argv: list[str]) -> None:
    from streamlit.web import cli

    sys.path.insert(0, str(ROOT))
    from components.thirdparty.streamlit import legacy_pages_mode_off

    legacy_pages_mode_off()
    shell_additions()
    threading.Thread(target=warm_when_ready, name=WARM_THREAD, daemon=True).start()
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
