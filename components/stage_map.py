"""The hub map on the stage: its projector style (sent into the map's frame) and its legend in the stage's type (pure).

The map is a frame whose type is in pixels: its layer list and tooltips are set a size above the 18 px floor of a
chart's text; hub markers a size up. The legend is drawn by the stage beside or under the map, in rem like all of
the stage's text; the map's own is hidden (the room the map leaves for it stays, so no hub is hidden under anything).
The hub a stop is about is ringed (a shape as well as a colour).
"""

from __future__ import annotations

import base64
import re

from components.hubmap import legend_html, marker_style
from pakcoe import Release

MAP_CSS = (
    "#root,#parent,.float-child{height:100%}#map_div{height:100vh!important}"  # the map fills its frame (the stage's height)
    "#hub-legend{display:none}"
    ".leaflet-control-layers,.leaflet-control-layers label{font-size:19px!important}.leaflet-tooltip{font-size:19px!important}"
    ".hub-icon svg{transform:scale(1.4)}"  # markers a size up (scaled about their centre: they stay on their place)
    ".marker-cluster div{width:36px!important;height:36px!important;margin:2px!important}"
    ".marker-cluster span{font:700 18px/36px 'Source Sans Pro',Arial,sans-serif}"
)
RING = "box-shadow:0 0 0 5px #FFFFFF,0 0 0 10px #E07A1F;border-radius:50%"  # the marker's accessible name starts with the hub's name
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def css_string(text: str) -> str:
    """Text as the body of a CSS string: every character but letters, digits and spaces as a CSS escape."""
    return "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)


def map_css(ring: str | None = None) -> str:
    """The map's projector style (a <style> element), with the marker whose accessible name starts with `ring` ringed."""
    ringed = f'.hub-icon[aria-label^="{css_string(ring + ", ")}"]{{{RING}}}' if ring else ""
    return f"<style>{MAP_CSS}{ringed}</style>"


def legend(release: Release, view: str) -> str:
    """The map's legend (components.hubmap's markup, its texts escaped there) in the stage's type; its marker shapes
    as images, since st.html keeps no inline SVG."""
    markup = SVG.sub(
        lambda m: f'<img alt="" src="data:image/svg+xml;base64,{base64.b64encode(m.group(0).encode()).decode()}">', legend_html(marker_style(release), view)
    )
    return f'<div class="stage-legend">{markup}</div>'
