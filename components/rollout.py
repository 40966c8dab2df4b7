"""Widgets and panels of the Phases and Compare pages: option pickers, custom-option levers, KPIs, charts, methodology."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlencode

import streamlit as st

from components import export_pack, printing, urlstate
from components.badges import badge
from components.chart import chart_frame
from components.escape import escape_md
from components.rollout_detail import SensitivityData, leader, range_help, range_texts
from components.rollout_figures import (
    CUSTOM,
    CUSTOM_LABEL,
    GAP_ZERO,
    MODEL_NOTE,
    WARNING_LABELS,
    CompareData,
    Lever,
    MethodologyText,
    PhasesData,
    custom_scenario,
    kpis,
    option_names,
)
from components.rollout_figures import at_horizon as at_horizon  # the Compare page's (pure; kept where it was)
from components.rollout_figures import scenarios as scenarios
from pakcoe import Release
from pakcoe.labels import decision_labels
from pakcoe.model import Scenario, quarter_index
from pakcoe.registry import MAX_OPTIONS
from pakcoe.uncertainty import Ranges

OPTIONS_KEY = "options"
BASELINE_KEY = "baseline"
GATING_KEY = "c_gating"
DIFFERENCES_KEY = "differences"


# ---------------------------------------------------------------------------------------------------
# Phases page


def option_picker(release: Release) -> str:
    """The option the Phases page shows; in the URL as ?option=."""
    names = option_names(release)
    return urlstate.widget(st.selectbox, "phases", "option", "Rollout option", format_func=names.get)


def phases_view(release: Release, data: PhasesData, option: str) -> None:
    """Gantt, cumulative hubs, phase gates and milestone table of one option, each in the chart frame."""
    name = option_names(release)[option]
    options = release.table("options").set_index("option_id")
    described = options.at[option, "description"] if "description" in options.columns else ""
    phases = release.table("phases")
    milestones = release.table("milestones")
    st.markdown(
        f"**{escape_md(name)}.** {escape_md(described)} In the model, from {data.first_quarter} to {data.last_quarter} "
        f"(the release's model horizon): {escape_md(data.summary_line)}."
    )
    briefing_pack(release, option)
    chart_frame(
        data.gantt,
        point="Phases as planned and as this option opens them, with the milestones (EXIT: an exit criterion) and when each exit gate is met",
        units="calendar quarters; bars labelled with hubs per phase",
        release=release,
        source="phases.csv and milestones.csv (proposal design, illustrative); option bars and gates: " + MODEL_NOTE,
        data=data.gantt_table,
        key="phases-gantt",
        alt=(
            f"Timeline of the {len(phases)} phases, planned and modelled, with the {len(milestones)} milestones; exit criteria are "
            "diamonds labelled EXIT; each phase's exit-gate row has a star where the model meets the gate, labelled with the quarter and how late."
        ),
    )
    chart_frame(
        data.hubs_fig,
        point=f"Hubs open over time under '{name}': {data.summary_line}",
        units="hubs open at the end of each quarter (cumulative; hubs never close); stars: the plan's total at each phase's end",
        release=release,
        source=MODEL_NOTE + "; targets from phases.csv",
        data=data.hubs_table,
        key="phases-hubs",
    )
    st.subheader("Phase gates: when the next phase may start")
    st.markdown(
        f"A phase's exit criteria gate the next phase: in the model the next phase opens hubs only from the quarter after its gate "
        f"is met (Methodology, phase gates). Under “{escape_md(name)}”, {escape_md(data.gates_line)}."
    )
    st.table(data.gates.set_index("Phase gate"))
    st.markdown(
        "**Exit criteria.** The model computes hubs open, provinces and districts reached and learners certified quarter by quarter; "
        "any other criterion is assumed met on its due date (not modelled)."
    )
    printing.table(data.criteria, hide_index=True, key="phases-criteria", column_config={"Exit criterion": st.column_config.TextColumn(width="large")})
    st.subheader("Milestones and exit criteria")
    st.caption("Every milestone of the release; the last column says when the model meets each exit criterion under this option.")
    printing.table(data.milestones, hide_index=True, key="phases-milestones", column_config={"what": st.column_config.TextColumn(width="large")})


def briefing_pack(release: Release, option: str) -> None:
    """The offline briefing pack of this option (components.export_pack): built when asked, its progress shown, then
    offered as a file in the same run (as the chart image buttons do); where it cannot be built here, the button is
    disabled and its help says why."""
    name = option_names(release)[option]
    reason = export_pack.unavailable(release)
    help_text = reason or (
        f"One HTML file for “{name}” that opens without internet: the presentation's stops with interactive charts and maps, "
        "key tables, sources and disclaimers, with the data release, today's date and how to cite it."
    )
    if not st.button("Briefing pack (offline HTML)", key="briefing-pack", icon=":material/description:", disabled=reason is not None, help=help_text):
        return
    with st.status(f"Building the briefing pack of “{escape_md(name)}”…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")
        try:
            html = export_pack.pack_html(release, option, progress=lambda done, what: bar.progress(done, text=escape_md(what)))
        except Exception:  # the page goes on; the log has the details
            logging.getLogger(__name__).exception("building the briefing pack of %s on %s failed", option, release.version)
            status.update(label="The briefing pack could not be built just now; try again.", state="error")
            return
        status.update(label=f"Briefing pack of “{escape_md(name)}” ready", state="complete", expanded=False)
    data = html.encode("utf-8")
    st.download_button(
        f"Save the briefing pack ({len(data) / 1e6:.1f} MB)",
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


def custom_levers(release: Release, lever_specs: tuple[Lever, ...], active: bool) -> Scenario:
    """The custom option's levers (URL-bound), and the Scenario they make."""
    if not active:
        st.caption("Add “Custom option” to the options above to compare it; these levers build it.")
    decision = urlstate.widget(
        st.segmented_control,
        "compare",
        "c_decision",
        "Public funding decision",
        format_func=decision_labels(release).get,
        required=True,
    )
    gating = urlstate.widget(
        st.toggle,
        "compare",
        GATING_KEY,
        "Phase gates hold the next phase back",
        help="On: a phase's hubs wait until the previous phase's exit gate is met. Off: gates are only reported, to compare without them.",
    )
    values: dict[str, float] = {}
    cols = st.columns(3)
    for i, lever in enumerate(lever_specs):
        with cols[i % 3]:
            values[lever.field] = urlstate.widget(st.slider, "compare", lever.key, lever.label, help=lever.help)
            if lever.badge:
                st.markdown(lever.badge)
    return custom_scenario(release, lever_specs, decision, bool(gating), values)


