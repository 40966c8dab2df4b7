"""Every st.cache_data wrapper of the app, in one module: thin shells around pure pakcoe calls."""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from pakcoe import Headline, ValidationReport, headline, list_releases, releases_root, validate_release
from pakcoe.export import package_zip


def releases_fingerprint() -> tuple:
    """Size and mtime of every file under the releases root: a cheap key that changes when any file does."""
    root = releases_root()
    entries = []
    if root.is_dir():
        for dirpath, _, files in os.walk(root):
            for name in files:
                p = Path(dirpath) / name
                try:
                    s = p.stat()
                except OSError:
                    continue
                entries.append((str(p), s.st_size, s.st_mtime_ns))
    return (str(root), tuple(sorted(entries)))


@st.cache_data(show_spinner=False, max_entries=8)
def _reports(fingerprint: tuple) -> list[ValidationReport]:
    return [validate_release(p) for p in list_releases(fingerprint[0])]


def release_reports() -> list[ValidationReport]:
    """Validation reports of every release folder, oldest first (re-validated when a file changes)."""
    return _reports(releases_fingerprint())


@st.cache_data(show_spinner=False, max_entries=16)
def _headline(fingerprint: tuple, version: str) -> Headline:
    report = next(r for r in _reports(fingerprint) if r.version == version)
    return headline(report.release)


def release_headline(version: str) -> Headline:
    """Headline figures of a valid release."""
    return _headline(releases_fingerprint(), version)


@st.cache_data(show_spinner=False, max_entries=8)
def _zip(fingerprint: tuple, version: str) -> bytes:
    return package_zip(Path(fingerprint[0]) / version)


def release_zip(version: str) -> bytes:
    """The whole release folder as a zip archive."""
    return _zip(releases_fingerprint(), version)
