"""What changed between two data releases: rows added, removed and changed (by primary key) in every table, hubs
moved (km), assumptions changed (value and bounds), schema changes, and the effect on each predefined option's
headline figures, computed with the current model on both releases.

Pure and fast: each table is compared column by column on aligned keys (two 10,000-hub releases in well under a
second, benchmarks/diff_bench.py). `python -m pakcoe diff OLD NEW [--json]` prints it (pakcoe.cli).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pakcoe.geo import haversine_km
from pakcoe.release import Release

KEY_JOIN = "|"  # the parts of a composite primary key, joined into one key string
# The option figures compared (pakcoe.model.Summary fields): what Compare's headline cards show.
FIGURES = (
    "hubs_at_end",
    "network_complete_quarter",
    "learners_certified",
    "total_cost",
    "government_money",
    "non_government_money",
    "funding_gap",
    "cost_per_certified_learner",
)
MOVE_KM = 0.001  # a hub whose coordinates changed by less than a metre has not moved


@dataclass(frozen=True)
class SchemaChange:
    """One column of a table added, removed, or with its type or constraints changed."""

    field: str
    what: str  # "added" | "removed" | "type" | "constraints"
    old: Any = None
    new: Any = None


@dataclass(frozen=True)
class TableDiff:
    """One table compared by its primary key: keys added and removed, each changed row's changed cells, its schema."""

    name: str
    key: tuple[str, ...]
    status: str  # "added" (only in the new release), "removed" (only in the old), "both"
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    schema: tuple[SchemaChange, ...] = ()

    @property
    def count(self) -> int:
        """Things changed: rows added, removed or changed, and schema changes (a table added or removed: its rows)."""
        return len(self.added) + len(self.removed) + len(self.changed) + len(self.schema)

    @property
    def empty(self) -> bool:
        return self.count == 0 and self.status == "both"


@dataclass(frozen=True)
class HubMove:
    hub_id: str
    name: str
    old: tuple[float, float]  # (lat, lon)
    new: tuple[float, float]
    km: float


@dataclass(frozen=True)
class AssumptionChange:
    param_id: str
    name: str
    unit: str
    old: dict[str, float]  # value, low, high
    new: dict[str, float]


@dataclass(frozen=True)
class OptionEffect:
    """One predefined option's headline figures on both releases (`problem`: why they could not be computed)."""

    option_id: str
    name: str
    figures: dict[str, tuple[Any, Any]]  # figure -> (old, new); None where the option is not in that release
    problem: str | None = None

    def changed(self) -> dict[str, tuple[Any, Any]]:
        return {k: v for k, v in self.figures.items() if not same_value(*v)}


@dataclass(frozen=True)
class ReleaseDiff:
    old: str  # version
    new: str
    tables: dict[str, TableDiff]  # every CSV table of either release, by resource name
    moved: tuple[HubMove, ...]
    assumptions: tuple[AssumptionChange, ...]
    options: dict[str, OptionEffect]

    @property
    def empty(self) -> bool:
        """Nothing differs: no table, no option figure."""
        return all(t.empty for t in self.tables.values()) and not any(o.changed() for o in self.options.values())

    def changed_tables(self) -> dict[str, TableDiff]:
        return {n: t for n, t in self.tables.items() if not t.empty}

    def count(self, tables: Iterable[str] | None = None) -> int:
        """Things changed in `tables` (default: every table): rows added, removed or changed, and schema changes."""
        names = self.tables if tables is None else [n for n in tables if n in self.tables]
        return sum(self.tables[n].count for n in names)

    def to_json(self) -> dict:
        """The diff as plain JSON values: `tables` and `options` hold what changed only (so a release's diff with itself
        is {"tables": {}, "options": {}}); `option_figures` holds every figure of every option, side by side."""
        return {
            "old": self.old,
            "new": self.new,
            "tables": {
                n: {
                    "added": list(t.added),
                    "removed": list(t.removed),
                    "changed": {k: {f: [json_value(a), json_value(b)] for f, (a, b) in cells.items()} for k, cells in t.changed.items()},
                    "schema": [{"field": s.field, "change": s.what, "old": json_value(s.old), "new": json_value(s.new)} for s in t.schema],
                    "status": t.status,
                    "key": list(t.key),
                }
                for n, t in self.changed_tables().items()
            },
            "options": {o.option_id: {f: [json_value(a), json_value(b)] for f, (a, b) in o.changed().items()} for o in self.options.values() if o.changed()},
            "option_figures": {
                o.option_id: {"name": o.name, "problem": o.problem, "figures": {f: [json_value(a), json_value(b)] for f, (a, b) in o.figures.items()}}
                for o in self.options.values()
            },
            "hubs_moved": [{"hub_id": m.hub_id, "name": m.name, "old": list(m.old), "new": list(m.new), "km": round(m.km, 3)} for m in self.moved],
            "assumptions": [{"param_id": a.param_id, "name": a.name, "unit": a.unit, "old": a.old, "new": a.new} for a in self.assumptions],
        }


