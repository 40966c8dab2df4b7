"""The export buttons of the app (the Streamlit side of components.exports): a chart's PNG and SVG, Compare's CSV.

An image is rendered only when asked: a click on "Image (PNG)" renders the chart under a spinner, then offers the
file's download in the same run (a plain download of bytes already made; Streamlit's deferred, callable download
gave nothing under parallel load, see the git log). Nothing is rendered on a page's ordinary reruns, and the offer
goes away with the next rerun, so a download never holds a chart that has since changed. Where images cannot be
made on this machine the buttons are disabled, and their help says why.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from components import exports, render
from components.rollout_figures import CompareData
from pakcoe import Release
from pakcoe.i18n import t
from pakcoe.provenance import provenance
from pakcoe.uncertainty import Ranges

LOG = logging.getLogger(__name__)
FORMATS = {"png": ("Image (PNG)", "image/png"), "svg": ("Image (SVG)", "image/svg+xml")}  # labels: `format_label`


def format_label(fmt: str) -> str:
    """A format button's label in the current language."""
    return t("Image (PNG)") if fmt == "png" else t("Image (SVG)")


def help_text() -> str:
    """What an image button does, in the current language."""
    return t(
        "Draws this chart at {width} × {height} with its point as the title and, under it, the data release, today's date, "
        "the concept's status, the source and how to cite it; then offers the file.",
        width=exports.WIDTH,
        height=exports.HEIGHT,
    )


def chart_downloads(fig: go.Figure | None, *, point: str, release: Release, source: str, key: str) -> None:
    """PNG and SVG buttons under a chart; a clicked one renders the chart with its footer and offers the file."""
    if fig is None:
        return
    reason = render.unavailable()
    with st.container(horizontal=True, key=f"export-{key}", gap="small", vertical_alignment="center"):
        for fmt, (_label, mime) in FORMATS.items():
            clicked = st.button(
                format_label(fmt),
                key=f"export-{key}-{fmt}",
                icon=":material/image:",
                type="tertiary",
                disabled=reason is not None,
                help=reason or help_text(),
            )
            if not clicked:
                continue
            try:
                with st.spinner(t("Drawing the chart as {format}…", format=fmt.upper())):
                    data = exports.chart_image(fig, fmt, point, provenance(release, source))
            except Exception:  # the page goes on; the log has the details
                LOG.exception("exporting chart %s as %s failed", key, fmt)
                st.warning(t("The chart could not be drawn as {format} just now; try again.", format=fmt.upper()), icon=":material/error:")
                continue
            st.download_button(
                t("Save the {format}", format=fmt.upper()),
                data,
                file_name=exports.file_name(release.version, point, fmt),
                mime=mime,
                key=f"export-{key}-{fmt}-file",
                on_click="ignore",
                type="primary",
                icon=":material/download:",
            )


def compare_csv(release: Release, data: CompareData, baseline: str, ranges: Sequence[Ranges]) -> None:
    """The Compare page's "Key figures (CSV)" download: each option's key figures, changes and ranges, with provenance."""
    text = exports.compare_csv(data, ranges, baseline, provenance(release, exports.compare_source()))
    st.download_button(
        t("Key figures (CSV)"),
        text.encode("utf-8"),
        file_name=exports.file_name(release.version, "compare key figures", "csv"),
        mime="text/csv",
        key="export-compare-csv",
        on_click="ignore",
        icon=":material/download:",
        help=t(
            "Each option's key figures over the horizon, their change against the baseline and their ranges, under lines "
            "giving the data release, today's date, the options and levers compared, the concept's status, the source and how to cite it."
        ),
    )
