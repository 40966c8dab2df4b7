"""Data: the release behind every figure: metadata, sources, changelog, validation, tables, download."""

import streamlit as st

from components import cached, datapage, deferred, diffview, frame, urlstate
from pakcoe import releases_root
from pakcoe.export import changelog_text
from pakcoe.i18n import t

release = frame.current_release()
reports = cached.release_reports()

st.title(t("Data"))
st.markdown(
    t(
        "Every figure in this app comes from a data release: a Frictionless data package whose files are checked on every "
        "load. A published release is never edited; changes make a new release, a draft until it is published."
    )
)
datapage.metadata(release)
st.download_button(
    t("Download release {version} as published (zip)", version=release.version),
    data=cached.release_zip(release.version),
    file_name=f"pak-ai-coe-{release.version}.zip",
    mime="application/zip",
    icon=":material/download:",
    help=t("Every file of the release exactly as published, byte for byte: the hashes in its description check them."),
    key="download-zip",
    on_click="ignore",  # no rerun: a rerun would revoke a deferred file before its request is served
)

st.header(t("Browse the tables"), divider="gray")
table = urlstate.widget(st.selectbox, "data", "table", t("Table"), format_func=lambda name: datapage.table_title(release, name))
deferred.fold()  # a first visit's first run ends here, below its first screen; the rest comes in the next run
datapage.table_browser(release, table)

st.header(t("Validation report"), divider="gray")
datapage.validation_report(reports, release.version)

st.header(t("What changed between releases"), divider="gray", anchor="changes")
diffview.what_changed(release, reports)

st.header(t("Sources"), divider="gray")
datapage.sources(release)

st.header(t("Changelog"), divider="gray")
datapage.changelog(release, changelog_text(releases_root()))
