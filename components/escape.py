"""The one escape helper for any text that reaches HTML or Markdown.

Folium puts popup and tooltip HTML inside JavaScript template strings, so HTML escaping alone is
not enough: `${...}` and backticks would run, and `</script>` would end the script. escape_html
neutralises all three; escape_md keeps data text literal inside st.markdown.
"""

from __future__ import annotations

import html
import re

_JS_TEMPLATE = {"$": "&#36;", "`": "&#96;"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$:~=^])")


def escape_html(text: object) -> str:
    """Text safe inside HTML (elements and attributes) and inside JS template strings."""
    escaped = html.escape("" if text is None else str(text), quote=True)
    for char, entity in _JS_TEMPLATE.items():
        escaped = escaped.replace(char, entity)
    return escaped


def escape_md(text: object) -> str:
    """Text shown literally by st.markdown: no links, HTML, LaTeX, colour or emoji directives."""
    flat = " ".join(("" if text is None else str(text)).split())
    return _MD_SPECIAL.sub(r"\\\1", flat)
