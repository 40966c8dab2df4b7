"""What a presentation stop shows as text, built from a release (pure: no Streamlit; drawn by components.stage).

A projector needs few words in big type: each builder picks the short parts of a page's section (a gap's title and
the design's response, not its evidence), at most as many as fit the stage, and says in one line what it leaves out
(the stop's "Open this view in the app" link shows everything). The stage is 35.4rem tall and 77.6rem wide on any
16:9 screen (components/styles/present.css), so the budgets below are counts of cards, rows and lines. Every text is
plain (data text is escaped when it is turned into HTML here); names are the release's labels, never its ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from components.badges import illustrative
from components.escape import escape_html
from components.map_data import HOST_LABELS, hub_detail
from pakcoe import Release, i18n, labels
from pakcoe.display import texts
from pakcoe.i18n import t

ROWS = 16  # table rows a stage shows at most (one line each, unless the table wraps its few rows)
CARDS = 6  # cards a stage shows at most in a grid of two rows
URDU_SCALE = 0.8  # a grid's type in Urdu, relative to its English size (never below 1rem)
# The hub detail's key facts for a projector (labels of components.map_data.hub_detail's attributes, in English: the
# detail's labels are looked up through `t` as the map page shows them), in order.
HUB_FACTS = (
    "City or town",
    "District",
    "Province or territory",
    "Phase",
    "Hub type",
    "Host type (no host has agreed)",
    "Focus areas",
    "Learner places a year (illustrative)",
    "Planned launch",
)


@dataclass(frozen=True)
class Card:
    """One card: a title, an optional tag in words (never colour alone), lines of text and a bulleted list."""

    title: str
    lines: tuple[str, ...] = ()
    tag: str = ""
    items: tuple[str, ...] = ()
    ordered: bool = False  # the list is numbered (steps)


@dataclass(frozen=True)
class Cards:
    """A grid of cards, `columns` wide; `more` says what is left out ('' when nothing is); `clamp`: the lines of text a
    card's paragraph keeps at most (a longer one ends in an ellipsis, its full text in the app); `scale`: the cards'
    text size in rem (larger for a few short cards)."""

    cards: tuple[Card, ...]
    columns: int
    more: str = ""
    clamp: int = 4
    scale: float = 1.0
    stretch: bool = True  # in a filling block, the rows share the stage's height (False: the cards keep their own)


@dataclass(frozen=True)
class Table:
    """A table with a header; `note` says how many rows there are in all ('' when every row is shown). `wrap`: cells wrap
    their text (a few rows of long texts) instead of one line a row; `scale`: the text size in rem."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    wrap: bool = False
    scale: float = 1.0
    widths: tuple[float, ...] = ()  # each column's share of the width (a cell's text then ends in an ellipsis); () for auto


# ---------------------------------------------------------------------------------------------------
# HTML (every text escaped here)


def point_html(text: str) -> str:
    """A chart's or a view's title: the point it makes."""
    return f'<h2 class="stage-point">{escape_html(text)}</h2>'


def line_html(text: str, kind: str = "line") -> str:
    """One line of body text (kind "statement": a sentence standing in for an empty chart, in large type)."""
    return f'<p class="stage-{kind}">{escape_html(text)}</p>'


def on_stage(markup: str) -> str:
    """Cards' markup as the Present page shows it: there the stop's title is the page's h1, so the cards' headings are
    h2 (the briefing pack, whose stops are h2, keeps them h3). The markup is this module's own (texts are escaped)."""
    return markup.replace("<h3>", "<h2>").replace("</h3>", "</h2>")


