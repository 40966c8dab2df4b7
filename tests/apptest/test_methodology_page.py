"""Methodology page in words: no assumption id, file or module name in what it draws; the glossary lists every term."""

from __future__ import annotations

import re

import pytest
from apphelp import folds_opened, open_page, texts

from pakcoe import load_release
from pakcoe.display import texts as display_texts


def shown(at) -> str:
    """Everything the page drew as text, formulas included, Markdown escapes removed."""
    return (texts(at) + "\n" + "\n".join(c.value for c in at.text)).replace("\\", "")


@pytest.mark.parametrize("version", ["1.0.0", None])  # None: the release the app serves by default (the newest)
def test_methodology_names_no_assumption_id_file_or_module(real_releases, version):
    at = folds_opened(open_page("methodology", query={"release": version} if version else None))  # the folds' texts too
    assert not at.exception
    release = load_release(real_releases / at.session_state["release"])
    body = shown(at)
    ids = [p for p in release.assumptions["param_id"] if re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", body)]
    assert ids == [], ids[:10]
    assert not re.findall(r"\b[\w\-]+\.(?:csv|geojson|py)\b", body)
    assert not re.findall(r"\b(?:pakcoe|components)\.\w+", body)
    coded_sources = [s for s in release.table("sources")["source_id"] if "-" in s and s in body]
    assert coded_sources == []
    for name in release.assumptions["name"]:  # every assumption is there, by its name
        assert name in body, name


def test_glossary_section_lists_every_term_with_its_full_name(pinned_releases, release):
    at = open_page("methodology")
    assert not at.exception
    assert "Glossary" in [h.value for h in at.header]
    terms = display_texts(release).glossary()
    assert terms
    glossary = shown(at)
    for t in terms:
        line = f"**{t.term}**" + (f" ({t.expansion})" if t.expansion and t.expansion != t.term else "") + f": {t.definition}"
        assert line in glossary, t.term


def test_glossary_is_a_section_of_the_page(pinned_releases):
    from pakcoe.registry import SECTIONS

    assert "glossary" in SECTIONS["methodology"]
    at = open_page("methodology", query={"m_section": "glossary"})
    assert not at.exception and not at.error


@pytest.mark.parametrize("version", ["1.0.0", None])  # None: the newest release
def test_assumptions_are_counted_then_listed_by_provenance_in_two_folds(real_releases, version):
    at = open_page("methodology", query={"release": version} if version else None)
    assert not at.exception
    release = load_release(real_releases / at.session_state["release"])
    a = release.assumptions
    guessed = a["assumption"].astype(bool) | a["source_id"].isna()  # what the badges call an illustrative assumption
    n_facts, n_guessed = int((~guessed).sum()), int(guessed.sum())
    summary = [m.value for m in at.markdown if "figures that the model and the pages use" in m.value]
    assert len(summary) == 1
    assert f"{n_facts + n_guessed:,} figures" in summary[0] and f"{n_facts:,} sourced facts" in summary[0]
    assert f"{n_guessed:,} illustrative assumptions" in summary[0]
    labels = {e.label for e in at.expander}
    facts_label, guessed_label = f"Sourced facts ({n_facts:,})", f"Illustrative assumptions ({n_guessed:,})"
    assert (facts_label in labels) == (n_facts > 0) and (guessed_label in labels) == (n_guessed > 0)
    body = shown(at)
    assert not [name for name in a["name"] if f"**{name}**" in body]  # closed: no assumption's line is built
    at = folds_opened(at)
    folds = {e.label: "\n".join(m.value for m in e.markdown) for e in at.expander if e.label in (facts_label, guessed_label)}
    for label, rows in ((facts_label, ~guessed), (guessed_label, guessed)):
        lines = [line for line in folds.get(label, "").splitlines() if line.startswith("- ")]
        assert len(lines) == int(rows.sum())  # one line per assumption of that kind, none of the other kind
        badge = ":material/verified: Source:" if label == facts_label else ":material/science: Illustrative assumption"
        assert all(badge in line for line in lines), label
