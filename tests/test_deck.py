"""A deck is data (pakcoe.deck): placeholders filled without a format function, stops checked against the page registry,
a published release's stale stops dropped with their reason, and the default deck whole on every release that has one."""

from __future__ import annotations

import re

import pytest
from releasekit import ROOT, copy_release

from pakcoe import registry, validate_release
from pakcoe.deck import PLACEHOLDERS, TEXTS, TextError, check_deck, fill, load_deck, placeholder_values, placeholders_in, read_stops
from pakcoe.labels import demonstrator_city
from pakcoe.release import list_releases

RELEASES = ROOT / "data" / "releases"
WITH_DECK = "1.5.0"  # the first release with a deck


@pytest.fixture(scope="module")
def every_release() -> dict:
    """Every release folder of the checkout, validated once: version -> Release."""
    reports = [validate_release(path) for path in list_releases(RELEASES)]
    invalid = [f"{r.version}: {p}" for r in reports for p in r.problems]
    assert invalid == []
    return {r.version: r.release for r in reports}


@pytest.fixture(scope="module")
def with_deck(every_release):
    return every_release[WITH_DECK]


# ---------------------------------------------------------------------------------------------------
# Filling texts


def test_fill_puts_each_value_in_place_and_a_doubled_brace_is_a_brace():
    values = {"hubs_total": "100", "demonstrator_city": "Karachi"}
    assert fill("{hubs_total} hubs, {demonstrator_city} first {{as proposed}}", values) == "100 hubs, Karachi first {as proposed}"
    assert fill("no placeholder", {}) == "no placeholder"
    assert placeholders_in("{hubs_total} of {phases} and {hubs_total} {{risks}}") == ["hubs_total", "phases", "hubs_total"]


@pytest.mark.parametrize(
    "text",
    [
        "{hubs_total.__class__}",
        "{hubs_total.__class__.__mro__}",
        "{0}",
        "{}",
        "{hubs_total!r}",
        "{hubs_total:>40}",
        "{hubs_total[0]}",
        "{ hubs_total }",
        "a lone { brace",
        "a lone } brace",
    ],
)
def test_fill_never_evaluates_a_format_field(text):
    with pytest.raises(TextError, match="not a placeholder|lone"):
        fill(text, {"hubs_total": "100"})


def test_an_unknown_placeholder_or_a_missing_value_is_an_error_naming_it():
    with pytest.raises(TextError, match=r"unknown placeholder '\{secret\}'"):
        fill("{secret} hubs", {"secret": "leaked"})
    with pytest.raises(TextError, match=r"no value for \{risks\}"):
        fill("{risks} risks", {"hubs_total": "100"})


def test_every_placeholder_is_documented():
    for name, placeholder in PLACEHOLDERS.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name) and placeholder.description.strip(), name
        assert placeholders_in("{" + name + "}") == [name]


# ---------------------------------------------------------------------------------------------------
# Stops that do not resolve: a problem of a draft, dropped from a published release

# stop -> (column, value written, field of the problem, rule, words of the problem)
BROKEN = {
    2: ("page", "atlas", "page", "deck-state", "'atlas' is not a page of the app"),
    3: ("params", "view=karachi&zoom=3", "params", "deck-state", "'zoom' is not a setting of this page"),
    4: ("params", "view=atlantis", "params", "deck-state", "value 'atlantis' is not allowed on data release"),
    5: ("caption_en", "{secret} phases", "caption_en", "deck-placeholder", "unknown placeholder '{secret}'"),
}


def _break(copy) -> dict[int, int]:
    """Write every BROKEN stop into the copy; returns stop -> its CSV line."""
    return {stop: copy.edit_cell("deck.csv", "stop", str(stop), column, value) for stop, (column, value, *_) in BROKEN.items()}


def test_a_stop_that_does_not_resolve_is_a_located_problem_of_a_draft(releases):
    draft = copy_release(releases, WITH_DECK, RELEASES / WITH_DECK, draft=True)
    lines = _break(draft)
    report = validate_release(draft.path)
    assert not report.valid and report.status == "draft"
    found = {(p.file, p.row, p.field, p.rule) for p in report.problems}
    assert found == {("deck.csv", lines[stop], field, rule) for stop, (_, _, field, rule, _) in BROKEN.items()}, [str(p) for p in report.problems]
    for stop, (*_, words) in BROKEN.items():
        [problem] = [p for p in report.problems if p.row == lines[stop]]
        assert problem.message.startswith(f"stop {stop}: ") and words in problem.message, str(problem)


