"""The release's own decision rules and risks, shown where they belong: rules on Methodology, risks on Partners & roles.

Both tables arrive with release 1.2.0. A release without them has no such section: the frame's one release notice says
so (never an error, never a notice per section). Which rules
the rollout model applies is the model's own statement (`pakcoe.model.APPLIED_RULE_TOPICS`), never a claim typed here.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.escape import escape_md
from components.folds import folded
from components.methodology import FirstUse, plain
from components.partners_figures import risks_table as risks_table  # the pure table, kept where the pages built it
from components.rollout_detail import unit_text
from pakcoe import Release, i18n
from pakcoe.i18n import t
from pakcoe.model import APPLIED_RULE_TOPICS


def risks(release: Release) -> None:
    """The risks table with its owners, or one line when the release has none."""
    if "risks" not in release.tables:  # the frame's release notice names the missing section
        return
    table = risks_table(release)
    high = int(((table["Likelihood"] == "High") & (table["Impact"] == "High")).sum())
    st.markdown(
        t(
            "{n} risks of the proposal, each with its mitigation and the proposed body that owns it; "
            "{high} is judged both likely and serious. Likelihood and impact are the proposal's own "
            "judgement (illustrative); *Evidence* names a source that shows the risk is real, where there is one.",
            n=len(table),
            high=high,
        )
        if high == 1
        else t(
            "{n} risks of the proposal, each with its mitigation and the proposed body that owns it; "
            "{high} are judged both likely and serious. Likelihood and impact are the proposal's own "
            "judgement (illustrative); *Evidence* names a source that shows the risk is real, where there is one.",
            n=len(table),
            high=high,
        )
    )
    cols = st.columns(3)
    for i, r in enumerate(table.itertuples(index=False)):
        with cols[i % 3].container(border=True, key=f"risk-{i}"):
            st.markdown(f"**{escape_md(r.Risk)}**")
            st.markdown(
                t(
                    "Likelihood **{likelihood}** · impact **{impact}** · owner: {owner}",
                    likelihood=_level(r.Likelihood),
                    impact=_level(r.Impact),
                    owner=escape_md(r.Owner),
                )
            )
            st.markdown(escape_md(r.Mitigation))
            st.caption(t("Evidence: {evidence}", evidence=escape_md(r.Evidence)))


def decision_rules(release: Release) -> None:
    """The release's rules (track switch, handover, gates, town selection, funding shortfall, private pace), with whether the model applies each."""
    if "rules" not in release.tables:  # the frame's release notice names the missing section
        return
    rules = release.table("rules")
    bodies = release.table("governance").set_index("body_id")["name"]
    params = release.assumptions.set_index("param_id")
    applied = sum(topic in APPLIED_RULE_TOPICS for topic in rules["topic"])
    st.markdown(
        t(
            "Data release {version} writes down {n} rules of the dual track. The rollout model applies "
            "{applied} of them to every figure on Phases, Compare and Funding (the formulas above say how, with their parameters from "
            "the release); the others are stated here as the proposal writes them, and the model does not apply them.",
            version=escape_md(release.version),
            n=len(rules),
            applied=applied,
        )
    )
    for i, r in enumerate(rules.itertuples(index=False)):
        status = (
            ":green-badge[:material/check: " + t("Applied by the model") + "]"
            if r.topic in APPLIED_RULE_TOPICS
            else ":gray-badge[" + t("Not applied by the model") + "]"
        )
        box = folded(f"{r.title}", f"rule-{i}", icon=":material/rule:")  # built once opened (components/folds.py)
        if box is None:
            continue
        with box:
            st.markdown(
                t(
                    "{status} · decided by **{body}** · {when}",
                    status=status,
                    body=escape_md(bodies.get(r.decided_by, r.decided_by)),
                    when=escape_md(r.when),
                )
            )
            st.markdown(escape_md(FirstUse(release)(plain(_with_values(r.rule, params), release))))  # each rule read on its own
            names = [p for p in str(r.params).split(";") if p in params.index]
            if names:
                st.caption(
                    t(
                        "Parameters: {list}",
                        list="; ".join(
                            t(
                                "{name} = {value} {unit} (range {low}–{high})",
                                name=params.at[p, "name"],
                                value=_number(params.at[p, "value"]),
                                unit=unit_text(params.at[p, "unit"]),
                                low=_number(params.at[p, "low"]),
                                high=_number(params.at[p, "high"]),
                            )
                            for p in names
                        ),
                    )
                )


def _number(x: float) -> str:
    return i18n.num(x) if float(x) == int(x) else i18n.num(x, 2).rstrip("0").rstrip(".")


def _level(level: object) -> str:
    """A risk's likelihood or impact (High, Medium, Low) in the current language."""
    return {"High": t("High"), "Medium": t("Medium"), "Low": t("Low")}.get(str(level), str(level))


def _with_values(text: str, params: pd.DataFrame) -> str:
    """A rule's text with each parameter id it names replaced by that parameter's plain name and value."""
    for p in sorted(params.index, key=len, reverse=True):
        if p in text:
            name = params.at[p, "name"].lower() if i18n.current() == "en" else params.at[p, "name"]
            text = text.replace(p, f"{name} ({_number(params.at[p, 'value'])} {unit_text(params.at[p, 'unit'])})")
    return text
