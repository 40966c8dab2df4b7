"""What a rollout run means beyond its curves: phase gates, ties, identical lines, ranges, sensitivity and warnings.

Pure builders (no Streamlit) for the Phases and Compare pages, cached by components.cached. Every figure is
read from a pakcoe.model run, pakcoe.uncertainty or pakcoe.advice; every name comes from the release.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.chart import PALETTE, PATTERNS, style
from components.escape import escape_html
from pakcoe import Release
from pakcoe.model import GateResult, ModelResult, Scenario, quarter_index
from pakcoe.uncertainty import HIGH, LOW, Ranges, sensitivity

NOT_MODELLED = "assumed met on the due date (not modelled)"
SENSITIVITY_ROWS = 8  # assumptions shown per panel of the sensitivity chart (the table lists every one)


def _quarters(n: int) -> str:
    return f"{n} quarter{'s' if abs(n) != 1 else ''}"


def number(x: float | None) -> str:
    """A target or count as shown: thousands separators, no needless decimals."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' ('' for none)."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------------------------------------------
# Phase gates


def phase_names(release: Release) -> dict[int, str]:
    """phase_id -> name."""
    phases = release.table("phases")
    return {int(p): str(n) for p, n in zip(phases["phase_id"], phases["name"], strict=True)}


def gate_label(release: Release, g: GateResult) -> str:
    """'Exit of phase 1 (Karachi demonstrator) → phase 2 (Major cities)'."""
    names = phase_names(release)
    return f"Phase {g.phase_id} exit gate: {names.get(g.phase_id, '')} → {names.get(g.next_phase_id, '')}"


def gate_status(g: GateResult, last_quarter: str, gating: bool = True) -> str:
    """When a gate is met and how late, in words: 'met 2031Q4, 6 quarters late; phase 3 moves 6 quarters later'."""
    if g.criteria and not any(c.modelled for c in g.criteria) and g.met_quarter is not None:
        text = f"assumed met on its due date, {g.met_quarter} (no criterion modelled)"
    elif g.met_quarter is None:
        text = f"not met by {last_quarter}, the end of the horizon"
    elif g.late_quarters is None:  # no due date
        text = f"met {g.met_quarter} (no due date)"
    elif g.late_quarters > 0:
        text = f"met {g.met_quarter}, {_quarters(g.late_quarters)} late"
    elif g.late_quarters < 0:
        text = f"met {g.met_quarter}, {_quarters(-g.late_quarters)} early"
    else:
        text = f"met {g.met_quarter}, on time"
    if gating and g.next_phase_shift > 0:
        text += f"; phase {g.next_phase_id} moves {_quarters(g.next_phase_shift)} later"
    if not gating:
        text += " (gating off: reported only)"
    return text


def criterion_status(c, gating: bool = True) -> str:
    """One exit criterion in the model: the quarter it is met, not met, or assumed met (not modelled)."""
    if not c.modelled:
        return NOT_MODELLED
    if c.met_quarter is None:
        return "not met within the horizon"
    late = ""
    if c.due_quarter and quarter_index(c.met_quarter) > quarter_index(c.due_quarter):
        late = f", {_quarters(quarter_index(c.met_quarter) - quarter_index(c.due_quarter))} late"
    return f"met {c.met_quarter}{late}"


def gates_table(release: Release, result: ModelResult) -> pd.DataFrame:
    """One row per phase gate of one run: due, met, how late, what it moved."""
    gating = result.scenario.gating
    rows = []
    for g in result.gates:
        rows.append(
            {
                "Phase gate": gate_label(release, g),
                "Due": g.due_quarter or "—",
                "In the model": gate_status(g, result.summary.last_quarter, gating),
                "Exit criteria the model computes": f"{sum(c.modelled for c in g.criteria)} of {len(g.criteria)}",
            }
        )
    return pd.DataFrame(rows, columns=["Phase gate", "Due", "In the model", "Exit criteria the model computes"])


def criteria_table(release: Release, result: ModelResult) -> pd.DataFrame:
    """Every exit criterion of every gate of one run: target, due, and when the model meets it (or that it does not compute it)."""
    gating = result.scenario.gating
    rows = []
    for g in result.gates:
        for c in g.criteria:
            rows.append(
                {
                    "Phase gate": f"Exit of phase {g.phase_id}",
                    "Exit criterion": c.title,
                    "Target": number(c.target) if c.target is not None else "—",
                    "Due": c.due_quarter,
                    "In the model": criterion_status(c, gating),
                }
            )
    return pd.DataFrame(rows, columns=["Phase gate", "Exit criterion", "Target", "Due", "In the model"])


