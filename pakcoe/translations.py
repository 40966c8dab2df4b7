"""A release's texts in other languages, checked: its `translations` table and the `*_ur` columns of its display texts
and deck (pure; hooked into `pakcoe.release.validate_release` like `pakcoe.display.check_labels`).

A release from 1.7.0 on carries Urdu: `translations.csv` (`text_en`, `text_ur`, `status`) for the prose fields named
in `pakcoe.i18n.TRANSLATED` and for the prose of its descriptor (`descriptor_texts`), and a column per language in `labels.csv` (`label_ur`), `glossary.csv` (`expansion_ur`,
`definition_ur`) and `deck.csv` (`title_ur`, `caption_ur`, `note_ur`). Each Urdu text must be written (not empty where
the English is not), differ from the English, be mostly in Arabic script (`pakcoe.i18n.arabic_share` >= 0.5, names
kept as written set aside) and name the same placeholders as its English (`{hubs_total}`); each translation must be of a
text the release uses (no stale rows), and never of a formula (`=...`, an expression the model evaluates). A release
without these tables and columns (1.6.0 and older) has nothing to check.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from pakcoe import i18n
from pakcoe.problems import Problem
from pakcoe.release import Release

MIN_ARABIC_SHARE = 0.5
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_FORMULA = re.compile(r"^\s*=")
# (resource, key fields, English column -> column in each other language) of the display texts and the deck
COLUMNS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("labels", ("table", "field", "value"), ("label",)),
    ("glossary", ("term",), ("expansion", "definition")),
    ("deck", ("stop",), ("title", "caption", "note")),
)
ENGLISH = "en"
LANGS = tuple(lang for lang in i18n.LANGS if lang != ENGLISH)


def is_formula(text: object) -> bool:
    """True for a formula ('=a * b'): an expression the model evaluates, never translated."""
    return isinstance(text, str) and _FORMULA.match(text) is not None


def placeholders(text: str) -> Counter:
    """The `{name}` placeholders a text names, with how often (a doubled brace is a literal, not a placeholder)."""
    return Counter(m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1) is not None)


def text_problems(english: str, other: str) -> list[tuple[str, str]]:
    """(rule, message) of what is wrong with `other`, the Urdu of `english` (empty: it is careful and complete)."""
    if not other.strip():
        return [("translation-empty", "has no Urdu text, while the English has one")]
    found = []
    if other.strip() == english.strip():
        found.append(("translation-english", "is the English, not a translation"))
    elif i18n.arabic_share(other) < MIN_ARABIC_SHARE:
        found.append(("translation-script", f"is not mostly in Arabic script ({i18n.arabic_share(other):.0%} of its letters)"))
    if placeholders(english) != placeholders(other):
        want = ", ".join("{" + p + "}" for p in sorted(placeholders(english))) or "none"
        found.append(("translation-placeholders", f"must name the English's placeholders ({want})"))
    return found


def descriptor_texts(descriptor: dict) -> set[str]:
    """The prose of a release's descriptor users read (the Data page shows it through `pakcoe.i18n.data_text`): the
    package's title and description, the allocation rule, and each resource's title and description and each of its
    fields' descriptions. Names, paths, types and constraints are machine text, never translated."""
    found: list[object] = [descriptor.get("title"), descriptor.get("description")]
    rule = descriptor.get("allocation_rule")
    if isinstance(rule, dict):
        found.append(rule.get("text"))
    for res in descriptor.get("resources", []):
        found += [res.get("title"), res.get("description")]
        schema = res.get("schema")
        if isinstance(schema, dict):
            found += [f.get("description") for f in schema.get("fields", []) if isinstance(f, dict)]
    return {text for text in found if isinstance(text, str) and text.strip()}


def used_texts(release: Release) -> set[str]:
    """Every text of the release's TRANSLATED fields and of its descriptor's prose (what a translation may be of)."""
    used: set[str] = descriptor_texts(release.descriptor)
    for name, fields in i18n.TRANSLATED.items():
        frame = release.tables.get(name)
        if frame is None:
            continue
        for field in fields:
            if field in frame.columns:
                used.update(v for v in frame[field].dropna().astype(str) if v)
    return used


def _cells(frame: pd.DataFrame, column: str) -> list[str]:
    return ["" if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else str(v) for v in frame[column]]


def _row_lines(lines: dict[str, list[int]] | None, name: str, count: int) -> list[int]:
    at = (lines or {}).get(name)
    return list(at) if at and len(at) == count else [i + 2 for i in range(count)]


def check_translations(release: Release, lines: dict[str, list[int]] | None = None) -> list[Problem]:
    """Every Urdu text of the release against its English (see the module's rules); [] for a release without any."""
    problems: list[Problem] = []
    if i18n.TRANSLATIONS in release.tables:
        problems += _check_table(release, lines)
    for name, _key, kinds in COLUMNS:
        if name in release.tables:
            problems += _check_columns(release, name, kinds, lines)
    return problems


def _check_table(release: Release, lines: dict[str, list[int]] | None) -> list[Problem]:
    name = i18n.TRANSLATIONS
    file = release.resource(name)["path"]
    frame = release.table(name)
    english, urdu = _cells(frame, "text_en"), _cells(frame, "text_ur")
    used = used_texts(release)
    problems = []
    for row, en, ur in zip(_row_lines(lines, name, len(frame)), english, urdu, strict=True):
        if is_formula(en):
            problems.append(
                Problem(
                    file,
                    "translation-formula",
                    "translates a formula: a formula is evaluated by the model, never translated",
                    row=row,
                    field="text_en",
                    value=en,
                )
            )
            continue
        if en not in used:
            problems.append(
                Problem(
                    file,
                    "translation-stale",
                    "translates a text no table of the release holds in a translated field, nor its descriptor's prose",
                    row=row,
                    field="text_en",
                    value=en,
                )
            )
        for rule, message in text_problems(en, ur):
            problems.append(Problem(file, rule, message, row=row, field="text_ur", value=ur))
    return problems


def _check_columns(release: Release, name: str, kinds: Iterable[str], lines: dict[str, list[int]] | None) -> list[Problem]:
    file = release.resource(name)["path"]
    frame = release.table(name)
    rows = _row_lines(lines, name, len(frame))
    problems = []
    for kind in kinds:
        source = f"{kind}_{ENGLISH}"
        if source not in frame.columns:
            continue
        for lang in LANGS:
            column = f"{kind}_{lang}"
            if column not in frame.columns:
                continue
            for row, en, other in zip(rows, _cells(frame, source), _cells(frame, column), strict=True):
                if not en.strip():
                    continue
                for rule, message in text_problems(en, other):
                    problems.append(Problem(file, rule, message, row=row, field=column, value=other))
    return problems
