"""The shared frame on every page: release selector, concept-status banner, broken-release panel, the release notice."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from components import cached, lang, notices, table
from components.escape import escape_md
from pakcoe import Release, ValidationReport, display, i18n, registry
from pakcoe.i18n import t
from pakcoe.lacks import Lacks
from pakcoe.lacks import holds as holds  # pages ask frame.holds(release, table) before drawing a section
from pakcoe.problems import rule_text
from pakcoe.release import problems_frame, valid_versions
from pakcoe.semver import semver_key

RELEASE_KEY = "release"
PINNED_KEY = "_release_pinned"  # session state: this session named its release (a link, or the selector)
PICKER_KEY = "release-picker"  # the sidebar's button that opens the list of releases
PICKED_KEY = "_release_picked"  # session state: the visitor picked a release in the selector since the last run
LOG = logging.getLogger("pakcoe.frame")


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


def view_link(release: str) -> str:
    """A link to this view (every parameter of the address) in `release`: relative (`?…`), so it keeps the page and
    whatever path the app is served under. The values are URL-encoded (safe inside a Markdown link)."""
    params = [(k, v) for k in st.query_params for v in st.query_params.get_all(k) if k != RELEASE_KEY]
    return "?" + urlencode([(RELEASE_KEY, release), *params])


def diff_link(old: str, new: str) -> str:
    """A link to the Data page's diff from release `old` to `new` (pinned to `new`, in the page's language)."""
    params = [(RELEASE_KEY, new), ("old", old), ("new", new)]
    if i18n.current() != "en":
        params.append((lang.KEY, i18n.current()))
    return f"{registry.page('data').url_path}?{urlencode(params)}"


def markdown_link(label: str, url: str) -> str:
    """A Markdown link; the label is escaped, the URL must already be URL-encoded."""
    return f"[{escape_md(label)}]({url})"


def _picked() -> None:
    """The selector's on_change: the visitor picked a release, which pins it (also the newest)."""
    st.session_state[PICKED_KEY] = True
    st.session_state[PINNED_KEY] = True


def release_selector(reports: list[ValidationReport], asked: str | None) -> str | None:
    """The sidebar's release picker: a button naming the release shown ("Data release 1.2.0") that opens the valid
    published releases as a list, newest first (the default, marked so); kept in the URL as ?release=.

    A valid draft is added only when the link names it; with no valid published release there is nothing to serve.

    The address is written here, by value, on every run (not by Streamlit's binding, which leaves out a value equal to
    the default): a session whose link named a release it offers, or whose visitor picked one, is pinned, and its
    release stays in the address on every page, the newest too; a session that never named one keeps a clean address
    and follows the newest. A page change drops the parameter and the run puts it back; an address that names another
    valid release than the session's (history navigation) is followed, unless the visitor has just picked one."""
    versions = valid_versions(reports)
    if not versions:
        return None
    draft = linked_draft(reports, asked)
    options = sorted([*versions, draft.version], key=semver_key, reverse=True) if draft else versions
    picked = st.session_state.pop(PICKED_KEY, False)
    if asked in options and not picked:
        st.session_state[RELEASE_KEY] = asked  # the link (a session's first run), a reload or history navigation
        st.session_state[PINNED_KEY] = True
    elif st.session_state.get(RELEASE_KEY) not in options:
        if asked is not None:
            notice(
                t(
                    "The link asked for data release '{asked}', which is not a valid published release here; showing release {newest}.",
                    asked=escape_md(asked),
                    newest=versions[0],
                )
                + " "
                + markdown_link(t("Open this view in release {newest}", newest=versions[0]), view_link(versions[0]))
            )
        st.session_state[RELEASE_KEY] = versions[0]
        st.session_state[PINNED_KEY] = False
    newest = versions[0]
    names = {
        v: t("{version} · newest", version=v) if v == newest else t("{version} · draft", version=v) if draft and v == draft.version else v for v in options
    }

    # A button naming the release shown that opens the list of releases (a radio group): one click more than a list
    # in the sidebar, and none of the cost of a select box, whose code (Streamlit loads a widget's code on its first
    # use) is not needed by the many pages that have none of their own: benchmarks/README "The release picker".
    with st.sidebar.popover(
        t("Data release {version}", version=st.session_state[RELEASE_KEY]),
        icon=":material/database:",
        key=PICKER_KEY,
        width="stretch",
        help=t("Every figure on every page comes from this release. Newest valid published release: {newest}.", newest=newest),
    ):
        # persist_state: kept across page switches (the list is not in the browser while the popover is closed, so the
        # browser does not send its value on a page switch, and Streamlit would drop it)
        chosen = st.radio(t("Data release"), options, key=RELEASE_KEY, on_change=_picked, format_func=names.get, persist_state="session")
    if st.session_state.get(PINNED_KEY):
        if st.query_params.get(RELEASE_KEY) != chosen:
            st.query_params[RELEASE_KEY] = chosen
    elif RELEASE_KEY in st.query_params:  # a value that is not a release offered here
        del st.query_params[RELEASE_KEY]
    return chosen


@dataclass(frozen=True)
class NoticeText:
    """The release notice: a short summary (always shown) and the details (what is missing, the defaults), in Markdown."""

    summary: str
    details: str  # '' when there is nothing to list