def compare_gates(release: Release, labels: tuple[str, ...], results: tuple[ModelResult, ...]) -> pd.DataFrame:
    """One row per phase gate, one column per option: when the gate is met and how late."""
    if not results or not results[0].gates:
        return pd.DataFrame(columns=["Phase gate", "Due", *labels])
    rows = []
    for i, g in enumerate(results[0].gates):
        row = {"Phase gate": gate_label(release, g), "Due": g.due_quarter or "—"}
        for label, r in zip(labels, results, strict=True):
            row[label] = gate_status(r.gates[i], r.summary.last_quarter, r.scenario.gating)
        rows.append(row)
    return pd.DataFrame(rows, columns=["Phase gate", "Due", *labels])


# ---------------------------------------------------------------------------------------------------
# Ties and identical lines

# (figure, how it is shown): the values are compared as shown, so two options that look equal are called equal.
HEADLINE_FIGURES: tuple[tuple[str, str], ...] = (
    ("hubs", "hubs open at the end"),
    ("complete", "the quarter the whole network is open"),
    ("certified", "learners certified"),
    ("cost", "total cost"),
    ("per_certified", "cost per certified learner"),
    ("gap", "funding gap"),
)


def shown_values(result: ModelResult) -> dict[str, str]:
    """The headline figures of a run as the Compare page shows them (the basis of 'equal on')."""
    s = result.summary
    per = s.cost_per_certified_learner
    return {
        "hubs": f"{s.hubs_at_end:,}",
        "complete": s.network_complete_quarter or "not within the horizon",
        "certified": f"{s.learners_certified:,.0f}",
        "cost": f"PKR {s.total_cost / 1000:,.2f} bn",
        "per_certified": "n/a" if math.isnan(per) else f"PKR {per * 1000:,.0f} k",
        "gap": f"PKR {0.0 if s.funding_gap < 0.5 else s.funding_gap:,.0f} M",
    }


def ties(labels: tuple[str, ...], results: tuple[ModelResult, ...]) -> tuple[str, ...]:
    """Sentences naming every group of options that are equal on one or more headline figures (Markdown-free text).

    'Public adoption on time and Private track only are equal on hubs open at the end (100) and learners certified (…)'."""
    shown = [shown_values(r) for r in results]
    groups: dict[tuple[str, ...], list[str]] = {}
    for key, what in HEADLINE_FIGURES:
        by_value: dict[str, list[str]] = {}
        for label, values in zip(labels, shown, strict=True):
            by_value.setdefault(values[key], []).append(label)
        for value, members in by_value.items():
            if len(members) > 1:
                groups.setdefault(tuple(members), []).append(f"{what} ({value})")
    out = []
    for members, figures in groups.items():
        who = ("Both options" if len(labels) == 2 else f"All {len(labels)} options") if len(members) == len(labels) else join(list(members))
        out.append(f"{who} are equal on {join(figures)}.")
    return tuple(out)


def leader(values: dict[str, float], most: str) -> str:
    """'X has the most …' or, on a tie, 'X and Y are equal on the most …' (never a winner of a tie)."""
    if not values:
        return ""
    top = max(values.values())
    first = [label for label, v in values.items() if round(v) == round(top)]
    if len(first) == len(values) and len(values) > 1:
        return f"{'Both options are' if len(values) == 2 else f'All {len(values)} options are'} equal on {most} ({top:,.0f})"
    if len(first) > 1:
        return f"{join(first)} are equal on the most {most} ({top:,.0f})"
    return f"Most {most}: {first[0]} ({top:,.0f})"


def identical_groups(series: dict[str, list]) -> list[list[str]]:
    """Groups (two or more) of options whose series are identical, in the options' order."""
    groups: dict[tuple, list[str]] = {}
    for label, values in series.items():
        groups.setdefault(tuple(values), []).append(label)
    return [g for g in groups.values() if len(g) > 1]


def identical_note(groups: list[list[str]], what: str, drawn: str = "drawn one over the other, the first as a wide pale line, so both stay visible") -> str:
    """'Identical lines: Private track only and Public funding delayed 4 quarters (drawn one over the other …).' ('' for none)."""
    if not groups:
        return ""
    parts = "; ".join(join(g) for g in groups)
    return f"Identical {what}: {parts} ({drawn})."


