"""A presentation deck as data: ordered stops, each an app state with its texts, read and checked from a release (pure).

A release's `deck` table (deck.csv) lists the stops of its presentation in order: the stop's number, the page it
shows (an id of `pakcoe.registry`) and that page's URL parameters (a query string such as `view=national`), and its
texts, one column per language (`title_en`, `caption_en`, `note_en`; another language adds its own columns, e.g.
`title_ur` from release 1.7.0). A release without a language's columns reads the English text's translation from the
release's translations and the app's fallback tables (`pakcoe.i18n.data_text`), else English.
Placeholder values are formatted in each text's language (`pakcoe.i18n`: Urdu lakh/crore grouping, Urdu quarters).

Texts never carry a figure of their own: they name placeholders (`{hubs_total}`), and every placeholder is one of
`PLACEHOLDERS`, a fixed list computed from the release and the model. `fill` substitutes them with a regular
expression; a text is never used as a format string, so a text cannot reach an attribute or an argument (`{0}`,
`{hubs_total.__class__}` are errors, not evaluated). A literal brace is written twice (`{{`, `}}`).

The page registry changes with the app, while a published release never does: a stop of a published release
that no longer resolves (a page or parameter removed since) is dropped, with its reason, by `load_deck`, and the
release stays valid; in a draft the same stop is a validation problem (`check_deck`), so a new deck is whole.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple
from urllib.parse import parse_qs

import pandas as pd

from pakcoe import i18n, registry
from pakcoe.headline import Headline, headline
from pakcoe.labels import decisions
from pakcoe.problems import Problem
from pakcoe.release import Release

DECK = "deck"  # the resource name of a release's deck
TEXTS = ("title", "caption", "note")  # the texts of a stop, each with a column per language: title_en, ...
ENGLISH = "en"  # every stop has its English texts; other languages fall back to them
ONE_LINE = ("title", "caption")  # texts that must fit on one line

# ---------------------------------------------------------------------------------------------------
# Placeholders: the only figures a deck's texts may show, computed from the release


class Placeholder(NamedTuple):
    """A named value a deck text may use: what it is, and how it is computed from a release."""

    description: str
    compute: Callable[[Release], str]


_HEADLINES: dict[int, tuple[Release, Headline]] = {}  # the last releases' headline figures: placeholders share them


_HEADLINES_LOCK = threading.Lock()


def _headline(release: Release) -> Headline:
    with _HEADLINES_LOCK:
        hit = _HEADLINES.get(id(release))
    if hit is None or hit[0] is not release:
        hit = (release, headline(release))
        with _HEADLINES_LOCK:
            while len(_HEADLINES) >= 8:
                _HEADLINES.pop(next(iter(_HEADLINES)))
            _HEADLINES[id(release)] = hit
    return hit[1]


def _count(n: int) -> str:
    return i18n.num(n)  # in the current language: English 12,345; Urdu 12,345 with lakh grouping (1,23,456)


def _rows(table: str) -> Callable[[Release], str]:
    return lambda release: _count(len(release.table(table)))


def _billions(low: float, high: float) -> str:
    if i18n.current() == ENGLISH:
        return f"PKR {low / 1000:,.1f}–{high / 1000:,.1f} billion"
    return i18n.t("PKR {low}–{high} billion", low=i18n.num(low / 1000, 1), high=i18n.num(high / 1000, 1))


def _per_year(total_m: float) -> str:
    """A yearly amount given in PKR millions: English 'PKR 2,988 million a year'; Urdu in lakh/crore words."""
    if i18n.current() == ENGLISH:
        return f"PKR {_count(round(total_m))} million a year"
    return i18n.t("{amount} a year", amount=i18n.money_m(total_m, "PKR"))


def _quarter(label: str) -> str:
    """A quarter as the deck writes it: English '2027Q1' (as always); Urdu in words."""
    return label if i18n.current() == ENGLISH else i18n.quarter(label)


def _government_capacity(release: Release) -> str:
    sources = release.table("funding_sources")
    total = float(sources.loc[sources["category"] == "government", "annual_capacity_pkr_m"].sum())
    return _per_year(total)


def _first_phase(release: Release) -> pd.Series:
    phases = release.table("phases")
    return phases.loc[phases["phase_id"].idxmin()]


PLACEHOLDERS: dict[str, Placeholder] = {
    "release": Placeholder("the release's version, e.g. 1.5.0", lambda r: r.version),
    "hubs_total": Placeholder("the number of proposed hubs at full scale (hubs.csv)", lambda r: _count(_headline(r).hubs_total)),
    "demonstrator_city": Placeholder("the name of the first phase's cluster city", lambda r: _headline(r).demonstrator_city),
    "demonstrator_hubs": Placeholder("the first phase's hubs in the demonstrator city", lambda r: _count(_headline(r).demonstrator_hubs)),
    "demonstrator_districts": Placeholder("the districts of the demonstrator city those hubs are in", lambda r: _count(_headline(r).demonstrator_districts)),
    "first_phase_hubs": Placeholder("the hubs of the first phase, everywhere", lambda r: _count(_headline(r).hubs_by_phase[_headline(r).demonstrator_phase])),
    "first_phase_name": Placeholder("the first phase's name (phases.csv)", lambda r: str(_first_phase(r)["name"])),
    "phases": Placeholder("the number of phases (phases.csv)", _rows("phases")),
    "plan_start": Placeholder(
        "the quarter the first phase starts on the planned timetable, e.g. 2027Q1", lambda r: _quarter(str(r.table("phases")["start_quarter"].min()))
    ),
    "plan_end": Placeholder("the quarter the last phase ends on the planned timetable", lambda r: _quarter(str(r.table("phases")["end_quarter"].max()))),
    "provinces_reached": Placeholder("the provinces and territories with at least one hub", lambda r: _count(_headline(r).provinces_reached)),
    "provinces_total": Placeholder("the provinces and territories of provinces.csv", _rows("provinces")),
    "hub_types": Placeholder("the number of hub types (hub_types.csv)", _rows("hub_types")),
    "learner_capacity": Placeholder("learners a year the hubs can take at full scale", lambda r: _count(_headline(r).learner_capacity_per_year)),
    "capex_range": Placeholder(
        "the capital cost of the whole network, low to high bound of the assumptions, e.g. 'PKR 12.3–24.6 billion'",
        lambda r: _billions(_headline(r).capex_pkr_m.low, _headline(r).capex_pkr_m.high),
    ),
    "opex_range": Placeholder(
        "the yearly running cost of the whole network, low to high bound, e.g. 'PKR 4.1–8.2 billion'",
        lambda r: _billions(_headline(r).opex_pkr_m_per_year.low, _headline(r).opex_pkr_m_per_year.high),
    ),
    "options": Placeholder("the number of rollout options (options.csv)", _rows("options")),
    "decisions": Placeholder("the number of public funding decisions an option can assume", lambda r: _count(len(decisions(r)))),
    "funding_sources": Placeholder("the number of funding sources (funding_sources.csv)", _rows("funding_sources")),
    "government_capacity": Placeholder(
        "the Government's funding sources' yearly capacity together (federal and provincial), e.g. 'PKR 2,988 million a year'",
        _government_capacity,
    ),
    "private_capacity": Placeholder(
        "the private track's yearly funding capacity (the assumption private_capacity), e.g. 'PKR 1,833 million a year'",
        lambda r: _per_year(r.param("private_capacity")),
    ),
    "partners": Placeholder("the number of partner groups (partners.csv)", _rows("partners")),
    "gaps": Placeholder("the number of gaps the proposal answers (gaps.csv)", _rows("gaps")),
    "risks": Placeholder("the number of risks with an owner (risks.csv)", _rows("risks")),
    "milestones": Placeholder("the number of milestones and exit criteria (milestones.csv)", _rows("milestones")),
}


def placeholder_values(release: Release, lang: str | None = None) -> dict[str, str]:
    """name -> text of every placeholder the release can give (one whose table the release lacks is left out), formatted
    in `lang` (default: the current language; names come from the release as given: localize it for another language)."""
    values: dict[str, str] = {}
    with i18n.using(lang or i18n.current()):
        for name, placeholder in PLACEHOLDERS.items():
            try:
                values[name] = placeholder.compute(release)
            except (KeyError, IndexError, ValueError):
                continue
    return values


# ---------------------------------------------------------------------------------------------------
# Filling texts: a regular expression, never str.format

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class TextError(ValueError):
    """A deck text that cannot be filled: an unknown placeholder, or a brace that is not part of one."""


def _scan(text: str) -> tuple[list[str], list[str]]:
    """(placeholder names in order, problems in plain words) of a text."""
    names: list[str] = []
    problems: list[str] = []
    for m in _TOKEN.finditer(text):
        token, inner = m.group(0), m.group(1)
        if token in ("{{", "}}"):
            continue
        if inner is None:
            problems.append(f"a lone '{token}' at character {m.start() + 1}: write a literal brace twice ('{token * 2}')")
        elif not _NAME.fullmatch(inner):
            problems.append(f"'{token}' is not a placeholder: a placeholder is a name from the documented list, e.g. {{hubs_total}}")
        elif inner not in PLACEHOLDERS:
            problems.append(f"unknown placeholder '{token}': the placeholders are {', '.join(PLACEHOLDERS)}")
        else:
            names.append(inner)
    return names, problems


def placeholders_in(text: str) -> list[str]:
    """The known placeholder names a text uses, in order (unknown ones and stray braces: see `text_problems`)."""
    return _scan(text)[0]


def text_problems(text: str) -> list[str]:
    """What is wrong with a text's placeholders and braces, one plain sentence each (empty: it can be filled)."""
    return _scan(text)[1]


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with every `{name}` replaced by values[name] and `{{` / `}}` by one brace.

    An unknown placeholder, a placeholder without a value or a stray brace raises TextError; the text is only ever
    matched by a regular expression, never handed to a format function."""
    problems = text_problems(text)
    missing = [n for n in placeholders_in(text) if n not in values]
    if missing:
        problems.append(f"no value for {', '.join('{' + n + '}' for n in dict.fromkeys(missing))} on this release")
    if problems:
        raise TextError("; ".join(problems))

    def one(m: re.Match) -> str:
        token = m.group(0)
        return token[0] if token in ("{{", "}}") else str(values[m.group(1)])

    return _TOKEN.sub(one, text)


# ---------------------------------------------------------------------------------------------------
# Stops


@dataclass(frozen=True)
class Stop:
    """One stop of a deck: its number, the page state it shows, and its texts per language (language -> text)."""

    number: int
    page: str  # a page id of pakcoe.registry (or an old url path it keeps as an alias)
    params: Mapping[str, list[str]]  # the page's URL parameters, name -> values
    title: Mapping[str, str]
    caption: Mapping[str, str]
    note: Mapping[str, str]
    row: int  # the stop's line in deck.csv (header = 1)
    query: str = ""  # the parameters as written in deck.csv

    def text(self, kind: str, language: str | None = None) -> str:
        """The stop's title, caption or note in `language` (default: the current language, pakcoe.i18n), else in English."""
        texts: Mapping[str, str] = getattr(self, kind)
        return texts.get(language or i18n.current()) or texts.get(ENGLISH, "")


