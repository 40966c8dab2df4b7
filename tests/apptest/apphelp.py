"""AppTest helpers: run the real app.py (router + frame) on a page; read what it drew.

A module of its own (not conftest.py): tests import it by name, and a bare `conftest` can resolve to
another folder's conftest when the whole suite runs in one process.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def open_page(page: str | None = None, query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """Run app.py, switch to pages/<page>.py if given, with preset query parameters."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(str(ROOT / "pages" / f"{page}.py"))
        at.run()
    return at


def texts(at: AppTest) -> str:
    """All markdown, info, warning, error, caption and title text of the run, joined."""
    parts = []
    for kind in ("markdown", "info", "warning", "error", "success", "caption", "title", "header", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [e.label for e in at.expander]
    return "\n".join(parts)


def plotly_values(values) -> list:
    """Plotly 7 sends numeric arrays as base64 typed arrays; return plain Python numbers either way."""
    if isinstance(values, dict) and "bdata" in values:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).tolist()
    return list(values)


def open_first(page: str, query: dict | None = None, timeout: float = 60) -> AppTest:
    """Open pages/<page>.py as the session's FIRST page, with query parameters (as a shared link does)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.switch_page(str(ROOT / "pages" / f"{page}.py"))
    at.run()
    return at


def open_clean(page: str, query: dict | None = None) -> AppTest:
    """open_first(), asserting the page drew without an exception or an error box."""
    at = open_first(page, query)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def chart_spec(at: AppTest, key: str) -> dict:
    """The Plotly spec the chart with this key received."""
    import json

    charts = [c for c in at.get("plotly_chart") if c.proto.id and key in c.proto.id]
    assert len(charts) == 1, f"no single chart {key}"
    return json.loads(charts[0].proto.spec)


def release_notice(at: AppTest) -> tuple[str, str]:
    """The frame's one release notice: its summary (a warning) and its details (the expander folded under it; '' if none).

    Fails unless there is exactly one notice."""
    summaries = [w.value for w in at.warning if w.value.startswith(("**Data release", "**Draft release", "**You are viewing release"))]
    assert len(summaries) == 1, summaries
    details = [e for e in at.expander if e.label.startswith("What data release")]
    assert len(details) <= 1
    return summaries[0], "\n".join(m.value for e in details for m in e.markdown)


def tables_opened(at: AppTest) -> AppTest:
    """`at` rerun with every chart's data table open, as a user opening each "Data table (text alternative)" does
    (components.chart builds a table only when its expander is open)."""
    from components.chart import TABLE_KEY

    keys = [k for k in at.session_state if str(k).startswith(TABLE_KEY) and not at.session_state[k]]
    for k in keys:
        at.session_state[k] = True
    return at.run() if keys else at
