"""The stage of the Present page (components/stage.py), run through the real app (app.py, pages/present.py).

Every stop of every release with a deck draws without an error and shows no raw name. So does every page's default
view and every section, and a few other states (a hub, the custom option, another currency, every table): each is a
stop of a deck written for the test, on a copy of the newest release with a deck and on a copy of the oldest published
release (which lacks most of the tables newer sections draw on, so the stage falls back to each page's first view).
A raw name is an id, a column name or a file name of the release, or a URL parameter's name. Every chart on the stage
is styled for a projector: no mode bar, no dragging, ticks and legend of 18 px or more.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from apphelp import ROOT, open_first
from releasekit import DraftRelease, copy_release, newest_folder
from streamlit.testing.v1 import AppTest

from pakcoe import Release, load_release, registry
from pakcoe.deck import load_deck
from pakcoe.i18n import tl
from pakcoe.release import list_releases, read_published
from pakcoe.semver import semver_key

REAL = ROOT / "data" / "releases"
DECKED = [p for p in list_releases(REAL) if (p / "deck.csv").exists()]  # every release with a deck
NEWEST_DECKED = newest_folder()
OLDEST = REAL / min(read_published(REAL), key=semver_key)
CODE_COLUMNS = ("hub_type", "host_type", "focus_areas", "selection", "capacity_param", "capex_param", "opex_param", "metric_id", "topic", "place_ref")
CODE = re.compile(r"[_\-\d]|^[A-Z]{2,}$")  # an id is a code: it has an underscore, a hyphen or a digit, or is an all-capitals abbreviation
MIN_PX = 18


def views(release: Release) -> list[tuple[str, str]]:
    """(page, query) of every page's default view and every section, and a few other states of the pages."""
    out: list[tuple[str, str]] = []
    for page in registry.PAGES:
        if page.projector:
            continue
        out.append((page.id, ""))
        name = registry.SECTION_PARAM.get(page.id)
        for sid in list(registry.SECTIONS.get(page.id, {}))[1:]:
            out.append((page.id, f"{name}={sid}"))
    options = list(registry.allowed_values(release, registry.page("compare").param("options")))
    hubs = registry.allowed_values(release, registry.page("compare").param("c_hubs"))
    tables = registry.allowed_values(release, registry.page("data").param("table"))
    out += [
        ("map", f"view={registry.NATIONAL}&hub={release.hubs['hub_id'].iloc[-1]}"),
        ("map", "section=hubs&view=national"),
        ("compare", f"options={options[0]}&options=custom&c_hubs={int(hubs.low)}"),
        ("funding", "fund_phase=1&fund_currency=USD&fund_section=tracks"),
        ("partners", "raci_track=private&p_section=governance"),
        *(("data", f"table={t}") for t in tables),
    ]
    return out


def with_views_deck(copy: DraftRelease, descriptor_of_deck: dict) -> None:
    """Give a release copy a deck with one stop per view (adding the deck table to its descriptor if it has none)."""
    release = load_release(copy.path)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    d = copy.descriptor()
    entry = next((r for r in d["resources"] if r["name"] == "deck"), descriptor_of_deck)
    header = [f["name"] for f in entry["schema"]["fields"]]  # the deck's schema: English texts, and Urdu from 1.7.0
    w.writerow(header)
    for i, (page, query) in enumerate(views(release), start=1):
        texts = {
            "title_en": f"View {i}",
            "caption_en": f"{registry.page(page).title}, {query or 'default'}",
            "note_en": "A note.",
            "title_ur": f"منظر {i}",
            "caption_ur": f"صفحہ {tl(registry.page(page).title, 'ur')} کا ایک منظر، ترتیب نمبر {i}",  # mostly Arabic script, as the validator asks
            "note_ur": "ایک نوٹ۔",
        }
        w.writerow([{"stop": i, "page": page, "params": query, **texts}.get(name, "") for name in header])
    if not any(r["name"] == "deck" for r in d["resources"]):
        d["resources"].append(descriptor_of_deck)
        copy.write_descriptor(d)
    copy.write_bytes("deck.csv", out.getvalue().encode("utf-8"))


