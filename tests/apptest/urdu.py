"""AppTest checks for a page drawn in Urdu (?lang=ur): every text a user reads is mostly Arabic script.

`english_leaks(at)` lists the texts of a run that read as English: less than half their letters Arabic once the
names and acronyms kept as written (pakcoe.i18n.KEPT_AS_WRITTEN), placeholders, addresses and numbers are set aside.
Texts from Plotly figures (titles, axis titles, legend names, hover templates, annotations) are included.
"""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from pakcoe.i18n import arabic_share

MIN_SHARE = 0.5
_HTML = re.compile(r"<[^>]+>")
_MD = re.compile(r"[*_#>`|\[\]()!~-]")


_DIRECTIVE = re.compile(r":material/[a-z0-9_]+:|:[a-z]+(?:-badge|-background)?\[")


_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")  # a Markdown link's address: the reader sees its label, not this


def _clean(text: str) -> str:
    text = _LINK_TARGET.sub("]", text)
    return _MD.sub(" ", _HTML.sub(" ", _DIRECTIVE.sub(" ", text.replace("\\", ""))))  # Markdown escapes dropped


def _figure_texts(spec: dict) -> list[str]:
    out: list[str] = []
    layout = spec.get("layout", {})
    title = layout.get("title")
    out.append(title.get("text", "") if isinstance(title, dict) else str(title or ""))
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            t = axis.get("title")
            out.append(t.get("text", "") if isinstance(t, dict) else str(t or ""))
            out += [str(v) for v in axis.get("ticktext", []) or []]
    out += [str(a.get("text", "")) for a in layout.get("annotations", []) or []]
    for trace in spec.get("data", []):
        out.append(str(trace.get("name", "") or ""))
        out.append(re.sub(r"%\{[^}]*\}", " ", str(trace.get("hovertemplate", "") or "")).replace("<extra></extra>", " "))
    return [o for o in out if o.strip()]


def texts(at: AppTest) -> list[str]:
    """Every text of the run a user reads: markdown, notices, captions, headings, widget labels and options, metric
    labels, expander and tab labels, button labels, Plotly figure texts."""
    parts: list[str] = []
    for kind in ("markdown", "info", "warning", "error", "success", "caption", "title", "header", "subheader"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [e.label for e in at.expander]
    parts += [e.label for e in at.tabs]
    parts += [e.label for e in at.button]
    for kind in ("selectbox", "radio", "multiselect", "select_slider", "slider", "checkbox", "toggle", "number_input", "text_input"):
        for w in getattr(at, kind):
            parts.append(str(w.label))
            parts += [str(o) for o in getattr(w, "options", []) or []]
    for m in at.metric:
        parts.append(str(m.label))
    for chart in at.get("plotly_chart"):
        parts += _figure_texts(json.loads(chart.proto.spec))
    return [p for p in (_clean(x).strip() for x in parts) if p]


def cited_texts(release) -> set[str]:
    """Texts of `release` shown as their source wrote them (pakcoe.i18n.CITED: source titles and publishers,
    provenance notes), which may appear in English on an Urdu page (marked so where shown)."""
    from pakcoe.i18n import CITED

    out: set[str] = set()
    for name, fields in CITED.items():
        frame = release.tables.get(name)
        if frame is not None:
            out |= {_clean(str(v)).strip() for f in fields if f in frame.columns for v in frame[f].dropna()}
    return out


def english_leaks(at: AppTest, min_share: float = MIN_SHARE, allow: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The texts of the run that read as English (see module doc); [] when the page is all Urdu. `allow`: texts that
    may stay English (e.g. `cited_texts(release)`); a text containing one of them is checked without it."""
    leaks = []
    for p in texts(at):
        rest = p
        for a in sorted(allow, key=len, reverse=True):
            if a and a in rest:
                rest = rest.replace(a, " ")
        if arabic_share(rest) < min_share:
            leaks.append(p)
    return leaks
