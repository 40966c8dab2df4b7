"""Where every figure of a release comes from: basis references and derivations, and the rules that check them.

A release from rules version 2 on (``"rules_version": 2`` in datapackage.json) says, for every numeric
column of every table, what its values rest on. A field's Table Schema entry carries a ``basis``:

* ``{"column": NAME}``: each row names its basis in column NAME, as a parameter id of assumptions.csv
  (the value must equal that parameter's value), a source id of sources.csv (a sourced fact), or a
  derivation ``=EXPRESSION`` (the value must equal the expression, evaluated by this module);
* ``{"sourceColumn": NAME}``: each row names its source in column NAME (a source id);
* ``{"source": ID}``: the whole column comes from one source (one basis truly covers the column);
* ``{"rule": NAME}``: the value is checked against the release by the validator rule NAME;
* ``{"scenario": TEXT}``: a lever setting that defines a rollout option, not a claim about the world.

Parameters (assumptions.csv) carry their own basis: a sourced fact names its ``source_id``; an
illustrative assumption has a value, low and high bounds, a unit and basis text, and where it is
derived from other figures a ``derivation`` (and ``derivation_low`` / ``derivation_high`` for its
bounds) that must evaluate to the stated number.

Derivations are arithmetic only: numbers, names, ``+ - * /``, parentheses and the functions
``round(x[, digits])``, ``min``, ``max``, ``low(name)`` and ``high(name)`` (a parameter's bounds). A name
is a parameter id or one of the counts this module computes from the release (`release_names`).
Nothing is ever passed to ``eval``: the expression is parsed and walked node by node.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

RULES_VERSION_KEY = "rules_version"
TOLERANCE = 1e-9

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}


class DerivationError(ValueError):
    """A derivation that cannot be read or evaluated (unknown name, unsupported syntax, division by zero)."""


@dataclass(frozen=True)
class Names:
    """What a derivation may name: parameter values and bounds, and counts computed from the release."""

    values: Mapping[str, float]
    lows: Mapping[str, float]
    highs: Mapping[str, float]

    def value(self, name: str) -> float:
        if name not in self.values:
            raise DerivationError(f"unknown name '{name}' (not a parameter of assumptions.csv nor a count computed from the release)")
        return self.values[name]

    def bound(self, name: str, which: str) -> float:
        table = self.lows if which == "low" else self.highs
        if name not in table:
            raise DerivationError(f"{which}({name}): '{name}' is not a parameter with bounds")
        return table[name]


def evaluate(expression: str, names: Names) -> float:
    """The number a derivation gives; DerivationError when it is not a valid derivation."""
    text = expression.strip().removeprefix("=").strip()
    if not text:
        raise DerivationError("empty derivation")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise DerivationError(f"cannot read '{text}': {exc.msg}") from None
    return float(_walk(tree.body, names))


def _walk(node: ast.AST, names: Names) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name):
        return names.value(node.id)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _walk(node.left, names), _walk(node.right, names)
        if isinstance(node.op, ast.Div) and right == 0:
            raise DerivationError("division by zero")
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_walk(node.operand, names))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        fn, args = node.func.id, node.args
        if fn in ("low", "high"):
            if len(args) != 1 or not isinstance(args[0], ast.Name):
                raise DerivationError(f"{fn}() takes one parameter name")
            return names.bound(args[0].id, fn)
        values = [_walk(a, names) for a in args]
        if fn == "round" and len(values) in (1, 2):
            digits = int(values[1]) if len(values) == 2 else 0
            return round_half_up(values[0], digits)
        if fn in ("min", "max") and values:
            return (min if fn == "min" else max)(values)
        raise DerivationError(f"function {fn}() with {len(values)} arguments is not allowed")
    raise DerivationError(f"'{ast.unparse(node)}' is not allowed in a derivation (numbers, names, + - * /, round, min, max, low, high)")


def evaluate_array(expression: str, values: Mapping[str, object], lows: Mapping[str, object] | None = None, highs: Mapping[str, object] | None = None):
    """A derivation evaluated on numbers or numpy arrays (one value per sample): the same grammar as `evaluate`."""
    import numpy as np

    text = expression.strip().removeprefix("=").strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise DerivationError(f"cannot read '{text}': {exc.msg}") from None

    def walk(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise DerivationError(f"unknown name '{node.id}'")
            return values[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return _UNARY[type(node.op)](walk(node.operand))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            fn, args = node.func.id, node.args
            if fn in ("low", "high"):
                table = lows if fn == "low" else highs
                if table is None or len(args) != 1 or not isinstance(args[0], ast.Name) or args[0].id not in table:
                    raise DerivationError(f"{fn}() needs a parameter with bounds")
                return table[args[0].id]
            vals = [walk(a) for a in args]
            if fn == "round" and len(vals) in (1, 2):
                scale = 10.0 ** (int(vals[1]) if len(vals) == 2 else 0)
                return np.floor(np.round(np.asarray(vals[0], dtype=float) * scale, 6) + 0.5) / scale
            if fn == "min" and vals:
                return np.minimum.reduce(np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in vals]))
            if fn == "max" and vals:
                return np.maximum.reduce(np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in vals]))
        raise DerivationError(f"'{ast.unparse(node)}' is not allowed in a derivation")

    return walk(tree.body)


def round_half_up(x: float, digits: int = 0) -> float:
    """Rounding as people do it (2.45 -> 2.5), robust to binary fractions (160.725 stays 160.73 at 2 digits)."""
    scale = 10.0**digits
    shifted = round(x * scale, 6)
    return math.floor(shifted + 0.5) / scale


def agrees(stated: float, derived: float) -> bool:
    return abs(stated - derived) <= TOLERANCE * max(1.0, abs(stated))


def release_names(tables: Mapping[str, pd.DataFrame]) -> dict[str, float]:
    """Counts a derivation may use, computed from the release's own tables.

    hubs_total, hubs_phase_P, hubs_phase_P_TYPE, districts_phase_P, provinces_total;
    offer_seats_TYPE (seats a hub type offers a year), seats_TYPE_PROG, cohorts_TYPE_PROG;
    cohort_seats_PROG and weeks_PROG (programmes.csv)."""
    names: dict[str, float] = {}
    hubs = tables.get("hubs")
    if hubs is not None and {"phase_id", "hub_type", "district"} <= set(hubs.columns):
        names["hubs_total"] = float(len(hubs))
        for phase, group in hubs.groupby("phase_id"):
            p = int(phase)
            names[f"hubs_phase_{p}"] = float(len(group))
            names[f"districts_phase_{p}"] = float(group["district"].nunique())
            for hub_type, n in group["hub_type"].value_counts().items():
                names[f"hubs_phase_{p}_{hub_type}"] = float(n)
    provinces = tables.get("provinces")
    if provinces is not None:
        names["provinces_total"] = float(len(provinces))
    offers = tables.get("programme_offers")
    if offers is not None and {"hub_type", "programme_id", "seats_per_year", "cohorts_per_year"} <= set(offers.columns):
        for hub_type, group in offers.groupby("hub_type"):
            names[f"offer_seats_{hub_type}"] = float(group["seats_per_year"].sum())
        for r in offers.to_dict("records"):
            names[f"seats_{r['hub_type']}_{r['programme_id']}"] = float(r["seats_per_year"])
            names[f"cohorts_{r['hub_type']}_{r['programme_id']}"] = float(r["cohorts_per_year"])
    programmes = tables.get("programmes")
    if programmes is not None and {"programme_id", "seats_per_cohort", "duration_weeks"} <= set(programmes.columns):
        for r in programmes.to_dict("records"):
            names[f"cohort_seats_{r['programme_id']}"] = float(r["seats_per_cohort"])
            names[f"weeks_{r['programme_id']}"] = float(r["duration_weeks"])
    return names


def names_for(tables: Mapping[str, pd.DataFrame]) -> Names:
    """Parameter values and bounds of assumptions.csv plus the release's computed counts."""
    values = release_names(tables)
    lows: dict[str, float] = {}
    highs: dict[str, float] = {}
    a = tables.get("assumptions")
    if a is not None:
        for r in a.to_dict("records"):
            if pd.notna(r.get("value")):
                values[r["param_id"]] = float(r["value"])
            if pd.notna(r.get("low")):
                lows[r["param_id"]] = float(r["low"])
            if pd.notna(r.get("high")):
                highs[r["param_id"]] = float(r["high"])
    return Names(values, lows, highs)


