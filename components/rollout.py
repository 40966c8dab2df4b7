"""Widgets and panels of the Phases and Compare pages: option pickers, custom-option levers, KPIs, charts, methodology."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import streamlit as st

from components import urlstate
from components.badges import badge
from components.chart import chart_frame
from components.escape import escape_md
from components.rollout_figures import (
    CUSTOM,
    CUSTOM_LABEL,
    DECISION_LABELS,
    CompareData,
    Lever,
    MethodologyText,
    PhasesData,
    default_option,
    kpis,
    option_names,
)
from pakcoe import Release
from pakcoe.model import DECISIONS, Scenario, model_inputs, quarter_index, scenario_from_option

MAX_OPTIONS = 4
OPTIONS_KEY = "options"
BASELINE_KEY = "baseline"
MODEL_NOTE = "pakcoe.model run on this release (formulas under Methodology); every input is an illustrative assumption unless badged as sourced"


# ---------------------------------------------------------------------------------------------------
# Phases page


def option_picker(release: Release) -> str:
    """The option the Phases page shows; in the URL as ?option=."""
    names = option_names(release)
    return urlstate.widget(st.selectbox, "Rollout option", key="option", options=list(names), default=default_option(release), format_func=names.get)


def phases_view(release: Release, data: PhasesData, option: str) -> None:
    """Gantt, cumulative hubs and milestone table of one option, each in the chart frame."""
    name = option_names(release)[option]
    options = release.table("options").set_index("option_id")
    described = options.at[option, "description"] if "description" in options.columns else ""
    st.markdown(f"**{escape_md(name)}.** {escape_md(described)} In the model: {escape_md(data.summary_line)}.")
    chart_frame(
        data.gantt,
        point="Phases as planned and as this option opens them; diamonds marked EXIT are the exit criteria that gate the next phase",
        units="calendar quarters; bars labelled with hubs per phase",
        release=release,
        source="phases.csv and milestones.csv (proposal design, illustrative); option bars: " + MODEL_NOTE,
        data=data.gantt_table,
        key="phases-gantt",
        alt="Timeline of the three phases, planned and modelled, with the twelve milestones; exit criteria are diamonds labelled EXIT.",
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
    st.subheader("Milestones and exit criteria")
    st.caption(
        "Exit criteria gate the next phase in the proposal. The model does not gate phases (see the Methodology page): "
        "the last two columns show where the model can check a target, for this option."
    )
    st.dataframe(data.milestones, hide_index=True, key="phases-milestones", column_config={"what": st.column_config.TextColumn(width="large")})


# ---------------------------------------------------------------------------------------------------
# Compare page: option choice, baseline, custom levers


def _lever_cast(lever: Lever):
    return int if lever.integer else float


def _valid(lever: Lever):
    return lambda v: lever.low - 1e-9 <= v <= lever.high + 1e-9


def custom_levers(release: Release, lever_specs: tuple[Lever, ...], active: bool) -> Scenario:
    """The custom option's levers (URL-bound), and the Scenario they make."""
    opt = model_inputs(release).options[default_option(release)]
    if not active:
        st.caption("Add “Custom option” to the options above to compare it; these levers build it.")
    decision = urlstate.widget(
        st.segmented_control,
        "Public funding decision",
        key="c_decision",
        options=list(DECISIONS),
        default=str(opt["public_decision"]),
        format_func=DECISION_LABELS.get,
        required=True,
    )
    values: dict[str, float] = {}
    cols = st.columns(3)
    for i, lever in enumerate(lever_specs):
        with cols[i % 3]:
            cast = _lever_cast(lever)
            values[lever.field] = urlstate.widget(
                st.slider,
                lever.label,
                key=lever.key,
                default=cast(lever.default),
                cast=cast,
                valid=_valid(lever),
                min_value=cast(lever.low),
                max_value=cast(lever.high),
                step=cast(lever.step),
                help=lever.help,
            )
            if lever.badge:
                st.markdown(lever.badge)
    return Scenario(
        public_decision=decision,
        delay_quarters=int(values["delay_quarters"]),
        hub_target=int(values["hub_target"]),
        pace=float(values["pace"]),
        start_quarter=str(opt["start_quarter"]),
        option_id=CUSTOM,
        capex_multiplier=float(values["capex_multiplier"]),
        opex_multiplier=float(values["opex_multiplier"]),
        completion_rate=float(values["completion_rate"]),
        certification_rate=float(values["certification_rate"]),
        ramp_quarters=float(values["ramp_quarters"]),
        private_capacity=float(values["private_capacity"]),
    )


