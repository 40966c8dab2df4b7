"""The exports from the command line (scripts/export.py): no app server, the same builders as the app's buttons."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from commands import ROOT, in_process, real, script

from pakcoe import list_releases, validate_release
from pakcoe.levers import option_names
from pakcoe.release import valid_versions

export = script("export")


@pytest.fixture
def real_releases(monkeypatch):
    """The checkout's releases folder, whatever it holds (the tests compute the newest, never assume it)."""
    monkeypatch.setenv("PAKCOE_RELEASES", str(ROOT / "data" / "releases"))


def _newest():
    reports = [validate_release(p) for p in list_releases()]
    return next(r.release for r in reports if r.version == valid_versions(reports)[0])


def test_the_command_lists_the_options_of_the_newest_published_release(real_releases):
    ran = real("scripts/export.py", "options")
    assert ran.returncode == 0, ran.stderr
    release = _newest()
    assert [line.split("\t")[0] for line in ran.stdout.splitlines()] == list(option_names(release))


def test_compare_writes_the_key_figures_csv_with_its_provenance_header(real_releases, tmp_path):
    release = _newest()
    chosen = list(option_names(release))[:2]
    out = tmp_path / "compare.csv"
    ran = in_process(export.main, ["compare", "--options", *chosen, "-o", str(out)])
    assert ran.returncode == 0, ran.stderr
    text = out.read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert any(release.version in line for line in header) and any("not approved" in line for line in header)
    frame = pd.read_csv(io.StringIO(text), comment="#")
    assert len(frame) == len(chosen)
    assert f"data release {release.version}" in ran.stdout


def test_a_bad_option_or_release_is_refused_with_the_reason(real_releases, tmp_path):
    ran = in_process(export.main, ["pack", "--option", "no-such-option", "-o", str(tmp_path / "x.html")])
    assert ran.returncode == 2 and "'no-such-option' is not an option" in ran.stderr and not (tmp_path / "x.html").exists()
    ran = in_process(export.main, ["options", "--release", "0.0.1"])
    assert ran.returncode == 2 and "'0.0.1' is not a valid release here" in ran.stderr


def test_an_export_that_cannot_run_here_says_why(real_releases, tmp_path, monkeypatch):
    from components import render

    monkeypatch.setattr(render, "chromium", lambda: None)  # the machine without a browser
    ran = in_process(export.main, ["map", "--view", "national", "-o", str(tmp_path / "m.png")])
    assert ran.returncode == 3 and "Chromium" in ran.stderr and not (tmp_path / "m.png").exists()


def test_the_deck_for_an_option_shows_that_option_where_a_stops_page_takes_one(real_releases):
    """`deck --option X`: the Phases and Funding stops show X (their chart's point names it); other stops are as written."""
    from components import export_deck
    from components.stage_content import Builders, Chart

    release = _newest()
    names = option_names(release)
    option = list(names)[-1]
    deck = export_deck.load_deck(release)
    pages = export_deck.deck_pages(release, deck, Builders(release), option=option)
    takes_one = [p for p in pages if p.stop.page in ("phases", "funding")]
    assert takes_one
    for page in takes_one:
        points = [b.point for b in page.blocks if isinstance(b, Chart)]
        assert points and all(pt.startswith(names[option]) for pt in points), (page.stop.number, points)
    as_written = export_deck.deck_pages(release, deck, Builders(release))
    assert [p.stop.number for p in as_written] == [p.stop.number for p in pages]
