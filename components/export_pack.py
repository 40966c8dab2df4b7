"""The one-file offline briefing pack of one rollout option (pure: no Streamlit calls; the app's button and the command
line call `pack_html`).

One HTML file that opens from disk with no network: a cover (option, release, export date, status, how to cite), the
release's deck stop by stop for that option, key tables, the sources, the disclaimers and the provenance footer
(pakcoe.provenance). Each stop shows what the Present page's stage shows (components.stage_content's blocks, from the
pages' own pure builders), with the pack's option put into the stop's page state: the Phases and Funding stops show
that option, the Compare stop that option first (its baseline) against the deck's others.

Charts are interactive Plotly divs (the pages' figures as their builders made them) sharing one inlined plotly.js: the
plotly package's full bundle, since no published partial bundle of plotly.js both holds Sankey and is smaller (the
cartesian and basic bundles lack it; the strict bundle holds it and is larger). Each chart has its data table (the
table the app's page gives under it) as its text alternative, or a sentence. Maps are the app's Folium map without
tiles, each in a frame built from one inlined copy of Leaflet and its plugins (static/vendor, from `make assets`),
their stylesheets' images as data: URIs. Every text from the data is escaped; nothing in the file is fetched.

The pack is in the current language (pakcoe.i18n; the command line's --lang). In Urdu it is `<html lang="ur"
dir="rtl">` with Noto Nastaliq Urdu inlined (the Arabic-script files of @fontsource/noto-nastaliq-urdu, weights 400
and 700, about 0.43 MB as base64, with their unicode-range: Latin letters and digits keep the sans font), so it reads
the same offline from disk; charts stay left to right and are drawn in that font.
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from components import mapassets, stage_map
from components import stage_views as sv
from components.chart import PLOT_CONFIG, for_reading
from components.escape import cell_text, escape_html
from components.funding_figures import FundingView, provenance_rows
from components.hubmap import MapSpec, build_map, js_json
from components.map_data import view_hubs
from components.partners_figures import risks_shown
from components.rollout_figures import model_note, option_names
from components.stage_content import Block, Builders, Chart, Graph, Html, Map, Source, blocks, with_option
from pakcoe import Release, i18n, labels, registry
from pakcoe.deck import Deck, Stop, has_deck, load_deck
from pakcoe.i18n import t
from pakcoe.model import scenario_from_option
from pakcoe.provenance import STATUS as STATUS_EN
from pakcoe.provenance import Provenance, boundary_text, provenance, status_text
from pakcoe.release import read_published

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"  # filled by `make assets`
STYLE = Path(__file__).parent / "styles" / "pack.css"
MIME = {".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif", ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf"}
CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
CLOSE_SCRIPT = re.compile(r"</script", re.I)
SOURCE_WIDTHS = (24, 15, 9, 20, 32)  # the sources table's columns, % of its width
Progress = Callable[[float, str], None]
TIMELINE_PX, ROW_PX = 160, 48  # a timeline's height: its axes and legend, and each row it shows

# The page parameter that holds a page's rollout option (Compare: `options` and `baseline`, see with_option).

# A chart's data table (as the app's page gives it under the chart) and source line, by the stage's chart key:
# (the builder whose result holds it, how to take it from that result). The source lines: `chart_source`.
CHARTS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "coverage": ("coverage", lambda d: d.coverage),
    "phases-gantt": ("phases", lambda d: d.gantt_table),
    "compare-hubs": ("compare", lambda d: d.tables["hubs"]),
    "compare-provinces": ("compare", lambda d: d.tables["provinces"]),
    "compare-sensitivity": ("sensitivity", lambda d: d.table),
    "funding-sankey": ("funding_sankey", lambda d: d.links),
    "funding-mix": ("funding_mix", lambda d: d.table),
    "funding-gap": ("funding_gap", lambda d: d.table),
    "raci": ("raci_figure", lambda d: d.table),
    "programmes": ("programmes_figure", lambda d: d.table),
}
FUNDING_SOURCE = "Rollout model (version 2, this app) on the release's assumptions and funding rules (illustrative assumptions)"
MAP_SOURCE = "hub locations from the release's hub list (indicative); outline: Natural Earth via world-atlas"
FONT_CSS = "map-font.css"  # the Urdu faces, under static/vendor/noto-nastaliq-urdu (written by make assets from the npm package)


def chart_source(key: str) -> str:
    """The source line of a chart of the pack, by the stage's chart key, in the current language."""
    model = model_note()
    funding = t("Rollout model (version 2, this app) on the release's assumptions and funding rules (illustrative assumptions)")
    sources = {
        "coverage": t("The release's city census populations and hub locations; great-circle distance"),
        "phases-gantt": t("The release's phases and milestones (proposal design, illustrative); option bars and gates: {model}", model=model),
        "compare-hubs": model,
        "compare-provinces": t("{model}; provinces of the release's hub list", model=model),
        "compare-sensitivity": t("The rollout model's ranges (this app): the assumptions drawn within their low and high bounds (illustrative assumptions)"),
        "funding-sankey": funding,
        "funding-mix": funding,
        "funding-gap": t("Rollout model (version 2, this app): each funding source's yearly capacity against the plan's spending"),
        "raci": t("The release's roles, activities and partners (proposal design, proposed roles)"),
        "programmes": t("The release's programmes and programme offers (proposal design)"),
    }
    return sources.get(key) or sources.get(key.split("-")[0]) or model