def notice_text(
    version: str,
    draft: bool,
    newest: str | None,
    lacks: Lacks,
    created: str = "",
    changed: int | None = None,
    same_view: str = "",
    diff: str = "",
) -> NoticeText | None:
    """The one release notice: a draft, an older release and everything the release lacks (None: nothing to say).

    An older release names the newest and how many things it changed that the page draws on (`changed`; None: not
    known), with links to the same view in the newest (`same_view`) and to the diff (`diff`); a draft links to the
    newest. Versions are shown as they are (valid releases have semver folder names); the data's texts are escaped."""
    parts, links = [], []
    same = markdown_link(t("Open this view in release {newest}", newest=newest), same_view) if newest and same_view else ""
    if draft:
        parts.append(
            t("**Draft release {version}.** This data release is not published: it may still change, and its figures are not final.", version=version)
            + (" " + t("The newest published release is {newest}.", newest=newest) if newest else "")
        )
        links += [same] if same else []
    elif newest and version != newest:
        if created:
            older = t("**You are viewing release {version}** ({created}).", version=version, created=escape_md(i18n.date(created)))
        else:
            older = t("**You are viewing release {version}**.", version=version)
        if changed is None:
            older += " " + t("The newest published release is {newest}.", newest=newest)
        elif changed == 0:
            older += " " + t("Release {newest} changed nothing this page draws on.", newest=newest)
        elif changed == 1:
            older += " " + t("Release {newest} changed {n} thing this page draws on.", newest=newest, n=i18n.num(changed))
        else:
            older += " " + t("Release {newest} changed {n} things this page draws on.", newest=newest, n=i18n.num(changed))
        parts.append(older)
        links += [same] if same else []
        if diff:
            links.append(markdown_link(t("What changed from release {old} to {new}", old=version, new=newest), diff))
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
    summary = " ".join(parts) + ("\n\n" + " · ".join(links) if links else "")  # the links: a line of their own
    return NoticeText(summary, "\n\n".join(details))


def changed_count(old: str, new: str, page: registry.Page | None) -> int | None:
    """Things release `new` changed from `old` in the tables `page` draws on (pakcoe.registry; every table for a page
    with `every_table`): rows added, removed or changed, and schema changes. None if the diff could not be made."""
    tables = None if page is None or page.every_table else page.tables
    try:
        return cached.release_diff(old, new, options=False).count(tables)
    except Exception:  # the notice still names the newest release; a page must never show a traceback
        LOG.exception("diff %s -> %s failed", old, new)
        return None


def release_notice(reports: list[ValidationReport], version: str, page: registry.Page | None = None) -> Callable[[], None]:
    """ONE notice, on every page, for everything a draft or older release lacks (drawn by the frame, never by a section):
    a short warning, with what the release lacks (and the defaults that stand in) folded under it. An older release's
    notice counts what the newest changed on `page` and links to the same view in the newest and to the diff.

    Returns `refresh`, to call once the page has run: the page writes its widgets' values to the address as it runs,
    and `refresh` redraws the links with them, so "the same view" is the view shown."""
    draft = any(r.version == version and not r.published for r in reports)
    published = valid_versions(reports)
    newest = published[0] if published else None
    created = {r.version: str(r.release.descriptor.get("created", "")) for r in reports if r.valid and r.release is not None}
    older = not draft and newest is not None and version != newest
    changed = changed_count(version, newest, page) if older and newest else None
    lacks = cached.release_lacks(version)

    def compose() -> NoticeText | None:
        return notice_text(
            version,
            draft,
            newest,
            lacks,
            created.get(version, ""),
            changed=changed,
            same_view=view_link(newest) if newest else "",
            diff=diff_link(version, newest) if older and newest else "",
        )

    text = compose()
    if text is None:
        return lambda: None
    icon = ":material/draft:" if draft else ":material/history:"
    with st.container(key="release-notice"):
        slot = st.empty()
        slot.warning(text.summary, icon=icon)
        if text.details:
            with st.expander(t("What data release {version} lacks, and what stands in", version=version), icon=":material/history:"):
                st.markdown(text.details)

    def refresh() -> None:
        again = compose()
        if again is not None and again.summary != text.summary:
            slot.warning(again.summary, icon=icon)

    return refresh


def glossary(release: Release) -> None:
    """The glossary in the sidebar on every page: every abbreviation and term the pages use, with its full name.
    Methodology lists the same terms in its Glossary section."""
    terms = display.texts(release).glossary()
    with st.sidebar.expander(t("Glossary of terms"), icon=":material/menu_book:"):
        st.markdown("\n".join(f"- **{escape_md(t.term)}**: {escape_md(t.expansion)}. {escape_md(t.definition)}" for t in terms))


def notice(text: str) -> None:
    """A one-line notice about the URL or the data (bad parameter, fallback used): at the top of the page
    (components/notices.py)."""
    notices.show(text)


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
    with st.container(key="pak-status"):  # also tells a projector page's layout that it is no longer shown (projector-shell.css)
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
    memo = cached.run_memo()  # asked for ~25 times a run (every URL-bound widget): looked up once per run
    key = ("current_release", version, i18n.current())
    if memo is not None and key in memo:
        return memo[key]
    release = _current_release(version)
    if memo is not None:
        memo[key] = release
    return release


def _current_release(version: str | None) -> Release:
    for r in cached.release_reports():
        if r.version == version and r.valid:
            return i18n.localize(r.release)
    versions = valid_versions(cached.release_reports())
    return i18n.localize(next(r.release for r in cached.release_reports() if r.version == versions[0]))
