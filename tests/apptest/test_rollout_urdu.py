"""Phases and Compare in Urdu (?lang=ur): every text a user reads is Urdu, the figures are the English page's figures,
and a link's lever values are the same in both languages (they are ids and numbers, never translated)."""

from __future__ import annotations

import json
import re

import pytest
from apphelp import open_first, static_tables
from compare_table import key_figures
from urdu import cited_texts, english_leaks

from pakcoe import i18n, load_release, registry
from pakcoe.problems import ReleaseInvalid
from pakcoe.registry import Range
from pakcoe.release import list_releases

RELEASE = "1.3.0"  # a published release with every table the two pages read (as the deep-link tests use)


def _custom_link(release) -> dict[str, str]:
    """A Compare link with the custom option and every lever moved off its default (as the deep-link tests move them)."""
    page = registry.page("compare")
    query: dict = {"release": release.version}
    for p in page.params:
        if p.name in ("options", "baseline"):
            continue
        allowed, default = registry.allowed_values(release, p), registry.default_value(release, p)
        if p.kind == "bool":
            value = not default
        elif isinstance(allowed, Range):
            value = allowed.low if allowed.low != default else allowed.high
        elif allowed and not p.multi:
            value = next((a for a in allowed if a != default), default)
        else:
            continue
        query[p.name] = registry.to_query(value)
    options = list(registry.allowed_values(release, page.param("options")))
    query["options"] = [options[0], "custom"]
    query["baseline"] = "custom"
    return query


def _cited(root, version: str | None) -> set[str]:
    """The texts that may stay as their source wrote them: of `version`, or of every valid release (a link without
    ?release= opens the newest published one)."""
    out: set[str] = set()
    for r in list_releases(root) if version is None else [root / version]:
        try:
            out |= cited_texts(i18n.localize(load_release(r), "ur"))
        except ReleaseInvalid:
            continue
    return out


def _open(page: str, query: dict, lang: str):
    at = open_first(page, {**query, "lang": lang} if lang != "en" else query, timeout=180)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _numbers(text: str) -> list[float]:
    """The numbers of a text, whatever its grouping (1,234,567 or 12,34,567) and sign (+, −)."""
    return [float(n.replace(",", "").replace("−", "-")) for n in re.findall(r"[+\-−]?\d[\d,]*(?:\.\d+)?", text)]


def _params(at) -> dict[str, list[str]]:
    return {k: (v if isinstance(v, list) else [v]) for k, v in at.query_params.items() if k != "lang"}


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("phases", {}),  # the default release (the newest published)
        ("compare", {}),
        ("phases", {"release": RELEASE}),
        ("compare", {"release": RELEASE}),
        ("phases", {"release": RELEASE, "option": "private-only"}),
        ("compare", {"release": RELEASE, "options": ["private-only", "fast-small"], "differences": "false"}),
    ],
)
def test_the_page_in_urdu_has_no_english_left(real_releases, page, query):
    at = _open(page, query, "ur")
    assert english_leaks(at, allow=_cited(real_releases, query.get("release"))) == []


def test_a_custom_lever_link_in_urdu_has_no_english_and_keeps_its_values(real_releases):
    release = load_release(real_releases / RELEASE)
    query = _custom_link(release)
    ur = _open("compare", query, "ur")
    assert english_leaks(ur, allow=_cited(real_releases, RELEASE)) == []
    en = _open("compare", query, "en")
    assert _params(ur) == _params(en)  # the lever values in the address: the same ids and numbers in both languages
    assert ur.query_params["lang"] in ("ur", ["ur"])
    for name, value in query.items():
        assert _params(ur)[name] == (value if isinstance(value, list) else [value]), name


@pytest.mark.parametrize("custom", [False, True])
def test_the_same_link_computes_the_same_key_figures_in_both_languages(real_releases, custom):
    release = load_release(real_releases / RELEASE)
    query = _custom_link(release) if custom else {"release": RELEASE}
    en, ur = key_figures(_open("compare", query, "en")), key_figures(_open("compare", query, "ur"))
    assert en.baseline == ur.baseline and len(en.options) == len(ur.options)
    assert len(en.rows) == len(ur.rows)
    for (label_en, cells_en), (label_ur, cells_ur) in zip(en.rows.items(), ur.rows.items(), strict=True):
        assert i18n.arabic_share(label_ur) > 0.5, label_ur
        for a, b in zip(cells_en, cells_ur, strict=True):
            if re.fullmatch(r"\d{4}Q[1-4]", a.value):  # a quarter: Urdu writes it in words, with the same year
                assert a.value[:4] in b.value and b.value != a.value
                continue
            assert _numbers(a.value) == _numbers(b.value), (label_en, a.value, b.value)
            assert _numbers(a.range) == _numbers(b.range), (label_en, a.range, b.range)
    assert 'dir="rtl"' in ur.html and 'dir="ltr"' in en.html


def test_the_phases_figures_are_the_same_in_both_languages(real_releases):
    query = {"release": RELEASE, "option": "private-only"}
    en, ur = _open("phases", query, "en"), _open("phases", query, "ur")
    assert _params(en) == _params(ur)
    hubs = [json.loads(c.proto.spec) for c in (en.get("plotly_chart")[1], ur.get("plotly_chart")[1])]
    assert [t["y"] for t in hubs[0]["data"]] == [t["y"] for t in hubs[1]["data"]]
    assert [t["x"] for t in hubs[0]["data"]] == [t["x"] for t in hubs[1]["data"]]  # the quarter ids: the axis stays left to right
    assert "tickvals" not in hubs[0]["layout"]["xaxis"] and hubs[1]["layout"]["xaxis"]["ticktext"]
    assert all(re.fullmatch(r"\d{4}", t) for t in hubs[1]["layout"]["xaxis"]["ticktext"])
    assert [len(t) for t in static_tables(en)] == [len(t) for t in static_tables(ur)]  # the same gates, criteria and milestones
