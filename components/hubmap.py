"""The hub map: a Folium map of the filtered hubs, drawn by phase (colour) and hub type (shape).

Everything the map shows as text goes through escape_html (popups and tooltips are raw HTML inside
JS template strings). Scripts and stylesheets are served locally (components.mapassets), so the map
works with no internet; the OpenStreetMap tile layer stays for online use.

Every text is in the current language (pakcoe.i18n). In Urdu the map links its own Nastaliq font (an iframe inherits
none from the page) and writes right to left inside its tooltips, legend, layer list and district labels only: the
map's container stays left to right, since Leaflet places tooltips wrongly under `direction: rtl` (Leaflet #7201).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import folium
import pandas as pd
from folium import plugins
from folium.elements import JSCSSMixin
from jinja2 import Template

from components import mapassets
from components.escape import escape_html
from components.thirdparty.branca import FinalText, ScriptElement, number_ids
from pakcoe import Release, i18n, labels
from pakcoe.coverage import spokes
from pakcoe.i18n import t
from pakcoe.provenance import BOUNDARY
from pakcoe.registry import NATIONAL

mapassets.use_local_assets()

# Drawing choices, by id. A phase or hub type missing here is drawn in the default colour or shape.
PHASE_COLOURS = {1: "#0B6E4F", 2: "#C45A00", 3: "#3D5A80"}
TYPE_SHAPES = {"flagship": "star", "standard": "square", "tvet_embedded": "triangle"}
DEFAULT_COLOUR = "#6B6B6B"
DEFAULT_SHAPE = "circle"
PRECISE = {"neighbourhood"}
# folium's "OpenStreetMap" tiles, named directly (looking the name up in xyzservices costs ~10 ms per render)
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
PAKISTAN_BOUNDS = [[23.6, 60.8], [37.1, 77.9]]
BOUNDARY_NOTE = BOUNDARY  # pakcoe.provenance: the same words under the map and on every map export


def shape_svg(shape: str, colour: str, precise: bool, size: int = 18) -> str:
    """An inline SVG marker: the shape carries the hub type, the colour the phase, the outline the precision."""
    fill_opacity = "0.95" if precise else "0.35"
    dash = "" if precise else ' stroke-dasharray="3,2"'
    common = f'fill="{colour}" fill-opacity="{fill_opacity}" stroke="{colour if not precise else "#FFFFFF"}" stroke-width="2"{dash}'
    s = size
    if shape == "star":
        pts = "9,1 11.4,6.6 17.5,7 12.8,11 14.3,17 9,13.8 3.7,17 5.2,11 0.5,7 6.6,6.6"
        body = f'<polygon points="{pts}" {common}/>'
    elif shape == "square":
        body = f'<rect x="2" y="2" width="14" height="14" {common}/>'
    elif shape == "triangle":
        body = f'<polygon points="9,1.5 17,16.5 1,16.5" {common}/>'
    else:
        body = f'<circle cx="9" cy="9" r="7.5" {common}/>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="{s}" height="{s}" viewBox="0 0 18 18" aria-hidden="true">{body}</svg>'


class HubMap(folium.Map):
    """folium.Map without the jQuery, Bootstrap, Font Awesome and awesome-markers files folium loads by default.

    The hub map draws its own SVG icons and uses none of them; leaving them out saves six requests and
    about 400 KB of script and CSS the browser would parse before the first marker.
    """

    default_js = [js for js in folium.Map.default_js if js[0] == "leaflet"]
    default_css = [css for css in folium.Map.default_css if css[0] == "leaflet_css"]


@dataclass(frozen=True)
class MapSpec:
    """What the map draws: the view and the hubs (already filtered)."""

    view: str  # NATIONAL, or a city id: that city's cluster, with its hub-and-spoke links
    hubs: pd.DataFrame
    release: Release
    tiles: bool = True  # the OpenStreetMap tile layer (online use); an offline export draws none, so it fetches nothing
    own: pd.DataFrame | None = None  # a session's own sites (components.own_sites), drawn as a layer of their own


@dataclass(frozen=True)
class MarkerStyle:
    """How a release's hubs are drawn: a colour per phase, a shape per hub type; with their names from the release."""

    phases: dict[int, str]  # phase_id -> name, in phase order
    types: dict[str, str]  # hub_type -> label, in the release's order

    def colour(self, phase_id: int) -> str:
        return PHASE_COLOURS.get(phase_id, DEFAULT_COLOUR)

    def shape(self, hub_type: str) -> str:
        return TYPE_SHAPES.get(hub_type, DEFAULT_SHAPE)

    @property
    def icon_keys(self) -> list[tuple[str, int, bool]]:
        """Every icon a hub can get, (shape, phase, precise location), in the order the map's script lists them."""
        shapes = dict.fromkeys(self.shape(t) for t in self.types)
        return [(shape, phase, precise) for shape in shapes for phase in self.phases for precise in (True, False)]


