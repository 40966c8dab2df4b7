"""AppTest fixtures (helpers live in apphelp.py)."""

from __future__ import annotations

import functools
import shutil

import pytest
from apphelp import ROOT
from releasekit import copy_release

PINNED = ("1.0.0", "1.1.0")  # the releases of pinned_releases; the last is its default


@pytest.fixture
def real_releases(monkeypatch):
    """The checkout's own releases folder (whatever it holds: tests on it compute the default, never assume it)."""
    monkeypatch.setenv("PAKCOE_RELEASES", str(ROOT / "data" / "releases"))
    return ROOT / "data" / "releases"


@pytest.fixture(scope="session")
def pinned_root(tmp_path_factory):
    """Byte-identical copies of the checkout's releases 1.0.0 and 1.1.0, both published, and the data CHANGELOG,
    in a temporary data/releases folder made once per session (one root: the app's caches stay warm across tests)."""
    data = tmp_path_factory.mktemp("pinned") / "data"
    root = data / "releases"
    root.mkdir(parents=True)
    for version in PINNED:
        copy_release(root, version, ROOT / "data" / "releases" / version)
    shutil.copy(ROOT / "data" / "CHANGELOG.md", data / "CHANGELOG.md")
    return root


@pytest.fixture
def pinned_releases(pinned_root, monkeypatch):
    """Releases 1.0.0 and 1.1.0 only, 1.1.0 the default: for tests that check release 1.1.0's content on the default
    view. They name their release this way, so a newer release in data/releases (published or draft) changes nothing
    they see."""
    monkeypatch.setenv("PAKCOE_RELEASES", str(pinned_root))
    return pinned_root


@pytest.fixture(scope="module")
def release():
    """Release 1.1.0, loaded once per test module."""
    from pakcoe import load_release

    return load_release(ROOT / "data" / "releases" / "1.1.0")


@pytest.fixture(autouse=True, scope="session")
def components_scanned_once():
    """Every new AppTest scans all installed packages for Streamlit components (~0.1 s; over a hundred AppTests a
    run): the installed packages do not change during a run, so each test process scans once."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    manifest_scanner.scan_component_manifests = functools.cache(scan)
    yield
    manifest_scanner.scan_component_manifests = scan


@pytest.fixture(autouse=True)
def no_legacy_pages_mode():
    """Run AppTest like scripts/serve.py runs the server: with Streamlit's legacy `pages/` detection off.

    AppTest resets the process-wide flag before every run, and with it on, a run on a page other than
    the default one executes pages/<x>.py alone, without app.py's frame (the pitfall serve.py removes).
    """
    from components.thirdparty.streamlit import legacy_pages_mode_off

    restore = legacy_pages_mode_off()
    yield
    restore()


@pytest.fixture
def urdu_thread():
    """The test's own thread in Urdu, English again after: AppTest formats the widgets' values (format_func) in the
    test's thread before each run, and a page drawn in Urdu formats them in Urdu."""
    from pakcoe import i18n

    i18n.set_current("ur")
    yield
    i18n.set_current("en")