def map_source() -> str:
    """The source line of the pack's maps, in the current language."""
    return t("hub locations from the release's hub list (indicative); outline: Natural Earth via world-atlas")


def font_css() -> str:
    """The Urdu font's Arabic-script faces (weights and unicode ranges as the npm package gives them) with their files
    inlined (PackError when they are missing: `make assets`); '' in English. Latin letters and digits keep the sans font."""
    if not i18n.is_rtl():
        return ""
    sheet = VENDOR / "noto-nastaliq-urdu" / FONT_CSS
    if not sheet.is_file():
        raise PackError(f"the Urdu font static/vendor/noto-nastaliq-urdu/{FONT_CSS} is missing on this server: `make assets` installs it")
    faces = []
    for face in re.findall(r"@font-face\s*\{[^}]*\}", sheet.read_text(encoding="utf-8")):
        name = re.search(r"url\(([^)]+)\)", face).group(1).strip("'\"")
        if "-arabic-" not in name:
            continue
        path = sheet.parent / name
        if not path.is_file():
            raise PackError(f"the Urdu font static/vendor/noto-nastaliq-urdu/{name} is missing on this server: `make assets` installs it")
        faces.append(re.sub(r"url\([^)]+\)", f"url({data_uri(path)})", face, count=1).replace("font-display:swap", "font-display:block"))
    return "\n".join(faces)


# Urdu: Nastaliq for the pack's text (Latin letters and digits keep the sans font: the faces' unicode-range), its taller
# lines, the page right to left; charts, maps and the plotly.js they draw stay left to right.
URDU_CSS = """
html[lang="ur"] body, html[lang="ur"] :is(h1, h2, h3, p, li, dt, dd, th, td, caption, summary, figcaption, a, .stage-card, .stage-table) {
  font-family: 'Noto Nastaliq Urdu', 'Source Sans Pro', 'Segoe UI', Arial, sans-serif; }
html[lang="ur"] body { line-height: 2; }
html[lang="ur"] :is(h1, h2, h3) { line-height: 1.8; }
html[lang="ur"] :is(p, li, dd, td, th, caption, summary, figcaption) { line-height: 2; }
html[lang="ur"] :is(.js-plotly-plot, .plotly, .pack-map iframe) { direction: ltr; }
"""

