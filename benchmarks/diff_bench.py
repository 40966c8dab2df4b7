"""What changed between two 10,000-hub releases (pakcoe.diff): two synthetic releases generated with different seeds
(every hub's coordinates differ: each of the 10,000 hubs is a changed row and a moved hub, the worst case for the
hubs table), loaded, then diffed, the model's option figures included. Target: the diff ≤ 2 s (issue 19).

Usage: .venv/bin/python benchmarks/diff_bench.py   (also part of `make bench`)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

TARGET_S = 2.0
RUNS = 3


def bench_diff(tmp: Path | None = None) -> list[tuple[str, str, str]]:
    """Rows for run.py's summary: the diff of two 10,000-hub releases (median of RUNS), and without the option figures."""
    import synthetic_release

    from pakcoe import load_release
    from pakcoe.diff import diff_releases

    with tempfile.TemporaryDirectory() as own:
        root = Path(tmp or own) / "diff-releases"
        root.mkdir(parents=True, exist_ok=True)
        old = load_release(synthetic_release.generate(root, 10_000, "9.0.0", seed=7))
        new = load_release(synthetic_release.generate(root, 10_000, "9.1.0", seed=8))
    full, tables_only = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        diff = diff_releases(old, new)
        full.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        diff_releases(old, new, options=False)
        tables_only.append(time.perf_counter() - t0)
    hubs = diff.tables["hubs"]
    seconds, without = statistics.median(full), statistics.median(tables_only)
    print(f"\n== Diff of two 10,000-hub releases (median of {RUNS}; target <= {TARGET_S} s) ==")
    print(f"  hubs: {len(hubs.changed):,} changed rows, {len(diff.moved):,} moved; {diff.count():,} changes in all; {len(diff.options)} options run on both")
    print(f"  diff with the option figures   {seconds:6.3f} s   {'ok' if seconds <= TARGET_S else 'OVER TARGET'}")
    print(f"  diff of the tables only         {without:6.3f} s")
    return [("diff of two 10,000-hub releases", f"{seconds:.3f}", f"s (tables only {without:.3f} s; target <= {TARGET_S} s)")]


if __name__ == "__main__":
    bench_diff()
