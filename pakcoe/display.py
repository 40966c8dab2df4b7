"""What users read instead of raw names: labels for columns, coded values and ids, and the glossary of terms.

Every label comes from a display-text table, never from a column name or an id:

- `labels.csv` (`table`, `field`, `value`, `label_en`): a row with a blank `value` labels the column `field`; a row with
  a value labels that value of the field. A blank `table` applies to the field in every table; a row naming its table
  wins over it. A release from 1.6.0 on ships the table; `pakcoe/texts/labels.csv`, shipped with the app, stands in
  for what a release does not hold (all of it for older releases).
- `glossary.csv` (`term`, `expansion_en`, `definition_en`): abbreviations and terms, shown with their full name at
  first use and in the glossary. Same fallback rule.
- **Languages**: a table carries a column per language (`label_ur`, `expansion_ur`, `definition_ur`, from 1.7.0 on).
  `texts(release)` reads the language of the release (`release.lang`: a copy made by `pakcoe.i18n.localize` is in
  Urdu): the release's own text in that language, else the app's (when the app's English is the release's English,
  so the Urdu translates what the release says), else the English.
- An id is labelled by the row it names: a key column (a table's primary key, a foreign key, or one of the fields in
  `REFERENCES` that name a row without a declared key) reads the label column of the table it points to (`name`,
  `title`, `label`, ... see `LABEL_COLUMNS`).

What no table labels is turned into words (`humanize`: "university_campus" -> "University campus"), so a raw name
never reaches the screen even for a value a future release adds; the completeness test lists every such case so it
gets a real label.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pakcoe.i18n import read_text_file
from pakcoe.problems import Problem
from pakcoe.release import Release, per_release

FALLBACK_DIR = Path(__file__).with_name("texts")
LABELS = "labels"  # the release's resource names
GLOSSARY = "glossary"
LABEL_COLUMNS = ("label", "name", "title", "who", "risk", "user", "goal")  # the first a table has labels its ids
# Fields that name a row of another table without a declared foreign key: (table, field) -> (table, key field).
# Blank table: the field in every table.
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("funding_sources", "capacity_basis"): ("assumptions", "param_id"),
    ("programme_offers", "cohorts_basis"): ("assumptions", "param_id"),
    ("programmes", "duration_basis"): ("assumptions", "param_id"),
    ("programmes", "seats_basis"): ("assumptions", "param_id"),
    ("rules", "params"): ("assumptions", "param_id"),
    ("hub_types", "capex_param"): ("assumptions", "param_id"),
    ("hub_types", "opex_param"): ("assumptions", "param_id"),
    ("hub_types", "capacity_param"): ("assumptions", "param_id"),
    ("hubs", "focus_areas"): ("focus_areas", "focus_area"),
    ("", "public_decision"): ("decisions", "decision"),
    ("", "decision"): ("decisions", "decision"),
    ("", "owner_body_id"): ("governance", "body_id"),
}
# Glossary terms written as used, never spelled out in the text (currency codes in prices: "PKR 4.1 bn"); the glossary
# still gives their names.
WRITTEN_AS_USED = frozenset({"PKR", "USD"})
LIST_SEPARATOR = ";"  # fields holding several codes (hubs.focus_areas, rules.params)
_CODE = re.compile(r"^[a-z][a-z0-9]*(?:[_\-][a-z0-9]+)+$")


def humanize(code: str) -> str:
    """A code as words: 'university_campus' -> 'University campus'. Only for codes no table labels."""
    text = re.sub(r"[_\-]+", " ", str(code)).strip()
    return text[:1].upper() + text[1:] if text else text


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    term: str  # as written in texts, e.g. "TVET"
    expansion: str  # its full name, e.g. "Technical and Vocational Education and Training"
    definition: str  # one or two plain sentences

    @property
    def first_use(self) -> str:
        """How the term is written the first time a page uses it: 'Technical and ... Training (TVET)'; in Urdu the Urdu
        name with the term as written ('تکنیکی اور پیشہ ورانہ تعلیم و تربیت (TVET)')."""
        return f"{self.expansion} ({self.term})" if self.expansion and self.expansion != self.term else self.term


_FALLBACK: dict[str, pd.DataFrame] = {}
_FALLBACK_LOCK = threading.Lock()


def fallback(name: str) -> pd.DataFrame:
    """The app's own copy of a display-text table (labels or glossary)."""
    with _FALLBACK_LOCK:
        if name not in _FALLBACK:
            _FALLBACK[name] = read_text_file(FALLBACK_DIR / f"{name}.csv")
        return _FALLBACK[name]


ENGLISH = "en"