def cards_html(grid: Cards) -> str:
    """The grid of cards as HTML: each card an article with a heading, its tag in words, its text and its list."""
    parts = []
    for card in grid.cards:
        tag = f'<p class="stage-tag">{escape_html(card.tag)}</p>' if card.tag else ""
        lines = "".join(f"<p>{escape_html(line)}</p>" for line in card.lines)
        tag_name = "ol" if card.ordered else "ul"
        items = f"<{tag_name}>" + "".join(f"<li>{escape_html(i)}</li>" for i in card.items) + f"</{tag_name}>" if card.items else ""
        parts.append(f'<article class="stage-card"><h3>{escape_html(card.title)}</h3>{tag}{lines}{items}</article>')
    more = line_html(grid.more, "more") if grid.more else ""
    clamp, scale = grid.clamp, grid.scale
    if i18n.is_rtl():  # Nastaliq's lines are ~1.4 times as tall: a line less, and type nearer the 1rem floor, in the same room
        clamp, scale = max(1, clamp - 1), scale * URDU_SCALE
    style = f"--stage-cols:{grid.columns};--stage-clamp:{clamp};--t:{max(scale, 1.0):g}rem"
    kind = "stage-cards" if grid.stretch else "stage-cards stage-natural"
    return f'<div class="{kind}" style="{style}">{"".join(parts)}</div>{more}'


def table_html(table: Table) -> str:
    """The table as HTML (a header row of th, one line a row)."""
    head = "".join(f'<th scope="col">{escape_html(h[:1].upper() + h[1:])}</th>' for h in table.header)
    body = "".join("<tr>" + "".join(f"<td>{escape_html(c)}</td>" for c in row) + "</tr>" for row in table.rows)
    note = line_html(table.note, "more") if table.note else ""
    kind = "stage-table stage-wrap" if table.wrap else "stage-table"
    cols = ""
    if table.widths:
        total = sum(table.widths)
        kind += " stage-fixed"
        cols = "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in table.widths) + "</colgroup>"
    style = f"--t:{max(table.scale, 1.0):g}rem"
    return f'<table class="{kind}" style="{style}">{cols}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}'


def _more(shown: int, total: int, what: str) -> str:
    """'6 of 9 gaps shown; …' (`what`: the things counted, already in the current language)."""
    return t("{shown} of {total} {what} shown; the app's page has every one.", shown=shown, total=total, what=what) if shown < total else ""


def quarter(label: object) -> str:
    """A quarter as the stage writes it: English '2027Q3' (as the pages do); Urdu in words (pakcoe.i18n.quarter)."""
    return str(label) if i18n.current() == i18n.DEFAULT else i18n.quarter(str(label))


def plain(markdown: str) -> str:
    """A builder's Markdown line as plain text: emphasis marks and escapes removed (the text is escaped again as HTML)."""
    text = re.sub(r"\*\*|__|(?<!\\)\*", "", markdown)
    return re.sub(r"\\(.)", r"\1", text).strip()


def humanize(name: str) -> str:
    """A column name as words: 'learner_capacity_per_year' -> 'Learner capacity per year'."""
    words = str(name).replace("_", " ").strip()
    return words[:1].upper() + words[1:]


# ---------------------------------------------------------------------------------------------------
# Overview


def gaps(release: Release, pillars: dict[str, str]) -> Cards:
    """Each gap: its title and the design's response (with the pillar it belongs to), no evidence paragraphs."""
    rows = list(release.table("gaps").itertuples())
    cards = tuple(Card(str(g.title), (str(g.response),), pillars.get(str(g.response_pillar), "")) for g in rows[:CARDS])
    return Cards(cards, 3, _more(len(cards), len(rows), t("gaps")))


def hub_users(release: Release) -> Cards:
    """Who uses a hub, and what they do there."""
    rows = list(release.table("hub_users").itertuples())[:5]
    return Cards(tuple(Card(str(u.user), (str(u.what_they_do),)) for u in rows), len(rows), clamp=6, scale=1.15)


