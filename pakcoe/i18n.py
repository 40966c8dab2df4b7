"""Languages: the current language, the app's own strings in English and Urdu, numbers and dates per language, and a
release's texts in the chosen language.

- **The current language** is a context variable (`current()`), set for each script run by the app's frame from the
  address (`?lang=en|ur`) and by the caches for what they build; scripts and the command line pass it explicitly
  (`using(lang)`).
- **The app's strings** (`t`): the English text is the key; `pakcoe/texts/ui/*.csv` (`en`, `ur`) holds the Urdu. A
  template names its values (`t("{n} hubs", n=num(12))`): only the template is formatted, never the data.
- **Numbers and dates** (`num`, `compact`, `money_m`, `percent`, `date`, `quarter`): English as before (thousands
  separators, millions and billions); Urdu with lakh/crore grouping and words and Urdu month names (Babel). Digits stay
  0-9, written left to right inside right-to-left text.
- **A release's texts** (`localize`): the prose fields named in `TRANSLATED` read the release's `translations.csv`
  (`text_en`, `text_ur`, `status`); the app's `pakcoe/texts/translations/*.csv` stand in for what a release does not
  hold (all of it for releases before 1.7.0). Ids, codes and numbers are never translated, and neither are machine
  outputs (CSV column ids, JSON keys, URL parameter names).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import re
import threading
from collections.abc import Iterator
from datetime import date as Date
from pathlib import Path

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_compact_decimal

from pakcoe.release import Release, per_release

LANGS = ("en", "ur")
DEFAULT = "en"
NAMES = {"en": "English", "ur": "اردو"}  # each language in its own script, as a switch shows it
LOCALES = {"en": "en_GB", "ur": "ur_PK"}
RTL = frozenset({"ur"})
TEXTS = Path(__file__).with_name("texts")
UI_DIR = TEXTS / "ui"
TRANSLATIONS = "translations"  # the release's resource of data texts in other languages

# Names and acronyms written as they are in Urdu text too (the completeness test does not count them as English):
# the concept's name, the glossary's abbreviations, file formats, currency codes, and the names of data sources,
# licences and software that users cite as written.
KEPT_AS_WRITTEN = (
    "Pak AI CoE",
    "CoE-AI",
    "NAVTTC",
    "NVQF",
    "TVET",
    "PSDP",
    "ADP",
    "RACI",
    "CBT&A",
    "NCAI",
    "HEC",
    "KP",
    "AJK",
    "GB",
    "ICT",
    "PKR",
    "USD",
    "AI",
    "CSV",
    "PNG",
    "SVG",
    "PDF",
    "PowerPoint",
    "HTML",
    "JSON",
    "URL",
    "GeoNames",
    "CC BY 4.0",
    "Natural Earth",
    "world-atlas",
    "OpenStreetMap",
    "Leaflet",
    "Plotly",
    "Streamlit",
    "PBS",
    "km",
)

_current: contextvars.ContextVar[str] = contextvars.ContextVar("pakcoe_lang", default=DEFAULT)


def check(lang: str | None) -> str:
    """`lang` if it is a language the app speaks, else the default (a bad ?lang= value reads as English)."""
    return lang if lang in LANGS else DEFAULT


def current() -> str:
    """The language of this script run (or of the `using` block around the caller)."""
    return _current.get()


def set_current(lang: str | None) -> str:
    """Make `lang` the language of this thread's script run; returns the language set."""
    lang = check(lang)
    _current.set(lang)
    return lang


@contextlib.contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Within the block, `current()` is `lang` (restored after)."""
    token = _current.set(check(lang))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def direction(lang: str | None = None) -> str:
    """'rtl' or 'ltr' for `lang` (default: the current language)."""
    return "rtl" if (lang or current()) in RTL else "ltr"


def is_rtl(lang: str | None = None) -> bool:
    return direction(lang) == "rtl"


# --- the app's strings -----------------------------------------------------------------------------------------------


class TextFileError(RuntimeError):
    """A text file of the app's own (pakcoe/texts) that cannot be read: names the file, the line and the rule. Not a
    ValueError, so code that treats a ValueError as "this value is missing" (pakcoe.deck.placeholder_values) does not
    turn a broken file into a missing value."""


def read_text_file(path: Path, columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """One of the app's own text tables (pakcoe/texts: the app's strings, the fallback translations, the display
    texts), every field a string, with at least `columns`. A line that does not parse, a file that is not UTF-8 or a
    missing column raises TextFileError naming the file, the line and the rule."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        detail = " ".join(str(e).split()).removeprefix("Error tokenizing data. C error: ")
        raise TextFileError(f"{path.parent.name}/{path.name}: {detail} (every line has the first line's fields: quote a field that holds a comma)") from e
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise TextFileError(f"{path.parent.name}/{path.name}: no column {', '.join(missing)} in its first line (the columns are {','.join(columns)})")
    return frame


