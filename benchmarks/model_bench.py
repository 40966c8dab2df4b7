"""Rollout model 2 speed figures: the four options' central runs, and their ranges and sensitivity (first computation).

Targets (issue 13): the first computation of ranges and sensitivity for four options <= 300 ms; the Compare page's
warm rerun (with the ranges cached per release and levers) <= 50 ms is measured by map_bench.bench_compare_rerun.
Runs on the newest published release of the checkout (computed, never named).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _newest_release():
    from pakcoe import list_releases, validate_release

    reports = [validate_release(p) for p in list_releases(ROOT / "data" / "releases")]
    published = [r for r in reports if r.valid and r.status == "published"]
    return max(published, key=lambda r: tuple(int(x) for x in r.version.split(".")[:3])).release


def bench_model() -> list[tuple[str, str, str]]:
    from pakcoe.model import comparison_horizon, run_model, scenario_from_option
    from pakcoe.uncertainty import SAMPLES, ranges, sensitivity

    release = _newest_release()
    options = list(release.table("options")["option_id"])[:4]
    print(f"\n== Model: release {release.version}, {len(options)} options, {SAMPLES} samples a range ==")
    t0 = time.perf_counter()
    horizon = comparison_horizon(release, [scenario_from_option(release, o) for o in options])
    t_h = time.perf_counter() - t0
    scenarios = [scenario_from_option(release, o, horizon_quarters=horizon) for o in options]

    def central() -> None:
        for s in scenarios:
            run_model(release, s)

    def uncertain(all_sensitivity: bool) -> None:
        for s in scenarios:
            ranges(release, s)
        for s in scenarios if all_sensitivity else scenarios[:1]:
            sensitivity(release, s)

    t0 = time.perf_counter()
    uncertain(False)
    first = time.perf_counter() - t0  # nothing of this release's ranges computed before in this process
    again = statistics.median(_timed(lambda: uncertain(False)) for _ in range(3))
    every = statistics.median(_timed(lambda: uncertain(True)) for _ in range(3))
    runs = statistics.median(_timed(central) for _ in range(5))
    print(f"  comparison horizon: {horizon} quarters, found in {t_h * 1000:.0f} ms")
    print(f"  four central runs (run_model, with the plan run): median of 5 {runs * 1000:.1f} ms")
    print(f"  ranges of four options + sensitivity of the baseline: first {first * 1000:.0f} ms, median of 3 after {again * 1000:.0f} ms (target <= 300 ms)")
    print(f"  ranges + sensitivity of all four options: median of 3 {every * 1000:.0f} ms")
    return [
        ("model: four central runs", f"{runs * 1000:.1f}", "ms"),
        ("model: comparison horizon", f"{t_h * 1000:.0f}", "ms"),
        ("model: ranges x4 + sensitivity (first)", f"{first * 1000:.0f}", "ms"),
        ("model: ranges x4 + sensitivity (median)", f"{again * 1000:.0f}", "ms"),
        ("model: ranges x4 + sensitivity x4 (median)", f"{every * 1000:.0f}", "ms"),
    ]


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(ROOT))
    for row in bench_model():
        print(row)
