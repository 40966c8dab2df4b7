"""A page opened first with a query string runs inside the frame (as the real server does with scripts/serve.py)."""

from __future__ import annotations

import pytest
from apphelp import open_clean


@pytest.mark.parametrize("page", ["map", "phases", "compare", "methodology", "funding", "partners", "data"])
def test_every_page_opened_first_has_the_frame_and_the_linked_release(real_releases, page):
    at = open_clean(page, {"release": "1.0.0"})
    assert at.selectbox(key="release").value == "1.0.0"
    assert "Concept proposal" in at.warning[0].value


def test_data_page_shows_the_linked_release(real_releases):
    at = open_clean("data", {"release": "1.0.0", "table": "gaps"})
    assert {m.label: m.value for m in at.metric}["Release"] == "1.0.0"
    assert at.selectbox(key="table").value == "gaps"
