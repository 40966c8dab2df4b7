"""The shared frame on every page: release selector, concept-status banner, broken-release panel."""

from __future__ import annotations

import streamlit as st

from components import cached
from components.escape import escape_md
from pakcoe import Release, ValidationReport
from pakcoe.release import problems_frame
from pakcoe.semver import semver_key

RELEASE_KEY = "release"
STATUS_TEXT = (
    "**Concept proposal.** Pak AI CoE is not approved, accredited, funded or adopted by NAVTTC or any "
    "other government body. NAVTTC and NVQF references describe the intended alignment only. "
    "Figures are sourced facts or illustrative assumptions, labelled as such."
)


def valid_versions(reports: list[ValidationReport]) -> list[str]:
    return sorted((r.version for r in reports if r.valid), key=semver_key, reverse=True)


def release_selector(reports: list[ValidationReport]) -> str | None:
    """Sidebar selectbox of the valid releases, newest first; kept in the URL as ?release=."""
    versions = valid_versions(reports)
    if not versions:
        return None
    asked = st.query_params.get(RELEASE_KEY)
    if asked is not None and asked not in versions and st.session_state.get(RELEASE_KEY) not in versions:
        notice(f"The link asked for data release '{escape_md(asked)}', which is not a valid release here; showing release {versions[0]}.")
    return st.sidebar.selectbox(
        "Data release",
        versions,
        index=0,
        key=RELEASE_KEY,
        bind="query-params",
        help=f"Every figure on every page comes from this published release. Newest valid release: {versions[0]}.",
    )


def notice(text: str) -> None:
    """A one-line notice about the URL or the data (bad parameter, fallback used)."""
    st.info(text, icon=":material/info:")


def status_banner() -> None:
    """The concept-status banner shown on every page."""
    st.warning(STATUS_TEXT, icon=":material/gavel:")


def broken_releases_panel(reports: list[ValidationReport]) -> None:
    """List every release that failed validation, with its located problems; the app keeps serving the rest."""
    broken = [r for r in reports if not r.valid]
    if not broken:
        return
    served = valid_versions(reports)
    for r in broken:
        head = f"Data release {r.version} failed validation ({len(r.problems)} problem{'s' if len(r.problems) != 1 else ''}) and is not served."
        if served:
            head += f" Showing release {served[0]}."
        with st.expander(head, expanded=False, icon=":material/error:"):
            st.dataframe(problems_frame(r.problems), hide_index=True)


def current_release() -> Release:
    """The release chosen in the frame (pages call this; the frame guarantees a valid one exists)."""
    version = st.session_state.get(RELEASE_KEY)
    for r in cached.release_reports():
        if r.version == version and r.valid:
            return r.release
    versions = valid_versions(cached.release_reports())
    return next(r.release for r in cached.release_reports() if r.version == versions[0])
