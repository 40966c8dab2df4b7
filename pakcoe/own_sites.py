"""Sites of one's own: an alternative hub list uploaded for one session, checked like the release's own hubs.

`template_csv` gives the release's hub list as a CSV to start from (every column of its hubs table; every hub, as long
as the file stays within the upload limits, else the first hubs that fit). `parse_sites` reads an uploaded file and
checks it: the limits first (size, rows, columns), then UTF-8 text (a byte-order mark is allowed) with no binary
content, the columns, each cell's type, known cities and the city's province, the release's phases and hub types,
duplicates (site ids, identical coordinates), each site inside Pakistan's outline and within `MAX_KM` of its city, names
of at most `MAX_NAME` characters and no text cell a spreadsheet would run as a formula. A file with any problem loads
no site: its problems say, by row and column, what to change. `compare_sites` sets the sites beside the release's plan:
coverage of the census cities per phase, and hubs per province.

Nothing is written to disk and nothing is executed: the file is parsed with the csv module and every cell is checked
here. Pure Python, no Streamlit; messages are in the current language (pakcoe.i18n).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pakcoe import labels
from pakcoe.allocation import allocate_hubs
from pakcoe.coverage import coverage_by_phase
from pakcoe.display import texts
from pakcoe.geo import haversine_km, points_outside
from pakcoe.i18n import num, t
from pakcoe.release import Release
from pakcoe.tableschema import PANDAS_DTYPES, CastError, cast

MAX_BYTES = 1_000_000  # 1 MB: the limit Streamlit's uploader enforces in the browser (server.maxUploadSize = 1), as for own options
MAX_ROWS = 10_000  # sites
MAX_COLUMNS = 200
MAX_NAME = 120  # characters of a site's name
MAX_KM = 50.0  # a site lies within this distance of the city it names
REQUIRED = ("hub_id", "name", "city_id", "phase_id", "hub_type", "lat", "lon")  # province_id, when left out, is the city's
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is run as a formula by spreadsheets
SHOWN_VALUE = 40  # characters of a refused value quoted in its message


@dataclass(frozen=True)
class SiteProblem:
    """One thing wrong with an uploaded file: the row of the file (the header is row 1; None for the whole file), the
    column as the file names it (None for a row or the whole file) and what to change, in plain words."""

    row: int | None
    field: str | None
    message: str


@dataclass(frozen=True)
class OwnSites:
    """An uploaded hub list: its sites (typed like release.hubs; empty when the file has any problem) and its problems."""

    hubs: pd.DataFrame
    problems: tuple[SiteProblem, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems and len(self.hubs) > 0


def hubs_schema(release: Release) -> list[dict]:
    """The fields of the release's hubs table (datapackage.json)."""
    return list(release.resource("hubs")["schema"]["fields"])


