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


# ---------------------------------------------------------------------------------------------------
# streamlit (components/thirdparty/streamlit.py): each cached function's parameters looked up once


def test_cached_calls_still_name_their_arguments_through_type_util():
    """The patch takes effect only while Streamlit's caches ask `type_util.get_func_parameters` by module attribute."""
    import inspect

    from streamlit.runtime.caching import cache_utils

    assert "type_util.get_func_parameters(" in inspect.getsource(cache_utils._get_positional_arg_name)


def test_kept_signatures_give_the_same_parameters_looked_up_once_and_a_fresh_list_each_time():
    import inspect

    from streamlit import type_util

    from components.thirdparty.streamlit import keep_signatures

    keep_signatures()
    keep_signatures()  # idempotent: one wrapper
    patched = type_util.get_func_parameters
    original = patched.__wrapped__
    assert not getattr(original, "_pakcoe_signatures_kept", False)

    def f(a, _b, *rest, c=1, **kw):
        return a

    def g(x):
        return x

    first = patched(f)
    assert [p.name for p in first] == list(inspect.signature(f).parameters)
    first.clear()  # a caller that changes its list changes nothing kept
    assert [p.name for p in patched(f)] == ["a", "_b", "rest", "c", "kw"]
    looked_up: list[object] = []
    try:  # looked up once per function: a counting lookup under a fresh patch
        type_util.get_func_parameters = lambda func: (looked_up.append(func), original(func))[1]
        keep_signatures()
        for _ in range(5):
            assert [p.name for p in type_util.get_func_parameters(g)] == ["x"]
        assert looked_up == [g]
    finally:
        type_util.get_func_parameters = patched


def test_a_cached_function_still_skips_its_underscore_arguments_with_the_patch():
    import streamlit as st

    from components.thirdparty.streamlit import keep_signatures

    keep_signatures()
    calls: list[int] = []

    @st.cache_data
    def double(x, _ignored):
        calls.append(x)
        return 2 * x

    assert double(3, object()) == 6 and double(3, object()) == 6  # a new unhashable object each time: not hashed
    assert calls == [3]
    double.clear()


# ---------------------------------------------------------------------------------------------------
# streamlit (components/thirdparty/streamlit.py): whether a run is a fragment's rerun


def test_the_run_context_still_lists_the_fragments_a_run_runs():
    """in_fragment reads `fragment_ids_this_run`, which the script runner sets for a run of fragments only."""
    import inspect

    from streamlit.runtime.scriptrunner import script_runner

    source = inspect.getsource(script_runner.ScriptRunner)
    assert "fragment_ids_this_run=fragment_ids_this_run" in source and "rerun_data.fragment_id_queue" in source


def test_in_fragment_is_false_in_a_whole_run_and_outside_any_run(tmp_path: Path):
    from streamlit.testing.v1 import AppTest

    from components.thirdparty.streamlit import in_fragment

    assert in_fragment() is False  # no script run here
    script = tmp_path / "toy.py"
    script.write_text(
        "import streamlit as st\n"
        "from components.thirdparty.streamlit import in_fragment\n"
        "st.text(f'page {in_fragment()}')\n"
        "@st.fragment\n"
        "def part():\n"
        "    st.text(f'fragment {in_fragment()}')\n"
        "part()\n",
        encoding="utf-8",
    )
    at = AppTest.from_file(str(script), default_timeout=30)
    at.run()
    assert not at.exception
    assert [e.value for e in at.text] == ["page False", "fragment False"]  # the fragment ran as part of the whole page
    # (a fragment's own rerun, where it is True, needs a browser: tests/browser/test_fragment_browser.py)
