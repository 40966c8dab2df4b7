"""The Overview page's chart, built from a release (pure: plotly, never Streamlit; cached by components.cached)."""

from __future__ import annotations

import plotly.express as px

from components.chart import PALETTE, ChartData, style, with_patterns
from components.escape import escape_html
from pakcoe import Release, i18n
from pakcoe.labels import city_name, demonstrator_city, hub_types

PILLARS = {
    "hubs": "Physical hubs",
    "shared_infrastructure": "Shared infrastructure",
    "programmes": "Structured programmes",
    "governance": "Public–private governance",
}  # the design's pillars, by id, in English: pillars() gives them in the current language


def pillars() -> dict[str, str]:
    """The design's pillars, by id, in the current language (the Overview page and the stage name them)."""
    return {
        "hubs": i18n.t("Physical hubs"),
        "shared_infrastructure": i18n.t("Shared infrastructure"),
        "programmes": i18n.t("Structured programmes"),
        "governance": i18n.t("Public–private governance"),
    }


def hubs_by_phase(release: Release) -> ChartData:
    """Hubs by phase and hub type (legend: the release's hub-type labels); the point: how many hubs the first phase's
    demonstrator opens before the rest."""
    hubs = release.hubs
    phases = release.table("phases").set_index("phase_id")
    data = (
        hubs.assign(
            phase=hubs["phase_id"].map(lambda p: i18n.t("Phase {n}: {name}", n=p, name=phases.at[p, "name"])), type=hubs["hub_type"].map(hub_types(release))
        )
        .groupby(["phase", "type"], as_index=False)
        .size()
        .rename(columns={"size": "hubs"})
    )
    fig = with_patterns(
        px.bar(
            data,
            x="phase",
            y="hubs",
            color="type",
            text="hubs",
            labels={"phase": i18n.t("Phase"), "hubs": i18n.t("Hubs"), "type": i18n.t("Hub type")},
            color_discrete_sequence=PALETTE,
        )
    )
    fig.update_traces(textposition="inside", insidetextanchor="middle", textangle=0)
    # A count too big for its segment (Phase 1's thin ones) is left out rather than drawn over its neighbours' (the
    # hover and the chart's data table give every count); each phase's total stands above its bar.
    fig.update_layout(uniformtext_minsize=11, uniformtext_mode="hide")
    for phase, total in data.groupby("phase", sort=False)["hubs"].sum().items():
        fig.add_annotation(x=phase, y=total, text=i18n.t("{n} in all", n=i18n.num(int(total))), showarrow=False, yanchor="bottom", yshift=2)
    if i18n.current() != "en":  # Plotly's default hover names the data columns: say it in words
        for trace in fig.data:
            trace.hovertemplate = i18n.t("{type}, {phase}: {n} hubs", type=escape_html(trace.name), phase="%{x}", n="%{y}") + "<extra></extra>"
    fig.update_xaxes(title={"text": ""})
    first = int((hubs["phase_id"] == hubs["phase_id"].min()).sum())
    city = city_name(release, demonstrator_city(release))
    point = i18n.t("{first} {city} hubs prove the model before {rest} more open nationwide", first=first, city=city, rest=len(hubs) - first)
    return ChartData(style(fig), data, point)


def dual_track_dot(release: Release) -> str:
    """The dual track in one picture, as Graphviz DOT: the concept, the Government's decision, the two tracks (their names
    and partners' roles from tracks.csv) and what leads from one to the other."""
    t = release.table("tracks").set_index("track")

    def q(text: str) -> str:
        return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    public = q(t.at["public", "name"] + "\n" + t.at["public", "partners_role"])
    private = q(t.at["private", "name"] + "\n" + t.at["private", "partners_role"])
    font = "Noto Nastaliq Urdu" if i18n.is_rtl() else "sans-serif"
    return f"""digraph {{
      rankdir=TB; nodesep=0.6; ranksep=0.5;
      node [shape=box, style="rounded,filled", fontname="{font}", fontsize=16, fillcolor="#EEF4F1", color="#0B6E4F", margin="0.25,0.12"];
      edge [fontname="{font}", fontsize=13];
      concept [label={q(i18n.t("Pak AI CoE concept"))}];
      decision [shape=diamond, label={q(i18n.t("Government adopts and funds?"))}, fillcolor="#FFF6E5", color="#E07A1F"];
      public [label={public}];
      private [label={private}];
      concept -> decision; concept -> private [label={q(i18n.t("from day one"))}, style=dashed];
      decision -> public [label={q(i18n.t("yes: on time"))}]; decision -> private [label={q(i18n.t("delayed or not approved"))}];
      private -> public [label={q(i18n.t("public money joins later"))}, style=dotted];
    }}"""
