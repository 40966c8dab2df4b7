"""Widgets and panels of the Phases and Compare pages: option pickers, custom-option levers, KPIs, charts, methodology."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import export_pack, notices, own_options, table, urlstate
from components.badges import badge
from components.chart import chart_frame
from components.escape import escape_html, escape_md
from components.rollout_detail import SensitivityData, gap_point, leader, network_point, qtr, spend_point
from components.rollout_figures import (
    CUSTOM,
    GAP_ZERO,
    CompareData,
    KeyFigures,
    Lever,
    PhaseGlance,
    PhasesData,
    custom_label,
    custom_scenario,
    lever_headers,
    model_note,
    option_names,
    release_source,
    warning_label,
)
from components.rollout_figures import at_horizon as at_horizon  # the Compare page's (pure; kept where it was)
from components.rollout_figures import scenarios as predefined_scenarios
from pakcoe import Release, i18n
from pakcoe.display import texts
from pakcoe.i18n import t
from pakcoe.labels import decision_labels
from pakcoe.model import Scenario, scenario_from_option
from pakcoe.registry import MAX_OPTIONS, UPLOADED

OPTIONS_KEY = "options"
BASELINE_KEY = "baseline"
GATING_KEY = "c_gating"
DECISION_KEY = "c_decision"  # the custom option's public funding decision
DIFFERENCES_KEY = "differences"


# ---------------------------------------------------------------------------------------------------
# Phases page


def terms_line(release: Release, *used: str) -> None:
    """The glossary's abbreviations that the page's data texts use (`used`), each with its full name, once near the top
    of the page: the first use of each term then comes with its full name."""
    words = set(re.findall(r"[A-Za-z&]+", " ".join(used)))
    found = [term for term in texts(release).glossary() if term.term in words and term.expansion and term.expansion != term.term]
    if found:
        st.caption(t("Abbreviations on this page: {terms}.", terms="; ".join(escape_md(term.first_use) for term in found)))


def phases_terms(release: Release) -> None:
    """terms_line over the Phases page's data texts: phase names, milestone titles and metrics, option names."""
    terms_line(
        release,
        *release.table("phases")["name"].astype(str),
        *release.table("milestones")["title"].astype(str),
        *release.table("milestones")["metric"].astype(str),
        *option_names(release).values(),
    )


def compare_terms(release: Release) -> None:
    """terms_line over the Compare page's texts: money in PKR, phase, option and funding-source names, assumption names."""
    terms_line(
        release,
        "PKR",
        *release.table("phases")["name"].astype(str),
        *option_names(release).values(),
        *release.table("funding_sources")["name"].astype(str),
        *release.assumptions["name"].astype(str),
    )


def option_picker(release: Release) -> str:
    """The option the Phases page shows; in the URL as ?option= (the session's own options after the release's, never
    in the URL: components.own_options)."""
    names = {**option_names(release), **own_options.labels(release)}
    mine = list(own_options.options(release))
    return own_options.url_widget(st.pills, "phases", "option", t("Rollout option"), extra=mine, format_func=names.get, required=True)


def phase_option(release: Release, option: str) -> tuple[Scenario, str, str]:
    """The Scenario, the name shown and the description of the Phases page's option (a predefined or an own one)."""
    mine = own_options.options(release)
    if option in mine:
        name, scenario, description = mine[option]
        return scenario, own_options.label(name), description
    options = release.table("options").set_index("option_id")
    described = str(options.at[option, "description"]) if "description" in options.columns else ""
    return scenario_from_option(release, option), option_names(release)[option], described


QUARTER_SPAN = re.compile(r"(\d{4}Q[1-4])–(\d{4}Q[1-4])")


def phase_cards(glance: tuple[PhaseGlance, ...]) -> None:
    """The phases at a glance, a card each: the plan, what the option opens, the exit gate (the Gantt below in words)."""
    if not glance:
        return
    for number, (column, card) in enumerate(zip(st.columns(len(glance)), glance, strict=True), start=1):
        with column, st.container(border=True, height="stretch", key=f"phase-card-{number}"):
            st.markdown(f"**{escape_md(card.title)}**")
            if card.scope:
                st.caption(escape_md(card.scope))
            # a span of quarters ("2027Q3–2028Q1") never breaks at its dash
            st.markdown("  \n".join(QUARTER_SPAN.sub("\\1\u2060–\u2060\\2", escape_md(line)) for line in (card.planned, card.option, card.gate)))


