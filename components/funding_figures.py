"""The Funding page's figures and tables, built from a release (pure: plotly, never Streamlit; cached by components.cached).

Amounts come from pakcoe.model through pakcoe.funding, never typed. components.funding draws what is built here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from components.badges import badge, param_badge
from components.chart import PALETTE, ChartData, style, with_patterns
from components.escape import escape_html, escape_md
from components.rollout_figures import wrap
from pakcoe import Release, i18n
from pakcoe.funding import KIND_LABELS, Branch, kind_labels, phase_funding, sankey_flows, source_kinds, source_labels, track_labels, use_labels, yearly_mix
from pakcoe.model import Scenario, scenario_from_option

NODE_COLOURS = {"government": "#0B6E4F", "international": "#3D5A80", "private": "#E07A1F", "track": "#5E548E", "use": "#6B8F23"}
MODEL_BASIS = "Model output from the illustrative inputs listed below"
MODEL_SOURCE = "Rollout model (version 2, this app) on the release's assumptions and funding shares (illustrative assumptions)"
GAP_SOURCE = "Rollout model (version 2, this app): each funding source's yearly capacity against the plan's spending"
LEGEND_WRAP = 30  # characters per line of a legend entry: a phone shows the whole label
GAP_BASIS = "Money missing against the plan at the planned time: each source gives at most its yearly capacity (funding sources)"


def model_basis() -> str:
    """MODEL_BASIS in the current language."""
    return i18n.t("Model output from the illustrative inputs listed below")


def model_source() -> str:
    """MODEL_SOURCE in the current language."""
    return i18n.t("Rollout model (version 2, this app) on the release's assumptions and funding shares (illustrative assumptions)")


def gap_source() -> str:
    """GAP_SOURCE in the current language."""
    return i18n.t("Rollout model (version 2, this app): each funding source's yearly capacity against the plan's spending")


def gap_basis() -> str:
    """GAP_BASIS in the current language."""
    return i18n.t("Money missing against the plan at the planned time: each source gives at most its yearly capacity (funding sources)")


GAP_ZERO = 0.5  # PKR million: below this there is no funding gap (as pakcoe.advice counts it)
INPUT_PARAMS = (
    "capex_flagship",
    "capex_standard",
    "capex_tvet",
    "opex_flagship",
    "opex_standard",
    "opex_tvet",
    "compute_share_flagship",
    "compute_share_standard",
    "compute_share_tvet",
    "opex_share_instructors",
    "opex_share_programmes",
    "opex_share_operations",
    "private_capacity",
    "capital_share_of_capacity",
    "handover_quarters",
    "horizon_quarters",
)


@dataclass(frozen=True)
class FundingView:
    """What the page's controls selected."""

    option_id: str
    phase: int | None  # None: all phases
    currency: str


@dataclass(frozen=True)
class SankeyData:
    """Sources → track → uses: the figure, the link table, the point it makes and the total of every node ('kind:id')."""

    figure: go.Figure
    links: pd.DataFrame
    point: str
    node_totals: dict[str, float]
    figures: tuple[tuple[str, str, str], ...] = ()  # the key figures above the chart: (label, amount, what it is)


@dataclass(frozen=True)
class GapData:
    """The funding gap by year and source: figure (None when there is no gap), table, point, and where the gap comes from."""

    figure: go.Figure | None
    table: pd.DataFrame
    point: str
    origin: str  # '' when there is no gap


@dataclass(frozen=True)
class BranchData:
    """One branch of the public funding decision: the model's summary, its hubs-by-year chart, and its funding gap's origin."""

    branch: Branch
    figure: go.Figure
    table: pd.DataFrame
    point: str
    gap: str


def divisor(release: Release, currency: str) -> float:
    """PKR million → the currency asked (USD at the usd_pkr assumption)."""
    return release.param("usd_pkr") if currency == "USD" else 1.0


def money(value: float, currency: str) -> str:
    """'PKR 5,427 M' or 'USD 19.4 M' (a float rounding residue below 0.05 shows as 0); in Urdu in words with
    lakh/crore (pakcoe.i18n.money_m)."""
    return i18n.money_m(value, currency)


def phase_label(release: Release, phase: int | None) -> str:
    """'all phases' or 'Phase 2: Major cities'."""
    if phase is None:
        return i18n.t("all phases")
    return i18n.t("Phase {n}: {name}", n=phase, name=release.table("phases").set_index("phase_id").at[phase, "name"])


