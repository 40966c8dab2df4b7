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


_INDEX = "_pakcoe_index_head"


def add_to_index_head(markup: Callable[[str], str], body: Callable[[str], str] | None = None) -> None:
    """Serve Streamlit's page shell (`index.html`, the answer to every page's address) with `markup(path)` added at the
    end of its <head>, and `body(path)` (if given) at the end of its <body>; `path` is the request's path after the base
    URL, without slashes at either end or the query. (A sheet at the end of the body comes after the styles Streamlit's
    client adds to the head, and wins a tie of weight against them; one in the head loses it.)

    The shell is what the browser lays out and fetches before the app's first message: only this markup can act in
    that moment. Streamlit 1.67 serves the shell through Starlette's static files (`starlette_static_routes.
    create_streamlit_static_handler`); the handler it makes is wrapped so that a response of `index.html` is answered
    with the changed copy instead (made once per markup, `no-cache` as Streamlit's own). Call it before the server
    starts (scripts/serve.py); once per process (a second call changes nothing). tests/browser/test_shell_browser.py
    checks it on a real server of the installed version.
    """
    import os

    from starlette.responses import Response
    from streamlit.web.server.starlette import starlette_static_routes as routes

    current = routes.create_streamlit_static_handler
    if getattr(current, _INDEX, False):
        return
    original = current
    shells: dict[tuple[str, str], bytes] = {}

    def shell(file: str, extra: str, end: str) -> bytes:
        if (file, extra, end) not in shells:
            with open(file, "rb") as f:
                page = f.read()
            for tag in (b"</head>", b"</body>"):
                if tag not in page:
                    raise RuntimeError(f"Streamlit's page shell has no {tag.decode()}: {file}")
            page = page.replace(b"</head>", extra.encode("utf-8") + b"</head>", 1)
            before, tag, after = page.rpartition(b"</body>")  # the last one: the page's own, not one in a comment or script
            shells[(file, extra, end)] = before + end.encode("utf-8") + tag + after
        return shells[(file, extra, end)]

    def create(directory: str, base_url: str | None):
        handler = original(directory, base_url)
        inner = handler.get_response

        async def get_response(path: str, scope):
            response = await inner(path, scope)
            file = getattr(response, "path", None)
            if response.status_code != 200 or not isinstance(file, str) or os.path.basename(file) != "index.html":
                return response
            full, root = scope.get("path", ""), scope.get("root_path", "") or ""
            path = (full[len(root) :] if full.startswith(root) else full).strip("/")
            extra, end = markup(path), body(path) if body else ""
            if not extra and not end:
                return response
            return Response(content=shell(file, extra, end), status_code=200, media_type="text/html", headers={"Cache-Control": "no-cache"})

        handler.get_response = get_response
        return handler

    setattr(create, _INDEX, True)
    create.__wrapped__ = original  # type: ignore[attr-defined]
    routes.create_streamlit_static_handler = create
