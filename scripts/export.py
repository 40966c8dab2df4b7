"""Exports from the command line, without a running app: the same files the app's buttons give, with their provenance.

Usage:
    python scripts/export.py pack --option public-on-time            # one-file offline HTML briefing pack of an option
    python scripts/export.py deck                                    # the deck as PDF (one 16:9 page a stop)
    python scripts/export.py deck --notes                            # ... with the speaker notes on each page
    python scripts/export.py deck --format pptx                      # the deck as PowerPoint (notes in the notes pane)
    python scripts/export.py deck --option private-only              # the deck for one option (Phases, Funding, Compare stops)
    python scripts/export.py map --view national --phase 2           # the hub map of a view (filters: --phase/--province/--type/--host)
    python scripts/export.py compare --options public-on-time private-only   # Compare's key figures and ranges as CSV
    python scripts/export.py options                                 # the option ids of the release

Every export takes (after its name): --release X.Y.Z (default: the newest valid published release of $PAKCOE_RELEASES or data/releases),
-o FILE (default: a file named after the release, what it holds and today's date, in the current folder), --lang en|ur
(default en: the language of every text the export holds, its provenance too; CSV column ids and JSON keys are never
translated; an Urdu file's default name ends in "ur").
Exit codes: 0 written; 2 bad arguments (an unknown release, option or view), with the reason on stderr; 3 the export
cannot run here (e.g. no Chromium), with the reason. In a script, loop over `options` to build a pack, PDF or
PowerPoint per option.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components import export_deck, export_map, export_pack, exports  # noqa: E402  (after the sys.path line above)
from components.rollout_figures import at_horizon, compare_data, scenarios  # noqa: E402
from pakcoe import Release, i18n, list_releases, validate_release  # noqa: E402
from pakcoe.coverage import HubFilter  # noqa: E402
from pakcoe.levers import option_names  # noqa: E402
from pakcoe.model import comparison_horizon, scenario_from_option  # noqa: E402
from pakcoe.provenance import provenance  # noqa: E402
from pakcoe.registry import page  # noqa: E402
from pakcoe.release import valid_versions  # noqa: E402
from pakcoe.uncertainty import ranges  # noqa: E402


class Refused(Exception):
    """The export cannot be made: `code` is the exit code, the message says why."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def load(version: str | None) -> Release:
    """The release named (it may be a draft), or the newest valid published one."""
    reports = [validate_release(p) for p in list_releases()]
    if version is None:
        published = valid_versions(reports)
        if not published:
            raise Refused("no valid published data release to export from")
        version = published[0]
    report = next((r for r in reports if r.version == version), None)
    if report is None or not report.valid:
        known = ", ".join(r.version for r in reports if r.valid)
        raise Refused(f"data release {version!r} is not a valid release here (valid: {known})")
    return report.release


def _option(release: Release, option: str) -> str:
    names = option_names(release)
    if option not in names:
        raise Refused(f"{option!r} is not an option of data release {release.version}: {', '.join(names)}")
    return option


def _check(reason: str | None) -> None:
    if reason:
        raise Refused(reason, code=3)


def build(args: argparse.Namespace, release: Release) -> tuple[bytes, str]:
    """The export's bytes and its default file name."""
    today = date.today()
    tag = "" if i18n.current() == i18n.DEFAULT else f" {i18n.current()}"  # an Urdu file's name says so
    if args.what == "pack":
        option = _option(release, args.option)
        _check(export_pack.unavailable(release))
        return export_pack.pack_html(release, option).encode("utf-8"), export_pack.file_name(release, option)
    if args.what == "deck":
        _check(export_deck.unavailable())
        option = _option(release, args.option) if args.option else None
        named = (f"deck {option}" if option else "deck") + tag
        if args.format == "pptx":
            return export_deck.deck_pptx(release, option=option), exports.file_name(release.version, named, "pptx", today)
        what = f"{named} with notes" if args.notes else named
        return export_deck.deck_pdf(release, notes=args.notes, option=option), exports.file_name(release.version, what, "pdf", today)
    if args.what == "map":
        views = page("map").param("view")
        allowed = views.allowed(release) if callable(views.allowed) else views.allowed
        if args.view not in allowed:
            raise Refused(f"{args.view!r} is not a map view of data release {release.version}: {', '.join(allowed)}")
        _check(export_map.unavailable())
        hub_filter = HubFilter(tuple(args.phase), tuple(args.province), tuple(args.type), tuple(args.host))
        return export_map.map_png(release, args.view, hub_filter), exports.file_name(release.version, f"map {args.view}{tag}", "png", today)
    if args.what == "compare":
        chosen = [_option(release, o) for o in args.options]
        baseline = args.baseline or chosen[0]
        if baseline not in chosen:
            raise Refused(f"the baseline {baseline!r} is not among the options compared")
        runs, labels = scenarios(release, chosen, scenario_from_option(release, chosen[0]))
        runs = at_horizon(runs, comparison_horizon(release, runs))
        data = compare_data(release, runs, labels)
        text = exports.compare_csv(data, [ranges(release, s) for s in runs], labels[chosen.index(baseline)], provenance(release, exports.compare_source()))
        return text.encode("utf-8"), exports.file_name(release.version, f"compare key figures{tag}", "csv", today)
    raise Refused(f"unknown export {args.what!r}")


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)  # options every export takes, after its name
    common.add_argument("--release", help="data release version (default: the newest valid published one)")
    common.add_argument("-o", "--output", type=Path, help="file to write (default: named after the release, the export and the date)")
    common.add_argument("--lang", choices=i18n.LANGS, default=i18n.DEFAULT, help="the language of the export's texts (default: en)")
    p = argparse.ArgumentParser(prog="scripts/export.py", description="Exports of the Pak AI CoE explorer, with their provenance.")
    sub = p.add_subparsers(dest="what", required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, parents=[common])

    pack = command("pack", "one-file offline HTML briefing pack of an option")
    pack.add_argument("--option", required=True, help="an option id (see `options`)")
    deck = command("deck", "the release's presentation deck as PDF or PowerPoint")
    deck.add_argument("--format", choices=("pdf", "pptx"), default="pdf")
    deck.add_argument("--notes", action="store_true", help="PDF: the speaker notes on each page")
    deck.add_argument("--option", help="show this option on the stops whose page takes one (Phases, Funding; Compare puts it first)")
    hub_map = command("map", "the hub map of a view as PNG")
    hub_map.add_argument("--view", default="national", help="'national' or the demonstrator city's id")
    for name, kind in (("phase", int), ("province", str), ("type", str), ("host", str)):
        hub_map.add_argument(f"--{name}", type=kind, action="append", default=[], help=f"keep only hubs of this {name} (repeatable)")
    compare = command("compare", "Compare's key figures and ranges as CSV")
    compare.add_argument("--options", nargs="+", required=True, help="two or more option ids")
    compare.add_argument("--baseline", help="the option the others are compared with (default: the first)")
    command("options", "list the option ids of the release")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        with i18n.using(args.lang):  # every text of the export in this language; the release's texts too
            release = i18n.localize(load(args.release))
            if args.what == "options":
                for option_id, name in option_names(release).items():
                    print(f"{option_id}\t{name}")
                return 0
            data, name = build(args, release)
    except Refused as e:
        print(f"export: {e}", file=sys.stderr)
        return e.code
    out = args.output or Path(name)
    out.write_bytes(data)
    print(f"{out} ({len(data):,} bytes, data release {release.version})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
