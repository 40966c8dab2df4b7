"""Shared fixtures: a releases folder of our own for every test that needs one (never data/releases)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from releasekit import copy_release  # noqa: E402

# Presenter rooms (pakcoe.rooms) of this test process, and of the servers it starts: never the checkout's .state/.
os.environ["PAKCOE_ROOMS"] = str(Path(tempfile.mkdtemp(prefix="pakcoe-rooms-")) / "rooms.sqlite")


@pytest.fixture
def releases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty releases folder, set as $PAKCOE_RELEASES for the test."""
    root = tmp_path / "releases"
    root.mkdir()
    monkeypatch.setenv("PAKCOE_RELEASES", str(root))
    return root


@pytest.fixture
def draft(releases: Path):
    """A writable copy of release 1.0.0 in the test's releases folder, as a draft (not in its published.json):
    edits are checked by every rule but published-immutable."""
    return copy_release(releases, draft=True)
