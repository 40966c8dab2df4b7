"""Every cache of the app, in one module: thin st.cache_data / st.cache_resource shells around pure builders.

Each cache is keyed one way (`by_release`): the releases key (one short string that changes whenever any
release file does), the release version, and repr() of the other arguments. A string key is cheap to hash
(Streamlit's hasher walks a tuple or a dataclass field by field); repr() of the frozen dataclasses passed
here (HubFilter, Scenario) is exact. The arguments themselves go to the builder unhashed.

Resources or data: validated releases and read-only figure bundles are resources, shared and never copied
(a copy on every rerun costs more than the 50 ms budget of a lever move; pages treat them as read-only);
everything else is data, copied on every call so a caller may change what it gets.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import threading
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

import streamlit as st

from components.chart import ChartData
from components.foliumview import MapPayload, payload_of
from components.funding_figures import BranchData, FundingView, GapData, SankeyData, branch_data, gap_data, mix_data, provenance_rows, sankey_data
from components.hubmap import MapSpec, build_map
from components.map_data import CoverageData, FilterChoices, coverage_data, view_hubs
from components.map_data import filter_choices as build_filter_choices
from components.map_data import hub_labels as build_hub_labels
from components.overview_figures import hubs_by_phase
from components.partners_figures import programmes_data, raci_data
from components.rollout_detail import SensitivityData, sensitivity_data
from components.rollout_figures import CompareData, Lever, MethodologyText, PhasesData, compare_data, freeze, levers, methodology_text, phases_data
from components.rollout_figures import data_notes as build_data_notes
from components.thirdparty.streamlit import keep_signatures
from pakcoe import Headline, Release, ValidationReport, headline, i18n, list_releases, releases_root, validate_release
from pakcoe.coverage import HubFilter
from pakcoe.deck import Deck, load_deck
from pakcoe.diff import ReleaseDiff, diff_releases
from pakcoe.export import package_zip
from pakcoe.funding import branches
from pakcoe.lacks import Lacks
from pakcoe.lacks import release_lacks as build_release_lacks
from pakcoe.model import ModelResult, Scenario, run_model
from pakcoe.model import comparison_horizon as build_comparison_horizon
from pakcoe.rooms import Rooms
from pakcoe.uncertainty import Ranges, ranges

keep_signatures()  # each cached function's parameters looked up once per process (components/thirdparty/streamlit.py)

P = ParamSpec("P")
R = TypeVar("R")
D = TypeVar("D")
_RUN = threading.local()


def begin_run() -> None:
    """Called by app.py at the start of every script run: the releases folder is scanned once per run, not once
    per cached call (each scan stats every file, ~20 ms with a large release); the run's memo (run_memo) starts empty."""
    _RUN.fingerprint = _scan_releases()
    _RUN.memo = {}


def run_memo() -> dict | None:
    """A dict that lives for this script run only (begun by begin_run), for what a run asks for many times and that
    cannot change within it (frame.current_release); None outside a run begun by begin_run (tests, scripts, fragments)."""
    return getattr(_RUN, "memo", None)


def releases_fingerprint() -> tuple[str, str]:
    """(releases root, digest of the size and mtime of every file under it): changes whenever any release file does.
    Scanned once per script run: begin_run() rescans at the start of every run of this thread; outside a run (tests,
    scripts) every call scans."""
    fingerprint = getattr(_RUN, "fingerprint", None)
    if fingerprint is not None and fingerprint[0] == str(releases_root()):
        return fingerprint
    return _scan_releases()


def releases_key() -> str:
    """The releases fingerprint as one short string, the first part of every cache key."""
    return "|".join(releases_fingerprint())


def _scan_releases() -> tuple[str, str]:
    root = releases_root()
    entries = []
    folders = [str(root)] if root.is_dir() else []
    while folders:  # os.scandir, as os.walk does, without building a Path per file (~3x faster: it runs on every rerun)
        try:
            found = os.scandir(folders.pop())
        except OSError:
            continue
        with found:
            for entry in found:
                if entry.is_dir():
                    if not entry.is_symlink():  # os.walk does not descend into linked folders either
                        folders.append(entry.path)
                    continue
                try:
                    st_ = entry.stat()
                except OSError:
                    continue
                entries.append((entry.path, st_.st_size, st_.st_mtime_ns))
    return (str(root), hashlib.sha256(repr(sorted(entries)).encode()).hexdigest())


@st.cache_resource(show_spinner=False, max_entries=4)
def _reports(key: str) -> list[ValidationReport]:
    root = key.rsplit("|", 1)[0]  # the digest is hex: the last "|" ends the root
    return [validate_release(p) for p in list_releases(root)]


def _release(key: str, version: str, lang: str = i18n.DEFAULT) -> Release:
    """The valid release `version` among the reports cached under `key`, its texts in `lang`."""
    return i18n.localize(next(r for r in _reports(key) if r.version == version).release, lang)


