"""Rules that span files: foreign keys, phase targets, funding shares, the allocation rule, geography."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd

from pakcoe.allocation import largest_remainder
from pakcoe.basis import check_release_basis, rules_version
from pakcoe.geo import hubs_geojson, points_outside
from pakcoe.problems import Problem

SHARE_TOLERANCE = 1e-6
COORD_TOLERANCE = 1e-9


def _records(frame: pd.DataFrame):
    """(index label, row as a dict) for every row: what iterrows() gives, without building a Series per row
    (iterrows cost ~2.5 s of the 10 000-hub release's validation)."""
    return zip(frame.index, frame.to_dict("records"))


def check_rules(descriptor: dict, tables: dict[str, pd.DataFrame], lines: dict[str, list[int]], geojson: dict[str, dict]) -> list[Problem]:
    """Every cross-file rule whose tables were readable."""
    problems: list[Problem] = []
    paths = {r.get("name"): r.get("path") for r in descriptor.get("resources", []) if isinstance(r, dict)}
    problems += _foreign_keys(descriptor, tables, lines, paths)

    def has(*names: str) -> bool:
        return all(n in tables for n in names)

    def line(name: str, i: int) -> int:
        return lines[name][i]

    if has("hubs", "phases"):
        counts = Counter(tables["hubs"]["phase_id"].dropna().astype(int))
        for i, row in _records(tables["phases"]):
            if pd.notna(row["phase_id"]) and pd.notna(row["hub_target"]) and counts.get(int(row["phase_id"]), 0) != int(row["hub_target"]):
                problems.append(
                    Problem(
                        paths["phases"],
                        "phase-target",
                        f"hub_target {row['hub_target']} but hubs.csv has {counts.get(int(row['phase_id']), 0)} hubs in phase {row['phase_id']}",
                        row=line("phases", i),
                        field="hub_target",
                        value=str(row["hub_target"]),
                    )
                )
    if has("funding_rules"):
        fr = tables["funding_rules"].dropna(subset=["track", "phase_id", "use", "share"])
        for (track, phase, use), group in fr.groupby(["track", "phase_id", "use"], sort=False):
            total = float(group["share"].sum())
            if abs(total - 1) > SHARE_TOLERANCE:
                first = group.index[0]
                problems.append(
                    Problem(
                        paths["funding_rules"],
                        "shares-sum",
                        f"shares of track {track}, phase {phase}, use {use} sum to {total:.4f}, not 1",
                        row=line("funding_rules", first),
                        field="share",
                        value=f"{total:.4f}",
                    )
                )
    if has("hubs", "cities"):
        city_prov = dict(zip(tables["cities"]["city_id"], tables["cities"]["province_id"]))
        for i, row in _records(tables["hubs"]):
            expected = city_prov.get(row["city_id"])
            if expected is not None and row["province_id"] != expected:
                problems.append(
                    Problem(
                        paths["hubs"],
                        "city-province",
                        f"city {row['city_id']} is in {expected}",
                        row=line("hubs", i),
                        field="province_id",
                        value=str(row["province_id"]),
                    )
                )
    if has("hubs"):
        problems += _hub_geography(tables["hubs"], lines["hubs"], paths["hubs"], geojson, paths)
    if has("hubs", "provinces", "assumptions") and "allocation_rule" in descriptor:
        problems += _allocation(descriptor["allocation_rule"], tables, paths)
    if has("hubs", "hub_types", "assumptions", "programme_offers", "programmes"):
        problems += _capacity(tables, lines, paths)
    if has("roles"):
        roles = tables["roles"]
        for (track, activity), group in roles.groupby(["track", "activity_id"], sort=False):
            n = int((group["raci"] == "A").sum())
            if n != 1:
                problems.append(
                    Problem(
                        paths["roles"],
                        "raci-one-accountable",
                        f"activity {activity} on track {track} has {n} Accountable partners; exactly one is required",
                        row=line("roles", group.index[0]),
                        field="raci",
                    )
                )
    if has("assumptions"):
        for i, row in _records(tables["assumptions"]):
            at = line("assumptions", i)
            lo, val, hi = row["low"], row["value"], row["high"]
            if pd.notna(lo) and pd.notna(val) and pd.notna(hi) and not (lo <= val <= hi):
                problems.append(
                    Problem(paths["assumptions"], "bounds", f"low {lo} <= value {val} <= high {hi} does not hold", row=at, field="value", value=str(val))
                )
            if row["assumption"] is False and pd.isna(row["source_id"]):
                problems.append(
                    Problem(paths["assumptions"], "provenance", "a parameter that is not an assumption must name its source_id", row=at, field="source_id")
                )
            if row["assumption"] is True and pd.notna(row["source_id"]):
                problems.append(
                    Problem(
                        paths["assumptions"],
                        "provenance",
                        "an illustrative assumption names its comparable in basis, not as source_id",
                        row=at,
                        field="source_id",
                        value=str(row["source_id"]),
                    )
                )
    if has("programmes"):
        for i, row in _records(tables["programmes"]):
            if pd.notna(row["nvqf_level_min"]) and pd.notna(row["nvqf_level_max"]) and row["nvqf_level_min"] > row["nvqf_level_max"]:
                problems.append(
                    Problem(
                        paths["programmes"],
                        "level-order",
                        "nvqf_level_min must not exceed nvqf_level_max",
                        row=line("programmes", i),
                        field="nvqf_level_min",
                        value=str(row["nvqf_level_min"]),
                    )
                )
    if rules_version(descriptor) >= 2:
        problems += check_release_basis(descriptor, tables, lines, paths)
    if has("phases"):
        for i, row in _records(tables["phases"]):
            if isinstance(row["start_quarter"], str) and isinstance(row["end_quarter"], str) and row["start_quarter"] > row["end_quarter"]:
                problems.append(
                    Problem(
                        paths["phases"],
                        "quarter-order",
                        "start_quarter must not be after end_quarter",
                        row=line("phases", i),
                        field="start_quarter",
                        value=row["start_quarter"],
                    )
                )
    return problems


def _foreign_keys(descriptor: dict, tables: dict[str, pd.DataFrame], lines: dict[str, list[int]], paths: dict) -> list[Problem]:
    problems: list[Problem] = []
    for res in descriptor.get("resources", []):
        if not isinstance(res, dict):
            continue
        name = res.get("name")
        for fk in res.get("schema", {}).get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            ref_name = ref.get("resource") or name
            if name not in tables or ref_name not in tables:
                continue
            target = tables[ref_name]
            keys = set(map(tuple, target[ref_fields].itertuples(index=False, name=None)))
            frame = tables[name]
            for i, values in enumerate(frame[fields].itertuples(index=False, name=None)):
                if any(v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA for v in values):
                    continue
                if tuple(values) not in keys:
                    problems.append(
                        Problem(
                            paths[name],
                            "foreign-key",
                            f"{', '.join(map(str, values))} is not a {', '.join(ref_fields)} in {paths.get(ref_name, ref_name)}",
                            row=lines[name][i],
                            field=",".join(fields),
                            value=",".join(map(str, values)),
                        )
                    )
    return problems


def _hub_geography(hubs: pd.DataFrame, hub_lines: list[int], hubs_path: str, geojson: dict[str, dict], paths: dict) -> list[Problem]:
    problems: list[Problem] = []
    located = hubs.dropna(subset=["lat", "lon"])
    seen: dict[tuple, str] = {}
    for i, row in _records(located):
        key = (round(float(row["lat"]), 6), round(float(row["lon"]), 6))
        if key in seen:
            problems.append(
                Problem(
                    hubs_path, "distinct-coordinates", f"same coordinates as hub {seen[key]}", row=hub_lines[i], field="lat,lon", value=f"{key[0]},{key[1]}"
                )
            )
        else:
            seen[key] = row["hub_id"]
    outline = geojson.get("pakistan-outline")
    if outline is not None and len(located):
        try:
            outside = points_outside(outline, located["lat"], located["lon"])
        except Exception as exc:  # a malformed outline must be reported, not crash validation
            problems.append(Problem(paths.get("pakistan-outline", "pakistan-outline.geojson"), "geometry", f"outline is not a valid geometry: {exc}"))
            outside = []
        for j in outside:
            i = located.index[j]
            problems.append(
                Problem(
                    hubs_path,
                    "inside-pakistan",
                    "hub lies outside Pakistan's area",
                    row=hub_lines[i],
                    field="lat,lon",
                    value=f"{located.at[i, 'lat']},{located.at[i, 'lon']}",
                )
            )
    elif outline is None:
        problems.append(Problem("pakistan-outline.geojson", "exists", "the release needs the outline resource 'pakistan-outline' to check hub locations"))
    features = geojson.get("hubs-geojson")
    gj_path = paths.get("hubs-geojson", "hubs.geojson")
    if features is None:
        problems.append(Problem(gj_path, "exists", "the release needs the GeoJSON resource 'hubs-geojson' generated from hubs.csv"))
        return problems
    expected = hubs_geojson(hubs)
    actual = features.get("features") if isinstance(features, dict) else None
    if features.get("type") != "FeatureCollection" or not isinstance(actual, list):
        problems.append(Problem(gj_path, "geojson", "must be a FeatureCollection with a 'features' list"))
        return problems
    by_id = {f["id"]: (k, f) for k, f in enumerate(expected["features"])}
    seen_ids = set()
    for k, feat in enumerate(actual):
        fid = feat.get("id") if isinstance(feat, dict) else None
        if fid not in by_id:
            problems.append(Problem(gj_path, "csv-geojson-agree", "feature has no matching hub_id in hubs.csv", row=k, field="id", value=str(fid)))
            continue
        seen_ids.add(fid)
        _, want = by_id[fid]
        try:
            coords = feat["geometry"]["coordinates"]
            ok = feat["geometry"]["type"] == "Point" and all(
                abs(float(a) - float(b)) <= COORD_TOLERANCE for a, b in zip(coords, want["geometry"]["coordinates"], strict=True)
            )
        except (KeyError, TypeError, ValueError):
            ok = False
        if not ok:
            problems.append(
                Problem(
                    gj_path,
                    "csv-geojson-agree",
                    f"geometry of {fid} differs from hubs.csv lon/lat {want['geometry']['coordinates']}",
                    row=k,
                    field="geometry",
                    value=str(feat.get("geometry")),
                )
            )
        props = feat.get("properties") or {}
        for key, value in want["properties"].items():
            if props.get(key) != value:
                problems.append(Problem(gj_path, "csv-geojson-agree", f"property of {fid} differs from hubs.csv", row=k, field=key, value=str(props.get(key))))
    for fid in by_id:
        if fid not in seen_ids:
            problems.append(Problem(gj_path, "csv-geojson-agree", f"hub {fid} of hubs.csv has no feature", field="id", value=str(fid)))
    return problems


def _allocation(rule: dict, tables: dict[str, pd.DataFrame], paths: dict) -> list[Problem]:
    provinces = tables["provinces"]
    assumptions = tables["assumptions"].set_index("param_id")
    floor_param = rule.get("floor_param", "allocation_floor")
    if floor_param not in assumptions.index:
        return [
            Problem(
                paths["assumptions"], "allocation-rule", f"parameter '{floor_param}' named by allocation_rule is missing", field="param_id", value=floor_param
            )
        ]
    floor = int(assumptions.at[floor_param, "value"])
    total = int(rule.get("total_hubs", 0))
    weights = {p: float(v) for p, v in zip(provinces["province_id"], provinces["population"]) if pd.notna(v)}
    try:
        expected = largest_remainder(weights, total, floor)
    except ValueError as exc:
        return [Problem("datapackage.json", "allocation-rule", str(exc), field="allocation_rule")]
    actual = Counter(tables["hubs"]["province_id"].dropna())
    problems = []
    if len(tables["hubs"]) != total:
        problems.append(
            Problem(paths["hubs"], "allocation-rule", f"the rule shares {total} hubs; hubs.csv has {len(tables['hubs'])}", value=str(len(tables["hubs"])))
        )
    for prov, want in expected.items():
        if actual.get(prov, 0) != want:
            problems.append(
                Problem(
                    paths["hubs"],
                    "allocation-rule",
                    f"{prov} has {actual.get(prov, 0)} hubs; the allocation rule (largest remainder on population, floor {floor}) gives {want}",
                    field="province_id",
                    value=prov,
                )
            )
    return problems


def _capacity(tables: dict[str, pd.DataFrame], lines: dict[str, list[int]], paths: dict) -> list[Problem]:
    problems: list[Problem] = []
    seats = dict(zip(tables["programmes"]["programme_id"], tables["programmes"]["seats_per_cohort"]))
    offers = tables["programme_offers"]
    for i, row in _records(offers):
        per = seats.get(row["programme_id"])
        if per is not None and pd.notna(row["cohorts_per_year"]) and row["seats_per_year"] != row["cohorts_per_year"] * per:
            problems.append(
                Problem(
                    paths["programme_offers"],
                    "seats",
                    f"seats_per_year must be cohorts_per_year x seats_per_cohort = {row['cohorts_per_year'] * per}",
                    row=lines["programme_offers"][i],
                    field="seats_per_year",
                    value=str(row["seats_per_year"]),
                )
            )
    by_type = offers.groupby("hub_type")["seats_per_year"].sum().to_dict()
    params = dict(zip(tables["assumptions"]["param_id"], tables["assumptions"]["value"]))
    cap_param = dict(zip(tables["hub_types"]["hub_type"], tables["hub_types"]["capacity_param"]))
    for _, row in _records(tables["hub_types"]):
        p = row["capacity_param"]
        if p in params and row["hub_type"] in by_type and int(params[p]) != int(by_type[row["hub_type"]]):
            problems.append(
                Problem(
                    paths["assumptions"],
                    "capacity",
                    f"{p} = {params[p]} but the programmes a {row['hub_type']} hub offers seat {by_type[row['hub_type']]} a year",
                    field="value",
                    value=str(params[p]),
                )
            )
    for i, row in _records(tables["hubs"]):
        p = cap_param.get(row["hub_type"])
        if p in params and pd.notna(row["learner_capacity_per_year"]) and int(row["learner_capacity_per_year"]) != int(params[p]):
            problems.append(
                Problem(
                    paths["hubs"],
                    "capacity",
                    f"a {row['hub_type']} hub has capacity {int(params[p])} ({p})",
                    row=lines["hubs"][i],
                    field="learner_capacity_per_year",
                    value=str(row["learner_capacity_per_year"]),
                )
            )
    return problems
