"""Validation problems in plain words: every rule the validator can emit has a sentence in English and Urdu
(pakcoe/texts/problems.csv), and the problem tables show it in Urdu instead of the rule's id.

The rule ids are found by reading the validator's code (every `Problem(...)` call of pakcoe/, its rule given as the
second argument or as `rule=`), plus the rules chosen at run time, listed here from their code: a new rule without a
text fails here, and so does a text for a rule the code no longer emits.
"""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest
from releasekit import copy_release

from pakcoe import i18n
from pakcoe.problems import RULE_TEXTS, rule_text, rule_texts

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

# Rules chosen at run time (a variable or an expression at the Problem call), each call's possible values read from
# its code. A key is 'path:first words of the call's rule expression' so the test fails when a call changes.
DYNAMIC = {
    # 'basis-missing' if not ref.startswith('=') else 'derivation'
    ("pakcoe/basis.py", "'basis-missing' if not ref.startswith('=') else 'derivation'"): {"basis-missing", "derivation"},
    # 'derivation' if what == 'derivation' else 'basis-value'
    ("pakcoe/basis.py", "'derivation' if what == 'derivation' else 'basis-value'"): {"derivation", "basis-value"},
    # deck.check_deck: the rules of deck._stop_problems
    ("pakcoe/deck.py", "rule"): {"deck-state", "deck-placeholder"},
    # translations._check_table and _check_columns: the rules of translations.text_problems
    ("pakcoe/translations.py", "rule"): {"translation-empty", "translation-english", "translation-script", "translation-placeholders"},
}