# ---------------------------------------------------------------------------------------------------
# The checks (release rules version 2). Each returns located problems; none raises for bad data.

KNOWN_RULES = {
    "capacity": "learner capacity equals the hub type's capacity parameter",
    "seats": "seats a year equal cohorts a year times seats per cohort",
    "phase-target": "a phase's hub target equals its hubs in hubs.csv",
    "parameter": "a parameter is a sourced fact or an illustrative assumption with bounds and basis",
    "coordinates-from-place": "coordinates are built from the row's place reference (scripts/build_release.py)",
    "identifier": "an identifier of an outside register, not a figure",
}
COUNTED_METRICS = ("hubs_open", "phase_hubs_open", "phase_flagships_open", "districts_reached", "provinces_reached")


def rules_version(descriptor: Mapping) -> int:
    try:
        return int(descriptor.get(RULES_VERSION_KEY, 1))
    except (TypeError, ValueError):
        return 1


def check_release_basis(descriptor: Mapping, tables: Mapping[str, pd.DataFrame], lines: Mapping[str, list[int]], paths: Mapping[str, str]) -> list:
    """Every rule of version 2: basis of every numeric column, parameters, sources, milestones, town selection."""
    from pakcoe.problems import Problem

    problems: list[Problem] = []
    names = names_for(tables)
    param_ids = set(tables["assumptions"]["param_id"]) if "assumptions" in tables else set()
    source_ids = set(tables["sources"]["source_id"]) if "sources" in tables else set()
    referenced_sources: set[str] = set()

    def line(name: str, i) -> int | None:
        try:
            return lines[name][i]
        except (KeyError, IndexError, TypeError):
            return None

    for res in descriptor.get("resources", []):
        if not isinstance(res, dict):
            continue
        for cited in res.get("source_ids", []) if isinstance(res.get("source_ids"), list) else []:
            referenced_sources.add(str(cited))
            if cited not in source_ids:
                problems.append(
                    Problem(
                        "datapackage.json",
                        "foreign-key",
                        f"resource '{res.get('name')}' cites source '{cited}', which is not in sources.csv",
                        field="source_ids",
                        value=str(cited),
                    )
                )
        if "schema" not in res:
            continue
        name, path = res.get("name"), str(res.get("path"))
        schema = res["schema"]
        keyed = set(schema.get("primaryKey") or [])
        for fk in schema.get("foreignKeys", []):
            keyed |= set(fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]])
        frame = tables.get(name)
        for fk in schema.get("foreignKeys", []):
            cited = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            if fk.get("reference", {}).get("resource") == "sources" and frame is not None and len(cited) == 1 and cited[0] in frame.columns:
                referenced_sources |= {str(v) for v in frame[cited[0]].dropna()}
        for f in schema.get("fields", []):
            fname = f.get("name")
            if f.get("type") not in ("integer", "number") or fname in keyed:
                continue
            basis = f.get("basis")
            if not isinstance(basis, dict) or len(basis) != 1:
                problems.append(Problem(path, "basis-missing", f"numeric column '{fname}' names no basis in its Table Schema", row=1, field=fname))
                continue
            kind, arg = next(iter(basis.items()))
            if kind == "source":
                referenced_sources.add(str(arg))
                if arg not in source_ids:
                    problems.append(
                        Problem(path, "basis-missing", f"column basis names source '{arg}', which is not in sources.csv", row=1, field=fname, value=str(arg))
                    )
            elif kind == "rule":
                if arg not in KNOWN_RULES:
                    problems.append(
                        Problem(
                            path, "basis-missing", f"column basis names rule '{arg}', which the validator does not know", row=1, field=fname, value=str(arg)
                        )
                    )
            elif kind == "scenario":
                if not str(arg).strip():
                    problems.append(Problem(path, "basis-missing", "a scenario basis needs its explanation", row=1, field=fname))
            elif kind in ("column", "sourceColumn"):
                if frame is None:
                    continue
                if arg not in frame.columns:
                    problems.append(
                        Problem(path, "basis-missing", f"the basis column '{arg}' named for '{fname}' is not in the file", row=1, field=fname, value=str(arg))
                    )
                    continue
                problems += _row_basis(path, name, frame, fname, str(arg), kind, names, param_ids, source_ids, referenced_sources, line)
            else:
                problems.append(Problem(path, "basis-missing", f"unknown basis kind '{kind}'", row=1, field=fname, value=str(kind)))

    if "assumptions" in tables:
        problems += _parameters(paths.get("assumptions", "assumptions.csv"), tables["assumptions"], names, line)
    if "sources" in tables:
        problems += _sources(paths.get("sources", "sources.csv"), tables["sources"], referenced_sources, line)
    if {"milestones", "hubs"} <= set(tables):
        problems += _milestones_vs_plan(paths.get("milestones", "milestones.csv"), tables, line)
    if {"hubs", "cities"} <= set(tables) and "selection" in tables["hubs"].columns:
        problems += _town_selection(paths.get("hubs", "hubs.csv"), tables, line)
    if {"hubs", "focus_areas"} <= set(tables):
        known = set(tables["focus_areas"]["focus_area"])
        for i, r in zip(tables["hubs"].index, tables["hubs"].to_dict("records")):
            for area in str(r["focus_areas"]).split(";"):
                if area not in known:
                    problems.append(
                        Problem(
                            paths.get("hubs", "hubs.csv"),
                            "focus-area",
                            f"'{area}' is not a focus area of focus_areas.csv",
                            row=line("hubs", i),
                            field="focus_areas",
                            value=area,
                        )
                    )
    if "rules" in tables:
        for i, r in zip(tables["rules"].index, tables["rules"].to_dict("records")):
            for p in str(r["params"]).split(";"):
                if p.strip() and p.strip() not in param_ids:
                    problems.append(
                        Problem(
                            paths.get("rules", "rules.csv"),
                            "rule-param",
                            f"parameter '{p.strip()}' is not in assumptions.csv",
                            row=line("rules", i),
                            field="params",
                            value=p.strip(),
                        )
                    )
    return problems


