"""Load a data release folder into a typed Release, validating it completely on the way."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from pakcoe.problems import Problem, ReleaseInvalid
from pakcoe.semver import is_semver, semver_key
from pakcoe.tableschema import read_table

DESCRIPTOR = "datapackage.json"
PUBLISHED = "published.json"  # beside the release folders: version -> descriptor hash of every published release
PUBLISHED_DESCRIPTION = (
    "Every published data release, with the SHA-256 of its datapackage.json. The descriptor records every file's "
    "hash, so this one hash pins the whole release: a listed release whose descriptor differs is invalid "
    "(rule published-immutable). A release folder not listed here is a draft: it is never the app's default. "
    "Written by scripts/publish_release.py; never edit a listed entry."
)
ENV_RELEASES = "PAKCOE_RELEASES"
DEFAULT_RELEASES = Path(__file__).resolve().parent.parent / "data" / "releases"


def releases_root(root: str | os.PathLike | None = None) -> Path:
    """The releases folder: the argument, else $PAKCOE_RELEASES, else data/releases of this checkout."""
    if root is not None:
        return Path(root)
    env = os.environ.get(ENV_RELEASES)
    return Path(env) if env else DEFAULT_RELEASES


@dataclass(frozen=True)
class Release:
    """A valid data release: its metadata and typed tables (pandas DataFrames keyed by resource name)."""

    path: Path
    version: str
    descriptor: dict
    tables: dict[str, pd.DataFrame]
    geojson: dict[str, dict]
    lang: str = "en"  # the language of its prose fields (pakcoe.i18n.localize makes a copy in another language)

    @property
    def id(self) -> str:
        """Release id shown to users, e.g. 'pak-ai-coe-proposal 1.0.0'."""
        return f"{self.descriptor.get('name', 'release')} {self.version}"

    @property
    def title(self) -> str:
        return str(self.descriptor.get("title", self.version))

    def table(self, name: str) -> pd.DataFrame:
        """One table by resource name (a copy-free view; do not mutate)."""
        return self.tables[name]

    @property
    def hubs(self) -> pd.DataFrame:
        return self.tables["hubs"]

    @property
    def assumptions(self) -> pd.DataFrame:
        return self.tables["assumptions"]

    @functools.cached_property
    def _params(self) -> dict[str, dict[str, float]]:
        a = self.tables["assumptions"]
        return {p: {"value": float(v), "low": float(lo), "high": float(hi)} for p, v, lo, hi in zip(a["param_id"], a["value"], a["low"], a["high"])}

    @functools.cached_property
    def _sources(self) -> dict[str, dict]:
        return {row["source_id"]: row for row in self.tables["sources"].to_dict("records")} if "sources" in self.tables else {}

    def source(self, source_id: str) -> dict | None:
        """One row of sources.csv as a mapping (None when there is no such source)."""
        return self._sources.get(source_id)

    def param(self, param_id: str, bound: str = "value") -> float:
        """An assumption's central value (or 'low' / 'high' bound)."""
        return self._params[param_id][bound]

    def resource(self, name: str) -> dict:
        """The descriptor entry of a resource."""
        return next(r for r in self.descriptor["resources"] if r["name"] == name)


T = TypeVar("T")


def per_release(build: Callable[[Release], T], kept: int = 8) -> Callable[[Release], T]:
    """`build(release)`, built once per release object and kept for the last `kept` releases (a release is read-only, so
    what is built from it never changes)."""
    memo: dict[int, tuple[Release, T]] = {}
    lock = threading.Lock()

    @functools.wraps(build)
    def kept_build(release: Release) -> T:
        with lock:
            hit = memo.get(id(release))
            if hit is not None and hit[0] is release:
                return hit[1]
        built = build(release)
        with lock:
            while len(memo) >= kept:
                memo.pop(next(iter(memo)))
            memo[id(release)] = (release, built)
        return built

    return kept_build


PUBLISHED_STATUS = "published"
DRAFT_STATUS = "draft"


@dataclass
class ValidationReport:
    """Outcome of validating one release folder.

    status: "published" when published.json (beside the folder) lists the release, else "draft". A listed
    release whose descriptor no longer has the listed hash keeps the status "published" and is invalid.
    """

    path: Path
    version: str
    problems: list[Problem] = field(default_factory=list)
    release: Release | None = None
    status: str = DRAFT_STATUS

    @property
    def valid(self) -> bool:
        return not self.problems and self.release is not None

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED_STATUS


def sha256_of(raw: bytes) -> str:
    """The hash string a descriptor stores: 'sha256:<hex>'."""
    return "sha256:" + hashlib.sha256(raw).hexdigest()


class PublishedListError(ValueError):
    """published.json exists but is not a valid list of published releases."""


