"""Command line: `python -m pakcoe validate PATH` (exit 0 valid, 1 invalid, 2 usage or unreadable).

The summary line says whether the release is published (listed in published.json beside it) or a draft;
a valid draft exits 0 too.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pakcoe.release import DESCRIPTOR, PublishedListError, list_releases, read_published, validate_release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pakcoe", description="Validate Pak AI CoE data releases.")
    sub = parser.add_subparsers(dest="command")
    v = sub.add_parser("validate", help="validate a release folder (or its datapackage.json)")
    v.add_argument("path", type=Path)
    v.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    sub.add_parser("list", help="list the releases in the releases folder ($PAKCOE_RELEASES or data/releases)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 2 if exc.code else 0
    if args.command == "list":
        try:
            listed = read_published()
        except PublishedListError as exc:
            print(exc, file=sys.stderr)
            return 1
        for p in list_releases():
            print(f"{p}\t{'published' if p.name in listed else 'draft'}")
        return 0
    if args.command != "validate":
        parser.print_usage(sys.stderr)
        return 2
    path = args.path.parent if args.path.name == DESCRIPTOR else args.path
    if not path.is_dir() or not (path / DESCRIPTOR).is_file():
        print(f"{path}: not a release folder (no {DESCRIPTOR})", file=sys.stderr)
        return 2
    start = time.perf_counter()
    report = validate_release(path)
    elapsed = time.perf_counter() - start
    for problem in report.problems:
        print(f"{path}/{problem}")
    if not args.quiet:
        state = "valid" if report.valid else f"INVALID, {len(report.problems)} problem(s)"
        status = "published" if report.published else "draft (not in published.json: never the app's default until published)"
        print(f"{path}: {state}; {status} ({elapsed * 1000:.0f} ms)", file=sys.stderr)
    return 0 if report.valid else 1