def phases_view(release: Release, data: PhasesData, option: str) -> None:
    """Gantt, cumulative hubs, phase gates and milestone table of one option, each in the chart frame."""
    _, name, described = phase_option(release, option)
    phases = release.table("phases")
    milestones = release.table("milestones")
    st.markdown(
        t(
            "**{name}.** {description} In the model, from {first} to {last} (the release's model horizon): {summary}.",
            name=escape_md(name),
            description=escape_md(described),
            first=qtr(data.first_quarter),
            last=qtr(data.last_quarter),
            summary=escape_md(data.summary_line),
        )
    )
    if own_options.is_own(option):
        own_options.link_note([option])
        st.caption(t("The briefing pack is made for the release's options; pick one of them to build it."))
    else:
        briefing_pack(release, option)
    phase_cards(data.glance)  # the summary in words, in the first screen
    st.header(t("Quarter by quarter: timeline, hubs and exit gates"), divider="gray")  # the section of the charts and tables (h2)
    chart_frame(
        data.gantt,
        point=t("Phases as planned and as this option opens them, with the milestones (EXIT: an exit criterion) and when each exit gate is met"),
        units=t("calendar quarters; bars labelled with hubs per phase"),
        release=release,
        source=t(
            "{source} (proposal design, illustrative); option bars and gates: {model}",
            source=release_source(release, "phases", "milestones"),
            model=model_note(),
        ),
        data=data.gantt_table,
        key="phases-gantt",
        alt=t(
            "Timeline of the {n} phases, planned and modelled, with the {m} milestones; exit criteria are "
            "diamonds labelled EXIT; each phase's exit-gate row has a star where the model meets the gate, labelled with the quarter and how late.",
            n=len(phases),
            m=len(milestones),
        ),
    )
    chart_frame(
        data.hubs_fig,
        point=t("Hubs open over time under '{name}': {summary}", name=name, summary=data.summary_line),
        units=t("hubs open at the end of each quarter (cumulative; hubs never close); stars: the plan's total at each phase's end"),
        release=release,
        source=t("{model}; targets from {source}", model=model_note(), source=release_source(release, "phases")),
        data=data.hubs_table,
        key="phases-hubs",
    )
    st.subheader(t("Phase gates: when the next phase may start"))
    st.markdown(
        t(
            "A phase's exit criteria gate the next phase: in the model the next phase opens hubs only from the quarter after its gate "
            "is met (Methodology, phase gates). Under “{name}”, {gates}.",
            name=escape_md(name),
            gates=escape_md(data.gates_line),
        )
    )
    table.static(data.gates.set_index(data.gates.columns[0]), name=t("Phase gates under “{option}”", option=name), index=True)
    st.markdown(
        t(
            "**Exit criteria.** The model computes hubs open, provinces and districts reached and learners certified quarter by quarter; "
            "any other criterion is assumed met on its due date (not modelled)."
        )
    )
    table.static(
        data.criteria.set_index(data.criteria.columns[1]), name=t("Exit criteria under “{option}”", option=name), index=True
    )  # its cells wrap: every column shows, on a phone too
    st.subheader(t("Milestones and exit criteria"))
    st.caption(t("Every milestone of the release; the last column says when the model meets each exit criterion under this option."))
    table.static(data.milestones.set_index(data.milestones.columns[0]), name=t("Milestones and exit criteria"), index=True)


