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
from pakcoe import Release, i18n
from pakcoe.i18n import t
from pakcoe.model import GateResult, ModelResult, Scenario, quarter_index
from pakcoe.uncertainty import HIGH, LOW, Ranges, sensitivity

NOT_MODELLED = "assumed met on the due date (not modelled)"  # an English key: shown through t()
SENSITIVITY_ROWS = 8  # assumptions shown per panel of the sensitivity chart (the table lists every one)


def qtr(label: object) -> str:
    """A quarter as the pages show it: '2027Q3' in English (as always), '2027 کی تیسری سہ ماہی' in Urdu."""
    return str(label) if i18n.current() == "en" else i18n.quarter(str(label))


RLE, PDF = "\u202b", "\u202c"  # right-to-left embedding and its end (Unicode bidi controls)


def bidi(text: str) -> str:
    """A chart text laid out right to left in Urdu: each line (Plotly's <br>) in a right-to-left embedding, so its
    numbers and Latin names stay where an Urdu reader expects them (Plotly draws SVG text left to right and has no RTL
    mode). English: the text as it is."""
    if not i18n.is_rtl() or not text:
        return text
    return "<br>".join(f"{RLE}{line}{PDF}" for line in str(text).split("<br>"))


def label_margin(labels: list[str], minimum: int = 10) -> dict:
    """In Urdu, a left margin wide enough for the longest line of `labels` (category tick labels, <br>-broken): Plotly
    measures labels before the page's Nastaliq web font has loaded and would leave them too little room (cut off);
    its automargin still widens the margin where more is needed. English: {} (automargin as before)."""
    if not i18n.is_rtl() or not labels:
        return {}
    longest = max(len(line) for label in labels for line in str(label).replace(RLE, "").replace(PDF, "").split("<br>"))
    return {"margin": {"l": max(minimum, int(6.5 * longest) + 24)}}


def _quarters(n: int) -> str:
    return t("{n} quarter", n=n) if abs(n) == 1 else t("{n} quarters", n=n)


def number(x: float | None) -> str:
    """A target or count as shown: thousands separators (lakh grouping in Urdu), no needless decimals."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return i18n.num(x) if float(x).is_integer() else i18n.num(x, 2).rstrip("0").rstrip(".")


def join(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' ('' for none), in the current language."""
    if len(items) < 2:
        return "".join(items)
    head = items[0]
    for item in items[1:-1]:
        head = t("{a}, {b}", a=head, b=item)
    return t("{a} and {b}", a=head, b=items[-1])


# ---------------------------------------------------------------------------------------------------
# Phase gates


def phase_names(release: Release) -> dict[int, str]:
    """phase_id -> name."""
    phases = release.table("phases")
    return {int(p): str(n) for p, n in zip(phases["phase_id"], phases["name"], strict=True)}


def gate_label(release: Release, g: GateResult) -> str:
    """'Exit of phase 1 (Karachi demonstrator) → phase 2 (Major cities)'."""
    names = phase_names(release)
    return t("Phase {n} exit gate: {name} → {next}", n=g.phase_id, name=names.get(g.phase_id, ""), next=names.get(g.next_phase_id, ""))


def gate_status(g: GateResult, last_quarter: str, gating: bool = True) -> str:
    """When a gate is met and how late, in words: 'met 2031Q4, 6 quarters late; phase 3 moves 6 quarters later'."""
    met = qtr(g.met_quarter) if g.met_quarter is not None else ""
    if g.criteria and not any(c.modelled for c in g.criteria) and g.met_quarter is not None:
        text = t("assumed met on its due date, {q} (no criterion modelled)", q=met)
    elif g.met_quarter is None:
        text = t("not met by {q}, the end of the horizon", q=qtr(last_quarter))
    elif g.late_quarters is None:  # no due date
        text = t("met {q} (no due date)", q=met)
    elif g.late_quarters > 0:
        text = t("met {q}, {n} late", q=met, n=_quarters(g.late_quarters))
    elif g.late_quarters < 0:
        text = t("met {q}, {n} early", q=met, n=_quarters(-g.late_quarters))
    else:
        text = t("met {q}, on time", q=met)
    if gating and g.next_phase_shift > 0:
        text += t("; phase {p} moves {n} later", p=g.next_phase_id, n=_quarters(g.next_phase_shift))
    if not gating:
        text += t(" (gating off: reported only)")
    return text


