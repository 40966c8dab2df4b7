"""Publish a draft data release: check it, date its CHANGELOG entry, and pin its descriptor hash in published.json.

Usage:
    python scripts/publish_release.py 1.2.0
    python scripts/publish_release.py 1.2.0 --root DIR --changelog FILE   # another releases folder (tests)

Refuses (exit 2, nothing written) when the version is already published, when the release does not validate or
its derived files are not what scripts/build_release.py builds, or when data/CHANGELOG.md has no written entry
'## VERSION' for it (the stub of scripts/new_release.py does not count). Then replaces "(draft)" in the entry's
heading with today's date and lists the release in published.json with the SHA-256 of its datapackage.json. From
then on the release can never change: any edit makes it invalid (rule published-immutable). Commit the release
folder, published.json and the CHANGELOG together.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# scripts/ is on sys.path (this file runs from it): the stub's wording and the build are new_release.py's
from new_release import STUB, run_build  # noqa: E402

from pakcoe.release import PublishedListError, read_published, record_published, releases_root, validate_release  # noqa: E402


def entry_of(changelog: str, version: str) -> tuple[re.Match, str] | None:
    """The '## VERSION ...' heading line (a match) and the entry's text up to the next '## ' heading."""
    head = re.search(rf"^## {re.escape(version)}(?:\s.*)?$", changelog, flags=re.MULTILINE)
    if head is None:
        return None
    following = re.search(r"^## ", changelog[head.end() :], flags=re.MULTILINE)
    body = changelog[head.end() : head.end() + following.start()] if following else changelog[head.end() :]
    return head, body


def dated(changelog: str, version: str, today: date) -> str:
    """The CHANGELOG with '(draft)' in the version's heading replaced by '(YYYY-MM-DD)' (a heading without it is kept)."""
    head, _ = entry_of(changelog, version)
    line = head.group(0).replace("(draft)", f"({today.isoformat()})")
    return changelog[: head.start()] + line + changelog[head.end() :]


def refusal(root: Path, changelog: Path, version: str) -> str | None:
    """Why this version cannot be published now (None when it can)."""
    try:
        listed = read_published(root)
    except PublishedListError as exc:
        return str(exc)
    if version in listed:
        return f"release {version} is already published ({listed[version]}); a published release is never re-published or changed"
    path = root / version
    if not path.is_dir():
        return f"{path}: no such release folder"
    report = validate_release(path)
    if not report.valid:
        return f"{path} does not validate:\n" + "\n".join(f"  {p}" for p in report.problems)
    code, out, err = run_build(path, "--check")
    if code != 0:
        return f"{path}: derived files or hashes differ from what scripts/build_release.py builds (run it on the release):\n{err}{out}"
    if not changelog.is_file():
        return f"{changelog}: no CHANGELOG"
    entry = entry_of(changelog.read_text(encoding="utf-8"), version)
    if entry is None:
        return f"{changelog} has no '## {version}' entry: say what changed and why before publishing"
    if STUB in entry[1] or not entry[1].strip():
        return f"{changelog}: the '## {version}' entry is still the stub: say what changed and why before publishing"
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("version")
    ap.add_argument("--root", type=Path, default=None, help="releases folder (default: $PAKCOE_RELEASES or data/releases)")
    ap.add_argument("--changelog", type=Path, default=None, help="the data CHANGELOG (default: CHANGELOG.md beside the releases folder)")
    args = ap.parse_args(argv)
    root = releases_root(args.root)
    changelog = args.changelog or root.parent / "CHANGELOG.md"
    why = refusal(root, changelog, args.version)
    if why:
        print(f"refused: {why}", file=sys.stderr)
        return 2
    changelog.write_text(dated(changelog.read_text(encoding="utf-8"), args.version, date.today()), encoding="utf-8")
    digest = record_published(root, args.version)
    print(f"published release {args.version}: {digest} recorded in {root / 'published.json'}")
    print("commit the release folder, published.json and the CHANGELOG together")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
