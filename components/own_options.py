"""Options of one's own on Compare, Phases and Funding: the template, the upload, its problems and the session store.

An uploaded file's bytes live in the session only (`st.session_state`, never on disk, never in the URL) and are
checked on every run by pakcoe.own_options against the release shown, in the current language: switching the
release or the language checks the same file again. Its options are offered in the pages' option pickers after the
predefined ones, labelled "<name> (yours)", under ids ("yours:1", …) that no release option can have. A picker's
value reaches the URL only when it is a predefined option (`url_widget`); a page showing an own option says, in
one line, that the uploaded options are not in the link.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from components import exports, table, urlstate
from components.escape import escape_md
from pakcoe import Release, i18n, registry
from pakcoe.display import texts
from pakcoe.i18n import t
from pakcoe.levers import levers
from pakcoe.model import Scenario
from pakcoe.own_options import GATING, MAX_OPTIONS, OwnOptions, is_own, own_id, parse_options, template_csv

STORE = "own_options_file"  # the uploaded file's bytes (session only)
UPLOADER = "own_options_upload"
CHECKED = "own_options_checked"  # (file, release and language, the check of the file): the last check, kept for the session
_UNSET: Any = object()


# ---------------------------------------------------------------------------------------------------
# The session store


def uploaded(release: Release) -> OwnOptions | None:
    """The session's uploaded options checked against `release` (None: nothing uploaded). The check (~20 ms for 8
    options) is kept in the session for its file, release and language, so a page's several pickers share it."""
    raw = st.session_state.get(STORE)
    if raw is None:
        return None
    key = (hashlib.sha256(raw).hexdigest(), release.version, id(release), i18n.current())
    kept = st.session_state.get(CHECKED)
    if kept is None or kept[0] != key:
        kept = (key, parse_options(release, raw))
        st.session_state[CHECKED] = kept
    return kept[1]


def options(release: Release) -> dict[str, tuple[str, Scenario, str]]:
    """id -> (name, Scenario, description) of the session's valid own options (empty when none or the file has problems)."""
    found = uploaded(release)
    if found is None or not found.ok:
        return {}
    return {own_id(i): (name, s, d) for i, ((name, s), d) in enumerate(zip(found.options, found.descriptions, strict=True))}


def label(name: str) -> str:
    """An own option's name as the pickers and charts show it."""
    return t("{name} (yours)", name=name)


def labels(release: Release) -> dict[str, str]:
    """id -> "<name> (yours)" of the session's own options."""
    return {o: label(name) for o, (name, _, _) in options(release).items()}


def _store() -> None:
    """The uploader's callback: keep the new file's bytes, or forget them when the file is removed."""
    file = st.session_state.get(UPLOADER)
    if file is None:
        st.session_state.pop(STORE, None)
    else:
        st.session_state[STORE] = file.getvalue()


def _forget() -> None:
    """The remove button's callback: the session forgets the uploaded file."""
    st.session_state.pop(STORE, None)


# ---------------------------------------------------------------------------------------------------
# The panel (Compare) and the pointer (Phases, Funding)


def field_label(release: Release, field: str | None) -> str:
    """A problem's field as users read it: the options table's column label, a lever's label, or ''."""
    if not field:
        return ""
    if field == GATING:
        return t("Phase gates hold the next phase back")
    spec = next((lever for lever in levers(release) if lever.field == field), None)
    if field in {f["name"] for f in release.resource("options")["schema"]["fields"]} or spec is None:
        return texts(release).column(field, "options")
    return spec.label


def problems_frame(release: Release, found: OwnOptions) -> pd.DataFrame:
    """The problems as a table: row, field, what is wrong (plain words)."""
    return pd.DataFrame(
        {
            t("Row"): [i18n.num(p.row) if p.row else t("the whole file") for p in found.problems],
            t("Field"): [field_label(release, p.field) for p in found.problems],
            t("What is wrong"): [p.message for p in found.problems],
        }
    )