@pytest.fixture(scope="module")
def views_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A releases folder: the oldest published release as it is (the default), and two drafts with a deck of every view:
    9.0.0, a copy of the newest release with a deck, and 9.1.0, a copy of the oldest published release."""
    root = tmp_path_factory.mktemp("stage") / "releases"
    root.mkdir()
    copy_release(root, OLDEST.name, OLDEST)
    deck_entry = next(r for r in json.loads((NEWEST_DECKED / "datapackage.json").read_text())["resources"] if r["name"] == "deck")
    for version, source in (("9.0.0", NEWEST_DECKED), ("9.1.0", OLDEST)):
        with_views_deck(copy_release(root, version, source, draft=True), deck_entry)
    return root


def raw_names(release: Release, ids: bool = True) -> set[str]:
    """What must never be on screen: the release's column names and file names, the pages' parameter names, and (ids)
    the codes in its id columns, except a code the release's own prose uses (a goal measured by "milestone M14")."""
    names = {str(r["path"]) for r in release.descriptor["resources"]}
    names |= {p.name for page in registry.PAGES for p in page.all_params if "_" in p.name}
    prose = []
    for table in release.tables:
        frame = release.table(table)
        names |= {str(c) for c in frame.columns if "_" in str(c)}
        prose += [v for c in frame.columns for v in frame[c].dropna().astype(str) if " " in v]
        if ids:
            for column in frame.columns:
                if str(column).endswith("_id") or column in CODE_COLUMNS:
                    for value in frame[column].dropna().astype(str):
                        names |= {v for v in value.split(";") if CODE.search(v) and not v.isdigit()}
    words = set(re.findall(r"[\w-]+", " ".join(prose)))
    return {n for n in names if not (CODE.search(n) and n in words and "_" not in n)}


def plotly_texts(spec: dict) -> list[str]:
    """The texts a Plotly spec shows: series names, data labels, category labels (or the labels that replace them),
    axis titles, annotations, Sankey node labels."""
    layout, out = spec.get("layout", {}), []

    def title(x) -> str:
        return str(x.get("text", "")) if isinstance(x, dict) else str(x or "")

    relabelled = {k[0] for k, v in layout.items() if re.match(r"^[xy]axis\d*$", k) and isinstance(v, dict) and v.get("ticktext")}
    for key, axis in layout.items():
        if re.match(r"^[xy]axis\d*$", key) and isinstance(axis, dict):
            out += [title(axis.get("title")), *map(str, axis.get("ticktext", []))]
    out += [str(a.get("text", "")) for a in layout.get("annotations", [])]
    for trace in spec.get("data", []):
        out.append(str(trace.get("name", "")))
        for key in ("text", "x", "y"):
            values = trace.get(key)
            if key in relabelled or not isinstance(values, list):
                continue
            out += [v for v in values if isinstance(v, str)] + [w for row in values if isinstance(row, list) for w in row if isinstance(w, str)]
        out += [str(x) for x in trace.get("node", {}).get("label", [])]
    return out


def shown_texts(at: AppTest) -> tuple[list[str], list[dict]]:
    """Everything the run shows as text (markdown, HTML other than style sheets, charts' texts, graphs), and the
    Plotly charts' specs with their config."""
    texts = [str(e.value) for kind in ("markdown", "title", "caption", "warning", "info") for e in getattr(at, kind)]
    texts += [e.proto.body for e in at.get("html") if not e.proto.body.lstrip().startswith("<style")]
    texts += [e.proto.spec for e in at.get("graphviz_chart")]
    charts = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        charts.append({"spec": spec, "config": json.loads(chart.proto.config)})
        texts += plotly_texts(spec)
    return texts, charts


def chart_problems(charts: list[dict]) -> list[str]:
    """What keeps a stage chart from being a projector's: a mode bar, dragging, ticks or legend under 18 px."""
    problems = []
    for c in charts:
        layout, config = c["spec"]["layout"], c["config"]
        if config.get("displayModeBar") is not False or config.get("scrollZoom") is not False:
            problems.append(f"config {config}")
        if layout.get("dragmode") is not False:
            problems.append(f"dragmode {layout.get('dragmode')!r}")
        sizes = [axis.get("tickfont", {}).get("size", 0) for k, axis in layout.items() if re.match(r"^[xy]axis\d*$", k)]
        sizes.append(layout.get("legend", {}).get("font", {}).get("size", 0))
        if min(sizes) < MIN_PX:
            problems.append(f"fonts {sizes}")
    return problems


