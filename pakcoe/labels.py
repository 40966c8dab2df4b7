"""Labels and ids the pages show, read from a release: hub types, public funding decisions, the demonstrator city.

Pages never write these into code. A release before 1.4.0 has no `decisions` table: for those, the texts of
`DECISION_STAND_INS` stand in (the same wording release 1.4.0 published), so older releases read the same; a
decision a release's table does not list gets its stand-in too, so every decision of the model has a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from pakcoe import i18n
from pakcoe.release import Release, per_release


@dataclass(frozen=True)
class Decision:
    """One public funding decision, as users read it."""

    decision: str  # the id, as in options.csv's public_decision
    label: str  # e.g. "Adopted and funded on time"
    consequence: str  # what follows for the two tracks, one sentence


# For releases without a decisions table (before 1.4.0): the wording release 1.4.0 published.
DECISION_STAND_INS: tuple[Decision, ...] = (
    Decision("on_time", "Adopted and funded on time", "Partners co-implement a national framework."),
    Decision("delayed", "Public funding delayed", "The private track keeps momentum; public money joins later."),
    Decision("not_approved", "Not approved (private track only)", "The private track becomes the rollout."),
)


def decisions(release: Release) -> dict[str, Decision]:
    """decision id -> Decision, in the release's order: its `decisions` table, then the stand-in of any decision it does not
    list (all of them for a release without the table). A stand-in reads in the release's language (its texts are the
    ones release 1.4.0 published, so the translations table holds them). Read once per release object."""
    return dict(_decisions(release))


def _read_decisions(release: Release) -> dict[str, Decision]:
    out: dict[str, Decision] = {}
    if "decisions" in release.tables:
        table = release.table("decisions")
        out = {str(r.decision): Decision(str(r.decision), str(r.label), str(r.consequence)) for r in table.itertuples(index=False)}
    lang = release.lang
    return out | {
        d.decision: Decision(d.decision, i18n.data_text(release, d.label, lang), i18n.data_text(release, d.consequence, lang))
        for d in DECISION_STAND_INS
        if d.decision not in out
    }


_decisions = per_release(_read_decisions)  # the Compare page asks on every rerun; a release is read-only


def decision_labels(release: Release) -> dict[str, str]:
    """decision id -> label."""
    return {k: d.label for k, d in decisions(release).items()}


def hub_types(release: Release) -> dict[str, str]:
    """hub_type -> label (hub_types.csv's label column), in the release's order."""
    table = release.table("hub_types")
    return dict(zip(table["hub_type"].astype(str), table["label"].astype(str), strict=True))


def demonstrator_city(release: Release) -> str:
    """city_id of the first phase's cluster: the city with the most hubs in the lowest phase (ties: the first in hubs.csv).

    The map's cluster view and the headline's demonstrator figures follow it."""
    hubs = release.hubs
    first = hubs[hubs["phase_id"] == hubs["phase_id"].min()]
    counts = first["city_id"].value_counts(sort=False)
    return str(counts.idxmax())


def city_name(release: Release, city_id: str) -> str:
    """The city's name from cities.csv."""
    cities = release.table("cities")
    return str(cities.loc[cities["city_id"] == city_id, "name"].iloc[0])