def problem_calls() -> list[tuple[str, int, ast.expr]]:
    """(file, line, rule expression) of every Problem(...) call in pakcoe/."""
    calls = []
    for path in sorted((ROOT / "pakcoe").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Problem"):
                continue
            rule = next((kw.value for kw in node.keywords if kw.arg == "rule"), node.args[1] if len(node.args) > 1 else None)
            assert rule is not None, f"{path}:{node.lineno}: a Problem without a rule"
            calls.append((path.relative_to(ROOT).as_posix(), node.lineno, rule))
    return calls


def emitted_rules() -> set[str]:
    """Every rule id the validator can emit: the literal ones, and the run-time ones from DYNAMIC."""
    rules: set[str] = set()
    unknown = []
    for path, line, rule in problem_calls():
        if isinstance(rule, ast.Constant) and isinstance(rule.value, str):
            rules.add(rule.value)
        elif (path, ast.unparse(rule)) in DYNAMIC:
            rules |= DYNAMIC[(path, ast.unparse(rule))]
        else:
            unknown.append(f"{path}:{line}: rule {ast.unparse(rule)} (list its values in DYNAMIC)")
    assert not unknown, "\n".join(unknown)
    return rules


def test_the_dynamic_rules_are_the_values_their_code_gives():
    """DYNAMIC's values as the code states them: the rules _stop_problems and text_problems return."""
    from pakcoe import translations

    found = {rule for rule, _ in translations.text_problems("{n} hubs", "")}
    found |= {rule for rule, _ in translations.text_problems("{n} hubs", "{n} hubs")}
    found |= {rule for rule, _ in translations.text_problems("{n} hubs", "hubs in English")}
    assert found == DYNAMIC[("pakcoe/translations.py", "rule")]
    deck = (ROOT / "pakcoe" / "deck.py").read_text(encoding="utf-8")
    body = deck[deck.index("def _stop_problems") : deck.index("def _structure")]
    assert set(re.findall(r'"(deck-[a-z]+)"', body)) == DYNAMIC[("pakcoe/deck.py", "rule")]
    # every run-time call is still there
    unparsed = {(path, ast.unparse(rule)) for path, _, rule in problem_calls() if not isinstance(rule, ast.Constant)}
    assert unparsed == set(DYNAMIC)


def test_every_rule_the_validator_emits_has_a_text_and_every_text_a_rule():
    rules, texts = emitted_rules(), set(rule_texts())
    assert len(rules) >= 70
    assert sorted(rules - texts) == [], "rules without a text in pakcoe/texts/problems.csv"
    assert sorted(texts - rules) == [], "texts for rules the validator does not emit"


def test_the_rule_texts_file_is_utf8_with_its_columns():
    with RULE_TEXTS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["rule", "en", "ur"]
    assert all(len(row) == 3 for row in rows)
    assert len({row[0] for row in rows[1:]}) == len(rows) - 1  # one row per rule


def test_every_rule_text_is_a_plain_sentence_with_careful_urdu():
    problems = []
    for rule, text in rule_texts().items():
        en, ur = text.get("en", ""), text.get("ur", "")
        if not en.endswith(".") or not en[:1].isupper():
            problems.append(f"{rule}: {en!r} is not a sentence")
        if "-" in rule and rule in en:
            problems.append(f"{rule}: the English names the rule's id")
        if not ur.strip():
            problems.append(f"{rule}: no Urdu")
        elif ur == en:
            problems.append(f"{rule}: the Urdu is the English")
        elif i18n.arabic_share(ur) < 0.5:  # as the UI strings (tests/test_i18n.py)
            problems.append(f"{rule}: {ur!r} is not mostly Arabic script ({i18n.arabic_share(ur):.0%})")
        elif not ur.endswith("۔"):
            problems.append(f"{rule}: {ur!r} does not end as an Urdu sentence")
        latin = [w for w in i18n.strip_kept(ur).split() if any("a" <= c.lower() <= "z" for c in w)]
        if set(latin) - {"GeoJSON", "UTF-8", "Table", "Schema"}:
            problems.append(f"{rule}: {ur!r} keeps English words {latin}")
    assert not problems, "\n".join(problems)


def test_rule_text_speaks_the_language_asked_and_never_the_raw_id():
    assert rule_text("foreign-key", "en") == "Each value must name a row that exists in the table it refers to."
    assert rule_text("type", "ur") == rule_texts()["type"]["ur"] and i18n.arabic_share(rule_text("type", "ur")) == 1.0
    with i18n.using("ur"):
        assert rule_text("enum") == rule_texts()["enum"]["ur"]
    assert rule_text("enum") == rule_texts()["enum"]["en"]  # the current language, English by default
    unknown = "no-such-rule"
    assert rule_text(unknown, "en") == "This value breaks a rule of the release."
    assert rule_text(unknown, "ur") == i18n.tl("This value breaks a rule of the release.", "ur") != rule_text(unknown, "en")
    assert i18n.arabic_share(rule_text(unknown, "ur")) == 1.0 and unknown not in rule_text(unknown, "ur")
    assert rule_text("type", "xx") == rule_text("type", "en")  # a language the app does not speak reads as English


# --- the tables on screen (AppTest) --------------------------------------------------------------------------------


@pytest.fixture
def app_run():
    """Run the app as scripts/serve.py serves it (Streamlit's legacy pages/ detection off; see tests/apptest/conftest.py);
    the test thread's language English again after (AppTest formats widget values in the test's thread)."""
    from components.thirdparty.streamlit import legacy_pages_mode_off

    restore = legacy_pages_mode_off()
    yield
    restore()
    i18n.set_current("en")


def open_data_page(lang: str):
    """The Data page opened first, as a shared link opens it, in `lang`."""
    from streamlit.testing.v1 import AppTest

    i18n.set_current(lang)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.switch_page(str(ROOT / "pages" / "data.py"))
    at.run()
    assert not at.exception
    return at


def broken_copy(releases):
    """Releases 1.0.0 and a broken 1.2.0: hub karachi-4's latitude is 'north' (rule type), the row's line returned."""
    copy_release(releases, "1.0.0")
    broken = copy_release(releases, "1.2.0")
    return broken.edit_cell("hubs.csv", "hub_id", "karachi-4", "lat", "north")


def problem_tables(at) -> list[list[dict[str, str]]]:
    """The HTML tables of an Urdu run that list problems (a 'What is wrong' column), each as its rows (header -> cell)."""
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    tables = []
    for h in at.get("html"):
        if not h.proto.body.startswith("<div class='pak-table'"):
            continue
        parser = Cells()
        parser.feed(h.proto.body)
        head, *rows = parser.rows
        if i18n.tl("What is wrong", "ur") in head:
            tables.append([dict(zip(head, row, strict=True)) for row in rows])
    return tables


def test_the_problem_tables_say_what_is_wrong_in_urdu(releases, app_run):
    line = broken_copy(releases)
    at = open_data_page("ur")
    tables = problem_tables(at)
    assert len(tables) == 2, "the frame's broken-release panel and the Data page's validation report"
    what, details = i18n.tl("What is wrong", "ur"), i18n.tl("Details, as the validator wrote them (English)", "ur")
    file, row, field, value = (i18n.tl(h, "ur") for h in ("File", "Row", "Field", "Value"))
    urdu = {text["ur"] for text in rule_texts().values()}
    for rows in tables:
        assert rows and list(rows[0]) == [file, row, field, what, value, details]
        assert all(r[what] in urdu for r in rows), [r[what] for r in rows if r[what] not in urdu]  # never a raw id
        lat = [r for r in rows if r[file] == "hubs.csv" and r[field] == "lat"]
        assert len(lat) == 1 and lat[0][row] == str(line) and lat[0][value] == "north"  # located as before
        assert lat[0][what] == rule_texts()["type"]["ur"]  # the non-numeric latitude, in plain Urdu
        assert lat[0][details].startswith("'north' is not a number")  # the validator's own words, as written


def test_the_problem_tables_in_english_are_as_before(releases, app_run):
    row = broken_copy(releases)
    at = open_data_page("en")
    frames = [df.value for df in at.dataframe]
    report = [f for f in frames if list(f.columns) == ["File", "Row", "Field", "Rule", "Value", "Message"]]
    panel = [f for f in frames if list(f.columns) == ["file", "row", "field", "rule", "value", "message"]]
    assert len(report) == 1 and len(panel) == 1
    hit = report[0][(report[0]["File"] == "hubs.csv") & (report[0]["Rule"] == "type")]
    assert int(hit["Row"].iloc[0]) == row and hit["Field"].iloc[0] == "lat" and hit["Value"].iloc[0] == "north"
    assert (panel[0]["rule"] == "type").any() and not panel[0]["rule"].isin([rule_texts()["type"]["en"]]).any()
    assert not any({"What is wrong", "Details, as the validator wrote them (English)"} & set(f.columns) for f in frames)
