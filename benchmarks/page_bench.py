"""Section 3 of benchmarks/run.py: every page in the browser, its full draw against a reference page and its first
screen against the blank page (issue 20, "Speed").

- Full draw: navigation start to fully drawn (tests/harness.py `DRAWN_JS`), in a fresh browser context at 1366x900.
- Reference page: a plain Streamlit page drawing that page's own figures and map and nothing else (no frame, no
  sidebar, no text but one title). Its figures are the app's own: the page is run once with AppTest in its default
  view and every Plotly figure it sends (spec and config, i.e. what the app's builders made) is written to a file; the
  reference script draws them in order with `st.plotly_chart`. A page with the hub map gets the same cached map
  payload (`cached.map_payload`, default view, no filter) drawn by `foliumview.show`, as benchmarks/map_bench.py does
  for the 10,000-hub map. Target: page <= 1.3x its reference.
- First screen: the moment from which everything visible at 1366x900 without scrolling stays drawn until the page is
  fully drawn (`FIRST_SCREEN_JS`, polled every 25 ms in the page; defined in benchmarks/README.md). Target: <= 2x the
  blank page's full draw.

- Frame floor: a plain Streamlit page with what every page of the app has and nothing of the app's code: Streamlit's
  navigation of as many pages in the sidebar, and there the kinds of widget of the app's frame (a language switch, a
  release picker, a button, a line of text), then one title. A page without figures (Methodology, Data) has a
  reference page that is the blank page with a title: the floor says how much of the 1.3x is left for such a page's
  own text and widgets once Streamlit has drawn a navigation and a sidebar.

Loads are interleaved (a round: the blank page, the frame floor, then each page and its reference), one warm-up round
not counted, then the median of `ROUNDS`. Every wait is bounded (WAIT_MS per load).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "tests")]  # the harness, also when run on its own
from harness import DRAWN_JS, MAP_IFRAME, launch_chromium, streamlit_server  # noqa: E402  (after the sys.path line above)
from run import APP, BLANK_SOURCE, RELEASES, ROOT, WAIT_MS, PageSpec, Row, discover_pages, legacy_pages_mode_off  # noqa: E402

from components import deferred  # noqa: E402  (the harness put the checkout on sys.path)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROUNDS = 3
VIEWPORT = {"width": 1366, "height": 900}
FULL_TARGET = 1.3  # page full draw <= 1.3x its reference page
FIRST_TARGET = 2.0  # first screen <= 2x the blank page's full draw
FOLIUM = "streamlit_folium.st_folium"

# Everything visible without scrolling is drawn. Returns false until all of these hold, then a signature of what the
# viewport shows (each visible element of the main area: its kind and its top and height in px):
# - the app is connected and the page's h1 (in the main area) is visible;
# - the screen is filled: the script has finished (everything is sent), or an element of the main area already starts
#   at or below the viewport's bottom edge (so what arrives later lands below the fold);
# - in the viewport (any part of it inside 1366x900 at scroll 0): no skeleton placeholder (a lazy element's code
#   still loading), every Plotly chart has drawn its svg, every map iframe is sized and its Leaflet map holds its
#   markers (no tiles: there is no internet here, and the first screen does not wait for them); no chart's placeholder
#   (components/deferred.py: a first visit's charts come in a second run) is in view.
FIRST_SCREEN_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.dataset.testConnectionState !== 'CONNECTED') return false;
  const H = window.innerHeight, W = window.innerWidth;
  const h1 = document.querySelector('[data-testid=stMain] h1');
  if (!h1 || h1.getBoundingClientRect().height === 0 || getComputedStyle(h1).visibility === 'hidden') return false;
  const box = (e) => e.closest('[inert]') ? new DOMRect() : e.getBoundingClientRect();  // a folded expander's content is inert
  const inView = (r) => r.width > 0 && r.height > 0 && r.top < H && r.bottom > 0 && r.left < W && r.right > 0;
  const sig = [];
  let below = false;
  for (const e of document.querySelectorAll('[data-testid=stMain] [data-testid=stElementContainer]')) {
    const r = box(e);
    if (r.height > 0 && r.top >= H) below = true;
    else if (inView(r)) sig.push((e.firstElementChild ? e.firstElementChild.dataset.testid : '') + '@' + Math.round(r.top) + '+' + Math.round(r.height));
  }
  if (app.dataset.testScriptState !== 'notRunning' && !below) return false;
  for (const s of document.querySelectorAll('[data-testid=stSkeleton]')) if (inView(box(s))) return false;
  for (const d of document.querySelectorAll('__HOLDERS__')) if (inView(box(d))) return false;  // a chart still to come
  for (const c of document.querySelectorAll('[data-testid=stPlotlyChart]'))
    if (inView(box(c)) && !c.querySelector('svg.main-svg')) return false;
  for (const f of document.querySelectorAll('__MAP__')) {
    if (f.closest('[inert]')) continue;
    const r = f.getBoundingClientRect();
    if (r.top >= H) continue;
    if (r.height === 0) return false;
    let d = null;
    try { d = f.contentDocument; } catch (e) { return false; }
    if (!d || !d.querySelector('.leaflet-container .leaflet-marker-pane > *, .leaflet-container .leaflet-overlay-pane path')) return false;
  }
  return sig.join('|') || 'empty';
}""".replace("__HOLDERS__", deferred.SELECTOR).replace("__MAP__", MAP_IFRAME)

