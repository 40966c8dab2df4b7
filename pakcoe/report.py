"""Every predefined option of a release, year by year, over one horizon: what `python -m pakcoe options` prints.

Why it exists: analysts want the figures the Compare page shows as data (JSON or a plain table), for every option
of options.csv at once, with assumptions overridden from the command line. This module only runs
`pakcoe.model` and sums its output; it is pure Python (never Streamlit).

* The options are run over ONE horizon, `comparison_horizon(release, scenarios)` (model docstring section 8),
  the horizon the Compare page uses; an override of horizon_quarters can lengthen it, never shorten it below
  what every option needs to reach steady state.
* An override (`--set PARAM=VALUE`) is passed to every option's Scenario as a param override
  (`scenario_from_option(..., params=...)`). It must name an assumption of assumptions.csv and lie within its
  [low, high] bounds (`check_overrides`). The model recomputes what is derived from an overridden assumption
  (e.g. a hub's capital cost from a comparable budget's capital share); an override that changes none of the
  numbers the model uses is reported in the notes.
* A calendar year's figures: hubs open and learners certified (cumulative) are the state at the year's last
  modelled quarter; spend and funding gap are sums over its modelled quarters (the first and last years of the
  horizon may be partial: `quarters_modelled` says how many quarters they hold).
* Money is PKR million, nominal; cost per certified learner is in PKR (the whole horizon's cost divided by the
  learners certified by its end).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import fields
from typing import Any

import numpy as np

from pakcoe import i18n
from pakcoe.model import (
    MAX_HORIZON,
    ModelInputs,
    ModelResult,
    Scenario,
    comparison_horizon,
    model_inputs,
    network_mask,
    quarter_index,
    quarter_label,
    reachable_target,
    resolve_parameters,
    run_model,
    scenario_from_option,
)
from pakcoe.release import Release

NOT_MODELLED_TEXT = "assumed met on the due date (not modelled)"
_DIGITS = 6  # JSON numbers are rounded to 1e-6 (PKR 1 for money in PKR million)


class OverrideError(ValueError):
    """An override that names no assumption, is not a number, or lies outside the assumption's bounds."""


def _num(value: float) -> str:
    """A readable number: 1400 -> '1,400', 0.75 -> '0.75'."""
    v = float(value)
    return f"{int(v):,}" if v.is_integer() else f"{v:,.6g}"


def _plain(value: float) -> str:
    """A number as typed, without thousands separators: 1100 -> '1100', 0.75 -> '0.75'."""
    return f"{float(value):.10g}"


