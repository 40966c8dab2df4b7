"""What a release lacks that the app uses: rules of the rollout model (a stated default stands in) and page sections.

Older releases predate some tables; the app still serves them, and one release notice (components.frame) lists
what is missing. This module says what that is; it never decides how it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from pakcoe.model import model_inputs
from pakcoe.release import Release

# Tables a page section is drawn from, with the section's name and page: a release without the table has no such
# section, and the release notice says so (the section is left out without a notice of its own).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("hub_users", "who uses a hub, and how (Overview)"),
    ("design_elements", "the design of the first phase's demonstrator (Overview)"),
    ("goals", "the national goals (Overview)"),
    ("tracks", "the two tracks (Overview)"),
    ("influences", "what the design is informed by (Overview)"),
    ("statements", "what Pak AI CoE is, and is not yet (Overview)"),
    ("rules", "the rules of the dual track (Methodology)"),
    ("risks", "the risks and who owns them (Partners & roles)"),
)


@dataclass(frozen=True)
class Lacks:
    """What a release lacks that the app uses: rules of the rollout model (with the default that stands in) and sections."""

    rules: tuple[tuple[str, str], ...]  # (what the release lacks, the default the model uses instead)
    sections: tuple[str, ...]  # page sections the release has no table for

    def __bool__(self) -> bool:
        return bool(self.rules or self.sections)


def holds(release: Release, table: str) -> bool:
    """Whether the release has the table a page section is drawn from (the release notice names what it lacks)."""
    return table in release.tables


def release_lacks(release: Release) -> Lacks:
    """What `release` lacks."""
    return Lacks(tuple(model_inputs(release).missing_rules), tuple(label for table, label in SECTIONS if not holds(release, table)))
