"""Sections of the Overview page, each drawn from one part of the release (the chart is built by components.overview_figures).

The page is the first stop of a visit: the headline figures, a "start here" route per user group, then the story in
short (one line per card). Details sit in expanders or on the page that needs them (partners on Partners & roles,
milestones and gates on Phases).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from components.badges import badge, param_badge
from components.chart import ChartData, chart_frame
from components.escape import escape_md
from components.folds import folded
from components.overview_figures import pillars
from components.table import static as static_table
from pakcoe import Headline, Release, i18n
from pakcoe.display import texts
from pakcoe.lacks import holds
from pakcoe.release import per_release

T = TypeVar("T")
_kept_texts = per_release(lambda release: {})  # what the page writes from a release alone, per (what, language)


def kept(release: Release, what: str, build: Callable[[], T]) -> T:
    """`build()`, made once per release object, `what` and language: the page's texts and tables come from the release
    alone (read-only), so its reruns reuse them instead of walking the tables again. Callers treat them as read-only."""
    memo = _kept_texts(release)
    key = (what, i18n.current())
    if key not in memo:
        memo[key] = build()
    return memo[key]


# One route per user group: (page file, label, icon, who it is for), in English; start_routes() gives them in the current
# language. The pages are registered in pakcoe.registry.
START_HERE = (
    ("pages/map.py", "Explore the hubs", ":material/map:", "Where each proposed hub would be, what it offers and whom it reaches."),
    ("pages/present.py", "See the story", ":material/slideshow:", "The proposal as a short presentation, one point per slide."),
    ("pages/compare.py", "Compare rollout options", ":material/compare_arrows:", "Pace, cost and reach of each rollout option, side by side."),
)


def start_routes() -> tuple[tuple[str, str, str, str], ...]:
    """START_HERE in the current language."""
    said = (
        (i18n.t("Explore the hubs"), i18n.t("Where each proposed hub would be, what it offers and whom it reaches.")),
        (i18n.t("See the story"), i18n.t("The proposal as a short presentation, one point per slide.")),
        (i18n.t("Compare rollout options"), i18n.t("Pace, cost and reach of each rollout option, side by side.")),
    )
    return tuple((page, label, icon, line) for (page, _, icon, _), (label, line) in zip(START_HERE, said, strict=True))


_START_CSS = """<style>
.st-key-start-here [data-testid="stPageLink"] a { padding: 0.4rem 0.2rem; }
.st-key-start-here [data-testid="stPageLink"] a p { font-size: 1.2rem; font-weight: 600; }
</style>"""
_MILESTONE = re.compile(r"\bM\d+\b")


def missing(release: Release, *tables: str) -> bool:
    """True when the release predates a table a section needs (the frame's release notice says so; no notice here)."""
    return any(not holds(release, t) for t in tables)


def prose(release: Release, text: str) -> str:
    """Data prose as users read it: a milestone id written in the text ("milestone M14") becomes its title."""
    titles = texts(release)
    return _MILESTONE.sub(lambda m: f"“{titles.value('milestone_id', m.group(0), 'milestones')}”", str(text))


def quarter(q: str) -> str:
    """'2027Q1' -> '2027 Q1' (in Urdu in words: pakcoe.i18n.quarter)."""
    q = str(q)
    if i18n.current() != "en":
        return i18n.quarter(q)
    return f"{q[:4]} {q[4:]}" if re.fullmatch(r"\d{4}Q[1-4]", q) else q


def summary(release: Release, h: Headline) -> None:
    """The proposal in one paragraph (TVET and the currencies written out at first use)."""
    t = texts(release)
    st.markdown(
        i18n.t(
            "**A proposed network of AI Centers of Excellence for Pakistan**: a {n}-hub demonstrator cluster in {city} first, then "
            "{total} hubs across the major cities and {tvet} districts. Each hub is a training, project and industry-collaboration "
            "space for learners, instructors, startups and companies, built as a public–private effort. Costs are in {pkr} and "
            "{usd} terms.",
            n=h.demonstrator_hubs,
            city=escape_md(h.demonstrator_city),
            total=h.hubs_total,
            tvet=escape_md(t.first_use("TVET")),
            pkr=escape_md(t.first_use("PKR")),
            usd=escape_md(t.first_use("USD")),
        )
    )


def kpis(release: Release, h: Headline) -> None:
    """Headline figures, each with its provenance."""
    usd = release.param("usd_pkr")
    names = texts(release)
    c = st.columns(4)
    english = i18n.current() == "en"
    c[0].metric(
        i18n.t("Proposed hubs at full scale"), h.hubs_total if english else i18n.num(h.hubs_total), help=i18n.t("Proposal design (the release's hub list)")
    )
    c[0].caption(
        i18n.t(
            "{n} in the {city} demonstrator, over {districts} districts",
            n=h.demonstrator_hubs,
            city=escape_md(h.demonstrator_city),
            districts=h.demonstrator_districts,
        )
    )
    c[1].metric(i18n.t("Provinces and territories reached"), i18n.t("{n} of {total}", n=h.provinces_reached, total=len(release.table("provinces"))))
    most = sorted(h.hubs_by_province.items(), key=lambda item: -item[1])[:3]
    c[1].caption(i18n.t("Most in {list}", list=i18n.t(", ").join(f"{escape_md(names.province(p))} ({n})" for p, n in most)))
    c[2].metric(i18n.t("Learner places a year at full scale"), i18n.num(h.learner_capacity_per_year))
    c[2].markdown(param_badge(release, KPI_PARAMS[0]))
    capex = h.capex_pkr_m
    if english:
        c[3].metric("Capital cost at full scale", f"PKR {capex.central / 1000:,.1f} bn")
        c[3].caption(f"Range PKR {capex.low / 1000:,.1f}–{capex.high / 1000:,.1f} bn ≈ USD {capex.central / usd:,.0f} M at PKR {usd:,.0f}/USD")
    else:
        c[3].metric(i18n.t("Capital cost at full scale"), i18n.money_m(capex.central, "PKR"))
        c[3].caption(
            i18n.t(
                "Range {low} to {high} ≈ {usd} at PKR {rate} per USD",
                low=i18n.money_m(capex.low, "PKR"),
                high=i18n.money_m(capex.high, "PKR"),
                usd=i18n.money_m(capex.central / usd, "USD"),
                rate=i18n.num(usd),
            )
        )
    c[3].markdown(param_badge(release, KPI_PARAMS[1]))


def start_here() -> None:
    """One large route per user group: the hubs on the map, the story as a presentation, the rollout options compared."""
    st.html(_START_CSS)
    with st.container(key="start-here"):
        st.markdown(f"**{i18n.t('Start here')}**")
        routes = start_routes()
        cols = st.columns(len(routes))
        for col, (page, label, icon, line) in zip(cols, routes):
            with col.container(border=True):
                st.page_link(page, label=label, icon=icon, width="stretch")
                st.caption(line)


def hubs_by_phase_chart(release: Release, built: ChartData) -> None:
    """Hubs by phase and hub type, in the shared chart frame."""
    chart_frame(
        built.figure,
        point=built.point,
        units=i18n.t("proposed hubs"),
        release=release,
        source=i18n.t("the release's hub list and phases (proposal design)"),
        data=_chart_table(release, built),
        key="overview-hubs-by-phase",
    )


def _chart_table(release: Release, built: ChartData) -> pd.DataFrame:
    """The chart's data table with its headers in the current language, made once per cached chart (read-only)."""
    memo = _kept_texts(release)
    key = ("chart table", i18n.current())
    hit = memo.get(key)
    if hit is None or hit[0] is not built:
        hit = memo[key] = (built, built.table.rename(columns={"phase": i18n.t("Phase"), "type": i18n.t("Hub type"), "hubs": i18n.t("Hubs")}))
    return hit[1]


def gaps(release: Release) -> None:
    """Each structural gap in one line with the design pillar that answers it; its evidence and the full response folded."""
    cards, details = kept(release, "gaps", lambda: _gap_texts(release))
    with st.container(border=True, key="gap-cards"):
        cols = st.columns(2)
        for i, card in enumerate(cards):
            cols[i % 2].markdown(card)
    if box := folded(i18n.t("Each gap's evidence and the design's response"), "gaps"):
        box.markdown("\n\n".join(details))  # one block: each text element costs the browser ~1 ms to draw


def _gap_texts(release: Release) -> tuple[list[str], list[str]]:
    """(each gap's card line, each gap's evidence and response) in Markdown."""
    table = release.table("gaps")
    named = pillars()
    arrow = ":material/arrow_back:" if i18n.is_rtl() else ":material/arrow_forward:"
    cards = [f"**{escape_md(g.title)}** {arrow} *{named[g.response_pillar]}*" for g in table.itertuples()]
    details = [
        f"**{escape_md(g.title)}.** {escape_md(g.description)}  \n*{i18n.t('Evidence:')}* {escape_md(g.evidence)} {badge(release, g.evidence_source_id)}  \n"
        f"**{named[g.response_pillar]}:** {escape_md(g.response)}"
        for g in table.itertuples()
    ]
    return cards, details


def hub_model(release: Release) -> None:
    """Who uses a hub, and the hub types, in a line each; what each user does and how they join, folded."""
    if missing(release, "hub_users"):
        return
    lines, details = kept(release, "hub_model", lambda: _hub_model_texts(release))
    for line in lines:
        st.markdown(line)
    if box := folded(i18n.t("What each user does, how they join, and what each hub type is"), "hub-users"):
        box.markdown("\n\n".join(details))


def _hub_model_texts(release: Release) -> tuple[list[str], list[str]]:
    """(the users' and the hub types' lines, each user's and hub type's details) in Markdown."""
    users = release.table("hub_users")
    types = release.table("hub_types")
    counts = release.hubs["hub_type"].value_counts()
    lines = [
        f"**{i18n.t('Who uses a hub:')}** " + " · ".join(escape_md(u) for u in users["user"]),
        f"**{i18n.t('{n} hub types:', n=len(types))}** "
        + " · ".join(
            escape_md(t.label)
            + " "
            + i18n.t("({n} hubs, {places} learner places a year each)", n=int(counts.get(t.hub_type, 0)), places=i18n.num(int(release.param(t.capacity_param))))
            for t in types.itertuples()
        ),
    ]
    programmes = release.table("programmes").set_index("programme_id")["name"]
    details = []
    for u in users.itertuples():
        tracks = i18n.t(", ").join(escape_md(programmes.get(p, p)) for p in u.programmes.split(";"))
        details.append(
            f"**{escape_md(u.user)}**: {escape_md(u.what_they_do)}  \n*{i18n.t('Tracks:')}* {tracks}. *{i18n.t('How they join:')}* {escape_md(u.how_they_join)}"
        )
    details += [f"**{escape_md(t.label)}**: {escape_md(t.description)}" for t in types.itertuples()]
    return lines, details


def phase1_design(release: Release) -> None:
    """The first phase's demonstrator in one line; its design, description and exit criteria folded."""
    line, description, elements, shown = kept(release, "phase1_design", lambda: _phase1_texts(release))
    st.markdown(line)
    if box := folded(i18n.t("The design in detail, and the exit criteria before national scale-up"), "phase1"):
        with box:
            st.markdown(description)
            if elements:
                st.markdown("\n".join(elements))  # one list, read as one by a screen reader
            st.markdown(i18n.t("**Exit criteria before national scale-up** (targets are illustrative)"))
            static_table(shown, name=i18n.t("Exit criteria before national scale-up"))  # wraps: every column shows
    st.page_link("pages/phases.py", label=i18n.t("Every phase, milestone and gate, on Phases"), icon=":material/timeline:")


def _phase1_texts(release: Release) -> tuple[str, str, list[str], pd.DataFrame]:
    """(the first phase's line, its description, the design's elements, its exit criteria as a labelled table)."""
    phases = release.table("phases").set_index("phase_id")
    first = phases.index.min()
    p = phases.loc[first]
    line = i18n.t("**{scope}**, {start} to {end}.", scope=escape_md(p["scope"]), start=quarter(p["start_quarter"]), end=quarter(p["end_quarter"]))
    elements = None if missing(release, "design_elements") else release.table("design_elements")
    named = pillars()
    lines = (
        [f"- **{escape_md(d.title)}** ({named[d.pillar].lower()}): {escape_md(d.description)}" for d in elements.itertuples()] if elements is not None else []
    )
    exits = release.table("milestones")
    exits = exits[exits["exit_criterion"] & (exits["phase_id"] == first)]
    shown = exits[["title", "metric", "target", "due_quarter"]].assign(due_quarter=[quarter(q) for q in exits["due_quarter"]])
    shown = texts(release).frame(shown, "milestones", keep=("title", "metric", "target"))
    return line, escape_md(p["description"]), lines, shown


def national_goals(release: Release, built: ChartData) -> None:
    """The national vision: one card per phase; the hubs-by-phase chart and the goals folded."""
    cards, goals = kept(release, "national_goals", lambda: _national_texts(release))
    with st.container(border=True, key="phase-cards"):
        cols = st.columns(len(cards))
        for col, card in zip(cols, cards):
            col.markdown(card)
    st.caption(i18n.t("The national vision is aspirational and contingent on interest, adoption and funding from government and private partners."))
    if box := folded(i18n.t("Hubs by phase and hub type (chart), and the national goals"), "goals"):
        with box:  # a first visit loads no chart code for it: the chart is drawn once opened (components/folds.py)
            hubs_by_phase_chart(release, built)
            if goals is not None:
                st.markdown(f"**{i18n.t('The national goals and how each is measured')}**")
                st.markdown("\n".join(goals))


def _national_texts(release: Release) -> tuple[list[str], list[str] | None]:
    """(one card per phase, the national goals' lines or None when the release has no goals) in Markdown."""
    cards = [
        f"**{i18n.t('Phase {n}: {name}', n=p.phase_id, name=escape_md(p.name))}**  \n"
        + i18n.t("{scope}, {start} to {end}", scope=escape_md(p.scope), start=quarter(p.start_quarter), end=quarter(p.end_quarter))
        for p in release.table("phases").itertuples()
    ]
    if missing(release, "goals"):
        return cards, None
    return cards, [f"- **{escape_md(g.goal)}**: {escape_md(prose(release, g.how_measured))}" for g in release.table("goals").itertuples()]


def informed_by(release: Release) -> None:
    """What the design learns from, each with its source and caveat (folded)."""
    if missing(release, "influences"):
        return
    lines = kept(release, "informed_by", lambda: _influence_lines(release))
    if box := folded(i18n.t("The {n} policies, programmes and comparables it learns from, each with its source", n=len(lines)), "influences"):
        box.markdown("\n".join(lines))


def _influence_lines(release: Release) -> list[str]:
    """Each influence with its source badge and caveat, in Markdown."""
    lines = []
    for i in release.table("influences").itertuples():
        src = badge(release, i.source_id) if isinstance(i.source_id, str) else f":gray-badge[{i18n.t('Proposal design')}]"
        lines.append(f"- **{escape_md(i.name)}**: {escape_md(i.how_it_shapes_the_design)} {src}  \n  *{escape_md(i.status_note)}*")
    return lines


def dual_track(release: Release) -> None:
    """The two tracks, one card each (when, who leads, partners' role); what happens when public money is late, folded."""
    if missing(release, "tracks"):
        return
    cols = st.columns(2)
    for col, t in zip(cols, release.table("tracks").itertuples()):
        with col.container(border=True):
            st.markdown(
                f"**{escape_md(t.name)}**: {escape_md(t.when)}  \n*{i18n.t('Led by')}* {escape_md(t.who_leads)}. *{i18n.t('Partners:')}* {escape_md(t.partners_role)}."
            )
    if box := folded(i18n.t("What happens if public funding is late or refused"), "late-funding"):
        box.markdown(
            i18n.t(
                "- **Adopted and funded on time**: partners co-implement within a national framework.\n"
                "- **Public funding delayed**: the private track keeps momentum; public money joins later.\n"
                "- **Not approved**: the private track becomes the rollout, at its own pace and funding capacity."
            )
        )
    st.page_link("pages/funding.py", label=i18n.t("Who pays for what on each track, on Funding"), icon=":material/account_balance:")


def is_and_is_not(release: Release) -> None:
    """How the concept differs from CoE-AI and the invitation to partners; what it is and is not yet, folded (the frame's
    status notice says it is not approved)."""
    if missing(release, "statements"):
        return
    distinct, invitations, is_, not_yet = kept(release, "is_and_is_not", lambda: _statement_texts(release))
    for text in distinct:
        st.info(text, icon=":material/call_split:")
    for text in invitations:
        st.success(text, icon=":material/handshake:")
    if box := folded(i18n.t("What Pak AI CoE is, and what it is not yet"), "is-and-is-not"):
        with box:
            left, right = st.columns(2)
            with left:
                st.markdown(f"**{i18n.t('Pak AI CoE is')}**")
                st.markdown(is_)
            with right:
                st.markdown(f"**{i18n.t('It is not yet')}**")
                st.markdown(not_yet)
    st.page_link("pages/partners.py", label=i18n.t("Each partner's role on each track, on Partners & roles"), icon=":material/handshake:")


def _statement_texts(release: Release) -> tuple[list[str], list[str], str, str]:
    """(how it differs from CoE-AI, the invitations to partners, what it is, what it is not yet) in Markdown."""
    s = release.table("statements")
    heading = i18n.t("Not the National AI Policy's CoE-AI centres.")
    distinct = [f"**{heading}** {escape_md(row.text)} {badge(release, row.source_id)}" for row in s[s["kind"] == "distinct_from"].itertuples()]
    invitations = [f"**{i18n.t('An invitation to partners.')}** {escape_md(row.text)}" for row in s[s["kind"] == "invitation"].itertuples()]
    is_ = "  \n".join(f":material/check: {escape_md(row.text)}" for row in s[s["kind"] == "is"].itertuples())
    not_yet = "  \n".join(f":material/close: {escape_md(row.text)}" for row in s[s["kind"] == "is_not_yet"].itertuples())
    return distinct, invitations, is_, not_yet


KPI_PARAMS = ("capacity_standard", "capex_standard")  # the assumptions whose badges the headline figures show


def sources_used(release: Release) -> pd.DataFrame:
    """The sources this page cites (gaps' evidence, influences, statements, the headline figures' assumptions), for a
    footnote expander, with plain headers and no source ids (made once per release and language: read-only)."""
    return kept(release, "sources", lambda: _sources_used(release))


def _sources_used(release: Release) -> pd.DataFrame:
    cited: list[str] = list(release.assumptions.set_index("param_id").loc[list(KPI_PARAMS), "source_id"].dropna())
    for table, column in (("gaps", "evidence_source_id"), ("influences", "source_id"), ("statements", "source_id")):
        if holds(release, table):
            cited += list(release.table(table)[column].dropna())
    sources = release.table("sources")
    sources = sources[sources["source_id"].isin(set(cited))][["publisher", "title", "date", "uncertain"]]
    shown = sources.assign(
        date=[i18n.date(d) if isinstance(d, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) else (d if isinstance(d, str) else "") for d in sources["date"]],
        uncertain=[i18n.t("uncertain") if u else "" for u in sources["uncertain"]],
    )
    return texts(release).frame(shown, "sources")
