"""Presenter mode speed: stop to stop in the browser (warm), and how long an audience window takes to follow.

Run with `.venv/bin/python benchmarks/present_bench.py` (`make bench` runs it too). Not a test: it prints figures.
One app server and one Chromium; the deck is the newest release folder's with a deck (named in the URL: it may be a
draft). Side by side in the same run, a blank page whose button (same key) changes its title gives the floor of a
keypress → rerun → redraw round trip on this machine, so the stop-to-stop figure is also given as a ratio to it.

- stop to stop (warm): the deck is stepped through once to warm the caches, then again; each figure is the time from
  the key press (→) to the next stop fully drawn (its title shown, no script running, every chart and map drawn).
- audience window delay: a second browser context follows the presenter's room; from the presenter's key press to
  the follower showing the new stop's title. Target ≤ 1 s (benchmarks/README.md).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from harness import DRAWN_JS, launch_chromium, streamlit_server, wait_ready  # noqa: E402

from pakcoe import load_release  # noqa: E402
from pakcoe.deck import load_deck  # noqa: E402
from pakcoe.release import list_releases  # noqa: E402
from pakcoe.semver import semver_key  # noqa: E402

TITLE_CHANGED = "t => { const h = document.querySelector('[data-testid=stMain] h1'); return !!h && h.innerText !== t; }"
BLANK = """import streamlit as st
st.session_state.setdefault("n", 1)
def step():
    st.session_state["n"] += 1
st.title(f"Blank {st.session_state['n']}")
st.button("Next", on_click=step, shortcut="Right")
"""
WAIT_MS = 60_000
VIEWPORT = {"width": 1920, "height": 1080}


def _drawn_after(page, before: str) -> None:
    page.wait_for_function(TITLE_CHANGED, arg=before, timeout=WAIT_MS)
    page.wait_for_function(DRAWN_JS, timeout=WAIT_MS)


def _title(page) -> str:
    return page.locator("[data-testid=stMain] h1").first.inner_text()


def blank_round_trips(browser, tmp: Path, n: int = 12) -> list[float]:
    """Key press → rerun → redrawn title on a blank page with one button (the floor), n times after a warm-up."""
    script = tmp / "blank_button.py"
    script.write_text(BLANK)
    times = []
    with streamlit_server(script) as url:
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(url)
        page.wait_for_function(DRAWN_JS, timeout=WAIT_MS)
        wait_ready(page)
        for i in range(n + 1):
            before = _title(page)
            t0 = time.perf_counter()
            page.keyboard.press("ArrowRight")
            _drawn_after(page, before)
            if i:
                times.append(time.perf_counter() - t0)
            wait_ready(page, settle_ms=150)
        page.close()
    return times


def deck_release() -> str:
    folders = [p for p in list_releases(ROOT / "data" / "releases") if (p / "deck.csv").exists()]
    return max(folders, key=lambda p: semver_key(p.name)).name


def present_figures(browser, version: str) -> tuple[list[tuple[str, float]], list[float]]:
    """(stop title, seconds) of each warm stop-to-stop move, and the follower's delay for each move."""
    deck = load_deck(load_release(ROOT / "data" / "releases" / version))
    moves, delays = [], []
    with streamlit_server() as url:
        presenter = browser.new_page(viewport=VIEWPORT)
        presenter.goto(f"{url}/present?release={version}")
        presenter.wait_for_function(DRAWN_JS, timeout=WAIT_MS)
        wait_ready(presenter)
        for _ in deck.stops[1:]:  # warm-up pass: every stop's caches filled
            before = _title(presenter)
            presenter.keyboard.press("ArrowRight")
            _drawn_after(presenter, before)
            wait_ready(presenter, settle_ms=150)
        presenter.keyboard.press("Home")
        presenter.wait_for_function(TITLE_CHANGED, arg=deck.stops[-1].text("title"), timeout=WAIT_MS)
        wait_ready(presenter)
        presenter.get_by_role("button", name="Audience window").click()
        wait_ready(presenter)
        link = presenter.get_by_role("link", name="Audience window", exact=False).get_attribute("href")
        follower = browser.new_context(viewport=VIEWPORT).new_page()
        follower.goto(f"{url}/{link}")
        follower.wait_for_function(DRAWN_JS, timeout=WAIT_MS)
        wait_ready(follower)
        for stop in deck.stops[1:]:
            before = _title(presenter)
            t0 = time.perf_counter()
            presenter.keyboard.press("ArrowRight")
            follower.wait_for_function(TITLE_CHANGED, arg=before, timeout=WAIT_MS)
            delays.append(time.perf_counter() - t0)
            _drawn_after(presenter, before)
            moves.append((stop.text("title"), time.perf_counter() - t0))
            wait_ready(presenter, settle_ms=150)
            wait_ready(follower, settle_ms=150)
        presenter.close()
        follower.close()
    return moves, delays


def bench_present(browser) -> list[tuple[str, str, str]]:
    """Print the presenter figures; return summary rows (figure, value, unit)."""
    version = deck_release()
    print(f"\n== Presenter mode: deck of data release {version}, 1920×1080, headless Chromium ==")
    with tempfile.TemporaryDirectory() as tmp:
        blank = blank_round_trips(browser, Path(tmp))
    moves, delays = present_figures(browser, version)
    floor = statistics.median(blank)
    for title, seconds in moves:
        print(f"  → {title:<40} {seconds * 1000:7.0f} ms  ({seconds / floor:4.1f}× the blank page's key round trip)")
    move_s = [s for _, s in moves]
    print(f"  blank page key round trip, median of {len(blank)}: {floor * 1000:.0f} ms")
    print(f"  stop to stop (warm), median {statistics.median(move_s) * 1000:.0f} ms, max {max(move_s) * 1000:.0f} ms (target ≤ 1000 ms)")
    print(f"  audience window delay, median {statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms (target ≤ 1000 ms)")
    return [
        (
            "Stop to stop, warm (median / max)",
            f"{statistics.median(move_s) * 1000:.0f} / {max(move_s) * 1000:.0f}",
            f"ms; {statistics.median(move_s) / floor:.1f}× blank",
        ),
        ("Audience window delay (median / max)", f"{statistics.median(delays) * 1000:.0f} / {max(delays) * 1000:.0f}", "ms"),
    ]


def run() -> list[tuple[str, str, str]]:
    """The presenter figures with a browser of their own (what `make bench` calls)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            return bench_present(browser)
        finally:
            browser.close()


if __name__ == "__main__":
    run()