def _resolve(ref: str, names: Names, param_ids: set[str], source_ids: set[str]) -> tuple[str, float | None]:
    """('derivation'|'param'|'source', number or None); DerivationError for anything else."""
    if ref.startswith("="):
        return "derivation", evaluate(ref, names)
    if ref in param_ids:
        return "param", names.value(ref)
    if ref in source_ids:
        return "source", None
    raise DerivationError(f"'{ref}' is neither a parameter of assumptions.csv, a source of sources.csv, nor a derivation '=...'")


def _row_basis(path, name, frame, fname, column, kind, names, param_ids, source_ids, referenced_sources, line) -> list:
    from pakcoe.problems import Problem

    problems = []
    refs = []
    for i, r in zip(frame.index, frame.to_dict("records")):
        value, ref = r.get(fname), r.get(column)
        has_value = value is not None and not (isinstance(value, float) and math.isnan(value)) and value is not pd.NA
        has_ref = isinstance(ref, str) and ref.strip() != ""
        if not has_value:
            if has_ref:
                problems.append(Problem(path, "basis", f"'{column}' gives a basis but '{fname}' is empty", row=line(name, i), field=fname))
            continue
        if not has_ref:
            problems.append(
                Problem(path, "basis-missing", f"the value of '{fname}' names no basis in '{column}'", row=line(name, i), field=column, value=str(value))
            )
            continue
        ref = ref.strip()
        refs.append(ref)
        if kind == "sourceColumn":
            referenced_sources.add(ref)
            continue  # the foreign key to sources.csv is checked with the other foreign keys
        try:
            what, derived = _resolve(ref, names, param_ids, source_ids)
        except DerivationError as exc:
            problems.append(Problem(path, "basis-missing" if not ref.startswith("=") else "derivation", str(exc), row=line(name, i), field=column, value=ref))
            continue
        if what == "source":
            referenced_sources.add(ref)
        elif not agrees(float(value), float(derived)):
            problems.append(
                Problem(
                    path,
                    "derivation" if what == "derivation" else "basis-value",
                    f"{fname} is {value} but its basis {ref} gives {derived:g}",
                    row=line(name, i),
                    field=fname,
                    value=str(value),
                )
            )
    if kind == "column" and len(refs) > 2 and len(set(refs)) == 1 and len(refs) == len(frame):
        problems.append(
            Problem(
                path,
                "basis-catch-all",
                f"every row of the table rests on the one basis '{refs[0]}': give each row its specific basis",
                row=1,
                field=column,
                value=refs[0],
            )
        )
    return problems