@dataclass(frozen=True)
class Dropped:
    """A stop left out of a published release's deck because it no longer resolves, with the reasons in plain words."""

    stop: Stop  # as written in deck.csv
    reasons: tuple[str, ...]  # for the data team: names the page, setting or placeholder
    title: str = ""  # the English title, filled where it can be
    plain: str = ""  # why, in words a presenter knows (no page ids or setting names)

    def __str__(self) -> str:
        return f"stop {self.stop.number} ({self.title or self.stop.text('title', ENGLISH)}): " + " ".join(self.reasons)

    def plainly(self) -> str:
        """The stop and why it is left out, in words for a presenter (in the current language)."""
        title = self.stop.text("title") if i18n.current() != ENGLISH else self.title or self.stop.text("title")
        return i18n.t("stop {n} ({title}): {why}", n=self.stop.number, title=title, why=self.plain or i18n.t("it no longer matches the app"))


@dataclass(frozen=True)
class Deck:
    """A release's deck: the stops to show (texts filled) and the stops dropped with their reasons."""

    version: str
    stops: tuple[Stop, ...]
    dropped: tuple[Dropped, ...] = ()
    languages: tuple[str, ...] = (ENGLISH,)
    values: Mapping[str, str] = field(default_factory=dict)


def has_deck(release: Release) -> bool:
    """Whether the release has a deck table."""
    return DECK in release.tables


