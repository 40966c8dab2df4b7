"""Sections of the Funding page: controls, the Sankey, the dual-track decision flow, the yearly mix, provenance.

The figures and tables are built by components.funding_figures (pure, cached by components.cached); this module
draws them in the shared chart frame.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from components import own_options, urlstate
from components.badges import param_badge
from components.chart import ChartData, chart_frame
from components.escape import escape_md
from components.funding_figures import (
    BranchData,
    FundingView,
    GapData,
    SankeyData,
    branches_caption,
    divisor,
    flow_summary,
    gap_source,
    model_source,
    money,
    quarter_text,
    source_kinds_text,
)
from pakcoe import Release, i18n
from pakcoe.display import texts
from pakcoe.model import Scenario, quarter_axis
from pakcoe.registry import ALL_PHASES
from pakcoe.release import per_release

T = TypeVar("T")
_kept_texts = per_release(lambda release: {})  # what the page writes from a release alone, per (what, language)


def kept(release: Release, what: tuple, build: Callable[[], T]) -> T:
    """`build()`, made once per release object, `what` and language (a release is read-only, so texts and tables built
    from it alone never change; the page's reruns reuse them). Callers treat the result as read-only."""
    memo = _kept_texts(release)
    key = (*what, i18n.current())
    if key not in memo:
        memo[key] = build()
    return memo[key]


def _option_starts(release: Release) -> tuple[dict[str, str], dict[str, str]]:
    """(option id -> name, option id -> start quarter) of the release's options."""
    options = release.table("options").set_index("option_id")
    return options["name"].to_dict(), {k: str(v) for k, v in options["start_quarter"].items()}


def _horizon_line(release: Release, start: str) -> str:
    """The line under the controls: the model horizon from `start` and the USD rate, with its badge."""
    usd = release.param("usd_pkr")
    horizon = int(release.param("horizon_quarters"))
    labels, _ = quarter_axis(start, horizon)
    return (
        i18n.t(
            "Amounts are over the model horizon, {first} to {last} ({n} quarters). USD amounts use PKR {rate} per USD",
            first=quarter_text(labels[0]),
            last=quarter_text(labels[-1]),
            n=horizon,
            rate=i18n.num(usd),
        )
        + f" {param_badge(release, 'usd_pkr')}"
    )


def controls(release: Release) -> FundingView:
    """Option, phase and currency, each kept in the URL (fund_option, fund_phase, fund_currency); the session's own
    options are offered after the release's and never reach the URL (components.own_options)."""
    names_of, starts = kept(release, ("options",), lambda: _option_starts(release))
    names = {**names_of, **own_options.labels(release)}
    mine = own_options.options(release)
    option = own_options.url_widget(st.pills, "funding", "fund_option", i18n.t("Rollout option"), extra=list(mine), format_func=names.get, required=True)
    c = st.columns([2, 1], vertical_alignment="bottom")
    with c[0]:
        phase = urlstate.widget(
            st.segmented_control,
            "funding",
            "fund_phase",
            i18n.t("Phase"),
            format_func=lambda p: i18n.t("All phases") if p == ALL_PHASES else i18n.t("Phase {n}", n=p),
            required=True,
        )
    with c[1]:
        currency = urlstate.widget(
            st.segmented_control,
            "funding",
            "fund_currency",
            i18n.t("Currency"),
            format_func=lambda c: c if i18n.current() == "en" else currency_name(c),
            required=True,
        )
    start = mine[option][1].start_quarter if option in mine else starts[option]
    st.markdown(kept(release, ("horizon", start), lambda: _horizon_line(release, start)))
    return FundingView(option, None if phase in (None, ALL_PHASES) else int(phase), currency or "PKR")


def own(release: Release, view: FundingView) -> tuple[str, Scenario] | None:
    """(the name shown, the Scenario) when the view's option is one of the session's own, else None."""
    mine = own_options.options(release)
    if view.option_id not in mine:
        return None
    name, scenario, _ = mine[view.option_id]
    return own_options.label(name), scenario


# A phone is too narrow for the Sankey's labels: there the same flows show as three short tables instead. The server
# cannot know the screen's width, so both are drawn and the screen's width picks one (the breakpoint where Streamlit
# stacks columns).
NARROW_CSS = """<style>
@media (max-width: 640px) { .st-key-funding-flow-wide { display: none !important; } .stMarkdownBadge { white-space: normal !important; } }
@media (min-width: 641px) { .st-key-funding-flow-narrow { display: none !important; } }
div[class*="st-key-branch-"] h3 { font-size: 1.25rem; }
div[class*="st-key-branch-"] h4 { font-size: 1.05rem; }
</style>"""


def currency_name(code: str) -> str:
    """A currency as the Urdu control shows it: its name and code ('روپے (PKR)')."""
    return i18n.t("Rupees (PKR)") if code == "PKR" else i18n.t("Dollars (USD)") if code == "USD" else code


def units(currency: str, what: str) -> str:
    """A chart's units line: 'PKR million, nominal, over the model horizon' / '... a year, nominal' (`what`:
    'horizon' or 'year')."""
    if what == "horizon":
        return i18n.t("{currency} million, nominal, over the model horizon", currency=currency)
    return i18n.t("{currency} million a year, nominal", currency=currency)


def terms(release: Release) -> None:
    """One line giving the full name of each abbreviation the page's amounts and funding sources use, before they do."""
    line = kept(release, ("terms",), lambda: _terms_line(release))
    if line:
        st.caption(line)


def _terms_line(release: Release) -> str | None:
    t = texts(release)
    names = " ".join(release.table("funding_sources")["name"].astype(str))
    used = [g for g in t.glossary() if g.term in ("PKR", "USD") or re.search(rf"(?<![A-Za-z0-9_&]){re.escape(g.term)}(?![A-Za-z0-9_&])", names)]
    return i18n.t("Abbreviations on this page: {list}.", list=i18n.t("; ").join(escape_md(g.first_use) for g in used)) if used else None


def key_figures(figures: tuple[tuple[str, str, str], ...]) -> None:
    """The Sankey's totals in big type above it: in all, and what each kind of source pays (amount and share)."""
    if not figures:
        return
    with st.container(key="funding-figures"):
        for column, (label, amount, what) in zip(st.columns(len(figures)), figures, strict=True):
            column.metric(label, amount)
            column.caption(escape_md(what))


def sankey_chart(release: Release, view: FundingView, built: SankeyData) -> None:
    """The Sankey in the chart frame on wide screens; on phones, the same flows as three tables (who pays, through
    which track, for what)."""
    st.html(NARROW_CSS)
    empty = None if any(v > 0 for v in built.node_totals.values()) else built.point + "."
    unit = units(view.currency, "horizon")
    kinds = kept(release, ("source kinds",), lambda: source_kinds_text(release))
    key_figures(built.figures)
    with st.container(key="funding-flow-wide"):
        chart_frame(
            built.figure,
            point=built.point,
            units=unit,
            release=release,
            source=model_source(),
            data=built.links,
            key="funding-sankey",
            alt=i18n.t("Sankey diagram: funding sources flow into the public or private track, which flow into the uses; node labels give each amount."),
            empty=empty,
        )
        st.caption(i18n.t("Read left to right: who pays → through which track → for what.") + f" {kinds}")
    with st.container(key="funding-flow-narrow"):
        with st.container(border=True):
            st.markdown(f"### {escape_md(empty or built.point)}")
            if empty is None:
                for stage, items in kept_for(built, ("flow summary", view.currency), lambda: flow_summary(release, built.node_totals, view.currency)):
                    st.markdown(f"**{escape_md(stage)}**\n" + "\n".join(f"- {escape_md(item)}" for item in items))
            st.caption(
                escape_md(i18n.t("Units: {units} · Data release {version} · Source: {source}", units=unit, version=release.version, source=model_source()))
            )
        st.caption(i18n.t("The money flows from who pays, through a track, to what it pays for.") + f" {kinds}")


_built: dict[tuple, tuple[object, object]] = {}  # (id of a cached bundle, what, language) -> (the bundle, what was made)
_built_lock = threading.Lock()


def kept_for(bundle: object, what: tuple, build: Callable[[], T]) -> T:
    """`build()`, made once per cached (read-only, shared) bundle object, `what` and language: the page's reruns get the
    same bundle from components.cached and reuse what was written from it (the last 64 kept)."""
    key = (id(bundle), *what, i18n.current())
    with _built_lock:
        hit = _built.get(key)
    if hit is not None and hit[0] is bundle:  # the bundle itself is kept with it, so its id is not reused meanwhile
        return hit[1]
    out = build()
    with _built_lock:
        while len(_built) >= 64:
            _built.pop(next(iter(_built)))
        _built[key] = (bundle, out)
    return out


def decision_flow(release: Release, built: list[BranchData], currency: str) -> None:
    """Three cards: the public funding decision's branches, each with its consequence from the model."""
    st.markdown(i18n.t("**Does the Government of Pakistan adopt and fund Pak AI CoE?** Each answer leads to a different rollout:"))
    d = divisor(release, currency)
    cols = st.columns(len(built))
    for i, (col, item) in enumerate(zip(cols, built)):
        b = item.branch
        with col.container(border=True, key=f"branch-{b.decision}"):
            st.markdown(f"### {i + 1} · {escape_md(b.title)}")  # under the section's h2; the chart's point below is h4
            st.markdown(f":material/arrow_forward: {escape_md(b.consequence)}")
            joins = (
                " " + i18n.t("Public money joins in {quarter}.", quarter=quarter_text(b.decision_quarter))
                if b.decision == "delayed" and b.decision_quarter
                else ""
            )
            st.caption(escape_md(i18n.t("Modelled as the option '{option}'.", option=b.option_name) + joins))
            chart_frame(
                item.figure,
                point=item.point,
                units=i18n.t("hubs open at the year's last modelled quarter"),
                release=release,
                source=i18n.t("Rollout model (version 2, this app), option '{option}'", option=b.option_name),
                data=item.table,
                key=f"branch-chart-{b.decision}",
                level=4,
                empty=None if b.hubs_at_end > 0 else i18n.t("No hub opens within the model horizon under '{option}'.", option=b.option_name),
            )
            st.markdown(
                "\n".join(
                    f"- {label}: **{money(v / d, currency)}**"
                    for label, v in (
                        (i18n.t("Government budgets"), b.government_money),
                        (i18n.t("International partners (non-government)"), b.international_money),
                        (i18n.t("Private sources"), b.private_money),
                        (i18n.t("Funding gap"), b.funding_gap),
                    )
                )
                + f"\n- {i18n.t('Total cost')}: {money(b.total_cost / d, currency)}"
            )
            st.caption(escape_md(item.gap))
    st.caption(kept_for(built, ("branches caption",), lambda: branches_caption([item.branch for item in built])))


def gap_chart(release: Release, view: FundingView, built: GapData) -> None:
    """The funding gap by year and source in the chart frame, or one sentence when there is none."""
    chart_frame(
        built.figure,
        point=built.point,
        units=units(view.currency, "year"),
        release=release,
        source=gap_source(),
        data=built.table,
        key="funding-gap",
        empty=None if built.figure is not None else built.point + ".",
    )
    if built.origin:
        st.caption(
            escape_md(built.origin)
            + " "
            + i18n.t(
                "Each source gives at most its yearly capacity; a hub whose share cannot be paid waits until the money is there, "
                "so the schedule slips and the gap is what the plan would have spent by then."
            )
        )


def mix_chart(release: Release, view: FundingView, built: ChartData) -> None:
    """The yearly mix in the chart frame."""
    table = built.table
    chart_frame(
        built.figure,
        point=built.point,
        units=units(view.currency, "year"),
        release=release,
        source=model_source(),
        data=table,
        key="funding-mix",
        empty=None if kept_for(built, ("spends",), lambda: bool(len(table)) and table.drop(columns=i18n.t("Year")).to_numpy().sum() > 0) else built.point + ".",
    )


def provenance_table(rows: list[dict[str, str]]) -> None:
    """The provenance rows as lists (badges render in them, and a list wraps on a phone where a five-column table would
    not), one tab per section group, one heading per branch; data text escaped (written once per cached rows object)."""
    labels, texts_ = kept_for(rows, ("provenance",), lambda: provenance_markdown(rows))
    tabs = st.tabs(labels)
    for tab, text in zip(tabs, texts_):
        tab.markdown(text)


def provenance_markdown(rows: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    """(tab labels, each tab's Markdown) of provenance_table."""
    groups = {"Sankey": i18n.t("Who pays for what"), "Branch": i18n.t("Decision branches"), "Model input": i18n.t("Model inputs")}
    labels = [f"{label} ({i18n.num(sum(r['section'].startswith(g) for r in rows))})" for g, label in groups.items()]
    texts_ = []
    for group in groups:
        lines: list[str] = []
        heading = None
        for r in rows:
            if not r["section"].startswith(group):
                continue
            if group == "Branch" and r["section"] != heading:
                heading = r["section"]
                lines.append(f"\n**{escape_md(heading.removeprefix('Branch: '))}**\n")
            lines.append(f"- **{escape_md(r['figure'])}**: {escape_md(r['value'])} {r['provenance']}  \n  *{i18n.t('Basis:')}* {escape_md(r['basis'])}")
        texts_.append("\n".join(lines))
    return labels, texts_