def read_ui_file(path: Path) -> pd.DataFrame:
    """One file of the app's strings: columns `en` and `ur` (a field holding a comma is quoted)."""
    return read_text_file(path, ("en", "ur"))


@functools.cache
def ui_table(directory: Path = UI_DIR) -> dict[str, str]:
    """English -> Urdu for the app's strings, from every `pakcoe/texts/ui/*.csv` (files are split by area so several
    people can add strings at once; the same English in two files must have the same Urdu: a test checks). A file
    that cannot be read raises TextFileError."""
    table: dict[str, str] = {}
    for path in sorted(directory.glob("*.csv")):
        frame = read_ui_file(path)
        for en, ur in zip(frame["en"], frame["ur"], strict=True):
            if en and ur:
                table.setdefault(en, ur)
    return table


def t(text: str, /, **values: object) -> str:
    """`text` (English, the key) in the current language, with its named values put in (`{n}`; a literal brace in a
    template with values is doubled). A string with no Urdu yet reads in English (the completeness test lists it)."""
    template = text if current() == "en" else ui_table().get(text, text)
    return template.format(**values) if values else template


def tl(text: str, lang: str, /, **values: object) -> str:
    """`t` in a given language (for exports and scripts that name their language)."""
    with using(lang):
        return t(text, **values)


# --- numbers and dates -----------------------------------------------------------------------------------------------


def _lang(lang: str | None) -> str:
    return check(lang) if lang else current()


def _lakh(digits: str) -> str:
    """'1234567' -> '12,34,567': the last three digits, then groups of two."""
    if len(digits) <= 3:
        return digits
    head, groups = digits[:-3], [digits[-3:]]
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *groups]) if head else ",".join(groups)


def num(value: float, decimals: int = 0, lang: str | None = None) -> str:
    """A number with grouping: English 1,234,567; Urdu 12,34,567 (lakh grouping; the same digits and rounding as
    English, only the grouping differs — written here rather than by Babel, which costs ~60 µs a number)."""
    if _lang(lang) == "en":
        return f"{value:,.{decimals}f}"
    text = f"{abs(value):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    out = _lakh(whole) + ("." + fraction if fraction else "")
    return "-" + out if value < 0 and float(text) != 0 else out


@functools.lru_cache(maxsize=4096)
def _compact(value: float, decimals: int, lang: str) -> str:
    return format_compact_decimal(value, format_type="long", locale=LOCALES[lang], fraction_digits=decimals)


def compact(value: float, decimals: int = 1, lang: str | None = None) -> str:
    """A large number in words: English '5.4 billion', '12 million'; Urdu '5.4 ارب', '12.3 لاکھ', '54 کروڑ'."""
    lang = _lang(lang)
    if abs(value) < 1000:
        return num(value, 0 if float(value).is_integer() else decimals, lang)
    return _compact(float(value), decimals, lang)


CURRENCY_UR = {"PKR": "روپے", "USD": "ڈالر"}


def money_m(value_m: float, currency: str, lang: str | None = None) -> str:
    """An amount given in millions: English 'PKR 5,427 M' / 'USD 19.4 M' (as the app always wrote it); Urdu in words
    with lakh/crore ('5.4 ارب روپے', '1.9 کروڑ ڈالر')."""
    value_m = 0.0 if abs(value_m) < 0.05 else value_m
    if _lang(lang) == "en":
        return f"{currency} {value_m:,.0f} M" if currency == "PKR" else f"{currency} {value_m:,.1f} M"
    return f"{compact(value_m * 1e6, 1, 'ur')} {CURRENCY_UR.get(currency, currency)}"