def briefing_pack(release: Release, option: str) -> None:
    """The offline briefing pack of this option (components.export_pack): built when asked, its progress shown, then
    offered as a file in the same run (as the chart image buttons do); where it cannot be built here, the button is
    disabled and its help says why."""
    name = option_names(release)[option]
    reason = export_pack.unavailable(release)
    help_text = reason or t(
        "One HTML file for “{name}” that opens without internet: the presentation's stops with interactive charts and maps, "
        "key tables, sources and disclaimers, with the data release, today's date and how to cite it.",
        name=name,
    )
    if not st.button(t("Briefing pack (offline HTML)"), key="briefing-pack", icon=":material/description:", disabled=reason is not None, help=help_text):
        return
    with st.status(t("Building the briefing pack of “{name}”…", name=escape_md(name)), expanded=True) as status:
        bar = st.progress(0.0, text=t("Starting"))
        try:
            html = export_pack.pack_html(release, option, progress=lambda done, what: bar.progress(done, text=escape_md(what)))
        except Exception:  # the page goes on; the log has the details
            logging.getLogger(__name__).exception("building the briefing pack of %s on %s failed", option, release.version)
            status.update(label=t("The briefing pack could not be built just now; try again."), state="error")
            return
        status.update(label=t("Briefing pack of “{name}” ready", name=escape_md(name)), state="complete", expanded=False)
    data = html.encode("utf-8")
    st.download_button(
        t("Save the briefing pack ({size} MB)", size=i18n.num(len(data) / 1e6, 1)),
        data,
        file_name=export_pack.file_name(release, option),
        mime="text/html",
        key="briefing-pack-file",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )


# ---------------------------------------------------------------------------------------------------
# Compare page: option choice, baseline, custom levers


LEVERS_KEY = "fold-levers"  # the custom option's expander (its open state); folds.KEY's prefix, so tests open it too
_CUSTOM_SEEN = "_pak_custom_compared"  # session state: the custom option was among the options of the last run


def levers_box(chosen: list[str]) -> DeltaGenerator:
    """The custom option's expander. It reruns the page when opened or closed: while the custom option is not compared
    and the expander is closed, the page does not draw its levers (a first visit loads no slider code for them,
    components/folds.py); their values stay in the session (`persist_state`) and the link. It opens by itself when the
    custom option is added to the options, as the visitor then wants its levers."""
    compared = CUSTOM in chosen
    if compared and not st.session_state.get(_CUSTOM_SEEN):
        st.session_state[LEVERS_KEY] = True
    st.session_state[_CUSTOM_SEEN] = compared
    return st.expander(t("Custom option: levers"), expanded=compared, icon=":material/tune:", key=LEVERS_KEY, on_change="rerun")


def levers_in_link(lever_specs: tuple[Lever, ...]) -> bool:
    """Whether the page's link sets one of the custom option's levers: they are drawn then (and a bad value gets its
    notice), folded or not."""
    return any(k in st.query_params for k in (DECISION_KEY, GATING_KEY, *(lever.key for lever in lever_specs)))


def custom_levers(release: Release, lever_specs: tuple[Lever, ...], active: bool) -> Scenario:
    """The custom option's levers (URL-bound), and the Scenario they make."""
    if not active:
        st.caption(t("Add “Custom option” to the options above to compare it; these levers build it."))
    decision = urlstate.widget(
        st.segmented_control,
        "compare",
        DECISION_KEY,
        t("Public funding decision"),
        format_func=decision_labels(release).get,
        required=True,
    )
    gating = urlstate.widget(
        st.toggle,
        "compare",
        GATING_KEY,
        t("Phase gates hold the next phase back"),
        help=t("On: a phase's hubs wait until the previous phase's exit gate is met. Off: gates are only reported, to compare without them."),
    )
    values: dict[str, float] = {}
    cols = st.columns(3)
    for i, lever in enumerate(lever_specs):
        with cols[i % 3]:
            values[lever.field] = urlstate.widget(st.slider, "compare", lever.key, lever.label, help=lever.help)
            if lever.badge:
                st.markdown(lever.badge)
    return custom_scenario(release, lever_specs, decision, bool(gating), values)