def _node_positions(kinds: tuple[str, ...], totals: tuple[float, ...], spacing: float = 0.04) -> tuple[list[float], list[float]]:
    """Column x (tracks at 56% so the long source labels fit) and stacked y centres per node (Plotly's fractions),
    `spacing` (a fraction of the height) between the nodes of a column."""
    column_x = {"source": 0.001, "track": 0.56, "use": 0.999}
    x, y = [], []
    for kind in column_x:
        members = [i for i, k in enumerate(kinds) if k == kind]
        height = sum(totals[i] for i in members) or 1.0
        gap = spacing if len(members) > 1 else 0.0
        scale = (1 - gap * (len(members) - 1)) / height
        top = 0.0
        for i in members:
            h = totals[i] * scale
            y.append(min(max(top + h / 2, 0.001), 0.999))
            x.append(column_x[kind])
            top += h + gap
    order = [i for kind in column_x for i, k in enumerate(kinds) if k == kind]
    xs, ys = [0.0] * len(kinds), [0.0] * len(kinds)
    for pos, i in enumerate(order):
        xs[i], ys[i] = x[pos], y[pos]
    return xs, ys


def sankey_data(release: Release, option_id: str, phase: int | None, currency: str, own: tuple[str, Scenario] | None = None) -> SankeyData:
    """Sources → track → uses for an option and phase."""
    funding = phase_funding(release, own[1] if own else scenario_from_option(release, option_id), phase)
    flows = sankey_flows(release, funding, divisor(release, currency))
    kinds = source_kinds(release)
    colours = [NODE_COLOURS[kinds[i]] if k == "source" else NODE_COLOURS[k] for k, i in zip(flows.kinds, flows.node_ids)]
    names = release.table("funding_sources").set_index("source_id")["name"]
    kind_names = kind_labels()
    english = i18n.current() == "en"
    # Urdu: a source's label on one line (Plotly sets a label's lines closer than Nastaliq's tall marks need, and the
    # sources' nodes sit close together)
    br = "<br>" if english else " · "
    labels = [
        f"{escape_html(names.get(i, label))}: {money(v, currency)}{br}{escape_html(kind_names[kinds[i]])}"
        if k == "source" and i in kinds
        else f"{escape_html(label)}<br>{money(v, currency)}"
        for k, i, label, v in zip(flows.kinds, flows.node_ids, flows.labels, flows.node_total)
    ]
    if not english:  # each label reads right to left inside the left-to-right plot (Unicode right-to-left embedding)
        labels = ["<br>".join(f"\u202b{line}\u202c" for line in label.split("<br>")) for label in labels]
    x, y = _node_positions(flows.kinds, flows.node_total, 0.04 if english else 0.06)  # Urdu: taller two-line labels
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            valueformat=",.1f",
            valuesuffix=f" {currency} M" if english else "",  # Urdu: the hovers below say each amount in words
            textfont={"color": "#14213D", "size": 13, "shadow": "none", "weight": 600},
            node={"label": labels, "color": colours, "x": x, "y": y, "pad": 14 if english else 34, "thickness": 18, "line": {"color": "#14213D", "width": 0.5}},
            link={"source": list(flows.link_source), "target": list(flows.link_target), "value": list(flows.link_value), "color": "rgba(20,33,61,0.12)"},
        )
    )
    if not english:  # Plotly's own hovers read "incoming flow count": in Urdu, each node and link says its amount in words
        fig.update_traces(
            node_customdata=[money(v, currency) for v in flows.node_total],
            node_hovertemplate="%{label}<extra></extra>",
            link_customdata=[money(v, currency) for v in flows.link_value],
            link_hovertemplate=i18n.t("From {a} to {b}: {amount}", a="%{source.label}", b="%{target.label}", amount="%{customdata}") + "<extra></extra>",
        )
    style(fig, height=520 if english else 640)  # Urdu: Nastaliq's two-line labels need more room between nodes
    fig.update_layout(font={"size": 13})
    total = sum(v for k, v in zip(flows.kinds, flows.node_total) if k == "source")
    by_kind = {k: sum(v for kk, i, v in zip(flows.kinds, flows.node_ids, flows.node_total) if kk == "source" and kinds[i] == k) for k in KIND_LABELS}
    name = own[0] if own else release.table("options").set_index("option_id").at[option_id, "name"]
    if total > 0:
        point = i18n.t(
            "{option}, {phase}: {total} in all; government budgets pay {gov}, private sources {private}, international partners {intl}",
            option=name,
            phase=phase_label(release, phase),
            total=money(total, currency),
            gov=i18n.percent(by_kind["government"] / total),
            private=i18n.percent(by_kind["private"] / total),
            intl=i18n.percent(by_kind["international"] / total),
        )
    else:
        point = i18n.t("{option}, {phase}: no hub of this phase opens within the model horizon", option=name, phase=phase_label(release, phase))
    table = flows.links().rename(columns={"from": i18n.t("From"), "to": i18n.t("To"), "amount": i18n.t("Amount ({currency} million)", currency=currency)})
    totals = {f"{k}:{i}": v for k, i, v in zip(flows.kinds, flows.node_ids, flows.node_total)}
    figures = ()
    if total > 0:

        def share(kind: str) -> str:
            return i18n.percent(by_kind[kind] / total)

        figures = (
            (i18n.t("In all"), money(total, currency), i18n.t("model output, not money committed")),
            (i18n.t("Government budgets"), money(by_kind["government"], currency), i18n.t("{share} of all", share=share("government"))),
            (i18n.t("Private sources"), money(by_kind["private"], currency), i18n.t("{share} of all", share=share("private"))),
            (
                i18n.t("International partners"),
                money(by_kind["international"], currency),
                i18n.t("{share} of all, non-government money", share=share("international")),
            ),
        )
    return SankeyData(fig, table, point, totals, figures)