def _parameters(path, a: pd.DataFrame, names: Names, line) -> list:
    from pakcoe.problems import Problem

    problems = []
    cols = set(a.columns)
    for i, r in zip(a.index, a.to_dict("records")):
        at = line("assumptions", i)
        lo, hi = r.get("low"), r.get("high")
        if r.get("assumption") is True:
            if pd.notna(lo) and pd.notna(hi) and not lo < hi:
                problems.append(
                    Problem(path, "bounds-empty", f"an illustrative assumption needs low < high (low {lo}, high {hi})", row=at, field="low", value=str(lo))
                )
            if str(r.get("unit")) == "share" and pd.notna(lo) and pd.notna(hi) and lo <= 0 and hi >= 1:
                problems.append(
                    Problem(
                        path, "bounds-empty", "bounds 0-1 on a share say nothing: give the range the basis supports", row=at, field="low", value=f"{lo}-{hi}"
                    )
                )
        for column, target in (("derivation", "value"), ("derivation_low", "low"), ("derivation_high", "high")):
            expr = r.get(column) if column in cols else None
            if not isinstance(expr, str) or not expr.strip():
                continue
            try:
                derived = evaluate(expr, names)
            except DerivationError as exc:
                problems.append(Problem(path, "derivation", str(exc), row=at, field=column, value=expr))
                continue
            stated = r.get(target)
            if pd.notna(stated) and not agrees(float(stated), derived):
                problems.append(
                    Problem(path, "derivation", f"{target} is {stated} but its derivation {expr} gives {derived:g}", row=at, field=target, value=str(stated))
                )
    return problems


