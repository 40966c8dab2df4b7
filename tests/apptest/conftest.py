"""AppTest fixtures (helpers live in apphelp.py)."""

from __future__ import annotations

import pytest
from apphelp import ROOT


@pytest.fixture
def real_releases(monkeypatch):
    """The checkout's own releases folder."""
    monkeypatch.setenv("PAKCOE_RELEASES", str(ROOT / "data" / "releases"))
    return ROOT / "data" / "releases"


@pytest.fixture(scope="module")
def release():
    """Release 1.1.0, loaded once per test module."""
    from pakcoe import load_release

    return load_release(ROOT / "data" / "releases" / "1.1.0")


@pytest.fixture(autouse=True)
def no_legacy_pages_mode(monkeypatch):
    """Run AppTest like scripts/serve.py runs the server: with Streamlit's legacy `pages/` detection off.

    AppTest resets the process-wide flag before every run, and with it on, a run on a page other than
    the default one executes pages/<x>.py alone, without app.py's frame (the pitfall serve.py removes).
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