def release_reports() -> list[ValidationReport]:
    """Validation reports of every release folder, oldest first (re-validated when a file changes)."""
    return _reports(releases_key())


def by_release(*, max_entries: int, resource: bool = False) -> Callable[[Callable[Concatenate[Release, P], R]], Callable[Concatenate[str, P], R]]:
    """Cache a pure builder `build(release, *args)` as `name(version, *args)`, keyed (releases key, version, the
    current language, repr(args)). The builder runs with that language current and the release's texts in it.

    resource=True: st.cache_resource (shared, never copied: read-only figure bundles); else st.cache_data."""

    def decorate(build: Callable[Concatenate[Release, P], R]) -> Callable[Concatenate[str, P], R]:
        def compute(key: str, version: str, lang: str, args_key: str, _args: tuple, _kwargs: dict) -> R:
            with i18n.using(lang):
                return build(_release(key, version, lang), *_args, **_kwargs)

        # Streamlit names a cache by the function's module, qualified name and source: give each its builder's name
        compute.__module__, compute.__qualname__, compute.__name__ = build.__module__, build.__qualname__, build.__name__
        cache = st.cache_resource if resource else st.cache_data
        compute_cached = cache(show_spinner=False, max_entries=max_entries)(compute)

        def call(version: str, *args: P.args, **kwargs: P.kwargs) -> R:
            return compute_cached(releases_key(), version, i18n.current(), repr((args, sorted(kwargs.items()))), args, kwargs)

        call.__module__, call.__qualname__, call.__name__, call.__doc__ = build.__module__, build.__qualname__, build.__name__, build.__doc__
        return call

    return decorate


@by_release(max_entries=16)
def release_headline(release: Release) -> Headline:
    """Headline figures of a valid release."""
    return headline(release)


@by_release(max_entries=8, resource=True)
def deck(release: Release) -> Deck | None:
    """The release's presentation deck, texts filled (None: the release has none). Read-only."""
    return load_deck(release)


@st.cache_resource(show_spinner=False)
def rooms() -> Rooms:
    """The presenter rooms' store (a SQLite file shared by every server process)."""
    return Rooms()


@by_release(max_entries=8)
def release_zip(release: Release) -> bytes:
    """The whole release folder as a zip archive."""
    return package_zip(release.path)


@st.cache_resource(show_spinner=False, max_entries=16)
def _diff(key: str, old: str, new: str, options: bool) -> ReleaseDiff:
    return diff_releases(_release(key, old), _release(key, new), options=options)


def release_diff(old: str, new: str, options: bool = True) -> ReleaseDiff:
    """What changed from valid release `old` to valid release `new` (pakcoe.diff; read-only, shared). `options=False`:
    the tables only, without running the model (what the older-release notice counts)."""
    return _diff(releases_key(), old, new, options)


@by_release(max_entries=16)
def release_lacks(release: Release) -> Lacks:
    """What a release lacks that the app uses: model rules (with the default that stands in) and page sections."""
    return build_release_lacks(release)


# Hub map page


@by_release(max_entries=64)
def map_payload(release: Release, view: str, hub_filter: HubFilter) -> MapPayload:
    """The rendered hub map for a release, view and filter (rendered once per combination)."""
    return payload_of(build_map(MapSpec(view, view_hubs(release, view, hub_filter), release)))


@by_release(max_entries=128)
def coverage(release: Release, view: str, hub_filter: HubFilter, radius: int) -> CoverageData:
    """Coverage figures and tables for a release, view, filter and radius."""
    return coverage_data(release, view_hubs(release, view, hub_filter), radius)


@by_release(max_entries=8)
def hub_labels(release: Release) -> dict[str, str]:
    """'Name (city)' of every hub of a release, for the map's hub picker."""
    return build_hub_labels(release)


@by_release(max_entries=8)
def filter_choices(release: Release) -> FilterChoices:
    """What the map's view switch and filters offer for a release (views, and phases, provinces, hub and host types)."""
    return build_filter_choices(release)


# Overview, Funding and Partners pages


@by_release(max_entries=16, resource=True)
def overview_figure(release: Release) -> ChartData:
    """The overview's hubs-by-phase figure, data table and point (read-only; its figure a FrozenFigure)."""
    return _frozen(hubs_by_phase(release))


def _frozen(built: D) -> D:
    """`built` (a frozen dataclass with a `figure`) with its figure as a read-only FrozenFigure (None stays None)."""
    return built if built.figure is None else dataclasses.replace(built, figure=freeze(built.figure))


# Funding's and Partners' figure bundles are resources (shared, never copied: read-only): as cache_data they were
# unpickled on every rerun (a Plotly figure rebuilt and validated, ~10 ms each) and their dicts rebuilt by st.plotly_chart.


@by_release(max_entries=64, resource=True)
def funding_sankey(release: Release, option_id: str, phase: int | None, currency: str, own: tuple[str, Scenario] | None = None) -> SankeyData:
    """The Funding page's Sankey (figure, link table, point, node totals) for an option, phase and currency (`own`: a
    session's own option as (name shown, Scenario), run instead of option_id; components.own_options). Read-only."""
    return _frozen(sankey_data(release, option_id, phase, currency, own))