# -- values ----------------------------------------------------------------------------------------------------------


def native(value: Any) -> Any:
    """A cell as a plain Python value: None for missing, int/float/bool/str otherwise."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def json_value(value: Any) -> Any:
    """native(), with a non-finite float as None (JSON has no NaN or infinity)."""
    value = native(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def same_value(a: Any, b: Any) -> bool:
    """Equal as the data means them: missing equals missing; numbers compared as numbers (5 == 5.0), to 1e-9 relative."""
    a, b = native(a), native(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


# -- tables ----------------------------------------------------------------------------------------------------------


def _key_strings(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Index:
    if not key:
        return pd.Index([str(i + 2) for i in range(len(frame))])  # no primary key: the CSV line
    parts = [frame[k].astype("string").fillna("") for k in key]
    joined = parts[0]
    for p in parts[1:]:
        joined = joined + KEY_JOIN + p
    return pd.Index(joined.tolist())


def _unchanged(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise: a cell the same in both (aligned) columns."""
    a_na, b_na = a.isna().to_numpy(), b.isna().to_numpy()
    numeric = pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b) and not (pd.api.types.is_bool_dtype(a) or pd.api.types.is_bool_dtype(b))
    if numeric:
        x, y = a.to_numpy(dtype=float, na_value=np.nan), b.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            equal = np.isclose(x, y, rtol=1e-9, atol=1e-12)
    else:
        equal = (a.astype(object).to_numpy() == b.astype(object).to_numpy()).astype(bool)
    return (a_na & b_na) | (~a_na & ~b_na & equal)


def _fields(resource: dict | None) -> dict[str, dict]:
    return {f["name"]: f for f in (resource or {}).get("schema", {}).get("fields", [])}


def _primary_key(resource: dict | None) -> tuple[str, ...]:
    pk = (resource or {}).get("schema", {}).get("primaryKey", [])
    return (pk,) if isinstance(pk, str) else tuple(pk)


def _schema_changes(old: dict | None, new: dict | None) -> tuple[SchemaChange, ...]:
    a, b = _fields(old), _fields(new)
    out = [SchemaChange(n, "added", None, b[n].get("type")) for n in b if n not in a]
    out += [SchemaChange(n, "removed", a[n].get("type"), None) for n in a if n not in b]
    for n in a.keys() & b.keys():
        if a[n].get("type") != b[n].get("type"):
            out.append(SchemaChange(n, "type", a[n].get("type"), b[n].get("type")))
        if (a[n].get("constraints") or {}) != (b[n].get("constraints") or {}):
            out.append(SchemaChange(n, "constraints", a[n].get("constraints") or {}, b[n].get("constraints") or {}))
    return tuple(sorted(out, key=lambda s: (s.field, s.what)))


def table_diff(name: str, old: pd.DataFrame | None, new: pd.DataFrame | None, old_resource: dict | None, new_resource: dict | None) -> TableDiff:
    """Table `name` compared by its primary key (the new release's, else the old's)."""
    key = _primary_key(new_resource) or _primary_key(old_resource)
    schema = _schema_changes(old_resource, new_resource) if old_resource is not None and new_resource is not None else ()
    if old is None or new is None:
        present = new if old is None else old
        keys = tuple(_key_strings(present, key)) if present is not None else ()
        return TableDiff(name, key, "added" if old is None else "removed", added=keys if old is None else (), removed=keys if new is None else ())
    if any(k not in old.columns for k in key):  # the key itself is new: every row counts as added and removed
        return TableDiff(name, key, "both", tuple(_key_strings(new, key)), tuple(str(i + 2) for i in range(len(old))), {}, schema)
    old_keys, new_keys = _key_strings(old, key), _key_strings(new, key)
    old_i = pd.Series(np.arange(len(old)), index=old_keys)
    new_i = pd.Series(np.arange(len(new)), index=new_keys)
    old_i = old_i[~old_i.index.duplicated()]
    new_i = new_i[~new_i.index.duplicated()]
    added = new_i.index.difference(old_i.index, sort=False)
    removed = old_i.index.difference(new_i.index, sort=False)
    common = old_i.index.intersection(new_i.index, sort=False)
    changed: dict[str, dict[str, tuple[Any, Any]]] = {}
    if len(common):
        a_rows, b_rows = old_i[common].to_numpy(), new_i[common].to_numpy()
        columns = [c for c in new.columns if c in old.columns and c not in key]
        keys = common.to_numpy(dtype=object)
        for c in columns:
            a = old[c].iloc[a_rows].reset_index(drop=True)
            b = new[c].iloc[b_rows].reset_index(drop=True)
            differ = np.flatnonzero(~_unchanged(a, b))
            if not len(differ):
                continue
            a_vals, b_vals = a.to_numpy(dtype=object)[differ], b.to_numpy(dtype=object)[differ]
            for k, x, y in zip(keys[differ], a_vals, b_vals, strict=True):
                changed.setdefault(str(k), {})[c] = (native(x), native(y))
    order = {k: i for i, k in enumerate(new_keys)}
    changed = dict(sorted(changed.items(), key=lambda kv: order.get(kv[0], 0)))
    return TableDiff(name, key, "both", tuple(added), tuple(removed), changed, schema)