def scenarios(release: Release, chosen: list[str], custom: Scenario) -> tuple[tuple[Scenario, ...], tuple[str, ...]]:
    """The Scenario and the label of each chosen option, in the order chosen: the release's, the custom option and the
    session's own options ("<name> (yours)")."""
    mine = own_options.options(release)
    runs: list[Scenario] = []
    labels: list[str] = []
    for o in chosen:
        if o in mine:
            runs.append(mine[o][1])
            labels.append(own_options.label(mine[o][0]))
        else:
            (run,), (label,) = predefined_scenarios(release, [o], custom)
            runs.append(run)
            labels.append(label)
    return tuple(runs), tuple(labels)


def option_choice(release: Release) -> tuple[list[str], str]:
    """2-4 options (URL ?options=, repeated) and the baseline among them (?baseline=); the session's own options are
    offered after the release's and never reach the URL (components.own_options)."""
    mine = list(own_options.options(release))
    names = {**option_names(release), CUSTOM: custom_label(), **own_options.labels(release)}
    default = urlstate.default_of("compare", OPTIONS_KEY)
    first_run = OPTIONS_KEY not in st.session_state.get(urlstate._SEEDED, set())
    urlstate.seed("compare", OPTIONS_KEY)
    chosen = st.session_state.get(OPTIONS_KEY) or []
    if first_run and not chosen:  # a link whose options are all unknown (the notice says so): the defaults
        st.session_state[OPTIONS_KEY] = chosen = default
    if len(chosen) > MAX_OPTIONS:
        notices.show(t("The link names {n} options; at most {max} can be compared, so the first {max} are shown.", n=len(chosen), max=MAX_OPTIONS))
        st.session_state[OPTIONS_KEY] = chosen[:MAX_OPTIONS]
    # the options take the whole width, so every chosen option's chip shows in full; the baseline sits below them
    chosen = own_options.url_widget(
        st.multiselect,
        "compare",
        OPTIONS_KEY,
        t("Options to compare (2 to 4)"),
        extra=mine,
        format_func=names.get,
        max_selections=MAX_OPTIONS,
        placeholder=t("Choose 2 to 4 options"),
    )
    if BASELINE_KEY in st.session_state and st.session_state[BASELINE_KEY] not in chosen:
        st.session_state[BASELINE_KEY] = chosen[0] if chosen else None  # the old baseline was removed from the options
    with st.columns([2, 3])[0]:
        base = own_options.url_widget(
            st.selectbox,
            "compare",
            BASELINE_KEY,
            t("Baseline (changes are against it)"),
            extra=mine,
            default=chosen[0] if chosen else None,
            options=chosen or [],
            format_func=names.get,
        )
    return list(chosen or []), base or (chosen[0] if chosen else "")


LINK_KEY = "compare-link"  # the copy-link box's widget key


def copy_link(box, release: Release, *, final: bool = True) -> None:
    """Fill `box` with the page's full link (current query parameters + release), ready to copy.

    Called twice a run: early (`final=False`, a read-only box with the link as the address holds it so far, so the
    first screen is complete and does not move), then at the end of the page, once every widget has written its value
    to the address (the box that stays, the same size in the same place)."""
    params = [(k, v) for k in st.query_params for v in st.query_params.get_all(k) if k != UPLOADED.name]  # the upload mark is this session's
    if "release" not in st.query_params:
        params.insert(0, ("release", release.version))
    base = re.sub(r"\?.*$", "", str(getattr(st.context, "url", "") or "")) or "compare"
    link = f"{base}?{urlencode(params)}"
    label = t("**Link to this exact view** (options, baseline, levers and data release): select it and copy it")
    help_text = t("Click in the box, select all (Ctrl+A or ⌘A) and copy (Ctrl+C or ⌘C).")
    # A text box, not st.code: st.code loads Streamlit's 1.5 MB syntax highlighter into every visit of the page. The box
    # always holds the current view's link (an edit is undone by the next run); the user selects it and copies it.
    with box.container():
        if not final:
            st.text_input(label, value=link, help=help_text, disabled=True)
            return
        st.session_state[LINK_KEY] = link
        st.text_input(label, key=LINK_KEY, help=help_text)


# ---------------------------------------------------------------------------------------------------
# Compare page: KPIs, charts, tables


