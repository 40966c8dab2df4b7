"""The Partners & roles page's charts, built from a release (pure: plotly, never Streamlit; cached by components.cached)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from components.badges import source_label
from components.chart import PALETTE, ChartData, style, with_patterns
from components.escape import escape_html
from pakcoe import Release, i18n
from pakcoe.funding import source_labels, track_labels
from pakcoe.labels import hub_types
from pakcoe.release import per_release

RACI_CODE = {"I": 0, "C": 1, "R": 2, "A": 3}
RACI_COLOURS = ["#EEF4F1", "#C9DCEB", "#F3C58F", "#0B6E4F"]  # I, C, R, A: the letters carry the meaning
URDU_LABELS_PX = 125  # left margin for the wrapped Urdu axis labels (the widest measured 111 px at 12–13 px Nastaliq)


def _wrap(text: str, width: int = 16) -> str:
    """Data text for a Plotly axis label: escaped, wrapped with <br> between words (a long word stays whole)."""
    return "<br>".join(escape_html(line) for line in textwrap.wrap(str(text), width, break_long_words=False)) or " "


def plural(label: str) -> str:
    """'Flagship hub' -> 'flagship hubs', 'TVET-embedded hub' -> 'TVET-embedded hubs' (a hub-type label inside a sentence)."""
    lowered = label[:1].lower() + label[1:] if label[1:2].islower() else label
    return lowered if lowered.endswith("s") else lowered + "s"


def raci_letters(release: Release, track: str) -> pd.DataFrame:
    """Activities × partner categories, one RACI letter per cell, for a track (rows and columns in release order)."""
    roles = release.table("roles")
    roles = roles[roles["track"] == track]
    activities = release.table("activities").set_index("activity_id")["name"]
    partners = release.table("partners").set_index("partner_id")["category"]
    grid = roles.pivot(index="activity_id", columns="partner_id", values="raci")
    grid = grid.reindex(index=[a for a in activities.index if a in grid.index], columns=[p for p in partners.index if p in grid.columns])
    grid.index = [activities[a] for a in grid.index]
    grid.columns = [partners[p] for p in grid.columns]
    return grid.fillna("")


def raci_data(release: Release, track: str) -> ChartData:
    """The RACI heatmap with the letter in every cell."""
    grid = raci_letters(release, track)
    z = [[RACI_CODE.get(v) for v in row] for row in grid.to_numpy()]
    n = len(RACI_COLOURS)
    scale = [[(i + e) / n, c] for i, c in enumerate(RACI_COLOURS) for e in (0, 1)]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_wrap(c, 12) for c in grid.columns],
            y=[_wrap(a, 20) for a in grid.index],  # narrow labels leave the eight columns room for their headers
            text=grid.to_numpy().tolist(),
            texttemplate="<b>%{text}</b>",
            textfont={"size": 17},
            colorscale=scale,
            zmin=-0.5,
            zmax=n - 0.5,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    style(fig, height=560)
    fig.update_layout(font={"size": 12}, plot_bgcolor="#FFFFFF")
    if i18n.is_rtl():  # Plotly sizes its margins before the Nastaliq web font is there: room for the wider labels
        fig.update_layout(margin_l=URDU_LABELS_PX)
    fig.update_yaxes(autorange="reversed", gridcolor="#FFFFFF")
    fig.update_xaxes(side="top", tickangle=0)
    accountable = (grid == "A").sum(axis=0)
    lead = accountable.idxmax()
    point = i18n.t(
        "{track}: {lead} is accountable for {n} of {total} activities", track=track_labels()[track], lead=lead, n=int(accountable.max()), total=len(grid)
    )
    return ChartData(fig, grid.reset_index(names=i18n.t("Activity")), point)


def levels_column() -> str:
    """The programmes table's column of NVQF levels, in the current language."""
    return i18n.t("NVQF levels (descriptive)")


def programmes_table(release: Release) -> pd.DataFrame:
    """Programmes with NVQF levels, duration, seats per cohort and seats per year per hub type."""
    p = release.table("programmes")
    offers = release.table("programme_offers").pivot_table(index="programme_id", columns="hub_type", values="seats_per_year", aggfunc="sum", fill_value=0)
    out = p[["programme_id", "name", "nvqf_level_min", "nvqf_level_max", "duration_weeks", "seats_per_cohort", "alignment_note"]].copy()
    out[levels_column()] = [f"{a}" if a == b else f"{a}–{b}" for a, b in zip(out["nvqf_level_min"], out["nvqf_level_max"])]
    for t, label in hub_types(release).items():
        out[i18n.t("seats a year: {label}", label=label)] = out["programme_id"].map(offers[t] if t in offers.columns else {}).fillna(0).astype(int)
    return out.drop(columns=["nvqf_level_min", "nvqf_level_max"])


