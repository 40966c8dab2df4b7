"""`python -m pakcoe validate PATH`: exit 0 valid, 1 invalid (one located problem per line), 2 usage or unreadable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pakcoe", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_valid_release_exits_0():
    out = run("validate", "data/releases/1.0.0")
    assert out.returncode == 0
    assert out.stdout == ""
    assert "valid" in out.stderr


def test_descriptor_path_is_accepted_too():
    assert run("validate", "data/releases/1.0.0/datapackage.json").returncode == 0


def test_invalid_release_exits_1_with_one_problem_per_line(draft):
    row = draft.edit_cell("milestones.csv", "milestone_id", "M03", "due_quarter", "soon")
    draft.edit_cell("gaps.csv", "gap_id", "G2", "response_pillar", "magic")
    out = run("validate", str(draft.path))
    assert out.returncode == 1
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{draft.path}/milestones.csv row {row} field due_quarter: [pattern]")
    assert lines[1].startswith(f"{draft.path}/gaps.csv row 3 field response_pillar: [enum]")
    assert "INVALID, 2 problem(s)" in out.stderr


def test_missing_folder_exits_2(tmp_path):
    out = run("validate", str(tmp_path / "nope"))
    assert out.returncode == 2
    assert "not a release folder" in out.stderr


def test_usage_error_exits_2():
    assert run().returncode == 2
    assert run("frobnicate").returncode == 2
    assert run("validate").returncode == 2