# Runs in the top window from the navigation on, every 25 ms: window.__pakFirstScreen is the time (performance.now())
# since which FIRST_SCREEN_JS has held with the same signature at every poll (the first screen complete and unchanged:
# nothing inserted above, no element in view resized or moved), or null while it does not hold.
RECORDER_JS = (
    "(() => { if (window !== window.top) return; const drawn = "
    + FIRST_SCREEN_JS
    + """; window.__pakFirstScreen = null; let last = null;
  const tick = () => { let now = false; try { now = drawn(); } catch (e) { now = false; }
    if (!now) { window.__pakFirstScreen = null; last = null; }
    else if (now !== last) { window.__pakFirstScreen = performance.now(); last = now; }
    if (!window.__pakStop) setTimeout(tick, 25); };
  tick(); })();"""
)

REFERENCE_SOURCE = """import json, sys
sys.path.insert(0, {root!r})
import streamlit as st

st.set_page_config(layout="wide")  # the app's layout, so every figure gets the width it has in the app
SPECS = json.loads(open({specs!r}, encoding="utf-8").read())
page = SPECS[st.query_params.get("p", "")]
st.title("Reference")  # the one text: the fully-drawn check waits for the page's h1


@st.cache_resource
def figures(name):
    from components.chart import FrozenFigure  # the figure's dict made once, as the app's cached figures do

    return [(FrozenFigure(json.loads(spec)), json.loads(config), alt) for spec, config, alt in SPECS[name]["charts"]]


if page["map"]:
    from components import cached, foliumview
    from pakcoe.coverage import HubFilter

    foliumview.show(cached.map_payload(page["map"][0], page["map"][1], HubFilter()), key="ref-map", height=560)
for i, (fig, config, alt) in enumerate(figures(st.query_params.get("p", ""))):
    st.plotly_chart(fig, key=f"ref-{{i}}", config=config, alt=alt or None)
if st.query_params.get("tables"):  # the variant with the page's data tables too: each as the app sent it (not the issue's reference)
    import base64

    from streamlit.proto.Dataframe_pb2 import Dataframe

    for table in page["tables"]:
        st._main._enqueue("dataframe", Dataframe.FromString(base64.b64decode(table)))  # the internal call st.dataframe ends with
"""