def test_the_same_stops_in_a_published_release_are_dropped_with_their_reasons(releases, with_deck):
    published = copy_release(releases, WITH_DECK, RELEASES / WITH_DECK, draft=True)
    _break(published)
    published.publish()
    report = validate_release(published.path)
    assert report.valid and report.status == "published", [str(p) for p in report.problems]
    deck = load_deck(report.release)
    assert [d.stop.number for d in deck.dropped] == sorted(BROKEN)
    for dropped in deck.dropped:
        assert BROKEN[dropped.stop.number][-1] in " ".join(dropped.reasons), str(dropped)
        assert dropped.title.strip() and "{" not in dropped.title, str(dropped)  # the warning names the stop as users saw it
    full = load_deck(with_deck)
    assert [s.number for s in deck.stops] == [s.number for s in full.stops if s.number not in BROKEN]
    assert check_deck(report.release, published=True) == []


def test_stops_numbered_out_of_order_and_an_unreadable_query_are_problems_of_any_release(releases):
    draft = copy_release(releases, WITH_DECK, RELEASES / WITH_DECK, draft=True)
    renumbered = draft.edit_cell("deck.csv", "stop", "3", "stop", "30")
    unreadable = draft.edit_cell("deck.csv", "stop", "4", "params", "view")
    report = validate_release(draft.path)
    found = {(p.row, p.field, p.rule, p.value) for p in report.problems}
    assert (renumbered, "stop", "deck-order", "30") in found and (unreadable, "params", "deck-params", "view") in found, found
    draft.publish()
    assert {(p.row, p.rule) for p in validate_release(draft.path).problems} >= {(renumbered, "deck-order"), (unreadable, "deck-params")}


def test_a_release_without_a_deck_has_none(every_release):
    older = every_release["1.4.0"]
    assert load_deck(older) is None and check_deck(older) == []


# ---------------------------------------------------------------------------------------------------
# The default deck


def test_the_default_deck_tells_the_story_in_10_to_14_stops(with_deck):
    deck = load_deck(with_deck)
    assert 10 <= len(deck.stops) <= 14 and deck.dropped == ()
    assert [s.number for s in deck.stops] == list(range(1, len(deck.stops) + 1))
    assert check_deck(with_deck) == []
    pages = [s.page for s in deck.stops]
    assert {"overview", "map", "phases", "compare", "funding", "partners"} <= set(pages) and {"methodology", "data"} & set(pages)
    views = [s.params.get("view") for s in deck.stops if s.page == "map"]
    assert [demonstrator_city(with_deck)] in views and [registry.NATIONAL] in views
    partners = [registry.resolve(with_deck, s.page, s.params).state for s in deck.stops if s.page == "partners"]
    assert {p["raci_track"] for p in partners if p["p_section"] == "raci"} == {"public", "private"}
    assert "risks" in {p["p_section"] for p in partners}
    compared = [s.params["options"] for s in deck.stops if s.page == "compare"]
    assert compared and all(2 <= len(o) <= registry.MAX_OPTIONS for o in compared)
    for stop in deck.stops:
        assert registry.resolve(with_deck, stop.page, stop.params).ok, stop
        for kind in TEXTS:
            text = stop.text(kind)
            assert text.strip() and "{" not in text and "}" not in text, (stop.number, kind, text)
        assert "\n" not in stop.text("title") + stop.text("caption")


def test_the_default_deck_types_no_figure_and_uses_only_known_placeholders(with_deck):
    stops, unreadable = read_stops(with_deck)
    assert unreadable == []
    used = set()
    for stop in stops:
        for kind in TEXTS:
            text = stop.text(kind)
            assert not re.search(r"\d", text), f"stop {stop.number} {kind}: a figure is typed instead of a placeholder: {text!r}"
            assert not [p for p in re.findall(r"\{([^{}]*)\}", text) if p not in PLACEHOLDERS], (stop.number, kind, text)
            used |= set(placeholders_in(text))
    assert {"hubs_total", "demonstrator_city", "demonstrator_hubs", "capex_range"} <= used


# ---------------------------------------------------------------------------------------------------
# Every release folder


def test_no_release_drops_a_stop(every_release):
    decks = [load_deck(release) for release in every_release.values()]
    dropped = [f"{deck.version}: {d}" for deck in decks if deck is not None for d in deck.dropped]
    assert dropped == [], "stops that no longer resolve:\n" + "\n".join(dropped)


def test_every_placeholder_has_a_value_on_every_release_with_a_deck(every_release):
    decked = [release for release in every_release.values() if load_deck(release) is not None]
    assert WITH_DECK in [r.version for r in decked]
    for release in decked:
        values = placeholder_values(release)
        empty = sorted(name for name in PLACEHOLDERS if not values.get(name, "").strip())
        assert empty == [], f"{release.version}: placeholders without a value: {empty}"
