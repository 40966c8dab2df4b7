"""The Methodology page's panels: the model's formulas, the ranges, every assumption and the glossary, all in words.

The formulas are the rollout model's own text (its docstring, by section) and name the release's files, columns and
assumptions by their machine names; `plain` shows each by the title or label users read (display texts of the
release), so the page names no file, column id or assumption id.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from components.badges import badge, illustrative
from components.escape import escape_md
from components.folds import folded
from components.rollout_figures import MethodologyText
from pakcoe import Release, i18n
from pakcoe.display import WRITTEN_AS_USED, humanize, texts
from pakcoe.release import per_release

_SUBSCRIPTS = {"h": "ₕ", "t": "ₜ", "s": "ₛ"}  # a hub h, a quarter t, a source s
_SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
_SLASHED = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*)_([a-z0-9]+)((?:\s*/\s*_[a-z0-9]+)+)")  # a_b / _c / _d
_PAIR = re.compile(r"\b([A-Za-z][A-Za-z0-9_]*?)_\{([a-z]),\s*([a-z])\}")  # gap_{t,s}
_SUB = re.compile(r"(\b[A-Za-z][A-Za-z0-9_]*?|Σ)_([hts])\b")  # capex_h, cost_t, C_s, Σ_h
_MARK = "\x00"  # a subscript's place while the names before it are put in words
_PER_TYPE = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*)_<type>")  # capex_<type>
_DOTTED = re.compile(r"\b([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\b")  # table.column, file.csv, pakcoe.model
_FILE = re.compile(r"\b(?:[\w\-]+/)*([\w\-]+\.(?:csv|geojson|json|py))\b")  # hubs.csv, scripts/build_release.py


def _lower_first(label: str) -> str:
    """'Launch quarter' -> 'launch quarter' inside a sentence; 'PKR ...' and other acronyms stay."""
    return label[:1].lower() + label[1:] if len(label) > 1 and label[1:2].islower() else label


class _Names:
    """What a release's machine names read as: files by title, columns by label, assumptions by name, sources by title."""

    def __init__(self, release: Release):
        self.t = texts(release)
        self.done: dict[str, str] = {}  # text -> in words (a page draws the same texts on every rerun)
        sources = release.tables.get("sources")
        self.sources = {} if sources is None else dict(zip(sources["source_id"].astype(str), sources["title"].astype(str), strict=True))
        coded = sorted((s for s in self.sources if _CODED_ID.match(s)), key=len, reverse=True)
        self.source_ids = re.compile(r"(?<![\w\-])(" + "|".join(map(re.escape, coded)) + r")(?![\w\-])") if coded else None
        self.params = dict(zip(release.assumptions["param_id"].astype(str), release.assumptions["name"].astype(str), strict=True))
        resources = release.descriptor.get("resources", [])
        self.tables = {r["name"]: r for r in resources}
        self.files = {str(r["path"]).rsplit("/", 1)[-1]: str(r.get("title") or humanize(r["name"])) for r in resources}
        self.fields: dict[str, str] = {}
        for r in resources:
            for f in (r.get("schema") or {}).get("fields", []):
                self.fields.setdefault(f["name"], r["name"])

    def word(self, name: str) -> str:
        if name in self.params:
            return f"“{self.params[name]}”"
        if name in self.fields:
            return _lower_first(self.t.column(name, self.fields[name]))
        return humanize(name).lower()

    def dotted(self, m: re.Match) -> str:
        table, field = m[1], m[2]
        if table == "pakcoe" or table == "components":
            return "the app's code"
        if table in self.tables and field in {f["name"] for f in (self.tables[table].get("schema") or {}).get("fields", [])}:
            return f"“{self.t.column(field, table)}” of “{self.files.get(str(self.tables[table]['path']).rsplit('/', 1)[-1], table)}”"
        return m[0]

    def file(self, m: re.Match) -> str:
        if m[1] in self.files:
            return f"“{self.files[m[1]]}”"
        if m[1].endswith(".py"):
            return "the app's code"
        if m[1] in ("datapackage.json", "published.json"):
            return "the release's description" if m[1] == "datapackage.json" else "the list of published releases"
        return f"“{humanize(m[1].rsplit('.', 1)[0])}”"  # a file of another release: its name in words


NAME = "Pak AI CoE"
_CODED_ID = re.compile(r"^[a-z0-9]+(?:[\-_][a-z0-9]+)+$")  # a source id such as ncai-labs (not a plain word)
_names = per_release(_Names)  # the release's names, built once per release object (releases are read-only)


