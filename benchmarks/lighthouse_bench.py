"""Lighthouse (desktop preset) on every page and on a blank Streamlit page: performance, accessibility, best practices,
total blocking time and bytes transferred, with issue 20's targets.

Lighthouse is npm `lighthouse` 12.2.3 (13 needs Node 22), pinned by benchmarks/lighthouse/package-lock.json and
installed by `make bench` only (`npm ci --prefix benchmarks/lighthouse`; never committed, never by `make run` or
`make test`). It drives Debian's Chromium (CHROME_PATH=/usr/bin/chromium, headless, --no-sandbox, the harness's flags);
the map's tile server is blocked (no internet here: the map draws on the outline, as offline).

Usage (from the checkout):
    .venv/bin/python benchmarks/lighthouse_bench.py                     # starts the app and a blank page itself
    .venv/bin/python benchmarks/lighthouse_bench.py --url proxy=http://localhost:8501   # also a running app, e.g. behind the proxy
    .venv/bin/python benchmarks/lighthouse_bench.py --pages compare --no-direct --url http://localhost:8501
    .venv/bin/python benchmarks/lighthouse_bench.py --runs 3 ...   # each page 3 times: the median run by performance
Each Lighthouse run is bounded (RUN_TIMEOUT s); a page that fails is reported and the others go on. With --runs N, a page's
figures are those of its median run by performance score (total blocking time on this 2-core machine varies 2-4x from
one run of a page to the next), and every run's performance score is printed beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (str(ROOT / "tests"), str(ROOT)):
    if _p not in sys.path:
        sys.path.insert(0, _p)
from harness import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402  (after the sys.path lines above)

LH_DIR = ROOT / "benchmarks" / "lighthouse"
LH_BIN = LH_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
RELEASES = ROOT / "data" / "releases"
BLANK_SOURCE = 'import streamlit as st; st.title("Blank")\n'
RUN_TIMEOUT = 180  # seconds for one Lighthouse run
TILES = "*tile.openstreetmap.org*"
# Issue 20's targets: category -> minimum score
TARGETS = {"performance": 0.5, "accessibility": 0.95, "best-practices": 0.9}
Row = tuple[str, str, str]


def pages() -> list[tuple[str, str]]:
    """(title, url path) of every page of the navigation (pakcoe.registry)."""
    from pakcoe import registry

    return [(p.title, p.url_path) for p in registry.PAGES]


def lighthouse(url: str, out: Path) -> dict:
    """One Lighthouse run (desktop preset, three categories) of `url`; its figures."""
    if not LH_BIN.exists():
        raise RuntimeError(f"Lighthouse is not installed: run `npm ci --prefix {LH_DIR.relative_to(ROOT)}` (make bench does)")
    flags = " ".join(a for a in CHROMIUM_ARGS if not a.startswith("--headless")) + " --headless=new"
    cmd = [
        "node",
        str(LH_BIN),
        url,
        "--preset=desktop",
        "--only-categories=performance,accessibility,best-practices",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={flags}",
        f"--blocked-url-patterns={TILES}",
        "--max-wait-for-load=45000",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    if done.returncode != 0 or not out.exists():
        raise RuntimeError(f"lighthouse exited {done.returncode}: {done.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse runtime error: {report['runtimeError']}")
    cats, audits = report["categories"], report["audits"]
    return {
        **{k: cats[k]["score"] for k in TARGETS},
        "tbt": audits["total-blocking-time"]["numericValue"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "failed": [
            f"{k}: {a['id']}"
            for k in ("accessibility", "best-practices")
            for ref in cats[k]["auditRefs"]
            if ref["weight"] and (a := audits[ref["id"]])["score"] is not None and a["score"] < 1
        ],
    }


def _score(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def _met(k: str, x: float | None) -> str:
    return "met" if x is not None and x >= TARGETS[k] else "NOT met"


def median_run(url: str, out: Path, runs: int) -> dict:
    """`runs` Lighthouse runs of `url`: the figures of the median run by performance score, with every run's score
    (`scores`, in the order run)."""
    results = [lighthouse(url, out.with_suffix(f".{i}.json")) for i in range(runs)]
    scores = [r["performance"] for r in results]
    ranked = sorted(results, key=lambda r: -1.0 if r["performance"] is None else r["performance"])
    return {**ranked[(len(ranked) - 1) // 2], "scores": scores}


def measure(label: str, base: str, chosen: list[tuple[str, str]], tmp: Path, blank: str | None, runs: int = 1) -> tuple[list[Row], list[str]]:
    """Every chosen page of the app at `base` (and the blank page at `blank`), printed; summary rows and failures.
    runs: Lighthouse runs per page (the median run's figures; see median_run)."""
    print(f"  -- {label}: {base}")
    print(f"  {'page':<20} {'perf':>5} {'a11y':>5} {'BP':>5} {'TBT':>8} {'bytes':>9} {'FCP':>7} {'LCP':>7}   targets perf >= 0.5, a11y >= 0.95, BP >= 0.9")
    rows: list[Row] = []
    failed: list[str] = []
    todo = ([("blank page", blank)] if blank else []) + [(t, f"{base}/{p}") for t, p in chosen]
    for i, (title, url) in enumerate(todo):
        try:
            r = median_run(url, tmp / f"lh-{label}-{i}.json", runs)
        except Exception as e:  # noqa: BLE001  (a failed run is reported; the other pages go on)
            failed.append(f"lighthouse {label} {title}")
            print(f"  {title:<20} FAILED: {e}")
            continue
        met = ", ".join(f"{k} {_met(k, r[k])}" for k in TARGETS) if title != "blank page" else "(baseline)"
        print(
            f"  {title:<20} {_score(r['performance']):>5} {_score(r['accessibility']):>5} {_score(r['best-practices']):>5} "
            f"{r['tbt']:6.0f} ms {r['bytes'] / 1e6:6.2f} MB {r['fcp'] / 1000:5.2f} s {r['lcp'] / 1000:5.2f} s   {met}"
        )
        if runs > 1:
            print(f"  {'':<20} performance of the {runs} runs: {', '.join(_score(x) for x in r['scores'])} (the median run above)")
        if r["failed"]:
            print(f"  {'':<20} audits below 1: {', '.join(r['failed'])}")
        name = f"lighthouse {label} {title}"
        rows += [
            (f"{name} performance", _score(r["performance"]), "" if title == "blank page" else f"(target >= 0.5: {_met('performance', r['performance'])})"),
            (
                f"{name} a11y / BP",
                f"{_score(r['accessibility'])}/{_score(r['best-practices'])}",
                ""
                if title == "blank page"
                else f"(targets >= 0.95 / >= 0.9: {_met('accessibility', r['accessibility'])} / {_met('best-practices', r['best-practices'])})",
            ),
            (f"{name} TBT, bytes", f"{r['tbt']:.0f}", f"ms, {r['bytes'] / 1e6:.2f} MB"),
        ]
    return rows, failed


def bench(urls: list[tuple[str, str]], direct: bool = True, only: list[str] | None = None, runs: int = 1) -> tuple[list[Row], list[str]]:
    """Lighthouse on every page: directly (an app and a blank page started here) and at each (label, base URL) given."""
    chosen = [(t, p) for t, p in pages() if not only or p in only or t.lower() in only]
    each = f", the median of {runs} runs each" if runs > 1 else ""
    print(f"\n== Lighthouse 12.2.3, desktop preset, Debian Chromium, map tiles blocked ({len(chosen)} pages{each}) ==")
    rows: list[Row] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="pakcoe-lighthouse-") as tmp_name, contextlib.ExitStack() as stack:
        tmp = Path(tmp_name)
        blank = tmp / "blank.py"
        blank.write_text(BLANK_SOURCE, encoding="utf-8")
        blank_url = stack.enter_context(streamlit_server(blank, log_path=tmp / "blank.log"))
        if direct:
            app_url = stack.enter_context(streamlit_server(releases=RELEASES, log_path=tmp / "app.log"))
            r, f = measure("direct", app_url, chosen, tmp, blank_url, runs)
            rows, failed = rows + r, failed + f
        for label, base in urls:
            r, f = measure(label, base.rstrip("/"), chosen, tmp, None if direct else blank_url, runs)
            rows, failed = rows + r, failed + f
    return rows, failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", action="append", default=[], help="a running app to measure too: URL or LABEL=URL (e.g. proxy=http://localhost:8501)")
    ap.add_argument("--no-direct", action="store_true", help="do not start an app of its own (measure only the --url ones)")
    ap.add_argument("--pages", nargs="*", help="url paths or titles (lower case) of the pages; default: every page")
    ap.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median run's figures (default 1)")
    a = ap.parse_args(argv)
    urls = [tuple(u.split("=", 1)) if "=" in u.split("://")[0] else (f"url{i + 1}", u) for i, u in enumerate(a.url)]
    print(f"{os.cpu_count()} CPUs, 1-min load average {os.getloadavg()[0]:.2f}")
    _, failed = bench(urls, direct=not a.no_direct, only=a.pages, runs=max(1, a.runs))
    print(f"1-min load average now {os.getloadavg()[0]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