def criterion_status(c, gating: bool = True) -> str:
    """One exit criterion in the model: the quarter it is met, not met, or assumed met (not modelled)."""
    if not c.modelled:
        return t("assumed met on the due date (not modelled)")
    if c.met_quarter is None:
        return t("not met within the horizon")
    if c.due_quarter and quarter_index(c.met_quarter) > quarter_index(c.due_quarter):
        return t("met {q}, {n} late", q=qtr(c.met_quarter), n=_quarters(quarter_index(c.met_quarter) - quarter_index(c.due_quarter)))
    return t("met {q}", q=qtr(c.met_quarter))


def gates_table(release: Release, result: ModelResult) -> pd.DataFrame:
    """One row per phase gate of one run: due, met, how late, what it moved."""
    gating = result.scenario.gating
    columns = [t("Phase gate"), t("Due"), t("In the model"), t("Exit criteria the model computes")]
    rows = [
        (
            gate_label(release, g),
            qtr(g.due_quarter) if g.due_quarter else "—",
            gate_status(g, result.summary.last_quarter, gating),
            t("{n} of {total}", n=sum(c.modelled for c in g.criteria), total=len(g.criteria)),
        )
        for g in result.gates
    ]
    return pd.DataFrame(rows, columns=columns)


def criteria_table(release: Release, result: ModelResult) -> pd.DataFrame:
    """Every exit criterion of every gate of one run: target, due, and when the model meets it (or that it does not compute it)."""
    gating = result.scenario.gating
    columns = [t("Phase gate"), t("Exit criterion"), t("Target"), t("Due"), t("In the model")]
    rows = [
        (
            t("Exit of phase {n}", n=g.phase_id),
            c.title,
            number(c.target) if c.target is not None else "—",
            qtr(c.due_quarter),
            criterion_status(c, gating),
        )
        for g in result.gates
        for c in g.criteria
    ]
    return pd.DataFrame(rows, columns=columns)


def compare_gates(release: Release, labels: tuple[str, ...], results: tuple[ModelResult, ...]) -> pd.DataFrame:
    """One row per phase gate, one column per option: when the gate is met and how late."""
    columns = [t("Phase gate"), t("Due"), *labels]
    if not results or not results[0].gates:
        return pd.DataFrame(columns=columns)
    rows = []
    for i, g in enumerate(results[0].gates):
        row = [gate_label(release, g), qtr(g.due_quarter) if g.due_quarter else "—"]
        row += [gate_status(r.gates[i], r.summary.last_quarter, r.scenario.gating) for r in results]
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


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
    """The headline figures of a run as the Compare page shows them in English (the basis of 'equal on', the same in
    every language)."""
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


def _shown_here(result: ModelResult) -> dict[str, str]:
    """shown_values in the current language (English: the same texts)."""
    if i18n.current() == "en":
        return shown_values(result)
    s = result.summary
    per = s.cost_per_certified_learner
    return {
        "hubs": i18n.num(s.hubs_at_end),
        "complete": qtr(s.network_complete_quarter) if s.network_complete_quarter else t("not within the horizon"),
        "certified": i18n.num(s.learners_certified),
        "cost": i18n.money_m(s.total_cost, "PKR"),
        "per_certified": t("n/a") if math.isnan(per) else t("PKR {x} thousand", x=i18n.num(per * 1000)),
        "gap": i18n.money_m(0.0 if s.funding_gap < 0.5 else s.funding_gap, "PKR"),
    }