def programmes_data(release: Release) -> ChartData:
    """Seats a year per programme and hub type; the axis label carries the NVQF levels and duration."""
    types = hub_types(release)
    table = programmes_table(release)
    label = {  # the name wrapped, then its levels and duration on a line of their own: narrow screens keep the labels whole
        pid: f"{_wrap(name, 24)}<br>" + i18n.t("NVQF {levels} · {weeks} wk", levels=levels, weeks=weeks)
        for pid, name, levels, weeks in zip(table["programme_id"], table["name"], table[levels_column()], table["duration_weeks"])
    }
    offers = release.table("programme_offers")
    data = offers.assign(programme=offers["programme_id"].map(label), type=offers["hub_type"].map(types))
    fig = with_patterns(
        px.bar(
            data,
            x="seats_per_year",
            y="programme",
            color="type",
            orientation="h",
            barmode="group",
            text="seats_per_year",
            category_orders={"programme": [label[p] for p in table["programme_id"]], "type": list(types.values())},
            labels={"seats_per_year": i18n.t("Seats a year per hub"), "programme": i18n.t("Programme"), "type": i18n.t("Hub type")},
            color_discrete_sequence=PALETTE,
        )
    )
    fig.update_traces(textposition="outside", cliponaxis=False)
    fig.update_yaxes(title={"text": ""})
    if i18n.current() != "en":  # Plotly's default hover names the data columns: say it in words
        for trace in fig.data:
            trace.hovertemplate = i18n.t("{type}: {n} seats a year per hub", type=escape_html(trace.name), n="%{x}") + "<extra></extra>"
    style(fig, height=620)
    if i18n.is_rtl():  # as in raci_data: room for the Nastaliq labels
        fig.update_layout(margin_l=URDU_LABELS_PX + 25)
    fig.update_xaxes(range=[0, float(offers["seats_per_year"].max()) * 1.2])  # room for the value beside the longest bar
    fig.update_yaxes(tickfont={"size": 13})
    counts = offers.groupby("hub_type")["programme_id"].nunique()
    levels = release.table("programmes").set_index("programme_id")["nvqf_level_max"]
    top = offers.assign(level=offers["programme_id"].map(levels)).groupby("hub_type")["level"].max()
    if i18n.current() == "en":
        parts = [f"{plural(label)} {int(counts[t])} (up to NVQF {int(top[t])})" for t, label in types.items() if t in counts.index]
    else:
        parts = [
            i18n.t("{label}: {n} (up to NVQF {level})", label=label, n=int(counts[t]), level=int(top[t])) for t, label in types.items() if t in counts.index
        ]
    point = i18n.t("Of {n} learning tracks, {parts} — NVQF levels descriptive", n=len(table), parts=i18n.t(", ").join(parts))
    return ChartData(fig, table, point)


@dataclass(frozen=True)
class Governance:
    """Who decides, who implements and who funds on one track (every body and role proposed)."""

    bodies: pd.DataFrame  # the governance bodies of the track (or of both tracks)
    implementers: list[str]  # partner categories Responsible (R) for at least one activity on the track
    funders: list[str]  # funding sources with a share on the track in funding_rules.csv


def governance_data(release: Release, track: str) -> Governance:
    """The governance bodies, implementers and funders of a track, in release order."""
    bodies = release.table("governance")
    bodies = bodies[bodies["track"].isin([track, "both"])]
    roles = release.table("roles")
    roles = roles[roles["track"] == track]
    partners = release.table("partners").set_index("partner_id")["category"]
    responsible = set(roles.loc[roles["raci"] == "R", "partner_id"])
    implementers = [partners[p] for p in partners.index if p in responsible]
    rules = release.table("funding_rules")
    funders = source_labels(release)
    sharing = set(rules.loc[(rules["track"] == track) & (rules["share"] > 0), "source_id"])
    paying = [funders[s] for s in funders if s in sharing]
    return Governance(bodies, implementers, paying)


LEVELS = {"low": "Low", "medium": "Medium", "high": "High"}
LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}


def levels() -> dict[str, str]:
    """LEVELS in the current language (risks_table's Likelihood and Impact hold the English, LEVELS' values)."""
    return {"low": i18n.t("Low"), "medium": i18n.t("Medium"), "high": i18n.t("High")}


_risks_tables = per_release(lambda release: {})  # language -> risks_table of a release object (read-only)


def risks_table(release: Release) -> pd.DataFrame:
    """One row per risk, in plain labels, most serious first (likelihood and impact both high first). Built once per
    release object and language (a release is read-only); each call gets its own copy."""
    memo = _risks_tables(release)
    lang = i18n.current()
    if lang not in memo:
        memo[lang] = _risks_table(release)
    return memo[lang].copy()


def _risks_table(release: Release) -> pd.DataFrame:
    risks = release.table("risks").copy()
    bodies = release.table("governance").set_index("body_id")["name"]
    risks["rank"] = [-(LEVEL_RANK[a] + LEVEL_RANK[b]) for a, b in zip(risks["likelihood"], risks["impact"])]
    risks = risks.sort_values(["rank", "risk_id"], kind="stable")
    # column names and levels stay the English keys their readers compare (levels() gives a level's words)
    return pd.DataFrame(
        {
            "Risk": risks["risk"],
            "Likelihood": [LEVELS[v] for v in risks["likelihood"]],
            "Impact": [LEVELS[v] for v in risks["impact"]],
            "Mitigation": risks["mitigation"],
            "Owner": [bodies.get(b, b) for b in risks["owner_body_id"]],
            "Evidence": [source_label(release, s) if isinstance(s, str) and s else i18n.t("Proposal judgement") for s in risks["evidence_source_id"]],
        }
    )


def risks_shown(release: Release) -> pd.DataFrame:
    """risks_table as users read it in a table: its headers and levels in the current language."""
    table = risks_table(release)
    words = levels()
    by_english = {LEVELS[k]: words[k] for k in LEVELS}
    table = table.assign(Likelihood=table["Likelihood"].map(by_english), Impact=table["Impact"].map(by_english))
    headers = {
        "Risk": i18n.t("Risk"),
        "Likelihood": i18n.t("Likelihood"),
        "Impact": i18n.t("Impact"),
        "Mitigation": i18n.t("Mitigation"),
        "Owner": i18n.t("Owner"),
        "Evidence": i18n.t("Evidence"),
    }
    return table.rename(columns=headers)