# Builds each map's frame from the shared Leaflet copy: the frame's document is written once, so Leaflet, its plugins
# and their stylesheets are in the file once however many maps it holds. Map texts are escaped where the map is built
# (components.hubmap); the JSON holding them has no '<' (hubmap.js_json), so it cannot end its script element.
MAP_LOADER = """<script>
(function () {
  var assets = JSON.parse(document.getElementById("pack-map-assets").textContent);
  var font = document.getElementById("pack-font");  // Urdu: the page's Nastaliq faces, shared with every map's frame
  var shared = (font ? "<style>" + font.textContent + "</style>" : "") + "<style>" + assets.css + "</style><script>" + assets.js + "<\\/script>";
  document.querySelectorAll("iframe[data-map]").forEach(function (frame) {
    var page = JSON.parse(document.getElementById(frame.dataset.map).textContent);
    frame.srcdoc = page[0] + shared + page[1];
  });
})();
</script>"""
SCRIPT_TAG = r'<script src="{}"></script>'  # how folium's page loads a script and a stylesheet (the refs regex-escaped)
LINK_TAG = r'<link rel="stylesheet" href="{}"\s*/?>'
# Printing opens every folded data table, so the printed pack holds them.
PRINT_OPEN = """<script>
window.addEventListener("beforeprint", function () { document.querySelectorAll("details").forEach(function (d) { d.open = true; }); });
</script>"""
# Without tiles no layer gives the map its highest zoom, which the national view's marker clusters need: the zoom of
# the app's tile layer (components.hubmap), set as every map's default through Leaflet's public options API.
MAX_ZOOM = "L.Map.mergeOptions({maxZoom: 19});"


class PackError(RuntimeError):
    """The pack cannot be built here (no deck, an unknown option, or the map's files missing: `make assets`)."""


# ---------------------------------------------------------------------------------------------------
# Inlined assets


def plotly_js() -> str:
    """The plotly.js bundle the plotly package ships (its full bundle: every trace type, Sankey included)."""
    return get_plotlyjs()


def vendor_path(url: str) -> Path:
    """The file under static/vendor/ a locally served map URL names (PackError when it is not there: `make assets`)."""
    prefix = mapassets.VENDOR_URL + "/"
    if not url.startswith(prefix):
        raise PackError(f"the map loads {url}, which is not one of the local copies under static/vendor/")
    path = VENDOR / PurePosixPath(url[len(prefix) :])
    if not path.is_file():
        raise PackError(f"the map's file static/vendor/{url[len(prefix) :]} is missing on this server: `make assets` installs it")
    return path


def data_uri(path: Path) -> str:
    """A file as a data: URI (its type from its suffix)."""
    mime = MIME.get(path.suffix.lower())
    if mime is None:
        raise PackError(f"no data: type for {path.name}")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def inline_css(path: Path) -> str:
    """A stylesheet with every url() it names as a data: URI (a fragment-only url(#...) is never fetched: kept)."""

    def one(m: re.Match) -> str:
        ref = m.group(2).strip()
        if ref.startswith(("data:", "#")):
            return m.group(0)
        if ref.lower().startswith(("http:", "https:", "//")):
            raise PackError(f"{path.name} loads {ref} from elsewhere")
        return f'url("{data_uri((path.parent / ref.split("?")[0].split("#")[0]).resolve())}")'

    return CSS_URL.sub(one, path.read_text(encoding="utf-8"))


def script_text(text: str, what: str) -> str:
    """Script text that can sit inside a <script> element (it must not hold '</script')."""
    if CLOSE_SCRIPT.search(text):
        raise PackError(f"{what} holds '</script' and cannot be inlined")
    return text


def unavailable(release: Release) -> str | None:
    """Why the pack of this release cannot be built on this server, in words (None: it can)."""
    if not has_deck(release):
        return f"Data release {release.version} has no presentation deck, which the briefing pack follows."
    missing = [f for f in (*mapassets.vendor_files(), PurePosixPath(mapassets.BUNDLE)) if not (VENDOR / f).is_file()]
    if missing:
        return "The map's script files are not installed on this server (`make assets` installs them)."
    return None