def deck_path(release: Release) -> str:
    return str(release.resource(DECK)["path"])


def languages(frame: pd.DataFrame) -> tuple[str, ...]:
    """The languages a deck table has texts in (English first)."""
    found = {m.group(2) for c in frame.columns if (m := re.fullmatch(r"(title|caption|note)_([a-z]{2,3})", str(c)))}
    return tuple(sorted(found, key=lambda lang: (lang != ENGLISH, lang)))


def _lines(raw: bytes, rows: int) -> list[int]:
    """The first CSV line (header = 1) of each record: a quoted cell may hold a line break."""
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig")))
    starts, line = [], 0
    for _ in reader:
        starts.append(line + 1)
        line = reader.line_num
    return starts[1 : rows + 1]


def _cell(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def parse_params(text: str) -> dict[str, list[str]]:
    """A stop's parameters from a URL query string ('view=national&phase=1&phase=2'); ValueError when it is not one."""
    return parse_qs(text, keep_blank_values=True, strict_parsing=True) if text else {}


def read_stops(release: Release) -> tuple[list[Stop], list[Problem]]:
    """Every row of the deck table as a Stop, in file order, and the rows whose parameters cannot be read."""
    frame = release.table(DECK)
    path = deck_path(release)
    lines = _lines((release.path / path).read_bytes(), len(frame))
    langs = languages(frame)
    stops, problems = [], []
    for i, row in enumerate(frame.to_dict("records")):
        line = lines[i] if i < len(lines) else i + 2
        query = _cell(row.get("params"))
        try:
            params = parse_params(query)
        except ValueError:
            problems.append(
                Problem(path, "deck-params", "params must be a URL query string such as 'view=national&phase=1'", row=line, field="params", value=query)
            )
            params = {}
        texts = {kind: {lang: _cell(row.get(f"{kind}_{lang}")) for lang in langs} for kind in TEXTS}
        stops.append(Stop(int(row["stop"]), _cell(row["page"]), params, texts["title"], texts["caption"], texts["note"], line, query))
    return stops, problems


def _stop_problems(release: Release, stop: Stop, values: Mapping[str, str], langs: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    """What keeps a stop from being shown on this release: (field, rule, message, value) each."""
    found: list[tuple[str, str, str, str]] = []
    resolved = registry.resolve(release, stop.page, stop.params)
    for message in resolved.problems:
        found.append(("page" if resolved.page is None else "params", "deck-state", message, stop.page if resolved.page is None else stop.query))
    for kind in TEXTS:
        for lang in langs:
            text = getattr(stop, kind).get(lang, "")
            problems = text_problems(text)
            missing = [n for n in placeholders_in(text) if n not in values]
            if missing:
                problems.append(f"no value for {', '.join('{' + n + '}' for n in dict.fromkeys(missing))} on data release {release.version}")
            found += [(f"{kind}_{lang}", "deck-placeholder", p, text) for p in problems]
    return found


def _structure(release: Release, stops: list[Stop], langs: tuple[str, ...]) -> list[Problem]:
    """Rules of the whole deck: English texts present and non-empty, titles and captions on one line, stops numbered 1..N."""
    path = deck_path(release)
    problems: list[Problem] = []
    if ENGLISH not in langs:
        problems.append(Problem(path, "deck-text", "the deck has no English texts (title_en, caption_en, note_en)", row=1))
    for expected, stop in enumerate(stops, start=1):
        if stop.number != expected:
            problems.append(
                Problem(
                    path,
                    "deck-order",
                    f"stops are numbered 1, 2, 3… in file order: this one should be {expected}",
                    row=stop.row,
                    field="stop",
                    value=str(stop.number),
                )
            )
        for kind in TEXTS:
            text = getattr(stop, kind).get(ENGLISH, "")
            if ENGLISH in langs and not text.strip():
                problems.append(Problem(path, "deck-text", f"the stop has no English {kind}", row=stop.row, field=f"{kind}_{ENGLISH}"))
        for kind in ONE_LINE:
            for lang in langs:
                text = getattr(stop, kind).get(lang, "")
                if "\n" in text or "\r" in text:
                    problems.append(Problem(path, "deck-text", f"a {kind} is one line", row=stop.row, field=f"{kind}_{lang}", value=text))
    return problems


def check_deck(release: Release, published: bool = False) -> list[Problem]:
    """Every problem of the release's deck, located (empty without a deck).

    The deck's own rules always count (numbering, English texts, one-line titles and captions, readable parameters).
    A stop whose page state or placeholders do not resolve on this release is a problem of a draft; in a published
    release it is dropped by `load_deck` instead, since the app changed after publication, not the release."""
    if not has_deck(release):
        return []
    stops, problems = read_stops(release)
    langs = languages(release.table(DECK))
    problems += _structure(release, stops, langs)
    if not published:
        values = placeholder_values(release)
        path = deck_path(release)
        for stop in stops:
            for field_, rule, message, value in _stop_problems(release, stop, values, langs):
                problems.append(Problem(path, rule, f"stop {stop.number}: {message}", row=stop.row, field=field_, value=value))
    return problems


def _plain(release: Release, stop: Stop, rules: set[str], unreadable: bool) -> str:
    """Why a stop is left out, in a presenter's words: the page's title, never its id or a setting's name."""
    try:
        title = i18n.t(registry.page(stop.page).title)  # the page titles are app strings (pakcoe/texts/ui/core.csv)
    except KeyError:
        return i18n.t("the page it shows is no longer in the app")
    if unreadable or "deck-state" in rules:
        return i18n.t("the {title} page no longer has a setting or a value this stop uses", title=title)
    return i18n.t("its text names a figure data release {version} does not give", version=release.version)


def _translated(release: Release, stop: Stop, lang: str) -> Stop:
    """The stop with its texts in `lang` where its deck has no column of that language (releases before 1.7.0): the
    English text's translation from the release's translations and the app's fallback tables, else none (English)."""
    if lang == ENGLISH:
        return stop
    texts = {}
    for kind in TEXTS:
        own: dict[str, str] = dict(getattr(stop, kind))
        if not own.get(lang):
            english = own.get(ENGLISH, "")
            found = i18n.data_text(release, english, lang) if english else ""
            if found and found != english and not text_problems(found):  # a bad placeholder in a translation: English
                own[lang] = found
        texts[kind] = own
    return replace(stop, title=texts["title"], caption=texts["caption"], note=texts["note"])


def load_deck(release: Release) -> Deck | None:
    """The release's deck with every text filled, or None when the release has no deck.

    A stop that does not resolve on this release (its page or a parameter removed from the app since, a placeholder
    no longer known) is dropped with its reasons; the others keep their order and numbers."""
    if not has_deck(release):
        return None
    stops, unreadable = read_stops(release)
    bad_rows = {p.row for p in unreadable}
    lang = getattr(release, "lang", ENGLISH) or ENGLISH  # a localized release (pakcoe.i18n.localize) names its language
    stops = [_translated(release, stop, lang) for stop in stops]
    langs = tuple(dict.fromkeys((*languages(release.table(DECK)), lang)))
    values = placeholder_values(release, lang)
    by_lang = {code: values if code == lang else placeholder_values(release, code) for code in langs}
    kept: list[Stop] = []
    dropped: list[Dropped] = []
    for stop in stops:
        found = _stop_problems(release, stop, values, langs)
        reasons = [message if rule == "deck-state" else f"its {field_.replace('_', ' (', 1)}): {message}." for field_, rule, message, _ in found]
        if stop.row in bad_rows:
            reasons.insert(0, f"its parameters '{stop.query}' are not a URL query string.")
        if reasons:
            title = stop.text("title", ENGLISH)
            with contextlib.suppress(TextError):
                title = fill(title, by_lang.get(ENGLISH, values))
            dropped.append(Dropped(stop, tuple(reasons), title, _plain(release, stop, {rule for _, rule, _, _ in found}, stop.row in bad_rows)))
            continue
        texts = {kind: {code: fill(text, by_lang.get(code, values)) for code, text in getattr(stop, kind).items() if text} for kind in TEXTS}
        kept.append(replace(stop, title=texts["title"], caption=texts["caption"], note=texts["note"]))
    return Deck(release.version, tuple(kept), tuple(dropped), langs, values)
