"""Validate release folders in one process: our validator, Frictionless, and a rebuild that must change nothing.

Usage: .venv/bin/python scripts/validate_all.py [RELEASE_FOLDER ...]   (default: every release folder in data/releases)

For each folder, the same three checks as their own commands, with the same output:
`python -m pakcoe validate FOLDER`, `frictionless validate FOLDER/datapackage.json` and
`python scripts/build_release.py FOLDER --check`. One process runs them all (`make validate`): the imports and
the reference data the build reads are loaded once, not three times per release.
Every folder is checked even when one fails. Exit 0 when all pass, 1 otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import build_release  # noqa: E402  (scripts/ is on sys.path from the line above)

from pakcoe import cli  # noqa: E402
from pakcoe.release import DESCRIPTOR, list_releases  # noqa: E402


def frictionless_check(release: Path) -> bool:
    """Frictionless's own validation of the data package; prints its errors, or that it is valid."""
    import frictionless

    report = frictionless.validate(str(release / DESCRIPTOR))
    if report.valid:
        print(f"{release}: frictionless valid")
        return True
    for task in report.tasks:
        for error in task.errors:
            print(f"{release}/{task.name}: [{error.type}] {error.message}", file=sys.stderr)
    for error in report.errors:
        print(f"{release}: [{error.type}] {error.message}", file=sys.stderr)
    print(f"{release}: frictionless INVALID", file=sys.stderr)
    return False


def build_check(release: Path) -> bool:
    """scripts/build_release.py --check on the folder: True when the rebuild changes nothing."""
    try:
        return build_release.main([str(release), "--check"]) == 0
    except SystemExit as exc:  # the build stops on a table it cannot read; its message says why
        print(f"{release}: the build failed: {exc.code}", file=sys.stderr)
        return False


def validate_all(releases: list[Path]) -> int:
    """Every check on every folder; 0 when all pass, 1 otherwise (the failed folders are named at the end)."""
    failed = []
    for release in releases:
        ok = cli.main(["validate", str(release)]) == 0
        ok &= frictionless_check(release)
        ok &= build_check(release)
        if not ok:
            failed.append(release)
    if failed:
        print(f"FAILED: {', '.join(map(str, failed))}", file=sys.stderr)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    releases = [Path(a) for a in argv] or [p.relative_to(ROOT) if Path.cwd() == ROOT else p for p in list_releases(ROOT / "data" / "releases")]
    if not releases:
        print("no release folder to validate", file=sys.stderr)
        return 1
    return validate_all(releases)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