def _expand(m: re.Match) -> str:
    """'opex_share_instructors / _programmes' -> 'opex_share_instructors / opex_share_programmes'."""
    stem = m[1]
    rest = [part.strip().lstrip("_") for part in m[3].split("/") if part.strip()]
    return " / ".join([f"{stem}_{m[2]}", *(f"{stem}_{p}" for p in rest)])


def plain(text: str, release: Release, source_ids: bool = True) -> str:
    """`text` with every machine name of the release in words: files by title, `table.column` and columns by label,
    assumptions by name (quoted), per-hub/quarter/source variables with subscripts (capex_h -> capexₕ), module paths as
    "the app's code", any other snake_case name as words; source ids by the source's title (not with `source_ids`
    False: a source's own title may start with a name that is also its id, e.g. a package's)."""
    names = _names(release)
    raw = text if source_ids else "\x01" + text
    if raw in names.done:
        return names.done[raw]
    text = text.replace("`", "")
    if source_ids and names.source_ids is not None:
        text = names.source_ids.sub(lambda m: names.sources[m[1]], text)
    text = _SLASHED.sub(_expand, text)
    text = _PAIR.sub(lambda m: f"{m[1]}({m[2]}, {m[3]})", text)
    text = _SUB.sub(lambda m: m[1] + _MARK + m[2], text)
    text = _PER_TYPE.sub(lambda m: f"{humanize(m[1]).lower()} of the hub's type", text)
    text = _FILE.sub(names.file, text)
    text = _DOTTED.sub(names.dotted, text)
    text = _SNAKE.sub(lambda m: names.word(m[0]), text)
    names.done[raw] = re.sub(_MARK + "([hts])", lambda m: _SUBSCRIPTS[m[1]], text)
    return names.done[raw]


# On a phone a long provenance badge ("Source: ⚠ uncertain: ...") wraps inside its box instead of running its two
# lines over each other.
PHONE_CSS = "<style>@media (max-width: 640px) { .stMarkdownBadge { white-space: normal !important; } }</style>"
# The formulas as plain text in a code face, left to right in either language. Not st.code: it loads Streamlit's 1.5 MB
# syntax highlighter into every visit of the page, for text that needs no highlighting.
FORMULA_CSS = (
    "<style>[class*='st-key-formula-'] [data-testid='stText'] { font-family: 'Source Code Pro', ui-monospace, monospace; "
    "font-size: 0.875rem; line-height: 1.6; white-space: pre-wrap; overflow-wrap: anywhere; direction: ltr; text-align: left; "
    "background: #F0F2F6; color: #1F2A37; border-radius: 0.5rem; padding: 0.75rem 1rem; } "
    "[class*='st-key-formula-'] [data-testid='stText'] * { font-family: inherit; font-size: inherit; }</style>"
)
_FORMULA = re.compile(r"^\S+\s*=\s")  # a line that starts a formula: "enrolledₜ = ..."


def reflow(text: str) -> str:
    """The docstring's text with its hard line breaks inside sentences removed (names in words are longer than the ids
    they replace, so the original breaks would fall mid-line); items, formulas and sentence ends keep their own line."""
    out: list[str] = []
    for line in text.splitlines():
        body = line.strip()
        if (
            out
            and body
            and out[-1].strip()
            and not out[-1].rstrip().endswith((".", ":", ";"))
            and not body.startswith(("* ", "- "))
            and not _FORMULA.match(body)
        ):
            out[-1] = out[-1].rstrip() + " " + body
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def _number(x: float) -> str:
    if i18n.current() != "en":
        return i18n.num(x, 0) if float(x) == int(x) else i18n.num(x, 4).rstrip("0").rstrip(".")
    return f"{x:,.0f}" if float(x) == int(x) else f"{x:,.4f}".rstrip("0").rstrip(".")