def _texts_of(release: Release, name: str, key: tuple[str, ...], kinds: tuple[str, ...]) -> dict[tuple[str, ...], dict[str, str]]:
    """key -> {kind: text in the release's language} of a display-text table (`kinds`: the texts of a row, each a column
    per language, `label` -> `label_en`, `label_ur`). The release's rows win over the app's fallback; a text missing in
    the language is the fallback's (when both say the same in English), else the English."""
    lang = release.lang or ENGLISH
    base = fallback(name)
    base_rows = {tuple(r[k] for k in key): r for r in base.to_dict("records")}
    own = release.tables.get(name)
    rows = [] if own is None else own.astype(str).replace({"nan": "", "None": "", "<NA>": ""}).to_dict("records")
    out: dict[tuple[str, ...], dict[str, str]] = {}

    def text(row: dict, kind: str, other: dict | None) -> str:
        english = row.get(f"{kind}_{ENGLISH}", "")
        if lang == ENGLISH:
            return english
        own_text = row.get(f"{kind}_{lang}", "")
        if own_text:
            return own_text
        if other is not None and other.get(f"{kind}_{ENGLISH}", "") == english and other.get(f"{kind}_{lang}", ""):
            return other[f"{kind}_{lang}"]
        return english

    for row in rows:
        k = tuple(row[c] for c in key)
        if k not in out:  # the release's first row wins
            out[k] = {kind: text(row, kind, base_rows.get(k)) for kind in kinds}
    for k, row in base_rows.items():
        if k not in out:
            out[k] = {kind: text(row, kind, None) for kind in kinds}
    return out