def _csv_resources(release: Release) -> dict[str, dict]:
    return {r["name"]: r for r in release.descriptor.get("resources", []) if r.get("name") in release.tables}


# -- what the tables mean --------------------------------------------------------------------------------------------


def hub_moves(old: Release, new: Release, hubs: TableDiff) -> tuple[HubMove, ...]:
    """Hubs in both releases whose coordinates changed, with the distance (km), farthest first."""
    ids = [k for k, cells in hubs.changed.items() if "lat" in cells or "lon" in cells]
    if not ids:
        return ()
    a = old.hubs.set_index("hub_id").loc[ids]
    b = new.hubs.set_index("hub_id").loc[ids]
    a_lat, a_lon, b_lat, b_lon = (f[c].to_numpy(dtype=float, na_value=np.nan) for f in (a, b) for c in ("lat", "lon"))
    km = haversine_km(a_lat, a_lon, b_lat, b_lon)
    names = b["name"].astype(str).tolist() if "name" in b.columns else ids
    moves = [
        HubMove(i, names[n], (float(a_lat[n]), float(a_lon[n])), (float(b_lat[n]), float(b_lon[n])), float(km[n]))
        for n, i in enumerate(ids)
        if km[n] >= MOVE_KM  # NaN (a hub without coordinates on one side) is no move
    ]
    return tuple(sorted(moves, key=lambda m: -m.km))


def assumption_changes(old: Release, new: Release, assumptions: TableDiff) -> tuple[AssumptionChange, ...]:
    """Assumptions in both releases whose value or bounds changed."""
    ids = [k for k, cells in assumptions.changed.items() if cells.keys() & {"value", "low", "high"}]
    a = old.assumptions.set_index("param_id")
    b = new.assumptions.set_index("param_id")

    def bounds(row: pd.Series) -> dict[str, float]:
        return {k: float(row[k]) for k in ("value", "low", "high")}

    return tuple(AssumptionChange(i, str(b.at[i, "name"]), str(b.at[i, "unit"]), bounds(a.loc[i]), bounds(b.loc[i])) for i in ids)


def _figures(release: Release, option_id: str) -> dict[str, Any]:
    from pakcoe.model import run_model, scenario_from_option

    summary = run_model(release, scenario_from_option(release, option_id)).summary
    return {f: native(getattr(summary, f)) for f in FIGURES}


def option_effects(old: Release, new: Release) -> dict[str, OptionEffect]:
    """Every predefined option of either release, its headline figures computed with the current model on both."""
    names: dict[str, str] = {}
    for release in (old, new):
        if "options" in release.tables:
            names.update(zip(release.table("options")["option_id"].astype(str), release.table("options")["name"].astype(str), strict=True))
    out = {}
    for option_id, name in names.items():
        figures: dict[str, list[Any]] = {f: [None, None] for f in FIGURES}
        problems = []
        for side, release in enumerate((old, new)):
            if "options" not in release.tables or option_id not in set(release.table("options")["option_id"].astype(str)):
                continue
            try:
                computed = _figures(release, option_id)
            except (KeyError, ValueError, TypeError) as exc:  # an older release the current model cannot run
                problems.append(f"release {release.version}: {exc}")
                continue
            for f, v in computed.items():
                figures[f][side] = v
        out[option_id] = OptionEffect(option_id, name, {f: (v[0], v[1]) for f, v in figures.items()}, "; ".join(problems) or None)
    return out


def diff_releases(old: Release, new: Release, *, options: bool = True) -> ReleaseDiff:
    """What changed from `old` to `new` (`options=False`: skip running the model)."""
    a, b = _csv_resources(old), _csv_resources(new)
    names = list(b) + [n for n in a if n not in b]
    tables = {n: table_diff(n, old.tables.get(n), new.tables.get(n), a.get(n), b.get(n)) for n in names}
    both = {n for n in names if n in a and n in b}
    moved = hub_moves(old, new, tables["hubs"]) if "hubs" in both and not _missing(old, new, "hubs", ("hub_id", "lat", "lon")) else ()
    changed_assumptions = (
        assumption_changes(old, new, tables["assumptions"])
        if "assumptions" in both and not _missing(old, new, "assumptions", ("param_id", "name", "unit", "value", "low", "high"))
        else ()
    )
    return ReleaseDiff(old.version, new.version, tables, moved, changed_assumptions, option_effects(old, new) if options else {})


