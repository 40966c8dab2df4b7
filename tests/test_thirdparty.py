"""Third-party internals the app relies on (components/thirdparty/): each still exists and behaves as relied on.

One section per package. Each checks that the installed version is the one constraints.txt pins and the module
was written against, and that the internal still does what the module works around or uses, so an upgrade that
changes it fails here, loudly, instead of on a visitor's screen.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pinned(package: str) -> str:
    """The version constraints.txt pins for a package."""
    found = re.search(rf"^{re.escape(package)}==([^\s;#]+)", (ROOT / "constraints.txt").read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"constraints.txt does not pin {package}"
    return found[1]


# ---------------------------------------------------------------------------------------------------
# streamlit (components/thirdparty/streamlit.py): the legacy `pages/` mode

TOY_APP = """
import streamlit as st

st.markdown("FRAME")
st.navigation([st.Page("pages/home.py", default=True), st.Page("pages/other.py")]).run()
"""


@pytest.fixture
def toy_app(tmp_path: Path) -> Path:
    """An app like ours: an entry point that draws a frame and runs st.navigation, with a `pages/` folder beside it."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "home.py").write_text('import streamlit as st\nst.title("Home")\n', encoding="utf-8")
    (tmp_path / "pages" / "other.py").write_text('import streamlit as st\nst.title("Other")\n', encoding="utf-8")
    app = tmp_path / "app.py"
    app.write_text(TOY_APP, encoding="utf-8")
    return app


def first_run_on_other_page(app: Path):
    """A session whose first run asks for pages/other.py (a deep link as the first request)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(app), default_timeout=30)
    at.switch_page(str(app.parent / "pages" / "other.py"))
    return at.run()


def test_streamlit_is_the_pinned_version_the_module_was_written_for():
    from components.thirdparty import streamlit as ours

    written_for = ".".join(str(n) for n in ours.PINNED)
    assert version("streamlit") == pinned("streamlit") == written_for, (
        f"streamlit {version('streamlit')} is installed, constraints.txt pins {pinned('streamlit')}, components/thirdparty/streamlit.py "
        f"was written for {written_for}: check the internal it uses on the new version, then update PINNED"
    )


def test_streamlit_still_has_the_legacy_pages_flag():
    from streamlit.runtime.pages_manager import PagesManager

    assert "uses_pages_directory" in vars(PagesManager), "PagesManager.uses_pages_directory is gone: legacy_pages_mode_off patches nothing"


def test_without_the_switch_a_deep_link_first_runs_the_page_without_the_frame(toy_app):
    """The pitfall itself, on the installed Streamlit: if this fails, Streamlit changed; check whether the switch can go."""
    from components.thirdparty.streamlit import _restore

    _restore()  # Streamlit's own behaviour
    at = first_run_on_other_page(toy_app)
    assert not at.exception
    assert [t.value for t in at.title] == ["Other"]
    assert "FRAME" not in [m.value for m in at.markdown], "Streamlit now runs the entry point first: legacy_pages_mode_off may no longer be needed"


def test_with_the_switch_the_page_runs_inside_the_frame_and_restore_undoes_it(toy_app):
    from streamlit.runtime.pages_manager import PagesManager

    from components.thirdparty.streamlit import legacy_pages_mode_off

    original = PagesManager.__init__
    restore = legacy_pages_mode_off()
    try:
        assert legacy_pages_mode_off() is restore and PagesManager.__init__.__wrapped__ is original  # a second call wraps nothing more
        at = first_run_on_other_page(toy_app)
        assert not at.exception
        assert [t.value for t in at.title] == ["Other"]
        assert "FRAME" in [m.value for m in at.markdown]
    finally:
        restore()
    assert PagesManager.__init__ is original and PagesManager.uses_pages_directory is None
