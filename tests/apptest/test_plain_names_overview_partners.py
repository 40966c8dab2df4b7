"""Overview and Partners & roles speak plain words: no file name, module path, milestone id, snake_case name or
province code standing alone in anything they draw (text, metrics, links, tables, chart labels), on the newest
published release and on the oldest."""

from __future__ import annotations

import json
import re

import pytest
from apphelp import ROOT, folds_opened, html_text, open_clean, plotly_values
from streamlit.testing.v1 import AppTest

from pakcoe import load_release
from pakcoe.display import texts as display_texts
from pakcoe.release import read_published
from pakcoe.semver import semver_key

_published = sorted(read_published(ROOT / "data" / "releases"), key=semver_key)
NEWEST, OLDEST = _published[-1], _published[0]

FILE = re.compile(r"\b[\w\-]+\.(?:csv|json|geojson|py)\b")
MODULE = re.compile(r"\b(?:pakcoe|components)\.\w+")
MILESTONE = re.compile(r"\bM\d{2}\b")
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
ICON = re.compile(r":material/[a-z_]+:")
LINK_TARGET = re.compile(r"\]\([^)\s]*\)")  # a Markdown link's address: the reader sees its label, not this


TEXT = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success")


def visible(at: AppTest) -> str:
    """Everything the page draws in the main area for a reader: text elements, metrics, links, expander labels, table
    headers and cells (grids and static HTML tables), HTML cards, chart labels (the sidebar's glossary lists the
    abbreviations themselves, as it should)."""
    nodes = list(at.main)
    parts = [str(n.value) for n in nodes if n.type in TEXT]
    parts += [f"{n.label}\n{n.value}\n{n.help or ''}" for n in nodes if n.type == "metric"]
    parts += [n.proto.label for n in nodes if n.type == "page_link"]
    parts += [e.label for e in at.main.expander]
    parts += [html_text(n.value) for n in nodes if n.type == "html"]  # static tables and cards (their text, not their markup)
    for frame in [n.value for n in nodes if n.type in ("dataframe", "table")]:
        parts += [str(c) for c in frame.columns]
        parts += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    for chart in [n for n in nodes if n.type == "plotly_chart"]:
        spec = json.loads(chart.proto.spec)
        for trace in spec["data"]:
            parts.append(str(trace.get("name") or ""))
            for axis in ("x", "y"):
                values = trace.get(axis)
                if values is not None and not (isinstance(values, dict) and "bdata" in values):
                    parts += [str(v) for v in plotly_values(values)]
        layout = spec.get("layout", {})
        parts += [str((layout.get(k) or {}).get("title", {}).get("text", "")) for k in ("xaxis", "yaxis")]
    return LINK_TARGET.sub("]", ICON.sub("", "\n".join(parts)))


def codes_alone(text: str, release) -> list[str]:
    """Province and territory codes not written as part of their full name at first use ("Khyber Pakhtunkhwa (KP)")."""
    labels = display_texts(release)
    found = []
    for code in release.table("provinces")["province_id"].astype(str):
        rest = text.replace(f"{labels.province(code)} ({code})", "")
        if labels.first_use(code) != code:
            rest = rest.replace(labels.first_use(code), "")
        if re.search(rf"(?<![\w\-]){re.escape(code)}(?![\w\-])", rest):
            found.append(code)
    return found


@pytest.mark.parametrize("version", [NEWEST, OLDEST])
@pytest.mark.parametrize(
    ("page", "query"),
    [("overview", {}), ("partners", {}), ("partners", {"raci_track": "private"})],
    ids=["overview", "partners-public", "partners-private"],
)
def test_no_raw_names(real_releases, version, page, query):
    at = folds_opened(open_clean(page, {"release": version, **query}))  # the folded sections' texts too
    text = visible(at)
    assert "Pak AI CoE" in text or "Partners" in text  # the page drew
    assert FILE.findall(text) == []
    assert MODULE.findall(text) == []
    assert MILESTONE.findall(text) == []
    assert SNAKE.findall(text) == []
    assert codes_alone(text, load_release(real_releases / version)) == []