def read_published(root: str | os.PathLike | None = None) -> dict[str, str]:
    """version -> 'sha256:<hex>' of the descriptor of every published release under the releases root.

    No published.json: nothing is published ({}). A file that is not a JSON object with a "published" object
    of semantic versions to sha256 strings raises PublishedListError.
    """
    file = releases_root(root) / PUBLISHED
    if not file.is_file():
        return {}
    try:
        data = json.loads(file.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PublishedListError(f"{PUBLISHED} is not valid JSON: {exc}") from exc
    listed = data.get("published") if isinstance(data, dict) else None
    if not isinstance(listed, dict):
        raise PublishedListError(f'{PUBLISHED} must be a JSON object with a "published" object (version -> descriptor hash)')
    for version, digest in listed.items():
        if not is_semver(version) or not isinstance(digest, str) or not re.fullmatch(r"sha256:[0-9a-f]{64}", digest):
            raise PublishedListError(f"{PUBLISHED}: entry {version!r}: {digest!r} must map a semantic version to 'sha256:<64 hex digits>'")
    return dict(listed)


def record_published(root: str | os.PathLike | None, version: str) -> str:
    """List release `version` as published in <root>/published.json with its descriptor's hash; returns the hash.

    Refuses (ValueError) a version that is already listed: a published release is never re-published.
    Entries are kept in semantic-version order, oldest first.
    """
    base = releases_root(root)
    descriptor = base / version / DESCRIPTOR
    if not descriptor.is_file():
        raise ValueError(f"no release {version} under {base} (no {DESCRIPTOR})")
    listed = read_published(base)
    if version in listed:
        raise ValueError(f"release {version} is already published (descriptor {listed[version]}); make a new release instead")
    digest = sha256_of(descriptor.read_bytes())
    listed[version] = digest
    file = base / PUBLISHED
    description = PUBLISHED_DESCRIPTION
    if file.is_file():
        description = json.loads(file.read_text(encoding="utf-8")).get("description", description)
    ordered = {v: listed[v] for v in sorted(listed, key=semver_key)}
    file.write_text(json.dumps({"description": description, "published": ordered}, indent=2) + "\n", encoding="utf-8")
    return digest


def _publication(path: Path, raw_descriptor: bytes, report: ValidationReport) -> None:
    """Set report.status from published.json in the folder's parent; a listed release whose descriptor changed is a problem."""
    try:
        listed = read_published(path.parent)
    except PublishedListError as exc:
        report.problems.append(Problem(f"../{PUBLISHED}", "published-list", f"{exc}: cannot tell whether this release is published"))
        return
    expected = listed.get(report.version)
    if expected is None:
        return
    report.status = PUBLISHED_STATUS
    if sha256_of(raw_descriptor) != expected:
        report.problems.append(
            Problem(
                DESCRIPTOR,
                "published-immutable",
                f"release {report.version} was published with descriptor {expected}; it has been edited — make a new release instead",
                value=sha256_of(raw_descriptor),
            )
        )


def validate_release(path: str | os.PathLike) -> ValidationReport:
    """Read and check everything in a release folder; never raises for bad data.

    Whether the release is published is read from published.json in the folder's parent (the releases root).
    """
    path = Path(path)
    version = path.name
    report = ValidationReport(path, version)
    problems = report.problems
    dp_file = path / DESCRIPTOR
    if not path.is_dir():
        problems.append(Problem(str(path), "exists", "release folder not found"))
        return report
    if not dp_file.is_file():
        problems.append(Problem(DESCRIPTOR, "exists", "the release has no datapackage.json"))
        return report
    raw_dp = dp_file.read_bytes()
    _publication(path, raw_dp, report)
    try:
        descriptor = json.loads(raw_dp.decode("utf-8"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(DESCRIPTOR, "encoding", f"not valid UTF-8 at offset {exc.start}"))
        return report
    except json.JSONDecodeError as exc:
        problems.append(Problem(DESCRIPTOR, "json", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", row=exc.lineno))
        return report
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        problems.append(Problem(DESCRIPTOR, "descriptor", "must be a JSON object with a 'resources' list"))
        return report
    if not is_semver(version):
        problems.append(Problem(DESCRIPTOR, "version", f"release folder name '{version}' is not a semantic version", value=version))
    elif descriptor.get("version") != version:
        problems.append(
            Problem(DESCRIPTOR, "version", f"descriptor version must equal the folder name '{version}'", field="version", value=str(descriptor.get("version")))
        )
    for key in ("name", "title", "licenses", "sources", "created"):
        if not descriptor.get(key):
            problems.append(Problem(DESCRIPTOR, "descriptor", f"the package must have '{key}'", field=key))

    tables: dict[str, pd.DataFrame] = {}
    lines: dict[str, list[int]] = {}
    geojson: dict[str, dict] = {}
    for i, res in enumerate(descriptor["resources"]):
        if not isinstance(res, dict) or not res.get("name") or not res.get("path"):
            problems.append(Problem(DESCRIPTOR, "descriptor", f"resource {i} needs a 'name' and a 'path'", row=None, field=f"resources[{i}]"))
            continue
        rel = str(res["path"])
        file = path / rel
        if os.path.isabs(rel) or ".." in Path(rel).parts or not file.resolve().is_relative_to(path.resolve()):
            problems.append(Problem(DESCRIPTOR, "path", "resource path must stay inside the release folder", field=f"resources[{i}].path", value=rel))
            continue
        if not file.is_file():
            problems.append(Problem(rel, "exists", f"file of resource '{res['name']}' is missing"))
            continue
        raw = file.read_bytes()
        expected = res.get("hash")
        if not expected:
            problems.append(Problem(rel, "hash", "the descriptor records no hash for this file", field="hash"))
        elif sha256_of(raw) != expected:
            problems.append(
                Problem(rel, "hash", "content differs from the hash in datapackage.json: a published release must not be edited", field="hash", value=expected)
            )
        if "bytes" in res and res["bytes"] != len(raw):
            problems.append(Problem(rel, "bytes", f"file has {len(raw)} bytes, the descriptor says {res['bytes']}", field="bytes", value=str(res["bytes"])))
        if rel.endswith(".csv"):
            if "schema" not in res:
                problems.append(Problem(rel, "schema", "tabular resource has no Table Schema"))
                continue
            result = read_table(rel, raw, res["schema"])
            problems.extend(result.problems)
            if result.frame is not None:
                tables[res["name"]] = result.frame
                lines[res["name"]] = result.line_of_row
        elif rel.endswith((".json", ".geojson")):
            try:
                geojson[res["name"]] = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                problems.append(Problem(rel, "encoding", f"not valid UTF-8 at offset {exc.start}"))
            except json.JSONDecodeError as exc:
                problems.append(Problem(rel, "json", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"))

    from pakcoe.rules import check_rules

    problems.extend(check_rules(descriptor, tables, lines, geojson))
    if not problems:
        release = Release(path, version, descriptor, tables, geojson)
        if "deck" in tables:  # the deck's stops are checked against the app's pages on the release itself
            from pakcoe.deck import check_deck

            problems.extend(check_deck(release, published=report.published))
        if "labels" in tables:  # display texts name tables, fields and values of the release itself
            from pakcoe.display import check_labels

            problems.extend(check_labels(release, lines))
        from pakcoe.translations import check_translations  # Urdu texts against their English (none before 1.7.0)

        problems.extend(check_translations(release, lines))
        if not problems:
            report.release = release
    return report


def load_release(path: str | os.PathLike) -> Release:
    """A valid Release, or ReleaseInvalid carrying every problem."""
    report = validate_release(path)
    if not report.valid:
        raise ReleaseInvalid(str(path), report.problems)
    assert report.release is not None
    return report.release


def list_releases(root: str | os.PathLike | None = None) -> list[Path]:
    """Release folders under the releases root (semver-named, with a datapackage.json), oldest first."""
    base = releases_root(root)
    if not base.is_dir():
        return []
    found = [p for p in base.iterdir() if p.is_dir() and is_semver(p.name) and (p / DESCRIPTOR).exists()]
    return sorted(found, key=lambda p: semver_key(p.name))


def newest_valid(reports: list[ValidationReport], drafts: bool = False) -> ValidationReport | None:
    """The newest published release (by semantic version) that validated, if any: the default everywhere.

    Drafts are never the default; drafts=True lets them count (for tools that build the next release).
    """
    valid = [r for r in reports if r.valid and (drafts or r.published)]
    return max(valid, key=lambda r: semver_key(r.version)) if valid else None


def valid_versions(reports: list[ValidationReport]) -> list[str]:
    """The versions the app offers by default: valid **published** releases, newest first (drafts never)."""
    return sorted((r.version for r in reports if r.valid and r.published), key=semver_key, reverse=True)


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table: file, row, field, rule, value, message."""
    return pd.DataFrame([p.as_dict() for p in problems], columns=["file", "row", "field", "rule", "value", "message"]).astype({"row": "Int64"})


def file_summary(report: ValidationReport) -> pd.DataFrame:
    """One row per file of a release: resource, path, format, rows, bytes, problems found in it."""
    counts: dict[str, int] = {}
    for p in report.problems:
        counts[p.file] = counts.get(p.file, 0) + 1
    rows = []
    descriptor_resources: list[dict] = []
    if report.release is not None:
        descriptor_resources = report.release.descriptor["resources"]
    else:
        try:
            descriptor_resources = json.loads((report.path / DESCRIPTOR).read_text(encoding="utf-8")).get("resources", [])
        except (OSError, ValueError, AttributeError):
            descriptor_resources = []
    tables = report.release.tables if report.release is not None else {}
    rows.append({"resource": "(descriptor)", "path": DESCRIPTOR, "format": "json", "rows": None, "bytes": None, "problems": counts.get(DESCRIPTOR, 0)})
    for res in descriptor_resources:
        if not isinstance(res, dict):
            continue
        path = str(res.get("path", ""))
        frame = tables.get(res.get("name"))
        rows.append(
            {
                "resource": res.get("name"),
                "path": path,
                "format": res.get("format"),
                "rows": None if frame is None else len(frame),
                "bytes": res.get("bytes"),
                "problems": counts.get(path, 0),
            }
        )
    return pd.DataFrame(rows).astype({"rows": "Int64", "bytes": "Int64"})
