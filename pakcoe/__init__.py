"""Pak AI CoE domain: load and validate data releases, and compute from them. Never imports Streamlit."""

from pakcoe.allocation import largest_remainder
from pakcoe.headline import Headline, Range, headline
from pakcoe.problems import Problem, ReleaseInvalid
from pakcoe.release import (
    Release,
    ValidationReport,
    list_releases,
    load_release,
    newest_valid,
    read_published,
    record_published,
    releases_root,
    validate_release,
)

__all__ = [
    "Headline",
    "Problem",
    "Range",
    "Release",
    "ReleaseInvalid",
    "ValidationReport",
    "headline",
    "largest_remainder",
    "list_releases",
    "load_release",
    "newest_valid",
    "read_published",
    "record_published",
    "releases_root",
    "validate_release",
]