FLOOR_SOURCE = """import streamlit as st

st.set_page_config(layout="wide")


def body():
    st.title("Frame floor")


pages = [st.Page(body, title=f"Page {{i + 1}}", url_path=f"p{{i}}", default=i == 0) for i in range({pages})]
page = st.navigation(pages, position="sidebar")
with st.sidebar:
    st.segmented_control("Language", ["English", "Urdu"], default="English")
    with st.popover("Data release 1.1.0", key="release-picker"):  # the frame's release picker: a button, its list inside
        st.radio("Release", ["1.1.0", "1.0.0"])
    st.button("Glossary")
    st.markdown("A line of **text**.")
page.run()
"""


def page_figures(page: PageSpec) -> dict:
    """What the page draws in its default view, from one AppTest run: its Plotly figures (spec, config, alt), in order,
    whether it shows the hub map (then the release and the map's default view), and its data tables (st.dataframe's
    element as sent, base64; drawn only by the variant of the reference with tables)."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    from components import cached

    set_log_level("error")  # no "missing ScriptRunContext" noise from AppTest
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if not page.default:
        at.switch_page(str(page.file))
        at.run()
    if at.exception:
        raise RuntimeError(f"{page.title}: the page raised in AppTest: {at.exception[0].value}")
    charts = [(c.proto.spec, c.proto.config, c.proto.alt) for c in at.get("plotly_chart")]
    tables = [base64.b64encode(d.proto.SerializeToString()).decode("ascii") for d in at.dataframe]  # for the variant with tables
    maps = [c for c in at.get("component_instance") if FOLIUM in c.proto.component_name]
    version = at.session_state["release"] if "release" in at.session_state else None  # noqa: SIM401  (AppTest's state has no get)
    mapped = None
    if maps:
        from pakcoe import list_releases, newest_valid, validate_release

        version = version or newest_valid([validate_release(p) for p in list_releases(RELEASES)]).release.version
        mapped = [version, cached.filter_choices(version).default_view]
    return {"charts": charts, "map": mapped, "tables": tables}


def write_reference(pages: list[PageSpec], tmp: Path) -> Path:
    """The reference app (one script, the page chosen by ?p=<url path>) and its figures file; the script's path."""
    ref_dir = tmp / "reference-pages"
    ref_dir.mkdir(exist_ok=True)
    (ref_dir / "static").symlink_to(ROOT / "static")  # Streamlit serves static/ beside the main script (the map's assets)
    specs = {}
    for p in pages:
        specs[p.url_path] = page_figures(p)
    (ref_dir / "specs.json").write_text(json.dumps(specs), encoding="utf-8")
    script = ref_dir / "reference.py"
    script.write_text(REFERENCE_SOURCE.format(root=str(ROOT), specs=str(ref_dir / "specs.json")), encoding="utf-8")
    return script


def drawn_and_settled(page: Page, url: str, deadline: float) -> float:
    """Open `url` in `page` and wait until it is fully drawn (DRAWN_JS) and still is 300 ms later (a rerun that starts
    meanwhile restarts the wait), by `deadline` (time.monotonic()); the ms since navigation start it was drawn at."""
    page.goto(url, wait_until="commit", timeout=WAIT_MS)
    while (left_ms := (deadline - time.monotonic()) * 1000) > 0:
        drawn_ms = page.wait_for_function(DRAWN_JS, polling=25, timeout=left_ms).json_value()
        page.wait_for_timeout(300)  # settle: a rerun that starts now means the page was not final yet
        if page.evaluate(DRAWN_JS):
            return drawn_ms
    raise RuntimeError(f"{url} not drawn and settled within {WAIT_MS / 1000:.0f} s")