def option_choice(release: Release) -> tuple[list[str], str]:
    """2-4 options (URL ?options=, repeated) and the baseline among them (?baseline=)."""
    names = {**option_names(release), CUSTOM: CUSTOM_LABEL}
    default = urlstate.default_of("compare", OPTIONS_KEY)
    first_run = OPTIONS_KEY not in st.session_state.get(urlstate._SEEDED, set())
    urlstate.seed("compare", OPTIONS_KEY)
    chosen = st.session_state.get(OPTIONS_KEY) or []
    if first_run and not chosen:  # a link whose options are all unknown (the notice says so): the defaults
        st.session_state[OPTIONS_KEY] = chosen = default
    if len(chosen) > MAX_OPTIONS:
        st.info(f"The link names {len(chosen)} options; at most {MAX_OPTIONS} can be compared, so the first {MAX_OPTIONS} are shown.", icon=":material/info:")
        st.session_state[OPTIONS_KEY] = chosen[:MAX_OPTIONS]
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    with c1:
        chosen = urlstate.widget(
            st.multiselect,
            "compare",
            OPTIONS_KEY,
            "Options to compare (2 to 4)",
            format_func=names.get,
            max_selections=MAX_OPTIONS,
            placeholder="Choose 2 to 4 options",
        )
    if BASELINE_KEY in st.session_state and st.session_state[BASELINE_KEY] not in chosen:
        st.session_state[BASELINE_KEY] = chosen[0] if chosen else None  # the old baseline was removed from the options
    with c2:
        base = urlstate.widget(
            st.selectbox,
            "compare",
            BASELINE_KEY,
            "Baseline (deltas are against it)",
            default=chosen[0] if chosen else None,
            options=chosen or [],
            format_func=names.get,
        )
    return list(chosen or []), base or (chosen[0] if chosen else "")