def percent(share: float, decimals: int = 0, lang: str | None = None) -> str:
    """A share (0.25) as a percentage: '25%' in both languages (Urdu writes the sign after the number too)."""
    return f"{num(share * 100, decimals, lang)}%"


def date(value: Date | str, lang: str | None = None) -> str:
    """A date: English as ISO (2026-12-01, as the app always wrote it); Urdu with its month name ('1 دسمبر، 2026')."""
    if isinstance(value, str):
        value = Date.fromisoformat(value[:10])
    if _lang(lang) == "en":
        return value.isoformat()
    return format_date(value, format="long", locale=LOCALES["ur"])


_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
QUARTER_UR = {1: "پہلی", 2: "دوسری", 3: "تیسری", 4: "چوتھی"}


def quarter(label: str, lang: str | None = None) -> str:
    """A quarter '2027Q3': English 'Q3 2027'; Urdu '2027 کی تیسری سہ ماہی'. Anything else is returned as it is."""
    m = _QUARTER.match(str(label))
    if not m:
        return str(label)
    year, q = m.group(1), int(m.group(2))
    if _lang(lang) == "en":
        return f"Q{q} {year}"
    return f"{year} کی {QUARTER_UR[q]} سہ ماہی"


# --- script checks (tests) -------------------------------------------------------------------------------------------

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_LATIN = re.compile(r"[A-Za-z]")
_IGNORED = re.compile(r"\{[^{}]*\}|https?://\S+|`[^`]*`|:material/[a-z_]+:")


_KEPT = re.compile("|".join(rf"(?<![A-Za-z]){re.escape(n)}(?![A-Za-z])" for n in sorted(KEPT_AS_WRITTEN, key=len, reverse=True)))


def strip_kept(text: str) -> str:
    """`text` without what stays as written in Urdu: KEPT_AS_WRITTEN names, placeholders, addresses, code spans."""
    return _KEPT.sub(" ", _IGNORED.sub(" ", text))


def arabic_share(text: str) -> float:
    """Arabic-script letters / all letters of `text` once KEPT_AS_WRITTEN names are removed (1.0 when no letter is left)."""
    text = strip_kept(text)
    arabic, latin = len(_ARABIC.findall(text)), len(_LATIN.findall(text))
    return 1.0 if arabic + latin == 0 else arabic / (arabic + latin)


# --- a release's texts -----------------------------------------------------------------------------------------------

# The prose fields of a release shown to users, translated by text (the same English reads the same everywhere).
# Not here, and never translated: formulas the model runs (assumptions.derivation*, funding_rules.share_basis, milestones.target_basis: the
# Methodology page writes them out with the assumptions' names, which are translated); keys, ids and codes (labelled through labels.csv), numbers, dates, addresses, and
# citations quoted as their source wrote them (source titles and publishers, coordinate and population provenance
# notes), which the app marks as English where it shows them.
TRANSLATED: dict[str, tuple[str, ...]] = {
    "activities": ("name", "description"),
    "assumptions": ("name", "basis"),
    "cities": ("name",),
    "decisions": ("label", "consequence"),
    "design_elements": ("title", "description"),
    "focus_areas": ("label", "basis"),
    "funding_sources": ("name",),
    "gaps": ("title", "description", "evidence", "response"),
    "goals": ("goal", "how_measured"),
    "governance": ("name", "members", "decides"),
    "hub_types": ("label", "description"),
    "hub_users": ("user", "what_they_do", "how_they_join"),
    "hubs": ("name", "district"),
    "influences": ("name", "how_it_shapes_the_design", "status_note"),
    "milestones": ("title", "metric"),
    "options": ("name", "description"),
    "partners": ("category", "who", "brings", "role_public_track", "role_private_track"),
    "phases": ("name", "scope", "description"),
    "programmes": ("name", "description", "alignment_note"),
    "provinces": ("name",),
    "risks": ("risk", "mitigation"),
    "rules": ("title", "rule", "when"),
    "sources": ("note",),
    "statements": ("text",),
    "tracks": ("name", "when", "who_leads", "partners_role"),
}
# Fields shown as their source wrote them (citations), never translated.
CITED: dict[str, tuple[str, ...]] = {
    "sources": ("title", "publisher"),
    "cities": ("population_note", "coord_source"),
    "provinces": ("population_note",),
    "hubs": ("coord_source", "place_ref"),
}
STATUSES = ("draft", "pak-geodata", "reviewed")  # how each Urdu text came about