def timed_load(browser: Browser, url: str) -> tuple[float, float]:
    """(full draw, first screen) seconds since navigation start, in a fresh browser context at 1366x900.

    Full draw: DRAWN_JS holds and still holds 300 ms later (a rerun that starts meanwhile restarts the wait). First
    screen: window.__pakFirstScreen once the page is fully drawn (waited for if the screen is not yet drawn then)."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(RECORDER_JS)
        page = context.new_page()
        deadline = time.monotonic() + WAIT_MS / 1000  # one bound for the whole load, reruns included
        full = drawn_and_settled(page, url, deadline) / 1000
        left_ms = max(1000.0, (deadline - time.monotonic()) * 1000)
        first_ms = page.wait_for_function("() => window.__pakFirstScreen", polling=25, timeout=left_ms).json_value()
        page.evaluate("() => { window.__pakStop = true; }")
        return full, first_ms / 1000
    finally:
        context.close()


def _spread(xs: list[float]) -> str:
    return "(" + " ".join(f"{x:.2f}" for x in xs) + ")"


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def bench_pages(pages: list[PageSpec], blank: Path, tmp: Path) -> tuple[list[Row], list[str]]:
    """Every page: full draw vs its reference page, first screen vs the blank page; interleaved, median of ROUNDS.

    Returns the summary rows and what could not be measured (a page that failed is left out after its first error)."""
    from playwright.sync_api import sync_playwright

    print(
        f"\n== 3. Browser: navigation start to fully drawn and to first screen drawn (headless Chromium, fresh context, "
        f"1366x900, interleaved, median of {ROUNDS} after 1 warm-up round) =="
    )
    reference = write_reference(pages, tmp)
    floor = tmp / "frame-floor.py"
    floor.write_text(FLOOR_SOURCE.format(pages=len(discover_pages())), encoding="utf-8")
    specs = json.loads((reference.parent / "specs.json").read_text())
    tables = {p.url_path: specs[p.url_path]["tables"] for p in pages}
    for p in pages:
        spec = specs[p.url_path]
        print(
            f"  reference page of {p.title}: {len(spec['charts'])} figures"
            + (f", the hub map ({spec['map'][1]} view)" if spec["map"] else "")
            + (f"; {len(spec['tables'])} data tables (drawn only by the variant for planning)" if spec["tables"] else "")
        )
    with (
        streamlit_server(releases=RELEASES, log_path=tmp / "app.log") as app_url,
        streamlit_server(blank, log_path=tmp / "blank.log") as blank_url,
        streamlit_server(reference, releases=RELEASES, log_path=tmp / "reference.log") as ref_url,
        streamlit_server(floor, log_path=tmp / "floor.log") as floor_url,
        sync_playwright() as pw,
    ):
        browser = launch_chromium(pw, timeout=WAIT_MS)
        blank_t: list[float] = []
        floor_t: list[float] = []
        app_t: dict[str, list[tuple[float, float]]] = {p.url_path: [] for p in pages}
        ref_t: dict[str, list[float]] = {p.url_path: [] for p in pages}
        tab_t: dict[str, list[float]] = {p.url_path: [] for p in pages}  # the reference with the page's tables too
        broken: set[str] = set()
        failed: list[str] = []
        for r in range(ROUNDS + 1):
            b = timed_load(browser, blank_url)[0]
            fl = timed_load(browser, floor_url)[0]
            if r:
                blank_t.append(b)
                floor_t.append(fl)
            for p in pages:
                if p.url_path in broken:
                    continue
                try:
                    a = timed_load(browser, f"{app_url}/{'' if p.default else p.url_path}")
                    f = timed_load(browser, f"{ref_url}/?p={p.url_path}")[0]
                    if tables[p.url_path]:
                        tab = timed_load(browser, f"{ref_url}/?p={p.url_path}&tables=1")[0]
                except Exception:  # noted once; the other pages go on
                    broken.add(p.url_path)
                    failed.append(f"browser {p.title}")
                    print(f"  FAILED (browser {p.title}):\n{traceback.format_exc()}")
                    continue
                if r:
                    app_t[p.url_path].append(a)
                    ref_t[p.url_path].append(f)
                    if tables[p.url_path]:
                        tab_t[p.url_path].append(tab)
        base = statistics.median(blank_t)
        print(f"  blank page, full draw: {base:.2f} s {_spread(blank_t)}")
        fl = statistics.median(floor_t)
        print(
            f"  frame floor (navigation and the frame's kinds of sidebar widget, nothing else): {fl:.2f} s {_spread(floor_t)}, "
            f"{fl / base:.2f}x the blank page; a page without figures (its reference is the blank page) has "
            f"{FULL_TARGET * base - fl:.2f} s over it for its own text and widgets under the {FULL_TARGET}x line"
        )
        rows: list[Row] = [("browser blank page", f"{base:.2f}", "s"), ("browser frame floor", f"{fl:.2f}", f"s ({fl / base:.2f}x blank)")]
        for p in pages:
            if p.url_path in broken:
                continue
            full = statistics.median(x[0] for x in app_t[p.url_path])
            first = statistics.median(x[1] for x in app_t[p.url_path])
            ref = statistics.median(ref_t[p.url_path])
            fr, sr = full / ref, first / base
            print(
                f"  {p.title:<20} {full:5.2f} s {ref:5.2f} s {fr:6.2f}x  {_met(fr <= FULL_TARGET):<8}            "
                f"{first:5.2f} s {sr:6.2f}x  {_met(sr <= FIRST_TARGET)}"
            )
            print(
                f"  {'':<20} full {_spread([x[0] for x in app_t[p.url_path]])} ref {_spread(ref_t[p.url_path])} "
                f"first {_spread([x[1] for x in app_t[p.url_path]])}; full vs blank {full / base:.2f}x"
            )
            if tab_t[p.url_path]:
                tab = statistics.median(tab_t[p.url_path])
                print(
                    f"  {'':<20} for planning, not the target: against its figures and its {len(tables[p.url_path])} data "
                    f"tables too ({tab:.2f} s {_spread(tab_t[p.url_path])}, {tab / base:.2f}x the blank page) {full / tab:.2f}x"
                )
                rows.append(
                    (f"browser {p.title} vs its figures and tables (for planning)", f"{full / tab:.2f}", f"x (ref with tables {tab:.2f} s; not a target)")
                )
            rows += [
                (f"browser {p.title}", f"{full:.2f}", f"s ({full / base:.2f}x blank)"),
                (f"browser {p.title} vs its reference page", f"{fr:.2f}", f"x (ref {ref:.2f} s; target <= {FULL_TARGET}: {_met(fr <= FULL_TARGET)})"),
                (f"browser {p.title} first screen", f"{first:.2f}", f"s ({sr:.2f}x blank; target <= {FIRST_TARGET:.0f}: {_met(sr <= FIRST_TARGET)})"),
            ]
        return rows, failed


def chosen_pages(description: str, rounds: int) -> tuple[list[PageSpec], int]:
    """The command line of this script and of page_timeline.py (`--pages`, `--rounds`, default `rounds`): the pages
    chosen and the rounds. Serves the checkout's releases as `make run` would, and prints the machine's state."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--pages", nargs="*", help="url paths or titles (lower case) of the pages; default: every page")
    parser.add_argument("--rounds", type=int, default=rounds, help="counted rounds (after one warm-up round)")
    args = parser.parse_args()
    os.environ["PAKCOE_RELEASES"] = str(RELEASES)
    legacy_pages_mode_off()
    pages = [p for p in discover_pages() if args.pages is None or p.url_path in args.pages or p.title.lower() in args.pages]
    print(f"{len(pages)} pages; {os.cpu_count()} CPUs, 1-min load average {os.getloadavg()[0]:.2f}")
    return pages, args.rounds


def main() -> int:
    """Section 3 alone, for some pages: `.venv/bin/python benchmarks/page_bench.py --pages compare methodology`."""
    global ROUNDS
    pages, ROUNDS = chosen_pages(__doc__.splitlines()[0], ROUNDS)
    with tempfile.TemporaryDirectory(prefix="pakcoe-pages-") as tmp_name:
        tmp = Path(tmp_name)
        blank = tmp / "blank.py"
        blank.write_text(BLANK_SOURCE, encoding="utf-8")
        _, failed = bench_pages(pages, blank, tmp)
    print(f"1-min load average now {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