# ---------------------------------------------------------------------------------------------------
# HTML pieces (every text escaped here or by the builders)


def esc(text: object) -> str:
    return escape_html(text)


def frame_table(frame: Any, caption: str = "") -> str:
    """Every row of a builder's table (a DataFrame or an Arrow table) as an escaped HTML table."""
    frame = frame.to_pandas() if hasattr(frame, "to_pandas") else frame
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(cell_text(v))}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False))
    return f'<div class="pack-wide"><table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def running_head(version: str, draft: bool) -> str:
    """The @page rule that prints the concept's status and the data release in the margins of every printed page."""
    release = t("Data release {version} (draft, not published)", version=version) if draft else t("Data release {version}", version=version)
    page, rest = t("Page {n} of {total}").split("{n}", 1)  # the counters go where the template's values are
    of, after = rest.split("{total}", 1)
    return (
        f'@page {{ @top-left {{ content: "{stage_map.css_string("Pak AI CoE · " + t("Concept proposal, not approved"))}"; }} '
        f'@top-right {{ content: "{stage_map.css_string(release)}"; }}'
        f' @bottom-right {{ content: "{stage_map.css_string(page)}" counter(page) "{stage_map.css_string(of)}" counter(pages) "{stage_map.css_string(after)}"; }} }}'
    )


def alt_text(table: Any, sentence: str) -> str:
    """A chart's text alternative: its data table, folded (the sentence when it has none)."""
    if table is None or not len(table):
        return f'<p class="pack-more">{esc(sentence)}</p>'
    return f"<details><summary>{esc(t('Data table (text alternative)'))}</summary>{frame_table(table)}</details>"


def fitted(fig: go.Figure) -> go.Figure:
    """A timeline whose rows the stage left out (the phases without their milestones) at a height for the rows it keeps;
    any other figure as it is. The page's builder sized it for every row; on the stage it stretches to the screen."""
    rows = fig.layout.yaxis.categoryarray
    timeline = any(t.type == "bar" and t.orientation == "h" for t in fig.data)
    height = TIMELINE_PX + ROW_PX * len(rows or ())
    if not timeline or not rows or fig.layout.height is None or height >= fig.layout.height:
        return fig
    out = go.Figure(fig)
    out.update_layout(height=height)
    return out


