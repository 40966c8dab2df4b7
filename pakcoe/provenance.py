"""What every export carries (pure): the release, the export date, the concept's status, the source of what it shows,
how to cite the release, and the attributions the data requires, all read from the release's descriptor.

An export (a chart image, the map, the deck as PDF or PowerPoint, the offline pack, a CSV) draws `Provenance.lines()`
into its footer or header; a map export adds the boundary disclaimer (`map_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pakcoe import i18n
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

    def lines(self, lang: str | None = None) -> tuple[str, ...]:
        """The footer, one line each: status; release and date; source; how to cite; attributions (in `lang`, default
        the current language; the source line is given in it by the caller, the citation and attributions as written)."""
        lang = lang or i18n.current()
        status = status_text(lang) if self.status == STATUS else self.status
        when = i18n.date(self.exported, lang)
        if self.draft:
            head = i18n.tl("Data release {version} (draft, not published) · exported {date}", lang, version=self.release, date=when)
        else:
            head = i18n.tl("Data release {version} · exported {date}", lang, version=self.release, date=when)
        return (
            status,
            head,
            i18n.tl("Source: {source}", lang, source=self.source),
            i18n.tl("Cite: {cite}", lang, cite=self.cite),
            i18n.tl("Attributions: {list}", lang, list="; ".join(self.attributions)),
        )

    def map_lines(self, tiles: bool = False, lang: str | None = None) -> tuple[str, ...]:
        """A map export's lines: the boundary disclaimer, then lines(), with the tiles' attribution when tiles were drawn."""
        lang = lang or i18n.current()
        lines = list(self.lines(lang))
        if tiles:
            lines[-1] += f"; {tiles_text(lang)}"
        return (boundary_text(lang), *lines)


def status_text(lang: str | None = None) -> str:
    """STATUS in `lang` (default: the current language)."""
    return i18n.tl("Concept proposal — not approved; figures are sourced facts or illustrative assumptions", lang or i18n.current())


def boundary_text(lang: str | None = None) -> str:
    """BOUNDARY in `lang` (default: the current language)."""
    return i18n.tl(
        "Boundaries and names shown do not imply endorsement or acceptance. Pak AI CoE is a concept; "
        "hub locations are indicative (neighbourhood, town, city or district level), and no site has been agreed.",
        lang or i18n.current(),
    )


def tiles_text(lang: str | None = None) -> str:
    """TILES in `lang` (default: the current language)."""
    return i18n.tl("Map tiles © OpenStreetMap contributors", lang or i18n.current())


def cite_line(release: Release, lang: str | None = None) -> str:
    """How to cite the release: authors, year, title, version, creation date, licence (from its datapackage.json), in
    `lang` (default: the current language; names and the title as the descriptor writes them)."""
    lang = lang or i18n.current()
    d = release.descriptor
    authors = ", ".join(c.get("title", "") for c in d.get("contributors", []) if c.get("title")) or i18n.tl("Pak AI CoE proposal team", lang)
    created = str(d.get("created", ""))[:10]
    year = created[:4] or str(date.today().year)
    licence = ", ".join(lic.get("title") or lic.get("name", "") for lic in d.get("licenses", []))
    title = d.get("title", "Pak AI CoE: proposal data")
    parts = [i18n.tl("{authors} ({year}). {title}, data release {version}", lang, authors=authors, year=year, title=title, version=release.version)]
    if created:
        parts.append(i18n.tl(" (created {date})", lang, date=i18n.date(created, lang)))
    parts.append(".")
    if licence:
        parts.append(i18n.tl(" Licence: {licence}.", lang, licence=licence))
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