def option_choice(release: Release) -> tuple[list[str], str]:
    """2-4 options (URL ?options=, repeated) and the baseline among them (?baseline=)."""
    names = {**option_names(release), CUSTOM: CUSTOM_LABEL}
    ids = list(names)
    default = [o for o in ids if o != CUSTOM][:MAX_OPTIONS]
    first_run = OPTIONS_KEY not in st.session_state.get(urlstate._SEEDED, set())
    urlstate.seed(OPTIONS_KEY, options=ids, default=default, multi=True)
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
            "Options to compare (2 to 4)",
            key=OPTIONS_KEY,
            default=default,
            options=ids,
            multi=True,
            format_func=names.get,
            max_selections=MAX_OPTIONS,
            placeholder="Choose 2 to 4 options",
        )
    if BASELINE_KEY in st.session_state and st.session_state[BASELINE_KEY] not in chosen:
        st.session_state[BASELINE_KEY] = chosen[0] if chosen else None  # the old baseline was removed from the options
    with c2:
        base = urlstate.widget(
            st.selectbox,
            "Baseline (deltas are against it)",
            key=BASELINE_KEY,
            default=chosen[0] if chosen else None,
            options=chosen or [],
            format_func=names.get,
        )
    return list(chosen or []), base or (chosen[0] if chosen else "")


def scenarios(release: Release, chosen: list[str], custom: Scenario) -> tuple[tuple[Scenario, ...], tuple[str, ...]]:
    """The Scenario and the label of each chosen option, in the order chosen."""
    names = option_names(release)
    runs = tuple(custom if o == CUSTOM else scenario_from_option(release, o) for o in chosen)
    labels = tuple(CUSTOM_LABEL if o == CUSTOM else names[o] for o in chosen)
    return runs, labels


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
    elif abs(change) < 5e-3:
        st.metric(label, value, "±0", delta_color="off", delta_arrow="off", delta_description="same as the baseline", help=help)
    else:
        st.metric(label, value, fmt.format(change), delta_color=colour, delta_description="vs the baseline", help=help)


def kpi_columns(data: CompareData, baseline: str) -> None:
    """One column per option: headline figures with deltas against the baseline (normal: more is better; inverse: less is)."""
    base_i = data.labels.index(baseline) if baseline in data.labels else 0
    base = kpis(data.results[base_i])
    end = data.results[0].summary.last_quarter
    cols = st.columns(len(data.labels))
    for i, (label, col) in enumerate(zip(data.labels, cols, strict=True)):
        k = kpis(data.results[i])
        is_base = i == base_i

        def change(name: str, k: dict = k, is_base: bool = is_base) -> float | None:
            if is_base or k[name] is None or base[name] is None:
                return None
            return float(k[name] - base[name])

        with col.container(border=True, key=f"kpi-{i}"):
            st.markdown(f"**{escape_md(label)}**" + (" :blue-badge[Baseline]" if is_base else ""))
            _metric("Hubs open at the end", f"{k['hubs']}", change("hubs"), "{:+,.0f}", "normal", f"Hubs open in {end}, the horizon's last quarter.")
            late = None if is_base else _quarters_between(k["complete"], base["complete"])
            _metric("Whole network open from", k["complete"] or f"after {end}", None if late is None else float(late), "{:+.0f} quarters", "inverse")
            _metric("Learners certified", f"{k['certified']:,.0f}", change("certified"), "{:+,.0f}", "normal", f"Cumulative, by {end}.")
            _metric("Total cost (PKR bn)", f"{k['cost']:,.2f}", change("cost"), "{:+,.2f}", "off", "Capex + opex over the horizon, nominal.")
            _metric("Public-track money (PKR bn)", f"{k['public_track']:,.2f}", change("public_track"), "{:+,.2f}", "off")
            _metric("Private-track money (PKR bn)", f"{k['private_track']:,.2f}", change("private_track"), "{:+,.2f}", "off")
            _metric("Funding gap (PKR M)", f"{k['gap']:,.0f}", change("gap"), "{:+,.0f}", "inverse")
            per = k["per_certified"]
            _metric(
                "Cost per certified (PKR k)",
                "n/a" if per is None else f"{per:,.0f}",
                change("per_certified"),
                "{:+,.0f}",
                "inverse",
                "Total cost over the horizon / learners certified by its end, PKR thousand per learner.",
            )