@by_release(max_entries=64, resource=True)
def funding_mix(release: Release, option_id: str, phase: int | None, currency: str, own: tuple[str, Scenario] | None = None) -> ChartData:
    """The Funding page's yearly funding mix (figure, table, point). Read-only."""
    return _frozen(mix_data(release, option_id, phase, currency, own))


@by_release(max_entries=64, resource=True)
def funding_gap(release: Release, option_id: str, phase: int | None, currency: str, own: tuple[str, Scenario] | None = None) -> GapData:
    """The Funding page's funding gap by year and source (figure or None, table, point, where it comes from). Read-only."""
    return _frozen(gap_data(release, option_id, phase, currency, own))


@by_release(max_entries=16, resource=True)
def funding_branches(release: Release) -> list[BranchData]:
    """The dual-track decision's branches (model runs of one option per decision), each with its hubs-by-year figure and
    where its funding gap comes from. Read-only."""
    return [_frozen(branch_data(release, b)) for b in branches(release)]


@by_release(max_entries=64, resource=True)
def funding_provenance(release: Release, view: FundingView, own: tuple[str, Scenario] | None = None) -> list[dict[str, str]]:
    """Every figure of the Funding page for a view, with its provenance badge and basis (funding_figures.provenance_rows
    on the cached Sankey and branches; read-only)."""
    sankey = funding_sankey(release.version, view.option_id, view.phase, view.currency, own)
    return provenance_rows(release, view, sankey.node_totals, funding_branches(release.version))


@by_release(max_entries=16, resource=True)
def raci_figure(release: Release, track: str) -> ChartData:
    """The Partners page's RACI heatmap for a track (figure, letter table, point). Read-only."""
    return _frozen(raci_data(release, track))


@by_release(max_entries=16, resource=True)
def programmes_figure(release: Release) -> ChartData:
    """The Partners page's programmes chart (figure, table, point). Read-only."""
    return _frozen(programmes_data(release))


# Rollout model (Phases, Compare and Methodology pages)


@by_release(max_entries=64, resource=True)
def phases(release: Release, scenario: Scenario, option_name: str) -> PhasesData:
    """The Phases page's figures and tables for one option's Scenario (read-only)."""
    return phases_data(release, scenario, option_name)


@by_release(max_entries=256, resource=True)
def model_run(release: Release, scenario: Scenario) -> ModelResult:
    """One model run (read-only): Compare caches one per option, so a lever move reruns only the custom one."""
    return run_model(release, scenario)


@by_release(max_entries=128, resource=True)
def compare(release: Release, scenarios: tuple[Scenario, ...], labels: tuple[str, ...]) -> CompareData:
    """Model runs, overlaid figures and tables of 2-4 options' Scenarios (read-only)."""
    runs = tuple(model_run(release.version, s) for s in scenarios)
    return compare_data(release, scenarios, labels, runs)


@by_release(max_entries=256)
def _horizon_of(release: Release, scenario: Scenario) -> int:
    return build_comparison_horizon(release, (scenario,))


def comparison_horizon(version: str, scenarios: tuple[Scenario, ...]) -> int:
    """pakcoe.model.comparison_horizon of the options: the one horizon (quarters) long enough for each to reach steady state.

    That horizon is the largest of each option's own (each is its steady quarter, at least the release's horizon, at most
    the model's cap), so it is cached per option: a lever move reruns only the custom option's long run."""
    return max(_horizon_of(version, s) for s in scenarios)


@by_release(max_entries=256)
def _ranges(release: Release, scenario: Scenario) -> Ranges:
    return ranges(release, scenario)


def option_ranges(version: str, scenarios: tuple[Scenario, ...]) -> tuple[Ranges, ...]:
    """The 5th-95th percentile range of each option's headline figures (seeded samples), one cache entry per option."""
    return tuple(_ranges(version, s) for s in scenarios)


@by_release(max_entries=64, resource=True)
def sensitivity(release: Release, scenario: Scenario, label: str) -> SensitivityData:
    """The sensitivity (tornado) chart and table of one option's Scenario (read-only; its figure a FrozenFigure)."""
    return _frozen(sensitivity_data(release, scenario, label))


@by_release(max_entries=16, resource=True)
def rollout_levers(release: Release) -> tuple[Lever, ...]:
    """The custom option's lever specs (bounds from assumptions.csv, provenance badges) of a release."""
    return levers(release)


@by_release(max_entries=16)
def methodology(release: Release) -> MethodologyText:
    """The Methodology page's formulas (model docstring sections) and assumption lines with badges."""
    return methodology_text(release)


@by_release(max_entries=16)
def data_notes(release: Release) -> tuple[str, ...]:
    """The notes on the data and the model, computed from a release (model runs of its default option)."""
    return build_data_notes(release)