def check_overrides(release: Release | ModelInputs, overrides: Mapping[str, Any]) -> dict[str, float]:
    """The overrides as numbers, each checked against its assumption's [low, high] bounds (OverrideError otherwise)."""
    inputs = model_inputs(release)
    out: dict[str, float] = {}
    for name, raw in overrides.items():
        if name not in inputs.params:
            close = difflib.get_close_matches(name, list(inputs.params), n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise OverrideError(f"--set {name}={raw}: unknown parameter {name!r}: assumptions.csv of release {inputs.release_id} has no such param_id{hint}")
        value, low, high = inputs.params[name]
        bounds = f"[{_plain(low)}, {_plain(high)}]"
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise OverrideError(f"--set {name}={raw}: {raw!r} is not a number ({name} must lie within its bounds {bounds})") from None
        if not math.isfinite(number):
            raise OverrideError(f"--set {name}={raw}: {raw!r} is not a finite number ({name} must lie within its bounds {bounds})")
        if not low <= number <= high:
            raise OverrideError(
                f"--set {name}={raw}: {_plain(number)} lies outside the bounds of {name} in assumptions.csv, {bounds} (central value {_plain(value)})"
            )
        out[name] = number
    return out


def _same_parameters(inputs: ModelInputs, a: Scenario, b: Scenario) -> bool:
    pa, pb = resolve_parameters(inputs, a), resolve_parameters(inputs, b)
    for f in fields(pa):
        x, y = getattr(pa, f.name), getattr(pb, f.name)
        if isinstance(x, np.ndarray):
            if x.shape != y.shape or not np.array_equal(x, y):
                return False
        elif x != y:
            return False
    return True


def _override_notes(release: Release, inputs: ModelInputs, base: Scenario, overrides: Mapping[str, float], horizon: int, needed: int) -> list[str]:
    """What an analyst may not expect from an override: a horizon that cannot shorten, an assumption that changes
    none of the numbers the model uses."""
    notes = []
    for name, value in overrides.items():
        setting = f"{name}={_plain(value)}"
        if name == "horizon_quarters":
            if int(value) < needed:
                notes.append(
                    i18n.t(
                        "{setting}: the options need {needed} quarters to reach steady state, so the comparison horizon stays {horizon} quarters",
                        setting=setting,
                        needed=needed,
                        horizon=horizon,
                    )
                )
            continue
        if value == inputs.params[name][0]:
            continue  # the central value: nothing to say
        if _same_parameters(inputs, base, base.replace(params=((name, value),))):
            notes.append(i18n.t("{setting} changes none of the numbers the model uses", setting=setting))
    return notes


def _round(x: float) -> float:
    return round(float(x), _DIGITS) + 0.0  # + 0.0: never -0.0


def _gate_target(inputs: ModelInputs, idx: np.ndarray, phase_id: int) -> tuple[list[str], list[float | None]]:
    """Readable text of each exit criterion of a phase's gate, and its target in this network (None: not modelled)."""
    crits = inputs.criteria.get(phase_id, ())
    pos = inputs.phase_ids.index(phase_id)
    parts, reach = [], []
    for c in crits:
        if c.metric_id == "not_modelled" or c.target is None:
            parts.append(f"{c.milestone_id} {c.title}: {i18n.t('assumed met on the due date (not modelled)')}")
            reach.append(None)
            continue
        r = reachable_target(inputs, idx, pos, c)
        reach.append(r)
        capped = " " + i18n.t("(stated {n}; capped at what this network holds)", n=_num(c.target)) if r < c.target else ""
        parts.append(f"{c.milestone_id} {c.title}: {_num(r)}{capped}")
    return parts, reach


def _gates(inputs: ModelInputs, result: ModelResult) -> list[dict[str, Any]]:
    idx = np.flatnonzero(network_mask(inputs, result.scenario.hub_target))
    out = []
    for g in result.gates:
        parts, reach = _gate_target(inputs, idx, g.phase_id)
        out.append(
            {
                "phase_id": int(g.phase_id),
                "next_phase_id": int(g.next_phase_id),
                "target": "; ".join(parts) if parts else i18n.t("no exit criteria (the gate is open from the start)"),
                "met_quarter": g.met_quarter,
                "due_quarter": g.due_quarter,
                "late_quarters": g.late_quarters,
                "next_phase_shift_quarters": int(g.next_phase_shift),
                "criteria": [
                    {
                        "milestone_id": c.milestone_id,
                        "text": text,
                        "title": c.title,
                        "metric_id": c.metric_id,
                        "modelled": bool(c.modelled),
                        "target": c.target,
                        "target_in_network": r,
                        "due_quarter": c.due_quarter,
                        "met_quarter": c.met_quarter,
                    }
                    for c, text, r in zip(g.criteria, parts, reach, strict=True)
                ],
            }
        )
    return out


def _years(inputs: ModelInputs, result: ModelResult) -> list[dict[str, Any]]:
    q = result.quarters
    labels = q["quarter"].astype(str).tolist()
    year_of = np.array([int(label[:4]) for label in labels])
    by_province = result.hubs_by_province
    f = result.funding
    gap_src = f.groupby(["t", "source_id"], observed=False)[["planned", "amount"]].sum()
    gap_src = (
        (gap_src["planned"] - gap_src["amount"])
        .clip(lower=0)
        .unstack("source_id")
        .reindex(index=range(len(q)), columns=list(inputs.source_ids), fill_value=0.0)
    )
    gap_src = gap_src.fillna(0.0).to_numpy()
    out = []
    for year in sorted(set(year_of.tolist())):
        rows = np.flatnonzero(year_of == year)
        last = int(rows[-1])
        sel = q.iloc[rows]
        out.append(
            {
                "year": int(year),
                "quarters_modelled": len(rows),
                "first_quarter": labels[rows[0]],
                "last_quarter": labels[last],
                "hubs_open": int(q["hubs_active"].iloc[last]),
                "hubs_open_by_province": {p: int(by_province[p].iloc[last]) for p in inputs.province_ids},
                "hubs_opened": int(sel["hubs_opened"].sum()),
                "hubs_waiting": int(q["hubs_waiting"].iloc[last]),
                "learners_certified": _round(sel["certified"].sum()),
                "learners_certified_cumulative": _round(q["certified_cum"].iloc[last]),
                "spend_pkr_m": _round(sel["cost"].sum()),
                "capex_pkr_m": _round(sel["capex"].sum()),
                "opex_pkr_m": _round(sel["opex"].sum()),
                "spend_by_source_pkr_m": {s: _round(sel[f"source_{s}"].sum()) for s in inputs.source_ids},
                "government_money_pkr_m": _round(sel["government_money"].sum()),
                "non_government_money_pkr_m": _round(sel["non_government_money"].sum()),
                "international_money_pkr_m": _round(sel["international_money"].sum()),
                "funding_gap_pkr_m": _round(sel["funding_gap"].sum()),
                "funding_gap_by_source_pkr_m": {s: _round(gap_src[rows, i].sum()) for i, s in enumerate(inputs.source_ids)},
            }
        )
    return out


def horizon_text(first: str, horizon: int) -> str:
    """'2027Q3-2036Q1 (35 quarters)'."""
    return i18n.t("{first}-{last} ({n} quarters)", first=first, last=quarter_label(quarter_index(first) + horizon - 1), n=horizon)


def options_report(release: Release, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every option of options.csv, run over one comparison horizon with the overrides, as a JSON-ready dict.

    Raises OverrideError for an override that is not an assumption or lies outside its bounds, ValueError when the
    release has no options (or the model rejects a lever)."""
    inputs = model_inputs(release)
    over = check_overrides(inputs, overrides or {})
    if not inputs.options:
        raise ValueError(f"release {inputs.release_id} has no predefined options (options.csv)")
    params = tuple(sorted(over.items()))
    scenarios = [scenario_from_option(inputs, option_id, params=params) for option_id in inputs.options]
    needed = comparison_horizon(inputs, scenarios)
    horizon = needed
    if "horizon_quarters" in over:
        horizon = max(needed, min(int(over["horizon_quarters"]), MAX_HORIZON))
    results = [run_model(inputs, s.replace(horizon_quarters=horizon)) for s in scenarios]
    starts = {s.start_quarter for s in scenarios}
    if len(starts) == 1:
        span = horizon_text(scenarios[0].start_quarter, horizon)
    else:
        span = i18n.t("{n} quarters from each option's start quarter ({starts})", n=horizon, starts=", ".join(sorted(starts)))
    options = []
    for s, r in zip(scenarios, results, strict=True):
        row = inputs.options[s.option_id]
        m = r.summary
        per = m.cost_per_certified_learner
        options.append(
            {
                "id": s.option_id,
                "name": str(row["name"]),
                "levers": {
                    "public_decision": s.public_decision,
                    "delay_quarters": int(s.delay_quarters),
                    "hub_target": int(s.hub_target),
                    "pace": float(s.pace),
                    "start_quarter": s.start_quarter,
                },
                "horizon": horizon_text(s.start_quarter, horizon),
                "first_quarter": m.first_quarter,
                "last_quarter": m.last_quarter,
                "years": _years(inputs, r),
                "gates": _gates(inputs, r),
                "hubs_at_end": int(m.hubs_at_end),
                "hubs_in_network": int(m.hubs_in_network),
                "network_complete_quarter": m.network_complete_quarter,
                "decision_quarter": m.decision_quarter,
                "learners_certified": _round(m.learners_certified),
                "total_cost_pkr_m": _round(m.total_cost),
                "government_money_pkr_m": _round(m.government_money),
                "non_government_money_pkr_m": _round(m.non_government_money),
                "international_money_pkr_m": _round(m.international_money),
                "funding_gap_pkr_m": _round(m.funding_gap),
                "cost_per_certified_learner_pkr": None if math.isnan(per) else _round(per * 1e6),
            }
        )
    return {
        "release": release.version,
        "release_id": inputs.release_id,
        "horizon": span,
        "horizon_quarters": horizon,
        "overrides": dict(params),
        "notes": _override_notes(release, inputs, scenarios[0].replace(params=()), over, horizon, needed),
        "missing_rules": [{"missing": what, "default": default} for what, default in inputs.missing_rules],
        "units": {"money": "PKR million, nominal", "cost_per_certified_learner_pkr": "PKR"},
        "options": options,
    }


def _table(headers: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = [indent + "  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True)))]
    line.append(indent + "  ".join("-" * w for w in widths))
    for r in rows:
        line.append(indent + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    return line


def _quarters_of(year: Mapping[str, Any]) -> str:
    first, last = year["first_quarter"][4:], year["last_quarter"][4:]
    return first if first == last else f"{first}-{last}"


def format_report(report: Mapping[str, Any], status: str | None = None) -> str:
    """The report as plain text: per option a table per calendar year, its gates and cost per certified learner (in the
    current language; ids, quarters and the option levers' codes as the release writes them)."""
    t = i18n.t
    english = i18n.current() == "en"

    def n0(x: float) -> str:  # a whole number with grouping (Urdu: lakh grouping)
        return f"{x:,.0f}" if english else i18n.num(x)

    def n1(x: float) -> str:
        return f"{x:,.1f}" if english else i18n.num(x, 1)

    head = t("Release {version}", version=report["release"]) + (f" ({status})" if status else "")
    out = [head + ": " + t("{n} predefined options (options.csv)", n=len(report["options"]))]
    out.append(t("Horizon: {span}, the same for every option (long enough for each to reach steady state)", span=report["horizon"]))
    over = report["overrides"]
    out.append(
        t("Overrides: {list}", list=", ".join(f"{k}={_plain(v)}" for k, v in over.items()))
        if over
        else t("Overrides: none (central values of assumptions.csv)")
    )
    out.append(
        t("Money in PKR million, nominal. Hubs open and learners certified: at the year's last modelled quarter; spend and funding gap: the year's sums.")
    )
    for note in report["notes"]:
        out.append(t("Note: {note}", note=note))
    if report["missing_rules"]:
        out.append(t("This release lacks rules the model needs; defaults stand in:"))
        out += [f"  - {m['missing']}: {m['default']}" for m in report["missing_rules"]]
    for o in report["options"]:
        lv = o["levers"]
        delay = " " + t("by {n} quarters", n=lv["delay_quarters"]) if lv["public_decision"] == "delayed" else ""
        out.append("")
        out.append(f"{o['id']}: {o['name']}")
        out.append(
            "  "
            + t(
                "public decision {decision}{delay}; {hubs} hubs; pace {pace}x the planned pace; start {start}",
                decision=lv["public_decision"].replace("_", " "),
                delay=delay,
                hubs=lv["hub_target"],
                pace=_num(lv["pace"]),
                start=lv["start_quarter"],
            )
        )
        rows = [
            [
                str(y["year"]),
                _quarters_of(y),
                n0(y["hubs_open"]),
                n0(y["learners_certified_cumulative"]),
                n1(y["spend_pkr_m"]),
                n1(y["funding_gap_pkr_m"]),
            ]
            for y in o["years"]
        ]
        headers = [t("year"), t("quarters"), t("hubs open"), t("learners certified (cum.)"), t("spend PKR M"), t("funding gap PKR M")]
        out += _table(headers, rows)
        complete = o["network_complete_quarter"]
        out.append(
            "  "
            + t("Network: {n} of {total} hubs open at {quarter}", n=o["hubs_at_end"], total=o["hubs_in_network"], quarter=o["last_quarter"])
            + (" " + t("(complete {quarter})", quarter=complete) if complete else " " + t("(not complete within the horizon)"))
            + t("; ")
            + t("total cost PKR {cost} M; funding gap PKR {gap} M", cost=n1(o["total_cost_pkr_m"]), gap=n1(o["funding_gap_pkr_m"]))
        )
        out.append("  " + t("Gates (the next phase opens hubs only once its gate is met):"))
        if not o["gates"]:
            out.append("    " + t("none"))
        for g in o["gates"]:
            if g["met_quarter"] is None:
                when = t("not met within the horizon") + (" " + t("(due {quarter})", quarter=g["due_quarter"]) if g["due_quarter"] else "")
            else:
                late = g["late_quarters"]
                if late is None:
                    timing = ""
                elif late == 0:
                    timing = t("on time")
                elif late > 0:
                    timing = t("{n} quarters late", n=late)
                else:
                    timing = t("{n} quarters early", n=-late)
                when = t("met {quarter}", quarter=g["met_quarter"]) + (
                    " " + t("(due {quarter}, {timing})", quarter=g["due_quarter"], timing=timing) if g["due_quarter"] else ""
                )
            out.append("    " + t("Phase {n}: {when}", n=g["phase_id"], when=when))
            if not g["criteria"]:
                out.append(f"      {g['target']}")
            for c in g["criteria"]:
                out.append(f"      {c['met_quarter'] or t('not met'):<7}  {c['text']}")
        per = o["cost_per_certified_learner_pkr"]
        out.append(
            "  "
            + t("Cost per certified learner:")
            + " "
            + (
                t("none certified within the horizon")
                if per is None
                else t("PKR {cost} ({n} certified by {quarter})", cost=n0(per), n=n0(o["learners_certified"]), quarter=o["last_quarter"])
            )
        )
    return "\n".join(out) + "\n"


__all__ = ["NOT_MODELLED_TEXT", "OverrideError", "check_overrides", "format_report", "horizon_text", "options_report"]
