"""Every cache of the app, in one module: thin st.cache_data / st.cache_resource shells around pure pakcoe calls.

Validated releases are cached as resources (shared, not copied on every call: a copy of two releases
costs ~0.1 s); pages treat a Release as read-only. Everything derived is cached as data.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import streamlit as st

from components import mappage
from components.foliumview import MapPayload, payload_of
from components.hubmap import MapSpec, build_map
from components.mappage import CoverageData, coverage_data, view_hubs
from components.overview import hubs_by_phase_figure
from pakcoe import Headline, Release, ValidationReport, headline, list_releases, releases_root, validate_release
from pakcoe.coverage import HubFilter
from pakcoe.export import package_zip

_RUN = threading.local()


def begin_run() -> None:
    """Called by app.py at the start of every script run: the releases folder is scanned once per run, not once
    per cached call (each scan stats every file, ~20 ms with a large release)."""
    _RUN.fingerprint = _scan_releases()


def releases_fingerprint() -> tuple[str, str]:
    """(releases root, digest of the size and mtime of every file under it): a short, cheap-to-hash cache key
    that changes whenever any release file does. Scanned once per script run: begin_run() rescans at the
    start of every run of this thread; outside a run (tests, scripts) every call scans."""
    fingerprint = getattr(_RUN, "fingerprint", None)
    if fingerprint is not None and fingerprint[0] == str(releases_root()):
        return fingerprint
    return _scan_releases()


def _scan_releases() -> tuple[str, str]:
    root = releases_root()
    entries = []
    if root.is_dir():
        for dirpath, _, files in os.walk(root):
            for name in files:
                p = Path(dirpath) / name
                try:
                    st_ = p.stat()
                except OSError:
                    continue
                entries.append((str(p), st_.st_size, st_.st_mtime_ns))
    return (str(root), hashlib.sha256(repr(sorted(entries)).encode()).hexdigest())


@st.cache_resource(show_spinner=False, max_entries=4)
def _reports(fingerprint: tuple) -> list[ValidationReport]:
    return [validate_release(p) for p in list_releases(fingerprint[0])]


def _release(fingerprint: tuple, version: str) -> Release:
    """The valid release `version` among the cached reports."""
    return next(r for r in _reports(fingerprint) if r.version == version).release


def release_reports() -> list[ValidationReport]:
    """Validation reports of every release folder, oldest first (re-validated when a file changes)."""
    return _reports(releases_fingerprint())


@st.cache_data(show_spinner=False, max_entries=16)
def _headline(fingerprint: tuple, version: str) -> Headline:
    return headline(_release(fingerprint, version))


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
    release = _release(fingerprint, version)
    return payload_of(build_map(MapSpec(view, view_hubs(release, view, hub_filter), release)))


def map_payload(version: str, view: str, hub_filter: HubFilter) -> MapPayload:
    """The rendered hub map for a release, view and filter (rendered once per combination)."""
    return _map_payload(releases_fingerprint(), version, view, hub_filter)


@st.cache_data(show_spinner=False, max_entries=128)
def _coverage(fingerprint: tuple, version: str, view: str, hub_filter: HubFilter, radius: int) -> CoverageData:
    release = _release(fingerprint, version)
    return coverage_data(release, view_hubs(release, view, hub_filter), radius)


def coverage(version: str, view: str, hub_filter: HubFilter, radius: int) -> CoverageData:
    """Coverage figures and tables for a release, view, filter and radius."""
    return _coverage(releases_fingerprint(), version, view, hub_filter, radius)


@st.cache_resource(show_spinner=False, max_entries=16)  # read-only figure: not copied on every rerun
def _overview_figure(fingerprint: tuple, version: str) -> tuple:
    return hubs_by_phase_figure(_release(fingerprint, version))


def overview_figure(version: str) -> tuple:
    """The overview's hubs-by-phase figure, data table and point."""
    return _overview_figure(releases_fingerprint(), version)


@st.cache_data(show_spinner=False, max_entries=64)
def _funding_sankey(fingerprint: tuple, version: str, option_id: str, phase: int | None, currency: str) -> tuple:
    from components.funding import sankey_figure

    return sankey_figure(_release(fingerprint, version), option_id, phase, currency)


def funding_sankey(version: str, option_id: str, phase: int | None, currency: str) -> tuple:
    """The Funding page's Sankey (figure, link table, point, node totals) for an option, phase and currency."""
    return _funding_sankey(releases_fingerprint(), version, option_id, phase, currency)


@st.cache_data(show_spinner=False, max_entries=64)
def _funding_mix(fingerprint: tuple, version: str, option_id: str, phase: int | None, currency: str) -> tuple:
    from components.funding import mix_figure

    return mix_figure(_release(fingerprint, version), option_id, phase, currency)


def funding_mix(version: str, option_id: str, phase: int | None, currency: str) -> tuple:
    """The Funding page's yearly funding mix (figure, table, point)."""
    return _funding_mix(releases_fingerprint(), version, option_id, phase, currency)


