"""Every cache of the app, in one module: thin st.cache_data / st.cache_resource shells around pure pakcoe calls.

Validated releases are cached as resources (shared, not copied on every call: a copy of two releases
costs ~0.1 s); pages treat a Release as read-only. Everything derived is cached as data.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from components.foliumview import MapPayload, payload_of
from components.hubmap import MapSpec, build_map
from components.mappage import CoverageData, coverage_data, view_hubs
from components.overview import hubs_by_phase_figure
from pakcoe import Headline, ValidationReport, headline, list_releases, releases_root, validate_release
from pakcoe.coverage import HubFilter
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


@st.cache_resource(show_spinner=False, max_entries=4)
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


@st.cache_data(show_spinner=False, max_entries=64)
def _map_payload(fingerprint: tuple, version: str, view: str, hub_filter: HubFilter) -> MapPayload:
    report = next(r for r in _reports(fingerprint) if r.version == version)
    return payload_of(build_map(MapSpec(view, view_hubs(report.release, view, hub_filter), report.release)))


def map_payload(version: str, view: str, hub_filter: HubFilter) -> MapPayload:
    """The rendered hub map for a release, view and filter (rendered once per combination)."""
    return _map_payload(releases_fingerprint(), version, view, hub_filter)


@st.cache_data(show_spinner=False, max_entries=128)
def _coverage(fingerprint: tuple, version: str, view: str, hub_filter: HubFilter, radius: int) -> CoverageData:
    report = next(r for r in _reports(fingerprint) if r.version == version)
    return coverage_data(report.release, view_hubs(report.release, view, hub_filter), radius)


def coverage(version: str, view: str, hub_filter: HubFilter, radius: int) -> CoverageData:
    """Coverage figures and tables for a release, view, filter and radius."""
    return _coverage(releases_fingerprint(), version, view, hub_filter, radius)


@st.cache_data(show_spinner=False, max_entries=16)
def _overview_figure(fingerprint: tuple, version: str) -> tuple:
    report = next(r for r in _reports(fingerprint) if r.version == version)
    return hubs_by_phase_figure(report.release)


def overview_figure(version: str) -> tuple:
    """The overview's hubs-by-phase figure, data table and point."""
    return _overview_figure(releases_fingerprint(), version)
