"""What every export carries (pakcoe.provenance), read from the release's descriptor."""

from __future__ import annotations

from datetime import date

from releasekit import ROOT, copy_release

from pakcoe import load_release
from pakcoe.provenance import BOUNDARY, STATUS, TILES, provenance

NEWEST = max((p for p in (ROOT / "data" / "releases").iterdir() if (p / "datapackage.json").exists()), key=lambda p: tuple(map(int, p.name.split("."))))


def test_the_lines_name_status_release_date_source_citation_and_attributions():
    release = load_release(NEWEST)
    d = release.descriptor
    lines = provenance(release, "hubs.csv (proposal design)", on=date(2026, 12, 1)).lines()
    assert lines[0] == STATUS
    assert lines[1].startswith(f"Data release {release.version}") and "exported 2026-12-01" in lines[1]
    assert lines[2] == "Source: hubs.csv (proposal design)"
    assert release.version in lines[3] and d["title"] in lines[3] and str(d["created"])[:10] in lines[3]
    assert all(lic["title"] in lines[3] for lic in d["licenses"])
    credited = [s["title"] for s in d["sources"] if "sources.csv" not in s["title"]]
    assert credited and all(t in lines[4] for t in credited) and "sources.csv" not in lines[4]


def test_a_map_export_leads_with_the_boundary_disclaimer_and_credits_tiles_only_when_drawn():
    prov = provenance(load_release(NEWEST), "the national view")
    assert prov.map_lines()[0] == BOUNDARY and TILES not in " ".join(prov.map_lines())
    assert prov.map_lines(tiles=True)[-1].endswith(TILES)


def test_a_draft_says_so(releases):
    draft = copy_release(releases, "9.0.0", NEWEST, draft=True)
    published = copy_release(releases, "8.0.0", NEWEST)
    assert "(draft, not published)" in provenance(load_release(draft.path), "x").lines()[1]
    assert "draft" not in provenance(load_release(published.path), "x").lines()[1]