def panel(release: Release) -> None:
    """The template, the uploader and what became of the upload: its options, or every problem by row and field."""
    st.markdown(
        t(
            "Bring up to {n} rollout options of your own: download the template (the release's options as examples), change or "
            "add rows, and upload it as CSV. Your options appear on Compare, Phases and Funding beside the release's, marked "
            "“yours”, for this browser session only: nothing is stored, and links do not carry them.",
            n=i18n.num(MAX_OPTIONS),
        )
    )
    st.download_button(
        t("Template (CSV)"),
        exports.deferred(lambda: template_csv(release).encode("utf-8")),  # made when clicked, not on every rerun
        file_name=f"options-template-{release.version}.csv",
        mime="text/csv",
        key="own-options-template",
        on_click="ignore",
        icon=":material/download:",
    )
    st.file_uploader(
        t("Upload your options (CSV, UTF-8, at most 1 MB)"),
        type=["csv"],
        key=UPLOADER,
        on_change=_store,
        help=t("The file is read in this session only and never stored; nothing in it is run."),
    )
    found = uploaded(release)
    if found is None:
        return
    st.button(t("Remove my options"), key="own-options-remove", on_click=_forget, icon=":material/delete:")
    if found.ok:
        names = "; ".join(escape_md(label(name)) for name, _ in found.options)
        st.success(
            t("Your options are ready ({n}): {names}. Pick them in the options above.", n=i18n.num(len(found.options)), names=names), icon=":material/check:"
        )
        return
    whole = [p for p in found.problems if p.row is None and p.field is None]
    if whole and len(found.problems) == 1:  # a file that cannot be read at all (size, encoding, binary, caps): its one message
        st.error(t("The uploaded file cannot be used: {message}", message=escape_md(whole[0].message)), icon=":material/error:")
        return
    st.error(
        t(
            "The uploaded file cannot be used. Fix each problem listed below by row and field ({n} in all), then upload it again.",
            n=i18n.num(len(found.problems)),
        ),
        icon=":material/error:",
    )
    table.show(problems_frame(release, found), hide_index=True)


def pointer(release: Release) -> None:
    """One line on Phases and Funding: where to bring options of one's own (and that they are in the pickers once uploaded)."""
    mine = options(release)
    if mine:
        st.caption(t("Your uploaded options are in the option list, marked “yours”; upload or change them on the Compare page."))
    else:
        st.caption(t("Options of your own: upload them on the Compare page, under “Your own options”."))


def link_note(chosen: Sequence[object]) -> None:
    """A one-line note when the view shows an own option: the link does not carry it."""
    if any(is_own(o) for o in chosen):
        st.info(t("Your uploaded options are not in the link: whoever opens it sees the release's options only."), icon=":material/link_off:")


# ---------------------------------------------------------------------------------------------------
# Option pickers that offer own options but keep the URL honest


def url_widget(
    factory: Callable[..., Any],
    page: str,
    name: str,
    label_text: str,
    *,
    extra: Sequence[str],
    options: Sequence[Any] | None = None,
    default: Any = _UNSET,
    **kwargs: Any,
) -> Any:
    """urlstate.widget for an option picker that also offers the session's own options (`extra`, after the
    predefined ones). The URL seeds and keeps only predefined values: an own option chosen is left out of the link
    (a multi-picker keeps its predefined values, a single picker's parameter is omitted)."""
    from components import frame  # at call time, as urlstate does

    release = frame.current_release()
    p = urlstate.param(page, name)
    predefined = [o for o in (options if options is not None else registry.allowed_values(release, p)) if not is_own(o)]
    mine = [o for o in (options or []) if is_own(o) and o in extra] if options is not None else list(extra)
    every = predefined + mine
    url_default = urlstate.default_of(page, name) if default is _UNSET else default
    seed_default = url_default if not is_own(url_default) else (predefined[0] if predefined else None)
    urlstate.seed(page, name, options=predefined, default=seed_default, format_func=kwargs.get("format_func"))
    value = st.session_state.get(name)
    if p.multi:
        if isinstance(value, list) and any(v not in every for v in value):
            st.session_state[name] = [v for v in value if v in every]
    elif value is not None and value not in every:
        st.session_state[name] = seed_default
    if factory in (st.pills, st.segmented_control) and "format_func" in kwargs:  # their labels are Markdown: the names as text
        shown_as = kwargs["format_func"]
        kwargs["format_func"] = lambda o: escape_md(str(shown_as(o)))
    value = factory(label_text, every, key=name, persist_state="session", **kwargs)
    shown = [v for v in (value or []) if not is_own(v)] if p.multi else (None if is_own(value) else value)
    urlstate.publish(page, name, shown, **({} if default is _UNSET else {"default": default}))
    return value
