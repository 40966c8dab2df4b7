"""components.thirdparty.streamlit.in_fragment on a real server, in real Chromium: False in a run of the whole page,
True in a fragment's own rerun (a button inside the fragment pressed), which AppTest cannot make."""

from __future__ import annotations

from pathlib import Path

from harness import streamlit_server
from playwright.sync_api import Browser, expect
from releasekit import ROOT

TOY = f"""import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from components.thirdparty.streamlit import in_fragment

st.title("Toy")
st.text(f"page {{in_fragment()}}")


@st.fragment
def part():
    st.button("Again", key="again")
    st.text(f"fragment {{in_fragment()}}")


part()
"""


def test_in_fragment_tells_a_fragments_own_rerun_from_a_whole_run(tmp_path: Path, browser: Browser, ready):
    script = tmp_path / "toy.py"
    script.write_text(TOY, encoding="utf-8")
    with streamlit_server(script) as url:
        page = browser.new_page()
        page.goto(url)
        ready(page)
        texts = page.locator("[data-testid=stText]")
        expect(texts).to_have_text(["page False", "fragment False"])
        page.get_by_role("button", name="Again").click()
        expect(texts).to_have_text(["page False", "fragment True"])  # only the fragment ran again
        page.close()