class Texts:
    """The display texts of one release. Build it with `texts(release)` (kept per release)."""

    def __init__(self, release: Release):
        self.release = release
        self.lang = release.lang or ENGLISH  # the language of every text it gives
        labels = _texts_of(release, LABELS, ("table", "field", "value"), ("label",))
        self._labels: dict[tuple[str, str, str], str] = {(t, f, v): texts["label"] for (t, f, v), texts in labels.items()}
        glossary = _texts_of(release, GLOSSARY, ("term",), ("expansion", "definition"))
        self._terms: dict[str, Term] = {term: Term(term, texts["expansion"], texts["definition"]) for (term,), texts in glossary.items()}
        self._keys = self._key_columns()
        self._rows: dict[tuple[str, str], dict[str, str]] = {}

    # -- ids ---------------------------------------------------------------------------------------------------------

    def _key_columns(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(table, field) -> (table, key field) for every primary and foreign key of the release, plus REFERENCES."""
        out: dict[tuple[str, str], tuple[str, str]] = {}
        for res in self.release.descriptor.get("resources", []):
            schema = res.get("schema") or {}
            name = res["name"]
            pk = schema.get("primaryKey")
            pk = [pk] if isinstance(pk, str) else list(pk or [])
            if len(pk) == 1:
                out[(name, pk[0])] = (name, pk[0])
            for fk in schema.get("foreignKeys", []):
                fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
                ref = fk["reference"]
                ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
                if len(fields) == 1:
                    out[(name, fields[0])] = (ref.get("resource") or name, ref_fields[0])
        return out | REFERENCES

    def _row_labels(self, table: str, key: str) -> dict[str, str]:
        """key value -> label of `table`'s rows (its first LABEL_COLUMNS column), {} when it has none."""
        if (table, key) not in self._rows:
            frame = self.release.tables.get(table)
            column = next((c for c in LABEL_COLUMNS if frame is not None and c in frame.columns and c != key), None)
            self._rows[(table, key)] = {} if column is None else dict(zip(frame[key].astype(str), frame[column].astype(str), strict=True))
        return self._rows[(table, key)]

    def _reference(self, table: str, field: str) -> tuple[str, str] | None:
        return (
            self._keys.get((table, field))
            or self._keys.get(("", field))
            or (
                # a field named like a key elsewhere (province_id in a derived frame) reads that key's table
                next((ref for (t, f), ref in self._keys.items() if f == field and ref[1] == field and t == ref[0]), None)
            )
        )

    # -- labels ------------------------------------------------------------------------------------------------------

    def column(self, field: str, table: str = "") -> str:
        """The header users read for a column."""
        label = self._labels.get((table, field, "")) or self._labels.get(("", field, ""))
        return label or humanize(field)

    def value(self, field: str, value: object, table: str = "") -> str:
        """The text users read for one value of a field: a coded value's label, an id's row label, a list's labels
        joined by ', '; other values (names, numbers, prose) as they are."""
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        text = str(value)
        if LIST_SEPARATOR in text and (self._reference(table, field) or (table, field, "") in self._labels or ("", field, "") in self._labels):
            return ", ".join(self.value(field, part.strip(), table) for part in text.split(LIST_SEPARATOR) if part.strip())
        label = self._labels.get((table, field, text)) or self._labels.get(("", field, text))
        if label:
            return label
        ref = self._reference(table, field)
        found = self._row_labels(*ref).get(text) if ref is not None else None
        if found:
            return found
        return humanize(text) if _CODE.match(text) else text

    def values(self, field: str, values: Iterable[object], table: str = "") -> list[str]:
        return [self.value(field, v, table) for v in values]

    def frame(self, df: pd.DataFrame, table: str = "", keep: Iterable[str] = ()) -> pd.DataFrame:
        """`df` as users read it: coded values and ids labelled, columns renamed to their labels (`keep`: columns whose
        values stay as they are, e.g. a name already). Numbers are left to the caller's formatting."""
        keep = set(keep)
        out = df.copy()
        for c in out.columns:
            if c in keep or not (out[c].dtype == object or isinstance(out[c].dtype, pd.StringDtype)):
                continue
            if self._coded(table, c):
                out[c] = [self.value(c, v, table) for v in out[c]]
        return out.rename(columns={c: self.column(c, table) for c in out.columns})

    def _coded(self, table: str, field: str) -> bool:
        """True when the field's values are codes or ids (labelled), False for names and prose."""
        if self._reference(table, field) is not None:
            return True
        return any(k[1] == field and k[2] and k[0] in ("", table) for k in self._labels)

    # -- provinces and terms -----------------------------------------------------------------------------------------

    def province(self, province_id: str) -> str:
        """A province's or territory's name (never its code)."""
        return self.value("province_id", province_id, "provinces")

    def term(self, term: str) -> Term | None:
        return self._terms.get(term)

    def glossary(self) -> tuple[Term, ...]:
        """Every term, alphabetically."""
        return tuple(sorted(self._terms.values(), key=lambda t: t.term.lower()))

    def first_use(self, term: str) -> str:
        """'Khyber Pakhtunkhwa (KP)' for a known abbreviation, the term itself otherwise."""
        found = self._terms.get(term)
        return found.first_use if found else term

    def unlabelled(self) -> list[tuple[str, str, str]]:
        """(table, field, value) of every coded value in the release that only `humanize` labels: for the
        completeness test and for whoever writes the next release's labels."""
        out = []
        for name, frame in self.release.tables.items():
            if name in (LABELS, GLOSSARY):
                continue
            for c in frame.columns:
                if not self._coded(name, c) or self._reference(name, c) is not None:
                    continue
                for raw in frame[c].dropna().astype(str).unique():
                    for part in raw.split(LIST_SEPARATOR):
                        part = part.strip()
                        if part and not (self._labels.get((name, c, part)) or self._labels.get(("", c, part))):
                            out.append((name, c, part))
        return out


@per_release
def texts(release: Release) -> Texts:
    """The display texts of a release, built once per release object (releases are read-only)."""
    return Texts(release)


def check_labels(release: Release, lines: dict[str, list[int]] | None = None) -> list[Problem]:
    """A release's own `labels` table against its tables: each row names a table the release has (or none), a field of
    it (of some table, when none is named) and, for a value's label, a value that field holds; and a coded field the
    table labels has a label for every value it holds (a value added without its label is an error, not a humanized
    name on screen)."""
    if LABELS not in release.tables:
        return []
    file = release.resource(LABELS)["path"]
    at = (lines or {}).get(LABELS)
    table = release.table(LABELS).astype(str).replace({"nan": ""})
    problems: list[Problem] = []
    fields = {name: set(frame.columns) for name, frame in release.tables.items()}  # the display texts' own columns too
    labelled: dict[tuple[str, str], set[str]] = {}
    for i, (t, f, v) in enumerate(zip(table["table"], table["field"], table["value"], strict=True)):
        row = at[i] if at else i + 2
        if t and t not in fields:
            problems.append(Problem(file, "label-table", f"names table '{t}', which the release does not have", row=row, field="table", value=t))
            continue
        holders = [t] if t else [n for n, cols in fields.items() if f in cols]
        if not any(f in fields[n] for n in holders):
            problems.append(Problem(file, "label-field", f"names field '{f}', which {'table ' + t if t else 'no table'} has", row=row, field="field", value=f))
            continue
        if v and t:
            held = {p.strip() for raw in release.table(t)[f].dropna().astype(str) for p in raw.split(LIST_SEPARATOR)}
            if v not in held:
                problems.append(Problem(file, "label-value", f"labels value '{v}', which no row of {t} holds in '{f}'", row=row, field="value", value=v))
            labelled.setdefault((t, f), set()).add(v)
    for (t, f), done in labelled.items():
        held = {p.strip() for raw in release.table(t)[f].dropna().astype(str) for p in raw.split(LIST_SEPARATOR) if p.strip()}
        for missing in sorted(held - done):
            problems.append(Problem(file, "label-missing", f"has no label for '{missing}', a value of {t}.{f}", field="value", value=missing))
    return problems
