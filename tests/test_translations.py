"""A release's texts in Urdu: every text of every release has careful Urdu (the release's own or the app's fallback),
every label of a coded value or column reads in Urdu without a made-up name, the validator locates each bad Urdu text,
and a localized release keeps its ids, codes and numbers, so the model gives the same figures in both languages."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from releasekit import ROOT, copy_release

from pakcoe import i18n, list_releases, load_release, validate_release
from pakcoe.display import GLOSSARY, LABELS, fallback, humanize, texts
from pakcoe.model import run_model, scenario_from_option
from pakcoe.semver import semver_key
from pakcoe.translations import check_translations, descriptor_texts, is_formula, text_problems, used_texts

RELEASES = [p for p in list_releases(ROOT / "data" / "releases") if validate_release(p).valid]
WITH_URDU = [p for p in RELEASES if (p / f"{i18n.TRANSLATIONS}.csv").exists()]
DECK_KINDS = ("title", "caption", "note")


@pytest.fixture(scope="module", params=[p.name for p in RELEASES])
def release(request):
    return load_release(ROOT / "data" / "releases" / request.param)


def _careless(pairs) -> list[str]:
    """What is wrong with each (where, English, Urdu) pair, one line each."""
    return [f"{where}: {en!r} -> {ur!r}: {rule}" for where, en, ur in pairs for rule, _ in text_problems(en, ur)]


# --- completeness ----------------------------------------------------------------------------------------------------


def test_every_translated_text_of_every_release_has_urdu(release):
    """Every prose text users read has Urdu, from the release or the app's fallback. Formulas ('=a * b') are
    expressions the model evaluates, not texts: they are never translated (pakcoe.translations.is_formula)."""
    assert [m for m in i18n.untranslated(release) if not is_formula(m[2])] == []


def test_every_urdu_data_text_is_careful(release):
    table = i18n.translations(release)
    pairs = [("translations", en, table[en][0]) for en in sorted(used_texts(release)) if en in table and not is_formula(en)]
    assert pairs
    assert _careless(pairs) == []
    assert {table[en][1] for _, en, _ in pairs} <= set(i18n.STATUSES)


def test_every_descriptor_text_of_the_data_page_has_careful_urdu(release):
    """The Data page reads the descriptor's prose through i18n.data_text (the package's title and description, the
    allocation rule, each table's title and description, each column's description): each has careful Urdu, from the
    release's translations.csv or the app's pakcoe/texts/translations/descriptor.csv."""
    shown = descriptor_texts(release.descriptor)
    d = release.descriptor
    assert {d["title"], d["description"], d["allocation_rule"]["text"]} <= shown
    assert {str(f["description"]) for r in d["resources"] for f in r.get("schema", {}).get("fields", []) if f.get("description")} <= shown
    pairs = [("descriptor", en, i18n.data_text(release, en, "ur")) for en in sorted(shown)]
    assert len(pairs) > 100
    assert _careless(pairs) == []
    assert all(i18n.data_text(release, en, "en") == en for en in shown)  # English exactly as the descriptor writes it


def test_descriptor_texts_are_its_prose_never_its_machine_text():
    descriptor = {
        "name": "pak-ai-coe",
        "title": "A title",
        "description": "A description.",
        "allocation_rule": {"text": "The rule.", "allocation_floor": 3},
        "resources": [
            {
                "name": "hubs",
                "path": "hubs.csv",
                "title": "Hubs",
                "description": "The hubs.",
                "schema": {"fields": [{"name": "hub_id", "type": "string", "description": "Identifier."}, {"name": "lat", "type": "number"}]},
            },
            {"name": "outline", "path": "outline.json", "description": ""},
        ],
    }
    assert descriptor_texts(descriptor) == {"A title", "A description.", "The rule.", "Hubs", "The hubs.", "Identifier."}


def test_a_release_with_its_own_urdu_translates_its_descriptor_itself():
    """1.7.0 on: translations.csv carries the descriptor's prose too (its own tables and *_ur columns described in Urdu),
    and a translation of descriptor prose is a text the release uses, not a stale row."""
    release = load_release(_newest_with_urdu())
    own = dict(zip(release.table(i18n.TRANSLATIONS)["text_en"], release.table(i18n.TRANSLATIONS)["text_ur"], strict=True))
    shown = descriptor_texts(release.descriptor)
    assert shown <= set(own)
    assert shown <= used_texts(release)
    schema = {r["name"]: r for r in release.descriptor["resources"]}
    for name, field in ((i18n.TRANSLATIONS, "text_ur"), ("labels", "label_ur"), ("deck", "note_ur"), ("glossary", "definition_ur")):
        [described] = [f["description"] for f in schema[name]["schema"]["fields"] if f["name"] == field]
        assert text_problems(described, own[described]) == []


def test_assumption_units_read_in_urdu_and_unchanged_in_english(release):
    """`assumptions.unit` is labelled (pakcoe/texts/labels.csv, and the release's own labels.csv from 1.7.0): the same
    words in English, Urdu in Urdu."""
    english, urdu = texts(release), texts(i18n.localize(release, "ur"))
    units = sorted(set(release.table("assumptions")["unit"].dropna().astype(str)))
    assert units
    for unit in units:
        assert english.value("unit", unit, "assumptions") == unit
        ur = urdu.value("unit", unit, "assumptions")
        assert text_problems(unit, ur) == [], (unit, ur)
    assert urdu.value("unit", "PKR million", "assumptions") == "ملین روپے"


def test_no_formula_is_translated_so_the_model_reads_the_same_expressions():
    rows = [en for en in i18n.fallback_translations() if is_formula(en)]
    for path in WITH_URDU:
        rows += [en for en in load_release(path).table(i18n.TRANSLATIONS)["text_en"] if is_formula(en)]
    assert rows == []


def test_every_label_and_term_of_every_release_reads_in_urdu(release):
    english, urdu = texts(release), texts(i18n.localize(release, "ur"))
    assert urdu.lang == "ur" and english.lang == "en"
    pairs = [(f"labels {key}", english._labels[key], urdu._labels[key]) for key in english._labels]
    for term in english.glossary():
        ur = urdu.term(term.term)
        pairs += [(f"glossary {term.term} expansion", term.expansion, ur.expansion), (f"glossary {term.term} definition", term.definition, ur.definition)]
    assert len(pairs) > 200
    assert _careless(pairs) == []


def test_every_deck_text_has_urdu():
    """From the release's own *_ur columns (1.7.0 on), else from the app's table keyed by the English (1.5.0, 1.6.0);
    releases before 1.5.0 have no deck."""
    decks = [r for r in (load_release(p) for p in RELEASES) if "deck" in r.tables]
    assert decks, "no release has a deck"
    pairs = []
    for release in decks:
        deck, table = release.table("deck"), i18n.translations(release)
        pairs += _deck_pairs(deck, table)
    assert _careless(pairs) == []


def _deck_pairs(deck, table) -> list:
    pairs = []
    for row in deck.to_dict("records"):
        for kind in DECK_KINDS:
            en = row[f"{kind}_en"]
            own = row.get(f"{kind}_ur")
            ur = own if isinstance(own, str) and own else table.get(en, ("", ""))[0]
            pairs.append((f"deck stop {row['stop']} {kind}", en, ur))
    return pairs


def test_every_coded_value_and_column_has_a_real_urdu_label(release):
    """In Urdu no header or coded value is left to humanize(): each has a label of its own, in Arabic script."""
    t = texts(i18n.localize(release, "ur"))
    assert t.unlabelled() == []
    bad = []
    for name, frame in release.tables.items():
        for column in frame.columns:
            header = t.column(column, name)
            if header == humanize(column) or i18n.arabic_share(header) < 0.5:
                bad.append(f"{name}.{column}: {header!r}")
            if not t._coded(name, column) or t._reference(name, column) is not None:
                continue
            for raw in frame[column].dropna().astype(str).unique():
                for part in (p.strip() for p in raw.split(";") if p.strip()):
                    label = t.value(column, part, name)
                    if label == humanize(part) or label == part or i18n.arabic_share(label) < 0.5:
                        bad.append(f"{name}.{column}={part}: {label!r}")
    assert bad == []


def test_first_use_reads_naturally_in_urdu():
    release = i18n.localize(load_release(RELEASES[-1]), "ur")
    t = texts(release)
    first = t.first_use("TVET")
    assert first == f"{t.term('TVET').expansion} (TVET)"
    assert i18n.arabic_share(first) == 1.0 and "Technical" not in first
    assert t.first_use("not a term") == "not a term"


def test_english_display_texts_are_the_english_columns():
    release = load_release(RELEASES[-1])
    t = texts(release)
    labels = fallback(LABELS)
    row = labels[(labels["table"] == "hubs") & (labels["field"] == "host_type") & (labels["value"] == "university_campus")].iloc[0]
    assert t.value("host_type", "university_campus", "hubs") == row["label_en"]
    assert texts(i18n.localize(release, "ur")).value("host_type", "university_campus", "hubs") == row["label_ur"]
    assert t.term("TVET").expansion == fallback(GLOSSARY).set_index("term").loc["TVET", "expansion_en"]


def test_an_older_release_reads_its_urdu_from_the_apps_tables():
    """1.6.0 has labels and glossary in English only: the Urdu is the app's, where the app's English is the release's."""
    older = [p for p in RELEASES if (p / "labels.csv").exists() and not (p / f"{i18n.TRANSLATIONS}.csv").exists()]
    release = load_release(older[-1])
    urdu = texts(i18n.localize(release, "ur"))
    app = fallback(LABELS).set_index(["table", "field", "value"])
    assert urdu.column("host_type", "hubs") == app.loc[("", "host_type", ""), "label_ur"]
    own = pd.DataFrame([{"table": "hubs", "field": "host_type", "value": "university_campus", "label_en": "On a campus"}])
    changed = dataclasses.replace(release, tables={**release.tables, LABELS: own}, lang="ur")
    assert texts(changed).value("host_type", "university_campus", "hubs") == "On a campus"  # other English: no Urdu of it


# --- the validator ---------------------------------------------------------------------------------------------------


def _newest_with_urdu():
    assert WITH_URDU, "no release carries translations.csv (from 1.7.0 on every release does)"
    return max(WITH_URDU, key=lambda p: semver_key(p.name))


def _found(report) -> list[tuple]:
    return [(p.file, p.rule, p.row, p.field, p.value) for p in report.problems]


def test_a_release_with_its_own_urdu_is_valid_and_holds_exactly_the_texts_it_uses():
    path = _newest_with_urdu()
    release = load_release(path)
    assert check_translations(release) == []
    held = set(release.table(i18n.TRANSLATIONS)["text_en"])
    assert held == {en for en in used_texts(release) if not is_formula(en)}
    for kind in DECK_KINDS:
        assert f"{kind}_ur" in release.table("deck").columns
    assert "label_ur" in release.table(LABELS).columns
    assert {"expansion_ur", "definition_ur"} <= set(release.table(GLOSSARY).columns)


def test_each_translation_rule_is_a_located_error(tmp_path):
    path = _newest_with_urdu()
    draft = copy_release(tmp_path, path.name, path, draft=True)
    rows = draft.rows("translations.csv")
    header = list(rows[0])
    english_at = 0
    rows[english_at] = {**rows[english_at], "text_ur": rows[english_at]["text_en"]}
    latin_at = 1
    rows[latin_at] = {**rows[latin_at], "text_ur": "Not translated at all"}
    rows.append({"text_en": "A text no table holds", "text_ur": "ایسا متن جو کسی جدول میں نہیں", "status": "draft"})
    rows.append({"text_en": "=hubs_phase_1 * 2", "text_ur": "مرحلہ 1 کے حبز کا دگنا", "status": "draft"})
    draft.write_rows("translations.csv", rows, header)
    stale_line, formula_line = len(rows), len(rows) + 1  # header is line 1
    deck = draft.rows("deck.csv")
    stop = next(i for i, r in enumerate(deck) if "{" in r["caption_en"])
    deck[stop] = {**deck[stop], "caption_ur": "کوئی عدد نہیں"}
    draft.write_rows("deck.csv", deck)
    labels = draft.rows("labels.csv")
    label_at = next(i for i, r in enumerate(labels) if r["field"] == "host_type" and r["value"])
    labels[label_at] = {**labels[label_at], "label_ur": labels[label_at]["label_en"]}
    draft.write_rows("labels.csv", labels)
    found = _found(validate_release(draft.path))
    rules = {(f, r, row, field) for f, r, row, field, _ in found}
    assert ("translations.csv", "translation-english", english_at + 2, "text_ur") in rules
    assert ("translations.csv", "translation-script", latin_at + 2, "text_ur") in rules
    assert ("translations.csv", "translation-stale", stale_line, "text_en") in rules
    assert ("translations.csv", "translation-formula", formula_line, "text_en") in rules
    assert ("deck.csv", "translation-placeholders", stop + 2, "caption_ur") in rules
    assert ("labels.csv", "translation-english", label_at + 2, "label_ur") in rules
    assert len(found) == 6, found


def test_an_empty_urdu_text_is_a_located_error(tmp_path):
    path = _newest_with_urdu()
    draft = copy_release(tmp_path, path.name, path, draft=True)
    rows = draft.rows("translations.csv")
    rows[3] = {**rows[3], "text_ur": ""}
    draft.write_rows("translations.csv", rows)
    glossary = draft.rows("glossary.csv")
    glossary[0] = {**glossary[0], "definition_ur": ""}
    draft.write_rows("glossary.csv", glossary)
    report = validate_release(draft.path)
    located = {(p.file, p.row, p.field) for p in report.problems}
    assert ("translations.csv", 5, "text_ur") in located
    assert ("glossary.csv", 2, "definition_ur") in located
    assert not report.valid


def test_a_release_without_urdu_has_nothing_to_check():
    for path in RELEASES:
        if path not in WITH_URDU:
            release = load_release(path)
            assert check_translations(release) == [], path.name


def test_text_rules_in_plain_cases():
    assert text_problems("{n} hubs", "{n} حبز") == []
    assert [r for r, _ in text_problems("{n} hubs", "حبز")] == ["translation-placeholders"]
    assert [r for r, _ in text_problems("Hubs", "Hubs")] == ["translation-english"]
    assert [r for r, _ in text_problems("Hubs", "  ")] == ["translation-empty"]
    assert text_problems("TVET", "TVET ادارہ") == []
    assert [r for r, _ in text_problems("A literal {{brace}}", "ایک {{brace}}")] == []


# --- localize keeps what is not prose --------------------------------------------------------------------------------


def test_localize_changes_only_the_translated_fields(release):
    urdu = i18n.localize(release, "ur")
    assert urdu.lang == "ur" and urdu.version == release.version and urdu.descriptor is release.descriptor
    changed = 0
    for name, frame in release.tables.items():
        other = urdu.tables[name]
        assert list(other.columns) == list(frame.columns) and len(other) == len(frame)
        translated = set(i18n.TRANSLATED.get(name, ()))
        for column in frame.columns:
            if column in translated:
                formulas = frame[column].map(is_formula)
                assert list(other[column][formulas]) == list(frame[column][formulas]), f"{name}.{column}"  # formulas stay
                changed += int((other[column] != frame[column]).sum())
            else:
                pd.testing.assert_series_equal(other[column], frame[column], obj=f"{name}.{column}")
    assert changed > 0


def _figures(result) -> dict:
    summary = {k: v for k, v in dataclasses.asdict(result.summary).items()}
    return {
        "summary": summary,
        "quarters": result.quarters,
        "funding": result.funding[["t", "amount", "planned", "gap"]],
        "gates": [(g.phase_id, g.due_quarter, g.met_quarter, g.late_quarters, g.next_phase_shift) for g in result.gates],
    }


def test_the_model_gives_the_same_figures_in_both_languages(release):
    options = release.table("options")["option_id"]
    urdu = i18n.localize(release, "ur")
    for option in (options.iloc[0], options.iloc[-1]):
        en = _figures(run_model(release, scenario_from_option(release, option)))
        ur = _figures(run_model(urdu, scenario_from_option(urdu, option)))
        for key, value in en["summary"].items():
            other = ur["summary"][key]
            assert other == value or (isinstance(value, float) and math.isnan(value) and math.isnan(other)), key
        pd.testing.assert_frame_equal(ur["quarters"], en["quarters"])
        pd.testing.assert_frame_equal(ur["funding"], en["funding"])
        assert ur["gates"] == en["gates"]
