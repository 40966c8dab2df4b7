"""Make test releases from real files: copy a published release to a temporary folder and change it.

A copy is published by default: copy_release() records its descriptor hash in the temporary root's
published.json, as scripts/publish_release.py does. Editing a published copy and re-hashing it then makes it
invalid (rule published-immutable), exactly as for a real release; to build a changed release that is valid,
copy it with draft=True, edit it, and publish() it when done (or leave it a draft).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from pakcoe.release import list_releases, record_published, sha256_of
from pakcoe.semver import semver_key

ROOT = Path(__file__).resolve().parent.parent
RELEASE_1_0_0 = ROOT / "data" / "releases" / "1.0.0"


class DraftRelease:
    """A writable copy of a release; edits re-hash the descriptor unless told not to."""

    def __init__(self, path: Path):
        self.path = path

    @property
    def descriptor_path(self) -> Path:
        return self.path / "datapackage.json"

    def descriptor(self) -> dict:
        return json.loads(self.descriptor_path.read_text(encoding="utf-8"))

    def write_descriptor(self, descriptor: dict) -> None:
        self.descriptor_path.write_text(json.dumps(descriptor, indent=2), encoding="utf-8")

    def rehash(self) -> None:
        d = self.descriptor()
        for res in d["resources"]:
            p = self.path / res["path"]
            if p.exists():
                raw = p.read_bytes()
                res["hash"] = sha256_of(raw)
                res["bytes"] = len(raw)
        self.write_descriptor(d)

    def publish(self) -> str:
        """List this release as published in its root's published.json (its descriptor as it is now); returns the hash."""
        return record_published(self.path.parent, self.path.name)

    def write_bytes(self, name: str, raw: bytes, rehash: bool = True) -> None:
        (self.path / name).write_bytes(raw)
        if rehash:
            self.rehash()

    def rows(self, name: str) -> list[dict[str, str]]:
        with (self.path / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    def write_rows(self, name: str, rows: list[dict[str, str]], header: list[str] | None = None, rehash: bool = True) -> None:
        header = header or list(rows[0].keys())
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
        self.write_bytes(name, out.getvalue().encode("utf-8"), rehash)

    def edit_cell(self, name: str, key_field: str, key: str, field: str, value: str, rehash: bool = True) -> int:
        """Set one cell; returns the CSV line number (header = 1) of the edited row."""
        rows = self.rows(name)
        for i, r in enumerate(rows):
            if r[key_field] == key:
                r[field] = value
                self.write_rows(name, rows, rehash=rehash)
                return i + 2
        raise KeyError(key)

    def geojson(self, name: str = "hubs.geojson") -> dict:
        return json.loads((self.path / name).read_text(encoding="utf-8"))

    def write_geojson(self, data: dict, name: str = "hubs.geojson") -> None:
        self.write_bytes(name, json.dumps(data).encode("utf-8"))


def copy_release(dest_root: Path, version: str = "1.0.0", source: Path = RELEASE_1_0_0, draft: bool = False) -> DraftRelease:
    """Copy `source` into dest_root/version (descriptor version set to match) and return it.

    Published unless draft=True: dest_root/published.json (created or updated) lists it with its descriptor hash."""
    dest = dest_root / version
    shutil.copytree(source, dest)
    copy = DraftRelease(dest)
    if version != source.name:
        d = copy.descriptor()
        d["version"] = version
        copy.write_descriptor(d)
    if not draft:
        copy.publish()
    return copy


def newest_folder(deck: bool = True, root: Path | None = None) -> Path:
    """The newest release folder of the checkout's data/releases (or `root`) that has a presentation deck (`deck=False`:
    that has none). Tests compute it, never assume it: it may be a draft, so tests name it in their URLs."""
    folders = [p for p in list_releases(root or ROOT / "data" / "releases") if (p / "deck.csv").exists() == deck]
    return max(folders, key=lambda p: semver_key(p.name))