def horizon_line(release: Release, data: CompareData) -> None:
    """The one horizon every option runs over, stated."""
    release_horizon = int(release.param("horizon_quarters")) if "horizon_quarters" in set(release.assumptions["param_id"]) else None
    longer = t(", longer than the release's own model horizon of {n} quarters", n=release_horizon) if release_horizon and data.horizon > release_horizon else ""
    st.markdown(
        t(
            "**Every option runs over the same horizon: {n} quarters, {first} to {last}**{longer}, "
            "long enough for each option shown to reach steady state (its last hub open, ramped up and certifying, plus a year). "
            "Totals and cost per certified learner are over this horizon for every option.",
            n=data.horizon,
            first=qtr(data.first_quarter),
            last=qtr(data.last_quarter),
            longer=longer,
        )
    )


KEY_FIGURES_CSS = """<style>
.kf-box[dir="rtl"] .kf th, .kf-box[dir="rtl"] .kf td, .kf-box[dir="rtl"] .kf-caption { text-align: right !important; }
.kf-box[dir="rtl"] .kf { line-height: 2.1; }
.kf-box { width: 100%; overflow-x: auto; }
.kf { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 1rem; line-height: 1.35; }
.kf th, .kf td { border-bottom: 1px solid #D5DDDA; padding: 0.45rem 0.4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.kf thead th { border-bottom: 2px solid #14213D; font-weight: 700; }
.kf .kf-base { display: inline-block; margin-top: 0.2rem; padding: 0 0.4rem; border-radius: 0.5rem; background: #E1ECFB; color: #0B3D91; font-size: 0.85rem; font-weight: 600; }
.kf .kf-v { display: block; font-size: 1.15rem; font-weight: 700; }
.kf .kf-r, .kf .kf-d { display: block; font-size: 0.85rem; color: #3D4A45; }
.kf .kf-d { font-style: italic; }
.kf .kf-figure th { border-bottom: none; padding-bottom: 0; padding-top: 0.7rem; font-weight: 600; }
.kf .kf-label, .kf .kf-corner { display: none; }
@media print { .kf tbody { break-inside: avoid; } }
@media (min-width: 720px) {
  .kf .kf-label, .kf .kf-corner { display: table-cell; width: 26%; font-weight: 600; }
  .kf .kf-figure { display: none; }
}
</style>"""


def key_figures_html(figures: KeyFigures) -> str:
    """The compact table as HTML: one column per option, each cell the value, its range and its change against the
    baseline. On a narrow screen each figure's name is a row of its own above its values, so the options stay side by
    side (no column of names to squeeze them); from 720 px on, the names are the first column."""
    n = len(figures.options)
    head = "".join(
        f'<th scope="col">{escape_html(o)}' + (f'<br><span class="kf-base">{escape_html(t("Baseline"))}</span>' if i == figures.baseline else "") + "</th>"
        for i, o in enumerate(figures.options)
    )
    body = []
    for label, cells in figures.rows:
        name = escape_html(label)
        values = "".join(
            "<td>"
            + f'<span class="kf-v">{escape_html(c.value)}</span>'
            + (f'<span class="kf-r">{escape_html(c.range)}</span>' if c.range else "")
            + (f'<span class="kf-d">{escape_html(c.change)}</span>' if c.change else "")
            + "</td>"
            for c in cells
        )
        body.append(
            f'<tbody><tr class="kf-figure"><th scope="colgroup" colspan="{n}">{name}</th></tr>'
            f'<tr><th scope="row" class="kf-label">{name}</th>{values}</tr></tbody>'
        )
    return (
        f'{KEY_FIGURES_CSS}<div class="kf-box" dir="{i18n.direction()}" lang="{i18n.current()}"><table class="kf" data-options="{n}">'
        f'<caption class="kf-caption" style="caption-side: bottom; text-align: left; font-size: 0.85rem; color: #3D4A45; padding-top: 0.4rem;">'
        f"{escape_html(' '.join(figures.notes))}</caption>"
        f'<thead><tr><th scope="col" class="kf-corner">{escape_html(t("Headline figure"))}</th>{head}</tr></thead>{"".join(body)}</table></div>'
    )


