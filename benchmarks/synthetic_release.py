"""Generate a synthetic, fully valid release with N hubs (default 10 000) into a temporary releases folder.

Used by benchmarks/run.py to measure the map at scale; never written into data/releases. The release is listed as
published in the folder's published.json, so the app serves it by default.
Usage: python benchmarks/synthetic_release.py OUT_RELEASES_DIR [--hubs 10000] [--version 9.0.0]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pakcoe import largest_remainder, load_release  # noqa: E402
from pakcoe.geo import hubs_geojson, points_outside  # noqa: E402
from pakcoe.release import PUBLISHED, read_published, record_published, sha256_of  # noqa: E402
from pakcoe.tableschema import read_table  # noqa: E402

SOURCE = ROOT / "data" / "releases" / "1.1.0"


def generate(out_root: Path, hubs_total: int = 10_000, version: str = "9.0.0", seed: int = 7) -> Path:
    """Write a synthetic release folder out_root/version and return its path (validated before returning)."""
    rng = np.random.default_rng(seed)
    base = load_release(SOURCE)
    dest = out_root / version
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(SOURCE, dest)
    descriptor = json.loads((dest / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = version
    descriptor["allocation_rule"]["total_hubs"] = hubs_total
    provinces = base.table("provinces")
    floor = int(base.param("allocation_floor"))
    alloc = largest_remainder(dict(zip(provinces["province_id"], provinces["population"].astype(float))), hubs_total, floor)
    cities = base.table("cities").dropna(subset=["lat", "lon"])
    outline = base.geojson["pakistan-outline"]
    capacity = {t: int(base.param(p)) for t, p in zip(base.table("hub_types")["hub_type"], base.table("hub_types")["capacity_param"])}
    types = ["flagship", "standard", "tvet_embedded"]
    rows, used = [], set()
    phase_targets = {1: 0, 2: 0, 3: 0}
    for prov, n in alloc.items():
        pc = cities[cities["province_id"] == prov]
        made = 0
        while made < n:
            pick = pc.iloc[rng.integers(len(pc), size=2 * (n - made) + 10)]
            lats = np.round(pick["lat"].to_numpy(dtype=float) + rng.normal(0, 0.25, len(pick)), 5)
            lons = np.round(pick["lon"].to_numpy(dtype=float) + rng.normal(0, 0.25, len(pick)), 5)
            outside = set(points_outside(outline, lats, lons))
            for k, (c, lat, lon) in enumerate(zip(pick.itertuples(), lats, lons)):
                if made >= n or k in outside or (lat, lon) in used or not (23.5 <= lat <= 37.2 and 60.8 <= lon <= 77.9):
                    continue
                used.add((lat, lon))
                made += 1
                i = len(rows) + 1
                phase = 1 if i <= 12 else (2 if i <= hubs_total * 0.3 else 3)
                phase_targets[phase] += 1
                t = types[int(rng.integers(3))]
                rows.append(
                    {
                        "hub_id": f"syn-{i}",
                        "name": f"Synthetic hub {i}",
                        "city_id": c.city_id,
                        "district": "synthetic",
                        "province_id": prov,
                        "phase_id": phase,
                        "hub_type": t,
                        "host_type": "tvet_institute",
                        "focus_areas": "manufacturing",
                        "learner_capacity_per_year": capacity[t],
                        "launch_quarter": "2030Q1",
                        "status": "proposed",
                        "location_precision": "town",
                        "place_ref": f"geonames:{int(c.geonames_id)}",
                        "lat": float(lat),
                        "lon": float(lon),
                        "coord_source": "synthetic (benchmark only)",
                    }
                )
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    (dest / "hubs.csv").write_bytes(out.getvalue().encode("utf-8"))
    phases = list(csv.DictReader(io.StringIO((dest / "phases.csv").read_text(encoding="utf-8"))))
    for p in phases:
        p["hub_target"] = str(phase_targets[int(p["phase_id"])])
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(phases[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(phases)
    (dest / "phases.csv").write_bytes(out.getvalue().encode("utf-8"))
    schema = next(r for r in descriptor["resources"] if r["name"] == "hubs")["schema"]
    table = read_table("hubs.csv", (dest / "hubs.csv").read_bytes(), schema)
    (dest / "hubs.geojson").write_bytes(json.dumps(hubs_geojson(table.frame)).encode("utf-8"))
    for res in descriptor["resources"]:
        raw = (dest / res["path"]).read_bytes()
        res["hash"], res["bytes"] = sha256_of(raw), len(raw)
    (dest / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    load_release(dest)  # raises ReleaseInvalid if anything is off
    if version in read_published(out_root):  # generated again in place: the old entry pinned the old files
        listed = json.loads((out_root / PUBLISHED).read_text(encoding="utf-8"))
        del listed["published"][version]
        (out_root / PUBLISHED).write_text(json.dumps(listed, indent=2) + "\n", encoding="utf-8")
    record_published(out_root, version)
    return dest


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--hubs", type=int, default=10_000)
    ap.add_argument("--version", default="9.0.0")
    a = ap.parse_args()
    print(generate(a.out, a.hubs, a.version))
