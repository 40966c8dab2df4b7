"""A chart's image export in real Chromium: the PNG button renders the Funding page's Sankey on the server, then a
download gives a PNG of the export size, and the console stays clean."""

from __future__ import annotations

import io

from browserhelp import assert_frame, heading
from PIL import Image
from playwright.sync_api import expect

from components import exports


def test_a_chart_downloads_as_a_png_of_the_export_size(visit, app_server):
    page, log = visit(f"{app_server}/funding")
    expect(heading(page, "Funding")).to_be_visible()
    assert_frame(page)
    buttons = page.locator(".st-key-export-funding-sankey")
    buttons.get_by_role("button", name="Image (PNG)").click()
    save = page.locator(".st-key-export-funding-sankey-png-file").get_by_role("button", name="Save the PNG")
    expect(save).to_be_visible(timeout=60_000)  # the first image of a server may start the renderer
    with page.expect_download() as download:
        save.click()
    assert download.value.suggested_filename.endswith(".png")
    data = download.value.path().read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (exports.WIDTH, exports.HEIGHT)
    assert log.defects() == []