def key_figures_table(figures: KeyFigures) -> None:
    """The options' headline figures side by side in one compact table (the Compare page's primary view, on every width)."""
    st.html(key_figures_html(figures))


def ties_panel(data: CompareData) -> None:
    """Options equal on a headline figure, stated as ties (never a winner)."""
    if data.ties:
        st.markdown(t("**Ties.** {ties}", ties=" ".join(escape_md(tie) for tie in data.ties)))
    else:
        st.markdown(t("**Ties.** No two options are equal on any headline figure."))


def compare_charts(release: Release, data: CompareData) -> None:
    """The overlaid charts of the chosen options, in the chart frame (identical lines named; an all-zero chart is a sentence)."""
    certified = {label: r.summary.learners_certified for label, r in zip(data.labels, data.results, strict=True)}
    c1, c2 = st.columns(2)
    with c1:
        chart_frame(
            data.hubs_fig,
            point=network_point(data.labels, data.results),
            units=t("hubs open at the end of each quarter"),
            release=release,
            source=model_note(),
            data=data.tables["hubs"],
            key="compare-hubs",
            note=data.identical["hubs"],
        )
    with c2:
        chart_frame(
            data.certified_fig,
            point=leader(certified, t("learners certified by {q}", q=qtr(data.last_quarter))),
            units=t("learners certified, cumulative"),
            release=release,
            source=model_note(),
            data=data.tables["certified"],
            key="compare-certified",
            note=data.identical["certified"],
        )
    chart_frame(
        data.spend_fig,
        point=spend_point(data.labels, *_track_totals(data)),
        units=t("PKR billion, nominal, cumulative (capital and operating cost)"),
        release=release,
        source=t("{model}; shares from {source}", model=model_note(), source=release_source(release, "funding_rules")),
        data=data.tables["spend"],
        key="compare-spend",
        note=data.identical["spend"],
    )
    c3, c4 = st.columns(2)
    with c3:
        chart_frame(
            data.gap_fig,
            point=gap_point(data.labels, [r.summary.funding_gap if r.summary.funding_gap >= GAP_ZERO else 0.0 for r in data.results], data.last_quarter),
            units=t("PKR million, cumulative; money missing against the plan at the planned time"),
            release=release,
            source=t("{model}; yearly capacities of the funding sources", model=model_note()),
            data=data.tables["gap"],
            key="compare-gap",
            note=data.identical["gap"],
            empty=(
                t("No option has a funding gap by {q}: every source can pay its share of every hub at its planned quarter.", q=qtr(data.last_quarter))
                if data.gap_total < GAP_ZERO
                else None
            ),
        )
    with c4:
        chart_frame(
            data.province_fig,
            point=t("Hubs per province and territory in {q}, the end of the horizon", q=qtr(data.last_quarter)),
            units=t("hubs open at the horizon's end"),
            release=release,
            source=t("{model}; provinces of {source}", model=model_note(), source=release_source(release, "hubs")),
            note=data.identical["provinces"],
            data=data.tables["provinces"],
            key="compare-provinces",
        )


_TOTALS: dict[int, tuple[CompareData, tuple[list[float], list[float]]]] = {}  # id -> (the cached comparison, its totals)


def _track_totals(data: CompareData) -> tuple[list[float], list[float]]:
    """Each option's public-track and private-track money over the horizon, PKR billion (as the spend chart ends);
    computed once per (cached, read-only) comparison."""
    hit = _TOTALS.get(id(data))
    if hit is not None and hit[0] is data:
        return hit[1]
    totals = _track_totals_of(data)
    while len(_TOTALS) >= 16:
        _TOTALS.pop(next(iter(_TOTALS)), None)
    _TOTALS[id(data)] = (data, totals)
    return totals


def _track_totals_of(data: CompareData) -> tuple[list[float], list[float]]:
    last = data.series.groupby("option", sort=False).tail(1).set_index("option")
    return (
        [float(last.at[label, "public-track spend, cumulative (PKR bn)"]) for label in data.labels],
        [float(last.at[label, "private-track spend, cumulative (PKR bn)"]) for label in data.labels],
    )


