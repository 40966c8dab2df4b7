"""Overview page: KPIs, sections and chart come from the selected release."""

from __future__ import annotations

import json

from apphelp import folds_opened, open_page, plotly_values, release_notice, texts

from pakcoe import registry

START = ("Explore the hubs", "See the story", "Compare rollout options")


def test_overview_shows_the_headline_figures(pinned_releases):
    at = open_page()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Proposed hubs at full scale"] == "100"
    assert metrics["Provinces and territories reached"] == "7 of 7"
    assert metrics["Learner places a year at full scale"] == f"{6 * 1190 + 30 * 810 + 64 * 480:,}"
    assert metrics["Capital cost at full scale"] == "PKR 8.1 bn"
    body = texts(at)
    assert "Illustrative assumption" in body
    assert "12 in the Karachi demonstrator, over 7 districts" in body


def test_overview_folds_build_nothing_until_opened(pinned_releases):
    """A visit that opens no fold builds no chart (its browser loads no chart code) and none of the folded texts;
    opening one fold builds it, and only it."""
    at = open_page()
    assert at.get("plotly_chart") == []
    labels = [e.label for e in at.expander]
    assert any("chart" in label for label in labels)  # the fold is there, closed
    assert "Data table (text alternative)" not in labels
    body = texts(at)
    at.session_state["fold-gaps"] = True
    at.run()
    assert not at.exception
    assert at.get("plotly_chart") == []
    assert "Evidence:" in texts(at) and "Evidence:" not in body
    at.session_state["fold-goals"] = True
    at.run()
    assert len(at.get("plotly_chart")) == 1


def test_overview_chart_matches_the_hub_list(pinned_releases, release):
    at = folds_opened(open_page())
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    total = sum(sum(plotly_values(trace["y"])) for trace in spec["data"])
    assert total == 100
    # the legend reads the release's hub-type labels (hub_types.csv)
    assert {t["name"] for t in spec["data"]} == set(release.table("hub_types")["label"]) == {"Flagship hub", "Standard hub", "TVET-embedded hub"}
    assert all(t["marker"]["pattern"]["shape"] is not None for t in spec["data"])
    assert any(e.label == "Data table (text alternative)" for e in at.expander)


def test_overview_sections_from_release_1_1_0(pinned_releases):
    at = open_page()
    body = texts(at)
    for heading in (
        "The gaps, and the response",
        "The hub model",
        "Phase 1: the Karachi demonstrator",
        "The national vision",
        "Two tracks",
        "informed by",
        "is not yet",
    ):
        assert heading in body, heading
    assert "Not the National AI Policy's CoE\\-AI centres" in body or "Not the National AI Policy's CoE-AI centres" in body
    assert "An invitation to partners" in body
    # the two tracks, one card each, with their names and who leads them from tracks.csv
    plain = body.replace("\\", "")  # escape_md's backslashes
    assert "Public adoption track (preferred)" in plain and "Private track (in parallel)" in plain
    assert "National steering board with government and private seats (proposed)" in plain
    # details are folded: each gap's evidence, the hub users' roles, the exit criteria, the statements
    labels = [e.label for e in at.expander]
    for folded in ("evidence", "What each user does", "exit criteria", "is not yet"):
        assert any(folded in label for label in labels), folded


def test_overview_starts_with_a_route_for_each_user_group(pinned_releases):
    """Right under the headline figures, before the first section: the hubs on the map, the story in the deck, the
    rollout options compared, each a link to its registered page."""
    at = open_page()
    links = {link.proto.label: link.proto.page for link in at.get("page_link")}
    assert links["Explore the hubs"] == registry.page("map").url_path
    assert links["See the story"] == registry.page("present").url_path
    assert links["Compare rollout options"] == registry.page("compare").url_path
    drawn = [n for n in at.main if n.type in ("page_link", "header", "metric")]
    routes = [i for i, n in enumerate(drawn) if n.type == "page_link" and n.proto.label in START]
    assert routes == sorted(routes) and len(routes) == 3
    assert max(i for i, n in enumerate(drawn) if n.type == "metric") < routes[0]
    assert routes[-1] < min(i for i, n in enumerate(drawn) if n.type == "header")


def test_overview_on_an_older_release_says_what_is_missing(pinned_releases):
    at = open_page(query={"release": "1.0.0"})
    assert not at.exception
    # one notice (the frame's) says the release is older, names the newest, and names the sections the release has no data for; the sections are left out, without a notice each
    summary, notice = release_notice(at)
    assert summary.startswith("**You are viewing release 1.0.0**") and "Release 1.1.0 changed" in summary
    for section in ("who uses a hub", "the two tracks", "what the design is informed by", "what Pak AI CoE is, and is not yet"):
        assert section in notice, section
    assert not [i.value for i in at.info if "does not hold this section" in i.value]
    headers = [h.value for h in at.header]
    assert not any(h.startswith(("The hub model", "Two tracks", "What the design is informed by", "What Pak AI CoE is")) for h in headers)
    assert any(h.startswith("Phase 1") for h in headers)  # a section the release holds is still there
    assert {m.label: m.value for m in at.metric}["Proposed hubs at full scale"] == "100"
