"""pakcoe.labels: the labels and ids pages show come from the release, with stand-ins only where an older release lacks them."""

from __future__ import annotations

import dataclasses

import pytest
from releasekit import ROOT, copy_release

from components.overview_figures import hubs_by_phase
from components.partners_figures import plural, programmes_data
from components.rollout_figures import resolved_levers
from pakcoe import headline, load_release
from pakcoe.funding import branches
from pakcoe.labels import DECISION_STAND_INS, city_name, decision_labels, decisions, demonstrator_city, hub_types
from pakcoe.model import DECISIONS, scenario_from_option

RELEASES = ROOT / "data" / "releases"


def test_a_release_without_a_decisions_table_reads_the_stand_ins_for_every_decision_of_the_model():
    release = load_release(RELEASES / "1.3.0")
    assert "decisions" not in release.tables
    assert decisions(release) == {d.decision: d for d in DECISION_STAND_INS}
    assert set(decision_labels(release)) == set(DECISIONS)
    # the Funding page's decision flow and the Compare page's table read the same labels
    by = {b.decision: b for b in branches(release)}
    assert {d: (b.title, b.consequence) for d, b in by.items()} == {d.decision: (d.label, d.consequence) for d in DECISION_STAND_INS}
    assert resolved_levers(release, scenario_from_option(release, "private-only"))["public_decision"] == decision_labels(release)["not_approved"]


def test_the_stand_ins_are_the_wording_release_1_4_0_publishes():
    """The module docstring's promise: an older release reads the same as release 1.4.0, which has the table."""
    release = load_release(RELEASES / "1.4.0")
    assert "decisions" in release.tables
    assert tuple(decisions(release).values()) == DECISION_STAND_INS


def test_a_releases_decisions_table_changes_every_label_the_pages_show(releases):
    draft = copy_release(releases, "1.4.0", source=RELEASES / "1.4.0", draft=True)
    draft.edit_cell("decisions.csv", "decision", "not_approved", "label", "Declined: the private track alone")
    draft.edit_cell("decisions.csv", "decision", "delayed", "consequence", "Public money arrives late.")
    release = load_release(draft.path)
    assert decision_labels(release)["not_approved"] == "Declined: the private track alone"
    by = {b.decision: b for b in branches(release)}  # the Funding page's decision flow
    assert by["not_approved"].title == "Declined: the private track alone"
    assert by["delayed"].consequence == "Public money arrives late."
    assert by["on_time"].title == DECISION_STAND_INS[0].label  # an unchanged row reads as published
    # the custom option's decision control and the Compare page's "what differs" table
    assert resolved_levers(release, scenario_from_option(release, "private-only"))["public_decision"] == "Declined: the private track alone"


def test_a_decision_the_table_does_not_list_keeps_its_stand_in():
    release = load_release(RELEASES / "1.4.0")
    table = release.table("decisions")
    shorter = dataclasses.replace(release, tables={**release.tables, "decisions": table[table["decision"] != "delayed"]})
    stand_in = next(d for d in DECISION_STAND_INS if d.decision == "delayed")
    assert decisions(shorter)["delayed"] == stand_in
    assert set(decision_labels(shorter)) == set(DECISIONS)


def test_hub_type_labels_come_from_hub_types_csv(releases):
    draft = copy_release(releases, draft=True)
    draft.edit_cell("hub_types.csv", "hub_type", "standard", "label", "City hub")
    release = load_release(draft.path)
    assert hub_types(release)["standard"] == "City hub"
    assert "City hub" in {trace.name for trace in hubs_by_phase(release).figure.data}  # the Overview chart's legend
    programmes = programmes_data(release)  # the Partners page's programmes chart and table
    assert "City hub" in {trace.name for trace in programmes.figure.data}
    assert "seats a year: City hub" in programmes.table.columns
    assert "city hubs " in programmes.point


def test_a_hub_type_label_reads_as_a_plural_inside_a_sentence():
    assert plural("Flagship hub") == "flagship hubs"
    assert plural("TVET-embedded hub") == "TVET-embedded hubs"  # an acronym keeps its capitals


def test_the_demonstrator_is_the_first_phases_cluster_and_its_name_comes_from_cities_csv(releases):
    draft = copy_release(releases, draft=True)
    draft.edit_cell("cities.csv", "city_id", "karachi", "name", "Karachi Metropolis")
    release = load_release(draft.path)
    city = demonstrator_city(release)
    first = release.hubs[release.hubs["phase_id"] == release.hubs["phase_id"].min()]
    assert first["city_id"].value_counts().idxmax() == city
    assert city_name(release, city) == "Karachi Metropolis"
    h = headline(release)
    assert (h.demonstrator_city, h.demonstrator_hubs) == ("Karachi Metropolis", int((first["city_id"] == city).sum()))
    assert hubs_by_phase(release).point.startswith(f"{len(first)} Karachi Metropolis hubs prove the model")


@pytest.mark.parametrize("version", ["1.0.0", "1.7.0"])
def test_the_overview_chart_stands_each_phases_total_above_its_bar_and_hides_a_count_its_segment_cannot_hold(version):
    release = load_release(RELEASES / version)
    fig = hubs_by_phase(release).figure
    totals = {a["x"]: a["text"] for a in fig.layout.annotations}
    counts = release.hubs.groupby("phase_id").size()
    assert sorted(int(text.removesuffix(" in all")) for text in totals.values()) == sorted(int(n) for n in counts)
    for a in fig.layout.annotations:  # each total sits on top of its bar: the sum of its segments
        assert a["y"] == sum(int(v) for t in fig.data for x, v in zip(t.x, t.y, strict=True) if x == a["x"])
    assert fig.layout.uniformtext.mode == "hide" and fig.layout.uniformtext.minsize >= 10  # never drawn over a neighbour
    assert all(t.textangle == 0 for t in fig.data)  # a count reads level, or is left out