def _missing(old: Release, new: Release, table: str, columns: tuple[str, ...]) -> bool:
    return any(c not in r.tables[table].columns for r in (old, new) for c in columns)


def diff_frame(diff: ReleaseDiff) -> pd.DataFrame:
    """The diff as one long table (for CSV): section, table, key, field, old, new, difference."""
    rows: list[dict[str, Any]] = []
    for name, t in diff.changed_tables().items():
        rows += [{"section": "row added", "table": name, "key": k} for k in t.added]
        rows += [{"section": "row removed", "table": name, "key": k} for k in t.removed]
        rows += [
            {"section": "cell changed", "table": name, "key": k, "field": f, "old": a, "new": b}
            for k, cells in t.changed.items()
            for f, (a, b) in cells.items()
        ]
        rows += [{"section": f"column {s.what}", "table": name, "field": s.field, "old": _plain(s.old), "new": _plain(s.new)} for s in t.schema]
    rows += [
        {
            "section": "hub moved",
            "table": "hubs",
            "key": m.hub_id,
            "field": "km",
            "old": f"{m.old[0]}, {m.old[1]}",
            "new": f"{m.new[0]}, {m.new[1]}",
            "difference": round(m.km, 3),
        }
        for m in diff.moved
    ]
    for o in diff.options.values():
        for f, (a, b) in o.figures.items():
            d = b - a if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool) else None
            rows.append({"section": "option figure", "table": "options", "key": o.option_id, "field": f, "old": a, "new": b, "difference": d})
    return pd.DataFrame(rows, columns=["section", "table", "key", "field", "old", "new", "difference"])


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "none"
    return value


def _text(value: Any) -> str:
    value = _plain(native(value))
    if value is None:
        return "(empty)"
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def format_diff(diff: ReleaseDiff, rows_shown: int | None = 20) -> str:
    """The diff as plain text for a terminal or a CHANGELOG draft (`rows_shown`: changed rows listed per table; None: all)."""
    out = [f"Release {diff.old} -> {diff.new}"]
    if diff.empty:
        return out[0] + ": no differences.\n"
    changed = diff.changed_tables()
    out.append(f"{len(changed)} table(s) changed, {diff.count()} change(s) in all.")
    for name, t in changed.items():
        if t.status != "both":
            out.append(f"\n{name}: table {t.status} ({len(t.added) + len(t.removed)} rows)")
            continue
        out.append(f"\n{name} (by {', '.join(t.key) or 'line'}): {len(t.added)} added, {len(t.removed)} removed, {len(t.changed)} changed")
        for label, keys in (("added", t.added), ("removed", t.removed)):
            if keys:
                shown = keys if rows_shown is None else keys[:rows_shown]
                out.append(f"  {label}: {', '.join(shown)}" + (f" ... and {len(keys) - len(shown)} more" if len(shown) < len(keys) else ""))
        items = list(t.changed.items())
        for key, cells in items if rows_shown is None else items[:rows_shown]:
            out.append(f"  {key}: " + "; ".join(f"{f} {_text(a)} -> {_text(b)}" for f, (a, b) in cells.items()))
        if rows_shown is not None and len(items) > rows_shown:
            out.append(f"  ... and {len(items) - rows_shown} more changed rows (--all lists them)")
        for s in t.schema:
            out.append(f"  column {s.field}: {s.what}" + ("" if s.what in ("added", "removed") else f" {_text(s.old)} -> {_text(s.new)}"))
    if diff.moved:
        out.append("\nHubs moved:")
        out += [f"  {m.hub_id} ({m.name}): {m.km:,.2f} km" for m in diff.moved]
    if diff.assumptions:
        out.append("\nAssumptions changed (value [low, high]):")
        out += [
            f"  {a.param_id} ({a.name}, {a.unit}): {_text(a.old['value'])} [{_text(a.old['low'])}, {_text(a.old['high'])}]"
            f" -> {_text(a.new['value'])} [{_text(a.new['low'])}, {_text(a.new['high'])}]"
            for a in diff.assumptions
        ]
    effects = [o for o in diff.options.values() if o.changed() or o.problem]
    if effects:
        out.append("\nOption figures with the current model (old -> new):")
        for o in effects:
            out.append(f"  {o.option_id} ({o.name})" + (f": {o.problem}" if o.problem else ""))
            out += [f"    {f}: {_text(a)} -> {_text(b)}" for f, (a, b) in o.changed().items()]
    return "\n".join(out) + "\n"
