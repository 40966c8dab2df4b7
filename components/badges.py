"""Provenance badges: every figure says whether it is a sourced fact or an illustrative assumption (in the current
language; a source's publisher and title are cited as the source wrote them)."""

from __future__ import annotations

import pandas as pd

from components.escape import escape_md
from pakcoe import Release
from pakcoe.i18n import t

ASSUMPTION = "Illustrative assumption"  # the English; assumption() gives it in the current language


def assumption() -> str:
    """'Illustrative assumption' in the current language."""
    return t("Illustrative assumption")


def _uncertain(release: Release, source_id: str | None) -> bool:
    s = release.source(source_id) if source_id and not pd.isna(source_id) else None
    return s is not None and bool(s["uncertain"])


def source_label(release: Release, source_id: str | None, *, with_title: bool = True) -> str:
    """Plain text naming a source: 'Publisher, title (date)' ('Publisher (date)' without the title), marked when uncertain."""
    if not source_id or pd.isna(source_id):
        return assumption()
    s = release.source(source_id)
    if s is None:
        return t("Source {source}", source=source_id)
    date = f" ({s['date']})" if isinstance(s["date"], str) and s["date"] else ""
    title = f", {s['title']}" if with_title else ""
    named = f"{s['publisher']}{title}{date}"
    return t("⚠ uncertain: {source}", source=named) if bool(s["uncertain"]) else named


def is_illustrative(source_id: str | None, assumption: bool | None) -> bool:
    """Whether a figure is shown as an illustrative assumption: flagged so, or without a source (else a sourced fact)."""
    return bool(assumption) or not source_id or pd.isna(source_id)


def illustrative(release: Release) -> pd.Series:
    """Per assumption of the release (its order): True where its badge calls it an illustrative assumption, False for a
    sourced fact."""
    a = release.assumptions
    return pd.Series([is_illustrative(s, f) for s, f in zip(a["source_id"], a["assumption"], strict=True)], index=a.index)


def badge(release: Release, source_id: str | None = None, assumption: bool | None = None) -> str:
    """Markdown badge: green 'Source: …' for a sourced fact, orange 'Illustrative assumption' otherwise (red when the
    source is marked uncertain). The words carry the meaning; the colour only repeats it."""
    if is_illustrative(source_id, assumption):
        return f":orange-badge[:material/science: {t('Illustrative assumption')}]"
    label = escape_md(source_label(release, source_id, with_title=False))
    colour = "red" if _uncertain(release, source_id) else "green"
    return f":{colour}-badge[:material/verified: {t('Source: {source}', source=label)}]"


def param_badge(release: Release, param_id: str) -> str:
    """Badge of one model parameter from assumptions.csv."""
    a = release.assumptions.set_index("param_id").loc[param_id]
    return badge(release, a["source_id"], bool(a["assumption"]))
