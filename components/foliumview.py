"""Show a Folium map through the streamlit-folium component, with the expensive rendering cached.

st_folium renders the whole map three to four times on every rerun (~0.15 s for the hub map), even
when nothing changed. The work is split here: payload_of() renders once and returns the strings
st_folium sends to its frontend (a pure value, cached in components.cached), and show() passes them
to the same component exactly as st_folium 0.27.4 does. tests/apptest/test_map_page.py checks that
show() sends byte-for-byte what st_folium sends, so an upgrade that changes the protocol fails a test.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import branca
import folium
import streamlit as st
import streamlit_folium as sf

from components import mapassets


@dataclass(frozen=True)
class MapPayload:
    """Everything the st_folium frontend needs to draw a map."""

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


def _walk(element):
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def payload_of(m: folium.Map) -> MapPayload:
    """Render a map once, the way st_folium does, and keep the strings."""
    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    css: list[str] = []
    js: list[str] = []
    for elem in _walk(m):
        if isinstance(elem, branca.colormap.ColorMap):
            raise ValueError("branca colormaps make streamlit-folium load d3 from a CDN; draw legends another way")
        css.extend(href for _, href in getattr(elem, "default_css", []))
        js.extend(src for _, src in getattr(elem, "default_js", []))
    try:
        bounds = tuple(tuple(b) for b in m.get_bounds())
    except AttributeError:
        bounds = ((None, None), (None, None))
    js_links = mapassets.bundled(tuple(dict.fromkeys(js)))
    return MapPayload(script, header, html, sf.get_full_id(m), tuple(dict.fromkeys(css)), js_links, bounds, m.options.get("zoom"))


def _ensure_registered() -> None:
    """Register streamlit-folium's component with the running server if its import did not.

    Streamlit registers a component only when the module declaring it is imported inside a script run.
    scripts/serve.py warms the map cache in a background thread, which imports streamlit_folium outside any
    run: without this, the browser would get a 404 for the component's page and no map.
    """
    from streamlit import runtime

    component = sf._component_func
    if runtime.exists():
        registry = runtime.get_instance().component_registry
        if registry.get_component_path(component.name) is None and component.path is not None:
            registry.register_component(component)


def show(payload: MapPayload, *, key: str, height: int = 560, returned_objects: Iterable[str] = ("last_object_clicked",)) -> dict:
    """Draw the payload with the st_folium component; returns what the frontend reports (e.g. the last click)."""
    returned = list(returned_objects)
    (sw, ne) = payload.bounds
    defaults = {
        "last_object_clicked": None,
        "bounds": {"_southWest": {"lat": sw[0], "lng": sw[1]}, "_northEast": {"lat": ne[0], "lng": ne[1]}},
        "zoom": payload.zoom,
    }
    defaults = {k: v for k, v in defaults.items() if k in returned}
    hash_key = sf.generate_js_hash(payload.script, key, False)
    _ensure_registered()

    def _on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=payload.script,
        header=payload.header,
        html=payload.html,
        id=payload.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=returned,
        default=defaults,
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(payload.css_links),
        js_links=list(payload.js_links),
        on_change=_on_change,
        wrap_longitude=False,
    )