def _figure_name(key: str) -> str:
    """A headline figure's name as the ties sentences write it, in the current language."""
    return {
        "hubs": t("hubs open at the end"),
        "complete": t("the quarter the whole network is open"),
        "certified": t("learners certified"),
        "cost": t("total cost"),
        "per_certified": t("cost per certified learner"),
        "gap": t("funding gap"),
    }[key]


def ties(labels: tuple[str, ...], results: tuple[ModelResult, ...]) -> tuple[str, ...]:
    """Sentences naming every group of options that are equal on one or more headline figures (Markdown-free text).

    'Public adoption on time and Private track only are equal on hubs open at the end (100) and learners certified (…)'."""
    shown = [shown_values(r) for r in results]
    here = [_shown_here(r) for r in results]
    groups: dict[tuple[str, ...], list[str]] = {}
    for key, _ in HEADLINE_FIGURES:
        by_value: dict[str, list[int]] = {}
        for i, values in enumerate(shown):
            by_value.setdefault(values[key], []).append(i)
        for members in by_value.values():
            if len(members) > 1:
                groups.setdefault(tuple(labels[i] for i in members), []).append(f"{_figure_name(key)} ({here[members[0]][key]})")
    out = []
    for members, figures in groups.items():
        every = t("Both options") if len(labels) == 2 else t("All {n} options", n=len(labels))
        who = every if len(members) == len(labels) else join(list(members))
        out.append(t("{who} are equal on {figures}.", who=who, figures=join(figures)))
    return tuple(out)


def leader(values: dict[str, float], most: str) -> str:
    """'X has the most …' or, on a tie, 'X and Y are equal on the most …' (never a winner of a tie)."""
    if not values:
        return ""
    top = max(values.values())
    first = [label for label, v in values.items() if round(v) == round(top)]
    if len(first) == len(values) and len(values) > 1:
        who = t("Both options") if len(values) == 2 else t("All {n} options", n=len(values))
        return t("{who} are equal on {most} ({value})", who=who, most=most, value=i18n.num(top))
    if len(first) > 1:
        return t("{who} are equal on the most {most} ({value})", who=join(first), most=most, value=i18n.num(top))
    return t("Most {most}: {who} ({value})", most=most, who=first[0], value=i18n.num(top))


def identical_groups(series: dict[str, list]) -> list[list[str]]:
    """Groups (two or more) of options whose series are identical, in the options' order."""
    groups: dict[tuple, list[str]] = {}
    for label, values in series.items():
        groups.setdefault(tuple(values), []).append(label)
    return [g for g in groups.values() if len(g) > 1]


def identical_note(groups: list[list[str]], what: str, drawn: str | None = None) -> str:
    """'Identical lines: Private track only and Public funding delayed 4 quarters (drawn one over the other …).' ('' for
    none); `what` and `drawn` in the current language (the caller's t())."""
    if not groups:
        return ""
    drawn = drawn or t("drawn one over the other, the first as a wide pale line, so both stay visible")
    parts = "; ".join(join(g) for g in groups)
    return t("Identical {what}: {parts} ({drawn}).", what=what, parts=parts, drawn=drawn)


def network_point(labels: tuple[str, ...], results: tuple[ModelResult, ...]) -> str:
    """The hubs chart's point, from the runs: which option opens its whole network first, and which do not by the end."""
    last = results[0].summary.last_quarter
    done = {label: r.summary.network_complete_quarter for label, r in zip(labels, results, strict=True)}
    open_ = [label for label, q in done.items() if q]
    never = [label for label, q in done.items() if not q]
    if not open_:
        return t("No option opens its whole network by {q}", q=qtr(last))
    first = min(quarter_index(str(done[label])) for label in open_)
    leaders = [label for label in open_ if quarter_index(str(done[label])) == first]
    quarter = qtr(done[leaders[0]])
    if len(leaders) == len(labels) and len(labels) > 1:
        if len(labels) == 2:
            text = t("Both options open their whole network in the same quarter, {q}", q=quarter)
        else:
            text = t("All {n} options open their whole network in the same quarter, {q}", n=len(labels), q=quarter)
    elif len(leaders) > 1:
        text = t("{who} open their whole networks first, in {q}", who=join(leaders), q=quarter)
    else:
        text = t("{who} opens its whole network first, in {q}", who=leaders[0], q=quarter)
    if never:
        if len(never) == 1:
            text += t("; {who} is not complete by {q}", who=never[0], q=qtr(last))
        else:
            text += t("; {who} are not complete by {q}", who=join(never), q=qtr(last))
    return text


