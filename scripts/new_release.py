"""Start the next data release as a draft: copy the newest published release, bump its version, rebuild, validate, stub the CHANGELOG.

Usage:
    python scripts/new_release.py                  # next minor version of the newest published release (1.1.0 -> 1.2.0)
    python scripts/new_release.py --patch          # or --major; or an explicit version: python scripts/new_release.py 2.0.0-rc.1
    python scripts/new_release.py --root DIR --changelog FILE   # another releases folder (tests); default data/releases

The new folder is a draft (not in published.json): the app never shows it by default, only through a link with
?release=X, and it may be edited and rebuilt freely. Edit its CSVs, run scripts/build_release.py on it, write its
CHANGELOG entry, then publish it with scripts/publish_release.py. Refuses when the target version already exists.
Exit 0 done, 1 the new release does not validate, 2 refused (nothing written).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import shutil
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# scripts/ is on sys.path (this file runs from it)
import build_release  # noqa: E402

from pakcoe.release import DESCRIPTOR, list_releases, newest_valid, releases_root, validate_release  # noqa: E402
from pakcoe.semver import is_semver  # noqa: E402

STUB = "To be written before publishing: what changed in this release, and why."


def bump(version: str, part: str) -> str:
    """The next version: 'major', 'minor' or 'patch' of version's major.minor.patch (a pre-release tag is dropped)."""
    major, minor, patch = (int(x) for x in re.match(r"(\d+)\.(\d+)\.(\d+)", version).groups())
    if part == "major":
        return f"{major + 1}.0.0"
    if part == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def has_entry(changelog: str, version: str) -> bool:
    """True when the CHANGELOG has a '## VERSION' heading (with or without its date or '(draft)')."""
    return re.search(rf"^## {re.escape(version)}(\s|$)", changelog, flags=re.MULTILINE) is not None


def stub_entry(changelog: str, version: str) -> str:
    """The CHANGELOG with a '## VERSION (draft)' entry on top of the entries, below the intro paragraph."""
    entry = f"## {version} (draft)\n\n{STUB}\n\n"
    first = re.search(r"^## ", changelog, flags=re.MULTILINE)
    if first is None:
        return changelog.rstrip("\n") + "\n\n" + entry.rstrip("\n") + "\n"
    return changelog[: first.start()] + entry + changelog[first.start() :]


def run_build(release: Path, *options: str) -> tuple[int, str, str]:
    """`python scripts/build_release.py RELEASE [OPTIONS]` run in this process: its exit code, standard output and
    standard error, as the command gives them (an exception is a traceback and exit 1). In this process, the imports
    and the reference data the build reads are loaded once, not once more for every build."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = build_release.main([str(release), *options])
        except SystemExit as exc:
            code = exc.code
            if code is not None and not isinstance(code, int):
                print(code, file=sys.stderr)
                code = 1
        except Exception:
            traceback.print_exc()
            code = 1
    return code or 0, out.getvalue(), err.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("version", nargs="?", help="the new version (default: the next minor version of the newest published release)")
    part = ap.add_mutually_exclusive_group()
    for name in ("major", "minor", "patch"):
        part.add_argument(f"--{name}", dest="part", action="store_const", const=name, help=f"bump the {name} version")
    ap.add_argument("--root", type=Path, default=None, help="releases folder (default: $PAKCOE_RELEASES or data/releases)")
    ap.add_argument("--changelog", type=Path, default=None, help="the data CHANGELOG (default: CHANGELOG.md beside the releases folder)")
    args = ap.parse_args(argv)
    if args.version and args.part:
        ap.error("give an explicit version or --major/--minor/--patch, not both")
    root = releases_root(args.root)
    changelog = args.changelog or root.parent / "CHANGELOG.md"

    source = newest_valid([validate_release(p) for p in list_releases(root)])
    if source is None:
        print(f"{root}: no valid published release to start from", file=sys.stderr)
        return 2
    version = args.version or bump(source.version, args.part or "minor")
    target = root / version
    refusal = None
    if not is_semver(version):
        refusal = f"'{version}' is not a semantic version"
    elif target.exists():
        refusal = f"{target} already exists: a release is never overwritten"
    elif not changelog.is_file():
        refusal = f"{changelog}: no CHANGELOG to add the entry to"
    elif has_entry(changelog.read_text(encoding="utf-8"), version):
        refusal = f"{changelog} already has an entry for {version}"
    if refusal:
        print(f"refused: {refusal}", file=sys.stderr)
        return 2

    shutil.copytree(source.path, target)
    descriptor_file = target / DESCRIPTOR
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    descriptor["version"] = version
    descriptor["created"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    descriptor_file.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, err = run_build(target)
    if code != 0:
        print(out + err, file=sys.stderr)
        print(f"{target}: the build failed; the folder is left as it is for you to fix (it is a draft)", file=sys.stderr)
        return 1
    report = validate_release(target)
    for problem in report.problems:
        print(f"{target}/{problem}")
    if not report.valid:
        print(f"{target}: INVALID after the build; the folder is left as it is for you to fix (it is a draft)", file=sys.stderr)
        return 1
    changelog.write_text(stub_entry(changelog.read_text(encoding="utf-8"), version), encoding="utf-8")
    print(f"{target}: draft release {version}, copied from published release {source.version}, rebuilt and valid")
    print(f"{changelog}: '## {version} (draft)' entry added; write it, then: python scripts/publish_release.py {version}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
