"""Chart export speed: the first image (renderer cold), a first image after the server-start warm-up, repeat images
(warm), and what the export buttons add to a page's warm rerun.

Run with `.venv/bin/python benchmarks/export_bench.py`. Not a test: it prints figures.

- Images: the Funding page's Sankey and the Compare page's spend chart (the default release, the page's default
  option and options), each drawn with its title and provenance footer by components.exports at 1600 × 900. Each
  measurement runs in a fresh Python process, so "cold" includes starting kaleido and its Chromium; "after warm-up"
  is the first image of a process that called render.warm() (as scripts/serve.py does at server start) a few
  seconds before. Repeat figures are the median of 5 after the first. Target: repeat ≤ 0.5 s.
- Page rerun: the Funding and Compare pages' warm rerun (AppTest, in-process), with the export buttons and without
  them (the buttons' functions made no-ops in the same process), interleaved; the ratio is with / without, and the
  time spent inside the buttons' functions is given too (the ratio of two ~50-100 ms medians is noisy on a busy
  machine; the buttons' own time is not).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

REPEATS = 5
WARM_WAIT_S = 8.0  # a user's first click comes seconds after the server started, at the earliest


def _figures() -> dict[str, tuple[object, str, str]]:
    """name -> (figure, point, source line) of the charts measured, built by the pages' own builders."""
    from components.funding_figures import sankey_data
    from components.rollout_figures import compare_data, default_option, option_names
    from pakcoe import load_release
    from pakcoe.model import comparison_horizon, scenario_from_option
    from pakcoe.registry import default_value, page
    from pakcoe.release import list_releases, newest_valid, validate_release

    reports = [validate_release(p) for p in list_releases(ROOT / "data" / "releases")]
    release = load_release(ROOT / "data" / "releases" / newest_valid(reports).version)
    sankey = sankey_data(release, default_option(release), None, "PKR")
    chosen = [o for o in default_value(release, page("compare").param("options")) if o in option_names(release)]
    runs = tuple(scenario_from_option(release, o) for o in chosen)
    runs = tuple(s.replace(horizon_quarters=comparison_horizon(release, runs)) for s in runs)
    data = compare_data(release, runs, tuple(option_names(release)[o] for o in chosen))
    return {
        "Funding Sankey": (sankey.figure, sankey.point, "pakcoe.model on assumptions.csv and funding_rules.csv"),
        "Compare spend": (data.spend_fig, "Who pays: cumulative spend through the public and the private track", "pakcoe.model; funding_rules.csv"),
    }, release


def child(mode: str) -> dict:
    """In a fresh process: the first and repeat export times of each chart and format (seconds)."""
    from components import exports, render
    from pakcoe.provenance import provenance

    figures, release = _figures()
    out: dict = {"mode": mode}
    if mode == "warmed":
        render.warm()
        time.sleep(WARM_WAIT_S)
    first = True
    for name, (fig, point, source) in figures.items():
        prov = provenance(release, source)
        for fmt in ("png", "svg"):
            t0 = time.perf_counter()
            size = len(exports.chart_image(fig, fmt, point, prov))
            once = time.perf_counter() - t0
            if first:
                out["first"] = {"chart": name, "format": fmt, "seconds": once}
                first = False
            times = []
            for _ in range(REPEATS):
                t0 = time.perf_counter()
                exports.chart_image(fig, fmt, point, prov)
                times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for _ in range(REPEATS):
                exports.footer_spec(fig, prov, point)
            footer = (time.perf_counter() - t0) / REPEATS
            out.setdefault("repeat", []).append(
                {"chart": name, "format": fmt, "median": statistics.median(times), "max": max(times), "bytes": size, "footer": footer}
            )
    return out