def branch_data(release: Release, b: Branch) -> BranchData:
    """One branch's hubs open at each year's end by track, and where its funding gap comes from."""
    data = b.hubs_by_year.melt(id_vars="year", var_name="track", value_name="hubs")
    data["year"] = data["year"].astype(str)
    track_names = branch_tracks()
    data["track"] = data["track"].map(track_names)
    fig = with_patterns(
        px.bar(
            data,
            x="year",
            y="hubs",
            color="track",
            labels={"year": i18n.t("Year"), "hubs": i18n.t("Hubs open"), "track": i18n.t("Track")},
            color_discrete_sequence=[PALETTE[0], PALETTE[1]],
        )
    )
    style(fig, height=240)
    fig.update_layout(font={"size": 12}, margin={"l": 5, "r": 5, "t": 5, "b": 5})
    fig.update_xaxes(title={"text": ""})
    if i18n.current() != "en":  # Plotly's default hover names the data columns: say it in words
        for trace in fig.data:
            trace.hovertemplate = i18n.t("{track}, {year}: {n} hubs open", track=escape_html(trace.name), year="%{x}", n="%{y}") + "<extra></extra>"
    if b.network_complete_quarter:
        done = i18n.t("All {n} hubs open by {quarter}", n=i18n.num(b.hubs_at_end), quarter=quarter_text(b.network_complete_quarter))
    else:
        done = i18n.t("{n} hubs open by the horizon's end", n=i18n.num(b.hubs_at_end))
    table = b.hubs_by_year.rename(columns={"year": i18n.t("Year"), **track_names})
    return BranchData(b, fig, table, done, branch_gap(release, b))


def branch_tracks() -> dict[str, str]:
    """The columns of a branch's hubs by year ('public track', 'private track') as users read them."""
    return {"public track": i18n.t("Public track"), "private track": i18n.t("Private track")}


def quarter_text(label: str | None) -> str:
    """A model quarter ('2029Q4') as the page writes it: as it is in English (the app always wrote it so), in words
    in Urdu."""
    if not label:
        return ""
    return str(label) if i18n.current() == "en" else i18n.quarter(str(label))


def wrap_label(text: str, width: int = LEGEND_WRAP) -> str:
    """A legend entry in lines of at most about `width` characters (Plotly's <br>), broken between words, as it was
    given (rollout_figures.wrap without escaping)."""
    return wrap(text, width, escape=False)


STAGES = (("source", "Who pays"), ("track", "Through which track"), ("use", "For what"))


def stages() -> dict[str, str]:
    """The Sankey's three columns (kind -> heading) in the current language."""
    return {"source": i18n.t("Who pays"), "track": i18n.t("Through which track"), "use": i18n.t("For what")}


