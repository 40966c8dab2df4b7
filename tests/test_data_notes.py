"""The notes on the data and the model (Phases, Compare, Methodology) and the Funding captions follow the release, not code,
and say only what is true under rollout model 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.escape import escape_md
from components.funding_figures import branches_caption, source_kinds_text
from components.rollout_figures import data_notes
from pakcoe import load_release
from pakcoe.funding import branches
from pakcoe.model import run_model, scenario_from_option

ROOT = Path(__file__).resolve().parent.parent
FALSE_UNDER_MODEL_2 = ("funding gap is always zero", "is a public-sector source", "phase-exit gating", "Why the gap is zero")


def note(notes: tuple[str, ...], start: str) -> str | None:
    return next((n for n in notes if n.startswith(start)), None)


def milestone(release, milestone_id: str) -> str:
    """How a milestone's note starts: its title, never its id."""
    return f"**Milestone “{escape_md(release.table('milestones').set_index('milestone_id').at[milestone_id, 'title'])}”**"


def test_notes_of_an_unchanged_release(draft):
    release = load_release(draft.path)
    notes = data_notes(release)
    assert "6,000 PKR million per year" in note(notes, "**Private capacity binds")
    base = run_model(release, scenario_from_option(release, "public-on-time"))
    gap = note(notes, "**Where the funding gap comes from.**")
    assert f"PKR {base.summary.funding_gap:,.0f} M is missing against the plan" in gap and "International development partners" in gap
    assert "“International development partners” is listed as public sector" in note(notes, "**“International")
    assert "never as public money" in note(notes, "**“International")
    certified = base.quarters.set_index("quarter").at["2028Q4", "certified_cum"]
    m06 = note(notes, milestone(release, "M06"))
    assert f"targets 5,000 certified learners \\(cumulative\\) by 2028Q4; the model gives {certified:,.0f} learners certified" in m06
    assert "assumed met on the due date" in m06  # release 1.0.0 gives the criterion no metric the model computes
    assert note(notes, "**Horizons.**") and note(notes, "**Not modelled:**")
    assert not [n for n in notes for false in FALSE_UNDER_MODEL_2 if false in n]


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0", "1.2.0", "1.3.0"])
def test_every_note_of_every_release_is_true_under_model_2(version):
    release = load_release(ROOT / "data" / "releases" / version)
    notes = data_notes(release)
    assert not [n for n in notes for false in FALSE_UNDER_MODEL_2 if false in n]
    base = run_model(release, scenario_from_option(release, "public-on-time"))
    if base.summary.funding_gap < 0.5:
        assert note(notes, "**No funding gap under") and not note(notes, "**Where the funding gap comes from.**")
    else:
        assert f"PKR {base.summary.funding_gap:,.0f} M is missing" in note(notes, "**Where the funding gap comes from.**")
    for g in base.gates:
        for c in g.criteria:
            late = c.modelled and (c.met_quarter is None or c.met_quarter > c.due_quarter)
            assert (note(notes, milestone(release, c.milestone_id)) is not None) == late or not c.modelled, c.milestone_id
    ids = set(release.table("milestones")["milestone_id"])
    assert not [n for n in notes for i in ids if f"Milestone {i}" in n]  # milestones by title, never by id


def test_a_lower_private_capacity_makes_the_note_say_it_binds(draft):
    rows = draft.rows("assumptions.csv")
    row = next(r for r in rows if r["param_id"] == "private_capacity")
    row.update(value="1000", low="500", high="2000")
    draft.write_rows("assumptions.csv", rows)
    notes = data_notes(load_release(draft.path))
    assert note(notes, "**Private capacity never binds.**") is None
    assert "At its central value (1,000 PKR million per year)" in note(notes, "**Private capacity binds.**")
    caption = branches_caption(branches(load_release(draft.path)))
    assert "limits the rollout" in caption and "never limits" not in caption


@pytest.mark.parametrize(("target", "shown"), [("2000", False), ("9000", True)])
def test_the_milestone_note_follows_the_milestone_row(draft, target, shown):
    draft.edit_cell("milestones.csv", "milestone_id", "M06", "target", target)
    release = load_release(draft.path)
    found = note(data_notes(release), milestone(release, "M06"))
    assert (found is not None) == shown
    if shown:
        assert "targets 9,000 certified learners" in found


def test_funding_captions_name_the_release_sources(draft):
    release = load_release(draft.path)
    text = source_kinds_text(release)
    assert text.startswith("Government budget = Federal development budget \\(PSDP\\), Provincial development budgets \\(ADP\\).")
    assert "International development partners: international partner money, a non-government category of its own" in text
    assert "public-sector money" not in text
    built = branches(release)
    caption = branches_caption(built)
    assert any(b.funding_gap >= 0.5 for b in built)
    assert caption.startswith("A funding gap is money missing against the plan at the planned time")
    assert "Why the gap is zero" not in caption