def hub_type_cards(release: Release) -> Cards:
    """The hub types: what each is, how many hubs and learner places a year each has."""
    types = release.table("hub_types")
    counts = release.hubs["hub_type"].value_counts()
    cards = []
    for ht in types.itertuples():
        places = int(release.param(str(ht.capacity_param)))
        tag = t("{hubs} hubs · {places} learner places a year each", hubs=i18n.num(int(counts.get(ht.hub_type, 0))), places=i18n.num(places))
        cards.append(Card(str(ht.label), (str(ht.description),), tag))
    return Cards(tuple(cards[:3]), min(len(cards), 3), _more(min(len(cards), 3), len(cards), t("hub types")), clamp=4, scale=1.15)


def design(release: Release, pillars: dict[str, str]) -> Cards | None:
    """The first phase's design elements (None: the release has none)."""
    if "design_elements" not in release.tables:
        return None
    rows = list(release.table("design_elements").itertuples())
    cards = tuple(Card(str(d.title), (str(d.description),), pillars.get(str(d.pillar), "")) for d in rows[:8])
    return Cards(cards, 4, _more(len(cards), len(rows), t("design elements")), clamp=3)


def exit_criteria(release: Release) -> Table:
    """The first phase's exit criteria: what, target, due."""
    ms = release.table("milestones")
    first = release.table("phases")["phase_id"].min()
    exits = ms[ms["exit_criterion"].astype(bool) & (ms["phase_id"] == first)]
    rows = tuple((str(m.title), str(m.target), quarter(m.due_quarter)) for m in exits.itertuples())
    header = (t("Exit criterion before scale-up (illustrative)"), t("Target"), t("Due"))
    return Table(header, rows[:ROWS], _more(min(len(rows), ROWS), len(rows), t("criteria")), wrap=True)


def goals(release: Release) -> Cards | None:
    """The national goals and how each is measured (None: the release has none)."""
    if "goals" not in release.tables:
        return None
    rows = list(release.table("goals").itertuples())
    cards = tuple(Card(str(g.goal), (t("Measured by: {how}", how=g.how_measured),)) for g in rows[:CARDS])
    return Cards(cards, 3, _more(len(cards), len(rows), t("goals")), clamp=3, scale=1.1)


def phases(release: Release) -> Table:
    """The phases: name, scope, planned quarters, hubs."""
    p = release.table("phases").sort_values("phase_id")
    rows = tuple(
        (
            f"{int(r.phase_id)}: {r.name}",
            str(r.scope),
            t("{start} to {end}", start=quarter(r.start_quarter), end=quarter(r.end_quarter)),
            i18n.num(int(r.hub_target)),
        )
        for r in p.itertuples()
    )
    return Table((t("Phase"), t("Scope"), t("Planned"), t("Hubs")), rows[:ROWS], wrap=True, scale=1.1)


def tracks(release: Release) -> Cards:
    """The two tracks in words: when each runs and what partners are on it."""
    frame = release.table("tracks")
    cards = tuple(Card(str(r.name), (str(r.when), t("Partners: {role}.", role=r.partners_role))) for r in frame.itertuples())
    return Cards(cards, 1, clamp=3, scale=1.15, stretch=False)


def influences(release: Release) -> Cards:
    """What informs the design: each influence and how it shapes the design."""
    rows = list(release.table("influences").itertuples())
    cards = tuple(Card(str(i.name), (str(i.how_it_shapes_the_design),)) for i in rows[:12])
    return Cards(cards, 4, _more(len(cards), len(rows), t("influences")), clamp=3)


def status(release: Release) -> tuple[Cards, tuple[str, ...]]:
    """What the concept is and is not yet (two cards), and the lines on what it differs from."""
    s = release.table("statements")
    cards = (
        Card(t("Pak AI CoE is"), items=tuple(str(x) for x in s.loc[s["kind"] == "is", "text"])),
        Card(t("It is not yet"), items=tuple(str(x) for x in s.loc[s["kind"] == "is_not_yet", "text"])),
    )
    distinct = tuple(str(x) for x in s.loc[s["kind"] == "distinct_from", "text"])
    return Cards(cards, 2, scale=1.4, stretch=False), distinct


