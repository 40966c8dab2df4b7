"""Show a Folium map through the streamlit-folium component, rendered once per map instead of on every rerun.

payload_of() renders a map into the strings the component receives, with the map's scripts joined into one
locally served file (components.mapassets); components.cached keeps the result. show() sends a payload. How
both talk to streamlit-folium is in components.thirdparty.streamlit_folium.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import folium

from components import mapassets
from components.thirdparty import streamlit_folium
from components.thirdparty.streamlit_folium import MapPayload

__all__ = ["MapPayload", "payload_of", "show"]


def payload_of(m: folium.Map) -> MapPayload:
    """Render a map once and keep what the component needs to draw it."""
    p = streamlit_folium.payload(m)
    return dataclasses.replace(p, js_links=mapassets.bundled(p.js_links))


def show(payload: MapPayload, *, key: str, height: int = 560, returned_objects: Iterable[str] = ("last_object_clicked",)) -> dict:
    """Draw the payload; returns what the frontend reports (e.g. the last click)."""
    return streamlit_folium.draw(payload, key=key, height=height, returned_objects=returned_objects)
