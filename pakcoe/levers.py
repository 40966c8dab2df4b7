"""The custom option's levers (the Compare page's sliders) and the option pages start from, read from a release (pure).

The page registry (pakcoe.registry) takes each lever's bounds and default from here, so a link's lever value is
checked against the same range the slider offers; components.rollout_figures adds each lever's provenance badge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pakcoe import i18n
from pakcoe.i18n import t
from pakcoe.model import model_inputs
from pakcoe.release import Release

CUSTOM = "custom"  # the option id of the option built from the levers


def option_names(release: Release) -> dict[str, str]:
    """option_id -> name of every options.csv row."""
    return {o: str(row["name"]) for o, row in model_inputs(release).options.items()}


def default_option(release: Release) -> str:
    """The option pages start from: the first in options.csv that assumes the preferred path (public funding on
    time), else the first in options.csv."""
    options = model_inputs(release).options
    return next((o for o, row in options.items() if str(row["public_decision"]) == "on_time"), next(iter(options)))


@dataclass(frozen=True)
class Lever:
    """A slider of the custom option: its URL key, the Scenario field it sets, bounds and step."""

    key: str
    field: str
    label: str  # in the language current when the levers were read (pakcoe.i18n)
    low: float
    high: float
    step: float
    default: float
    integer: bool
    param: str | None  # assumptions.csv param_id (for the provenance badge), None for an option field
    help: str


def _g(x: float) -> str:
    """A bound as written: no needless decimals (lakh grouping in Urdu)."""
    if i18n.current() == "en":
        return f"{x:g}"
    return i18n.num(x) if float(x).is_integer() else f"{x:g}"


def _inward(x: float, step: float, up: bool) -> float:
    return round((math.ceil(x / step - 1e-9) if up else math.floor(x / step + 1e-9)) * step, 4)


def levers(release: Release) -> tuple[Lever, ...]:
    """The custom option's numeric levers, bounded by assumptions.csv low/high (multipliers: the range that keeps every hub type within its bounds)."""
    inputs = model_inputs(release)
    p = inputs.params
    opt = inputs.options[default_option(release)]

    def ratio(prefix: str) -> tuple[float, float]:
        keys = [k for k in p if k.startswith(prefix) and k.split("_", 1)[1] in {"flagship", "standard", "tvet"}] or [k for k in p if k.startswith(prefix)]
        lo = max(p[k][1] / p[k][0] for k in keys)
        hi = min(p[k][2] / p[k][0] for k in keys)
        return _inward(lo, 0.05, True), _inward(hi, 0.05, False)

    cap_lo, cap_hi = ratio("capex_")
    op_lo, op_hi = ratio("opex_")

    def param(pid: str, step: float, label: str, integer: bool = False) -> Lever:
        v, lo, hi = p[pid]
        return Lever(
            f"c_{pid}", pid, label, lo, hi, step, v, integer, pid, t("The release's assumptions: central {v}, range {lo}–{hi}.", v=_g(v), lo=_g(lo), hi=_g(hi))
        )

    return (
        Lever(
            "c_delay",
            "delay_quarters",
            t("Delay of public money (quarters; used when 'Delayed')"),
            1,
            12,
            1,
            max(1, int(opt["delay_quarters"])),
            True,
            None,
            t("App range 1–12 quarters."),
        ),
        Lever(
            "c_hubs",
            "hub_target",
            t("Network size (hubs)"),
            inputs.min_hub_target,
            inputs.n_hubs,
            1,
            int(opt["hub_target"]),
            True,
            None,
            t("At least the first phase's hubs, at most the hubs the release lists."),
        ),
        Lever(
            "c_pace",
            "pace",
            t("Pace (× the planned timetable's speed)"),
            0.5,
            2.0,
            0.1,
            float(opt["pace"]),
            False,
            None,
            t("App range 0.5–2.0; 1 = the release's own timetable."),
        ),
        Lever(
            "c_capex",
            "capex_multiplier",
            t("Capital cost multiplier"),
            cap_lo,
            cap_hi,
            0.05,
            1.0,
            False,
            None,
            t("Range keeps every hub type's capex within its assumption bounds."),
        ),
        Lever(
            "c_opex",
            "opex_multiplier",
            t("Operating cost multiplier"),
            op_lo,
            op_hi,
            0.05,
            1.0,
            False,
            None,
            t("Range keeps every hub type's opex within its assumption bounds."),
        ),
        param("completion_rate", 0.01, t("Completion rate")),
        param("certification_rate", 0.01, t("Certification rate")),
        param("ramp_quarters", 1, t("Ramp-up to full capacity (quarters)"), integer=True),
        param("private_capacity", 250, t("Private-track funding capacity (PKR million a year)")),
    )