@functools.cache
def fallback_translations() -> dict[str, tuple[str, str]]:
    """English -> (Urdu, status) shipped with the app (`pakcoe/texts/translations/*.csv`: `text_en`, `text_ur`,
    `status`), for releases (or texts) without their own."""
    table: dict[str, tuple[str, str]] = {}
    for path in sorted((TEXTS / TRANSLATIONS).glob("*.csv")):
        frame = read_text_file(path, ("text_en", "text_ur", "status"))
        for en, ur, st in zip(frame["text_en"], frame["text_ur"], frame["status"], strict=True):
            if en and ur:
                table.setdefault(en, (ur, st))
    return table


@per_release
def translations(release: Release) -> dict[str, tuple[str, str]]:
    """English -> (Urdu, status) for `release`: its own `translations.csv` over the app's fallback table (built once
    per release object: read-only, do not mutate)."""
    table = dict(fallback_translations())
    own = release.tables.get(TRANSLATIONS)
    if own is not None:
        table.update({en: (ur, st) for en, ur, st in zip(own["text_en"], own["text_ur"], own["status"], strict=True) if en and ur})
    return table


@per_release
def english_of(release: Release) -> dict[str, str]:
    """Urdu -> English of `release`'s translated texts (a localized release holds the Urdu; code that decides by a
    text's English reads it back here). Read-only."""
    return {ur: en for en, (ur, _) in translations(release).items()}


def data_text(release: Release, text: str, lang: str | None = None) -> str:
    """One text of `release` in `lang` (default: current); English when it has no translation."""
    if _lang(lang) == "en" or not text:
        return text
    hit = translations(release).get(text)
    return hit[0] if hit else text


def untranslated(release: Release) -> list[tuple[str, str, str]]:
    """(table, field, English) of every TRANSLATED text of `release` with no Urdu (the completeness test wants none)."""
    table = translations(release)
    missing = []
    for name, fields in TRANSLATED.items():
        frame = release.tables.get(name)
        if frame is None:
            continue
        for field in fields:
            if field in frame.columns:
                missing += [(name, field, v) for v in dict.fromkeys(frame[field].dropna().astype(str)) if v and v not in table]
    return missing


def draft_share(release: Release) -> float:
    """Share of the release's translated texts still marked draft (the app says the Urdu is a draft while any is), for
    the release in English or localized (a localized release holds the Urdu: texts are looked up either way)."""
    status: dict[str, str] = {}
    for en, (ur, st) in translations(release).items():
        status[en] = status[ur] = st
    used = {
        v
        for name, fields in TRANSLATED.items()
        if name in release.tables
        for f in fields
        if f in release.tables[name].columns
        for v in release.tables[name][f].astype(str)
        if v
    }
    hits = [status[v] for v in used if v in status]
    return 0.0 if not hits else sum(s == "draft" for s in hits) / len(hits)


_localized: dict[tuple[int, str], tuple[Release, Release]] = {}
_loc_lock = threading.Lock()


def localize(release: Release, lang: str | None = None) -> Release:
    """`release` with its TRANSLATED fields in `lang` (the same object for English). Ids, codes and numbers are
    unchanged, so the model computes the same figures; kept for the last few releases."""
    lang = _lang(lang)
    if lang == "en":
        return release
    key = (id(release), lang)
    with _loc_lock:
        hit = _localized.get(key)
        if hit is not None and hit[0] is release:
            return hit[1]
    table = translations(release)
    tables = dict(release.tables)
    for name, fields in TRANSLATED.items():
        frame = tables.get(name)
        if frame is None:
            continue
        cols = [f for f in fields if f in frame.columns]
        if not cols:
            continue
        frame = frame.copy()
        for f in cols:
            frame[f] = [table[v][0] if isinstance(v, str) and v in table else v for v in frame[f]]
        tables[name] = frame
    out = dataclasses.replace(release, tables=tables, lang=lang)
    with _loc_lock:
        while len(_localized) >= 16:
            _localized.pop(next(iter(_localized)))
        _localized[key] = (release, out)
    return out
