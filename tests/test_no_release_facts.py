"""No release facts in code: page and component text must not state a release's figures, quarters or versions.

Every figure a page shows is read or computed from the selected release; a number written into a string of
`components/` or `pages/` would be true of one release and silently false of the next. This test reads every
string literal and f-string of those folders (their docstrings excepted: they are for developers) and fails on

- a number of three or more digits, or one with thousands separators (``5,000``),
- a quarter (``2028Q4``),
- a version (``1.1.0``).

What is not a release fact is allowed by pattern, never by file: each entry of ALLOWED says why.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("components", "pages")
FACT = re.compile(r"\d{4}Q[1-4]|\d+\.\d+\.\d+|\d{1,3}(?:,\d{3})+|(?<![\w.])\d{3,}(?![\w])")

# (pattern, why it is not a release fact). A hit inside a match of one of these is allowed.
ALLOWED: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"https?://\S+"), "a URL: library versions in CDN addresses (components/mapassets.py), XML namespaces"),
    (re.compile(r"#[0-9A-Fa-f]{3,8}\b"), "a CSS or SVG hex colour"),
    (re.compile(r"rgba?\([^)]*\)"), "a CSS colour function"),
    (re.compile(r"\b\d+(?:\.\d+)?(?:px|em|rem|vh|vw|ms)\b"), "a CSS length or a duration in a style or script template"),
    (re.compile(r"font-weight:\s*\d+"), "a CSS font weight"),
    (re.compile(r"[<>]=?\s*\d+"), "a comparison in a script template (e.g. a size threshold in px)"),
    (re.compile(r"\{[^{}]*:[^{}]*\}"), "a str.format field with its format spec"),
)


def is_docstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    owner = parents.get(parent) if isinstance(parent, ast.Expr) else None
    return isinstance(owner, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and owner.body[0] is parent


def literal_texts(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of every string literal and literal part of an f-string, except docstrings, f-string format
    specs and the value of a widget's key= argument (a key is never shown)."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            skipped.update(id(n) for n in ast.walk(node.format_spec))
        if isinstance(node, ast.keyword) and node.arg == "key":
            skipped.update(id(n) for n in ast.walk(node.value))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped and not is_docstring(node, parents):
            out.append((node.lineno, node.value))
    return out


def facts_in(text: str) -> list[str]:
    allowed = [m.span() for pattern, _ in ALLOWED for m in pattern.finditer(text)]
    return [m.group(0) for m in FACT.finditer(text) if not any(a <= m.start() and m.end() <= b for a, b in allowed)]


def test_no_figure_quarter_or_version_is_written_into_page_or_component_text():
    found = []
    files = sorted(f for folder in FOLDERS for f in (ROOT / folder).rglob("*.py"))
    assert len(files) > 10
    for file in files:
        for line, text in literal_texts(ast.parse(file.read_text(encoding="utf-8"))):
            found += [f"{file.relative_to(ROOT)}:{line}: {fact!r} in {text[:90]!r}" for fact in facts_in(text)]
    assert not found, "release facts written into code (read or compute them from the release):\n" + "\n".join(found)


def test_the_scanner_finds_what_it_must_and_allows_what_it_may():
    code = '''
"""Module docstring: 10 000 hubs, release 1.1.0 (a docstring is not shown)."""
import streamlit as st
st.markdown("Milestone M06 targets 5,000 learners by 2028Q4")
st.caption(f"{n:,.0f} hubs; it starts with release 1.1.0; capacity 6000 a year")
st.info("The 100 hubs")
URL = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"
CSS = "<style>#x{border:1px solid #999;width:520px;background:rgba(255,255,255,.9);font-weight:700}</style>"
JS = "if (box.clientHeight >= 160) fit();"
st.selectbox("x", [1], key="chart-2028")
TEMPLATE = "{value:,.0f} learners"
'''
    hits = [fact for _, text in literal_texts(ast.parse(code)) for fact in facts_in(text)]
    assert sorted(hits) == sorted(["5,000", "2028Q4", "1.1.0", "6000", "100"])
