"""benchmarks/load_bench.py speaks Streamlit's websocket protocol: against a started server (as `make run` serves the
app), 2 sessions x 1 round visit every page of the navigation, each rerun ends in script_finished with no error and
runs the page asked for; a session's first page with charts draws them in the run its hidden button asks for. Not a
timing test: no figure is checked."""

from __future__ import annotations

import sys

from releasekit import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import load_bench  # noqa: E402  (after the sys.path line above)


def test_two_sessions_visit_every_page_with_no_error():
    pages = load_bench.pages_of_app()
    rep = load_bench.run(sessions=2, rounds=1, think=0.2, max_time=120, timeout=60)
    assert not rep.stopped_by_time
    errors = [f"session {r.session} on {r.page}: {r.error}" for r in rep.reruns if r.error]
    assert not errors, errors
    visited = sorted({(r.session, r.page) for r in rep.reruns if r.seconds is not None})
    assert visited == sorted((s, p.url_path or "/") for s in range(2) for p in pages)  # a script_finished for each
    # Each session's first page with charts (neither starts on the projector page) drew placeholders; the client
    # pressed the hidden button as the page's script does, and that run drew them; the session never defers again
    # (components/deferred.py).
    for session in range(2):
        runs = [r for r in rep.reruns if r.session == session]
        firsts = [i for i, r in enumerate(runs) if r.press]
        assert len(firsts) == 1, [(r.page, r.press, r.pressed) for r in runs]
        first, pressed = runs[firsts[0]], runs[firsts[0] + 1]
        assert pressed.pressed and pressed.page == first.page and pressed.error is None and pressed.seconds is not None
        assert not pressed.press and [r.pressed for r in runs].count(True) == 1
    assert all(r.messages > 1 for r in rep.reruns)  # the page's elements came, not only script_finished
    assert rep.server_pid is not None and rep.rss_before and rep.rss_loaded  # the server's memory was read
    lines = "\n".join(load_bench.report_lines(rep))
    assert "errors: 0" in lines and "p95" in lines
