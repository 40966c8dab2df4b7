"""Partners page: the RACI heatmap's letters follow roles.csv per track, the track is in the URL, governance and programmes are honest."""

from __future__ import annotations

import json

from apphelp import ROOT, folds_opened, html_texts, open_clean, open_page, plotly_values, static_tables, tables_opened, texts
from streamlit.testing.v1 import AppTest

from components.escape import escape_md
from components.partners import raci_lines
from components.partners_figures import raci_data

PARTNERS = str(ROOT / "pages" / "partners.py")


def open_partners(query: dict | None = None) -> AppTest:
    """Open the partners page as the first page of the session (as a shared link does)."""
    return open_clean("partners", query)


def heatmap(at: AppTest) -> dict:
    charts = [c for c in at.get("plotly_chart") if c.proto.id and "raci-" in c.proto.id]
    assert len(charts) == 1
    trace = json.loads(charts[0].proto.spec)["data"][0]
    assert trace["type"] == "heatmap" and "%{text}" in trace["texttemplate"]
    return trace


def letters_from_roles(release, track: str) -> dict[tuple[str, str], str]:
    """(activity name, partner category) -> letter, straight from roles.csv."""
    roles = release.table("roles")
    acts = release.table("activities").set_index("activity_id")["name"]
    cats = release.table("partners").set_index("partner_id")["category"]
    return {(acts[r.activity_id], cats[r.partner_id]): r.raci for r in roles[roles["track"] == track].itertuples()}


def letters_drawn(trace: dict) -> dict[tuple[str, str], str]:
    def plain(label: str) -> str:
        return label.replace("<br>", " ")

    return {(plain(y), plain(x)): trace["text"][i][j] for i, y in enumerate(trace["y"]) for j, x in enumerate(trace["x"])}


def test_heatmap_letters_follow_roles_csv_and_switch_with_the_track(pinned_releases, release):
    at = open_partners()
    assert at.segmented_control(key="raci_track").value == "public"
    public = letters_drawn(heatmap(at))
    assert public == letters_from_roles(release, "public")
    assert all(v in "RACI" and v for v in public.values()) and len(public) == 64
    at.segmented_control(key="raci_track").set_value("private").run()
    assert not at.exception
    private = letters_drawn(heatmap(at))
    assert private == letters_from_roles(release, "private")
    assert private[("Adopt and fund the initiative", "Federal government")] == "I"
    assert public[("Adopt and fund the initiative", "Federal government")] == "A"
    assert at.query_params["raci_track"] in ("private", ["private"])
    table = next(d.value for d in tables_opened(at).dataframe if "Activity" in d.value.columns)  # the data-table alternative
    assert table.set_index("Activity").at["Adopt and fund the initiative", "Private sector (industry)"] == "A"


def test_each_activity_has_one_accountable(pinned_releases):
    for track in ("public", "private"):
        trace = heatmap(open_partners({"raci_track": track}))
        assert all(row.count("A") == 1 for row in trace["text"])


def test_url_preset_and_garbage_track(pinned_releases):
    at = open_partners({"raci_track": "private"})
    assert at.segmented_control(key="raci_track").value == "private"
    assert "Private track" in texts(at)
    at = open_partners({"raci_track": "<b>mars</b>"})
    assert any(i.value.startswith("The link's value for “Track”") and "raci_track" not in i.value for i in at.info)  # its label, not its name
    assert at.segmented_control(key="raci_track").value == "public"


def test_partner_roles_per_track(pinned_releases, release):
    at = open_partners()
    body = (texts(at) + html_texts(at)).replace("\\", "")  # the partner cards are one HTML block
    assert "Co-implementer" in body and "Adopts and funds the national framework" in body
    at = open_partners({"raci_track": "private"})
    body = (texts(at) + html_texts(at)).replace("\\", "")
    assert "Backbone" in body and "Backbone: main funder and operator with philanthropy" in body


def test_governance_is_marked_proposed(pinned_releases, release):
    at = open_partners({"raci_track": "private"})
    body = texts(at).replace("\\", "")
    for part in ("Who decides", "Who implements", "Who funds"):
        assert f"**{part}** · :orange-badge[proposed]" in body
    assert "Private-track board" in body and "National steering board" not in body
    assert "Federal development budget" not in body.split("Who funds")[1].split("Programmes")[0]
    # every body of the track (or of both) is listed as proposed, with what it decides; its members in a table
    bodies = release.table("governance")
    shown = bodies[bodies["track"].isin(["private", "both"])]
    for b in shown.itertuples():
        assert f"- **{b.name}** (proposed): {b.decides}" in body
    assert not [t for t in static_tables(at) if "Members" in t.columns]  # a fold: built once opened (components/folds.py)
    members = next(t for t in static_tables(folds_opened(at)) if "Members" in t.columns)
    assert list(members["Members"]) == list(shown["members"]) and set(members["Track"]) <= {"Private track", "Both tracks"}


def test_programmes_chart_and_no_accreditation(pinned_releases, release):
    at = open_partners()
    body = texts(at)
    assert "No accreditation exists today" in body
    charts = [c for c in at.get("plotly_chart") if c.proto.id and "programmes" in c.proto.id]
    spec = json.loads(charts[0].proto.spec)
    drawn = sum(sum(plotly_values(t["x"])) for t in spec["data"])
    assert drawn == release.table("programme_offers")["seats_per_year"].sum()
    assert any("NVQF 5–6 · 16 wk" in y for t in spec["data"] for y in t["y"])
    table = next(d.value for d in tables_opened(at).dataframe if "NVQF levels (descriptive)" in d.value.columns)
    assert len(table) == len(release.table("programmes")) and table["Alignment note"].str.contains("not accredited").all()
    assert "programme_id" not in table.columns and "duration_weeks" not in table.columns and "Duration (weeks)" in table.columns


def test_raci_list_for_narrow_screens_names_every_letter_of_the_heatmap(release):
    """The per-activity list narrow screens show instead of the heatmap: each category under the role its cell holds."""
    grid = raci_data(release, "public").table
    lines = raci_lines(grid)
    assert len(lines) == len(grid)
    expected = letters_from_roles(release, "public")
    for line, activity in zip(lines, grid["Activity"]):
        title, roles = line.split("  \n")
        assert title == f"**{escape_md(activity)}**"
        named = {}
        for part in roles.split(" · "):
            role, who = part.split(":** ")
            letter = {"**Responsible": "R", "**Accountable": "A", "**Consulted": "C", "**Informed": "I"}[role]
            named |= {w.replace("\\", ""): letter for w in who.split(", ") if w}
        assert {(activity, c): v for c, v in named.items()} == {k: v for k, v in expected.items() if k[0] == activity}


def test_older_release_still_draws(pinned_releases):
    at = open_page("partners", query={"release": "1.0.0"})  # the frame reads ?release= on the session's first run
    assert not at.exception and not at.error
    assert len(at.get("plotly_chart")) == 2
    assert "Data release 1.0.0" in texts(at).replace("\\", "")
