"""Figures and tables of the Phases and Compare pages, built from pakcoe.model runs (pure: no Streamlit; cached by components.cached)."""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, fields
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa

from components.badges import badge, param_badge
from components.chart import PALETTE, PATTERNS, FrozenFigure, style
from components.escape import escape_html, escape_md
from components.rollout_detail import (
    bidi,
    compare_gates,
    criteria_table,
    criterion_status,
    gate_status,
    gates_table,
    identical_groups,
    identical_note,
    label_margin,
    qtr,
    ties,
)
from components.rollout_detail import join as join_words
from pakcoe import Release, i18n
from pakcoe import model as model_doc
from pakcoe import uncertainty as uncertainty_doc
from pakcoe.advice import Warning, option_warnings
from pakcoe.allocation import allocate_hubs
from pakcoe.i18n import t
from pakcoe.labels import decision_labels
from pakcoe.levers import CUSTOM as CUSTOM
from pakcoe.levers import Lever as LeverSpec
from pakcoe.levers import default_option, option_names
from pakcoe.levers import levers as lever_specs
from pakcoe.model import ModelResult, Scenario, model_inputs, quarter_index, resolve_parameters, run_model, scenario_from_option

DASHES = ("solid", "dash", "dot", "dashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up")
CUSTOM_LABEL = "Custom option (your levers)"  # an English key: shown through custom_label()
MODEL_NAME = "the rollout model (version 2, this app)"  # how source lines name the model: never its module path
MODEL_NOTE = (
    "Rollout model (version 2, this app) run on this release, formulas under Methodology; every input is an illustrative assumption unless badged as sourced"
)
WARNING_LABELS = {
    "gate_never": "Phase gate never met",
    "network_incomplete": "Network not complete",
    "below_floor": "Below the floor",
    "funding_gap": "Funding gap",
    "gate_late": "Phase gate met late",
    "hubs_waiting": "Hubs waiting for money",
}
PKR_BN = 1000.0  # PKR million per billion


def custom_label() -> str:
    """The custom option's name in the current language."""
    return t("Custom option (your levers)")


def model_note() -> str:
    """MODEL_NOTE in the current language."""
    return t(
        "Rollout model (version 2, this app) run on this release, formulas under Methodology; every input is an illustrative assumption unless badged as sourced"
    )


def warning_label(kind: str) -> str:
    """A warning kind's name (WARNING_LABELS) in the current language."""
    return {
        "gate_never": t("Phase gate never met"),
        "network_incomplete": t("Network not complete"),
        "below_floor": t("Below the floor"),
        "funding_gap": t("Funding gap"),
        "gate_late": t("Phase gate met late"),
        "hubs_waiting": t("Hubs waiting for money"),
    }.get(kind, t("Problem"))


def quarter_ticks(axis: list[str], most: int = 6) -> dict:
    """A quarter axis's ticks in Urdu: one tick a year (its first quarter, labelled with the year; every other year, or
    fewer, when there would be more than `most` ticks: a narrow chart), the axis still left to right. English: {}
    (Plotly's own ticks, as before)."""
    if i18n.current() == "en":
        return {}
    firsts = [q for q in axis if str(q).endswith("Q1")] or list(axis[:1])
    step = max(1, math.ceil(len(firsts) / most))
    vals = firsts[::step]
    return {"tickmode": "array", "tickvals": vals, "ticktext": [str(q)[:4] for q in vals]}


def number_ticks(top: float, n: int = 5) -> dict:
    """Urdu tick values and labels of a count axis from 0 to `top` when it can pass 99,999 (Plotly cannot group
    lakh/crore): round steps, labels in lakh/crore words. {} otherwise (and always in English)."""
    if i18n.current() == "en" or top < 100_000:
        return {}
    raw = top / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    vals = [step * i for i in range(int(math.ceil(top / step)) + 1)]
    return {"tickmode": "array", "tickvals": vals, "ticktext": ["0" if v == 0 else bidi(i18n.compact(v, 1)) for v in vals]}


def _urdu_hover(name: str, x: list, y: list) -> dict:
    """A line's hover in Urdu: the quarter in words and the value with lakh grouping (English: Plotly's default)."""
    if i18n.current() == "en":
        return {}
    values = [i18n.num(float(v), 0 if float(v).is_integer() else 2) for v in y]
    return {
        "customdata": [[bidi(qtr(q)), v] for q, v in zip(x, values, strict=True)],
        "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<extra>" + name + "</extra>",
    }


def freeze(fig: go.Figure) -> FrozenFigure:
    """A FrozenFigure copy of a finished figure (do not change it afterwards)."""
    frozen = FrozenFigure(fig)
    frozen.to_dict()
    return frozen


def arrow(frame: pd.DataFrame) -> pa.Table | pd.DataFrame:
    """A table converted once for st.dataframe (which otherwise converts a DataFrame on every rerun). In Urdu the
    frame itself: Urdu tables are HTML (components.table), which reads a DataFrame."""
    if i18n.current() != "en":
        return frame.reset_index(drop=True)
    return pa.Table.from_pandas(frame, preserve_index=False)