def network_point(labels: tuple[str, ...], results: tuple[ModelResult, ...]) -> str:
    """The hubs chart's point, from the runs: which option opens its whole network first, and which do not by the end."""
    last = results[0].summary.last_quarter
    done = {label: r.summary.network_complete_quarter for label, r in zip(labels, results, strict=True)}
    open_ = [label for label, q in done.items() if q]
    never = [label for label, q in done.items() if not q]
    if not open_:
        return f"No option opens its whole network by {last}"
    first = min(quarter_index(str(done[label])) for label in open_)
    leaders = [label for label in open_ if quarter_index(str(done[label])) == first]
    quarter = done[leaders[0]]
    if len(leaders) == len(labels) and len(labels) > 1:
        text = f"{'Both options open' if len(labels) == 2 else f'All {len(labels)} options open'} their whole network in the same quarter, {quarter}"
    elif len(leaders) > 1:
        text = f"{join(leaders)} open their whole networks first, in {quarter}"
    else:
        text = f"{leaders[0]} opens its whole network first, in {quarter}"
    if never:
        text += f"; {join(never)} {'is' if len(never) == 1 else 'are'} not complete by {last}"
    return text


def spend_point(labels: tuple[str, ...], public: list[float], private: list[float]) -> str:
    """The spend chart's point, from the totals shown (PKR billion): which option each track pays most under."""
    parts = []
    for track, totals in (("public", public), ("private", private)):
        top = max(totals)
        if round(top, 2) == 0:
            parts.append(f"{track} track nothing under any option")
            continue
        who = [label for label, v in zip(labels, totals, strict=True) if round(v, 2) == round(top, 2)]
        parts.append(f"{track} track most under {join(who)} (PKR {top:,.2f} bn)")
    return "Who pays most: " + "; ".join(parts)


def gap_point(labels: tuple[str, ...], totals: list[float], last_quarter: str) -> str:
    """The funding-gap chart's point, from the totals shown (PKR million): the largest gap and who has none."""
    top = max(totals)
    who = [label for label, v in zip(labels, totals, strict=True) if round(v) == round(top)]
    none = [label for label, v in zip(labels, totals, strict=True) if round(v) == 0]
    text = f"Largest funding gap by {last_quarter}: {join(who)} (PKR {top:,.0f} million)"
    if none:
        text += f"; no gap under {join(none)}"
    return text


# ---------------------------------------------------------------------------------------------------
# Ranges


@dataclass(frozen=True)
class RangeText:
    """A headline figure's 5th–95th percentile range as shown beside the figure."""

    low: str
    high: str

    def __str__(self) -> str:
        return f"Range {self.low} to {self.high}"


def range_texts(r: Ranges) -> dict[str, RangeText]:
    """The four headline ranges in the Compare page's units (hubs, learners, PKR bn, PKR thousand per learner)."""

    def per(v: float) -> str:
        return "n/a" if math.isnan(v) else f"{v / 1000:,.0f}"

    return {
        "hubs_open": RangeText(f"{r.low['hubs_open']:,.0f}", f"{r.high['hubs_open']:,.0f}"),
        "learners_certified": RangeText(f"{r.low['learners_certified']:,.0f}", f"{r.high['learners_certified']:,.0f}"),
        "total_cost": RangeText(f"{r.low['total_cost'] / 1000:,.2f}", f"{r.high['total_cost'] / 1000:,.2f}"),
        "cost_per_certified_learner": RangeText(per(r.low["cost_per_certified_learner"]), per(r.high["cost_per_certified_learner"])),
    }


def range_help(r: Ranges) -> str:
    """What the ranges are, in one sentence (for the page's caption)."""
    return (
        f"Ranges: the {LOW}th to {HIGH}th percentile of {r.samples} runs with the illustrative assumptions drawn within their "
        "low and high bounds (a fixed seed: the same link gives the same range). Method on the Methodology page."
    )


# ---------------------------------------------------------------------------------------------------
# Sensitivity (tornado)


@dataclass(frozen=True)
class SensitivityData:
    """The sensitivity chart of one option, its data table and the point it makes (figure None: nothing moves)."""

    figure: go.Figure | None
    table: pd.DataFrame
    point: str


