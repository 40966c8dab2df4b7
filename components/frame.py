"""The shared frame on every page: release selector, concept-status banner, broken-release panel, the release notice."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components import cached
from components.escape import escape_md
from pakcoe import Release, ValidationReport, display, i18n
from pakcoe.lacks import Lacks
from pakcoe.lacks import holds as holds  # pages ask frame.holds(release, table) before drawing a section
from pakcoe.release import problems_frame, valid_versions
from pakcoe.semver import semver_key

RELEASE_KEY = "release"
STATUS_TEXT = (
    "**Concept proposal.** Pak AI CoE is not approved, accredited, funded or adopted by {navttc} or any "
    "other government body. NAVTTC and {nvqf} references describe the intended alignment only. "
    "Figures are sourced facts or illustrative assumptions, labelled as such."
)  # the abbreviations with their full names at first use, from the glossary


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


@dataclass(frozen=True)
class NoticeText:
    """The release notice: a short summary (always shown) and the details (what is missing, the defaults), in Markdown."""

    summary: str
    details: str  # '' when there is nothing to list


def notice_text(version: str, draft: bool, newest: str | None, lacks: Lacks, created: str = "", newest_created: str = "") -> NoticeText | None:
    """The one release notice: a draft, an older release (naming the newest) and everything the release lacks (None:
    nothing to say). Versions are shown as they are (valid releases have semver folder names); the data's texts are
    escaped."""
    parts = []
    on = f" (created {escape_md(created[:10])})" if created else ""
    if draft:
        parts.append(
            f"**Draft release {version}.** This data release is not published: it may still change, and its figures are not final."
            + (f" The newest published release is {newest}." if newest else "")
        )
    elif newest and version != newest:
        when = f", created {escape_md(newest_created[:10])}" if newest_created else ""
        parts.append(
            f"**You are viewing an older data release, {version}**{on}. The newest published release is {newest}{when}: "
            "choose it under “Data release” in the sidebar."
        )
    if lacks:
        what = []
        if lacks.sections:
            n = len(lacks.sections)
            what.append(f"the data for {n} section{'s' if n != 1 else ''} of the pages (left out)")
        if lacks.rules:
            n = len(lacks.rules)
            what.append(f"{n} rule{'s' if n != 1 else ''} the rollout model uses ({'stated defaults stand' if n != 1 else 'a stated default stands'} in)")
        head = "It lacks" if parts else f"**Data release {version} lacks**"
        parts.append(f"{head} {' and '.join(what)}; the list is just below.")
    if not parts:
        return None
    details = []
    if lacks.sections:
        details.append("**Sections left out:**\n" + "\n".join(f"- {escape_md(label)}" for label in lacks.sections))
    if lacks.rules:
        details.append(
            "**Rules the rollout model uses, and the default that stands in for each:**\n"
            + "\n".join(f"- {escape_md(what)}: {escape_md(default)}." for what, default in lacks.rules)
        )
    return NoticeText(" ".join(parts), "\n\n".join(details))


def release_notice(reports: list[ValidationReport], version: str) -> None:
    """ONE notice, on every page, for everything a draft or older release lacks (drawn by the frame, never by a section):
    a short warning, with what the release lacks (and the defaults that stand in) folded under it."""
    draft = any(r.version == version and not r.published for r in reports)
    published = valid_versions(reports)
    newest = published[0] if published else None
    created = {r.version: str(r.release.descriptor.get("created", "")) for r in reports if r.valid and r.release is not None}
    text = notice_text(version, draft, newest, cached.release_lacks(version), created.get(version, ""), created.get(newest, ""))
    if text is None:
        return
    with st.container(key="release-notice"):
        st.warning(text.summary, icon=":material/draft:" if draft else ":material/history:")
        if text.details:
            with st.expander(f"What data release {version} lacks, and what stands in", icon=":material/history:"):
                st.markdown(text.details)


def glossary(release: Release) -> None:
    """The glossary in the sidebar on every page: every abbreviation and term the pages use, with its full name.
    Methodology lists the same terms in its Glossary section."""
    terms = display.texts(release).glossary()
    with st.sidebar.expander("Glossary of terms", icon=":material/menu_book:"):
        st.markdown("\n".join(f"- **{escape_md(t.term)}**: {escape_md(t.expansion)}. {escape_md(t.definition)}" for t in terms))


def notice(text: str) -> None:
    """A one-line notice about the URL or the data (bad parameter, fallback used)."""
    st.info(text, icon=":material/info:")


def status_banner(release: Release | None = None) -> None:
    """The concept-status banner shown on every page (abbreviations spelled out from the release's glossary)."""
    t = display.texts(release) if release is not None else None
    spelled = {k: escape_md(t.first_use(k.upper())) if t else k.upper() for k in ("navttc", "nvqf")}
    st.warning(STATUS_TEXT.format(**spelled), icon=":material/gavel:")


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
            return i18n.localize(r.release)
    versions = valid_versions(cached.release_reports())
    return i18n.localize(next(r.release for r in cached.release_reports() if r.version == versions[0]))