# ---------------------------------------------------------------------------------------------------
# Compare

KPI_ROWS = (  # figure, label (English; `kpi_label` gives it in the current language), the range's figure, decimals (None: a quarter)
    ("hubs", "Hubs open at the end", "hubs_open", 0),
    ("complete", "Whole network open from", None, None),
    ("certified", "Learners certified", "learners_certified", 0),
    ("cost", "Total cost (PKR billion)", "total_cost", 2),
    ("per_certified", "Cost per certified learner (PKR thousand)", "cost_per_certified_learner", 0),
    ("gap", "Funding gap (PKR million)", None, 0),
)


def kpi_label(key: str) -> str:
    """A key figure's row label in the current language."""
    return {
        "hubs": t("Hubs open at the end"),
        "complete": t("Whole network open from"),
        "certified": t("Learners certified"),
        "cost": t("Total cost (PKR billion)"),
        "per_certified": t("Cost per certified learner (PKR thousand)"),
        "gap": t("Funding gap (PKR million)"),
    }[key]


def kpis_html(labels: tuple[str, ...], figures: list[dict], spreads: list[dict], last_quarter: str) -> str:
    """The options' headline figures side by side (components.rollout_figures.kpis of each option's run), each
    uncertain one with its 5th-95th percentile range (components.rollout_detail.range_texts of each option's ranges)."""
    head = f'<th scope="col">{escape_html(t("Over the horizon, to {quarter}", quarter=quarter(last_quarter)))}</th>'
    head += "".join(f'<th scope="col">{escape_html(label)}</th>' for label in labels)
    rows = []
    for key, _label, spread, decimals in KPI_ROWS:
        cells = []
        for figure, spread_of in zip(figures, spreads, strict=True):
            value = figure[key]
            if value is None:
                shown = t("not within the horizon") if key == "complete" else t("n/a")
            else:
                shown = quarter(value) if decimals is None else i18n.num(float(value), decimals)
            sub = ""
            if spread is not None:
                r = spread_of[spread]
                sub = f'<span class="stage-range">{escape_html(t("range {low} to {high}", low=r.low, high=r.high))}</span>'
            cells.append(f'<td><span class="stage-value">{escape_html(shown)}</span>{sub}</td>')
        rows.append(f'<tr><th scope="row">{escape_html(kpi_label(key))}</th>{"".join(cells)}</tr>')
    return f'<table class="stage-table stage-kpis"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


# ---------------------------------------------------------------------------------------------------
# Hub map


def hub_facts(release: Release, hub_id: str) -> Card:
    """One hub's name, status and key facts (HUB_FACTS), as the map page's detail panel gives them."""
    detail = hub_detail(release, hub_id)
    values = dict(zip(detail.attributes["attribute"], detail.attributes["value"], strict=True))
    shown = (t(label) if t(label) in values else label for label in HUB_FACTS)  # the detail's labels, as the map page writes them
    facts = tuple(f"{label.split(' (')[0]}: {values[label]}" for label in shown if label in values)
    return Card(detail.name, items=facts, tag=t("{status}: a concept, not an agreed site", status=detail.status))