def assumption_lines(release: Release, first: FirstUse | None = None, rows: pd.Series | None = None) -> list[str]:
    """One Markdown line per assumption: provenance badge, name, value, range, basis and derivation, never its id
    (`first`: the page's first-use writer of abbreviations; `rows`: a mask of the assumptions to write, all if None)."""
    first = first or FirstUse(release)
    t = texts(release)
    words = {"value": i18n.t("value"), "low": i18n.t("low"), "high": i18n.t("high")}
    basis, derived_by = i18n.t("Basis:"), i18n.t("Derived (checked by the validator):")
    lines = []
    chosen = release.assumptions if rows is None else release.assumptions[rows.to_numpy()]
    for r in chosen.itertuples():
        src = None if pd.isna(r.source_id) else r.source_id
        derived = []
        for column, what in (("derivation", "value"), ("derivation_low", "low"), ("derivation_high", "high")):
            expr = getattr(r, column, None)
            if isinstance(expr, str) and expr.strip():
                derived.append(f"{words[what]} = {escape_md(plain(expr.strip().removeprefix('=').strip(), release))}")
        unit = str(r.unit) if i18n.current() == "en" else t.value("unit", r.unit, "assumptions")
        lines.append(
            f"- {badge(release, src, bool(r.assumption))} **{escape_md(first(r.name))}**: {_number(r.value)} {escape_md(first(unit))}, "
            + i18n.t("range {low}–{high}.", low=_number(r.low), high=_number(r.high))
            + f" *{basis}* {escape_md(first(plain(str(r.basis), release)))}"
            + (f" *{derived_by}* {i18n.t('; ').join(derived)}." if derived else "")
        )
    return lines


def section_titles() -> dict[str, str]:
    """The model docstring's section titles (English, as the code writes them) -> as the page shows them in the
    current language (a title not listed reads through `plain`)."""
    return {
        "Conventions": i18n.t("Conventions"),
        "1. The network (which hubs)": i18n.t("1. The network (which hubs)"),
        "2. Planned schedule (pace)": i18n.t("2. Planned schedule (pace)"),
        "3. Funding: sources, capacities and the two tracks": i18n.t("3. Funding: sources, capacities and the two tracks"),
        "4. Phase gates": i18n.t("4. Phase gates"),
        "5. Learners": i18n.t("5. Learners"),
        "6. Costs (by hub type, via hub_types.csv capex_param / opex_param)": i18n.t("6. Costs (by hub type)"),
        "7. Funding gap and who pays": i18n.t("7. Funding gap and who pays"),
        "8. The horizon and cost per certified learner": i18n.t("8. The horizon and cost per certified learner"),
        "9. Older releases": i18n.t("9. Older releases"),
        "Not modelled": i18n.t("Not modelled"),
    }


_DRAWN = re.compile(r"\n\n\*\*Assumptions drawn\*\* in data release .*? \((\d+)\): (.*)\.\s*$", re.S)


def uncertainty_urdu(text: str) -> str:
    """The uncertainty method (rollout_figures.uncertainty_method, English prose from the code) written in the current
    language: the method's figures (draws, seed, percentiles) read from the English text, the assumptions drawn (release
    names, already in the release's language) kept."""
    draws = re.search(r"(\d+) draws", text)
    seed = re.search(r"seed (\d+)", text)
    out = i18n.t(
        "* Every illustrative assumption that the model uses, directly or through a derivation, and that the scenario does not set "
        "itself, is drawn independently from a triangular distribution on [low, high] with its mode at the central value: {draws} "
        "draws with the fixed seed {seed}, so the same release and levers always give the same range. Derived figures (e.g. a hub's "
        "capital cost from a comparable budget) are recomputed from the drawn values by their derivations; sourced facts stay fixed.\n"
        "* Funding shares are recomputed from the drawn share parameters and then renormalised so that the shares of each track, phase "
        "and use sum to 1 again.\n"
        "* All draws run through the same quarter loop at once; the range of a headline figure is its 5th to 95th percentile.\n"
        "* Sensitivity: each assumption alone at its low and at its high bound, every other at its central value; the assumptions are "
        "ranked by how far they move cost per certified learner (and learners certified).",
        draws=draws[1] if draws else "",
        seed=seed[1] if seed else "",
    )
    drawn = _DRAWN.search(text)
    if drawn:
        out += "\n\n" + i18n.t("**Assumptions drawn** ({n}): {list}.", n=drawn[1], list=drawn[2])
    return out


