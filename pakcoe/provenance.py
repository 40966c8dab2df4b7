"""What every export carries (pure): the release, the export date, the concept's status, the source of what it shows,
how to cite the release, and the attributions the data requires, all read from the release's descriptor.

An export (a chart image, the map, the deck as PDF or PowerPoint, the offline pack, a CSV) draws `Provenance.lines()`
into its footer or header; a map export adds the boundary disclaimer (`map_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pakcoe.release import PublishedListError, Release, read_published

STATUS = "Concept proposal — not approved; figures are sourced facts or illustrative assumptions"
BOUNDARY = (  # the map's boundary disclaimer (the Hub map page shows it under the map too)
    "Boundaries and names shown do not imply endorsement or acceptance. Pak AI CoE is a concept; "
    "hub locations are indicative (neighbourhood, town, city or district level), and no site has been agreed."
)
TILES = "Map tiles © OpenStreetMap contributors"  # only where tiles were drawn (never offline)
GENERIC = ("sources of every fact",)  # descriptor source titles that point at sources.csv rather than attribute data


@dataclass(frozen=True)
class Provenance:
    """The provenance lines of one export."""

    release: str  # the release's version
    exported: date
    source: str  # the source line of what the export shows, in words
    cite: str  # how to cite this release
    attributions: tuple[str, ...]  # what the data's licences require (GeoNames CC BY 4.0, Natural Earth / world-atlas, …)
    status: str = STATUS
    draft: bool = False  # the release is not published: it may still change

    def lines(self) -> tuple[str, ...]:
        """The footer, one line each: status; release and date; source; how to cite; attributions."""
        head = f"Data release {self.release}{' (draft, not published)' if self.draft else ''} · exported {self.exported.isoformat()}"
        return (self.status, head, f"Source: {self.source}", f"Cite: {self.cite}", "Attributions: " + "; ".join(self.attributions))

    def map_lines(self, tiles: bool = False) -> tuple[str, ...]:
        """A map export's lines: the boundary disclaimer, then lines(), with the tiles' attribution when tiles were drawn."""
        lines = list(self.lines())
        if tiles:
            lines[-1] += f"; {TILES}"
        return (BOUNDARY, *lines)


def cite_line(release: Release) -> str:
    """How to cite the release: authors, year, title, version, creation date, licence (from its datapackage.json)."""
    d = release.descriptor
    authors = ", ".join(c.get("title", "") for c in d.get("contributors", []) if c.get("title")) or "Pak AI CoE proposal team"
    created = str(d.get("created", ""))[:10]
    year = created[:4] or str(date.today().year)
    licence = ", ".join(lic.get("title") or lic.get("name", "") for lic in d.get("licenses", []))
    title = d.get("title", "Pak AI CoE: proposal data")
    parts = [f"{authors} ({year}). {title}, data release {release.version}"]
    if created:
        parts.append(f" (created {created})")
    parts.append(".")
    if licence:
        parts.append(f" Licence: {licence}.")
    return "".join(parts)


def attributions(release: Release) -> tuple[str, ...]:
    """The descriptor's data sources that need attribution (not its pointer to sources.csv)."""
    titles = [str(s.get("title", "")) for s in release.descriptor.get("sources", [])]
    return tuple(t for t in titles if t and not t.lower().startswith(GENERIC))


def is_draft(release: Release) -> bool:
    """Whether the release is a draft: published.json beside its folder does not list it (or cannot be read)."""
    try:
        return release.version not in read_published(release.path.parent)
    except PublishedListError:
        return True


def provenance(release: Release, source: str, on: date | None = None) -> Provenance:
    """The provenance of an export of `release` showing what `source` names, exported on `on` (today by default)."""
    return Provenance(release.version, on or date.today(), source, cite_line(release), attributions(release), draft=is_draft(release))