def stage_drew(at: AppTest) -> bool:
    """The stage drew something of its own: a block of its HTML, a chart, the map or a graph."""
    html = [e.proto.body for e in at.get("html") if 'class="stage-' in e.proto.body]
    return bool(html or at.get("plotly_chart") or at.get("graphviz_chart") or at.get("component_instance"))


def step_through(version: str, count: int, names: set[str], data_names: set[str], pages: list[str]) -> list[str]:
    """Show stops 1..count of `version`'s deck in one session; every problem found, named by its stop."""
    at = open_first("present", {"release": version, "stop": "1"})
    problems = []
    for number in range(1, count + 1):
        if number > 1:
            at.session_state["stop"] = number
            at.run()
        where = f"stop {number} ({pages[number - 1]})"
        if at.exception or at.error:
            problems.append(f"{where}: {[e.value for e in at.exception]} {[e.value for e in at.error]}")
            continue
        if not stage_drew(at):
            problems.append(f"{where}: the stage drew nothing")
        texts, charts = shown_texts(at)
        banned = names
        if pages[number - 1].startswith("data"):  # a table's cells are its data: only its header is the stage's
            banned, texts = data_names, [re.sub(r"<td>.*?</td>", "", t) for t in texts]
        text = "\n".join(texts)
        found = sorted(n for n in banned if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text))
        if found:
            problems.append(f"{where}: raw names on screen: {found[:8]}")
        problems += [f"{where}: chart {p}" for p in chart_problems(charts)]
    return problems


@pytest.mark.parametrize("folder", DECKED, ids=lambda p: p.name)
def test_every_stop_of_a_release_deck_draws_without_raw_names(folder: Path, real_releases):
    release = load_release(folder)
    deck = load_deck(release)
    assert deck is not None and deck.stops
    pages = [s.page for s in deck.stops]
    assert [s.number for s in deck.stops] == list(range(1, len(deck.stops) + 1))
    problems = step_through(release.version, len(deck.stops), raw_names(release), raw_names(release, ids=False), pages)
    assert problems == []