@st.cache_data(show_spinner=False, max_entries=64)
def _funding_gap(fingerprint: tuple, version: str, option_id: str, phase: int | None, currency: str) -> tuple:
    from components.funding import gap_figure

    return gap_figure(_release(fingerprint, version), option_id, phase, currency)


def funding_gap(version: str, option_id: str, phase: int | None, currency: str) -> tuple:
    """The Funding page's funding gap by year and source (figure or None, table, point, where it comes from)."""
    return _funding_gap(releases_fingerprint(), version, option_id, phase, currency)


@st.cache_data(show_spinner=False, max_entries=16)
def _funding_branches(fingerprint: tuple, version: str) -> list:
    from components.funding import branch_figure, branch_gap
    from pakcoe.funding import branches

    release = _release(fingerprint, version)
    return [(b, branch_figure(b), branch_gap(release, b)) for b in branches(release)]


def funding_branches(version: str) -> list:
    """The dual-track decision's branches (model runs of one option per decision), each with its hubs-by-year figure and
    where its funding gap comes from."""
    return _funding_branches(releases_fingerprint(), version)


@st.cache_data(show_spinner=False, max_entries=16)
def _raci_figure(fingerprint: tuple, version: str, track: str) -> tuple:
    from components.partners import raci_figure

    return raci_figure(_release(fingerprint, version), track)


def raci_figure(version: str, track: str) -> tuple:
    """The Partners page's RACI heatmap for a track (figure, letter table, point)."""
    return _raci_figure(releases_fingerprint(), version, track)


@st.cache_data(show_spinner=False, max_entries=16)
def _programmes_figure(fingerprint: tuple, version: str) -> tuple:
    from components.partners import programmes_figure

    return programmes_figure(_release(fingerprint, version))


def programmes_figure(version: str) -> tuple:
    """The Partners page's programmes chart (figure, table, point)."""
    return _programmes_figure(releases_fingerprint(), version)


# ---------------------------------------------------------------------------------------------------
# Rollout model (Phases, Compare and Methodology pages). Resources, not data: a figure bundle is
# read-only, and copying it on every rerun (cache_data) would cost more than the 50 ms budget of a
# lever move. Keyed by (releases fingerprint, version, scenario(s)) like the others, but as short
# strings: Streamlit's hasher walks a tuple element by element, and the fingerprint has one entry
# per file (~10 ms a call on a loaded machine); repr() of the frozen Scenario dataclasses is exact.


def _rollout_key() -> str:
    """The releases fingerprint as one short string (changes whenever any release file does)."""
    return "|".join(releases_fingerprint())


def _rollout_release(version: str):  # -> pakcoe.Release
    return _release(releases_fingerprint(), version)


@st.cache_resource(show_spinner=False, max_entries=64)
def _phases(key: str, version: str, scenario_key: str, option_name: str, _scenario: object) -> object:
    from components.rollout_figures import phases_data

    return phases_data(_rollout_release(version), _scenario, option_name)


def phases(version: str, scenario: object, option_name: str):  # -> components.rollout_figures.PhasesData
    """The Phases page's figures and tables for one option's Scenario (read-only)."""
    return _phases(_rollout_key(), version, repr(scenario), option_name, scenario)


@st.cache_resource(show_spinner=False, max_entries=256)
def _run(key: str, version: str, scenario_key: str, _scenario: object) -> object:
    from pakcoe.model import run_model

    return run_model(_rollout_release(version), _scenario)


@st.cache_resource(show_spinner=False, max_entries=128)
def _compare(key: str, version: str, scenarios_key: str, labels: tuple[str, ...], _scenarios: tuple) -> object:
    from components.rollout_figures import compare_data

    runs = tuple(_run(key, version, repr(s), s) for s in _scenarios)  # one run per option: a lever move reruns only the custom one
    return compare_data(_rollout_release(version), _scenarios, labels, runs)


def compare(version: str, scenarios: tuple, labels: tuple[str, ...]):  # -> components.rollout_figures.CompareData
    """Model runs, overlaid figures and tables of 2-4 options' Scenarios (read-only)."""
    return _compare(_rollout_key(), version, repr(scenarios), labels, scenarios)


@st.cache_data(show_spinner=False, max_entries=256)
def _horizon_of(key: str, version: str, scenario_key: str, _scenario: object) -> int:
    from pakcoe.model import comparison_horizon as horizon

    return horizon(_rollout_release(version), (_scenario,))


def comparison_horizon(version: str, scenarios: tuple) -> int:
    """pakcoe.model.comparison_horizon of the options: the one horizon (quarters) long enough for each to reach steady state.

    That horizon is the largest of each option's own (each is its steady quarter, at least the release's horizon, at most
    the model's cap), so it is cached per option: a lever move reruns only the custom option's long run."""
    return max(_horizon_of(_rollout_key(), version, repr(s), s) for s in scenarios)


