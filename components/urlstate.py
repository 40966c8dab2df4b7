"""The URL-state convention: every page widget's value lives in the URL, by value, so a link reproduces the view.

Streamlit's `bind="query-params"` writes a widget's *label* to the URL when a format_func is given
(e.g. `hub=Karachi+Clifton+hub`), so pages use this helper instead:

    value = urlstate.widget(st.selectbox, "Hub", key="hub", options=ids, default=None, format_func=...)

- On a session's first run the URL value seeds the widget (invalid values give a notice and the default).
- Afterwards the widget's value is written back to the URL on every run (removed when it equals the
  default), so the address bar always holds the current view, also after switching pages and back
  (widgets use persist_state="session").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from components.escape import escape_md

_SEEDED = "_urlstate_seeded"


def _notice(key: str, raw: object, default: object) -> None:
    shown = "default" if default in (None, [], ()) else default
    st.info(f"The link's '{escape_md(key)}' value '{escape_md(raw)}' is not valid here; using {escape_md(shown)}.", icon=":material/info:")


def as_bool(text: str) -> bool:
    """A URL's true/false ('True', 'false', '1', '0', 'on', 'off'), for toggles; anything else is invalid (ValueError)."""
    value = str(text).strip().lower()
    if value in ("true", "1", "on", "yes"):
        return True
    if value in ("false", "0", "off", "no"):
        return False
    raise ValueError(f"not a true/false value: {text!r}")


def _parse(raw: list[str], options: Sequence[Any] | None, multi: bool, cast: Callable[[str], Any] | None) -> tuple[Any, list[str]]:
    """(value, invalid parts) from the URL's strings."""
    lookup = {str(o): o for o in options} if options is not None else None
    good, bad = [], []
    for item in raw:
        try:
            value = cast(item) if cast else item
        except (TypeError, ValueError):
            bad.append(item)
            continue
        if lookup is not None:
            if str(value) in lookup:
                good.append(lookup[str(value)])
            else:
                bad.append(item)
        else:
            good.append(value)
    if multi:
        return list(dict.fromkeys(good)), bad
    return (good[0] if good else None), bad


def seed(
    key: str,
    *,
    options: Sequence[Any] | None,
    default: Any,
    multi: bool = False,
    cast: Callable[[str], Any] | None = None,
    valid: Callable[[Any], bool] | None = None,
) -> None:
    """Before the widget is created: on the session's first run, copy the URL value into session state."""
    seeded = st.session_state.setdefault(_SEEDED, set())
    if key in seeded:
        if key not in st.session_state:  # e.g. cleared by a callback
            st.session_state[key] = default
        return
    seeded.add(key)
    if key not in st.session_state:
        st.session_state[key] = default
    raw = st.query_params.get_all(key)
    if not raw:
        return
    value, bad = _parse(raw if multi else raw[:1], options, multi, cast)
    if value is not None and valid is not None and not valid(value):
        bad, value = [str(raw[0])], None
    if bad:
        _notice(key, ",".join(bad), default)
    if multi or value is not None:
        st.session_state[key] = value


def publish(key: str, value: Any, default: Any) -> None:
    """After the widget: write its value to the URL (remove the parameter when it equals the default)."""
    if value == default or value is None or value == []:
        if key in st.query_params:
            del st.query_params[key]
        return
    st.query_params[key] = [str(v) for v in value] if isinstance(value, (list, tuple)) else str(value)


def widget(
    factory: Callable[..., Any],
    label: str,
    *,
    key: str,
    default: Any,
    options: Sequence[Any] | None = None,
    multi: bool = False,
    cast: Callable[[str], Any] | None = None,
    valid: Callable[[Any], bool] | None = None,
    **kwargs: Any,
) -> Any:
    """Create a Streamlit widget whose value is kept in the URL under `key` (see the module docstring).

    The initial value comes from session state (seeded from the URL or `default`): do not also pass the
    widget's own value/index/default argument.
    """
    seed(key, options=options, default=default, multi=multi, cast=cast, valid=valid)
    args = (label, options) if options is not None else (label,)
    value = factory(*args, key=key, persist_state="session", **kwargs)
    publish(key, value, default)
    return value