def gates_panel(data: CompareData) -> None:
    """When each phase gate is met under each option, and how late."""
    st.markdown(
        t(
            "The next phase starts only when the previous phase's exit gate is met (criteria the model does not compute are assumed "
            "met on their due date). Late gates move the whole next phase."
        )
    )
    table.static(data.gates_by_option, name=t("Phase gates: when each is met"), index=True)


def warnings_panel(data: CompareData) -> None:
    """Each option's problems in plain words, with the lever that would address them (pakcoe.advice)."""
    cols: list = []
    for i, (label, found) in enumerate(zip(data.labels, data.warnings, strict=True)):
        if i % 2 == 0:  # a row of two per pair: stacked on a phone, the options keep their order
            cols = st.columns(2)
        with cols[i % 2].container(border=True, key=f"warnings-{i}"):
            st.markdown(f"**{escape_md(label)}**")
            if not found:
                st.markdown(t(":material/check: No problems found."))
                continue
            st.markdown(
                "\n".join(
                    f"- :material/warning: **{escape_md(warning_label(w.kind))}.** {escape_md(w.text)}  \n  "
                    + t("*What would help:* {lever}", lever=escape_md(w.lever))
                    for w in found
                )
            )


def sensitivity_chart(release: Release, data: SensitivityData, baseline: str) -> None:
    """The baseline option's sensitivity (tornado) chart in the chart frame, with its table."""
    chart_frame(
        data.figure,
        point=data.point,
        units=t(
            "change against the central run: PKR per certified learner (top), learners certified (bottom); each assumption alone at its low and high bound"
        ),
        release=release,
        source=t(
            "{model}; each assumption at the low and high bound of {source} (illustrative assumptions)",
            model=model_note(),
            source=release_source(release, "assumptions"),
        ),
        data=data.table,
        key="compare-sensitivity",
        alt=t(
            "Horizontal bars: for the baseline “{name}”, how much each assumption moves cost per certified learner and learners certified at its low and high bound.",
            name=baseline,
        ),
        empty=None if data.figure is not None else data.point + ".",
    )


def allocation_panel(release: Release, data: CompareData) -> None:
    """The allocation rules beside the release's list and each option's end state."""
    st.markdown(
        t(
            "How the {n} hubs could be shared among provinces and territories under each allocation rule (largest remainder; "
            "population and TVET institute counts from {source}), beside the "
            "release's own hub list and each option at the horizon's end.",
            n=i18n.num(len(release.hubs)),
            source=release_source(release, "provinces"),
        )
    )
    table.static(
        data.provinces.set_index(data.provinces.columns[0]), name=t("Provinces: options and allocation rules"), index=True
    )  # every column shows, wrapped
    st.caption(
        t(
            "Equity floor: {badge} at least {n} hubs per province or territory.",
            badge=badge(release, None, True),
            n=int(release.param("allocation_floor")),
        )
    )


def what_differs(data: CompareData) -> None:
    """The options' levers: only those that differ (the default), or every lever with whether it differs."""
    only = urlstate.widget(
        st.toggle,
        "compare",
        DIFFERENCES_KEY,
        t("Differences only"),
        help=t("On: only the levers that differ between the options. Off: every lever, with whether it differs."),
    )
    headers = lever_headers()
    if not only:
        table.static(
            data.levers.rename(columns=headers).set_index(headers["lever"]), name=t("What differs between these options"), index=True
        )  # every option's column shows, wrapped
    elif data.differs.empty:
        st.info(t("The chosen options have the same levers: their results are identical."), icon=":material/info:")
    else:
        table.static(data.differs.rename(columns=headers).set_index(headers["lever"]), name=t("What differs between these options"), index=True)


# ---------------------------------------------------------------------------------------------------
# Methodology and data notes


def data_notes(notes: tuple[str, ...]) -> None:
    """Known quirks of the data and the model, stated plainly (computed from the release: rollout_figures.data_notes)."""
    st.markdown("\n".join(f"- {note}" for note in notes))