def spend_point(labels: tuple[str, ...], public: list[float], private: list[float]) -> str:
    """The spend chart's point, from the totals shown (PKR billion): which option each track pays most under."""
    parts = []
    for track, totals in (("public", public), ("private", private)):
        top = max(totals)
        if round(top, 2) == 0:
            parts.append(t("public track nothing under any option") if track == "public" else t("private track nothing under any option"))
            continue
        who = join([label for label, v in zip(labels, totals, strict=True) if round(v, 2) == round(top, 2)])
        money = f"PKR {top:,.2f} bn" if i18n.current() == "en" else i18n.money_m(top * 1000, "PKR")
        if track == "public":
            parts.append(t("public track most under {who} ({money})", who=who, money=money))
        else:
            parts.append(t("private track most under {who} ({money})", who=who, money=money))
    return t("Who pays most: {parts}", parts="; ".join(parts))


def gap_point(labels: tuple[str, ...], totals: list[float], last_quarter: str) -> str:
    """The funding-gap chart's point, from the totals shown (PKR million): the largest gap and who has none."""
    top = max(totals)
    who = [label for label, v in zip(labels, totals, strict=True) if round(v) == round(top)]
    none = [label for label, v in zip(labels, totals, strict=True) if round(v) == 0]
    money = f"PKR {top:,.0f} million" if i18n.current() == "en" else i18n.money_m(top, "PKR")
    text = t("Largest funding gap by {q}: {who} ({money})", q=qtr(last_quarter), who=join(who), money=money)
    if none:
        text += t("; no gap under {who}", who=join(none))
    return text


# ---------------------------------------------------------------------------------------------------
# Ranges


@dataclass(frozen=True)
class RangeText:
    """A headline figure's 5th–95th percentile range as shown beside the figure."""

    low: str
    high: str

    def __str__(self) -> str:
        return t("Range {low} to {high}", low=self.low, high=self.high)


def range_texts(r: Ranges) -> dict[str, RangeText]:
    """The four headline ranges in the Compare page's units (hubs, learners, PKR bn, PKR thousand per learner)."""

    def per(v: float) -> str:
        return t("n/a") if math.isnan(v) else i18n.num(v / 1000)

    return {
        "hubs_open": RangeText(i18n.num(r.low["hubs_open"]), i18n.num(r.high["hubs_open"])),
        "learners_certified": RangeText(i18n.num(r.low["learners_certified"]), i18n.num(r.high["learners_certified"])),
        "total_cost": RangeText(i18n.num(r.low["total_cost"] / 1000, 2), i18n.num(r.high["total_cost"] / 1000, 2)),
        "cost_per_certified_learner": RangeText(per(r.low["cost_per_certified_learner"]), per(r.high["cost_per_certified_learner"])),
    }


def range_help(r: Ranges) -> str:
    """What the ranges are, in one sentence (for the page's caption)."""
    return t(
        "Ranges: the {low}th to {high}th percentile of {n} runs with the illustrative assumptions drawn within their "
        "low and high bounds (a fixed seed: the same link gives the same range). Method on the Methodology page.",
        low=LOW,
        high=HIGH,
        n=i18n.num(r.samples),
    )


# ---------------------------------------------------------------------------------------------------
# Sensitivity (tornado)