def template_csv(release: Release) -> str:
    """The release's hub list as a CSV to edit: every column of its hubs table, and its hubs as examples (all of them
    while the file stays within MAX_ROWS and MAX_BYTES; else the first hubs that fit)."""
    names = [f["name"] for f in hubs_schema(release)]
    rows = release.hubs[names].head(MAX_ROWS)
    text = _csv_text(names, rows)
    while len(text.encode("utf-8")) > MAX_BYTES and len(rows) > 1:
        rows = rows.head(len(rows) * 9 // 10)
        text = _csv_text(names, rows)
    return text


def _csv_text(names: list[str], rows: pd.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows.itertuples(index=False):
        writer.writerow(["" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v for v in row])
    return out.getvalue()


def _shown(value: str) -> str:
    return value if len(value) <= SHOWN_VALUE else value[: SHOWN_VALUE - 1] + "…"


def _refused(message: str) -> OwnSites:
    return OwnSites(pd.DataFrame(), (SiteProblem(None, None, message),))


def _text(raw: bytes) -> str | OwnSites:
    """The file as text, or the one problem that stops it being read (limits, binary content, encoding, emptiness)."""
    if len(raw) > MAX_BYTES:
        return _refused(
            t(
                "The file is {size} bytes, over the limit of {limit} bytes (1 MB). Nothing was loaded: upload a smaller file.",
                size=num(len(raw)),
                limit=num(MAX_BYTES),
            )
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (a spreadsheet's "Unicode text"): text, but not UTF-8
        return _refused(t("The file is not UTF-8 text (it is UTF-16). Nothing was loaded: save it as “CSV UTF-8” and upload it again."))
    if b"\x00" in raw:
        return _refused(t("The file holds binary content, not CSV text. Nothing was loaded: upload a CSV file saved as text."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _refused(
            t(
                "The file is not UTF-8 text (the first unreadable byte is number {offset}). Nothing was loaded: save it as “CSV UTF-8” and upload it again.",
                offset=num(exc.start + 1),
            )
        )
    if not text.strip():
        return _refused(t("The file is empty: it has no header row and no sites. Nothing was loaded."))
    return text


def _rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]] | OwnSites:
    """The header and the non-blank rows with their row numbers, or the problem that stops the reading (the caps)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > MAX_COLUMNS:
                return _refused(
                    t(
                        "Row {row} of the file has {n} columns; at most {limit} are read. Nothing was loaded.",
                        row=num(reader.line_num),
                        n=num(len(cells)),
                        limit=num(MAX_COLUMNS),
                    )
                )
            if header is None:
                header = [c.strip() for c in cells]
                continue
            rows.append((reader.line_num, cells))
            if len(rows) > MAX_ROWS:
                return _refused(t("The file has more than {limit} sites. Nothing was loaded: upload at most {limit} rows.", limit=num(MAX_ROWS)))
    except csv.Error:
        return _refused(
            t("The file could not be read as CSV near row {row} (a cell is too long or a quote is not closed). Nothing was loaded.", row=num(reader.line_num))
        )
    if header is None:
        return _refused(t("The file is empty: it has no header row and no sites. Nothing was loaded."))
    if not rows:
        return _refused(t("The file has a header row but no sites. Nothing was loaded."))
    return header, rows


def _header_problems(header: list[str], names: list[str]) -> list[SiteProblem]:
    problems = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(SiteProblem(1, name, t("The column appears twice; keep one.")))
        elif name not in names:
            problems.append(SiteProblem(1, _shown(name), t("This is not a column of the hub list; the template names every column.")))
        seen.add(name)
    for name in REQUIRED:
        if name in names and name not in header:
            problems.append(SiteProblem(1, name, t("This column is missing; every site needs it (the template has it).")))
    return problems


class _Checker:
    """The release's rules for one site, with what they need read once."""

    def __init__(self, release: Release):
        self.release = release
        self.fields = {f["name"]: f for f in hubs_schema(release)}
        cities = release.table("cities")
        self.cities = {str(c.city_id): c for c in cities.itertuples(index=False)}
        self.phases = [int(p) for p in release.table("phases")["phase_id"]]
        self.types = labels.hub_types(release)
        self.tx = texts(release)

    def cell(self, row: int, name: str, raw: str, problems: list[SiteProblem]) -> object:
        """One cell typed as its column, or None (missing or refused, with its problem added)."""
        spec = self.fields[name]
        kind = spec.get("type", "string")
        value = raw.strip()
        if value == "":
            if name in REQUIRED:
                problems.append(SiteProblem(row, name, t("A value is needed here.")))
            return None
        if kind == "string" and value.startswith(FORMULA_STARTS):
            problems.append(
                SiteProblem(
                    row, name, t("“{value}” starts with “{char}”, which a spreadsheet runs as a formula; remove that sign.", value=_shown(value), char=value[0])
                )
            )
            return None
        try:
            typed = cast(value, kind)
        except CastError:
            message = t("“{value}” is not a whole number.", value=_shown(value)) if kind == "integer" else t("“{value}” is not a number.", value=_shown(value))
            problems.append(SiteProblem(row, name, message))
            return None
        rules = spec.get("constraints", {})
        if name == "name" and len(value) > MAX_NAME:
            problems.append(SiteProblem(row, name, t("The name has {n} characters; at most {limit}.", n=num(len(value)), limit=num(MAX_NAME))))
        elif "minLength" in rules and len(value) < rules["minLength"]:
            problems.append(SiteProblem(row, name, t("“{value}” is too short: at least {n} characters.", value=_shown(value), n=num(rules["minLength"]))))
        if "enum" in rules and typed not in rules["enum"] and name not in ("hub_type", "phase_id", "province_id"):
            problems.append(
                SiteProblem(
                    row,
                    name,
                    t("“{value}” is not one of the values this column takes: {values}.", value=_shown(value), values=", ".join(map(str, rules["enum"]))),
                )
            )
        if "pattern" in rules and name != "name" and not _matches(rules["pattern"], value):
            problems.append(SiteProblem(row, name, t("“{value}” is not written the way this column is (see the template).", value=_shown(value))))
        if "minimum" in rules and typed < rules["minimum"] and name not in ("lat", "lon"):
            problems.append(SiteProblem(row, name, t("{value} is below the lowest value allowed, {limit}.", value=_shown(value), limit=rules["minimum"])))
        if "maximum" in rules and typed > rules["maximum"] and name not in ("lat", "lon"):
            problems.append(SiteProblem(row, name, t("{value} is above the highest value allowed, {limit}.", value=_shown(value), limit=rules["maximum"])))
        return typed

    def site(self, row: int, site: dict, problems: list[SiteProblem]) -> None:
        """The rules across a site's cells: its city, the city's province, phase, hub type, distance to the city."""
        city = self.cities.get(str(site.get("city_id"))) if site.get("city_id") is not None else None
        if site.get("city_id") is not None and city is None:
            problems.append(SiteProblem(row, "city_id", t("“{value}” is not a city of this release's city list.", value=_shown(str(site["city_id"])))))
        if city is not None:
            given = site.get("province_id")
            if given is None:
                site["province_id"] = str(city.province_id)
            elif str(given) != str(city.province_id):
                problems.append(
                    SiteProblem(
                        row,
                        "province_id",
                        t(
                            "{city} is in {province}, not “{value}” ({code}).",
                            city=city.name,
                            province=self.tx.province(str(city.province_id)),
                            value=_shown(str(given)),
                            code=city.province_id,
                        ),
                    )
                )
        phase = site.get("phase_id")
        if phase is not None and int(phase) not in self.phases:
            problems.append(
                SiteProblem(
                    row,
                    "phase_id",
                    t("Phase {value} is not a phase of this release (its phases: {values}).", value=phase, values=", ".join(map(str, self.phases))),
                )
            )
        kind = site.get("hub_type")
        if kind is not None and kind not in self.types:
            problems.append(
                SiteProblem(
                    row,
                    "hub_type",
                    t("“{value}” is not a hub type of this release (its types: {values}).", value=_shown(str(kind)), values=", ".join(self.types)),
                )
            )
        lat, lon = site.get("lat"), site.get("lon")
        if city is not None and lat is not None and lon is not None:
            if pd.isna(city.lat) or pd.isna(city.lon):
                problems.append(
                    SiteProblem(row, "city_id", t("{city} has no coordinates in this release, so the site cannot be checked against it.", city=city.name))
                )
            else:
                km = float(haversine_km(lat, lon, float(city.lat), float(city.lon)))
                if km > MAX_KM:
                    problems.append(
                        SiteProblem(
                            row,
                            "lat",
                            t(
                                "The site is {km} km from {city}; a site must lie within {limit} km of the city it names.",
                                km=num(km, 1),
                                city=city.name,
                                limit=num(MAX_KM),
                            ),
                        )
                    )


def _matches(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None


def parse_sites(release: Release, raw: bytes) -> OwnSites:
    """Read and check an uploaded hub list against the release (see the module's docstring)."""
    text = _text(raw)
    if isinstance(text, OwnSites):
        return text
    read = _rows(text)
    if isinstance(read, OwnSites):
        return read
    header, rows = read
    names = [f["name"] for f in hubs_schema(release)]
    problems = _header_problems(header, names)
    if problems:
        return OwnSites(pd.DataFrame(), tuple(problems))
    checker = _Checker(release)
    sites: list[dict] = []
    lines: list[int] = []
    ids: dict[str, int] = {}
    points: dict[tuple[float, float], int] = {}
    for line, cells in rows:
        if len(cells) != len(header):
            problems.append(SiteProblem(line, None, t("The row has {n} cells; the header has {m} columns.", n=num(len(cells)), m=num(len(header)))))
            continue
        site = {name: checker.cell(line, name, raw_cell, problems) for name, raw_cell in zip(header, cells, strict=True)}
        checker.site(line, site, problems)
        hub_id = site.get("hub_id")
        if hub_id is not None:
            if hub_id in ids:
                problems.append(
                    SiteProblem(line, "hub_id", t("The site id “{value}” is used already on row {first}.", value=_shown(str(hub_id)), first=num(ids[hub_id])))
                )
            else:
                ids[str(hub_id)] = line
        if site.get("lat") is not None and site.get("lon") is not None:
            point = (round(float(site["lat"]), 6), round(float(site["lon"]), 6))
            if point in points:
                problems.append(SiteProblem(line, "lat", t("The site has the same coordinates as the site on row {first}.", first=num(points[point]))))
            else:
                points[point] = line
        sites.append(site)
        lines.append(line)
    outline = release.geojson.get("pakistan-outline")
    located = [(line, s) for line, s in zip(lines, sites, strict=True) if s.get("lat") is not None and s.get("lon") is not None]
    if outline and located:
        for i in points_outside(outline, [s["lat"] for _, s in located], [s["lon"] for _, s in located]):
            problems.append(SiteProblem(located[i][0], "lat", t("The site lies outside Pakistan's outline.")))
    if problems:
        return OwnSites(pd.DataFrame(), tuple(sorted(problems, key=lambda p: (p.row or 0, names.index(p.field) if p.field in names else -1))))
    return OwnSites(_typed(release, sites), ())


def _typed(release: Release, sites: list[dict]) -> pd.DataFrame:
    """The sites as a frame with release.hubs' columns and dtypes (a column the file left out is empty)."""
    columns = list(release.hubs.columns)
    frame = pd.DataFrame([[s.get(c) for c in columns] for s in sites], columns=columns)
    fields = {f["name"]: f for f in hubs_schema(release)}
    for c in columns:
        dtype = release.hubs[c].dtype if c in release.hubs else PANDAS_DTYPES.get(fields.get(c, {}).get("type", "string"), "object")
        frame[c] = frame[c].astype(dtype)
    return frame


@dataclass(frozen=True)
class SitesComparison:
    """The release's plan and the uploaded sites side by side (machine column names; components label them).

    coverage: one row per phase (cumulative): phase, plan_hubs, plan_population, plan_share, own_hubs, own_population,
    own_share (shares 0..1), population_total. provinces: one row per province or territory (provinces.csv order):
    province_id, population_share (0..1), plan_hubs, own_hubs, difference (own - plan), rule_hubs (the release's own
    allocation rule applied to as many hubs as the upload has; NA where the release's rule cannot share them)."""

    radius_km: float
    coverage: pd.DataFrame
    provinces: pd.DataFrame


def compare_sites(release: Release, hubs: pd.DataFrame, radius_km: float) -> SitesComparison:
    """Coverage (pakcoe.coverage, within radius_km) and hubs per province: the release's plan beside `hubs`."""
    cities = release.table("cities")
    phases = sorted(int(p) for p in release.table("phases")["phase_id"])
    plan = coverage_by_phase(cities, release.hubs, radius_km, phases)
    own = coverage_by_phase(cities, hubs, radius_km, phases)
    coverage = pd.DataFrame(
        {
            "phase": plan["phase"],
            "plan_hubs": plan["hubs"],
            "plan_population": plan["population_covered"],
            "plan_share": plan["share"],
            "own_hubs": own["hubs"],
            "own_population": own["population_covered"],
            "own_share": own["share"],
            "population_total": plan["population_total"],
        }
    )
    provinces = release.table("provinces")
    plan_counts = release.hubs["province_id"].value_counts()
    own_counts = hubs["province_id"].value_counts() if len(hubs) else pd.Series(dtype=int)
    population = provinces["population"].astype(float)
    frame = pd.DataFrame(
        {
            "province_id": provinces["province_id"].astype(str).to_numpy(),
            "population_share": (population / population.sum()).to_numpy() if population.sum() else np.zeros(len(provinces)),
            "plan_hubs": [int(plan_counts.get(p, 0)) for p in provinces["province_id"]],
            "own_hubs": [int(own_counts.get(p, 0)) for p in provinces["province_id"]],
        }
    )
    frame["difference"] = frame["own_hubs"] - frame["plan_hubs"]
    frame["rule_hubs"] = pd.array(_rule_hubs(release, len(hubs), frame["province_id"].tolist()), dtype="Int64")
    return SitesComparison(radius_km, coverage, frame)


def _rule_hubs(release: Release, total: int, provinces: list[str]) -> list[int | None]:
    """Hubs per province under the release's own allocation rule for `total` hubs (None where it cannot share them:
    too few hubs for its floor, or a release without the rule's figures)."""
    try:
        shared = allocate_hubs(release, "equity_floor", total=total)
    except (KeyError, ValueError):
        return [None] * len(provinces)
    counts = dict(zip(shared["province_id"].astype(str), shared["hubs"], strict=True))
    return [int(counts[p]) if p in counts else None for p in provinces]