def flow_summary(release: Release, totals: dict[str, float], currency: str) -> list[tuple[str, list[str]]]:
    """The Sankey's three columns as lists a phone shows whole: (stage, ['Label: PKR 1,234 M (12%)', ...]) (plain text)."""
    labels = {"source": source_labels(release), "track": track_labels(), "use": use_labels()}
    out = []
    for kind, stage in stages().items():
        items = [(labels[kind].get(nid, nid), v) for node, v in totals.items() for k, nid in [node.split(":", 1)] if k == kind]
        whole = sum(v for _, v in items) or 1.0
        out.append((stage, [f"{label}: {money(v, currency)} ({i18n.percent(v / whole)})" for label, v in items]))
    return out


def source_kinds_text(release: Release) -> str:
    """Which sources are government budgets, which are international partners (non-government), as this release says."""
    kinds = source_kinds(release)
    names = release.table("funding_sources").set_index("source_id")["name"]
    sep = i18n.t(", ")
    government = [escape_md(names[s]) for s, k in kinds.items() if k == "government"]
    international = [escape_md(names[s]) for s, k in kinds.items() if k == "international"]
    text = i18n.t("Government budget = {names}.", names=sep.join(government)) if government else i18n.t("No source is a government budget in this release.")
    if international:
        text += " " + i18n.t(
            "{names}: international partner money, a non-government category of its own, never counted as public money.", names=sep.join(international)
        )
    return text


def branches_caption(branches: list[Branch]) -> str:
    """What the branches show about funding gaps and the private track's capacity, from the model runs themselves."""
    by = {b.decision: b for b in branches}
    if all(b.funding_gap < GAP_ZERO for b in by.values()):
        text = i18n.t(
            "No branch has a funding gap: every source can pay its share of each hub at its planned quarter within its yearly "
            "capacity, so no hub waits for money."
        )
    else:
        text = i18n.t(
            "A funding gap is money missing against the plan at the planned time: a source's yearly capacity cannot pay its share "
            "of a hub when it is planned, so the hub waits until the money is there and the schedule slips."
        )
    on_time, alone = by.get("on_time"), by.get("not_approved")
    if on_time is not None and alone is not None:

        def opened(b: Branch) -> tuple:
            return (b.network_complete_quarter, (b.hubs_by_year["public track"] + b.hubs_by_year["private track"]).tolist())

        if opened(on_time) == opened(alone):
            text += " " + i18n.t(
                "At its central value the private track's funding capacity (an illustrative assumption) never limits the rollout, so "
                "'not approved' opens hubs on the same timetable as 'on time', with different payers; a lower capacity would slow it (Compare page)."
            )
        else:
            text += " " + i18n.t(
                "At its central value the private track's funding capacity (an illustrative assumption) limits the rollout: 'not approved' "
                "opens hubs later than 'on time' (Compare page: raise or lower the capacity lever)."
            )
    return text


def branch_gap(release: Release, b: Branch) -> str:
    """Where one branch's funding gap comes from (its sources and first quarter), or that it has none."""
    if b.funding_gap < GAP_ZERO:
        return i18n.t("No funding gap: every hub's money is there at its planned quarter.")
    funding = phase_funding(release, scenario_from_option(release, b.option_id))
    return gap_origin(release, funding)