class Recorder:
    """The builders a stop's view draws on (stage_content.Source), keeping each one's last result by name, so the pack
    can give a chart the data table its builder made with it."""

    def __init__(self, src: Source) -> None:
        self._src = src
        self.last: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        build = getattr(self._src, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            self.last[name] = result = build(*args, **kwargs)
            return result

        return call


@dataclasses.dataclass
class Pack:
    """The pack being written: its release, option and date, and what its stops collect (chart ids, map frames)."""

    release: Release
    option: str
    on: date
    charts: itertools.count = dataclasses.field(default_factory=lambda: itertools.count(1))
    maps: list[tuple[str, str, str]] = dataclasses.field(default_factory=list)  # (frame id, its page before and after the shared files)
    css_links: dict[str, None] = dataclasses.field(default_factory=dict)  # every map's stylesheets and scripts (local
    js_links: dict[str, None] = dataclasses.field(default_factory=dict)  # URLs), in first-seen order: loaded by every frame

    @property
    def name(self) -> str:
        return option_names(self.release)[self.option]

    def chart(self, block: Chart, built: dict[str, Any]) -> str:
        """A chart as an interactive Plotly div under its point, with its source and its data table (or a sentence)."""
        if block.figure is None or block.empty:
            return f'<p class="pack-statement">{esc(block.empty or block.point)}</p>'
        builder, take = CHARTS.get(block.key) or CHARTS.get(block.key.split("-")[0]) or ("", lambda d: None)
        table = take(built[builder]) if builder in built else None
        div_id = f"pack-chart-{next(self.charts)}"
        plot = pio.to_html(for_reading(fitted(block.figure)), include_plotlyjs=False, full_html=False, div_id=div_id, config=PLOT_CONFIG, validate=False)
        caption = t("Data release {version} · Source: {source}", version=self.release.version, source=chart_source(block.key))
        return (
            f'<figure class="pack-chart" aria-labelledby="{div_id}-point"><p class="pack-point" id="{div_id}-point">{esc(block.point)}</p>{plot}'
            f'<figcaption class="pack-source">{esc(caption)}</figcaption>'
            f"{alt_text(table, block.alt or block.point)}</figure>"
        )

    def map(self, block: Map) -> str:
        """A map frame of the view (no tiles; its hub ringed), with the boundary disclaimer, its source and the attributions."""
        hubs = view_hubs(self.release, block.view, block.hub_filter)
        page = build_map(MapSpec(block.view, hubs, self.release, tiles=False)).get_root().render()
        ring = f'<style>.hub-icon[aria-label^="{stage_map.css_string(block.ring + ", ")}"]{{{stage_map.RING}}}</style>' if block.ring else ""
        before, after = self.map_document(page.replace("</head>", ring + "</head>", 1))
        frame_id = f"pack-map-{len(self.maps) + 1}"
        self.maps.append((frame_id, before, after))
        lines = provenance(self.release, map_source(), self.on).map_lines()
        note = "<br>".join(esc(line) for line in (lines[0], lines[3], lines[-1]))  # boundary, source, attributions
        if block.view == registry.NATIONAL:
            title = t("Map of the national network, {hub} ringed", hub=block.ring) if block.ring else t("Map of the national network")
        else:
            city = labels.city_name(self.release, block.view)
            title = t("Map of the {city} cluster, {hub} ringed", city=city, hub=block.ring) if block.ring else t("Map of the {city} cluster", city=city)
        drawn = (
            f'<figure class="pack-map"><iframe id="{frame_id}" data-map="{frame_id}-doc" title="{esc(title)}" data-hubs="{len(hubs)}"></iframe>'
            f'<figcaption class="pack-map-note">{note}</figcaption></figure>'
        )
        return f'<div class="pack-row"><div>{drawn}</div><div>{block.side}</div></div>' if block.side else drawn

    def block(self, block: Block, built: dict[str, Any]) -> str:
        if isinstance(block, Chart):
            return self.chart(block, built)
        if isinstance(block, Map):
            return self.map(block)
        if isinstance(block, Graph):  # a Graphviz picture needs a renderer the pack does not carry: its cards alone
            return block.side
        return block.markup if isinstance(block, Html) else ""

    def map_document(self, page: str) -> tuple[str, str]:
        """A map's page (folium's whole page) without its script and stylesheet tags, split where the shared copies go;
        the files they named are added to those every frame loads."""
        for ref in mapassets.asset_refs(page):
            for tag, kept in ((SCRIPT_TAG, self.js_links), (LINK_TAG, self.css_links)):
                found = re.compile(tag.format(re.escape(ref)))
                if found.search(page):
                    kept[ref] = None
                    page = found.sub("", page, count=1)
                    break
        left = mapassets.asset_refs(page)
        if left:
            raise PackError(f"the map loads files the pack cannot inline: {', '.join(left)}")
        head = page.index("<head>") + len("<head>")
        return page[:head], page[head:]  # JSON-escaped where it is written (no "<" in it): its script tags stay inside the JSON

    def map_documents(self) -> str:
        """The shared Leaflet copy and every map's page, as JSON script elements, and the script that builds the frames."""
        if not self.maps:
            return ""
        # the map's own font stylesheet (Urdu) is left out: the frames share the page's faces (MAP_LOADER), inlined once
        css = "\n".join(inline_css(vendor_path(u)) for u in self.css_links if not u.endswith(mapassets.FONT_CSS))
        js = "\n;\n".join(script_text(vendor_path(u).read_text(encoding="utf-8"), u) for u in self.js_links) + "\n;\n" + MAX_ZOOM
        parts = [f'<script type="application/json" id="pack-map-assets">{js_json({"css": css, "js": js})}</script>']
        for frame_id, before, after in self.maps:
            parts.append(f'<script type="application/json" id="{frame_id}-doc">{js_json([before, after])}</script>')
        return "".join(parts) + MAP_LOADER


# ---------------------------------------------------------------------------------------------------
# The stops


def stop_html(pack: Pack, src: Source, stop: Stop, count: int) -> str:
    """One stop: its number, title and caption, what the stage shows for it (with the pack's option), and its note."""
    resolved = registry.resolve(pack.release, stop.page, stop.params)
    if resolved.page is None:
        body = f'<p class="pack-statement">{esc(t("This stop shows a page the app no longer has."))}</p>'
    else:
        recorder = Recorder(src)
        shown = blocks(pack.release, with_option(resolved, pack.option), recorder)
        # a map keeps its own legend (a map control, there in full screen too): the stage's copy, in a projector's type, is left out
        legends = {stage_map.legend(pack.release, b.view) for b in shown if isinstance(b, Map)}
        body = "".join(pack.block(b, recorder.last) for b in shown if not (isinstance(b, Html) and b.markup in legends))
    note = stop.text("note")
    note_html = f'<aside class="pack-note"><p><strong>{esc(t("Presenter’s note."))}</strong> {esc(note)}</p></aside>' if note else ""
    n = stop.number
    return (
        f'<section class="pack-stop" id="stop-{n}" aria-labelledby="stop-{n}-title"><p class="pack-kicker">{esc(t("Stop {n} of {count}", n=n, count=count))}</p>'
        f'<h2 id="stop-{n}-title">{esc(stop.text("title"))}</h2><p class="pack-caption">{esc(stop.text("caption"))}</p>{body}{note_html}</section>'
    )


# ---------------------------------------------------------------------------------------------------
# Tables, sources, disclaimers


def key_tables(pack: Pack, src: Source) -> str:
    """The pack's key tables: the phases as planned; the phase gates, exit criteria and money by source under the option;
    the risks."""
    release = pack.release
    data = src.phases(release.version, scenario_from_option(release, pack.option), pack.name)
    sankey = src.funding_sankey(release.version, pack.option, None, "PKR")
    rows = [r for r in provenance_rows(release, FundingView(pack.option, None, "PKR"), sankey.node_totals, []) if r["section"] == "Sankey"]
    money = pd.DataFrame(
        {t("Figure"): [r["figure"] for r in rows], t("Amount over the model horizon (model output, illustrative)"): [r["value"] for r in rows]}
    )
    name = pack.name
    parts = [
        f'<section class="pack-tables" id="tables"><h2>{esc(t("Key tables"))}</h2>',
        f"<h3>{esc(t('The phases as planned'))}</h3>{sv.table_html(sv.phases(release))}",
        f"<h3>{esc(t('Phase gates under “{option}”', option=name))}</h3><p>{esc(data.gates_line[:1].upper() + data.gates_line[1:])}.</p>{frame_table(data.gates)}",
        f"<h3>{esc(t('Exit criteria under “{option}”', option=name))}</h3>{frame_table(data.criteria)}",
        f"<h3>{esc(t('Who pays for what under “{option}”', option=name))}</h3>{frame_table(money)}",
    ]
    if "risks" in release.tables:
        parts.append(f"<h3>{esc(t('Risks and who owns them'))}</h3>{frame_table(risks_shown(release))}")
    return "".join(parts) + "</section>"


def _plain(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def sources_table(release: Release) -> str:
    """The release's sources: title, publisher, date, address (a link, never fetched) and note."""
    if "sources" not in release.tables:
        return ""
    rows = []
    for s in release.table("sources").to_dict("records"):
        url = _plain(s.get("url"))
        link = f'<a href="{esc(url)}" rel="noreferrer noopener">{esc(url)}</a>' if url.lower().startswith(("http://", "https://")) else esc(url)
        cells = [esc(_plain(s.get("title"))), esc(_plain(s.get("publisher"))), esc(_plain(s.get("date"))), link, esc(_plain(s.get("note")))]
        auto = ' dir="auto"'  # a title or publisher as written (often English) keeps its own direction
        rows.append("<tr>" + "".join(f"<td{auto if k < 2 else ''}>{c}</td>" for k, c in enumerate(cells)) + "</tr>")
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in (t("Source"), t("Publisher"), t("Date"), t("Address"), t("Note")))
    cols = "".join(f'<col style="width:{w}%">' for w in SOURCE_WIDTHS)
    intro = t(
        "Every sourced fact in data release {version} names one of these sources. The addresses are links to follow when online: the pack itself opens none of them.",
        version=release.version,
    )
    cited = f'<p class="pack-more">{esc(t("Titles and publishers are given as their sources write them."))}</p>' if i18n.is_rtl() else ""
    return (
        f'<section class="pack-sources" id="sources"><h2>{esc(t("Sources"))}</h2>'
        f"<p>{esc(intro)}</p>{cited}"
        f'<div class="pack-wide"><table class="pack-sources-table"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def status_cards(release: Release) -> str:
    """What the concept is and is not yet, and what it differs from, in the release's own words (none: '')."""
    try:
        cards, distinct = sv.status(release)
    except KeyError:
        return ""
    return sv.cards_html(cards) + "".join(sv.line_html(t) for t in distinct)


def disclaimers(release: Release, prov: Provenance) -> str:
    """The concept's status, what it is and is not yet, and the maps' boundary disclaimer."""
    return (
        f'<section class="pack-disclaimers" id="disclaimers"><h2>{esc(t("Disclaimers"))}</h2>'
        f"<p><strong>{esc(status_text())}.</strong> "
        f"{esc(t('Every figure is either a sourced fact (with its source) or an illustrative assumption; model results are illustrative, not forecasts.'))}</p>"
        f"{status_cards(release)}<p><strong>{esc(t('Maps.'))}</strong> {esc(boundary_text())}</p></section>"
    )


# ---------------------------------------------------------------------------------------------------
# The pack


def is_draft(release: Release) -> bool:
    """Whether the release is a draft (not in published.json beside its folder)."""
    try:
        return release.version not in read_published(release.path.parent)
    except (OSError, ValueError):
        return False


def pack_source(release: Release, name: str) -> str:
    """The source line of the pack: what it shows."""
    return t(
        "Pak AI CoE proposal data, data release {version} (its sources listed in the pack), and the rollout model run on the option “{option}”",
        version=release.version,
        option=name,
    )


def pack_provenance(release: Release, option_id: str, on: date | None = None) -> Provenance:
    """The provenance of the pack of `option_id` (its lines are on the cover and in the footer)."""
    return provenance(release, pack_source(release, option_names(release)[option_id]), on)


def file_name(release: Release, option_id: str) -> str:
    """The pack's file name: release and option."""
    suffix = "" if i18n.current() == i18n.DEFAULT else f"-{i18n.current()}"
    return f"pak-ai-coe-briefing-{release.version}-{re.sub(r'[^A-Za-z0-9._-]+', '-', option_id)}{suffix}.html"


def deck_of(release: Release) -> Deck:
    """The release's deck (PackError when it has none, or every stop was left out)."""
    deck = load_deck(release)
    if deck is None or not deck.stops:
        raise PackError(f"data release {release.version} has no presentation deck: the briefing pack follows a release's deck")
    return deck


def cover(pack: Pack, deck: Deck, prov: Provenance, release_line: str) -> str:
    """Title, option, release, export date, status, how to cite, source, and the contents."""
    options = pack.release.table("options").set_index("option_id")
    described = _plain(options["description"].get(pack.option)) if "description" in options.columns else ""
    contents = "".join(f'<li><a href="#stop-{s.number}">{esc(s.text("title"))}</a></li>' for s in deck.stops)
    facts = (
        (t("Data release"), release_line),
        (t("Exported"), i18n.date(pack.on)),
        (t("Status"), status_text() if prov.status == STATUS_EN else prov.status),
        (t("How to cite this release"), prov.cite),
        (t("Source"), prov.source),
    )
    return (
        f'<section class="pack-cover" id="cover"><h1>{esc(t("Pak AI CoE briefing pack"))}</h1>'
        f'<p class="pack-option">{esc(pack.name)}</p><p>{esc(described)}</p><dl class="pack-facts">'
        + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts)
        + f'</dl><nav class="pack-contents" aria-label="{esc(t("Contents"))}"><h2>{esc(t("Contents"))}</h2><ol>{contents}</ol>'
        f'<p><a href="#tables">{esc(t("Key tables"))}</a> · <a href="#sources">{esc(t("Sources"))}</a> · '
        f'<a href="#disclaimers">{esc(t("Disclaimers"))}</a></p></nav></section>'
    )


def pack_html(release: Release, option_id: str, *, on: date | None = None, progress: Progress | None = None) -> str:
    """The briefing pack of `option_id` on `release` as one self-contained HTML document (exported on `on`, today by default).

    `progress(fraction, what)` is told of each step. Raises PackError when the release has no deck, the option is not
    one of its options, or the map's files are missing (`make assets`)."""
    names = option_names(release)
    if option_id not in names:
        raise PackError(f"'{option_id}' is not a rollout option of data release {release.version}; its options: {', '.join(names)}")
    tell = progress or (lambda fraction, what: None)
    deck = deck_of(release)
    pack = Pack(release, option_id, on or date.today())
    src = Builders(release)  # the pages' pure builders; a model run one stop made is kept for the others
    prov = pack_provenance(release, option_id, pack.on)
    count = len(deck.stops)
    steps = count + 3
    stops = []
    for i, stop in enumerate(deck.stops):
        tell(i / steps, t("Stop {n} of {count}: {title}", n=stop.number, count=count, title=stop.text("title")))
        stops.append(stop_html(pack, src, stop, count))
    tell(count / steps, t("Key tables and sources"))
    tables = key_tables(pack, src) + sources_table(release)
    tell((count + 1) / steps, t("The map's files and plotly.js"))
    maps = pack.map_documents()
    plotly = script_text(plotly_js(), "plotly.js")
    tell((count + 2) / steps, t("Writing the file"))
    draft = is_draft(release)
    release_line = (
        t("Data release {version} (draft, not published)", version=release.version) if draft else t("Data release {version}", version=release.version)
    )
    footer = '<footer class="pack-footer" role="contentinfo">' + "".join(f"<p>{esc(line)}</p>" for line in prov.lines()) + "</footer>"
    title = t("Pak AI CoE briefing pack: {option} (data release {version})", option=pack.name, version=release.version)
    faces = font_css()  # Urdu: the Nastaliq faces, in an element of their own the map frames copy (MAP_LOADER)
    font_style = f'<style id="pack-font">{faces}</style>' if faces else ""
    style = STYLE.read_text(encoding="utf-8") + "\n" + (URDU_CSS if faces else "") + running_head(release.version, draft)
    lang = i18n.current()
    status = t(
        "{status} · {release} · exported {date}",
        status=status_text() if prov.status == STATUS_EN else prov.status,
        release=release_line,
        date=i18n.date(pack.on),
    )
    html = (
        f'<!DOCTYPE html><html lang="{lang}" dir="{i18n.direction(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title>{font_style}<style>{style}</style><script>{plotly}</script></head><body>"
        f'<p class="pack-status" role="note">{esc(status)}</p>'
        f"<main>{cover(pack, deck, prov, release_line)}{''.join(stops)}{tables}{disclaimers(release, prov)}</main>"
        f"{footer}{maps}{PRINT_OPEN}</body></html>"
    )
    tell(1.0, t("Done"))
    return html
