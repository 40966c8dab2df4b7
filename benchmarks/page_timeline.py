"""Where a page's full draw goes, beside its reference page's: milestones of a first visit, in milliseconds.

`page_bench.py` (section 3 of `make bench`) gives each page's full draw as one figure against its reference page (the
page's own figures and map, nothing else). This script says where the difference lies. It loads each page and its
reference page the same way (a fresh browser context at 1366x900, the whole page asked for as `DRAWN_JS` does), with
a small script added to the context before the navigation that notes, every 10 ms, the moment each of these is first
seen (milliseconds since the navigation started):

- connected: the front end's code has loaded and its websocket is connected (a blank page is drawn soon after);
- first run drawn: the first script run has finished and its elements are on the page;
- widgets' code in: no skeleton placeholder is left after the first run (widgets and tables load their code on demand);
- asked for the rest: the hidden button of components/deferred.py is pressed (the charts and a long page's rest);
- second run drawn: that second run has finished;
- chart code in: Streamlit's Plotly code has arrived (its script file, from the resource timings);
- first chart: the first Plotly chart has drawn its svg;
- fully drawn: `DRAWN_JS` holds (the figure page_bench.py compares).

A milestone a page does not have (no chart, nothing deferred) is "-". Median of `--rounds` rounds after one warm-up
round, the page and its reference interleaved. Not part of `make bench`: a diagnosis, run when the full draws move.
`.venv/bin/python benchmarks/page_timeline.py --pages funding methodology [--rounds 3]`
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path[:0] = [str(Path(__file__).resolve().parent.parent / "tests")]  # the harness, also when run on its own
from harness import launch_chromium, streamlit_server  # noqa: E402  (after the sys.path line above)
from page_bench import VIEWPORT, chosen_pages, drawn_and_settled, write_reference  # noqa: E402
from run import RELEASES, WAIT_MS  # noqa: E402

from components import deferred  # noqa: E402  (the harness put the checkout on sys.path)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

MILESTONES = {  # key -> label, in the order they come
    "connected": "connected",
    "run1": "first run drawn",
    "widgets": "widgets' code in",
    "press": "asked for the rest",
    "run2": "second run drawn",
    "chartcode": "chart code in",
    "chart": "first chart",
    "drawn": "fully drawn",
}
# Notes each milestone's first moment in window.__pakMarks (performance.now(), ms). The press is a click on the hidden
# button (deferred.KEY); a run is "drawn" when the app goes from running to not running.
RECORDER_JS = """(() => {
  const marks = window.__pakMarks = {}; let runs = 0, wasRunning = false;
  const mark = (k) => { if (!(k in marks)) marks[k] = performance.now(); };
  document.addEventListener('click', (e) => { if (e.target.closest('.st-key-__KEY__')) mark('press'); }, true);
  const tick = () => {
    const app = document.querySelector('[data-testid=stApp]');
    if (app && app.dataset.testConnectionState === 'CONNECTED') mark('connected');
    const running = !!app && app.dataset.testScriptState === 'running';
    if (wasRunning && !running) { runs += 1; mark(runs === 1 ? 'run1' : ('press' in marks ? 'run2' : 'run' + runs)); }
    wasRunning = running;
    if ('run1' in marks && !('widgets' in marks) && !document.querySelector('[data-testid=stSkeleton]')) mark('widgets');
    if (document.querySelector('[data-testid=stPlotlyChart] svg.main-svg')) mark('chart');
    for (const r of performance.getEntriesByType('resource'))
      if (/PlotlyChart\\.[^/]*\\.js$/.test(r.name)) marks.chartcode = marks.chartcode || r.responseEnd;
    if (!window.__pakStopMarks) setTimeout(tick, 10);
  };
  tick();
})();""".replace("__KEY__", deferred.KEY)


def timeline(browser: Browser, url: str) -> dict[str, float]:
    """The milestones (ms since navigation start) of one first visit of `url`."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(RECORDER_JS)
        page = context.new_page()
        drawn = drawn_and_settled(page, url, time.monotonic() + WAIT_MS / 1000)  # as page_bench.timed_load
        marks = page.evaluate("() => { window.__pakStopMarks = true; return window.__pakMarks; }")
        return {**{k: v for k, v in marks.items() if k in MILESTONES}, "drawn": drawn}
    finally:
        context.close()


def _median(runs: list[dict[str, float]], key: str) -> float | None:
    values = [r[key] for r in runs if key in r]
    return statistics.median(values) if len(values) == len(runs) and values else None


def _cell(v: float | None) -> str:
    return f"{v:7.0f}" if v is not None else f"{'-':>7}"


def main() -> int:
    pages, rounds = chosen_pages(__doc__.splitlines()[0], 3)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="pakcoe-timeline-") as tmp_name:
        tmp = Path(tmp_name)
        reference = write_reference(pages, tmp)
        with (
            streamlit_server(releases=RELEASES, log_path=tmp / "app.log") as app_url,
            streamlit_server(reference, releases=RELEASES, log_path=tmp / "reference.log") as ref_url,
            sync_playwright() as pw,
        ):
            browser = launch_chromium(pw, timeout=WAIT_MS)
            seen: dict[str, tuple[list[dict[str, float]], list[dict[str, float]]]] = {p.url_path: ([], []) for p in pages}
            for r in range(rounds + 1):
                for p in pages:
                    a = timeline(browser, f"{app_url}/{'' if p.default else p.url_path}")
                    f = timeline(browser, f"{ref_url}/?p={p.url_path}")
                    if r:
                        seen[p.url_path][0].append(a)
                        seen[p.url_path][1].append(f)
    print(f"\nMilliseconds since the navigation started; median of {rounds} first visits (fresh context, 1366x900)")
    print(f"  {'':<22}" + "".join(f"{label[:18]:>20}" for label in MILESTONES.values()))
    for p in pages:
        app_runs, ref_runs = seen[p.url_path]
        for name, runs in ((p.title, app_runs), ("  its reference page", ref_runs)):
            print(f"  {name:<22}" + "".join(f"{_cell(_median(runs, k)):>20}" for k in MILESTONES))
        a_drawn, f_drawn = _median(app_runs, "drawn"), _median(ref_runs, "drawn")
        print(f"  {'':<22}full draw {a_drawn / f_drawn:.2f}x its reference ({a_drawn - f_drawn:+.0f} ms)")
    print(f"1-min load average now {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
