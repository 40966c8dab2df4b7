"""The URL-state convention: every page widget's value lives in the URL, by value, so a link reproduces the view.

Streamlit's `bind="query-params"` writes a widget's *label* to the URL when a format_func is given
(e.g. `hub=Karachi+Clifton+hub`), so pages use this helper instead:

    value = urlstate.widget(st.selectbox, "map", "hub", "Hub", format_func=...)

The page and parameter name a `Param` of pakcoe.registry: it gives the widget's key (the parameter's name), its
default, its allowed values (the widget's options, or a slider's bounds and step) and how the URL's text is read,
computed from the release the frame shows. A parameter the registry does not list is an error.

- On a session's first run the URL value seeds the widget (invalid values give a notice and the default).
  A link that uses a parameter's old name (an alias in the registry) is read as the current name, and the old name
  leaves the address bar.
- Afterwards the widget's value is written back to the URL on every run (removed when it equals the
  default), so the address bar always holds the current view, also after switching pages and back
  (widgets use persist_state="session").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from components import notices
from components.escape import escape_md
from pakcoe import Release, i18n, registry
from pakcoe.i18n import t
from pakcoe.registry import Param, Range

_SEEDED = "_urlstate_seeded"
_UNSET: Any = object()


def _notice(p: Param, raw: object, default: object, fmt: Callable[[Any], Any] | None) -> None:
    """Say in words which setting of the link was not valid, and what is shown instead (labels, never ids or lists)."""
    values = list(default) if isinstance(default, (list, tuple)) else ([] if default is None else [default])
    shown = ("، " if i18n.is_rtl() else ", ").join(str(fmt(v)) if fmt else str(v) for v in values)
    label, raw = escape_md(registry.param_label(p)), escape_md(raw)
    if shown:
        text = t("The link's value for “{label}” (“{raw}”) is not one this page offers; showing {shown} instead.", label=label, raw=raw, shown=escape_md(shown))
    else:
        text = t("The link's value for “{label}” (“{raw}”) is not one this page offers; showing the page's default instead.", label=label, raw=raw)
    notices.show(text)


def notice(p: Param, raw: object, default: object, fmt: Callable[[Any], Any] | None = None) -> None:
    """The notice of a link's value for `p` that the page does not take (`raw`), naming the setting by its label and
    what is shown instead (`default`, written with `fmt`): for parameters read outside `widget` and `seed`."""
    _notice(p, raw, default, fmt)


def _release() -> Release:
    from components import frame  # at call time: frame imports cached, which imports the modules that import this one

    return frame.current_release()


def param(page: str, name: str) -> Param:
    """The registered parameter (KeyError when pakcoe.registry does not list it for the page)."""
    found = registry.page(page).param(name)
    if found is None or found.name != name:
        raise KeyError(f"page {page!r} has no URL parameter {name!r} in pakcoe.registry: register it there first")
    return found


def _default(p: Param, release: Release) -> Any:
    value = registry.default_value(release, p)
    return list(value) if p.multi else value


def default_of(page: str, name: str) -> Any:
    """The parameter's default on the shown release (a list for a multi parameter)."""
    return _default(param(page, name), _release())


def _allowed(p: Param, release: Release, options: Sequence[Any] | None) -> registry.Allowed:
    """The registry's allowed values, or `options` when the page narrows them (they must be among the registry's)."""
    allowed = registry.allowed_values(release, p)
    if options is None:
        return allowed
    if isinstance(allowed, tuple) and not {str(o) for o in options} <= {str(a) for a in allowed}:
        raise ValueError(f"URL parameter {p.name!r}: the options {list(options)} are not all allowed by pakcoe.registry")
    return tuple(options)


def _query_values(p: Param) -> tuple[str, list[str]]:
    """(the name the URL uses, its values): the current name, else an old one. Old names leave the URL."""
    raw, used = st.query_params.get_all(p.name), p.name
    for alias in p.aliases:
        found = st.query_params.get_all(alias)
        if found and not raw:
            raw, used = found, alias
        if alias in st.query_params:
            del st.query_params[alias]
    return used, raw


def _seed(p: Param, allowed: registry.Allowed, default: Any, fmt: Callable[[Any], Any] | None = None) -> None:
    seeded = st.session_state.setdefault(_SEEDED, set())
    if p.name in seeded:
        if p.name not in st.session_state:  # e.g. cleared by a callback
            st.session_state[p.name] = default
        return
    seeded.add(p.name)
    if p.name not in st.session_state:
        st.session_state[p.name] = default
    used, raw = _query_values(p)
    if not raw:
        return
    value, bad = registry.parse(p, raw if p.multi else raw[:1], allowed)
    if bad:
        _notice(p, ", ".join(bad), default, fmt)
    if p.multi or value is not None:
        st.session_state[p.name] = value


def seed(page: str, name: str, *, options: Sequence[Any] | None = None, default: Any = _UNSET, format_func: Callable[[Any], Any] | None = None) -> None:
    """Before the widget is created: on the session's first run, copy the URL value into session state.

    `options` narrows the registry's allowed values, `default` replaces its default, for values that depend on
    another widget (the Compare page's baseline is one of the chosen options)."""
    p, release = param(page, name), _release()
    _seed(p, _allowed(p, release, options), _default(p, release) if default is _UNSET else default, format_func)


def _publish(name: str, value: Any, default: Any) -> None:
    if value == default or value is None or value == []:
        if name in st.query_params:
            del st.query_params[name]
        return
    st.query_params[name] = registry.to_query(value)


def publish(page: str, name: str, value: Any, default: Any = _UNSET) -> None:
    """After the widget: write its value to the URL (remove the parameter when it equals the default)."""
    _publish(name, value, default_of(page, name) if default is _UNSET else default)


def widget(
    factory: Callable[..., Any],
    page: str,
    name: str,
    label: str,
    *,
    options: Sequence[Any] | None = None,
    default: Any = _UNSET,
    **kwargs: Any,
) -> Any:
    """Create a Streamlit widget whose value is kept in the URL under the registered parameter `name` (module docstring).

    The options (or a slider's min_value, max_value and step) come from the registry; `options` and `default` only
    narrow them for a value that depends on another widget (see `seed`). The initial value comes from session state
    (seeded from the URL or the default): do not also pass the widget's own value/index/default argument.
    """
    p, release = param(page, name), _release()
    default = _default(p, release) if default is _UNSET else default
    allowed = _allowed(p, release, options)
    _seed(p, allowed, default, kwargs.get("format_func"))
    if isinstance(allowed, Range):
        kwargs = {"min_value": allowed.low, "max_value": allowed.high, "step": allowed.step, **kwargs}
        # The seeded value as the slider's own (session state still wins): without one, Streamlit's slider copies the
        # whole session state to tell a single value from a range (~1-4 ms a slider with a page's worth of keys).
        kwargs.setdefault("value", st.session_state[name])
    args = (label, list(allowed)) if isinstance(allowed, tuple) else (label,)
    value = factory(*args, key=name, persist_state="session", **kwargs)
    _publish(name, value, default)
    return value
