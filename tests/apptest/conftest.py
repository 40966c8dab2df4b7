"""AppTest fixtures (helpers live in apphelp.py)."""

from __future__ import annotations

import pytest
from apphelp import APP, ROOT, open_first, open_page, plotly_values, texts  # noqa: F401  (re-exported while tests migrate to apphelp)


@pytest.fixture
def real_releases(monkeypatch):
    """The checkout's own releases folder."""
    monkeypatch.setenv("PAKCOE_RELEASES", str(ROOT / "data" / "releases"))
    return ROOT / "data" / "releases"