def formulas(release: Release, text: MethodologyText, first: FirstUse) -> None:
    """Every formula (the model's own text, by section, in words) and how Compare's ranges are computed."""
    st.html(PHONE_CSS + FORMULA_CSS)
    english = i18n.current() == "en"
    st.markdown(
        i18n.t(
            "Every formula the rollout model uses, as written in the model's code (the code follows this text; tests check it). "
            "The release's tables, columns and assumptions are named by their titles; a small h, t or s after a name (as in "
            "capexₕ) means per hub, per quarter or per funding source."
        )
    )
    if not english:
        st.caption(i18n.t("The formulas are quoted from the model's code, in English, as the code writes them."))
    titles = section_titles()
    for i, (title, body) in enumerate(text.sections):
        label = plain(title, release) if english else titles.get(title, plain(title, release))
        if box := folded(label, f"formulas-{i}"):  # built once opened (components/folds.py)
            with box, st.container(key=f"formula-{i}"):  # the text set in a code face by FORMULA_CSS
                st.text(FirstUse(release)(reflow(plain(body, release))))  # each section read on its own
    st.subheader(i18n.t("Ranges and sensitivity (Compare page)"))
    st.markdown(i18n.t("How the Compare page's low–high ranges and its sensitivity chart are computed, as written in the app's code."))
    st.markdown(first(plain(text.uncertainty if english else uncertainty_urdu(text.uncertainty), release)))


def assumptions(release: Release, first: FirstUse) -> None:
    """Every assumption of the release with its provenance, value, range and basis: how many of each kind, then the
    sourced facts and the illustrative assumptions each in a fold (built once opened: the list is most of the page's
    text, and a first visit drew all of it; `first`: the page's first-use writer of abbreviations, as for the text around)."""
    st.subheader(i18n.t("Assumptions"))
    guessed = illustrative(release)
    n_guessed, n_facts = int(guessed.sum()), int((~guessed).sum())
    st.markdown(
        i18n.t(
            "Data release {version} writes down {n} figures that the model and the pages use: {facts} sourced facts, each with "
            "its source, and {guessed} illustrative assumptions, each with its basis. Each figure below has its central value, "
            "its low–high range, its provenance and its basis.",
            version=escape_md(release.version),
            n=i18n.num(n_facts + n_guessed),
            facts=i18n.num(n_facts),
            guessed=i18n.num(n_guessed),
        )
    )
    kinds = (
        (~guessed, n_facts, i18n.t("Sourced facts ({n})", n=i18n.num(n_facts)), "facts", ":material/verified:"),
        (guessed, n_guessed, i18n.t("Illustrative assumptions ({n})", n=i18n.num(n_guessed)), "illustrative", ":material/science:"),
    )
    for rows, n, label, name, icon in kinds:
        if n and (box := folded(label, f"assumptions-{name}", icon=icon)):  # built once opened (components/folds.py)
            with box:
                st.markdown("\n".join(assumption_lines(release, first, rows)))


def notes(release: Release, lines: tuple[str, ...], first: FirstUse) -> None:
    """Known quirks of the data and the model (Markdown lines computed from the release), names and terms in words."""
    st.markdown("\n".join(f"- {first(plain(line, release))}" for line in lines))


def glossary(release: Release) -> None:
    """Every term and abbreviation the pages use: the term, its full name, what it means."""
    terms = texts(release).glossary()
    st.markdown(i18n.t("The {n} terms and abbreviations the pages use, with their full names.", n=len(terms)))
    st.markdown(
        "\n".join(
            f"- **{escape_md(t.term)}**" + (f" ({escape_md(t.expansion)})" if t.expansion and t.expansion != t.term else "") + f": {escape_md(t.definition)}"
            for t in terms
        )
    )


class FirstUse:
    """Writes each glossary term with its full name the first time a page uses it ("Khyber Pakhtunkhwa (KP)"), as the
    page's texts pass through it in order; later uses stay short."""

    def __init__(self, release: Release):
        self.t = texts(release)
        terms = sorted((g.term for g in self.t.glossary() if g.expansion and g.expansion != g.term and g.term not in WRITTEN_AS_USED), key=len, reverse=True)
        # a term stands alone between non-Latin characters: spaces and punctuation in English, also Urdu letters
        # written against it ("TVETکے") in Urdu
        self.pattern = re.compile(r"(?<![A-Za-z0-9_&])(" + "|".join(map(re.escape, terms)) + r")(?![A-Za-z0-9_&])") if terms else None
        self.seen: set[str] = set()

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        if NAME in text:  # the proposal's own name keeps its abbreviations: "Pak AI CoE", never expanded
            return NAME.join(self(part) for part in text.split(NAME))

        def first(m: re.Match) -> str:
            term = m[1]
            if term in self.seen:
                return term
            self.seen.add(term)
            found = self.t.term(term)
            return term if found is None or found.expansion in text else found.first_use

        return self.pattern.sub(first, text)
