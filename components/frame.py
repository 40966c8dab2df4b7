"""The shared frame on every page: release selector, concept-status banner, broken-release panel, the release notice."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components import cached, lang, table
from components.escape import escape_md
from pakcoe import Release, ValidationReport, display, i18n
from pakcoe.i18n import t
from pakcoe.lacks import Lacks
from pakcoe.lacks import holds as holds  # pages ask frame.holds(release, table) before drawing a section
from pakcoe.problems import rule_text
from pakcoe.release import problems_frame, valid_versions
from pakcoe.semver import semver_key

RELEASE_KEY = "release"


def status_text(navttc: str = "NAVTTC", nvqf: str = "NVQF") -> str:
    """The concept-status banner in the current language (the abbreviations with their full names at first use, from
    the glossary). Its meaning is kept exactly in every language: a concept, not approved."""
    return t(
        "**Concept proposal.** Pak AI CoE is not approved, accredited, funded or adopted by {navttc} or any "
        "other government body. NAVTTC and {nvqf} references describe the intended alignment only. "
        "Figures are sourced facts or illustrative assumptions, labelled as such.",
        navttc=navttc,
        nvqf=nvqf,
    )


def t_data(text: str) -> str:
    """A text the app's code states (what a release lacks, the default that stands in) in the current language: its
    Urdu from the app's string tables when there is one, else as written."""
    return i18n.ui_table().get(text, text) if i18n.current() != "en" else text


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
        notice(
            t(
                "The link asked for data release '{asked}', which is not a valid published release here; showing release {newest}.",
                asked=escape_md(asked),
                newest=versions[0],
            )
        )
    return st.sidebar.selectbox(
        t("Data release"),
        options,
        index=options.index(versions[0]),
        key=RELEASE_KEY,
        bind="query-params",
        help=t("Every figure on every page comes from this release. Newest valid published release: {newest}.", newest=versions[0]),
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
    if draft:
        parts.append(
            t("**Draft release {version}.** This data release is not published: it may still change, and its figures are not final.", version=version)
            + (" " + t("The newest published release is {newest}.", newest=newest) if newest else "")
        )
    elif newest and version != newest:
        if created and newest_created:
            older = t(
                "**You are viewing an older data release, {version}** (created {created}). The newest published release is "
                "{newest}, created {newest_created}: choose it under “Data release” in the sidebar.",
                version=version,
                created=escape_md(i18n.date(created)),
                newest=newest,
                newest_created=escape_md(i18n.date(newest_created)),
            )
        else:
            older = t(
                "**You are viewing an older data release, {version}**. The newest published release is {newest}: "
                "choose it under “Data release” in the sidebar.",
                version=version,
                newest=newest,
            )
        parts.append(older)
    if lacks:
        what = []
        if lacks.sections:
            n = len(lacks.sections)
            what.append(
                t("the data for {n} section of the pages (left out)", n=i18n.num(n))
                if n == 1
                else t("the data for {n} sections of the pages (left out)", n=i18n.num(n))
            )
        if lacks.rules:
            n = len(lacks.rules)
            what.append(
                t("{n} rule the rollout model uses (a stated default stands in)", n=i18n.num(n))
                if n == 1
                else t("{n} rules the rollout model uses (stated defaults stand in)", n=i18n.num(n))
            )
        listed = t("{first} and {second}", first=what[0], second=what[1]) if len(what) == 2 else what[0]
        parts.append(
            t("It lacks {what}; the list is just below.", what=listed)
            if parts
            else t("**Data release {version} lacks** {what}; the list is just below.", version=version, what=listed)
        )
    if not parts:
        return None
    details = []
    if lacks.sections:
        details.append(t("**Sections left out:**") + "\n" + "\n".join(f"- {escape_md(t_data(label))}" for label in lacks.sections))
    if lacks.rules:
        details.append(
            t("**Rules the rollout model uses, and the default that stands in for each:**")
            + "\n"
            + "\n".join(f"- {escape_md(t_data(what))}: {escape_md(t_data(default))}." for what, default in lacks.rules)
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
            with st.expander(t("What data release {version} lacks, and what stands in", version=version), icon=":material/history:"):
                st.markdown(text.details)


def glossary(release: Release) -> None:
    """The glossary in the sidebar on every page: every abbreviation and term the pages use, with its full name.
    Methodology lists the same terms in its Glossary section."""
    terms = display.texts(release).glossary()
    with st.sidebar.expander(t("Glossary of terms"), icon=":material/menu_book:"):
        st.markdown("\n".join(f"- **{escape_md(t.term)}**: {escape_md(t.expansion)}. {escape_md(t.definition)}" for t in terms))


def notice(text: str) -> None:
    """A one-line notice about the URL or the data (bad parameter, fallback used)."""
    st.info(text, icon=":material/info:")


_DRAFT: dict[int, tuple[Release, float]] = {}  # id(localized release) -> (it, its draft share): ~10 ms a run otherwise
_DRAFT_LOCK = threading.Lock()


def draft_share(release: Release) -> float:
    """i18n.draft_share of a (localized, read-only) release, computed once per release object (the last few kept)."""
    with _DRAFT_LOCK:
        hit = _DRAFT.get(id(release))
        if hit is not None and hit[0] is release:
            return hit[1]
    share = i18n.draft_share(release)
    with _DRAFT_LOCK:
        while len(_DRAFT) >= 8:
            _DRAFT.pop(next(iter(_DRAFT)))
        _DRAFT[id(release)] = (release, share)
    return share


def status_banner(release: Release | None = None) -> None:
    """The concept-status banner shown on every page (abbreviations spelled out from the release's glossary)."""
    texts = display.texts(release) if release is not None else None
    spelled = {k: escape_md(texts.first_use(k.upper())) if texts else k.upper() for k in ("navttc", "nvqf")}
    st.warning(status_text(**spelled), icon=":material/gavel:")
    if release is not None and i18n.current() != "en" and draft_share(release) > 0:
        st.caption(t(":material/translate: The Urdu translation is a draft: it has not yet been reviewed."))


def broken_releases_panel(reports: list[ValidationReport], asked: str | None) -> None:
    """List every published release that failed validation, with its located problems; the app keeps serving the rest.

    A broken draft is listed only when the link asks for it or when no published release can be served (it is not
    offered to visitors otherwise); the Data page's validation report lists every release, drafts included."""
    served = valid_versions(reports)
    broken = [r for r in reports if not r.valid and (r.published or r.version == asked or not served)]
    for r in broken:
        n = len(r.problems)
        if r.published:
            head = (
                t("Data release {version} failed validation ({n} problem) and is not served.", version=r.version, n=i18n.num(n))
                if n == 1
                else t("Data release {version} failed validation ({n} problems) and is not served.", version=r.version, n=i18n.num(n))
            )
        else:
            head = (
                t("Draft data release {version} failed validation ({n} problem) and is not served.", version=r.version, n=i18n.num(n))
                if n == 1
                else t("Draft data release {version} failed validation ({n} problems) and is not served.", version=r.version, n=i18n.num(n))
            )
        if served:
            head += " " + t("Showing release {version}.", version=served[0])
        with st.expander(head, expanded=False, icon=":material/error:"):
            table.show(problems_table(r.problems), hide_index=True)


def problems_table(problems: list) -> pd.DataFrame:
    """The located problems of a release as a table: its column ids in English (as the Data page's report and the
    tests read them), labelled in Urdu. In Urdu each rule reads as what it requires, in plain words (its id means
    nothing to a reader), and the validator's message is headed as its own words, in English; file, row, field and
    value stay as they are: they locate the problem for a maintainer."""
    frame = problems_frame(problems)
    if i18n.current() == "en":
        return frame
    heads = {
        "file": t("File"),
        "row": t("Row"),
        "field": t("Field"),
        "rule": t("What is wrong"),
        "value": t("Value"),
        "message": t("Details, as the validator wrote them (English)"),
    }
    return frame.assign(rule=[rule_text(str(r)) for r in frame["rule"]]).rename(columns=heads)


def current_release() -> Release:
    """The release chosen in the frame (pages call this; the frame guarantees a valid published one exists)."""
    lang.sync()  # the page's language: app.py sets it each run; a page run alone (as tests open one) sets it here
    version = st.session_state.get(RELEASE_KEY)
    for r in cached.release_reports():
        if r.version == version and r.valid:
            return i18n.localize(r.release)
    versions = valid_versions(cached.release_reports())
    return i18n.localize(next(r.release for r in cached.release_reports() if r.version == versions[0]))