def compare_charts(release: Release, data: CompareData) -> None:
    """The overlaid charts of the chosen options, in the chart frame."""
    ends = {label: r.summary for label, r in zip(data.labels, data.results, strict=True)}
    most = max(ends, key=lambda lb: ends[lb].learners_certified)
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
        )
    with c2:
        chart_frame(
            data.certified_fig,
            point=f"Most learners certified by {data.results[0].summary.last_quarter}: {most}",
            units="learners certified, cumulative",
            release=release,
            source=MODEL_NOTE,
            data=data.tables["certified"],
            key="compare-certified",
        )
    chart_frame(
        data.spend_fig,
        point="Who pays: cumulative spend through the public and the private track",
        units="PKR billion, nominal, cumulative (capex + opex)",
        release=release,
        source=MODEL_NOTE + "; shares from funding_rules.csv",
        data=data.tables["spend"],
        key="compare-spend",
    )
    c3, c4 = st.columns(2)
    with c3:
        chart_frame(
            data.gap_fig,
            point="No funding gap under any option: the release's funding shares cover every cost"
            if data.gap_total < 0.5
            else "Cost not covered by any source",
            units="PKR million, cumulative",
            release=release,
            source=MODEL_NOTE + "; funding_rules.csv",
            data=data.tables["gap"],
            key="compare-gap",
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


def allocation_panel(release: Release, data: CompareData) -> None:
    """The allocation rules beside the release's list and each option's end state."""
    st.markdown(
        f"How the {len(release.hubs)} hubs could be shared among provinces and territories under each allocation rule (largest remainder; "
        "population and TVET institute counts from provinces.csv), beside the release's own hub list and each option at the horizon's end."
    )
    st.dataframe(data.tables["allocation"], hide_index=True, key="compare-allocation")
    st.caption(f"Equity floor: {badge(release, None, True)} allocation_floor = {int(release.param('allocation_floor'))} hubs per province or territory.")


def what_differs(data: CompareData) -> None:
    """Only the levers that differ between the chosen options."""
    if data.differs.empty:
        st.info("The chosen options have the same levers: their results are identical.", icon=":material/info:")
    else:
        st.dataframe(data.tables["differs"], hide_index=True, key="compare-differs")


# ---------------------------------------------------------------------------------------------------
# Methodology and data notes


def methodology(release: Release, text: MethodologyText) -> None:
    """Every formula (the model's docstring) and every assumption with its provenance."""
    st.markdown("Every formula the model uses, as written in `pakcoe/model.py` (the code follows this text; tests check it).")
    for title, body in text.sections:
        with st.expander(title):
            st.code(body, language=None, wrap_lines=True)
    st.subheader("Assumptions")
    st.markdown(f"From assumptions.csv of data release {escape_md(release.version)}: central value, range, provenance and basis.")
    st.markdown(text.assumptions)


def data_notes(notes: tuple[str, ...]) -> None:
    """Known quirks of the data and the model, stated plainly (computed from the release: rollout_figures.data_notes)."""
    st.markdown("\n".join(f"- {note}" for note in notes))
