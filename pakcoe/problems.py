"""Located validation problems: every problem names the file, row or feature, field, rule and value."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a release, located precisely enough to fix it."""

    file: str
    rule: str
    message: str
    row: int | None = None  # line number in a CSV (header = 1) or feature index in a GeoJSON
    field: str | None = None
    value: str | None = None

    def location(self) -> str:
        """File, then row and field where known: 'hubs.csv row 7 field lat'."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"{'feature' if self.file.endswith('json') else 'row'} {self.row}")
        if self.field:
            parts.append(f"field {self.field}")
        return " ".join(parts)

    def __str__(self) -> str:
        value = "" if self.value is None else f" (value: {_short(self.value)})"
        return f"{self.location()}: [{self.rule}] {self.message}{value}"

    def as_dict(self) -> dict[str, object]:
        """Plain mapping for tables and JSON."""
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "rule": self.rule,
            "value": self.value,
            "message": self.message,
        }


def _short(value: str, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ReleaseInvalid(Exception):
    """Raised by load_release when a release has problems; carries them all."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        first = str(problems[0]) if problems else "no detail"
        super().__init__(f"release {path} is invalid: {len(problems)} problem(s); first: {first}")


# --- what each rule requires, in plain words ---------------------------------------------------------------------------

RULE_TEXTS = Path(__file__).with_name("texts") / "problems.csv"  # rule, en, ur: one row per rule id the validator emits


@functools.cache
def rule_texts() -> dict[str, dict[str, str]]:
    """rule id -> {language: what the rule requires, one plain sentence}, read once from `RULE_TEXTS`."""
    with RULE_TEXTS.open(encoding="utf-8", newline="") as f:
        return {row["rule"]: {lang: text for lang, text in row.items() if lang != "rule" and text} for row in csv.DictReader(f)}


def rule_text(rule: str, lang: str | None = None) -> str:
    """What `rule` requires, in `lang` (default: the current language), for a reader who does not know its id; a rule
    without a text reads as a general sentence in that language, never as its raw id."""
    from pakcoe import i18n  # here, not above: pakcoe.i18n imports pakcoe.release, which imports this module

    lang = i18n.check(lang) if lang else i18n.current()
    text = rule_texts().get(rule, {}).get(lang)
    return text if text else i18n.tl("This value breaks a rule of the release.", lang)
