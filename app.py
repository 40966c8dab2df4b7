"""Pak AI CoE explorer: builds the navigation and the shared frame (release selector, status banner)."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from components import cached, deferred, frame, lang, notices, printing, runslots, uploadmark
from pakcoe import i18n, registry

PAGES = Path(__file__).parent / "pages"
LOG = logging.getLogger("pakcoe.app")


def run() -> None:
    """Route to the chosen page inside the shared frame."""
    lang.sync()  # first: every text below is in the language the address or the switch asks for
    st.set_page_config(page_title=i18n.t("Pak AI CoE explorer"), page_icon="🇵🇰", layout="wide")
    notices.begin()  # the place of this run's one-time notices, at the top of the main area
    pages = [st.Page(PAGES / p.file, title=i18n.t(p.title), icon=p.icon, url_path=p.url_path, default=p.default) for p in registry.PAGES]
    page = st.navigation(pages, position="sidebar")  # every page one click away at every width (no "more" menu)
    shown = registry.by_url_path(page.url_path)
    projector = shown is not None and shown.projector
    deferred.watch(enabled=not projector)  # a first visit's charts come once its first screen is drawn
    cached.begin_run()
    lang.switch()
    uploadmark.sync()  # the address's mark of an upload; the notice when the files are gone (a reload, another replica)
    uploadmark.reconnect_watch()  # a page whose websocket came back (perhaps to another replica) runs again at once
    reports = cached.release_reports()
    asked = frame.asked_release()
    version = frame.release_selector(reports, asked)
    printing.print_frame(version, draft=any(r.version == version and not r.published for r in reports))  # the print stylesheet, on every page
    if not projector:  # a projector page (Present) draws its own slim status line, and nothing above its stop
        frame.status_banner(frame.current_release() if version is not None else None)
        frame.broken_releases_panel(reports, asked)
    if version is None:
        st.error(
            i18n.t(
                "No valid published data release is available, so there is nothing to show. Releases that failed validation "
                "are listed above; a draft release is shown only once it is published."
            )
        )
        st.stop()
    refresh_notice = frame.release_notice(reports, version, shown) if not projector else None
    try:
        page.run()
    except deferred.Folded:  # a first visit's first run: the rest of the page comes in the next run
        pass
    except Exception:  # a page must never show a traceback; st.stop/st.rerun are BaseExceptions and pass through
        LOG.exception("page %s failed", page.title)
        st.error(i18n.t("This page could not be drawn. The problem has been logged; other pages still work."), icon=":material/error:")
    finally:
        deferred.finish()  # what asks for the charts or the page's rest this run left for the next (also after st.stop)
    if refresh_notice is not None:
        refresh_notice()  # its links hold the view the page now shows (the page wrote its widgets' values to the address)
    if not projector:
        frame.glossary(frame.current_release())  # below the page's own sidebar controls, on every page


with runslots.slot():
    run()