def gap_origin(release: Release, funding: pd.DataFrame) -> str:
    """'Missing from 2027Q3: Private sector PKR 394 M, Philanthropy PKR 120 M …' from a funding frame's gap column."""
    labels = release.table("funding_sources").set_index("source_id")["name"]
    by_source = funding.groupby("source_id", observed=True)["gap"].sum().sort_values(ascending=False)
    by_source = by_source[by_source > 0.05]
    first = funding.loc[funding["gap"] > 0.05, "quarter"].astype(str)
    parts = i18n.t(", ").join(f"{labels.get(k, k)} {money(v, 'PKR')}" for k, v in by_source.items())
    if not len(first):
        return i18n.t("No funding gap.")
    return i18n.t("Missing from {quarter} on: {parts}.", quarter=quarter_text(first.min()), parts=parts)


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top` (about `count` of them): steps of 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return [0.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(math.ceil(top / step)) + 1)]


def urdu_ticks(fig: go.Figure, top: float, axis: str = "y") -> None:
    """In Urdu, the value axis' ticks written the Urdu way (lakh grouping, no 'k' suffix), set explicitly because
    Plotly groups only by thousands; English keeps Plotly's own ticks."""
    if i18n.current() == "en":
        return
    values = nice_ticks(top)
    texts = [i18n.num(v, 0 if float(v).is_integer() else 1) for v in values]
    getattr(fig, f"update_{axis}axes")(tickvals=values, ticktext=texts)


def yearly_bars(data: pd.DataFrame, value: str, currency: str, *, height: int) -> go.Figure:
    """Money by year (text column `year`), stacked by `source`, patterned; the legend above the bars, each entry wrapped
    so that a phone shows it whole."""
    data = data.assign(source=[wrap_label(s) for s in data["source"]])
    fig = with_patterns(
        px.bar(
            data,
            x="year",
            y=value,
            color="source",
            labels={"year": i18n.t("Year"), value: i18n.t("{currency} million", currency=currency), "source": i18n.t("Source")},
            color_discrete_sequence=PALETTE,
        )
    )
    style(fig, height=height)
    fig.update_xaxes(title={"text": ""})
    if i18n.current() != "en":  # amounts in the hover in words (lakh/crore), the axis' big numbers grouped the Urdu way
        for trace in fig.data:
            trace.customdata = [[money(float(v), currency)] for v in trace.y]
            trace.hovertemplate = escape_html(str(trace.name).replace("<br>", " ")) + "<br>%{x}: %{customdata[0]}<extra></extra>"
        top = float(data.groupby("year")[value].sum().max()) if len(data) else 0.0
        urdu_ticks(fig, top)
    # horizontal: the entries flow in rows as wide as the chart; maxheight 1: the whole legend shows, never a scrolled part
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "font": {"size": 12}, "maxheight": 1, "title": {"text": ""}})
    return fig


def gap_data(release: Release, option_id: str, phase: int | None, currency: str, own: tuple[str, Scenario] | None = None) -> GapData:
    """The funding gap by year and source (patterned bars)."""
    funding = phase_funding(release, own[1] if own else scenario_from_option(release, option_id), phase)
    d = divisor(release, currency)
    f = funding.assign(year=funding["quarter"].astype(str).str[:4].astype(int), gap=funding["gap"] / d)
    gap = f.groupby(["year", "source_id"], observed=True, as_index=False)["gap"].sum()
    gap = gap[gap.groupby("source_id")["gap"].transform("sum") > 0.05 / d]
    labels = source_labels(release)
    gap = gap.assign(source=gap["source_id"].map(labels))
    name = own[0] if own else release.table("options").set_index("option_id").at[option_id, "name"]
    table = gap.pivot_table(index="year", columns="source", values="gap", aggfunc="sum", fill_value=0.0).reset_index() if len(gap) else pd.DataFrame()
    table.columns.name = None
    table = table.rename(columns={"year": i18n.t("Year")})
    total = float(funding["gap"].sum())
    if total < GAP_ZERO:
        return GapData(
            None,
            table,
            i18n.t(
                "No funding gap under “{option}”, {phase}: every source pays its share of each hub when it is planned",
                option=name,
                phase=phase_label(release, phase),
            ),
            "",
        )
    fig = yearly_bars(gap.assign(year=gap["year"].astype(str)), "gap", currency, height=360)
    point = i18n.t(
        "{option}, {phase}: {amount} is missing against the plan at the planned time",
        option=name,
        phase=phase_label(release, phase),
        amount=money(total / d, currency),
    )
    return GapData(fig, table, point, gap_origin(release, funding))


def mix_data(release: Release, option_id: str, phase: int | None, currency: str, own: tuple[str, Scenario] | None = None) -> ChartData:
    """Funding by year, stacked by source (patterned bars)."""
    funding = phase_funding(release, own[1] if own else scenario_from_option(release, option_id), phase)
    mix = yearly_mix(release, funding, divisor(release, currency))
    mix = mix[mix.groupby("source_id")["amount"].transform("sum") > 1e-9]
    data = mix.assign(year=mix["year"].astype(str))
    fig = yearly_bars(data, "amount", currency, height=440)
    yearly = mix.groupby("year")["amount"].sum()
    name = own[0] if own else release.table("options").set_index("option_id").at[option_id, "name"]
    if yearly.sum() > 0:
        point = i18n.t(
            "{option}, {phase}: spending peaks in {year} at {amount}",
            option=name,
            phase=phase_label(release, phase),
            year=int(yearly.idxmax()),
            amount=money(float(yearly.max()), currency),
        )
    else:
        point = i18n.t("{option}, {phase}: no spending within the model horizon", option=name, phase=phase_label(release, phase))
    table = mix.pivot_table(index="year", columns="source", values="amount", aggfunc="sum", fill_value=0.0).reset_index()
    table.columns.name = None
    table = table.rename(columns={"year": i18n.t("Year")})
    return ChartData(fig, table, point)


def _row(section: str, figure: str, value: str, provenance: str, basis: str) -> dict[str, str]:
    return {"section": section, "figure": figure, "value": value, "provenance": provenance, "basis": basis}


def provenance_rows(release: Release, view: FundingView, totals: dict[str, float], built: list[BranchData]) -> list[dict[str, str]]:
    """Every figure of the page with its provenance badge (markdown) and basis (texts in the current language; the
    `section` of a row is a key: 'Sankey', 'Branch: <title>' or 'Model input')."""
    model = badge(release, None)
    model_why, gap_why = model_basis(), gap_basis()
    labels = {
        "source": source_labels(release),
        "track": track_labels(),
        "use": use_labels(),
    }
    heads = stages()
    rows = []
    for node, v in totals.items():
        kind, nid = node.split(":", 1)
        rows.append(_row("Sankey", f"{heads[kind]}: {labels[kind].get(nid, nid)}", money(v, view.currency), model, model_why))
    d = divisor(release, view.currency)
    paid = (i18n.t("Paid by government budgets"), i18n.t("Paid by international partners"), i18n.t("Paid by private sources"))
    for b in (item.branch for item in built):
        for what, v in zip(paid, (b.government_money, b.international_money, b.private_money), strict=True):
            rows.append(_row(f"Branch: {b.title}", what, money(v / d, view.currency), model, model_why))
        rows.append(_row(f"Branch: {b.title}", i18n.t("Funding gap"), money(b.funding_gap / d, view.currency), model, gap_why))
        done = quarter_text(b.network_complete_quarter) if b.network_complete_quarter else i18n.t("not within the horizon")
        rows.append(_row(f"Branch: {b.title}", i18n.t("Network complete"), done, model, model_why))
    a = release.assumptions.set_index("param_id")
    english = i18n.current() == "en"
    for p in ("usd_pkr", *INPUT_PARAMS):
        if p in a.index:
            value = f"{a.at[p, 'value']:,g}" if english else i18n.num(float(a.at[p, "value"]), 0 if float(a.at[p, "value"]).is_integer() else 2)
            rows.append(
                _row("Model input", str(a.at[p, "name"]), f"{value} {unit_text(release, a.at[p, 'unit'])}", param_badge(release, p), str(a.at[p, "basis"]))
            )
    sources = release.table("funding_sources")
    if "annual_capacity_pkr_m" in sources.columns:
        basis = sources["capacity_basis"] if "capacity_basis" in sources.columns else [None] * len(sources)
        for name, cap, b in zip(sources["name"], sources["annual_capacity_pkr_m"], basis, strict=True):
            badge_md = param_badge(release, b) if isinstance(b, str) and b in a.index else model
            why = str(a.at[b, "basis"]) if isinstance(b, str) and b in a.index else i18n.t("Funding sources table")
            amount = f"PKR {cap:,.0f} M" if english else money(float(cap), "PKR")
            rows.append(_row("Model input", i18n.t("Yearly capacity: {name}", name=name), i18n.t("{amount} a year", amount=amount), badge_md, why))
    rows.append(
        _row(
            "Model input",
            i18n.t("Funding shares by track, phase and use"),
            i18n.t("{n} shares (the release's funding rules)", n=i18n.num(len(release.table("funding_rules")))),
            model,
            i18n.t("Proposal design; no partner has committed any share"),
        )
    )
    return rows


def unit_text(release: Release, unit: object) -> str:
    """An assumption's unit as users read it (the display texts' label of the `unit` value; as written if none)."""
    from pakcoe.display import texts

    return texts(release).value("unit", unit, "assumptions") if i18n.current() != "en" else str(unit)