@dataclass(frozen=True)
class SensitivityData:
    """The sensitivity chart of one option, its data table and the point it makes (figure None: nothing moves)."""

    figure: go.Figure | None
    table: pd.DataFrame
    point: str


def unit_text(unit: object) -> str:
    """An assumption's unit (assumptions.csv `unit`, a short English word) in the current language."""
    text = str(unit)
    if i18n.current() == "en" or not text:
        return text
    return {
        "quarters": t("quarters"),
        "ratio": t("ratio"),
        "hubs": t("hubs"),
        "trainees": t("trainees"),
        "learners": t("learners"),
        "PKR million": t("PKR million"),
        "weeks": t("weeks"),
        "PKR per month": t("PKR per month"),
        "share": t("share"),
        "institutes": t("institutes"),
        "PKR million per year": t("PKR million per year"),
        "labs": t("labs"),
        "cohorts per year": t("cohorts per year"),
        "learners per year": t("learners per year"),
        "PKR per USD": t("PKR per USD"),
        "years": t("years"),
    }.get(text, text)


WRAP = {"en": 24, "ur": 24}  # characters a line of a tornado label (the same in Urdu: a phone keeps room for the bars)
LINE_PX = {"en": 16, "ur": 30}  # px a label line takes


def signed_ticks(values: list[float], n: int = 5) -> dict:
    """Urdu tick values and labels for a signed axis (Plotly cannot group lakh/crore): about `n` round steps,
    '+12.3 لاکھ', '0', '−5,000'. English: {} (the axis's own '+,.2s' format stays)."""
    if i18n.current() == "en" or not values:
        return {}
    lo, hi = min(0.0, *values), max(0.0, *values)
    span = hi - lo or 1.0
    raw = span / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    vals = []
    v = start
    while v <= hi + step * 1e-9:
        vals.append(round(v, 6))
        v += step
    vals.append(round(v, 6))

    def label(x: float) -> str:
        if abs(x) < 1e-9:
            return "0"
        text = i18n.compact(abs(x), 1) if abs(x) >= 100_000 else i18n.num(abs(x))
        return ("+" if x > 0 else "−") + text

    return {"tickmode": "array", "tickvals": vals, "ticktext": [label(x) for x in vals]}