def _in_child(mode: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", mode], capture_output=True, text=True, cwd=ROOT, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_images() -> list[tuple[str, str, str]]:
    """Print the export times; return summary rows (figure, value, unit)."""
    print("\n== Chart exports: 1600 × 900 with title and provenance footer (components.exports, kaleido + Chromium) ==")
    cold = _in_child("cold")
    warmed = _in_child("warmed")
    print(f"  first image, renderer cold ({cold['first']['chart']}, {cold['first']['format'].upper()}): {cold['first']['seconds']:.2f} s")
    print(f"  first image {WARM_WAIT_S:.0f} s after render.warm() (as at server start): {warmed['first']['seconds']:.2f} s")
    for r in cold["repeat"]:
        print(
            f"  repeat {r['chart']:<15} {r['format'].upper()}: median {r['median']:.3f} s, max {r['max']:.3f} s of {REPEATS} "
            f"({r['bytes'] / 1024:.0f} KB; footer and margins {r['footer'] * 1000:.1f} ms of it)"
        )
    repeat = statistics.median(r["median"] for r in cold["repeat"])
    worst = max(r["max"] for r in cold["repeat"])
    print(f"  repeat median {repeat:.3f} s, worst {worst:.3f} s (target ≤ 0.5 s); first / repeat: {cold['first']['seconds'] / repeat:.0f}×")
    return [
        ("Chart export, first (renderer cold)", f"{cold['first']['seconds']:.2f}", "s"),
        ("Chart export, first after server-start warm-up", f"{warmed['first']['seconds']:.2f}", "s"),
        ("Chart export, repeat (median / worst)", f"{repeat:.2f} / {worst:.2f}", f"s (target ≤ 0.5; first {cold['first']['seconds'] / repeat:.0f}× repeat)"),
    ]


def bench_page_reruns(rounds: int = 15) -> list[tuple[str, str, str]]:
    """Warm reruns of Funding and Compare with and without the export buttons, interleaved, and the time spent in the
    buttons' own functions; print and return the ratio."""
    from streamlit.logger import set_log_level
    from streamlit.testing.v1 import AppTest

    from components import export_buttons
    from components.thirdparty.streamlit import legacy_pages_mode_off

    os.environ.setdefault("PAKCOE_RELEASES", str(ROOT / "data" / "releases"))
    legacy_pages_mode_off()
    set_log_level("error")
    real = (export_buttons.chart_downloads, export_buttons.compare_csv)
    inside: list[float] = []

    def timed(fn):
        def call(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                inside.append(time.perf_counter() - t0)

        return call

    print("\n== Page rerun with and without the export buttons (AppTest, warm, interleaved) ==")
    rows = []
    for page in ("funding", "compare"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page(str(ROOT / "pages" / f"{page}.py"))
        at.run()
        at.run()
        times: dict[bool, list[float]] = {True: [], False: []}
        spent: list[float] = []
        try:
            for i in range(rounds * 2):
                on = i % 2 == 0
                export_buttons.chart_downloads, export_buttons.compare_csv = map(timed, real) if on else (lambda *a, **k: None,) * 2
                inside.clear()
                t0 = time.perf_counter()
                at.run()
                times[on].append(time.perf_counter() - t0)
                if on:
                    spent.append(sum(inside))
        finally:
            export_buttons.chart_downloads, export_buttons.compare_csv = real
        assert not at.exception, at.exception
        with_, without, own = statistics.median(times[True]), statistics.median(times[False]), statistics.median(spent)
        print(
            f"  {page:<8} with buttons {with_ * 1000:6.1f} ms, without {without * 1000:6.1f} ms: ratio {with_ / without:.2f} "
            f"(median of {rounds} each); in the buttons' functions {own * 1000:.1f} ms a rerun"
        )
        rows.append(
            (
                f"Rerun {page} with export buttons / without",
                f"{with_ / without:.2f}",
                f"({with_ * 1000:.0f} vs {without * 1000:.0f} ms; buttons {own * 1000:.1f} ms)",
            )
        )
    return rows


def run() -> list[tuple[str, str, str]]:
    """Every export figure (what `make bench` calls)."""
    return bench_images() + bench_page_reruns()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(child(sys.argv[2])))
    else:
        print(f"Export benchmarks on {os.cpu_count()} CPUs, 1-min load average {os.getloadavg()[0]:.2f}")
        for row in run():
            print(f"  {row[0]:<50} {row[1]:>12} {row[2]}")
