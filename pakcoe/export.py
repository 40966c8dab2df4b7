"""Exports of a release: the whole data package as a zip archive."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # same bytes for the same files: reproducible downloads


def package_zip(release_dir: str | Path) -> bytes:
    """Every file of a release folder, under a top folder named pak-ai-coe-<version>/."""
    release_dir = Path(release_dir)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in release_dir.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"pak-ai-coe-{release_dir.name}/{path.relative_to(release_dir).as_posix()}", FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return buf.getvalue()


def changelog_text(releases_root: str | Path) -> str:
    """The data CHANGELOG beside the releases folder ('' when there is none)."""
    path = Path(releases_root).parent / "CHANGELOG.md"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            continue
        out[column] = out[column].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v)
    return out


def table_csv(frame: pd.DataFrame, release_id: str) -> bytes:
    """A CSV download: the release id in its own column, formula-looking text neutralised, UTF-8."""
    out = neutralise_formulas(frame)
    out.insert(0, "release", release_id)
    return out.to_csv(index=False).encode("utf-8")