def _panel(fig: go.Figure, frame: pd.DataFrame, low: str, high: str, row: int, show_legend: bool) -> None:
    for i, (column, name) in enumerate(((low, "Assumption at its low bound"), (high, "Assumption at its high bound"))):
        fig.add_trace(
            go.Bar(
                name=name,
                x=frame[column].tolist(),
                # data text (Plotly reads a subset of HTML), broken into short lines: the labels leave the bars room on a phone
                y=["<br>".join(textwrap.wrap(escape_html(a), 24)) for a in frame["assumption"]],
                orientation="h",
                marker={"color": PALETTE[[2, 1][i]], "pattern": {"shape": PATTERNS[[1, 0][i]], "fillmode": "overlay"}},
                legendgroup=name,
                showlegend=show_legend,
                hovertemplate="%{y}<br>%{x:+,.0f}<extra>" + name + "</extra>",
            ),
            row=row,
            col=1,
        )


def sensitivity_data(release: Release, scenario: Scenario, label: str) -> SensitivityData:
    """Tornado chart: each assumption alone at its low and its high bound, the change in cost per certified learner
    (top) and in learners certified (bottom) against the central run; ranked by each figure's swing (pure)."""
    frame = sensitivity(release, scenario)
    units = release.assumptions.set_index("param_id")["unit"]
    if frame.empty:
        return SensitivityData(None, pd.DataFrame(), f"Under “{label}” no assumption with a range moves the headline figures")
    table = pd.DataFrame(
        {
            "Assumption": frame["assumption"],
            "Low bound": [f"{number(v)} {units.get(p, '')}".strip() for p, v in zip(frame["param_id"], frame["low"], strict=True)],
            "High bound": [f"{number(v)} {units.get(p, '')}".strip() for p, v in zip(frame["param_id"], frame["high"], strict=True)],
            "Cost per certified learner at low bound (change, PKR)": frame["cost_per_learner_at_low"].round(0),
            "Cost per certified learner at high bound (change, PKR)": frame["cost_per_learner_at_high"].round(0),
            "Learners certified at low bound (change)": frame["learners_at_low"].round(0),
            "Learners certified at high bound (change)": frame["learners_at_high"].round(0),
        }
    )
    cost = frame[frame["cost_swing"] > 0.5].head(SENSITIVITY_ROWS)
    learners = frame[frame["learners_swing"] > 0.5].sort_values("learners_swing", ascending=False, kind="stable").head(SENSITIVITY_ROWS)
    if cost.empty and learners.empty:
        return SensitivityData(None, table, f"Under “{label}” no assumption moves cost per certified learner or learners certified")
    height = 220 + 56 * (len(cost) + len(learners))  # a bar pair per assumption, room for its label's three lines
    fig = make_subplots(
        rows=2,
        cols=1,
        subplot_titles=("Change in cost per<br>certified learner (PKR)", "Change in<br>learners certified"),  # two short lines: a phone's plot is narrow
        vertical_spacing=min(0.4, 80 / height),  # ~80 px: the top panel's tick labels and the lower panel's title never meet
        row_heights=[max(len(cost), 1), max(len(learners), 1)],
    )
    # largest swing at the top of each panel
    _panel(fig, cost.iloc[::-1], "cost_per_learner_at_low", "cost_per_learner_at_high", 1, True)
    _panel(fig, learners.iloc[::-1], "learners_at_low", "learners_at_high", 2, False)
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(zeroline=True, zerolinecolor="#14213D", zerolinewidth=1, tickformat="+,.2s", gridcolor="#E3E8E6", showgrid=True, nticks=5, tickangle=0)
    fig.update_yaxes(automargin=True)
    style(fig, height=height)
    fig.update_layout(legend={"y": 1.06}, margin={"t": 50})
    for title in fig.layout.annotations:  # the panels' titles, at the house's legend size
        title.update(font={"size": 14})
    parts = []
    if not cost.empty:
        parts.append(f"“{cost['assumption'].iloc[0]}” moves cost per certified learner most")
    if not learners.empty:
        top = learners["assumption"].iloc[0]
        parts.append(
            "it also moves learners certified most"
            if parts and not cost.empty and top == cost["assumption"].iloc[0]
            else f"“{top}” moves learners certified most"
        )
    point = f"Under “{label}”, " + "; ".join(parts)
    return SensitivityData(fig, table, point)


__all__ = [
    "NOT_MODELLED",
    "RangeText",
    "SensitivityData",
    "compare_gates",
    "criteria_table",
    "criterion_status",
    "gate_label",
    "gate_status",
    "gates_table",
    "identical_groups",
    "identical_note",
    "gap_point",
    "leader",
    "network_point",
    "range_help",
    "range_texts",
    "sensitivity_data",
    "shown_values",
    "spend_point",
    "ties",
]
