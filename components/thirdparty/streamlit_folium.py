"""streamlit-folium's map component, fed a map rendered once (written against streamlit-folium 0.27.4 and streamlit 1.67.0).

st_folium() renders the whole map on every rerun (~0.15 s for the hub map) even when nothing changed. Here the
work is split: payload() renders a map once, the way st_folium() does, into the strings its component receives
(a pure value, cached by components.cached), and draw() sends them to the same component with the arguments
st_folium() passes. That takes streamlit-folium's private helpers (_get_html, _get_header, _get_map_string,
_component_func) and two undocumented ones (get_full_id, generate_js_hash), and, to register the component when
its import happened outside a script run, Streamlit's component registry: they are used here and nowhere else.
tests/test_thirdparty_maps.py checks the pinned versions, and that draw() sends exactly what st_folium() sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import branca
import folium
import folium.elements
import streamlit as st
import streamlit_folium as sf

from components.thirdparty import branca as branca_internals


@dataclass(frozen=True)
class MapPayload:
    """Everything the st_folium component's frontend needs to draw a map."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple
    zoom: object

    @property
    def size_bytes(self) -> int:
        """What the map costs on the wire (script + header + html)."""
        return len(self.script.encode()) + len(self.header.encode()) + len(self.html.encode())


def payload(m: folium.Map) -> MapPayload:
    """Render a map once and keep what st_folium() would send.

    st_folium() first renders the whole figure, then the map; the figure's script part is never sent, and rendering
    it evaluates each element's script a second time as a Jinja template (branca's MacroElement.render), so text from
    a release that looked like template syntax would run on the server. Rendering the map alone gives the same
    strings (tests/test_thirdparty_maps.py compares them with st_folium's). Raises ValueError for a branca colormap:
    st_folium() would then load d3 from a CDN (draw legends another way).
    """
    m.render()
    html = sf._get_html(m)  # before _get_map_string, which renames the map's elements
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    css: list[str] = []
    js: list[str] = []
    for element in branca_internals.walk(m):
        if isinstance(element, branca.colormap.ColorMap):
            raise ValueError("branca colormaps make streamlit-folium load d3 from a CDN; draw legends another way")
        if isinstance(element, folium.elements.JSCSSMixin):
            css.extend(href for _, href in element.default_css)
            js.extend(src for _, src in element.default_js)
    try:
        bounds = tuple(tuple(b) for b in m.get_bounds())
    except AttributeError:
        bounds = ((None, None), (None, None))
    return MapPayload(script, header, html, sf.get_full_id(m), tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js)), bounds, m.options.get("zoom"))


# What the frontend can report, in st_folium()'s order (its initial values: None, except bounds and zoom).
_RETURNABLE = (
    "last_clicked",
    "last_object_clicked",
    "last_object_clicked_count",
    "last_object_clicked_tooltip",
    "last_object_clicked_popup",
    "all_drawings",
    "last_active_drawing",
    "bounds",
    "zoom",
    "last_circle_radius",
    "last_circle_polygon",
    "selected_layers",
    "selected_tags",
    "last_geocoder_result",
)


def _ensure_registered() -> None:
    """Register the component with the running server if importing streamlit_folium did not.

    Streamlit registers a component only when the module declaring it is imported inside a script run;
    scripts/serve.py warms the map cache in a background thread, which imports streamlit_folium outside any run.
    Without this the browser would get a 404 for the component's page, and no map.
    """
    from streamlit import runtime

    component = sf._component_func
    if runtime.exists():
        registry = runtime.get_instance().component_registry
        if registry.get_component_path(component.name) is None and component.path is not None:
            registry.register_component(component)


def draw(p: MapPayload, *, key: str, height: int, returned_objects: Iterable[str]) -> dict:
    """Send a payload to the st_folium component, as st_folium(m, key=key, height=height, use_container_width=True,
    returned_objects=...) would; returns what the frontend reports (e.g. the last click), also kept in
    st.session_state[key]."""
    returned = list(returned_objects)
    (sw, ne) = p.bounds
    defaults = dict.fromkeys(_RETURNABLE) | {
        "bounds": {"_southWest": {"lat": sw[0], "lng": sw[1]}, "_northEast": {"lat": ne[0], "lng": ne[1]}},
        "zoom": p.zoom,
    }
    hash_key = sf.generate_js_hash(p.script, key, False)
    _ensure_registered()

    def _on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=p.script,
        header=p.header,
        html=p.html,
        id=p.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=returned,
        default={k: v for k, v in defaults.items() if k in returned},
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(p.css_links),
        js_links=list(p.js_links),
        on_change=_on_change,
        wrap_longitude=False,
    )
