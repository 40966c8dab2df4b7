"""The release's own decision rules and risks, shown where they belong: rules on Methodology, risks on Partners & roles.

Both tables arrive with release 1.2.0. A release without them has no such section: the frame's one release notice says
so (never an error, never a notice per section). Which rules
the rollout model applies is the model's own statement (`pakcoe.model.APPLIED_RULE_TOPICS`), never a claim typed here.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.escape import escape_md
from components.methodology import FirstUse, plain
from components.partners_figures import risks_table as risks_table  # the pure table, kept where the pages built it
from pakcoe import Release
from pakcoe.model import APPLIED_RULE_TOPICS


def risks(release: Release) -> None:
    """The risks table with its owners, or one line when the release has none."""
    if "risks" not in release.tables:  # the frame's release notice names the missing section
        return
    table = risks_table(release)
    high = int(((table["Likelihood"] == "High") & (table["Impact"] == "High")).sum())
    st.markdown(
        f"{len(table)} risks of the proposal, each with its mitigation and the proposed body that owns it; "
        f"{high} {'is' if high == 1 else 'are'} judged both likely and serious. Likelihood and impact are the proposal's own "
        "judgement (illustrative); *Evidence* names a source that shows the risk is real, where there is one."
    )
    cols = st.columns(3)
    for i, r in enumerate(table.itertuples(index=False)):
        with cols[i % 3].container(border=True, key=f"risk-{i}"):
            st.markdown(f"**{escape_md(r.Risk)}**")
            st.markdown(f"Likelihood **{r.Likelihood}** · impact **{r.Impact}** · owner: {escape_md(r.Owner)}")
            st.markdown(escape_md(r.Mitigation))
            st.caption(f"Evidence: {escape_md(r.Evidence)}")


def decision_rules(release: Release) -> None:
    """The release's rules (track switch, handover, gates, town selection, funding shortfall, private pace), with whether the model applies each."""
    if "rules" not in release.tables:  # the frame's release notice names the missing section
        return
    rules = release.table("rules")
    bodies = release.table("governance").set_index("body_id")["name"]
    params = release.assumptions.set_index("param_id")
    applied = sum(t in APPLIED_RULE_TOPICS for t in rules["topic"])
    st.markdown(
        f"Data release {escape_md(release.version)} writes down {len(rules)} rules of the dual track. The rollout model applies "
        f"{applied} of them to every figure on Phases, Compare and Funding (the formulas above say how, with their parameters from "
        "the release); the others are stated here as the proposal writes them, and the model does not apply them."
    )
    for r in rules.itertuples(index=False):
        status = ":green-badge[:material/check: Applied by the model]" if r.topic in APPLIED_RULE_TOPICS else ":gray-badge[Not applied by the model]"
        with st.expander(f"{r.title}", icon=":material/rule:"):
            st.markdown(f"{status} · decided by **{escape_md(bodies.get(r.decided_by, r.decided_by))}** · {escape_md(r.when)}")
            st.markdown(escape_md(FirstUse(release)(plain(_with_values(r.rule, params), release))))  # each rule read on its own
            names = [p for p in str(r.params).split(";") if p in params.index]
            if names:
                st.caption(
                    "Parameters: "
                    + "; ".join(
                        f"{params.at[p, 'name']} = {_number(params.at[p, 'value'])} {params.at[p, 'unit']} (range {_number(params.at[p, 'low'])}–{_number(params.at[p, 'high'])})"
                        for p in names
                    )
                )


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x) == int(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


def _with_values(text: str, params: pd.DataFrame) -> str:
    """A rule's text with each parameter id it names replaced by that parameter's plain name and value."""
    for p in sorted(params.index, key=len, reverse=True):
        if p in text:
            text = text.replace(p, f"{params.at[p, 'name'].lower()} ({_number(params.at[p, 'value'])} {params.at[p, 'unit']})")
    return text
