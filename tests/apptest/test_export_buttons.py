"""Export buttons: every chart frame offers PNG and SVG, rendered only when clicked and then offered as a file; without
Chromium they are disabled and say why; Compare offers its key figures as CSV, read back with the page's options."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from apphelp import open_clean
from PIL import Image
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import app_test

from components import exports, render


class RecordingStorage(MemoryMediaFileStorage):
    """AppTest's own in-memory media storage, keeping what each run stored (AppTest makes a new one per run)."""

    files: dict[str, tuple[bytes, str]] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        RecordingStorage.files[file_id] = (path_or_data if isinstance(path_or_data, bytes) else b"", mimetype)
        return file_id


@pytest.fixture
def stored(monkeypatch):
    """The files the app stored for download (by the file id at the end of a download button's url)."""
    RecordingStorage.files = {}
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", RecordingStorage)
    return RecordingStorage.files


@pytest.fixture
def render_calls(monkeypatch):
    """How many images the real renderer made (it still makes them)."""
    calls: list[str] = []
    real = render.image

    def counted(fig, fmt, *args, **kwargs):
        calls.append(fmt)
        return real(fig, fmt, *args, **kwargs)

    monkeypatch.setattr(render, "image", counted)
    return calls


def chart_keys(at) -> list[str]:
    """The key of every chart the page drew (a chart's element id ends with its key)."""
    return [c.proto.id.split("-", 2)[2] for c in at.get("plotly_chart")]


def downloads(at) -> dict[str, str]:
    """label -> url of every download button of the run."""
    return {b.proto.label: b.proto.url for b in at.get("download_button")}


def file_of(stored: dict, url: str) -> tuple[bytes, str]:
    return stored[url.rsplit("/", 1)[-1].split(".")[0]]


def test_every_chart_offers_png_and_svg_and_nothing_renders_until_clicked(real_releases, render_calls, stored):
    at = open_clean("funding")
    keys = chart_keys(at)
    assert len(keys) >= 3
    for key in keys:
        for fmt in ("png", "svg"):
            button = at.button(key=f"export-{key}-{fmt}")
            assert not button.disabled and button.label == f"Image ({fmt.upper()})"
    assert render_calls == [] and not any(label.startswith("Save the") for label in downloads(at))
    at.button(key=f"export-{keys[0]}-png").click().run()
    assert not at.exception and render_calls == ["png"]
    data, mime = file_of(stored, downloads(at)["Save the PNG"])
    assert mime == "image/png" and Image.open(io.BytesIO(data)).size == (exports.WIDTH, exports.HEIGHT)
    at.run()  # any later rerun: the offer goes, nothing is rendered again
    assert "Save the PNG" not in downloads(at) and render_calls == ["png"]


def test_without_chromium_the_buttons_are_disabled_and_say_why(real_releases, monkeypatch):
    monkeypatch.setattr(render, "chromium", lambda: None)  # the real code path of a machine without the browser
    reason = render.unavailable()
    assert reason and "Chromium" in reason
    at = open_clean("compare")
    keys = chart_keys(at)
    assert keys
    for key in keys:
        for fmt in ("png", "svg"):
            button = at.button(key=f"export-{key}-{fmt}")
            assert button.disabled and button.help == reason
    assert not at.warning or all("could not be drawn" not in w.value for w in at.warning)


def test_compare_offers_its_key_figures_as_csv(real_releases, stored):
    at = open_clean("compare", {"options": ["public-on-time", "custom"], "c_capex": "1.2"})
    data, mime = file_of(stored, downloads(at)["Key figures (CSV)"])
    assert mime == "text/csv"
    text = data.decode("utf-8")
    frame = pd.read_csv(io.StringIO(text), comment="#")
    assert frame["Option"].tolist()[-1] == "Custom option (your levers)" and len(frame) == 2
    assert frame["Baseline"].tolist() == ["yes", "no"]
    header = [line for line in text.splitlines() if line.startswith("#")]
    version = [line for line in header if line.startswith("# Data release ")]
    assert version and "exported" in version[0]
    assert any("Capital cost multiplier: 1.2" in line for line in header)


def test_in_urdu_the_buttons_and_the_files_speak_urdu(real_releases, render_calls, stored):
    """?lang=ur: the image buttons and their offer are in Urdu, the image is drawn (with its Urdu footer: see
    tests/test_export_urdu.py); Compare's CSV has Urdu `#` lines over the same column ids as in English."""
    from pakcoe.i18n import arabic_share

    at = open_clean("funding", {"lang": "ur"})
    key = chart_keys(at)[0]
    assert at.button(key=f"export-{key}-png").label == "تصویر (PNG)" and at.button(key=f"export-{key}-svg").label == "تصویر (SVG)"
    assert arabic_share(at.button(key=f"export-{key}-png").help) > 0.5
    at.button(key=f"export-{key}-svg").click().run()
    assert not at.exception and render_calls == ["svg"]
    data, mime = file_of(stored, downloads(at)["SVG محفوظ کریں"])
    assert mime == "image/svg+xml" and "Nastaliq" in data.decode("utf-8")
    query = {"options": ["public-on-time", "custom"], "c_capex": "1.2"}
    english = open_clean("compare", query)
    en_text = file_of(stored, downloads(english)["Key figures (CSV)"])[0].decode("utf-8")
    at = open_clean("compare", {**query, "lang": "ur"})
    text = file_of(stored, downloads(at)["اہم اعداد (CSV)"])[0].decode("utf-8")
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header and all(arabic_share(line) > 0.5 for line in header[:3]), header[:3]
    frame, frame_en = pd.read_csv(io.StringIO(text), comment="#"), pd.read_csv(io.StringIO(en_text), comment="#")
    assert list(frame.columns) == list(frame_en.columns) and frame["Baseline"].tolist() == ["yes", "no"]