def hub_rows(release: Release, hubs: pd.DataFrame, total: int) -> Table:
    """The view's first hubs: name, city, province, phase, type, host type, learner places, launch."""
    cities = release.table("cities").set_index("city_id")["name"]
    provinces = release.table("provinces").set_index("province_id")["name"]
    phase_names = release.table("phases").set_index("phase_id")["name"]
    types = labels.hub_types(release)
    rows = tuple(
        (
            str(h.name),
            str(cities.get(h.city_id, "")),
            str(provinces.get(h.province_id, "")),
            f"{int(h.phase_id)}: {phase_names.get(h.phase_id, '')}",
            str(types.get(h.hub_type, "")),
            t(HOST_LABELS[str(h.host_type)]) if str(h.host_type) in HOST_LABELS else humanize(h.host_type),
            i18n.num(int(h.learner_capacity_per_year)),
            quarter(h.launch_quarter),
        )
        for h in hubs.head(ROWS).itertuples()
    )
    header = (t("Hub"), t("City or town"), t("Province or territory"), t("Phase"), t("Hub type"), t("Host type"), t("Learner places a year"), t("Launch"))
    shown = len(rows)
    note = (
        t("The first {shown} of {n} hubs in this view; the app's hub table lists every one, with a download.", shown=shown, n=i18n.num(len(hubs)))
        if shown < len(hubs)
        else ""
    )
    if len(hubs) < total:
        note = (note + " " if note else "") + t("Filtered: {n} of the view's {total} hubs.", n=i18n.num(len(hubs)), total=i18n.num(total))
    return Table(header, rows, note)


# ---------------------------------------------------------------------------------------------------
# Partners, methodology, data


def partner_roles(release: Release, track: str, track_label: str) -> Cards:
    """Each partner category: what it brings and its role on the track (tagged backbone or co-implementer in words)."""
    column = {"public": "role_public_track", "private": "role_private_track"}[track]
    cards = []
    in_english = i18n.english_of(release) if getattr(release, "lang", "en") != "en" else {}
    for p in release.table("partners").itertuples(index=False):
        role = str(getattr(p, column))
        english = in_english.get(role, role).lower()  # the kind is read from the English role
        kind = t("Backbone") if "backbone" in english else t("Co-implementer") if "co-implementer" in english else ""
        cards.append(Card(str(p.category), (t("Brings: {what}", what=p.brings), f"{track_label}: {role}"), kind))
    return Cards(tuple(cards[:8]), 4, _more(min(len(cards), 8), len(cards), t("partner categories")), clamp=3)


def risk_cards(table: pd.DataFrame) -> Cards:
    """The most serious risks first (components.proposal_rules.risks_table's order): owner and mitigation."""
    from components.partners_figures import LEVELS, levels  # the levels' words in the current language

    words = {english: levels()[key] for key, english in LEVELS.items()}
    cards = []  # components.partners_figures.risks_table's columns, by place (Likelihood and Impact hold LEVELS' English)
    for risk, likelihood, impact, mitigation, owner, *_ in list(table.itertuples(index=False, name=None))[:CARDS]:
        tag = t(
            "Likelihood {likelihood} · impact {impact}",
            likelihood=words.get(likelihood, str(likelihood)).lower(),
            impact=words.get(impact, str(impact)).lower(),
        )
        cards.append(Card(str(risk), (t("Owner: {owner}", owner=owner), str(mitigation)), tag))
    return Cards(tuple(cards), 3, _more(len(cards), len(table), t("risks, the most serious first,")), clamp=4, scale=1.15)