@st.cache_data(show_spinner=False, max_entries=256)
def _ranges(key: str, version: str, scenario_key: str, _scenario: object) -> object:
    from pakcoe.uncertainty import ranges

    return ranges(_rollout_release(version), _scenario)


def option_ranges(version: str, scenarios: tuple) -> tuple:  # -> tuple[pakcoe.uncertainty.Ranges, ...]
    """The 5th-95th percentile range of each option's headline figures (seeded samples), one cache entry per option."""
    return tuple(_ranges(_rollout_key(), version, repr(s), s) for s in scenarios)


@st.cache_resource(show_spinner=False, max_entries=64)
def _sensitivity(key: str, version: str, scenario_key: str, label: str, _scenario: object) -> object:
    from components.rollout_detail import sensitivity_data

    return sensitivity_data(_rollout_release(version), _scenario, label)


def sensitivity(version: str, scenario: object, label: str):  # -> components.rollout_detail.SensitivityData
    """The sensitivity (tornado) chart and table of one option's Scenario (read-only)."""
    return _sensitivity(_rollout_key(), version, repr(scenario), label, scenario)


@st.cache_resource(show_spinner=False, max_entries=16)
def _rollout_levers(key: str, version: str) -> tuple:
    from components.rollout_figures import levers

    return levers(_rollout_release(version))


def rollout_levers(version: str) -> tuple:
    """The custom option's lever specs (bounds from assumptions.csv, provenance badges) of a release."""
    return _rollout_levers(_rollout_key(), version)


@st.cache_data(show_spinner=False, max_entries=16)
def _methodology(key: str, version: str) -> object:
    from components.rollout_figures import methodology_text

    return methodology_text(_rollout_release(version))


def methodology(version: str):  # -> components.rollout_figures.MethodologyText
    """The Methodology page's formulas (model docstring sections) and assumption lines with badges."""
    return _methodology(_rollout_key(), version)


@st.cache_data(show_spinner=False, max_entries=16)
def _data_notes(key: str, version: str) -> tuple[str, ...]:
    from components.rollout_figures import data_notes

    return data_notes(_rollout_release(version))


def data_notes(version: str) -> tuple[str, ...]:
    """The notes on the data and the model, computed from a release (model runs of its default option)."""
    return _data_notes(_rollout_key(), version)


@st.cache_data(show_spinner=False, max_entries=16)
def _release_lacks(fingerprint: tuple, version: str) -> tuple:
    from components.frame import release_lacks

    return release_lacks(_release(fingerprint, version))


def release_lacks(version: str) -> tuple:  # -> components.frame.Lacks
    """What a release lacks that the app uses: model rules (with the default that stands in) and page sections."""
    return _release_lacks(releases_fingerprint(), version)


@st.cache_data(show_spinner=False, max_entries=8)
def _hub_labels(fingerprint: tuple, version: str) -> dict[str, str]:
    return mappage.hub_labels(_release(fingerprint, version))


def hub_labels(version: str) -> dict[str, str]:
    """'Name (city)' of every hub of a release, for the map's hub picker."""
    return _hub_labels(releases_fingerprint(), version)


@st.cache_data(show_spinner=False, max_entries=8)
def _filter_choices(fingerprint: tuple, version: str) -> mappage.FilterChoices:
    return mappage.filter_choices(_release(fingerprint, version))


def filter_choices(version: str) -> mappage.FilterChoices:
    """What the map's filters offer for a release (phase and province names, host types in use)."""
    return _filter_choices(releases_fingerprint(), version)


# ---------------------------------------------------------------------------------------------------
# Warm-up at server start (scripts/serve.py calls warm() in a background thread once the runtime exists).


def warm() -> list[tuple[str, float]]:
    """Compute, before anyone asks, what a first visitor to the start page or the hub map needs.

    Without it the first visit after a server start pays for every release's validation and the map's
    rendering (9.2 s for the 10 000-hub map, against ~2.5 s once warm). Warms: the validation of every
    release folder; for the newest valid release, the start page's headline and chart, and the map page's
    filter choices, hub names and both views' maps with no filter. A visitor who arrives while a value is
    still being computed waits for that computation (Streamlit's per-value lock) instead of starting another.
    Returns (what, seconds) for each step, for the server log.
    """
    import time

    from components.frame import valid_versions

    done: list[tuple[str, float]] = []

    def step(what: str, fn, *args) -> object:
        t0 = time.perf_counter()
        value = fn(*args)
        done.append((what, time.perf_counter() - t0))
        return value

    begin_run()
    reports = step("validate every release", release_reports)
    versions = valid_versions(reports)
    if not versions:
        return done
    v = versions[0]
    step(f"release {v}: start page headline", release_headline, v)
    step(f"release {v}: start page chart", overview_figure, v)
    step(f"release {v}: map filters", filter_choices, v)
    step(f"release {v}: hub names", hub_labels, v)
    for view in ("national", "karachi"):
        step(f"release {v}: {view} map", map_payload, v, view, HubFilter())
    return done