def copy_link(box, release: Release) -> None:
    """Fill `box` with the page's full link (current query parameters + release), ready to copy."""
    params = [(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
    if "release" not in st.query_params:
        params.insert(0, ("release", release.version))
    base = re.sub(r"\?.*$", "", str(getattr(st.context, "url", "") or "")) or "compare"
    with box.container():
        st.markdown("**Link to this exact view** (options, baseline, levers and data release); copy it with the button at its right:")
        st.code(f"{base}?{urlencode(params)}", language=None, wrap_lines=True)


# ---------------------------------------------------------------------------------------------------
# Compare page: KPIs, charts, tables


def _quarters_between(a: str | None, b: str | None) -> int | None:
    if a is None or b is None:
        return None
    return quarter_index(a) - quarter_index(b)


def _metric(label: str, value: str, change: float | None, fmt: str, colour: str, help: str | None = None) -> None:
    """st.metric with a delta against the baseline; a zero change is shown as ±0 without an arrow or colour."""
    if change is None:
        st.metric(label, value, help=help)
    elif not re.sub(r"\D", "", fmt.format(change)).strip("0"):  # shows as zero at its precision: a tie, no arrow
        st.metric(label, value, "±0", delta_color="off", delta_arrow="off", delta_description="same as the baseline", help=help)
    else:
        st.metric(label, value, fmt.format(change), delta_color=colour, delta_description="vs the baseline", help=help)


def horizon_line(release: Release, data: CompareData) -> None:
    """The one horizon every option runs over, stated."""
    release_horizon = int(release.param("horizon_quarters")) if "horizon_quarters" in set(release.assumptions["param_id"]) else None
    longer = f", longer than the release's own model horizon of {release_horizon} quarters" if release_horizon and data.horizon > release_horizon else ""
    st.markdown(
        f"**Every option runs over the same horizon: {data.horizon} quarters, {data.first_quarter} to {data.last_quarter}**{longer}, "
        "long enough for each option shown to reach steady state (its last hub open, ramped up and certifying, plus a year). "
        "Totals and cost per certified learner are over this horizon for every option."
    )


def kpi_columns(data: CompareData, baseline: str, ranges: tuple[Ranges, ...]) -> None:
    """One column per option: headline figures with deltas against the baseline (normal: more is better; inverse: less is),
    and the 5th-95th percentile range beside each of the four uncertain headline figures."""
    base_i = data.labels.index(baseline) if baseline in data.labels else 0
    base = kpis(data.results[base_i])
    end = data.last_quarter
    cols = st.columns(len(data.labels))
    for i, (label, col) in enumerate(zip(data.labels, cols, strict=True)):
        k = kpis(data.results[i])
        is_base = i == base_i
        spread = range_texts(ranges[i])

        def change(name: str, k: dict = k, is_base: bool = is_base) -> float | None:
            if is_base or k[name] is None or base[name] is None:
                return None
            return float(k[name] - base[name])

        with col.container(border=True, key=f"kpi-{i}"):
            st.markdown(f"**{escape_md(label)}**" + (" :blue-badge[Baseline]" if is_base else ""))
            _metric("Hubs open at the end", f"{k['hubs']}", change("hubs"), "{:+,.0f}", "normal", f"Hubs open in {end}, the horizon's last quarter.")
            st.caption(str(spread["hubs_open"]))
            late = None if is_base else _quarters_between(k["complete"], base["complete"])
            _metric(
                "Whole network open from",
                k["complete"] or "not yet",
                None if late is None else float(late),
                "{:+.0f} quarters",
                "inverse",
                None if k["complete"] else f"Not every hub of the network is open by {end}, the end of the horizon.",
            )
            _metric("Learners certified", f"{k['certified']:,.0f}", change("certified"), "{:+,.0f}", "normal", f"Cumulative, by {end}.")
            st.caption(str(spread["learners_certified"]))
            _metric("Total cost (PKR bn)", f"{k['cost']:,.2f}", change("cost"), "{:+,.2f}", "off", "Capex + opex over the horizon, nominal.")
            st.caption(str(spread["total_cost"]))
            _metric("Public-track money (PKR bn)", f"{k['public_track']:,.2f}", change("public_track"), "{:+,.2f}", "off")
            _metric("Private-track money (PKR bn)", f"{k['private_track']:,.2f}", change("private_track"), "{:+,.2f}", "off")
            _metric("Funding gap (PKR M)", f"{k['gap']:,.0f}", change("gap"), "{:+,.0f}", "inverse", "Money missing against the plan at the planned time.")
            per = k["per_certified"]
            _metric(
                "Cost per certified (PKR k)",
                "n/a" if per is None else f"{per:,.0f}",
                change("per_certified"),
                "{:+,.0f}",
                "inverse",
                "Total cost over the horizon / learners certified by its end, PKR thousand per learner.",
            )
            st.caption(str(spread["cost_per_certified_learner"]))
    st.caption(range_help(ranges[0]) + " The figure above each range is the central run.")


def ties_panel(data: CompareData) -> None:
    """Options equal on a headline figure, stated as ties (never a winner)."""
    if data.ties:
        st.markdown("**Ties.** " + " ".join(escape_md(t) for t in data.ties))
    else:
        st.markdown("**Ties.** No two options are equal on any headline figure.")


def compare_charts(release: Release, data: CompareData) -> None:
    """The overlaid charts of the chosen options, in the chart frame (identical lines named; an all-zero chart is a sentence)."""
    certified = {label: r.summary.learners_certified for label, r in zip(data.labels, data.results, strict=True)}
    c1, c2 = st.columns(2)
    with c1:
        chart_frame(
            data.hubs_fig,
            point="When the hubs open under each option",
            units="hubs open at the end of each quarter",
            release=release,
            source=MODEL_NOTE,
            data=data.tables["hubs"],
            key="compare-hubs",
            note=data.identical["hubs"],
        )
    with c2:
        chart_frame(
            data.certified_fig,
            point=f"{leader(certified, f'learners certified by {data.last_quarter}')}",
            units="learners certified, cumulative",
            release=release,
            source=MODEL_NOTE,
            data=data.tables["certified"],
            key="compare-certified",
            note=data.identical["certified"],
        )
    chart_frame(
        data.spend_fig,
        point="Who pays: cumulative spend through the public and the private track",
        units="PKR billion, nominal, cumulative (capex + opex)",
        release=release,
        source=MODEL_NOTE + "; shares from funding_rules.csv",
        data=data.tables["spend"],
        key="compare-spend",
        note=data.identical["spend"],
    )
    c3, c4 = st.columns(2)
    with c3:
        chart_frame(
            data.gap_fig,
            point="Funding gap: money missing against the plan at the planned time",
            units="PKR million, cumulative",
            release=release,
            source=MODEL_NOTE + "; yearly capacities of the funding sources",
            data=data.tables["gap"],
            key="compare-gap",
            note=data.identical["gap"],
            empty=(
                f"No option has a funding gap by {data.last_quarter}: every source can pay its share of every hub at its planned quarter."
                if data.gap_total < GAP_ZERO
                else None
            ),
        )
    with c4:
        chart_frame(
            data.province_fig,
            point="Hubs per province and territory at the end of the horizon",
            units="hubs open at the horizon's end",
            release=release,
            source=MODEL_NOTE + "; hubs.csv provinces",
            data=data.tables["provinces"],
            key="compare-provinces",
        )


def gates_panel(data: CompareData) -> None:
    """When each phase gate is met under each option, and how late."""
    st.markdown(
        "The next phase starts only when the previous phase's exit gate is met (criteria the model does not compute are assumed "
        "met on their due date). Late gates move the whole next phase."
    )
    st.table(data.gates_by_option)


def warnings_panel(data: CompareData) -> None:
    """Each option's problems in plain words, with the lever that would address them (pakcoe.advice)."""
    cols = st.columns(min(len(data.labels), 2))
    for i, (label, found) in enumerate(zip(data.labels, data.warnings, strict=True)):
        with cols[i % len(cols)].container(border=True, key=f"warnings-{i}"):
            st.markdown(f"**{escape_md(label)}**")
            if not found:
                st.markdown(":material/check_circle: No problems found.")
                continue
            st.markdown(
                "\n".join(
                    f"- :material/warning: **{WARNING_LABELS.get(w.kind, 'Problem')}.** {escape_md(w.text)}  \n  *What would help:* {escape_md(w.lever)}"
                    for w in found
                )
            )


def sensitivity_chart(release: Release, data: SensitivityData, baseline: str) -> None:
    """The baseline option's sensitivity (tornado) chart in the chart frame, with its table."""
    chart_frame(
        data.figure,
        point=data.point,
        units="change against the central run: PKR per certified learner (top), learners certified (bottom); each assumption alone at its low and high bound",
        release=release,
        source="pakcoe.uncertainty on assumptions.csv bounds (illustrative assumptions)",
        data=data.table,
        key="compare-sensitivity",
        alt=f"Horizontal bars: for the baseline “{baseline}”, how much each assumption moves cost per certified learner and learners certified at its low and high bound.",
        empty=None if data.figure is not None else data.point + ".",
    )


def allocation_panel(release: Release, data: CompareData) -> None:
    """The allocation rules beside the release's list and each option's end state."""
    st.markdown(
        f"How the {len(release.hubs)} hubs could be shared among provinces and territories under each allocation rule (largest remainder; "
        "population and TVET institute counts from provinces.csv), beside the release's own hub list and each option at the horizon's end."
    )
    printing.table(data.tables["allocation"], hide_index=True, key="compare-allocation")
    st.caption(f"Equity floor: {badge(release, None, True)} at least {int(release.param('allocation_floor'))} hubs per province or territory.")


def what_differs(data: CompareData) -> None:
    """The options' levers: only those that differ (the default), or every lever with whether it differs."""
    only = urlstate.widget(
        st.toggle,
        "compare",
        DIFFERENCES_KEY,
        "Differences only",
        help="On: only the levers that differ between the options. Off: every lever, with whether it differs.",
    )
    if not only:
        printing.table(data.tables["levers"], hide_index=True, key="compare-levers")
    elif data.differs.empty:
        st.info("The chosen options have the same levers: their results are identical.", icon=":material/info:")
    else:
        printing.table(data.tables["differs"], hide_index=True, key="compare-differs")


# ---------------------------------------------------------------------------------------------------
# Methodology and data notes


def methodology(release: Release, text: MethodologyText) -> None:
    """Every formula (the model's docstring) and every assumption with its provenance."""
    st.markdown("Every formula the model uses, as written in `pakcoe/model.py` (the code follows this text; tests check it).")
    for title, body in text.sections:
        with st.expander(title):
            st.code(body, language=None, wrap_lines=True)
    st.subheader("Ranges and sensitivity (Compare page)")
    st.markdown("How the Compare page's low–high ranges and its sensitivity chart are computed, as written in `pakcoe/uncertainty.py`.")
    st.markdown(text.uncertainty)
    st.subheader("Assumptions")
    st.markdown(f"From assumptions.csv of data release {escape_md(release.version)}: central value, range, provenance and basis.")
    st.markdown(text.assumptions)


def data_notes(notes: tuple[str, ...]) -> None:
    """Known quirks of the data and the model, stated plainly (computed from the release: rollout_figures.data_notes)."""
    st.markdown("\n".join(f"- {note}" for note in notes))
