"""Provenance badges: every figure says whether it is a sourced fact or an illustrative assumption."""

from __future__ import annotations

import pandas as pd

from components.escape import escape_md
from pakcoe import Release

ASSUMPTION = "Illustrative assumption"


def source_label(release: Release, source_id: str | None, *, with_title: bool = True) -> str:
    """Plain text naming a source: 'Publisher, title (date)' ('Publisher (date)' without the title), marked when uncertain."""
    if not source_id or pd.isna(source_id):
        return ASSUMPTION
    s = release.source(source_id)
    if s is None:
        return f"Source {source_id}"
    date = f" ({s['date']})" if isinstance(s["date"], str) and s["date"] else ""
    flag = "⚠ uncertain: " if bool(s["uncertain"]) else ""
    title = f", {s['title']}" if with_title else ""
    return f"{flag}{s['publisher']}{title}{date}"


def badge(release: Release, source_id: str | None = None, assumption: bool | None = None) -> str:
    """Markdown badge: green 'Source: …' for a sourced fact, orange 'Illustrative assumption' otherwise.

    The words carry the meaning; the colour only repeats it.
    """
    if assumption or not source_id or pd.isna(source_id):
        return f":orange-badge[:material/science: {ASSUMPTION}]"
    label = escape_md(source_label(release, source_id, with_title=False))
    colour = "red" if "uncertain" in label else "green"
    return f":{colour}-badge[:material/verified: Source: {label}]"


def param_badge(release: Release, param_id: str) -> str:
    """Badge of one model parameter from assumptions.csv."""
    a = release.assumptions.set_index("param_id").loc[param_id]
    return badge(release, a["source_id"], bool(a["assumption"]))
