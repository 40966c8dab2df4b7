"""Run the project's commands in the test process, or as real processes.

`in_process` calls a command's main(argv) from the checkout's root and returns what the command would give: its exit
code (a SystemExit too) and its output. That costs no Python start and no pandas import (1-2 s a command), so tests
run commands this way; each command also has one test that runs it for real (`real`), from the command line to its
exit code. scripts/ is importable (`script`), as the scripts themselves import each other.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"


@dataclass(frozen=True)
class Ran:
    """A command's outcome, with the fields of subprocess.CompletedProcess that tests read."""

    returncode: int
    stdout: str
    stderr: str


def in_process(main: Callable[[list[str]], int | None], argv: Sequence[str]) -> Ran:
    """main(argv) run from ROOT with its output captured. An exception other than SystemExit fails the test (a real
    run would print a traceback)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code
            if code is not None and not isinstance(code, int):  # SystemExit("message"): Python prints it, exit 1
                print(code, file=sys.stderr)
                code = 1
    return Ran(code or 0, out.getvalue(), err.getvalue())


def real(*argv: str) -> subprocess.CompletedProcess:
    """`python ARGV...` in a process of its own, from ROOT."""
    return subprocess.run([sys.executable, *argv], cwd=ROOT, capture_output=True, text=True, timeout=300)


def script(name: str) -> ModuleType:
    """scripts/<name>.py as a module."""
    if str(SCRIPTS) not in sys.path:
        sys.path.append(str(SCRIPTS))
    return importlib.import_module(name)
