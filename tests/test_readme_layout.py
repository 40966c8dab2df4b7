"""The README's layout table matches the tree: every top-level entry and every module is named there, and every path it
names exists."""

from __future__ import annotations

import re
import subprocess

from releasekit import ROOT

MODULE_DIRS = ("components", "components/thirdparty", "pakcoe", "scripts", "benchmarks")


def layout_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text[text.index("## Layout\n") : text.index("\n### ", text.index("## Layout\n"))]


def tree() -> list[str]:
    """Files git tracks or would track (tracked, and untracked but not ignored)."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if (ROOT / line).exists()]


def test_every_top_level_entry_is_in_the_layout_table():
    section = layout_section()
    top = {path.split("/")[0] for path in tree()} - {".gitignore"}
    missing = sorted(name for name in top if f"`{name}" not in section)
    assert not missing, f"top-level entries the README's layout table does not name: {missing}"


def test_every_module_is_named_in_the_layout_table():
    section = layout_section()
    missing = []
    for folder in MODULE_DIRS:
        for path in sorted((ROOT / folder).glob("*.py")):
            if path.name != "__init__.py" and f"`{path.name}`" not in section and f"{folder}/{path.name}" not in section:
                missing.append(f"{folder}/{path.name}")
    assert not missing, f"modules the README's layout table does not name: {missing}"


def test_every_path_the_layout_table_names_exists():
    section = layout_section()
    paths = [p for p in re.findall(r"^\| `([^`]+)`", section, flags=re.MULTILINE) if "<" not in p and "*" not in p]
    assert len(paths) >= 10, paths
    missing = [p for p in paths if not (ROOT / p.rstrip("/")).exists()]
    assert not missing, f"paths in the README's layout table that do not exist: {missing}"
