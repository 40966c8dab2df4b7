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
