"""The one escape helper for any text that reaches HTML or Markdown.

Folium puts popup and tooltip HTML inside JavaScript template strings, so HTML escaping alone is
not enough: `${...}` and backticks would run, and `</script>` would end the script. escape_html
neutralises all three; escape_md keeps data text literal inside st.markdown.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

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


def cell_text(value: object) -> str:
    """One table value as the app's tables show it, in plain text (not escaped): blanks for missing values, yes/no,
    floats to at most 4 decimals, lists joined by commas."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(v) for v in value)
    return str(value)