def marker_style(release: Release) -> MarkerStyle:
    """The phases (phases.csv) and hub types (hub_types.csv) of a release, as the map draws them."""
    phases = release.table("phases").sort_values("phase_id")
    return MarkerStyle({int(p): str(n) for p, n in zip(phases["phase_id"], phases["name"], strict=True)}, labels.hub_types(release))


def js_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>` or `&`, and no line separators."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


class HubPoints(ScriptElement):
    """The hubs of one layer as compact rows, turned into Leaflet markers by one loop in the browser.

    One row per hub: [id, lat, lon, name, label index, icon index, phase id]. Texts are HTML-escaped (escape_html) and
    the rows are script-safe JSON (js_json), so a name can neither inject markup nor end the script. The icons
    (one per shape, phase colour and precision style) are built once, not once per hub. Markers are
    added while the layer is off the map, so a cluster group receives them in one batch. Each marker is a
    keyboard-focusable button whose accessible name (aria-label) is its tooltip text, set as plain text.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  const group = {{ this._parent.get_name() }};
  const map = group._map || null;
  if (map) { map.removeLayer(group); }
  const icons = {{ this.icons }}.map(function (html) {
    return L.divIcon({html: html, iconSize: [18, 18], iconAnchor: [9, 9], className: "hub-icon"});
  });
  const labels = {{ this.labels }};
  const rows = {{ this.rows }};
  const wrap = {{ this.wrap }};  // the tooltip's text direction (right to left in Urdu), on its content only
  const plain = document.createElement("textarea");
  // The tooltip and the accessible name are made when a marker is first put on the map, not for every hub:
  // at national zoom most hubs sit inside clusters and never need them.
  const HubMarker = L.Marker.extend({
    onAdd: function (m) {
      L.Marker.prototype.onAdd.call(this, m);
      const r = this.options.row;
      if (!this.getTooltip()) {
        this.bindTooltip(wrap[0] + "<b>" + r[3] + "</b><br>" + labels[r[4]] + wrap[1], {direction: "top", offset: [0, -8]});
      }
      plain.innerHTML = r[3] + ", " + labels[r[4]];  // escaped text; a textarea decodes entities and never creates elements
      this.getElement().setAttribute("aria-label", plain.value);
      return this;
    }
  });
  for (let i = 0; i < rows.length; i++) {
    group.addLayer(new HubMarker([rows[i][1], rows[i][2]], {icon: icons[rows[i][5]], keyboard: true, row: rows[i], phase: rows[i][6]}));
  }
  if (map) { map.addLayer(group); }
})();
{% endmacro %}
"""
    )

    def __init__(self, hubs: pd.DataFrame, cities: pd.Series, style: MarkerStyle) -> None:
        super().__init__()
        self._name = "HubPoints"
        keys = style.icon_keys
        icon_of = {key: i for i, key in enumerate(keys)}
        texts: dict[str, int] = {}
        rows = []
        for h in hubs.itertuples(index=False):
            text = escape_html(
                t("{city} · {type} · phase {n}", city=cities.get(h.city_id, h.city_id), type=style.types.get(h.hub_type, h.hub_type), n=int(h.phase_id))
            )
            icon = icon_of[(style.shape(h.hub_type), int(h.phase_id), h.location_precision in PRECISE)]
            rows.append(
                [
                    escape_html(h.hub_id),
                    round(float(h.lat), 6),
                    round(float(h.lon), 6),
                    escape_html(h.name),
                    texts.setdefault(text, len(texts)),
                    icon,
                    int(h.phase_id),
                ]
            )
        self.count = len(rows)
        self.rows = js_json(rows)
        self.labels = js_json(list(texts))
        self.icons = js_json([shape_svg(shape, style.colour(phase), precise) for shape, phase, precise in keys])
        self.wrap = js_json(rtl_wrap())


def own_svg(colour: str, size: int = 20) -> str:
    """The marker of a site of one's own: a diamond (a shape no hub type has) in the phase's colour, outlined in dark ink,
    with a white centre, so it reads apart from the release's hubs without its colour."""
    return (
        f'<svg class="own-site" xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20" aria-hidden="true">'
        f'<polygon points="10,1 19,10 10,19 1,10" fill="{colour}" stroke="#14213D" stroke-width="2"/><circle cx="10" cy="10" r="3" fill="#FFFFFF"/></svg>'
    )


class OwnPoints(HubPoints):
    """A session's own sites (components.own_sites): HubPoints with their own marker (own_svg, every hub type alike) and
    "Your site" before each tooltip's text. The texts are escaped as HubPoints escapes them."""

    def __init__(self, hubs: pd.DataFrame, cities: pd.Series, style: MarkerStyle) -> None:
        super().__init__(hubs, cities, style)
        self._name = "OwnPoints"
        self.icons = js_json([own_svg(style.colour(phase)) for _shape, phase, _precise in style.icon_keys])
        self.labels = js_json([escape_html(t("Your site")) + " · " + text for text in json.loads(self.labels)])


def rtl_wrap(lang: str | None = None) -> list[str]:
    """The markup around a tooltip's content: right to left in a right-to-left language (the tooltip box itself stays
    left to right, where Leaflet can place it), nothing in English."""
    lang = lang or i18n.current()
    return [f'<div class="hub-rtl" dir="rtl" lang="{lang}">', "</div>"] if i18n.is_rtl(lang) else ["", ""]


def layer_name(text: str) -> str:
    """A layer's name for the layer control (HTML), with its braces as entities: folium's own elements compile their
    rendered script as a Jinja template (branca's MacroElement.render), where release text must not be template syntax."""
    return escape_html(text).replace("{", "&#123;")


def drawn_hub_ids(script: str) -> list[str]:
    """The hub ids a rendered map script draws, in order (what the browser will turn into markers)."""
    ids: list[str] = []
    for rows in re.findall(r"const rows = (\[.*?\]);\n", script):
        ids.extend(str(r[0]) for r in json.loads(rows))
    return ids


NARROW_MAP_PX = 900  # below this map width the legend starts folded and the layer control collapsed (FitClear leaves room for both)
LEGEND_CSS = (
    "<style>#hub-legend{background:rgba(255,255,255,.95);padding:4px 8px;border:1px solid #999;border-radius:6px;"
    "font:12.5px/1.45 'Source Sans Pro','Helvetica Neue',Arial,sans-serif;color:#14213D;max-width:calc(100vw - 40px)}"
    "#hub-legend summary{font-weight:700;cursor:pointer}#hub-legend .cols{display:flex;flex-wrap:wrap;gap:0 16px;margin-top:2px}"
    "#hub-legend .sw{display:inline-block;width:12px;height:12px;margin-inline-end:6px;border-radius:2px;vertical-align:-1px}"
    "#hub-legend .ln{display:inline-block;width:18px;border-top:2px dashed #0B6E4F;margin-inline-end:6px;vertical-align:3px}"
    "#hub-legend svg{vertical-align:-2px;margin-inline-end:4px}.hub-icon{background:none;border:none}"
    ".leaflet-container{font-family:'Source Sans Pro','Helvetica Neue',Arial,sans-serif}"
    # the layer box: compact, and never wider than the map less the zoom column, so it never covers the zoom buttons
    ".leaflet-control-layers{font-size:13px;line-height:1.35}.leaflet-control-layers-expanded{padding:4px 8px 4px 6px;"
    "max-width:calc(100vw - 84px);box-sizing:border-box}.leaflet-control-layers label{white-space:normal}"
    ".hub-cluster{background:none;border:none}.hub-cluster svg{display:block;overflow:visible}"
    ".marker-cluster.hub-cluster span{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;"
    "font:700 13px/1 'Source Sans Pro','Helvetica Neue',Arial,sans-serif;color:#14213D}"
    ".district-label{background:none;border:none;font:600 12.5px/1.2 'Source Sans Pro','Helvetica Neue',Arial,sans-serif;color:#14213D;"
    "white-space:nowrap;text-align:center;pointer-events:none;text-shadow:0 0 3px #FFF,0 0 3px #FFF,0 0 2px #FFF}"
    ".leaflet-tooltip{font-size:13px}"
    "@media print{.leaflet-control-zoom,.leaflet-control-layers,.leaflet-control-fullscreen{display:none}}</style>"  # a printed map has no controls
)
URDU_FONT = f"'{mapassets.FONT_FAMILY}','Source Sans Pro','Helvetica Neue',Arial,sans-serif"
# Right to left in Urdu: the texts inside the tooltips, the legend, the layer list and the district labels (never the
# map's container: Leaflet #7201), in the Nastaliq font with the line height its tall letters need.
RTL_CSS = (
    f"<style>.hub-rtl{{direction:rtl;text-align:right;font-family:{URDU_FONT};line-height:2.1}}"
    ".leaflet-tooltip .hub-rtl{white-space:normal;width:max-content;max-width:min(300px,70vw)}"  # a long cluster sentence wraps
    f"#hub-legend[dir=rtl]{{font-family:{URDU_FONT};line-height:2.1;text-align:right}}"
    f".leaflet-control-layers-list{{direction:rtl;text-align:right;font-family:{URDU_FONT};line-height:2}}"
    f".district-label [dir=rtl]{{font-family:{URDU_FONT};font-weight:400;line-height:2}}</style>"
)


class UrduFont(JSCSSMixin, folium.MacroElement):
    """The Nastaliq font's stylesheet (components.mapassets.FONT_CSS), linked in the map's own header: a map's iframe
    (and an exported map's page) inherits no font from the app's page."""

    default_css = [("noto_nastaliq_urdu", f"{mapassets.VENDOR_URL}/{mapassets.FONT_CSS}")]

    def __init__(self) -> None:
        super().__init__()
        self._name = "UrduFont"


def rtl_attrs(lang: str | None = None) -> str:
    """` dir="rtl" lang=".."` for an element holding text of a right-to-left language (empty in English)."""
    lang = lang or i18n.current()
    return f' dir="rtl" lang="{lang}"' if i18n.is_rtl(lang) else ""


def legend_html(style: MarkerStyle, view: str, own: bool = False) -> str:
    """The legend's markup: phase colours in one column, hub shapes and location precision in the other (and the marker
    of a session's own sites when `own`); a <details> element, open at first, so a user can fold it away. Every text
    from the release is escaped."""
    left, right = [], []
    for pid, name in style.phases.items():
        left.append(f'<div><span class="sw" style="background:{style.colour(pid)}"></span>{escape_html(t("Phase {n}: {name}", n=pid, name=name))}</div>')
    if view != NATIONAL:
        left.append(f'<div><span class="ln"></span> {escape_html(t("hub-and-spoke link to a flagship"))}</div>')
    else:
        group = t("group of hubs: count, ring in their phases' colours")
        ring = "".join(
            f'<circle cx="7" cy="7" r="5" fill="none" stroke="{style.colour(pid)}" stroke-width="3" stroke-dasharray="{31.4 / len(style.phases):.2f} 31.4"'
            f' stroke-dashoffset="{-31.4 * i / len(style.phases):.2f}" transform="rotate(-90 7 7)"/>'
            for i, pid in enumerate(style.phases)
        )
        left.append(
            f'<div><svg xmlns="http://www.w3.org/2000/svg" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">{ring}</svg>'
            f" {escape_html(group)}</div>"
        )
    for hub_type, label in style.types.items():
        right.append(f"<div>{shape_svg(style.shape(hub_type), '#444444', True, 14)} {escape_html(label)}</div>")
    right.append(f"<div>{shape_svg('square', '#444444', True, 14)} {escape_html(t('solid: neighbourhood-level location'))}</div>")
    right.append(f"<div>{shape_svg('square', '#444444', False, 14)} {escape_html(t('pale, dashed: town-, city- or district-level'))}</div>")
    if own:
        right.append(f"<div>{own_svg('#444444', 14)} {escape_html(t('your own sites (uploaded, this session only)'))}</div>")
    return (
        f'<div id="hub-legend" role="region" aria-label="{escape_html(t("Map legend"))}"{rtl_attrs()}><details open>'
        f'<summary>{escape_html(t("Legend"))}</summary><div class="cols">'
        f"<div>{''.join(left)}</div><div>{''.join(right)}</div></div></details></div>"
    )


class Legend(ScriptElement):
    """The legend as a Leaflet control in the bottom-left corner, stacked above the scale bar.

    Being a control, it is part of the map: it stays on screen in full-screen mode (a <div> beside the map would
    not) and never covers the scale. Clicks and wheel turns on it do not reach the map. On a map narrower than
    NARROW_MAP_PX it starts folded: its two columns would wrap into a block as tall as half the map.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  const legend = L.control({position: "bottomleft"});
  legend.onAdd = function (map) {
    const div = L.DomUtil.create("div", "leaflet-control");
    div.innerHTML = {{ this.html }};
    if (map.getContainer().clientWidth < {{ this.narrow }}) { div.querySelector("details").open = false; }
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
"""
    )

    narrow = NARROW_MAP_PX

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = js_json(html)


# The cluster icon: a ring of the phase colours, each phase's arc as long as its share of the cluster's hubs, with the
# count in the middle; its tooltip and accessible name give the count per phase in words (the colours never stand
# alone). A pure function of the counts and the phases (CLUSTER_ICON_JS), so a test can run it outside a map.
CLUSTER_ICON_JS = """function (counts, phases, words) {
  // counts: {phase id: hubs}; phases: [[phase id, escaped name, colour], ...] in phase order; words: the sentences in
  // the current language, escaped HTML with {named} places (cluster_words). Returns {html, text, size}: html is markup
  // (the ring, then the count in a span over its middle); text: the count per phase in words, as escaped HTML (the
  // names come escaped). Each template is filled in one pass, so a name is never read as a place.
  const fill = function (template, values) {
    return template.replace(/\\{(\\w+)\\}/g, function (whole, key) { return key in values ? String(values[key]) : whole; });
  };
  let total = 0;
  for (const k in counts) { total += counts[k]; }
  const size = total < 10 ? 36 : total < 100 ? 42 : 48;
  const r = size / 2 - 4, c = 2 * Math.PI * r, mid = size / 2;
  let arcs = "", done = 0;
  const parts = [];
  for (const p of phases) {
    const n = counts[p[0]] || 0;
    if (!n) { continue; }
    const len = c * n / total;
    arcs += '<circle cx="' + mid + '" cy="' + mid + '" r="' + r + '" fill="none" stroke="' + p[2] + '" stroke-width="7"'
      + ' stroke-dasharray="' + len.toFixed(2) + ' ' + (c - len).toFixed(2) + '" stroke-dashoffset="' + (-done).toFixed(2) + '"'
      + ' transform="rotate(-90 ' + mid + ' ' + mid + ')"/>';
    done += len;
    parts.push(fill(words.part, {n: n, phase: p[0], name: p[1]}));
  }
  const text = fill(total === 1 ? words.one : words.many, {n: total, parts: parts.join(words.sep)});
  const html = '<svg xmlns="http://www.w3.org/2000/svg" width="' + size + '" height="' + size + '" viewBox="0 0 ' + size + ' ' + size + '" aria-hidden="true">'
    + '<circle cx="' + mid + '" cy="' + mid + '" r="' + (r + 4) + '" fill="#FFFFFF" fill-opacity="0.92"/>' + arcs + '</svg>'
    + '<span>' + total + '</span>';
  return {html: html, text: text, size: size};
}"""


def cluster_phases(style: MarkerStyle) -> str:
    """The phases as the cluster icon reads them: [[phase id, name (escaped HTML), colour], ...], script-safe JSON."""
    return js_json([[pid, escape_html(name), style.colour(pid)] for pid, name in style.phases.items()])


def cluster_words() -> str:
    """The cluster tooltip's sentences in the current language (escaped HTML templates with {n}, {parts}, {phase} and
    {name} places, filled by CLUSTER_ICON_JS), script-safe JSON."""
    words = {
        "one": t("{n} hub: {parts}. Click to zoom in."),
        "many": t("{n} hubs: {parts}. Click to zoom in."),
        "part": t("{n} in Phase {phase} ({name})"),
        "sep": "، " if i18n.is_rtl() else ", ",
    }
    return js_json({k: escape_html(v) for k, v in words.items()})


class PhaseClusters(ScriptElement):
    """The cluster group's icons: a ring in the phase colours with the count (CLUSTER_ICON_JS), whose tooltip (on
    hover) and accessible name (aria-label, set as plain text) say how many hubs of each phase it holds. Each hub
    marker carries its phase in its options (HubPoints)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  const group = {{ this.cluster.get_name() }};
  const phases = {{ this.phases }};
  const words = {{ this.words }};
  const wrap = {{ this.wrap }};  // the tooltip's text direction (right to left in Urdu), on its content only
  const build = {{ this.builder }};
  const plain = document.createElement("textarea");
  const PhaseIcon = L.DivIcon.extend({
    createIcon: function (old) {
      const div = L.DivIcon.prototype.createIcon.call(this, old);
      plain.innerHTML = this.options.words;  // escaped text; a textarea decodes entities and never creates elements
      div.setAttribute("aria-label", plain.value);
      return div;
    }
  });
  group.options.iconCreateFunction = function (cluster) {
    const counts = {};
    for (const m of cluster.getAllChildMarkers()) { counts[m.options.phase] = (counts[m.options.phase] || 0) + 1; }
    const icon = build(counts, phases, words);
    // the same words as a tooltip (on hover and keyboard focus); a cluster's icon is rebuilt when its hubs change.
    // A cluster is its own icon, so the tooltip's anchor is read from the cluster's options.
    cluster.options.tooltipAnchor = [0, -icon.size / 2];
    const tip = wrap[0] + icon.text + wrap[1];
    if (cluster.getTooltip()) { cluster.setTooltipContent(tip); }
    else { cluster.bindTooltip(tip, {direction: "top"}); }
    return new PhaseIcon({html: icon.html, words: icon.text, className: "marker-cluster hub-cluster",
                          iconSize: [icon.size, icon.size], iconAnchor: [icon.size / 2, icon.size / 2]});
  };
})();
{% endmacro %}
"""
    )

    builder = CLUSTER_ICON_JS

    def __init__(self, cluster: folium.MacroElement, style: MarkerStyle) -> None:
        super().__init__()
        self._name = "PhaseClusters"
        self.cluster = cluster
        self.phases = cluster_phases(style)
        self.words = cluster_words()
        self.wrap = js_json(rtl_wrap())


class FoldLayers(ScriptElement):
    """The layer control folded to its button on a map narrower than NARROW_MAP_PX (it opens on hover, tap or Enter,
    and folds again on a click on the map); on a wider map it stays open. When the map changes between narrow and
    wide (full screen, a turned phone), the layer control and the legend follow: open when wide, folded when narrow.
    The control is made folding (collapsed); a wide map opens it and keeps it open. On a narrow map the attribution
    leaves out Leaflet's own link, so it does not run into the scale bar."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  const map = {{ this._parent.get_name() }};
  const control = {{ this.control.get_name() }};
  const fold = control.collapse;
  const keep = function () { return this; };
  const wide = function () { return map.getContainer().clientWidth >= {{ this.narrow }}; };
  function apply(isWide, legendToo) {
    control.collapse = isWide ? keep : fold;
    isWide ? control.expand() : fold.call(control);
    const details = legendToo && map.getContainer().querySelector("#hub-legend details");
    if (details) { details.open = isWide; }
  }
  let was = wide();
  if (was) { apply(true, false); }
  // a narrow map's attribution names the map data only (not also Leaflet), so it fits beside the scale bar
  if (!was && map.attributionControl) { map.attributionControl.setPrefix(false); }
  map.on("resize", function () { const now = wide(); if (now !== was) { was = now; apply(now, true); } });
})();
{% endmacro %}
"""
    )

    narrow = NARROW_MAP_PX

    def __init__(self, control: folium.LayerControl) -> None:
        super().__init__()
        self._name = "FoldLayers"
        self.control = control


DISTRICT_NOTE = (
    "District names sit at the centre of the hub locations this release lists in each district; "
    "no district boundaries are drawn (the app has no sourced boundaries it can show offline)."
)


def district_note() -> str:
    """DISTRICT_NOTE in the current language."""
    return t(
        "District names sit at the centre of the hub locations this release lists in each district; "
        "no district boundaries are drawn (the app has no sourced boundaries it can show offline)."
    )


def district_centres(hubs: pd.DataFrame) -> pd.DataFrame:
    """One row per district of `hubs` (columns district, lat, lon, hubs): the centre of its hubs' locations."""
    located = hubs.dropna(subset=["district", "lat", "lon"]).astype({"lat": float, "lon": float})
    out = located.groupby("district", sort=True).agg(lat=("lat", "mean"), lon=("lon", "mean"), hubs=("hub_id", "size"))
    return out.reset_index()


class DistrictLabels(ScriptElement):
    """Each district's name as a label (not interactive, white halo) at the centre of its listed hubs (district_centres),
    lifted above the point so it does not hide a hub drawn there."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  const group = {{ this._parent.get_name() }};
  for (const d of {{ this.rows }}) {
    L.marker([d[1], d[2]], {interactive: false, keyboard: false,
      icon: L.divIcon({html: d[0], className: "district-label", iconSize: null, iconAnchor: [0, 0]})}).addTo(group);
  }
})();
{% endmacro %}
"""
    )

    def __init__(self, centres: pd.DataFrame) -> None:
        super().__init__()
        self._name = "DistrictLabels"
        self.rows = js_json(
            [
                [
                    f'<span style="position:relative;left:-50%;top:-26px;display:inline-block"{rtl_attrs()}>{escape_html(d.district)}</span>',
                    round(float(d.lat), 6),
                    round(float(d.lon), 6),
                ]
                for d in centres.itertuples()
            ]
        )


class FocusWithoutScroll(ScriptElement):
    """Leaflet's mousedown handler (for its keyboard controls), focusing the map without scrolling the page.

    Leaflet focuses the map with a plain focus(), and the browser then scrolls the page to bring the whole map
    into view: when the map reaches below the window, the page moves between mousedown and mouseup and the first
    click on a hub selects nothing. This is the same handler, with focus({preventScroll: true})."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  const kb = {{ this._parent.get_name() }}.keyboard;
  if (!kb) { return; }
  kb.disable();
  kb._onMouseDown = function () { if (!this._focused) { this._map._container.focus({preventScroll: true}); } };
  kb.enable();
})();
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "FocusWithoutScroll"


class TooltipsKeepPlace(ScriptElement):
    """Each open tooltip placed again whenever its box changes size, so it stays centred over its marker.

    Leaflet places a tooltip once, from the size its box has when it opens. A tooltip opened before the map's Urdu
    font has arrived is measured in a fallback font (Nastaliq is narrower and taller), and once the font swaps in the
    box changes size but not place: it ends up off its marker (measured: 193 px wide at opening, 157 px after, its
    centre 19 px off; once, under load, 72 px away and beside the marker). A ResizeObserver on each tooltip's box
    calls Leaflet's own update() while the tooltip is open; the box is reused by its tooltip, so it is observed once."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  if (!window.ResizeObserver) { return; }
  const seen = new WeakSet();
  {{ this._parent.get_name() }}.on("tooltipopen", function (e) {
    const tip = e.tooltip, box = tip.getElement();
    if (!box || seen.has(box)) { return; }
    seen.add(box);
    let size = box.offsetWidth + "x" + box.offsetHeight;
    new ResizeObserver(function () {
      const now = box.offsetWidth + "x" + box.offsetHeight;
      if (now !== size && tip.isOpen()) { size = now; tip.update(); }
    }).observe(box);
  });
})();
{% endmacro %}
"""
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "TooltipsKeepPlace"


class FitClear(ScriptElement):
    """Frame the map on `bounds`, clear of the controls, so no hub starts hidden under the legend or a control.

    The padding is the room the controls take, [left, top open, top folded, bottom open, bottom folded] in pixels:
    the zoom buttons (top left), the layer control (top right: one row per layer open, its button folded), the legend
    and the scale bar (bottom left). It is computed from the rows they hold, not measured in the browser: the controls get their real size
    only once Leaflet's stylesheet has arrived, and the map is framed once, before that. On a map narrower than
    NARROW_MAP_PX the legend and the layer control start folded, so the room left for them is the folded one. Added right after the map,
    before the hubs, so 10 000 markers are clustered once, at the final zoom. Fits without padding when less than
    160 px would be left over. Sets data-fitted on the map container (the browser tests wait for it).
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  const map = {{ this._parent.get_name() }};
  const box = map.getContainer();
  const narrow = box.clientWidth < {{ this.narrow }};  // the legend and the layer control (added later) start folded
  const p = {{ this.padding }};
  const top = narrow ? p[2] : p[1];
  const bottom = narrow ? p[4] : p[3];
  const roomy = box.clientHeight - top - bottom >= 160 && box.clientWidth - p[0] - 8 >= 160;
  map.fitBounds({{ this.bounds }}, roomy ? {paddingTopLeft: [p[0], top], paddingBottomRight: [8, bottom]} : {});
  box.dataset.fitted = narrow ? "folded-legend" : "open-legend";
})();
{% endmacro %}
"""
    )

    narrow = NARROW_MAP_PX

    def __init__(self, bounds: list[list[float]], overlays: int, tall: bool = False) -> None:
        super().__init__()
        self._name = "FitClear"
        self.bounds = js_json(bounds)
        # Measured in Chromium: zoom column 44 px wide; layer control 50 px + 19 px a layer, folded 54 px (its button and
        # margin); scale bar with its margins 58 px, under the legend: open 115 px (five rows in its longer column),
        # folded 28 px. Each + 8 px. `tall`: Nastaliq's taller lines (RTL_CSS): a layer 28 px, the legend open 164 px, folded 36 px.
        row, legend, folded = (28, 164, 36) if tall else (19, 115, 28)
        self.padding = js_json([52, 50 + row * overlays + 8, 54 + 8, 58 + legend + 8, 58 + folded + 8])


def build_map(spec: MapSpec) -> folium.Map:
    """The folium map for a view: outline, tiles, hubs by phase (clustered nationally), links, legend, controls."""
    release, hubs = spec.release, spec.hubs
    style = marker_style(release)
    cluster = spec.view != NATIONAL
    m = HubMap(location=[30.0, 69.3], zoom_start=5, tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25)
    if spec.tiles:
        folium.TileLayer(OSM_TILES, attr=OSM_ATTRIBUTION, max_zoom=19, name=layer_name(t("OpenStreetMap tiles (online only)")), control=True).add_to(m)
    own = spec.own if spec.own is not None and len(spec.own) else None
    framed = hubs if own is None else pd.concat([hubs[["lat", "lon"]], own[["lat", "lon"]]])  # a cluster view frames both
    if len(framed):
        lat, lon = framed["lat"].astype(float), framed["lon"].astype(float)
        bounds = [[lat.min() - 0.02, lon.min() - 0.02], [lat.max() + 0.02, lon.max() + 0.02]] if cluster else PAKISTAN_BOUNDS
    else:
        bounds = PAKISTAN_BOUNDS
    links = spokes(hubs[hubs["city_id"] == spec.view]) if cluster else pd.DataFrame()
    centres = district_centres(release.hubs[release.hubs["city_id"] == spec.view]) if cluster else pd.DataFrame()
    FocusWithoutScroll().add_to(m)
    TooltipsKeepPlace().add_to(m)
    overlays = hubs["phase_id"].nunique() + (0 if links.empty else 1) + (0 if centres.empty else 1) + (0 if own is None else 1)
    FitClear(bounds, overlays, tall=i18n.is_rtl()).add_to(m)  # before the hubs: clustered once, at the final zoom
    outline = release.geojson.get("pakistan-outline")
    if outline:
        folium.GeoJson(
            outline,
            name=layer_name(t("Outline (Natural Earth, indicative)")),
            style_function=lambda _: {"color": "#8A8A8A", "weight": 1, "fillColor": "#F4F1EA", "fillOpacity": 0.6},
            interactive=False,
            control=False,
        ).add_to(m)
    cities = release.table("cities").set_index("city_id")["name"]
    parent: folium.map.Layer = m
    if not cluster:
        parent = plugins.MarkerCluster(
            name=layer_name(t("Clusters")),
            control=False,
            options={"disableClusteringAtZoom": 8, "maxClusterRadius": 45, "showCoverageOnHover": False, "chunkedLoading": True},
        )
        parent.add_to(m)
        PhaseClusters(parent, style).add_to(m)
    for pid in sorted(hubs["phase_id"].unique()):
        group_hubs = hubs[hubs["phase_id"] == pid]
        label = t("Phase {n}: {name} ({count} hubs)", n=int(pid), name=style.phases.get(int(pid), ""), count=i18n.num(len(group_hubs)))
        group = folium.FeatureGroup(name=layer_name(label)) if cluster else plugins.FeatureGroupSubGroup(parent, name=layer_name(label))
        group.add_to(m)
        HubPoints(group_hubs, cities, style).add_to(group)
    if own is not None:  # a session's own sites: one layer, never clustered, its own marker
        mine = folium.FeatureGroup(name=layer_name(t("Your sites ({count})", count=i18n.num(len(own)))))
        mine.add_to(m)
        OwnPoints(own, cities, style).add_to(mine)
    if not links.empty:
        lines = folium.FeatureGroup(name=layer_name(t("Hub-and-spoke links")))
        for link in links.itertuples():
            folium.PolyLine([[link.from_lat, link.from_lon], [link.to_lat, link.to_lon]], color="#0B6E4F", weight=2, dash_array="6,4", opacity=0.8).add_to(
                lines
            )
        lines.add_to(m)
    if not centres.empty:
        names = folium.FeatureGroup(name=layer_name(t("District names (no boundaries)")))
        DistrictLabels(centres).add_to(names)
        names.add_to(m)
    plugins.Fullscreen(position="topleft", title=t("Full screen"), title_cancel=t("Exit full screen")).add_to(m)
    control = folium.LayerControl(collapsed=True, position="topright")
    control.add_to(m)
    FoldLayers(control).add_to(m)
    m.get_root().header.add_child(FinalText(LEGEND_CSS), name="hub_legend_css")
    if i18n.is_rtl():  # the font of the map's own page, and right to left inside its texts
        UrduFont().add_to(m)
        m.get_root().header.add_child(FinalText(RTL_CSS), name="hub_rtl_css")
    Legend(legend_html(style, spec.view, own=own is not None)).add_to(m)
    number_ids(m)  # the same map renders to the same text
    return m


def hub_at(hubs: pd.DataFrame, lat: float, lng: float, tolerance: float = 1e-5) -> str | None:
    """The hub drawn at a clicked point (coordinates are unique per hub)."""
    if hubs.empty:
        return None
    d = (hubs["lat"].astype(float) - lat).abs() + (hubs["lon"].astype(float) - lng).abs()
    i = d.idxmin()
    return str(hubs.at[i, "hub_id"]) if d[i] <= tolerance else None
