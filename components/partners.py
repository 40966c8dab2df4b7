"""Sections of the Partners & roles page: partner categories per track, the RACI heatmap, governance, programmes.

Figure builders (`*_figure`) are pure and cached by components.cached; everything else draws from the release.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from components import urlstate
from components.chart import PALETTE, chart_frame, style, with_patterns
from components.escape import escape_html, escape_md
from components.overview import TYPE_LABELS
from pakcoe import Release
from pakcoe.funding import TRACK_LABELS, source_labels

RACI = {"R": "Responsible (does the work)", "A": "Accountable (answers for it; one per activity)", "C": "Consulted", "I": "Informed"}
RACI_CODE = {"I": 0, "C": 1, "R": 2, "A": 3}
RACI_COLOURS = ["#EEF4F1", "#C9DCEB", "#F3C58F", "#0B6E4F"]  # I, C, R, A: the letters carry the meaning
TRACK_ROLE_COLUMN = {"public": "role_public_track", "private": "role_private_track"}
NO_ACCREDITATION = (
    "**No accreditation exists today.** None of these programmes is accredited by NAVTTC or any other body. The NVQF levels "
    "show the *intended direction of alignment* only (descriptive); accreditation would have to be sought programme by programme."
)


def _wrap(text: str, width: int = 16) -> str:
    """Data text for a Plotly axis label: escaped, wrapped with <br>."""
    return "<br>".join(escape_html(line) for line in textwrap.wrap(str(text), width)) or " "


def track_switch() -> str:
    """Public adoption or private track; in the URL as ?raci_track=."""
    return (
        urlstate.widget(
            st.segmented_control,
            "Track",
            key="raci_track",
            options=list(TRACK_LABELS),
            default="public",
            format_func=TRACK_LABELS.get,
            required=True,
        )
        or "public"
    )


def partner_cards(release: Release, track: str) -> None:
    """One card per partner category: what it brings and its role on the chosen track."""
    partners = release.table("partners")
    column = TRACK_ROLE_COLUMN[track]
    cols = st.columns(4)
    for i, p in enumerate(partners.itertuples(index=False)):
        role = getattr(p, column)
        kind = "Backbone" if "backbone" in role.lower() else "Co-implementer" if "co-implementer" in role.lower() else None
        with cols[i % 4].container(border=True, key=f"partner-{i}"):
            tag = f" :violet-badge[{kind}]" if kind else ""
            st.markdown(f"**{escape_md(p.category)}**{tag}")
            st.caption(escape_md(p.who))
            st.markdown(f"*Brings:* {escape_md(p.brings)}")
            st.markdown(f"*On this track:* {escape_md(role)}")
    with st.expander("Both tracks side by side (table)"):
        table = partners[["category", "brings", "role_public_track", "role_private_track"]]
        st.dataframe(table.rename(columns={"role_public_track": "if the Government adopts it", "role_private_track": "on the private track"}), hide_index=True)


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


def raci_figure(release: Release, track: str) -> tuple[go.Figure, pd.DataFrame, str]:
    """The RACI heatmap with the letter in every cell (pure)."""
    grid = raci_letters(release, track)
    z = [[RACI_CODE.get(v) for v in row] for row in grid.to_numpy()]
    n = len(RACI_COLOURS)
    scale = [[(i + e) / n, c] for i, c in enumerate(RACI_COLOURS) for e in (0, 1)]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_wrap(c) for c in grid.columns],
            y=[_wrap(a, 34) for a in grid.index],
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
    fig.update_yaxes(autorange="reversed", gridcolor="#FFFFFF")
    fig.update_xaxes(side="top", tickangle=0)
    accountable = (grid == "A").sum(axis=0)
    lead = accountable.idxmax()
    point = f"{TRACK_LABELS[track]}: {lead} is accountable for {int(accountable.max())} of {len(grid)} activities"
    return fig, grid.reset_index(names="activity"), point


def raci_chart(release: Release, track: str, built: tuple) -> None:
    """The heatmap in the chart frame, with the key to the letters."""
    fig, table, point = built
    chart_frame(
        fig,
        point=point,
        units="RACI letter per activity and partner category",
        release=release,
        source="roles.csv, activities.csv, partners.csv (proposal design, proposed roles)",
        data=table,
        key=f"raci-{track}",
        alt=f"RACI matrix for the {TRACK_LABELS[track].lower()}: each cell shows the letter R, A, C or I.",
    )
    st.caption(" · ".join(f"**{k}** = {v}" for k, v in RACI.items()))


def governance(release: Release, track: str) -> None:
    """Who decides, who implements, who funds on the chosen track; every body marked proposed."""
    bodies = release.table("governance")
    bodies = bodies[bodies["track"].isin([track, "both"])]
    roles = release.table("roles")
    roles = roles[roles["track"] == track]
    partners = release.table("partners").set_index("partner_id")["category"]
    implementers = [partners[p] for p in partners.index if p in set(roles.loc[roles["raci"] == "R", "partner_id"])]
    rules = release.table("funding_rules")
    funders = source_labels(release)
    paying = [funders[s] for s in funders if s in set(rules.loc[(rules["track"] == track) & (rules["share"] > 0), "source_id"])]
    cols = st.columns(3)
    with cols[0].container(border=True, key="gov-decides"):
        st.markdown("**Who decides** · :orange-badge[proposed]")
        for b in bodies.itertuples(index=False):
            st.markdown(f"- **{escape_md(b.name)}** ({escape_md(b.status)}): {escape_md(b.decides)}")
    with cols[1].container(border=True, key="gov-implements"):
        st.markdown("**Who implements** · :orange-badge[proposed]")
        st.markdown("\n".join(f"- {escape_md(p)}" for p in implementers))
        st.caption("Partner categories Responsible (R) for at least one activity in the RACI above.")
    with cols[2].container(border=True, key="gov-funds"):
        st.markdown("**Who funds** · :orange-badge[proposed]")
        st.markdown("\n".join(f"- {escape_md(p)}" for p in paying))
        st.caption("Sources with a share on this track in funding_rules.csv (illustrative; nobody has committed money).")
    table = bodies[["name", "status", "decides", "members", "track"]]
    st.dataframe(table, hide_index=True)


def programmes_table(release: Release) -> pd.DataFrame:
    """Programmes with NVQF levels, duration, seats per cohort and seats per year per hub type."""
    p = release.table("programmes")
    offers = release.table("programme_offers").pivot_table(index="programme_id", columns="hub_type", values="seats_per_year", aggfunc="sum", fill_value=0)
    out = p[["programme_id", "name", "nvqf_level_min", "nvqf_level_max", "duration_weeks", "seats_per_cohort", "alignment_note"]].copy()
    out["NVQF levels (descriptive)"] = [f"{a}" if a == b else f"{a}–{b}" for a, b in zip(out["nvqf_level_min"], out["nvqf_level_max"])]
    for t, label in TYPE_LABELS.items():
        out[f"seats a year: {label}"] = out["programme_id"].map(offers[t] if t in offers.columns else {}).fillna(0).astype(int)
    return out.drop(columns=["nvqf_level_min", "nvqf_level_max"])


def programmes_figure(release: Release) -> tuple[go.Figure, pd.DataFrame, str]:
    """Seats a year per programme and hub type; the axis label carries the NVQF levels and duration (pure)."""
    table = programmes_table(release)
    label = {
        pid: f"{name} · NVQF {levels} · {weeks} wk"
        for pid, name, levels, weeks in zip(table["programme_id"], table["name"], table["NVQF levels (descriptive)"], table["duration_weeks"])
    }
    offers = release.table("programme_offers")
    data = offers.assign(programme=offers["programme_id"].map(label), type=offers["hub_type"].map(TYPE_LABELS))
    fig = with_patterns(
        px.bar(
            data,
            x="seats_per_year",
            y="programme",
            color="type",
            orientation="h",
            barmode="group",
            text="seats_per_year",
            category_orders={"programme": [label[p] for p in table["programme_id"]], "type": list(TYPE_LABELS.values())},
            labels={"seats_per_year": "Seats a year per hub", "programme": "", "type": "Hub type"},
            color_discrete_sequence=PALETTE,
        )
    )
    fig.update_traces(textposition="outside", cliponaxis=False)
    style(fig, height=560)
    counts = offers.groupby("hub_type")["programme_id"].nunique()
    levels = release.table("programmes").set_index("programme_id")["nvqf_level_max"]
    top = offers.assign(level=offers["programme_id"].map(levels)).groupby("hub_type")["level"].max()
    plural = {"flagship": "flagships", "standard": "standard hubs", "tvet_embedded": "TVET-embedded hubs"}
    parts = [f"{plural.get(t, t)} {int(counts[t])} (up to NVQF {int(top[t])})" for t in TYPE_LABELS if t in counts.index]
    point = f"Of {len(table)} learning tracks, " + ", ".join(parts) + " — NVQF levels descriptive"
    return fig, table, point


def programmes_chart(release: Release, built: tuple) -> None:
    """The programmes chart in the chart frame, after the plain statement that nothing is accredited."""
    st.warning(NO_ACCREDITATION, icon=":material/report:")
    fig, table, point = built
    chart_frame(
        fig,
        point=point,
        units="learner seats a year in one hub of each type",
        release=release,
        source="programmes.csv, programme_offers.csv (proposal design; NVQF levels descriptive, not accredited)",
        data=table,
        key="programmes",
    )