@pytest.mark.parametrize("version", ["9.0.0", "9.1.0"], ids=["newest-with-a-deck", "oldest-published"])
def test_every_view_and_section_draws_without_raw_names(version: str, views_root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PAKCOE_RELEASES", str(views_root))
    release = load_release(views_root / version)
    deck = load_deck(release)
    written = (views_root / version / "deck.csv").read_text(encoding="utf-8").count("\n") - 1
    assert deck is not None and not deck.dropped and len(deck.stops) == written
    pages = [f"{s.page} {s.query}" for s in deck.stops]
    problems = step_through(version, len(deck.stops), raw_names(release), raw_names(release, ids=False), pages)
    assert problems == []


def test_a_published_deck_with_a_stop_the_app_no_longer_offers_drops_it_with_a_visible_warning(releases):
    """A published release is never edited: when the app no longer offers a stop's page state, the stop is left out of
    the presentation with a warning naming it and why, and the deck's other stops keep their numbers."""
    copy = copy_release(releases, "9.0.0", NEWEST_DECKED, draft=True)
    rows = copy.rows("deck.csv")
    header = list(rows[0])
    stale = dict(rows[1], params="zoom=3")  # as if the map page had a 'zoom' setting when the release was published
    copy.write_rows("deck.csv", [rows[0], stale, *rows[2:]], header=header)
    copy.publish()
    at = open_first("present", {"release": "9.0.0", "stop": rows[2]["stop"]})
    assert not at.exception and not at.error
    warning = [w.value for w in at.warning if "left out" in w.value]
    page = registry.page(stale["page"]).title
    expected = f"stop {stale['stop']} ({stale['title_en']}): the {page} page no longer has a setting or a value this stop uses"
    assert len(warning) == 1 and expected in warning[0].replace("\\", ""), warning
    assert "zoom" not in warning[0] and f"({stale['page']})" not in warning[0]  # no setting names or page ids on screen
    progress = [m.value for m in at.markdown if re.fullmatch(r"\d+ / \d+", m.value)]
    assert progress == [f"2 / {len(rows) - 1}"]  # stop 3 is now the second of the stops shown
    assert at.query_params["stop"] == rows[2]["stop"]


# ---------------------------------------------------------------------------------------------------
# Urdu (?lang=ur): every stop of the newest deck reads in Urdu, stage included


def stage_leaks(at: AppTest, allow: set[str]) -> list[str]:
    """The stage's HTML texts (cards, tables, points, statements: what english_leaks does not read) that read as English:
    each element's text once the data texts allowed as written are set aside."""
    from pakcoe.i18n import arabic_share

    leaks = []
    for body in (e.proto.body for e in at.get("html") if 'class="stage-' in e.proto.body):
        for piece in re.findall(r">([^<>]+)<", body):
            text = html.unescape(piece).strip()
            rest = text
            for a in sorted(allow, key=len, reverse=True):
                if a and a in rest:
                    rest = rest.replace(a, " ")
            if text and arabic_share(rest) < 0.5:
                leaks.append(text)
    return leaks


def test_every_stop_of_the_newest_deck_reads_in_urdu():
    """With ?lang=ur every stop draws without an error, its head, status line, control bar, notes and stage in Urdu (names
    and acronyms kept as written, citations as their source wrote them), the progress "n / N" written left to right."""
    from urdu import cited_texts, english_leaks

    from pakcoe import i18n

    release = load_release(NEWEST_DECKED)
    with i18n.using("ur"):
        deck = load_deck(i18n.localize(release, "ur"))  # as the page loads it: the release's names in Urdu too
    assert deck is not None and "ur" in deck.languages
    allow = cited_texts(release) | {"Pak AI CoE"}
    at = open_first("present", {"release": release.version, "stop": "1", "notes": "1", "lang": "ur"})
    problems = []
    for i, stop in enumerate(deck.stops, start=1):
        if i > 1:
            at.session_state["stop"] = stop.number
            at.run()
        where = f"stop {stop.number} ({stop.page} {stop.query})"
        if at.exception or at.error:
            problems.append(f"{where}: {[e.value for e in at.exception]} {[e.value for e in at.error]}")
            continue
        assert at.title[0].value == stop.text("title", "ur"), where
        progress = f"\u2066{i} / {len(deck.stops)}\u2069"
        assert any(m.value == progress for m in at.markdown), f"{where}: no left-to-right progress {progress!r}"
        status = next(m.value for m in at.markdown if "تصوراتی تجویز، منظور شدہ نہیں" in m.value)
        assert "ڈیٹا ریلیز" in status and "Data release" not in status, status
        leaks = english_leaks(at, allow=allow) + stage_leaks(at, allow)
        problems += [f"{where}: reads as English: {text[:90]!r}" for text in leaks]
    assert problems == [], "\n".join(problems)


def test_the_urdu_deck_falls_back_to_the_translation_tables_then_english():
    """A release without Urdu deck columns (before 1.7.0) reads each stop's Urdu from the translations (the app's
    fallback tables), English where there is none; placeholders are filled in Urdu figures (Urdu quarters and amounts)."""
    from pakcoe import i18n
    from pakcoe.deck import placeholder_values

    folder = max((p for p in DECKED if "title_ur" not in (p / "deck.csv").read_text(encoding="utf-8").splitlines()[0]), key=lambda p: semver_key(p.name))
    old = load_release(folder)
    english = {s.number: s for s in load_deck(old).stops}
    with i18n.using("ur"):
        urdu = i18n.localize(old, "ur")
        deck = load_deck(urdu)
        values = placeholder_values(urdu)
    assert deck is not None and [s.number for s in deck.stops] == list(english)
    for stop in deck.stops:
        for kind in ("title", "caption", "note"):
            text, template = stop.text(kind, "ur"), deck_template(folder, stop.number, kind)
            assert text and "{" not in text, (stop.number, kind, text)  # every placeholder filled
            if i18n.data_text(old, template, "ur") != template:  # the tables translate it: Urdu
                assert i18n.arabic_share(text) >= 0.5, text
            else:  # no Urdu in the tables: the English text
                assert text == english[stop.number].text(kind, "en"), text
    assert values["plan_start"].endswith("سہ ماہی") and "ارب روپے" in values["capex_range"]


def deck_template(folder: Path, number: int, kind: str) -> str:
    """A stop's English text as deck.csv writes it (placeholders unfilled)."""
    with (folder / "deck.csv").open(encoding="utf-8") as f:
        return next(r[f"{kind}_en"] for r in csv.DictReader(f) if int(r["stop"]) == number)
