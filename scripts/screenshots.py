"""Take the README's screenshots: start the app, open each page in headless Chromium, save docs/screenshots/<page>.png.

Usage: .venv/bin/python scripts/screenshots.py [page-url-path ...]   (default: every page in the navigation)
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY = """() => { const a = document.querySelector('[data-testid=stApp]');
  return a && a.dataset.testScriptState === 'notRunning' && a.dataset.testConnectionState === 'CONNECTED'
    && !document.querySelector('[data-testid=stSkeleton]'); }"""
SHOTS = {  # url path (+ query) -> file name
    "": "overview",
    "map": "map-karachi",
    "map?view=national&hub=lahore-1": "map-national",
    "map?view=national&section=coverage&radius=50": "map-coverage",
    "phases": "phases",
    "compare": "compare",
    "funding": "funding",
    "partners": "partners",
    "data": "data",
}


def main(only: list[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "scripts/serve.py", "--server.port", str(port)], cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(300):
            with contextlib.suppress(OSError), urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    break
            time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            for path, name in SHOTS.items():
                if only and name not in only:
                    continue
                page.goto(f"http://localhost:{port}/{path}")
                page.wait_for_function(READY, timeout=90_000)
                page.wait_for_timeout(2500)  # charts and the map finish drawing
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(OUT / f"{name}.png")
            browser.close()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)


if __name__ == "__main__":
    main(sys.argv[1:])
