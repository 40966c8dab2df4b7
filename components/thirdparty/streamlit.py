"""Streamlit internals the app relies on (written against streamlit 1.67.0, the pinned version).

Streamlit treats a `pages/` folder beside the entry point as a legacy ("v1") multipage app until a session has run
`st.navigation`: `PagesManager.uses_pages_directory`, a process-wide class attribute, is None at start, the first
PagesManager sets it from whether `pages/` exists, and while it is True the script runner runs the requested page
file alone instead of app.py. So on a freshly started server a deep link as the very first request shows a page
without the frame (no release selector, no status banner), or "Page not found"; AppTest resets the attribute to
None before every run, so every AppTest run would meet the same. Streamlit has no public setting for it.
tests/test_thirdparty.py checks both the pitfall and the remedy on the installed version.
"""

from __future__ import annotations

from collections.abc import Callable

PINNED = (1, 67, 0)  # the version written against, as numbers (a version string here would read as a release fact)
_MARK = "_pakcoe_legacy_pages_off"


def legacy_pages_mode_off() -> Callable[[], None]:
    """Switch Streamlit's legacy `pages/` detection off for this process, now and for every PagesManager made later.

    scripts/serve.py calls it before the server starts, the AppTest fixtures and the benchmarks before they run
    the app. Returns a function that gives Streamlit its own behaviour back (tests use it to undo the switch).
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    current = PagesManager.__init__
    if getattr(current, _MARK, False):
        return _restore
    original = current

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    setattr(init, _MARK, True)
    init.__wrapped__ = original  # type: ignore[attr-defined]
    PagesManager.__init__ = init
    return _restore


def _restore() -> None:
    """Undo legacy_pages_mode_off: Streamlit decides again from whether `pages/` exists."""
    from streamlit.runtime.pages_manager import PagesManager

    current = PagesManager.__init__
    if getattr(current, _MARK, False):
        PagesManager.__init__ = current.__wrapped__
    PagesManager.uses_pages_directory = None


_SIGNATURES = "_pakcoe_signatures_kept"


def keep_signatures() -> None:
    """Look each function's parameters up once per process, not on every cached call.

    To name the positional arguments of an `st.cache_data` call (`_`-prefixed ones are not hashed), Streamlit reads
    the function's signature with `inspect.signature` on every call and every argument (`type_util.
    get_func_parameters`): about 5 ms of a Compare rerun's ~55 ms, 150 cached calls a run. A function's parameters do
    not change while it exists, so they are kept per function (a copy of the list is returned each time: a caller
    that changes it changes nothing kept). Idempotent; tests/test_thirdparty.py checks it on the installed version.
    """
    import functools

    from streamlit import type_util

    current = type_util.get_func_parameters
    if getattr(current, _SIGNATURES, False):
        return
    kept = functools.lru_cache(maxsize=4096)(lambda func: tuple(current(func)))

    def get_func_parameters(func):
        try:
            return list(kept(func))
        except TypeError:  # an unhashable callable: as Streamlit does
            return current(func)

    setattr(get_func_parameters, _SIGNATURES, True)
    get_func_parameters.__wrapped__ = current  # type: ignore[attr-defined]
    type_util.get_func_parameters = get_func_parameters


def in_fragment() -> bool:
    """Whether the running script is a fragment's rerun (`st.fragment`), not a run of the whole page: a fragment may not
    write into a container of the page outside itself. Streamlit has no public way to ask; its run context lists the
    fragments a run runs (None or empty for a run of the whole page). False outside a script run."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return bool(ctx is not None and ctx.fragment_ids_this_run)