def steps(sections: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """The model's numbered steps as short titles in the current language, in order (a parenthesis naming files or
    columns left out; the titles as the Methodology page shows them, components.methodology.section_titles)."""
    from components.methodology import section_titles  # the page module (it imports Streamlit; nothing of it is called here)

    shown = section_titles()
    out = []
    for title, _ in sections:
        m = re.match(r"(\d+)\.\s*(.*)", title)
        if m:
            english = re.sub(r"\s*\([^)]*(?:_|\.csv)[^)]*\)", "", m.group(2)).strip()
            words = re.sub(r"^\d+[.۔]\s*", "", shown.get(title, "")) if i18n.current() != i18n.DEFAULT else ""
            out.append(words or english)
    return tuple(out)


def formulas(release: Release, sections: tuple[tuple[str, str], ...]) -> Cards:
    """The model's steps, and where its inputs come from: how many assumptions are sourced facts, how many illustrative."""
    a = release.assumptions
    guessed = illustrative(release)
    inputs = Card(
        t("Where the inputs come from"),
        items=(
            t("{n} assumptions in data release {version}", n=i18n.num(len(a)), version=release.version),
            t("{n} are sourced facts, each with its source", n=i18n.num(int((~guessed).sum()))),
            t("{n} are illustrative assumptions, each with a low and a high bound", n=i18n.num(int(guessed.sum()))),
            t("The ranges on Compare draw the illustrative ones within their bounds"),
        ),
    )
    return Cards((Card(t("The model, step by step"), items=steps(sections), ordered=True), inputs), 2, scale=1.5, stretch=False)


def rules(release: Release, applied: tuple[str, ...]) -> Table:
    """The release's rules of the dual track: the rule, whether the model applies it, who decides."""
    bodies = release.table("governance").set_index("body_id")["name"]
    table = release.table("rules")
    rows = tuple(
        (str(r.title), t("Applied by the model") if r.topic in applied else t("Stated, not modelled"), str(bodies.get(r.decided_by, humanize(r.decided_by))))
        for r in table.itertuples(index=False)
    )
    return Table((t("Rule"), t("In the model"), t("Decided by")), rows[:ROWS], _more(min(len(rows), ROWS), len(rows), t("rules")), wrap=True, scale=1.2)


def notes(lines: tuple[str, ...], titles: dict[str, str]) -> Cards:
    """The notes on the data and the model: each note's lead in bold as the title, its first sentence as the text. A
    milestone's code in a lead is replaced by the milestone's title (`titles`: code -> title)."""
    cards = []
    for note in lines:
        m = re.match(r"\*\*(.+?)\*\*\s*(.*)", note)
        lead, rest = (plain(m.group(1)).rstrip(".:"), plain(m.group(2))) if m else (plain(note), "")
        for code, title in titles.items():
            pattern = rf"\s*(?<![\w-]){re.escape(code)}(?![\w-])"
            if re.search(pattern, lead):
                lead = re.sub(pattern, "", lead).strip() + f": {title}"
                rest = rest.removeprefix(f"({title})").strip()
        first = re.split(r"(?<=\.)\s", rest, maxsplit=1)[0] if rest else ""
        cards.append(Card(lead, (first,) if first else ()))
    return Cards(tuple(cards[:CARDS]), 3, _more(min(len(cards), CARDS), len(cards), t("notes")), clamp=3)


def milestone_titles(release: Release) -> dict[str, str]:
    """Milestone code -> title."""
    ms = release.table("milestones")
    return dict(zip(ms["milestone_id"].astype(str), ms["title"].astype(str), strict=True))


def data_rows(release: Release, name: str, width_rem: float = 76.0) -> Table:
    """A table's first rows and the columns that fit the stage's width (about half a rem a character), header as words
    (the release's display texts, pakcoe.display: labels in the current language)."""
    words = texts(release)
    frame = release.table(name)
    title = i18n.data_text(release, str(release.resource(name).get("title", humanize(name))))
    columns, widths = [], []
    for column in frame.columns:
        widest = max((len(str(v)) for v in frame[column].head(ROWS) if not pd.isna(v)), default=0)
        width = min(max(len(words.column(column, name)), widest), 28) * 0.5 + 1.2
        if sum(widths) + width > width_rem and columns:
            break
        columns.append(column)
        widths.append(width)
    rows = tuple(tuple("" if pd.isna(v) else str(v) for v in row) for row in frame[columns].head(ROWS).itertuples(index=False))
    left = len(frame.columns) - len(columns)
    values = {"title": title, "rows": i18n.num(len(frame)), "columns": len(frame.columns), "shown": len(rows), "kept": len(columns)}
    if left:
        note = t("{title}: {rows} rows and {columns} columns; the first {shown} rows and {kept} columns are shown.", **values)
    else:
        note = t("{title}: {rows} rows and {columns} columns; the first {shown} rows are shown.", **values)
    return Table(tuple(words.column(c, name) for c in columns), rows, note, widths=tuple(widths))
