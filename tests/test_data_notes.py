"""The notes on the data and the model (Phases, Compare, Methodology) and the Funding captions follow the release, not code."""

from __future__ import annotations

import pytest

from components.funding import branches_caption, source_kinds_text
from components.rollout_figures import data_notes
from pakcoe import load_release
from pakcoe.funding import branches
from pakcoe.model import run_model, scenario_from_option


def note(notes: tuple[str, ...], start: str) -> str | None:
    return next((n for n in notes if n.startswith(start)), None)


def test_notes_of_an_unchanged_release(draft):
    notes = data_notes(load_release(draft.path))
    assert "6,000 PKR million per year" in note(notes, "**Private capacity never binds.**")
    assert note(notes, "**The funding gap is always zero**")
    assert "“International development partners” is a public-sector source" in note(notes, "**“International")
    release = load_release(draft.path)
    certified = run_model(release, scenario_from_option(release, "public-on-time")).quarters.set_index("quarter").at["2028Q4", "certified_cum"]
    assert f"targets 5,000 certified learners \\(cumulative\\) by 2028Q4; the model gives {certified:,.0f} learners certified" in note(
        notes, "**Milestone M06**"
    )


def test_a_lower_private_capacity_makes_the_note_say_it_binds(draft):
    rows = draft.rows("assumptions.csv")
    row = next(r for r in rows if r["param_id"] == "private_capacity")
    row.update(value="1000", low="500", high="2000")
    draft.write_rows("assumptions.csv", rows)
    notes = data_notes(load_release(draft.path))
    assert note(notes, "**Private capacity never binds.**") is None
    assert "At its central value (1,000 PKR million per year)" in note(notes, "**Private capacity binds.**")
    caption = branches_caption([(b, None) for b in branches(load_release(draft.path))])
    assert "limits the rollout" in caption and "never limits" not in caption


@pytest.mark.parametrize(("target", "shown"), [("2000", False), ("9000", True)])
def test_the_milestone_note_follows_the_milestone_row(draft, target, shown):
    draft.edit_cell("milestones.csv", "milestone_id", "M06", "target", target)
    found = note(data_notes(load_release(draft.path)), "**Milestone M06**")
    assert (found is not None) == shown
    if shown:
        assert "targets 9,000 certified learners" in found


def test_funding_captions_name_the_release_sources(draft):
    release = load_release(draft.path)
    text = source_kinds_text(release)
    assert text.startswith("Government budget = Federal development budget \\(PSDP\\), Provincial development budgets \\(ADP\\).")
    assert "International development partners: public-sector money but not the Government's" in text
    caption = branches_caption([(b, None) for b in branches(release)])
    assert caption.startswith("Why the gap is zero") and "never limits the rollout" in caption
