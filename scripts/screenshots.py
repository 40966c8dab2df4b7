"""Take the README's screenshots: start the app, open each page in headless Chromium, save docs/screenshots/<page>.png.

Usage: .venv/bin/python scripts/screenshots.py [shot ...]   (shot: a file name of SHOTS without .png; default: every one)

The server and the browser are started the way the tests start them (tests/harness.py): `scripts/serve.py` on the
checkout's data/releases, Debian's Chromium; each shot is taken once the page is fully drawn.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from harness import DRAWN_JS, launch_chromium, streamlit_server  # noqa: E402  (tests/ is on sys.path from the line above)

OUT = ROOT / "docs" / "screenshots"
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
# On a 390×844 phone (touch)
PHONE_SHOTS = {
    "": "phone-overview",
    "map": "phone-map",
    "compare": "phone-compare",
    "funding": "phone-funding",
}
# Presenter stops, at a projector's 1920×1080 (the default release's deck)
PRESENT_SHOTS = {
    "present?stop=1": "present-gaps",
    "present?stop=3": "present-cluster",
    "present?stop=6": "present-options",
    "present?stop=7&notes=1": "present-funding-notes",
}

# In Urdu (?lang=ur): every page at 1440×1000, a few stops at 1920×1080, two pages on a phone
URDU_SHOTS = {
    "?lang=ur": "ur-overview",
    "map?lang=ur&view=national&hub=lahore-1": "ur-map",
    "phases?lang=ur": "ur-phases",
    "compare?lang=ur": "ur-compare",
    "methodology?lang=ur": "ur-methodology",
    "funding?lang=ur": "ur-funding",
    "partners?lang=ur": "ur-partners",
    "data?lang=ur": "ur-data",
}
URDU_PRESENT_SHOTS = {
    "present?stop=1&lang=ur": "ur-present-gaps",
    "present?stop=3&lang=ur": "ur-present-cluster",
    "present?stop=7&lang=ur&notes=1": "ur-present-funding-notes",
}
URDU_PHONE_SHOTS = {
    "?lang=ur": "ur-phone-overview",
    "map?lang=ur": "ur-phone-map",
}
URDU_READY_JS = "() => document.documentElement.dir === 'rtl' && document.fonts.status === 'loaded'"


def main(only: list[str]) -> None:
    """Serve the app on the checkout's releases, open each shot fully drawn, save it."""
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        sizes = (
            (SHOTS, {"width": 1440, "height": 1000}, False),
            (PHONE_SHOTS, {"width": 390, "height": 844}, True),
            (PRESENT_SHOTS, {"width": 1920, "height": 1080}, False),
            (URDU_SHOTS, {"width": 1440, "height": 1000}, False),
            (URDU_PRESENT_SHOTS, {"width": 1920, "height": 1080}, False),
            (URDU_PHONE_SHOTS, {"width": 390, "height": 844}, True),
        )
        for shots, viewport, phone in sizes:
            page = browser.new_page(viewport=viewport, has_touch=phone, is_mobile=phone, device_scale_factor=2 if phone else 1)
            for path, name in shots.items():
                if only and name not in only:
                    continue
                page.goto(f"{base}/{path}")
                page.wait_for_function(DRAWN_JS, timeout=90_000)
                if "lang=ur" in path:  # the Nastaliq font's lines are taller: shoot once it is drawn
                    page.wait_for_function(URDU_READY_JS, timeout=30_000)
                page.wait_for_timeout(2500)  # charts and the map finish drawing
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(OUT / f"{name}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
