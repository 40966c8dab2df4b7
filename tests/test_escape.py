"""The escape helper neutralises HTML, JS template strings and script breakouts; Markdown stays literal."""

from __future__ import annotations

import pytest

from components.escape import escape_html, escape_md

PAYLOADS = ["<img src=x onerror=alert(1)>", "${alert(1)}", "`);alert(1);(`", "</script><script>alert(1)</script>", "\"'><svg onload=alert(1)>"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_html_leaves_no_active_character(payload):
    out = escape_html(payload)
    for char in "<>\"'`$":
        assert char not in out
    assert "</script" not in out.lower()


def test_escape_html_is_readable_text():
    assert escape_html("Karachi & Lahore <hubs> cost $5 `x`") == "Karachi &amp; Lahore &lt;hubs&gt; cost &#36;5 &#96;x&#96;"
    assert escape_html(None) == ""
    assert escape_html(12) == "12"


def test_escape_md_keeps_markdown_literal():
    assert escape_md("[click](javascript:alert(1))") == "\\[click\\]\\(javascript\\:alert\\(1\\)\\)"
    assert escape_md("costs $5 and $6") == "costs \\$5 and \\$6"
    assert escape_md(":red[alarm] **bold**\n# head") == "\\:red\\[alarm\\] \\*\\*bold\\*\\* \\# head"