def quarter_start(label: str) -> pd.Timestamp:
    """First day of a quarter 'YYYYQn'."""
    i = quarter_index(label)
    return pd.Timestamp(year=i // 4, month=3 * (i % 4) + 1, day=1)


def quarter_end(label: str) -> pd.Timestamp:
    """First day of the quarter after 'YYYYQn' (the end of a Gantt bar)."""
    i = quarter_index(label) + 1
    return pd.Timestamp(year=i // 4, month=3 * (i % 4) + 1, day=1)


def _house_layout(height: int) -> str:
    """components.chart.style()'s layout in the current language, as JSON (built once a height and language; copied
    for each raw figure)."""
    return _house_layout_in(height, i18n.current())


@lru_cache(maxsize=16)
def _house_layout_in(height: int, lang: str) -> str:
    with i18n.using(lang):
        return json.dumps(style(go.Figure(), height=height).to_dict()["layout"])


def raw_figure(traces: list[dict], layout: dict, height: int = 380) -> FrozenFigure:
    """A figure in the house style whose JSON is written directly, skipping Plotly's per-property validation
    (~7 ms a trace): the overlays are rebuilt on every lever move. `layout` entries update the house layout's."""
    merged = json.loads(_house_layout(height))
    for key, value in layout.items():
        old = merged.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            # an axis title given here keeps the house title's settings (in Urdu its standoff from the tick labels)
            title = {**old["title"], **value["title"]} if isinstance(old.get("title"), dict) and isinstance(value.get("title"), dict) else None
            value = {**old, **value, **({"title": title} if title else {})}
        merged[key] = value
    fig = FrozenFigure()
    fig.__dict__["_frozen_dict"] = {"data": traces, "layout": merged}
    return fig


def _line_trace(i: int, name: str, x: list, y: list) -> dict:
    """One option's line as a raw trace: its own colour, dash style and marker symbol (never colour alone)."""
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "name": name,
        "mode": "lines+markers",
        "line": {"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": 2.5},
        "marker": {"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 6},
        "legendgroup": name,
        **_urdu_hover(name, x, y),
    }


def _line(fig: go.Figure, i: int, name: str, x, y, *, row: int | None = None, col: int | None = None, showlegend: bool = True) -> None:
    """One option's line: its own colour, dash style and marker symbol (never colour alone)."""
    trace = go.Scatter(
        x=list(x),
        y=list(y),
        name=name,
        mode="lines+markers",
        line={"color": PALETTE[i % len(PALETTE)], "dash": DASHES[i % len(DASHES)], "width": 2.5},
        marker={"symbol": SYMBOLS[i % len(SYMBOLS)], "size": 6},
        legendgroup=name,
        showlegend=showlegend,
        **_urdu_hover(name, list(x), list(y)),
    )
    fig.add_trace(trace, row=row, col=col) if row else fig.add_trace(trace)


# ---------------------------------------------------------------------------------------------------
# Phases page


@dataclass(frozen=True)
class PhasesData:
    """Everything the Phases page shows for one option."""

    gantt: FrozenFigure
    gantt_table: pd.DataFrame
    hubs_fig: FrozenFigure
    hubs_table: pd.DataFrame
    milestones: pd.DataFrame
    summary_line: str
    not_opened: int
    gates: pd.DataFrame  # one row per phase gate: due, when the model meets it, how late
    criteria: pd.DataFrame  # every exit criterion: target, due, when the model meets it or "assumed met" (not modelled)
    gates_line: str  # the gates in one sentence
    first_quarter: str
    last_quarter: str
    glance: tuple[PhaseGlance, ...] = ()  # the phases at a glance, in words (the Gantt's summary, above it)


@dataclass(frozen=True)
class PhaseGlance:
    """One phase in words: its plan, what the option opens of it, its exit gate (the Phases page's cards)."""

    title: str
    scope: str
    planned: str
    option: str
    gate: str


def _glance(release: Release, result: ModelResult, names: dict[int, str], spans: list[dict]) -> tuple[PhaseGlance, ...]:
    phases = release.table("phases").sort_values("phase_id")
    opened = {row["phase"]: row for row in spans}
    gates = {g.phase_id: g for g in result.gates}
    cards = []
    for p in phases.itertuples():
        phase = int(p.phase_id)
        span = opened.get(phase)
        target = int(p.hub_target)
        if span is None:
            option = t("This option: none of its {n} hubs opens by {q}", n=i18n.num(target), q=qtr(result.summary.last_quarter))
        elif span["start"] == span["end"]:
            option = t("This option: {n} of {total} hubs, all in {q}", n=i18n.num(span["hubs"]), total=i18n.num(target), q=qtr(span["start"]))
        else:
            option = t(
                "This option: {n} of {total} hubs, {first}–{last}",
                n=i18n.num(span["hubs"]),
                total=i18n.num(target),
                first=qtr(span["start"]),
                last=qtr(span["end"]),
            )
        gate = gates.get(phase)
        cards.append(
            PhaseGlance(
                title=t("Phase {n}: {name}", n=phase, name=names[phase]),
                scope=str(p.scope) if "scope" in phases.columns else "",
                planned=t("Planned: {n} hubs, {first}–{last}", n=i18n.num(target), first=qtr(p.start_quarter), last=qtr(p.end_quarter)),
                option=option,
                gate=t("Exit gate: {status}", status=gate_status(gate, result.summary.last_quarter, result.scenario.gating))
                if gate is not None
                else _network_line(result),
            )
        )
    return tuple(cards)


def _network_line(result: ModelResult) -> str:
    """The last phase's card: when the whole network is open under the option, or that it is not within the horizon."""
    s = result.summary
    if s.network_complete_quarter:
        return t("The whole network is open from {q}", q=qtr(s.network_complete_quarter))
    return t("The network is not complete by {q}, the end of the horizon", q=qtr(s.last_quarter))


def source_title(release: Release, resource: str) -> str:
    """A release table as source lines name it: its title in the release's descriptor ("Phases"), never its file name."""
    for res in release.descriptor.get("resources", []):
        if res.get("name") == resource:
            return str(res.get("title") or res["name"].replace("_", " ").capitalize())
    return resource.replace("_", " ").capitalize()


def release_source(release: Release, *resources: str) -> str:
    """ "the release's Phases and Milestones tables": where a chart's figures come from, in words."""
    titles = [source_title(release, r) for r in resources]
    if i18n.current() != "en":
        titles = [i18n.data_text(release, title) for title in titles]
    if len(titles) > 1:
        return t("the release's {names} tables", names=join_words(titles))
    return t("the release's {names} table", names=_join(titles))


def wrap(text: str, width: int = 26, escape: bool = True) -> str:
    """A chart label broken into lines of about `width` characters with <br>, between words (never cut: the whole text
    stays readable on a phone-width chart); HTML in the text escaped (Plotly reads a subset of HTML) unless `escape`
    is False (a text the caller escaped already)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(escape_html(line) if escape else line for line in lines)


def milestone_rows(milestones: pd.DataFrame) -> dict[str, str]:
    """milestone id -> its Gantt row label: the title, wrapped (a title two milestones share gets its due quarter)."""
    titles = milestones["title"].astype(str)
    shared = set(titles[titles.duplicated(keep=False)])
    width = WRAP_WIDTH.get(i18n.current(), 26)
    return {
        str(m.milestone_id): bidi(wrap(t("{title} (due {q})", title=m.title, q=qtr(m.due_quarter)) if str(m.title) in shared else str(m.title), width))
        for m in milestones.itertuples()
    }


# characters a line of a Gantt row label (Urdu: Nastaliq lines stand taller, but longer lines would leave a phone's
# chart a sliver of plot beside the labels: 24 keeps the labels at three lines and the plot about 140 px wide at 390 px)
WRAP_WIDTH = {"en": 26, "ur": 24}


def _phase_row(phase: int, names: dict[int, str]) -> str:
    return bidi(wrap(t("Phase {n}: {name}", n=phase, name=names[phase]), WRAP_WIDTH.get(i18n.current(), 26)))


def _gate_row(phase: int) -> str:
    return bidi(wrap(t("Phase {n} exit gate (model, this option)", n=phase), WRAP_WIDTH.get(i18n.current(), 26)))


PLANNED = "Planned (the proposal's phase plan)"  # legend of the planned phase bars


def _option_spans(result: ModelResult, phase_names: dict[int, str]) -> list[dict]:
    hubs = result.hubs[result.hubs["in_network"] & result.hubs["open_t"].notna()]
    rows = []
    for phase, group in hubs.groupby("phase_id", sort=True):
        first = str(min(group["open_quarter"].astype(str), key=quarter_index))
        last = str(max(group["open_quarter"].astype(str), key=quarter_index))
        rows.append(
            {
                "row": _phase_row(int(phase), phase_names),
                "phase": int(phase),
                "kind": t("This option (model: hub openings)"),
                "start": first,
                "end": last,
                "hubs": len(group),
            }
        )
    return rows


def _model_check(result: ModelResult, metric: str, due: str, target: str) -> tuple[str, str]:
    """The model's value of a milestone metric at its due quarter, and whether it meets the target."""
    q = result.quarters.set_index("quarter")
    if due not in q.index:
        first = str(q.index[0])
        return (t("before the model's first quarter") if quarter_index(due) < quarter_index(first) else t("after the model's horizon")), "not modelled"
    row = q.loc[due]
    goal = str(target).split("/")[0].strip()
    if metric.startswith("hubs open"):
        value = float(row["hubs_active"])
        shown = t("{n} hubs open", n=i18n.num(value))
    elif metric.startswith("certified learners"):
        value = float(row["certified_cum"])
        shown = t("{n} learners certified", n=i18n.num(value))
    else:
        return t("not modelled"), "not modelled"
    try:
        met = "yes" if value >= float(goal) - 1e-9 else "NO (below target)"
    except ValueError:
        met = "not modelled"
    return shown, met


MILESTONES = "milestones"  # the `meta` of the Gantt's milestone traces: a projector leaves them out (components.stage)


def phases_data(release: Release, scenario: Scenario, option_name: str) -> PhasesData:
    """Gantt of phases (plan and this option) and milestones, cumulative hubs, milestone table (pure)."""
    result = run_model(release, scenario)
    phases = release.table("phases")
    names = {int(p): str(n) for p, n in zip(phases["phase_id"], phases["name"], strict=True)}
    rows = [
        {
            "row": _phase_row(int(p.phase_id), names),
            "kind": t("Planned (the proposal's phase plan)"),
            "start": p.start_quarter,
            "end": p.end_quarter,
            "hubs": int(p.hub_target),
        }
        for p in phases.sort_values("phase_id").itertuples()
    ]
    spans = _option_spans(result, names)
    rows += spans
    bars = pd.DataFrame(rows)
    fig = go.Figure()
    english = i18n.current() == "en"
    for i, (kind, group) in enumerate(bars.groupby("kind", sort=False)):
        starts = [quarter_start(s) for s in group["start"]]
        ends = [quarter_end(e) for e in group["end"]]
        hover = (
            {"hovertemplate": "%{y}<br>%{text}<br>%{base|%Y Q%q} → %{x}<extra>" + kind + "</extra>"}
            if english
            else {
                "customdata": [[bidi(qtr(a)), bidi(qtr(b))] for a, b in zip(group["start"], group["end"], strict=True)],
                "hovertemplate": "%{y}<br>%{text}<br>%{customdata[0]} → %{customdata[1]}<extra>" + escape_html(kind) + "</extra>",
            }
        )
        fig.add_trace(
            go.Bar(
                name=kind,
                y=list(group["row"]),
                x=[(e - s).total_seconds() * 1000 for s, e in zip(starts, ends, strict=True)],
                base=[s.isoformat() for s in starts],
                orientation="h",
                marker={"color": PALETTE[[0, 2][i % 2]], "pattern": {"shape": PATTERNS[[0, 1][i % 2]], "fillmode": "overlay"}},
                text=[bidi(t("{n} hubs", n=i18n.num(h))) for h in group["hubs"]],
                textposition="outside",
                textfont={"size": 12},
                cliponaxis=False,
                offsetgroup=str(i),
                **hover,
            )
        )
    ms = release.table("milestones").assign(_q=release.table("milestones")["due_quarter"].map(quarter_index)).sort_values(["phase_id", "_q", "milestone_id"])
    ms = ms.assign(row=ms["milestone_id"].astype(str).map(milestone_rows(ms)))
    order: list[str] = []  # each phase's row, its milestones' rows (one milestone a row), then its exit gate's row
    gated = {g.phase_id for g in result.gates}
    for p in sorted(names):
        order.append(_phase_row(p, names))
        order += list(ms.loc[ms["phase_id"] == p, "row"])
        if p in gated:
            order.append(_gate_row(p))
    for exit_, label, symbol, colour in (
        (True, t("Milestone with exit criterion (EXIT)"), "diamond", PALETTE[3]),
        (False, t("Milestone"), "circle-open", PALETTE[1]),
    ):
        sub = ms[ms["exit_criterion"].astype(bool) == exit_]
        if sub.empty:
            continue
        fig.add_trace(
            go.Scatter(
                name=label,
                x=[(quarter_start(q) + pd.Timedelta(days=45)).isoformat() for q in sub["due_quarter"]],
                y=list(sub["row"]),
                mode="markers+text",
                marker={"symbol": symbol, "size": 14, "color": colour, "line": {"width": 2, "color": colour}},
                text=[t("EXIT") if exit_ else "" for _ in range(len(sub))],
                textposition="middle right",
                textfont={"size": 12, "color": colour},
                customdata=[[bidi(escape_html(title)), qtr(q)] for title, q in zip(sub["title"], sub["due_quarter"], strict=True)],
                hovertemplate="%{customdata[0]}<br>" + bidi(t("due %{customdata[1]}")) + "<extra>" + escape_html(label) + "</extra>",
                meta=MILESTONES,
            )
        )
    gate_rows = {g.phase_id: _gate_row(g.phase_id) for g in result.gates}
    shown = [g for g in result.gates if gate_rows[g.phase_id] in order]
    for met, label, symbol, colour in (
        (True, t("Exit gate met (model, this option)"), "star", PALETTE[4]),
        (False, t("Exit gate not met within the horizon"), "x", PALETTE[1]),
    ):
        gates = [g for g in shown if (g.met_quarter is not None) == met]
        if not gates:
            continue
        when = [g.met_quarter if met else result.summary.last_quarter for g in gates]
        starts = [quarter_index(str(q)) for q in bars["start"]] + [quarter_index(str(q)) for q in bars["end"]]
        middle = (min(starts) + max(starts)) / 2
        fig.add_trace(
            go.Scatter(
                name=label,
                x=[(quarter_start(q) + pd.Timedelta(days=45)).isoformat() for q in when],
                y=[gate_rows[g.phase_id] for g in gates],
                mode="markers+text",
                marker={"symbol": symbol, "size": 16, "color": colour, "line": {"width": 1, "color": "#14213D"}},
                # Urdu: its longer words in short lines, so the text stays inside a phone's narrow plot
                text=[
                    bidi(escape_html(status) if english else wrap(status, 18))
                    for status in (re.split("[;؛]", gate_status(g, result.summary.last_quarter, result.scenario.gating))[0] for g in gates)
                ],
                textposition=["middle right" if quarter_index(q) < middle else "middle left" for q in when],
                textfont={"size": 12, "color": "#14213D"},
                cliponaxis=False,
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", bargap=0.12)
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", title=None, type="category")
    quarters = [*bars["start"], *bars["end"], *ms["due_quarter"], *(g.met_quarter for g in result.gates if g.met_quarter), result.summary.last_quarter]
    first, last = min(map(str, quarters), key=quarter_index), max(map(str, quarters), key=quarter_index)
    # room after the last bar for its "… hubs" label and the EXIT marks: nothing is clipped at the chart's edge
    span = [(quarter_start(first) - pd.DateOffset(months=3)).isoformat(), (quarter_end(last) + pd.DateOffset(months=21)).isoformat()]
    # one tick a year in English (Plotly turns the labels upright when they crowd); in Urdu Plotly's own spacing, which
    # thins the years on a narrow chart (upright Nastaliq-height labels would still crowd a phone's axis)
    fig.update_xaxes(type="date", title=t("Quarter"), showgrid=True, gridcolor="#E3E8E6", tickformat="%Y", range=span, **({"dtick": "M12"} if english else {}))
    # rows are evenly spaced: give every row the room of the longest label (lines of ~16 px; Nastaliq ~26 px), so wrapped labels never touch
    pitch = (16 if english else 30) * max(row.count("<br>") + 1 for row in order) + 12
    gantt = style(fig, height=230 + pitch * len(order))
    gantt.update_layout(**label_margin(order))

    q = result.quarters
    hubs_fig = go.Figure()
    _line(hubs_fig, 0, t("All hubs open"), q["quarter"], q["hubs_active"])
    total = q["hubs_active"].tolist()
    for i, (name, column) in enumerate(
        ((t("Opened by the public track"), "hubs_active_public_track"), (t("Opened by the private track"), "hubs_active_private_track")), start=1
    ):
        same = q[column].tolist() == total
        _line(hubs_fig, i, name + "<br>" + t("(same line as all hubs open)") if same else name, q["quarter"], q[column])
        if same:  # one track opens every hub: draw the total wide and pale underneath, so both lines stay visible
            hubs_fig.data[0].line.width = 9
            hubs_fig.data[0].opacity = 0.45
    cum_target = phases.sort_values("phase_id")["hub_target"].cumsum()
    hubs_fig.add_trace(
        go.Scatter(
            name=t("Planned total at each phase's end<br>(the proposal's phase plan)"),
            x=list(phases.sort_values("phase_id")["end_quarter"]),
            y=list(cum_target),
            mode="markers+text",
            marker={"symbol": "star", "size": 14, "color": PALETTE[3]},
            text=[bidi(t("plan: {n}", n=i18n.num(int(v)))) for v in cum_target],
            textposition="top center",
            cliponaxis=False,
            **_urdu_hover(
                t("Planned total at each phase's end<br>(the proposal's phase plan)"), list(phases.sort_values("phase_id")["end_quarter"]), list(cum_target)
            ),
        )
    )
    hubs_fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(q["quarter"]), title=t("Quarter"), **quarter_ticks(list(q["quarter"])))
    hubs_fig.update_yaxes(title=t("Hubs open (cumulative)"), range=[0, 1.25 * max(float(q["hubs_active"].max()), float(cum_target.max()))])
    hubs_table = pd.DataFrame(
        {
            t("Quarter"): [qtr(x) for x in q["quarter"].astype(str)],
            t("Hubs opening in the quarter"): q["hubs_opened"],
            t("Hubs open"): q["hubs_active"],
            t("Opened by the public track"): q["hubs_active_public_track"],
            t("Opened by the private track"): q["hubs_active_private_track"],
            t("Hubs waiting for money"): q["hubs_waiting"],
        }
    )

    status = {c.milestone_id: criterion_status(c, result.scenario.gating) for g in result.gates for c in g.criteria}
    table = []
    for m in ms.itertuples():
        table.append(
            {
                t("Milestone"): m.title,
                t("Phase"): f"{int(m.phase_id)}: {names[int(m.phase_id)]}",
                t("Due"): qtr(m.due_quarter),
                t("Exit criterion?"): t("yes: gates the next phase") if bool(m.exit_criterion) else t("no"),
                t("Target"): f"{m.target} ({m.metric})",
                t("In the model, {name}", name=option_name): status.get(m.milestone_id, t("not an exit criterion: not checked by the model")),
            }
        )
    s = result.summary
    not_opened = int(result.hubs["in_network"].sum()) - s.hubs_at_end
    line = t("{n} of {total} hubs open by {q}", n=i18n.num(s.hubs_at_end), total=i18n.num(s.hubs_in_network), q=qtr(s.last_quarter)) + (
        t("; the whole network is open from {q}", q=qtr(s.network_complete_quarter))
        if s.network_complete_quarter
        else t("; the network is not complete within the horizon")
    )
    gates_line = "; ".join(
        t("the exit gate of phase {n} is {status}", n=g.phase_id, status=gate_status(g, s.last_quarter, result.scenario.gating)) for g in result.gates
    )
    return PhasesData(
        freeze(gantt),
        pd.DataFrame(
            {
                t("Phase"): [html.unescape(re.sub("[\u202b\u202c]", "", r.replace("<br>", " "))) for r in bars["row"]],
                t("Bar"): bars["kind"],
                t("From"): [qtr(x) for x in bars["start"].astype(str)],
                t("To"): [qtr(x) for x in bars["end"].astype(str)],
                t("Hubs"): bars["hubs"],
            }
        ),
        freeze(style(hubs_fig)),
        hubs_table,
        pd.DataFrame(table),
        line,
        not_opened,
        gates_table(release, result),
        criteria_table(release, result),
        gates_line,
        s.first_quarter,
        s.last_quarter,
        _glance(release, result, names, spans),
    )


# ---------------------------------------------------------------------------------------------------
# Compare page

PARAM_ROWS: tuple[tuple[str, str], ...] = (
    ("public_decision", "Public funding decision"),
    ("delay_quarters", "Delay of public money (quarters)"),
    ("hub_target", "Network size (hubs)"),
    ("pace", "Pace (× planned timetable speed)"),
    ("start_quarter", "Start quarter"),
    ("gating", "Phase gates hold the next phase back"),
    ("capex_multiplier", "Capital cost multiplier"),
    ("opex_multiplier", "Operating cost multiplier"),
    ("completion_rate", "Completion rate"),
    ("certification_rate", "Certification rate"),
    ("ramp_quarters", "Ramp-up to full capacity (quarters)"),
    ("private_capacity", "Private-track funding capacity (PKR million a year)"),
    ("horizon_quarters", "Horizon (quarters)"),
)
LEVER_HEADERS = {"lever": "Lever", "same for every option?": "Same for every option?"}  # the levers tables' headers on screen (English keys)


def lever_headers() -> dict[str, str]:
    """LEVER_HEADERS in the current language."""
    return {"lever": t("Lever"), "same for every option?": t("Same for every option?")}


def lever_name(field: str) -> str:
    """A PARAM_ROWS lever's name in the current language."""
    return {
        "public_decision": t("Public funding decision"),
        "delay_quarters": t("Delay of public money (quarters)"),
        "hub_target": t("Network size (hubs)"),
        "pace": t("Pace (× planned timetable speed)"),
        "start_quarter": t("Start quarter"),
        "gating": t("Phase gates hold the next phase back"),
        "capex_multiplier": t("Capital cost multiplier"),
        "opex_multiplier": t("Operating cost multiplier"),
        "completion_rate": t("Completion rate"),
        "certification_rate": t("Certification rate"),
        "ramp_quarters": t("Ramp-up to full capacity (quarters)"),
        "private_capacity": t("Private-track funding capacity (PKR million a year)"),
        "horizon_quarters": t("Horizon (quarters)"),
    }.get(field, field)


GAP_ZERO = 0.5  # PKR million over the horizon: below this an option has no funding gap (as pakcoe.advice counts it)


def resolved_levers(release: Release, scenario: Scenario) -> dict[str, str]:
    """Every lever of a scenario as shown text, with the release's central value where the scenario has none."""
    params = model_inputs(release).params
    out: dict[str, str] = {}
    for field, _ in PARAM_ROWS:
        value = getattr(scenario, field)
        if value is None:
            value = params[field][0] if field in params else "—"
        if field == "public_decision":
            out[field] = decision_labels(release).get(str(value), str(value))
        elif field == "delay_quarters":
            out[field] = str(scenario.effective_delay) if scenario.public_decision == "delayed" else "—"
        elif field == "gating":
            out[field] = t("yes") if value else t("no (gates only reported)")
        elif isinstance(value, float):
            out[field] = i18n.num(value, 2).rstrip("0").rstrip(".") if not value.is_integer() else i18n.num(value)
        elif field == "start_quarter":
            out[field] = qtr(value)
        else:
            out[field] = str(value)
    return out


@dataclass(frozen=True)
class CompareData:
    """Everything the Compare page shows for 2-4 options run over one horizon: results, figures, tables, findings."""

    labels: tuple[str, ...]
    results: tuple[ModelResult, ...]
    hubs_fig: FrozenFigure
    certified_fig: FrozenFigure
    spend_fig: FrozenFigure
    gap_fig: FrozenFigure
    province_fig: FrozenFigure
    series: pd.DataFrame  # long: option, quarter, hubs, certified_cum, public/private track cum, gap cum
    provinces: pd.DataFrame  # province, release list, rules, one column per option
    differs: pd.DataFrame  # only the levers that differ
    levers: pd.DataFrame  # every lever, with whether it differs
    gap_total: float  # the largest funding gap of the options over the horizon (PKR million)
    identical: dict[str, str]  # chart -> note naming the options whose lines are identical ('' when none)
    ties: tuple[str, ...]  # sentences naming the options equal on a headline figure
    gates: pd.DataFrame  # phase gate x option: when it is met and how late
    gates_by_option: pd.DataFrame  # the same, one row per option (the page's table)
    warnings: tuple[tuple[Warning, ...], ...]  # per option, pakcoe.advice.option_warnings
    tables: dict[str, pa.Table]  # the same tables converted once for st.dataframe: hubs, certified, spend, gap, provinces, allocation, differs, levers, gates

    @property
    def horizon(self) -> int:
        """The one horizon every option ran over, in quarters."""
        return self.results[0].summary.horizon_quarters

    @property
    def first_quarter(self) -> str:
        return self.results[0].summary.first_quarter

    @property
    def last_quarter(self) -> str:
        return self.results[0].summary.last_quarter


def _styled_lines(labels: tuple[str, ...], axis: list, values: dict[str, list], extra: dict | None = None) -> list[dict]:
    """One trace per option; options with identical lines are named so, the first drawn wide and pale under the others."""
    groups = identical_groups(values)
    first_of = {m: g[0] for g in groups for m in g[1:]}
    under = {g[0] for g in groups}
    traces = []
    for i, label in enumerate(labels):
        trace = _line_trace(i, escape_html(label), axis, values[label])  # data text: Plotly reads a subset of HTML
        if label in first_of:
            trace["name"] = escape_html(label) + "<br>" + escape_html(t("(same line as {name})", name=first_of[label]))  # two lines: fits a phone's legend
        if label in under:
            trace["line"] = {**trace["line"], "width": 9}
            trace["opacity"] = 0.45
        traces.append({**trace, **(extra or {})})
    return traces


def compare_data(release: Release, scenarios: tuple[Scenario, ...], labels: tuple[str, ...], results: tuple[ModelResult, ...] | None = None) -> CompareData:
    """Run every scenario (unless its run is given) and build the overlaid figures, tables and findings (pure; cached by the caller).

    The scenarios come with one horizon (pakcoe.model.comparison_horizon): the caller sets it."""
    for s in scenarios:
        resolve_parameters(model_inputs(release), s)  # raises ValueError on a lever outside what the model accepts
    if results is None:
        results = tuple(run_model(release, s) for s in scenarios)
    axis = list(results[0].quarters["quarter"].astype(str))
    cols: dict[str, dict[str, list]] = {}
    for label, r in zip(labels, results, strict=True):
        q = r.quarters
        cols[label] = {
            "hubs open": q["hubs_active"].tolist(),
            "learners certified (cumulative)": q["certified_cum"].round(0).tolist(),
            "public-track spend, cumulative (PKR bn)": (q["track_public"].cumsum() / PKR_BN).round(3).tolist(),
            "private-track spend, cumulative (PKR bn)": (q["track_private"].cumsum() / PKR_BN).round(3).tolist(),
            "funding gap, cumulative (PKR M)": (q["funding_gap"].cumsum().round(3) + 0.0).tolist(),
        }
    names = list(next(iter(cols.values())))
    series = pd.DataFrame(
        {
            "option": [label for label in labels for _ in axis],
            "quarter": axis * len(labels),
            **{name: [v for label in labels for v in cols[label][name]] for name in names},
        }
    )

    def of(column: str) -> dict[str, list]:
        return {label: cols[label][column] for label in labels}

    ticks = quarter_ticks(axis)
    x_axis = {"type": "category", "categoryorder": "array", "categoryarray": axis, "title": {"text": t("Quarter")}, "nticks": 8, **ticks}

    def overlay(column: str, ytitle: str) -> FrozenFigure:
        top = max((float(v) for label in labels for v in cols[label][column]), default=0.0)
        yaxis = {"title": {"text": ytitle}, "rangemode": "tozero", **number_ticks(top)}
        return raw_figure(_styled_lines(labels, axis, of(column)), {"xaxis": x_axis, "yaxis": yaxis})

    gap_total = max(r.summary.funding_gap for r in results)
    hubs_fig = overlay("hubs open", t("Hubs open"))
    certified_fig = overlay("learners certified (cumulative)", t("Learners certified (cumulative)"))
    gap_fig = overlay("funding gap, cumulative (PKR M)", t("Funding gap, cumulative (PKR million)"))

    public_col, private_col = "public-track spend, cumulative (PKR bn)", "private-track spend, cumulative (PKR bn)"
    spend_traces = _styled_lines(labels, axis, of(public_col))
    spend_traces += [{**tr, "name": tr["name"], "showlegend": False} for tr in _styled_lines(labels, axis, of(private_col), {"xaxis": "x2", "yaxis": "y2"})]
    # each panel is half the chart's width: in Urdu at most 4 year ticks a panel
    x_common = {"type": "category", "categoryorder": "array", "categoryarray": axis, "nticks": 8, **(quarter_ticks(axis, most=4) if ticks else ticks)}
    house = json.loads(_house_layout(440))
    spend_fig = raw_figure(
        spend_traces,
        {
            "xaxis": {**x_common, "domain": [0, 0.48], "anchor": "y"},
            "xaxis2": {**house["xaxis"], **x_common, "domain": [0.52, 1], "anchor": "y2"},
            "yaxis": {"title": {"text": t("PKR billion, cumulative")}, "rangemode": "tozero", "anchor": "x"},
            "yaxis2": {**house["yaxis"], "matches": "y", "showticklabels": False, "anchor": "x2"},
            "annotations": [
                {
                    "text": title,
                    "x": x,
                    "y": 1.0,
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "center",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 16},
                }
                for title, x in ((t("Public track"), 0.24), (t("Private track"), 0.76))
            ],
            "legend": {"y": 1.12},
            "margin": {"t": 60},
        },
        height=440,
    )
    spend_groups = identical_groups({label: of(public_col)[label] + of(private_col)[label] for label in labels})

    provinces = allocation_table(release, labels, results)
    province_col = provinces.columns[0]
    hover = t("%{x}: %{y} hubs")
    # Urdu: horizontal bars, the province names as rows in short lines (long Nastaliq names side by side under the bars
    # would run into each other on a phone); English: upright bars as before
    across = i18n.current() != "en"
    names = [bidi(wrap(p, 16)) if across else escape_html(p) for p in provinces[province_col]]
    if across:
        hover = hover.replace("%{x}", "\0").replace("%{y}", "%{x}").replace("\0", "%{y}")
    bars = [
        {
            "type": "bar",
            "name": escape_html(label),
            **({"y": names, "x": provinces[label].tolist(), "orientation": "h"} if across else {"x": names, "y": provinces[label].tolist()}),
            "hovertemplate": hover + "<extra>" + escape_html(label) + "</extra>",
            "marker": {"color": PALETTE[i % len(PALETTE)], "pattern": {"shape": PATTERNS[i % len(PATTERNS)], "fillmode": "overlay"}},
        }
        for i, label in enumerate(labels)
    ]
    value_axis = {"title": {"text": t("Hubs open at the end of the horizon")}}
    province_fig = raw_figure(
        bars,
        {
            "barmode": "group",
            "xaxis": {**value_axis, "showgrid": True, "gridcolor": "#E3E8E6"},
            "yaxis": {"autorange": "reversed", "type": "category", "showgrid": False},
            **label_margin(names),
        }
        if across
        else {"barmode": "group", "yaxis": value_axis},
        height=max(380, 120 + len(names) * (12 * len(labels) + 14)) if across else 380,
    )

    resolved = [resolved_levers(release, s) for s in scenarios]
    rows = [{"lever": lever_name(field), **{label: lv[field] for label, lv in zip(labels, resolved, strict=True)}} for field, _ in PARAM_ROWS]
    same = [len({row[label] for label in labels}) == 1 for row in rows]
    for row, equal in zip(rows, same, strict=True):
        row["same for every option?"] = t("same") if equal else t("differs")
    every = pd.DataFrame(rows, columns=["lever", *labels, "same for every option?"])
    differs = every[[not e for e in same]].drop(columns="same for every option?").reset_index(drop=True)

    def wide(column: str) -> pd.DataFrame:
        return pd.DataFrame({t("Quarter"): [qtr(q) for q in axis], **{label: cols[label][column] for label in labels}})

    gates = compare_gates(release, labels, results)
    identical = {
        "hubs": identical_note(identical_groups(of("hubs open")), t("lines")),
        "certified": identical_note(identical_groups(of("learners certified (cumulative)")), t("lines")),
        "spend": identical_note(spend_groups, t("lines in both panels")),
        "gap": identical_note(identical_groups(of("funding gap, cumulative (PKR M)")), t("lines")),
        "provinces": identical_note(
            identical_groups({label: provinces[label].tolist() for label in labels}), t("bars"), t("the same hubs in every province and territory")
        ),
    }
    spend_table = series[["option", "quarter", public_col, private_col]]
    if i18n.current() != "en":
        spend_table = spend_table.assign(quarter=[qtr(q) for q in spend_table["quarter"]]).rename(
            columns={
                "option": t("Option"),
                "quarter": t("Quarter"),
                public_col: t("public-track spend, cumulative (PKR bn)"),
                private_col: t("private-track spend, cumulative (PKR bn)"),
            }
        )
    headers = lever_headers()
    tables = {
        "hubs": arrow(wide("hubs open")),
        "certified": arrow(wide("learners certified (cumulative)")),
        "spend": arrow(spend_table),
        "gap": arrow(wide("funding gap, cumulative (PKR M)")),
        "provinces": arrow(provinces[[province_col, *labels]]),
        "allocation": arrow(provinces),
        "differs": arrow(differs.rename(columns=headers)),
        "levers": arrow(every.rename(columns=headers)),
        "gates": arrow(gates),
    }
    warnings = tuple(tuple(option_warnings(release, r)) for r in results)
    return CompareData(
        labels,
        results,
        hubs_fig,
        certified_fig,
        spend_fig,
        gap_fig,
        province_fig,
        series,
        provinces,
        differs,
        every,
        gap_total,
        identical,
        ties(labels, results),
        gates,
        gates.set_index(list(gates.columns[:2]))
        .T.pipe(lambda f: f.set_axis([t("{gate} (due {q})", gate=g, q=d) for g, d in f.columns], axis=1))
        .rename_axis(t("Option")),
        warnings,
        tables,
    )


PROVINCE = "Province or territory"
RELEASE_LIST = "The release's hub list"


def allocation_table(release: Release, labels: tuple[str, ...], results: tuple[ModelResult, ...]) -> pd.DataFrame:
    """Hubs per province: the release's list, the three allocation rules (full network), and each option at its horizon's end."""
    floor = int(release.param("allocation_floor"))
    base = allocate_hubs(release, "population")
    out = pd.DataFrame({t("Province or territory"): base["name"], t("The release's hub list"): base["release_hubs"], t("Rule: population"): base["hubs"]})
    out[t("Rule: equity floor (≥ {n})", n=floor)] = allocate_hubs(release, "equity_floor")["hubs"].to_numpy()
    out[t("Rule: TVET-weighted")] = allocate_hubs(release, "tvet")["hubs"].to_numpy()
    for label, r in zip(labels, results, strict=True):
        out[label] = [r.summary.hubs_by_province_at_end.get(p, 0) for p in base["province_id"]]
    return out


def kpis(result: ModelResult) -> dict[str, float | str | None]:
    """Headline figures of one run, in display units."""
    s = result.summary
    per = s.cost_per_certified_learner
    return {
        "hubs": s.hubs_at_end,
        "complete": s.network_complete_quarter,
        "certified": s.learners_certified,
        "cost": s.total_cost / PKR_BN,
        "public_track": s.public_track_money / PKR_BN,
        "private_track": s.private_track_money / PKR_BN,
        "gap": 0.0 if s.funding_gap < GAP_ZERO else s.funding_gap,
        "per_certified": None if math.isnan(per) else per * 1000,  # PKR thousand
    }


@dataclass(frozen=True)
class FigureCell:
    """One option's value of one headline figure as shown: the central run, its range ('' when not drawn) and the
    change against the baseline in words ('' for the baseline itself or where no change can be stated)."""

    value: str
    range: str
    change: str


@dataclass(frozen=True)
class KeyFigures:
    """The Compare page's compact table: one column per option, one row per headline figure."""

    options: tuple[str, ...]
    baseline: int  # index of the baseline option
    rows: tuple[tuple[str, tuple[FigureCell, ...]], ...]  # (figure, one cell per option)
    notes: tuple[str, ...]  # what the figures mean (plain text)


# (kpis key, row label, format, ranges key): the headline figures in the order the compact table shows them
KEY_FIGURES: tuple[tuple[str, str, str, str], ...] = (
    ("hubs", "Hubs open at the end", "{:,.0f}", "hubs_open"),
    ("complete", "Whole network open from", "", ""),
    ("certified", "Learners certified", "{:,.0f}", "learners_certified"),
    ("cost", "Total cost (PKR billion)", "{:,.2f}", "total_cost"),
    ("public_track", "Public-track money (PKR billion)", "{:,.2f}", ""),
    ("private_track", "Private-track money (PKR billion)", "{:,.2f}", ""),
    ("gap", "Funding gap (PKR million)", "{:,.0f}", ""),
    ("per_certified", "Cost per certified learner (PKR thousand)", "{:,.0f}", "cost_per_certified_learner"),
)


def key_figure_label(key: str) -> str:
    """A KEY_FIGURES row's name in the current language."""
    return {
        "hubs": t("Hubs open at the end"),
        "complete": t("Whole network open from"),
        "certified": t("Learners certified"),
        "cost": t("Total cost (PKR billion)"),
        "public_track": t("Public-track money (PKR billion)"),
        "private_track": t("Private-track money (PKR billion)"),
        "gap": t("Funding gap (PKR million)"),
        "per_certified": t("Cost per certified learner (PKR thousand)"),
    }[key]


def _decimals(fmt: str) -> int:
    """The decimals of a KEY_FIGURES format ('{:,.2f}' -> 2)."""
    m = re.search(r"\.(\d+)f", fmt)
    return int(m.group(1)) if m else 0


def _shown(value: float, fmt: str) -> str:
    """A key figure's value in the current language: English by `fmt` (as before), Urdu with lakh grouping."""
    return fmt.format(value) if i18n.current() == "en" else i18n.num(value, _decimals(fmt))


def _change(change: float | None, fmt: str, unit: str = "") -> str:
    """'+12 vs the baseline', 'same as the baseline' when it shows as zero at its precision ('' for no change to state)."""
    if change is None:
        return ""
    shown = fmt.format(change)
    if not re.sub(r"\D", "", shown).strip("0"):
        return t("same as the baseline")
    if i18n.current() != "en":
        shown = ("+" if change > 0 else "−" if change < 0 else "") + i18n.num(abs(change), _decimals(fmt))
        return t("{change} vs the baseline", change="\u2066" + shown + unit + "\u2069")  # the signed number isolated left to right
    return t("{change} vs the baseline", change=f"{shown if fmt.startswith('{:+') else ('+' if change > 0 else '') + shown}{unit}")


def _later(quarters: int) -> str:
    """'4 quarters later than the baseline', '1 quarter earlier than the baseline', 'same quarter as the baseline'."""
    if quarters == 0:
        return t("same quarter as the baseline")
    n = abs(quarters)
    if quarters > 0:
        return t("1 quarter later than the baseline") if n == 1 else t("{n} quarters later than the baseline", n=n)
    return t("1 quarter earlier than the baseline") if n == 1 else t("{n} quarters earlier than the baseline", n=n)


def key_figures(labels: tuple[str, ...], results: tuple[ModelResult, ...], ranges: tuple, baseline: int) -> KeyFigures:
    """The headline figures of every option side by side, each with its 5th-95th percentile range where the ranges
    draw it and its change against the baseline (pure; `ranges`: pakcoe.uncertainty.Ranges, one per option)."""
    from components.rollout_detail import range_help, range_texts

    figures = [kpis(r) for r in results]
    spreads = [range_texts(r) for r in ranges]
    base = figures[baseline]
    rows = []
    for key, _label, fmt, spread in KEY_FIGURES:
        cells = []
        for i, k in enumerate(figures):
            if key == "complete":
                value = qtr(k[key]) if k[key] else t("not yet")
                later = None if i == baseline or not (k[key] and base[key]) else float(quarter_index(str(k[key])) - quarter_index(str(base[key])))
                change = "" if later is None else _later(int(later))
            else:
                value = t("n/a") if k[key] is None else _shown(k[key], fmt)
                diff = None if i == baseline or k[key] is None or base[key] is None else float(k[key] - base[key])
                change = _change(diff, "{:+" + fmt[2:])
            cells.append(FigureCell(value, str(spreads[i][spread]) if spread else "", change))
        rows.append((key_figure_label(key), tuple(cells)))
    end = qtr(results[0].summary.last_quarter)
    notes = (
        t("Hubs open at the end: in {q}, the horizon's last quarter; learners certified: cumulative, by {q}.", q=end),
        t(
            "Total cost: capital and operating cost over the horizon, nominal. Funding gap: money missing against the plan at the planned time. "
            "Cost per certified learner: total cost over the horizon divided by the learners certified by its end."
        ),
        range_help(ranges[0]) + " " + t("The figure above each range is the central run."),
    )
    return KeyFigures(tuple(labels), baseline, tuple(rows), notes)


# ---------------------------------------------------------------------------------------------------
# Custom-option levers and methodology text


@dataclass(frozen=True)
class Lever(LeverSpec):
    """A slider of the custom option (pakcoe.levers: URL key, Scenario field, bounds, step) with its provenance badge."""

    badge: str = ""  # provenance badge (Markdown) of param


def levers(release: Release) -> tuple[Lever, ...]:
    """The custom option's levers (pakcoe.levers.levers), each assumption's with its provenance badge."""
    return tuple(Lever(**{f.name: getattr(s, f.name) for f in fields(s)}, badge=param_badge(release, s.param) if s.param else "") for s in lever_specs(release))


def scenarios(release: Release, chosen: list[str], custom: Scenario) -> tuple[tuple[Scenario, ...], tuple[str, ...]]:
    """The Scenario and the label of each chosen option, in the order chosen."""
    names = option_names(release)
    runs = tuple(custom if o == CUSTOM else scenario_from_option(release, o) for o in chosen)
    labels = tuple(custom_label() if o == CUSTOM else names[o] for o in chosen)
    return runs, labels


def at_horizon(runs: tuple[Scenario, ...], horizon: int) -> tuple[Scenario, ...]:
    """The options' Scenarios run over one horizon (pakcoe.model.comparison_horizon)."""
    return tuple(s.replace(horizon_quarters=int(horizon)) for s in runs)


def custom_scenario(release: Release, lever_specs: tuple[LeverSpec, ...], decision: str, gating: bool, values: dict[str, float]) -> Scenario:
    """The custom option's Scenario from its levers' values (by Scenario field), public funding decision and gating.

    An assumption's lever left at the release's central value stays None: the option then uses the central value, and
    the ranges still draw that assumption within its bounds (a moved lever fixes it)."""
    opt = model_inputs(release).options[default_option(release)]

    def moved(lever: LeverSpec) -> float | None:
        value = float(values[lever.field])
        central = float(int(lever.default) if lever.integer else float(lever.default))
        return None if abs(value - central) < 1e-12 else value

    return Scenario(
        public_decision=decision,
        delay_quarters=int(values["delay_quarters"]),
        hub_target=int(values["hub_target"]),
        pace=float(values["pace"]),
        start_quarter=str(opt["start_quarter"]),
        option_id=CUSTOM,
        capex_multiplier=float(values["capex_multiplier"]),
        opex_multiplier=float(values["opex_multiplier"]),
        gating=bool(gating),
        **{lever.field: moved(lever) for lever in lever_specs if lever.param},
    )


def _sections(doc: str) -> list[tuple[str, str]]:
    """(title, text) of the numbered sections of the model docstring."""
    body = doc.split("Conventions\n-----------\n", 1)[-1]
    parts = re.split(r"\n(?=\d+\. |Not modelled:)", body)
    out = [("Conventions", parts[0].strip())]
    for part in parts[1:]:
        if part.startswith("Not modelled:"):
            out.append(("Not modelled", part.strip()))
            continue
        first, _, rest = part.partition("\n")
        out.append((first.strip(), rest.rstrip() if rest.strip() else first.strip()))
    return out


@dataclass(frozen=True)
class MethodologyText:
    """The Methodology page's text: the model docstring's sections, the uncertainty method and one Markdown line per assumption."""

    sections: tuple[tuple[str, str], ...]
    assumptions: str
    uncertainty: str  # Markdown: how Compare's ranges and sensitivity are computed, and which assumptions are drawn


def uncertainty_method(release: Release) -> str:
    """The method of pakcoe.uncertainty (its docstring's "Method" part, constants written as numbers), as Markdown,
    with the assumptions this release's ranges draw (by name)."""
    doc = uncertainty_doc.__doc__ or ""
    marker = "Method (shown on the Methodology page):"
    body = doc.split(marker, 1)[-1].split("\nPure Python", 1)[0].strip()
    body = re.sub(r"\s*\(`pakcoe\.[a-z_.]+`\)", "", body)
    body = body.replace("SAMPLES draws", f"{uncertainty_doc.SAMPLES} draws").replace("seed SEED", f"seed {uncertainty_doc.SEED}")
    body = body.replace("`", "")
    drawn = uncertainty_doc.ranges(release, scenario_from_option(release, default_option(release))).sampled
    names = release.assumptions.set_index("param_id")["name"]
    listed = "; ".join(escape_md(names.get(p, p)) for p in drawn)
    return body + (f"\n\n**Assumptions drawn** in data release {escape_md(release.version)} ({len(drawn)}): {listed}." if drawn else "")


def _derivations(r, names: dict[str, str]) -> str:
    """' Derived: value = …; low = …; high = …' for a parameter whose figures are derived (release rules version 2), else '';
    the assumptions an expression names are written by name ("“Capital cost of a flagship hub” × 0.5"), never by id."""
    parts = []
    for column, what in (("derivation", "value"), ("derivation_low", "low"), ("derivation_high", "high")):
        expr = getattr(r, column, None)
        if isinstance(expr, str) and expr.strip():
            text = re.sub(
                r"\b[a-z][a-z0-9_]*\b", lambda m: f"“{names[m.group(0)]}”" if m.group(0) in names else m.group(0), expr.strip().removeprefix("=").strip()
            )
            parts.append(f"{what} = {escape_md(text)}")
    return f" *Derived (checked by the validator):* {'; '.join(parts)}." if parts else ""


def methodology_text(release: Release) -> MethodologyText:
    """Every formula (the model docstring, by section) and every assumption with its provenance badge (pure)."""
    lines = []
    names = dict(zip(release.assumptions["param_id"].astype(str), release.assumptions["name"].astype(str), strict=True))
    for r in release.assumptions.itertuples():
        src = None if pd.isna(r.source_id) else r.source_id
        lines.append(
            f"- {badge(release, src, bool(r.assumption))} **{escape_md(r.name)}**: "
            f"{r.value:g} {escape_md(r.unit)}, range {r.low:g}–{r.high:g}. *Basis:* {escape_md(r.basis)}" + _derivations(r, names)
        )
    return MethodologyText(tuple(_sections(model_doc.__doc__ or "")), "\n".join(lines), uncertainty_method(release))


# ---------------------------------------------------------------------------------------------------
# Notes on the data and the model (Phases, Compare and Methodology pages)


def data_notes(release: Release) -> tuple[str, ...]:
    """Notes on this release's data and the model, each computed from the release (Markdown lines; pure).

    A note is shown only when it holds for the release under model 2: whether the private track's funding capacity
    limits the rollout, where the default option's funding gap comes from (or that it has none), which costs have no
    funding rule, which sources the release lists as public sector although they are not the Government's money,
    which milestones the default option misses, the horizons, and what the model leaves out.
    """
    option = default_option(release)
    names = option_names(release)
    base = run_model(release, scenario_from_option(release, option))
    notes = []
    capacity = _private_capacity_note(release, option, names[option], base)
    if capacity:
        notes.append(capacity)
    notes.append(_funding_gap_note(release, names[option], base))
    unpaid = _unpaid_costs_note(release)
    if unpaid:
        notes.append(unpaid)
    sector = _sector_note(release)
    if sector:
        notes.append(sector)
    notes += _milestone_notes(release, names[option], base)
    notes.append(
        t(
            "**Horizons.** Phases and Funding run each option over the release's model horizon ({n} quarters, "
            "{first} to {last}); Compare runs every option it shows over one horizon long enough "
            "for each to reach steady state, stated on that page, so its totals can be larger.",
            n=base.summary.horizon_quarters,
            first=qtr(base.summary.first_quarter),
            last=qtr(base.summary.last_quarter),
        )
    )
    left_out = dict(_sections(model_doc.__doc__ or "")).get("Not modelled", "")
    if ":" in left_out:
        head, rest = left_out.split(":", 1)
        # the model's own words (its docstring), looked up as written: the Urdu table holds them (rollout.csv)
        notes.append(f"**{escape_md(_doc_text(head))}:** {escape_md(_doc_text(' '.join(rest.split())))}")
    return tuple(notes)


def _doc_text(text: str) -> str:
    """A text of the model's docstring in the current language (its Urdu in the app's table; English when none)."""
    return i18n.ui_table().get(text, text) if i18n.current() != "en" else text


def _english(release: Release, text: str) -> str:
    """A data text of a localized release back in English (the release's translations read backwards), for logic
    that reads the words (older releases' milestone metrics)."""
    if getattr(release, "lang", "en") == "en":
        return text
    back = i18n.english_of(release)
    return back.get(text, text)


def _funding_gap_note(release: Release, option_name: str, base: ModelResult) -> str:
    """Where the default option's funding gap comes from: the sources that cannot pay their share when a hub is planned."""
    s = base.summary
    if s.funding_gap < GAP_ZERO:
        return t(
            "**No funding gap under “{name}”.** Every source can pay its share of each hub at its planned quarter "
            "within its yearly capacity, so no hub waits for money.",
            name=escape_md(option_name),
        )
    f = base.funding
    by_source = f.groupby("source_id", observed=True)["gap"].sum().sort_values(ascending=False)
    by_source = by_source[by_source > 0.05]
    labels = release.table("funding_sources").set_index("source_id")["name"]
    first = f.loc[f["gap"] > 0.05, "quarter"]
    parts = join_words([f"{escape_md(labels.get(k, k))} {i18n.money_m(v, 'PKR')}" for k, v in by_source.head(3).items()])
    when = t(", from {q}", q=qtr(first.astype(str).min())) if len(first) else ""
    return t(
        "**Where the funding gap comes from.** Under “{name}”, {money} is missing against the plan "
        "at the planned time{when}: {parts}. Each source gives at most its yearly capacity; a hub whose share cannot be paid waits "
        "until the money is there, and the schedule slips.",
        name=escape_md(option_name),
        money=i18n.money_m(s.funding_gap, "PKR"),
        when=when,
        parts=parts,
    )


def _unpaid_costs_note(release: Release) -> str | None:
    """Combinations of track, phase and use that no funding rule covers (nobody pays them)."""
    from pakcoe.funding import TRACK_LABELS, USE_LABELS
    from pakcoe.model import USES

    rules = release.table("funding_rules")
    covered = set(zip(rules["track"], rules["phase_id"], rules["use"], strict=True))
    phases = release.table("phases")["phase_id"].tolist()
    missing = [(tr, p, u) for tr in TRACK_LABELS for p in phases for u in USES if (tr, p, u) not in covered]
    if not missing:
        return None
    english = i18n.current() == "en"
    tracks = {k: v.lower() for k, v in TRACK_LABELS.items()} if english else {k: _doc_text(v) for k, v in TRACK_LABELS.items()}
    uses = {k: v.lower() for k, v in USE_LABELS.items()} if english else {k: _doc_text(v) for k, v in USE_LABELS.items()}
    listed = "; ".join(t("{track}, phase {n}, {use}", track=tracks[tr], n=p, use=uses[u]) for tr, p, u in missing)
    return t("**Costs without a funding rule.** The release gives no funding shares for: {listed}. No source pays these costs.", listed=escape_md(listed))


def _sector_note(release: Release) -> str | None:
    """Sources the release lists as public sector that are not government budgets (e.g. international partners)."""
    from pakcoe.funding import source_kinds

    sources = release.table("funding_sources").set_index("source_id")
    if "sector" not in sources.columns:
        return None
    kinds = source_kinds(release)
    odd = [
        f"“{escape_md(sources.at[s, 'name'])}”" for s, k in kinds.items() if k != "government" and s in sources.index and sources.at[s, "sector"] == "public"
    ]
    if not odd:
        return None
    government = [escape_md(sources.at[s, "name"]) for s, k in kinds.items() if k == "government" and s in sources.index]
    text = (
        t(
            "**{name} is listed as public sector** in the funding sources, but the model counts it as international partner money: "
            "non-government, never as public money.",
            name=odd[0],
        )
        if len(odd) == 1
        else t(
            "**{names} are listed as public sector** in the funding sources, but the model counts them as international partner money: "
            "non-government, never as public money.",
            names=join_words(odd),
        )
    )
    return text + " " + t("Government money is that of {names}.", names=join_words(government) or t("no source"))


def _milestone_notes(release: Release, option_name: str, base: ModelResult) -> list[str]:
    """Milestones the default option misses: exit criteria the model computes, met late or never; and, where the release
    gives a milestone no metric the model computes, a target the model's own hubs or learners fall short of by its due date."""
    notes = []
    modelled = set()
    for g in base.gates:
        for c in g.criteria:
            if not c.modelled:
                continue
            modelled.add(c.milestone_id)
            status = criterion_status(c, base.scenario.gating)
            late = c.met_quarter is not None and bool(c.due_quarter) and quarter_index(c.met_quarter) > quarter_index(c.due_quarter)
            if c.met_quarter is None or late:
                notes.append(
                    t(
                        "**Milestone “{title}”** targets {target} by {q}; under “{name}” the model has it {status}. "
                        "Either the target or the assumptions behind it need review.",
                        title=escape_md(c.title),
                        target=_number(c.target),
                        q=escape_md(qtr(c.due_quarter)),
                        name=escape_md(option_name),
                        status=escape_md(status),
                    )
                )
    exits = set(release.table("milestones").loc[lambda m: m["exit_criterion"].astype(bool), "milestone_id"])
    for m in release.table("milestones").itertuples():
        if m.milestone_id in modelled:
            continue
        shown, met = _model_check(base, _english(release, str(m.metric)), str(m.due_quarter), str(m.target))
        if met.startswith("NO"):
            gate = (
                " " + t("It is an exit criterion the release gives no metric the model computes, so its gate is assumed met on the due date.")
                if m.milestone_id in exits
                else ""
            )
            notes.append(
                t(
                    "**Milestone “{title}”** targets {target} {metric} by {q}; the model gives {shown} under “{name}”.{gate} "
                    "Either the target or the assumptions behind it need review.",
                    title=escape_md(m.title),
                    target=_number(m.target),
                    metric=escape_md(m.metric),
                    q=escape_md(qtr(m.due_quarter)),
                    shown=shown,
                    name=escape_md(option_name),
                    gate=gate,
                )
            )
    return notes


def _number(text: object) -> str:
    """A target as shown: a plain number with thousands separators, anything else as written (escaped)."""
    try:
        value = float(str(text))
        if i18n.current() != "en":
            return i18n.num(value) if value.is_integer() else f"{value:g}"
        return f"{value:,.0f}" if value.is_integer() else f"{value:,g}"
    except ValueError:
        return escape_md(str(text))


def _join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' ('' for none)."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _private_capacity_note(release: Release, option: str, option_name: str, base: ModelResult) -> str | None:
    """Whether the private track alone, at its central funding capacity, opens the option's hubs when planned."""
    try:
        capacity = release.param("private_capacity")
    except KeyError:
        return None
    row = release.assumptions.set_index("param_id").loc["private_capacity"]
    alone = run_model(release, scenario_from_option(release, option, public_decision="not_approved"))
    from components.rollout_detail import unit_text

    value = f"{i18n.num(capacity)} {escape_md(unit_text(row['unit']))}"
    same_option = t("“{name}” with public funding not approved", name=escape_md(option_name))
    if alone.quarters["hubs_active"].tolist() == base.quarters["hubs_active"].tolist():
        return t(
            "**Private capacity never binds.** At its central value ({value}) the private track can pay for every hub on the "
            "planned timetable, so {option} opens the same hubs in the same quarters "
            "and differs only in who pays. Lower the private capacity lever on the custom option to see the private track slow down.",
            value=value,
            option=same_option,
        )
    s, b = alone.summary, base.summary
    behind = base.quarters["hubs_active"].to_numpy() - alone.quarters["hubs_active"].to_numpy()
    worst = int(behind.argmax())
    if s.network_complete_quarter == b.network_complete_quarter and s.hubs_at_end == b.hubs_at_end:
        return t(
            "**Private capacity binds a little.** At its central value ({value}) the private track alone cannot pay for every hub "
            "when planned: {option} has up to {n} hubs fewer open than with public adoption (in "
            "{q}), and the whole network open by {done} either way.",
            value=value,
            option=same_option,
            n=int(behind.max()),
            q=qtr(base.quarters["quarter"].iloc[worst]),
            done=qtr(s.network_complete_quarter) if s.network_complete_quarter else t("the same quarter"),
        )
    done = (
        t("all its hubs open by {q}", q=qtr(s.network_complete_quarter))
        if s.network_complete_quarter
        else t("{n} of {total} hubs open by {q}", n=i18n.num(s.hubs_at_end), total=i18n.num(s.hubs_in_network), q=qtr(s.last_quarter))
    )
    planned = (
        t("all open by {q}", q=qtr(b.network_complete_quarter))
        if b.network_complete_quarter
        else t("{n} open by {q}", n=i18n.num(b.hubs_at_end), q=qtr(b.last_quarter))
    )
    return t(
        "**Private capacity binds.** At its central value ({value}) the private track alone cannot pay for every hub on the planned "
        "timetable: {option} has {done}, against {planned} with public adoption.",
        value=value,
        option=same_option,
        done=done,
        planned=planned,
    )
