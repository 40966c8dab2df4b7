"""The app's strings in both languages, numbers and dates per language, and the language plumbing (pakcoe.i18n)."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from pakcoe import i18n, registry

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "components").rglob("*.py")),
    *sorted((ROOT / "pakcoe").rglob("*.py")),
    *sorted((ROOT / "scripts").glob("*.py")),
]
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def literal_calls() -> list[tuple[str, int, str]]:
    """(file, line, English) of every t("...") / tl("...", lang) call with a literal first argument in the app's code."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in {"t", "tl"} and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.append((str(path.relative_to(ROOT)), node.lineno, node.args[0].value))
    return found


def ui_rows() -> list[tuple[str, str, str]]:
    rows = []
    for path in sorted(i18n.UI_DIR.glob("*.csv")):
        frame = i18n.read_ui_file(path)
        assert list(frame.columns) == ["en", "ur"], path.name
        rows += [(path.name, en, ur) for en, ur in zip(frame["en"], frame["ur"], strict=True)]
    return rows


def test_every_string_the_code_asks_for_has_urdu():
    table = i18n.ui_table()
    missing = sorted({f"{f}:{line}: {en!r}" for f, line, en in literal_calls() if en not in table})
    assert not missing, "strings with no Urdu value:\n" + "\n".join(missing)


def test_a_broken_text_file_is_named_with_its_line_and_the_rule(tmp_path: Path):
    """A line with an unquoted comma once reached the Present deck only as "no value for {capex_range}": pandas'
    parser error is a ValueError, which the deck's placeholders read as a missing value."""
    good, broken = tmp_path / "good", tmp_path / "broken"
    good.mkdir(), broken.mkdir()
    (good / "a.csv").write_text('en,ur\nHubs,حب\n"Hubs, by phase","حب، مرحلہ وار"\n', encoding="utf-8")
    assert i18n.ui_table(good) == {"Hubs": "حب", "Hubs, by phase": "حب، مرحلہ وار"}
    (broken / "b.csv").write_text("en,ur\nHubs,حب\nHubs, by phase,حب، مرحلہ وار\n", encoding="utf-8")
    with pytest.raises(i18n.TextFileError) as caught:
        i18n.ui_table(broken)
    message = str(caught.value)
    assert message.startswith("broken/b.csv: ") and "line 3" in message and "quote a field that holds a comma" in message, message
    assert not isinstance(caught.value, ValueError)  # so pakcoe.deck.placeholder_values does not take it for a missing value
    (broken / "b.csv").write_text("english,ur\nHubs,حب\n", encoding="utf-8")
    with pytest.raises(i18n.TextFileError, match=r"b\.csv: no column en in its first line"):
        i18n.read_ui_file(broken / "b.csv")


def test_page_titles_have_urdu():
    assert [p.title for p in registry.PAGES if p.title not in i18n.ui_table()] == []


def test_every_urdu_string_is_careful_and_complete():
    problems = []
    for name, en, ur in ui_rows():
        if not en or not ur.strip():
            problems.append(f"{name}: {en!r} has no Urdu")
        elif ur == en:
            problems.append(f"{name}: {en!r} is the English")
        elif i18n.arabic_share(ur) < 0.5:
            problems.append(f"{name}: {en!r} -> {ur!r} is not mostly Arabic script")
        elif set(PLACEHOLDER.findall(en)) != set(PLACEHOLDER.findall(ur)):
            problems.append(f"{name}: {en!r} -> {ur!r} names other values")
    assert not problems, "\n".join(problems)


def test_one_urdu_per_english_across_files():
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for name, en, ur in ui_rows():
        if en in seen and seen[en][1] != ur:
            clashes.append(f"{en!r}: {seen[en][0]} and {name} differ")
        seen.setdefault(en, (name, ur))
    assert not clashes, "\n".join(clashes)


def test_t_speaks_the_current_language_and_formats_only_the_template():
    en = "Language"
    with i18n.using("ur"):
        assert i18n.t(en) == i18n.ui_table()[en]
        assert i18n.current() == "ur" and i18n.direction() == "rtl"
    assert i18n.t(en) == en and i18n.direction() == "ltr"
    assert i18n.t("Unknown {x}", x="{data}") == "Unknown {data}"  # a value holding braces is never formatted
    assert i18n.check("fr") == "en" and i18n.check(None) == "en"


@pytest.mark.parametrize(
    ("value", "en", "ur"),
    [(1234567, "1,234,567", "12,34,567"), (100000, "100,000", "1,00,000"), (999, "999", "999"), (-2500000, "-2,500,000", "-25,00,000")],
)
def test_grouping_per_language(value, en, ur):
    assert i18n.num(value, lang="en") == en
    assert i18n.num(value, lang="ur") == ur


def test_urdu_amounts_use_lakh_crore_words_and_english_stays_as_before():
    assert i18n.money_m(5427, "PKR", "en") == "PKR 5,427 M"
    assert i18n.money_m(19.43, "USD", "en") == "USD 19.4 M"
    assert i18n.money_m(5427, "PKR", "ur") == "5.4 ارب روپے"  # 5,427 million = 5.4 arab (100 crore)
    assert i18n.money_m(19.43, "USD", "ur") == "1.9 کروڑ ڈالر"
    assert i18n.compact(1_230_000, lang="ur") == "12.3 لاکھ"
    assert i18n.compact(54_000_000, lang="ur") == "5.4 کروڑ"
    assert i18n.compact(5_400_000_000, lang="en") == "5.4 billion"


def test_dates_and_quarters_per_language():
    assert i18n.date(date(2026, 12, 1), "en") == "2026-12-01"
    assert "دسمبر" in i18n.date("2026-12-01", "ur")
    assert i18n.quarter("2027Q3", "en") == "Q3 2027"
    assert i18n.quarter("2027Q3", "ur") == "2027 کی تیسری سہ ماہی"
    assert i18n.quarter("not a quarter", "ur") == "not a quarter"


def test_arabic_share_sets_aside_names_kept_as_written():
    assert i18n.arabic_share("Pak AI CoE کا حب") == 1.0
    assert i18n.arabic_share("{n} حب، NAVTTC") == 1.0
    assert i18n.arabic_share("Hub map") == 0.0


def test_what_an_older_release_lacks_reads_in_urdu():
    """The model's stand-in texts (what a release lacks, the default used) are stated by code: each has its Urdu, for
    every release (the frame shows them through the app's string tables)."""
    from pakcoe.lacks import release_lacks
    from pakcoe.release import list_releases, validate_release

    table = i18n.ui_table()
    missing = set()
    for path in list_releases(ROOT / "data" / "releases"):
        report = validate_release(path)
        if report.valid:
            lacks = release_lacks(report.release)
            missing |= {text for pair in lacks.rules for text in pair if text not in table}
            missing |= {label for label in lacks.sections if label not in table}
    assert not missing, sorted(missing)


def test_the_urdu_is_marked_draft_in_either_language_of_the_release():
    from pakcoe.release import list_releases, validate_release

    release = next(r.release for r in map(validate_release, reversed(list_releases(ROOT / "data" / "releases"))) if r.valid)
    assert i18n.draft_share(release) > 0
    assert i18n.draft_share(i18n.localize(release, "ur")) == i18n.draft_share(release)
