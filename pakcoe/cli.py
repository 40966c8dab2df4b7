"""Command line.

* `python -m pakcoe validate PATH` (exit 0 valid, 1 invalid, 2 usage or unreadable). The summary line says
  whether the release is published (listed in published.json beside it) or a draft; a valid draft exits 0 too.
* `python -m pakcoe list`: every release folder under the releases root, published or draft.
* `python -m pakcoe options RELEASE [--json] [--set PARAM=VALUE ...]`: every predefined option of a release, year
  by year over one comparison horizon (`pakcoe.report`). RELEASE is a release folder or a version under the
  releases root. Exit 0 done, 1 the model failed, 2 usage, an unreadable or invalid release, or a bad --set.
  `--lang ur`: the release's texts (option names, notes) in Urdu (pakcoe.i18n); JSON keys and ids are never translated.
* `python -m pakcoe diff OLD NEW [--json] [--all]`: what changed from release OLD to release NEW (pakcoe.diff): per
  table rows added, removed and changed (each changed cell old -> new), schema changes, hubs moved (km), assumptions
  changed, and each predefined option's headline figures with the current model on both. OLD and NEW are release
  folders or versions under the releases root. Exit 0 done, 2 usage or an unreadable or invalid release.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pakcoe import i18n
from pakcoe.release import DESCRIPTOR, PublishedListError, list_releases, read_published, releases_root, validate_release
from pakcoe.semver import is_semver

MAX_PROBLEMS_SHOWN = 10
DIFF_ROWS_SHOWN = 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pakcoe", description="Validate and explore Pak AI CoE data releases.")
    sub = parser.add_subparsers(dest="command")
    v = sub.add_parser("validate", help="validate a release folder (or its datapackage.json)")
    v.add_argument("path", type=Path)
    v.add_argument("--quiet", "-q", action="store_true", help="print problems only")
    sub.add_parser("list", help="list the releases in the releases folder ($PAKCOE_RELEASES or data/releases)")
    o = sub.add_parser(
        "options",
        help="every predefined option of a release, year by year over one horizon",
        description="Run every option of the release's options.csv over one comparison horizon and print its results per calendar year.",
    )
    o.add_argument("release", metavar="RELEASE", help="a release folder, or a version under the releases folder ($PAKCOE_RELEASES or data/releases)")
    o.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    o.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PARAM=VALUE",
        help="override an assumption of assumptions.csv for every option (repeatable; VALUE within the assumption's bounds)",
    )
    o.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT, help="the language of the release's texts in the report (default: en)")
    d = sub.add_parser(
        "diff",
        help="what changed between two releases",
        description="Compare two releases: rows added, removed and changed per table, schema, hubs moved, assumptions, option figures.",
    )
    d.add_argument("old", metavar="OLD", help="the older release: a folder, or a version under the releases folder")
    d.add_argument("new", metavar="NEW", help="the newer release: a folder, or a version under the releases folder")
    d.add_argument("--json", action="store_true", help="print one JSON object")
    d.add_argument("--all", action="store_true", help=f"list every changed row (default: the first {DIFF_ROWS_SHOWN} of each table)")
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
    if args.command == "options":
        with i18n.using(args.lang):
            return _options(args.release, args.overrides, args.json)
    if args.command == "diff":
        return _diff(args.old, args.new, args.json, args.all)
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


def _release_folder(arg: str) -> Path | None:
    """RELEASE as given: a folder (or its datapackage.json), else a version under the releases root."""
    path = Path(arg)
    if path.name == DESCRIPTOR:
        path = path.parent
    if path.is_dir() and (path / DESCRIPTOR).is_file():
        return path
    if is_semver(arg):
        under = releases_root() / arg
        if under.is_dir() and (under / DESCRIPTOR).is_file():
            return under
    return None


def _parse_sets(pairs: list[str]) -> dict[str, str] | str:
    """--set PARAM=VALUE pairs as a mapping, or the message of the first bad one."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            return f"--set {pair}: expected PARAM=VALUE, e.g. --set private_capacity=1000"
        if name in out:
            return f"--set {pair}: {name} is set twice ({name}={out[name]} and {name}={value})"
        out[name] = value
    return out


def _options(arg: str, pairs: list[str], as_json: bool) -> int:
    from pakcoe.report import OverrideError, format_report, options_report

    path = _release_folder(arg)
    if path is None:
        root = releases_root()
        versions = ", ".join(p.name for p in list_releases()) or "none"
        print(f"{arg}: no release: not a release folder (no {DESCRIPTOR}) and no version {arg!r} under {root} (releases there: {versions})", file=sys.stderr)
        return 2
    sets = _parse_sets(pairs)
    if isinstance(sets, str):
        print(sets, file=sys.stderr)
        return 2
    report = validate_release(path)
    if not report.valid or report.release is None:
        shown = report.problems[:MAX_PROBLEMS_SHOWN]
        for problem in shown:
            print(f"{path}/{problem}", file=sys.stderr)
        more = len(report.problems) - len(shown)
        tail = f" (and {more} more: python -m pakcoe validate {path})" if more > 0 else ""
        print(f"{path}: invalid release, {len(report.problems)} problem(s){tail}; the options are not run", file=sys.stderr)
        return 2
    status = "published" if report.published else "draft"
    try:
        data = options_report(i18n.localize(report.release), sets)
    except OverrideError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (ValueError, KeyError) as exc:
        print(f"{path}: the model could not run the options: {exc}", file=sys.stderr)
        return 1
    if as_json:
        data = {"release": data["release"], "status": status, **data}
        print(json.dumps(data, ensure_ascii=False, allow_nan=False))
        for note in data["notes"]:
            print(f"note: {note}", file=sys.stderr)
    else:
        sys.stdout.write(format_report(data, status))
    return 0


def _valid_release(arg: str):
    """The valid release RELEASE names (a folder or a version), or None after saying why on stderr."""
    path = _release_folder(arg)
    if path is None:
        versions = ", ".join(p.name for p in list_releases()) or "none"
        print(
            f"{arg}: no release: not a release folder (no {DESCRIPTOR}) and no version {arg!r} under {releases_root()} (releases there: {versions})",
            file=sys.stderr,
        )
        return None
    report = validate_release(path)
    if not report.valid or report.release is None:
        for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"{path}/{problem}", file=sys.stderr)
        print(f"{path}: invalid release, {len(report.problems)} problem(s); nothing compared", file=sys.stderr)
        return None
    return report.release


def _diff(old_arg: str, new_arg: str, as_json: bool, every_row: bool) -> int:
    from pakcoe.diff import diff_releases, format_diff

    old, new = _valid_release(old_arg), _valid_release(new_arg)
    if old is None or new is None:
        return 2
    diff = diff_releases(old, new)
    if as_json:
        print(json.dumps(diff.to_json(), ensure_ascii=False, allow_nan=False))
    else:
        sys.stdout.write(format_diff(diff, None if every_row else DIFF_ROWS_SHOWN))
    return 0
