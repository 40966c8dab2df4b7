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
    """The versions the app offers by default: valid **published** releases, newest first (drafts never)."""
    return sorted((r.version for r in reports if r.valid and r.published), key=semver_key, reverse=True)


def asked_release() -> str | None:
    """The release the address asks for (?release=), read before the selector runs (it drops an invalid value)."""
    return st.query_params.get(RELEASE_KEY)


def linked_draft(reports: list[ValidationReport], asked: str | None) -> ValidationReport | None:
    """The valid draft release this session asked for explicitly (?release=X, or chosen from it since), if any.

    A draft is never offered in the selector otherwise, and never becomes the default."""
    wanted = {asked, st.session_state.get(RELEASE_KEY)}
    return next((r for r in reports if r.valid and not r.published and r.version in wanted), None)


def release_selector(reports: list[ValidationReport], asked: str | None) -> str | None:
    """Sidebar selectbox of the valid published releases, newest first (the default); kept in the URL as ?release=.

    A valid draft is added only when the link names it; with no valid published release there is nothing to serve."""
    versions = valid_versions(reports)
    if not versions:
        return None
    draft = linked_draft(reports, asked)
    options = sorted([*versions, draft.version], key=semver_key, reverse=True) if draft else versions
    if asked is not None and asked not in options and st.session_state.get(RELEASE_KEY) not in options:
        notice(f"The link asked for data release '{escape_md(asked)}', which is not a valid published release here; showing release {versions[0]}.")
    return st.sidebar.selectbox(
        "Data release",
        options,
        index=options.index(versions[0]),
        key=RELEASE_KEY,
        bind="query-params",
        help=f"Every figure on every page comes from this release. Newest valid published release: {versions[0]}.",
    )


def draft_notice(reports: list[ValidationReport], version: str) -> None:
    """One notice, on every page, while the chosen release is a draft (reachable only through an explicit link)."""
    if any(r.version == version and not r.published for r in reports):
        st.warning(
            f"**Draft release {escape_md(version)}.** This data release is not published: it may still change, and "
            f"its figures are not final. The newest published release is {valid_versions(reports)[0]}.",
            icon=":material/draft:",
        )


def notice(text: str) -> None:
    """A one-line notice about the URL or the data (bad parameter, fallback used)."""
    st.info(text, icon=":material/info:")


def status_banner() -> None:
    """The concept-status banner shown on every page."""
    st.warning(STATUS_TEXT, icon=":material/gavel:")


def broken_releases_panel(reports: list[ValidationReport], asked: str | None) -> None:
    """List every published release that failed validation, with its located problems; the app keeps serving the rest.

    A broken draft is listed only when the link asks for it or when no published release can be served (it is not
    offered to visitors otherwise); the Data page's validation report lists every release, drafts included."""
    served = valid_versions(reports)
    broken = [r for r in reports if not r.valid and (r.published or r.version == asked or not served)]
    for r in broken:
        kind = "Data release" if r.published else "Draft data release"
        head = f"{kind} {r.version} failed validation ({len(r.problems)} problem{'s' if len(r.problems) != 1 else ''}) and is not served."
        if served:
            head += f" Showing release {served[0]}."
        with st.expander(head, expanded=False, icon=":material/error:"):
            st.dataframe(problems_frame(r.problems), hide_index=True)


def current_release() -> Release:
    """The release chosen in the frame (pages call this; the frame guarantees a valid published one exists)."""
    version = st.session_state.get(RELEASE_KEY)
    for r in cached.release_reports():
        if r.version == version and r.valid:
            return r.release
    versions = valid_versions(cached.release_reports())
    return next(r.release for r in cached.release_reports() if r.version == versions[0])