def _panel(fig: go.Figure, frame: pd.DataFrame, low: str, high: str, row: int, show_legend: bool) -> None:
    lang = i18n.current()
    for i, (column, name) in enumerate(((low, t("Assumption at its low bound")), (high, t("Assumption at its high bound")))):
        fig.add_trace(
            go.Bar(
                name=name,
                x=frame[column].tolist(),
                # data text (Plotly reads a subset of HTML), broken into short lines: the labels leave the bars room on a phone
                y=[bidi("<br>".join(textwrap.wrap(escape_html(a), WRAP.get(lang, 24)))) for a in frame["assumption"]],
                orientation="h",
                marker={"color": PALETTE[[2, 1][i]], "pattern": {"shape": PATTERNS[[1, 0][i]], "fillmode": "overlay"}},
                legendgroup=name,
                showlegend=show_legend,
                **(
                    {"hovertemplate": "%{y}<br>%{x:+,.0f}<extra>" + name + "</extra>"}
                    if lang == "en"
                    else {
                        "customdata": [("+" if v > 0 else "") + i18n.num(v) for v in frame[column]],
                        "hovertemplate": "%{y}<br>%{customdata}<extra>" + escape_html(name) + "</extra>",
                    }
                ),
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
        return SensitivityData(None, pd.DataFrame(), t("Under “{label}” no assumption with a range moves the headline figures", label=label))
    table = pd.DataFrame(
        {
            t("Assumption"): frame["assumption"],
            t("Low bound"): [f"{number(v)} {unit_text(units.get(p, ''))}".strip() for p, v in zip(frame["param_id"], frame["low"], strict=True)],
            t("High bound"): [f"{number(v)} {unit_text(units.get(p, ''))}".strip() for p, v in zip(frame["param_id"], frame["high"], strict=True)],
            t("Cost per certified learner at low bound (change, PKR)"): frame["cost_per_learner_at_low"].round(0),
            t("Cost per certified learner at high bound (change, PKR)"): frame["cost_per_learner_at_high"].round(0),
            t("Learners certified at low bound (change)"): frame["learners_at_low"].round(0),
            t("Learners certified at high bound (change)"): frame["learners_at_high"].round(0),
        }
    )
    cost = frame[frame["cost_swing"] > 0.5].head(SENSITIVITY_ROWS)
    learners = frame[frame["learners_swing"] > 0.5].sort_values("learners_swing", ascending=False, kind="stable").head(SENSITIVITY_ROWS)
    if cost.empty and learners.empty:
        return SensitivityData(None, table, t("Under “{label}” no assumption moves cost per certified learner or learners certified", label=label))
    lang = i18n.current()
    lines = max((len(textwrap.wrap(str(a), WRAP.get(lang, 24))) for a in pd.concat([cost["assumption"], learners["assumption"]])), default=1)
    pair = 56 if lang == "en" else max(56, LINE_PX.get(lang, 16) * min(lines, 4) + 8)  # a bar pair per assumption, room for its label's lines
    height = 220 + pair * (len(cost) + len(learners))
    fig = make_subplots(
        rows=2,
        cols=1,
        subplot_titles=(t("Change in cost per<br>certified learner (PKR)"), t("Change in<br>learners certified")),  # two short lines: a phone's plot is narrow
        vertical_spacing=min(
            0.4, (80 if lang == "en" else 130) / height
        ),  # ~80 px (Nastaliq: 130): the top panel's tick labels and the lower panel's title never meet
        row_heights=[max(len(cost), 1), max(len(learners), 1)],
    )
    # largest swing at the top of each panel
    _panel(fig, cost.iloc[::-1], "cost_per_learner_at_low", "cost_per_learner_at_high", 1, True)
    _panel(fig, learners.iloc[::-1], "learners_at_low", "learners_at_high", 2, False)
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(zeroline=True, zerolinecolor="#14213D", zerolinewidth=1, tickformat="+,.2s", gridcolor="#E3E8E6", showgrid=True, nticks=5, tickangle=0)
    fig.update_yaxes(automargin=True)
    for row, sub, columns in ((1, cost, ("cost_per_learner_at_low", "cost_per_learner_at_high")), (2, learners, ("learners_at_low", "learners_at_high"))):
        ticks = signed_ticks([float(v) for c in columns for v in sub[c]], n=3)  # few ticks: Urdu labels are wide on a phone
        if ticks:
            fig.update_xaxes(row=row, col=1, **ticks)
    style(fig, height=height)
    fig.update_layout(**label_margin([y for trace in fig.data for y in trace.y]))
    if lang == "en":
        fig.update_layout(legend={"y": 1.06}, margin={"t": 50})
    else:  # the top panel's two-line Nastaliq title stands taller: the legend goes above it, with room
        plot = max(height - 140 - 60, 100)
        fig.update_layout(legend={"y": 1 + 70 / plot, "yanchor": "bottom"}, margin={"t": 140})
    for title in fig.layout.annotations:  # the panels' titles, at the house's legend size
        title.update(font={"size": 14})
    parts = []
    if not cost.empty:
        parts.append(t("“{name}” moves cost per certified learner most", name=cost["assumption"].iloc[0]))
    if not learners.empty:
        top = learners["assumption"].iloc[0]
        parts.append(
            t("it also moves learners certified most")
            if parts and not cost.empty and top == cost["assumption"].iloc[0]
            else t("“{name}” moves learners certified most", name=top)
        )
    point = t("Under “{label}”, {parts}", label=label, parts="; ".join(parts))
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
