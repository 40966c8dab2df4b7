"""Plotly's own image exporter, kept warm (no Streamlit): kaleido driving the system Chromium, MathJax off, no CDN.

The first image starts a long-lived kaleido server (~2–3 s here); later ones take ~0.2 s. `unavailable()` says in
words why images cannot be made on this machine (no Chromium), so an export button can say so instead of failing.
"""

from __future__ import annotations

import atexit
import os
import shutil
import threading

import plotly.graph_objects as go
import plotly.io as pio

# Chromium's flags for every headless use here (exports, tests): headless, and nothing of its own on the network.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
_LOCK = threading.Lock()
_STARTED = False


def chromium() -> str | None:
    """The system Chromium kaleido will drive ($BROWSER_PATH, else a Debian/Ubuntu path or one on PATH), or None."""
    for path in (os.environ.get("BROWSER_PATH"), *CHROMIUM_PATHS):
        if path and os.path.exists(path) and os.access(path, os.X_OK):
            return path
    for name in ("chromium", "chromium-browser"):  # PATH searched only when no known path has it (pages ask on every rerun)
        path = shutil.which(name)
        if path and os.path.exists(path) and os.access(path, os.X_OK):
            return path
    return None


def unavailable() -> str | None:
    """Why images cannot be exported here, in words (None: they can)."""
    if chromium() is None:
        return "Image export needs the Chromium browser on the server, which is not installed here (`make run` installs it)."
    return None


def _start() -> None:
    global _STARTED
    if _STARTED:
        return
    import kaleido

    path = chromium()
    if path is not None:
        os.environ.setdefault("BROWSER_PATH", path)
    kaleido.start_sync_server(mathjax=False)  # MathJax would be fetched from a CDN; pio.defaults.mathjax is ignored
    atexit.register(kaleido.stop_sync_server)
    _STARTED = True


def warm() -> None:
    """Start the renderer now (at server start), so the first export does not pay for it."""
    if unavailable() is None:
        with _LOCK:
            _start()


def image(fig: go.Figure | dict, fmt: str, width: int, height: int, scale: float = 1.0) -> bytes:
    """The figure as `fmt` ("png", "svg" or "pdf") bytes, width × height CSS pixels (PNG: × scale)."""
    reason = unavailable()
    if reason:
        raise RuntimeError(reason)
    with _LOCK:  # one kaleido server; its sync calls are not made for concurrent callers
        _start()
        return pio.to_image(fig, format=fmt, width=width, height=height, scale=scale, validate=False)
