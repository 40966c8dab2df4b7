"""The domain package never imports Streamlit or the app's components, directly or through anything it loads."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(file: Path) -> list[tuple[int, str]]:
    """(line, module) of every import statement of a file."""
    found = []
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


def test_no_module_of_pakcoe_imports_the_apps_components():
    """The figure builders and exports depend on the domain, never the other way round."""
    offenders = [
        f"{file.name}:{line} {name}"
        for file in sorted((ROOT / "pakcoe").rglob("*.py"))
        for line, name in _imports(file)
        if name == "components" or name.startswith("components.")
    ]
    assert offenders == []


def test_no_module_of_pakcoe_imports_streamlit():
    offenders = []
    for file in sorted((ROOT / "pakcoe").rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{file.name}:{node.lineno} {n}" for n in names if n == "streamlit" or n.startswith("streamlit.")]
    assert offenders == []
    assert len(list((ROOT / "pakcoe").rglob("*.py"))) >= 5


def test_using_pakcoe_loads_no_streamlit_module():
    code = (
        "import sys, pakcoe, pakcoe.cli; r = pakcoe.load_release('data/releases/1.0.0'); pakcoe.headline(r); "
        "bad = [m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')]; print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_download_button_leaves_the_page_as_it_is_when_clicked():
    """A download button that reran the page on its click had the rerun draw it anew, which revokes the deferred file
    the click asked for (Streamlit's media file manager): on a loaded machine the request lost that race and no file
    came. Every download button passes on_click="ignore" (tests/browser/browserhelp.download checks the click in the
    browser too)."""
    calls = []
    for file in sorted([*(ROOT / "components").rglob("*.py"), *(ROOT / "pages").rglob("*.py")]):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "download_button":
                click = next((k.value for k in node.keywords if k.arg == "on_click"), None)
                calls.append((f"{file.relative_to(ROOT)}:{node.lineno}", isinstance(click, ast.Constant) and click.value == "ignore"))
    assert len(calls) >= 10  # the app's buttons were found
    assert [where for where, ignored in calls if not ignored] == []
