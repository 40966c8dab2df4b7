"""The Overview page's chart, built from a release (pure: plotly, never Streamlit; cached by components.cached)."""

from __future__ import annotations

import plotly.express as px

from components.chart import PALETTE, ChartData, style, with_patterns
from pakcoe import Release
from pakcoe.labels import city_name, demonstrator_city, hub_types


def hubs_by_phase(release: Release) -> ChartData:
    """Hubs by phase and hub type (legend: the release's hub-type labels); the point: how many hubs the first phase's
    demonstrator opens before the rest."""
    hubs = release.hubs
    phases = release.table("phases").set_index("phase_id")
    data = (
        hubs.assign(phase=hubs["phase_id"].map(lambda p: f"Phase {p}: {phases.at[p, 'name']}"), type=hubs["hub_type"].map(hub_types(release)))
        .groupby(["phase", "type"], as_index=False)
        .size()
        .rename(columns={"size": "hubs"})
    )
    fig = with_patterns(
        px.bar(data, x="phase", y="hubs", color="type", text="hubs", labels={"phase": "", "hubs": "Hubs", "type": "Hub type"}, color_discrete_sequence=PALETTE)
    )
    fig.update_traces(textposition="inside")
    first = int((hubs["phase_id"] == hubs["phase_id"].min()).sum())
    city = city_name(release, demonstrator_city(release))
    return ChartData(style(fig), data, f"{first} {city} hubs prove the model before {len(hubs) - first} more open nationwide")