def _sources(path, s: pd.DataFrame, referenced: set[str], line) -> list:
    from urllib.parse import urlparse

    from pakcoe.problems import Problem

    problems = []
    for i, r in zip(s.index, s.to_dict("records")):
        at = line("sources", i)
        if r["source_id"] not in referenced:
            problems.append(
                Problem(
                    path,
                    "source-unreferenced",
                    "no figure, table row or basis of the release cites this source",
                    row=at,
                    field="source_id",
                    value=r["source_id"],
                )
            )
        if "url_kind" not in s.columns:
            continue
        url = r.get("url") if isinstance(r.get("url"), str) else ""
        kind = r.get("url_kind")
        bare = bool(url) and urlparse(url).path.strip("/") == "" and not urlparse(url).query
        if not url and kind != "none":
            problems.append(Problem(path, "url-kind", "a source without an address must say url_kind 'none'", row=at, field="url_kind", value=str(kind)))
        elif url and kind == "none":
            problems.append(Problem(path, "url-kind", "the source has an address but says url_kind 'none'", row=at, field="url_kind", value=str(kind)))
        elif bare and kind != "publisher_home_page":
            problems.append(
                Problem(path, "url-kind", "the address is a bare home page, not an article: say url_kind 'publisher_home_page'", row=at, field="url", value=url)
            )
        elif kind == "publisher_home_page" and "not located" not in str(r.get("note", "")):
            problems.append(Problem(path, "url-kind", "a home-page address needs a note that the specific article was not located", row=at, field="note"))
    return problems


def quarter_index(q: str) -> int:
    return int(q[:4]) * 4 + int(q[5]) - 1


def planned_metric(metric_id: str, phase_id: int, hubs: pd.DataFrame, upto: str) -> float:
    """What the plan of hubs.csv gives for a counted metric by the end of quarter `upto` (hubs open at their launch quarter)."""
    open_ = hubs[[quarter_index(q) <= quarter_index(upto) for q in hubs["launch_quarter"]]]
    phase = open_[open_["phase_id"] == phase_id]
    if metric_id == "hubs_open":
        return float(len(open_))
    if metric_id == "phase_hubs_open":
        return float(len(phase))
    if metric_id == "phase_flagships_open":
        return float((phase["hub_type"] == "flagship").sum())
    if metric_id == "districts_reached":
        return float(phase["district"].nunique())
    if metric_id == "provinces_reached":
        return float(open_["province_id"].nunique())
    raise ValueError(metric_id)


def _milestones_vs_plan(path, tables, line) -> list:
    """A counted exit criterion must be reachable by its due quarter on hubs.csv's own timetable."""
    from pakcoe.problems import Problem

    problems = []
    m = tables["milestones"]
    if "metric_id" not in m.columns:
        return problems
    hubs = tables["hubs"]
    for i, r in zip(m.index, m.to_dict("records")):
        metric, target = r["metric_id"], r.get("target_value")
        if metric != "not_modelled" and pd.isna(target):
            problems.append(Problem(path, "milestone-target", f"metric {metric} needs a numeric target_value", row=line("milestones", i), field="target_value"))
            continue
        if metric in COUNTED_METRICS:
            got = planned_metric(metric, int(r["phase_id"]), hubs, r["due_quarter"])
            if got < float(target):
                problems.append(
                    Problem(
                        path,
                        "milestone-plan",
                        f"the plan in hubs.csv gives {got:g} for {metric} by {r['due_quarter']}, short of the target {float(target):g}",
                        row=line("milestones", i),
                        field="due_quarter",
                        value=r["due_quarter"],
                    )
                )
    return problems


def _town_selection(path, tables, line) -> list:
    """Rule R4: round 1 gives a district its first hub; round 2 takes the province's largest census towns without a hub."""
    from pakcoe.problems import Problem

    problems = []
    hubs, cities = tables["hubs"], tables["cities"]
    pop = dict(zip(cities["city_id"], cities["population_2023"]))
    status = dict(zip(cities["city_id"], cities["population_status"])) if "population_status" in cities.columns else {}
    earlier: set[tuple] = set()
    for i, r in zip(hubs.index, hubs.to_dict("records")):
        key = (r["province_id"], r["district"])
        if r["selection"] == "district_round_1" and key in earlier:
            problems.append(
                Problem(
                    path,
                    "town-selection",
                    f"district {r['district']} already has a hub: a round-1 hub goes to a district without one",
                    row=line("hubs", i),
                    field="selection",
                    value=r["selection"],
                )
            )
        if r["selection"] == "district_round_2" and key not in earlier:
            problems.append(
                Problem(
                    path,
                    "town-selection",
                    f"district {r['district']} has no hub yet: round 1 comes first",
                    row=line("hubs", i),
                    field="selection",
                    value=r["selection"],
                )
            )
        earlier.add(key)
    for prov, group in hubs.groupby("province_id"):
        round2 = group[group["selection"] == "district_round_2"]
        if round2.empty:
            continue
        taken = set(group.loc[group["selection"] != "district_round_2", "city_id"])
        candidates = [
            c
            for c, p in pop.items()
            if pd.notna(p) and status.get(c, "pbs_2023") == "pbs_2023" and c not in taken and c in set(cities.loc[cities["province_id"] == prov, "city_id"])
        ]
        expected = set(sorted(candidates, key=lambda c: -pop[c])[: len(round2)])
        for i, r in zip(round2.index, round2.to_dict("records")):
            if r["city_id"] not in expected:
                problems.append(
                    Problem(
                        path,
                        "town-selection",
                        f"round 2 takes {prov}'s largest census-2023 towns without a hub ({', '.join(sorted(expected))}); {r['city_id']} is not among them",
                        row=line("hubs", i),
                        field="city_id",
                        value=r["city_id"],
                    )
                )
    return problems
